// OpenAPI 3.1 document, its event schemas generated from the same zod schemas that validate input.
import { z } from "zod";
import { dataSchemas, envelopeSchema, EVENT_TYPES, refId } from "../../domain/events/schemas.ts";

function jsonSchema(schema: z.ZodType): unknown {
  // Refinements (instants with offsets, money limits) cannot be expressed in JSON Schema; the
  // descriptions in SPEC §2-3 and the 400 details cover them.
  return z.toJSONSchema(schema, { unrepresentable: "any", io: "input" });
}

const error = { $ref: "#/components/schemas/Error" };
const json = (schema: unknown) => ({ "application/json": { schema } });

export function openApiDocument() {
  const eventSchemas: Record<string, unknown> = {};
  for (const type of EVENT_TYPES) {
    for (const [version, schema] of Object.entries(dataSchemas[type] as Record<string, z.ZodType>)) {
      eventSchemas[`${type}V${version}Data`] = jsonSchema(schema);
    }
  }
  const id = jsonSchema(refId); // the SPEC's id characters, 1-128 long
  const creatorId = { name: "creatorId", in: "path", required: true, schema: id };
  const errors = { 400: { description: "invalid input", content: json(error) }, 404: { description: "unknown", content: json(error) } };
  return {
    openapi: "3.1.0",
    info: { title: "Commission ledger", version: "1" },
    paths: {
      "/v1/events": {
        post: {
          summary: "Append a batch of events (all or nothing)",
          requestBody: {
            content: {
              "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/Envelope" } } },
              "application/x-ndjson": { schema: { type: "string" } },
            },
          },
          responses: {
            200: { description: "appended", content: json({ type: "object", properties: { appended: { type: "integer" }, duplicates: { type: "integer" }, lastPosition: { type: "integer" } } }) },
            400: { description: "invalid batch", content: json(error) },
            409: { description: "id conflict", content: json(error) },
            413: { description: "too large", content: json(error) },
          },
        },
      },
      "/v1/creators/{creatorId}/earnings": { get: { parameters: [creatorId], responses: { 200: { description: "earnings" }, ...errors } } },
      "/v1/creators/{creatorId}/ledger": {
        get: {
          parameters: [creatorId, { name: "after", in: "query", schema: { type: "string" } }, { name: "limit", in: "query", schema: { type: "integer", maximum: 1000 } }],
          responses: { 200: { description: "audit entries" }, ...errors },
        },
      },
      "/v1/campaigns/{campaignId}/budget": {
        get: { parameters: [{ name: "campaignId", in: "path", required: true, schema: id }], responses: { 200: { description: "budget" }, ...errors } },
      },
      "/v1/creators/{creatorId}/report": {
        get: {
          parameters: [
            creatorId,
            { name: "from", in: "query", required: true, schema: { type: "string", format: "date" } },
            { name: "to", in: "query", required: true, schema: { type: "string", format: "date" } },
            { name: "campaignId", in: "query", schema: id },
            { name: "format", in: "query", schema: { enum: ["json", "csv"] } },
          ],
          responses: { 200: { description: "daily rows and totals (JSON or CSV)" }, ...errors },
        },
      },
      "/v1/creators/{creatorId}/payout": {
        get: { parameters: [creatorId, { name: "asOf", in: "query", required: true, schema: { type: "string", format: "date" } }], responses: { 200: { description: "payout status" }, ...errors } },
      },
      "/v1/payouts/run": {
        post: {
          requestBody: { content: json({ type: "object", required: ["marketplace", "asOf"], properties: { marketplace: { type: "string" }, asOf: { type: "string", format: "date" } } }) },
          responses: { 200: { description: "payouts issued" }, 400: { description: "invalid", content: json(error) }, 503: { description: "payout projection not caught up", content: json(error) } },
        },
      },
      "/v1/anomalies": {
        get: {
          summary: "Every anomaly, also those without a creator, in position order",
          parameters: [{ name: "after", in: "query", schema: { type: "string" } }, { name: "limit", in: "query", schema: { type: "integer", maximum: 1000 } }],
          responses: { 200: { description: "anomalies and nextAfter" }, 400: { description: "invalid", content: json(error) } },
        },
      },
      "/v1/health": { get: { responses: { 200: { description: "store head and projection lag" } } } },
    },
    components: {
      schemas: {
        Envelope: jsonSchema(envelopeSchema),
        Error: {
          type: "object",
          properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "array" } } } },
        },
        ...eventSchemas,
      },
    },
  };
}
