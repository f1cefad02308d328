// The OpenAPI 3.1 document, generated from the same zod schemas the code uses: the read routes'
// table (readRoutes.ts: path and query parameters, answers), the answers' schemas (apiSchemas.ts),
// and the event payload schemas that validate input (domain/events/schemas.ts).
import { z } from "zod";
import { dataSchemas, envelopeSchema, EVENT_TYPES, INTERNAL_EVENT_TYPES } from "../../domain/events/schemas.ts";
import { CLOUDEVENTS_BATCH_MEDIA_TYPE, CLOUDEVENTS_MEDIA_TYPE } from "../../domain/events/cloudEvents.ts";
import { registrationBody } from "../webhooks/registration.ts";
import { appendedSchema, errorSchema, healthSchema, payoutRunSchema, webhookDeletedSchema, webhookRegisteredSchema } from "./apiSchemas.ts";
import { scopeOf, SCOPES } from "./auth.ts";
import { OPENAPI_TAGS, tagOfPath } from "./openapiTags.ts";
import { webhooksSection } from "./openapiWebhooks.ts";
import { payoutRunBody } from "./payoutRunBody.ts";
import { trueUpAnswerSchema, trueUpBody } from "./trueupBody.ts";
import { READ_ROUTES } from "./readRoutes.ts";

/** JSON Schema of a zod schema. Refinements (instants with offsets, money limits) cannot be expressed; the SPEC and the 400 details cover them. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    unrepresentable: "any",
    io,
    // A query parameter read as text and typed as an integer (readRoutes.ts integerParameter): its text pattern does not apply.
    override: (ctx) => {
      if (ctx.jsonSchema.type === "integer") delete ctx.jsonSchema.pattern;
    },
  }) as Record<string, unknown>;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });
const errorAnswer = (description: string) => ({ description, content: json(ref("Error")) });

/** `/v1/creators/:creatorId` → `/v1/creators/{creatorId}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, "{$1}");
}

function parameters(schema: z.ZodObject, where: "path" | "query") {
  return Object.entries(schema.shape).map(([name, field]) => {
    const required = where === "path" || !(field as z.ZodType).safeParse(undefined).success;
    const described = jsonSchema(field as z.ZodType, "input");
    return {
      name,
      in: where,
      required,
      ...(typeof described.description === "string" ? { description: described.description } : {}),
      schema: described,
    };
  });
}

/** The answers a route can give besides 200, by its access scope (SPEC §5 error shape). */
function errorAnswers(method: string, path: string, extra: Record<string, unknown>) {
  const secured = scopeOf(method, path) !== null;
  return {
    400: errorAnswer("invalid input: a field, a range, a position beyond the store's head"),
    ...(secured
      ? {
          401: errorAnswer("no token, or an unknown one (Authorization: Bearer <token>)"),
          403: errorAnswer("the token lacks this route's scope"),
        }
      : {}),
    ...extra,
  };
}

export function openApiDocument(serverUrl = "http://127.0.0.1:8080") {
  const schemas: Record<string, unknown> = { Error: jsonSchema(errorSchema, "output"), Envelope: jsonSchema(envelopeSchema, "input") };
  // One envelope per event type and schema version: its `type` and its payload (SPEC §2-3, §8.4, §9).
  const envelopes: unknown[] = [];
  for (const type of EVENT_TYPES) {
    if (INTERNAL_EVENT_TYPES.has(type)) continue; // appended by POST /v1/webhooks, never posted
    for (const [version, schema] of Object.entries(dataSchemas[type] as Record<string, z.ZodType>)) {
      const name = `${type}V${version}`;
      schemas[`${name}Data`] = jsonSchema(schema, "input");
      schemas[`${name}Event`] = {
        type: "object",
        additionalProperties: false,
        required: ["id", "type", "occurredAt", "data"],
        properties: {
          id: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,128}$" },
          type: { const: type },
          schemaVersion: Number(version) === 1 ? { type: "integer", enum: [1], default: 1 } : { const: Number(version) },
          occurredAt: { type: "string", description: "ISO-8601 instant with an offset or Z" },
          data: ref(`${name}Data`),
        },
      };
      envelopes.push(ref(`${name}Event`));
    }
  }
  schemas.Event = { oneOf: envelopes };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of READ_ROUTES) {
    const name = `${r.operationId[0]!.toUpperCase()}${r.operationId.slice(1)}Answer`;
    schemas[name] = jsonSchema(r.response, "output");
    const content: Record<string, unknown> = json(ref(name));
    if (r.csvHeader) content["text/csv"] = { schema: { type: "string", description: `format=csv; header: ${r.csvHeader.join(",")}` } };
    paths[openApiPath(r.path)] = {
      get: {
        operationId: r.operationId,
        summary: r.summary,
        parameters: [...parameters(r.params, "path"), ...parameters(r.query, "query")],
        responses: {
          200: { description: "the answer", content },
          ...errorAnswers("GET", r.path, {
            404: errorAnswer("unknown id"),
            503: errorAnswer("the read model has not reached the asked position within 5 s; retry after Retry-After"),
          }),
        },
      },
    };
  }

  schemas.Appended = jsonSchema(appendedSchema, "output");
  schemas.PayoutRunAnswer = jsonSchema(payoutRunSchema, "output");
  schemas.PayoutRunRequest = jsonSchema(payoutRunBody, "input");
  schemas.Health = jsonSchema(healthSchema, "output");
  paths["/v1/events"] = {
    ...paths["/v1/events"],
    post: {
      operationId: "appendEvents",
      summary: "Append a batch of events, all or nothing (SPEC §2, §5)",
      requestBody: {
        required: true,
        content: {
          "application/json": { schema: { oneOf: [{ type: "array", maxItems: 10_000, items: ref("Event") }, ref("Event")] } },
          "application/x-ndjson": { schema: { type: "string", description: "one event (see Event) per line" } },
          [CLOUDEVENTS_MEDIA_TYPE]: { schema: ref("CloudEvent") },
          [CLOUDEVENTS_BATCH_MEDIA_TYPE]: { schema: { type: "array", maxItems: 10_000, items: ref("CloudEvent") } },
        },
      },
      responses: {
        200: { description: "every new event durably appended; duplicates acknowledged", content: json(ref("Appended")) },
        ...errorAnswers("POST", "/v1/events", {
          409: errorAnswer("an id is stored with other content; nothing appended"),
          413: errorAnswer("body or batch too large"),
          415: errorAnswer("not JSON or NDJSON in UTF-8, or compressed"),
        }),
      },
    },
  };
  paths["/v1/payouts/run"] = {
    post: {
      operationId: "runPayouts",
      summary: "Pay every creator of a marketplace whose status is ready as of a date (SPEC §5)",
      requestBody: { required: true, content: json(ref("PayoutRunRequest")) },
      responses: {
        200: { description: "the payouts issued", content: json(ref("PayoutRunAnswer")) },
        ...errorAnswers("POST", "/v1/payouts/run", { 503: errorAnswer("the payout read model did not catch up with the store in time") }),
      },
    },
  };
  schemas.TrueUpRequest = jsonSchema(trueUpBody, "input");
  schemas.TrueUpAnswer = jsonSchema(trueUpAnswerSchema, "output");
  paths["/v1/trueups"] = {
    post: {
      operationId: "trueUp",
      summary:
        "Recompute standard commission of booked months under a rule version; dry run: the rows; else one CommissionAdjusted (rule_change) per nonzero row, in the open period (SPEC §14; scope admin)",
      requestBody: { required: true, content: json(ref("TrueUpRequest")) },
      responses: {
        200: { description: "the rows (and, applying, the adjustments)", content: json(ref("TrueUpAnswer")) },
        ...errorAnswers("POST", "/v1/trueups", {
          409: errorAnswer("another true-up appended one of these ids with other content meanwhile: nothing of that batch was appended"),
          503: errorAnswer("the journal did not catch up with the store in time"),
        }),
      },
    },
  };
  // CloudEvents 1.0 structured mode (SPEC §11): mapped onto the envelope, then validated as an Event.
  schemas.CloudEvent = {
    type: "object",
    required: ["specversion", "id", "source", "type", "time", "data"],
    properties: {
      specversion: { const: "1.0" },
      id: { type: "string", description: "the event id (SPEC §2)" },
      source: { type: "string", minLength: 1, description: "URI-reference of the producer; checked, not stored" },
      type: { type: "string", description: "an event type, after the configured prefix (LEDGER_CLOUDEVENTS_TYPE_PREFIX)" },
      time: { type: "string", description: "occurredAt: an ISO-8601 instant with an offset or Z" },
      datacontenttype: { const: "application/json" },
      schemaversion: { type: ["integer", "string"], description: "extension: the payload's schemaVersion (default 1)" },
      data: { type: "object", description: "the payload of the type (see the Event schemas)" },
    },
  };
  schemas.WebhookRequest = jsonSchema(registrationBody, "input");
  schemas.WebhookRegistered = jsonSchema(webhookRegisteredSchema, "output");
  schemas.WebhookDeleted = jsonSchema(webhookDeletedSchema, "output");
  paths["/v1/webhooks"] = {
    ...paths["/v1/webhooks"],
    post: {
      operationId: "registerWebhook",
      summary: "Register an endpoint for webhook events; the answer holds its signing secret, shown once (SPEC §11)",
      requestBody: { required: true, content: json(ref("WebhookRequest")) },
      responses: {
        201: { description: "registered (an event in the log, without the secret)", content: json(ref("WebhookRegistered")) },
        ...errorAnswers("POST", "/v1/webhooks", {
          409: errorAnswer(
            "LEDGER_WEBHOOK_KEY is not set (not_configured), the most endpoints are registered (too_many_webhooks), or registrations kept changing while this one was decided (registration_contended: try again)",
          ),
          503: errorAnswer("the webhooks read model did not catch up with the store in time to count the endpoints"),
        }),
      },
    },
  };
  paths["/v1/webhooks/{webhookId}"] = {
    ...paths["/v1/webhooks/{webhookId}"],
    delete: {
      operationId: "deleteWebhook",
      summary: "Delete an endpoint: nothing more is sent to it (SPEC §11)",
      parameters: [{ name: "webhookId", in: "path", required: true, schema: { type: "string" } }],
      responses: {
        200: { description: "deleted (an event in the log)", content: json(ref("WebhookDeleted")) },
        ...errorAnswers("DELETE", "/v1/webhooks/{webhookId}", {
          404: errorAnswer("unknown or already deleted"),
          503: errorAnswer("the webhooks read model did not catch up with the store in time"),
        }),
      },
    },
  };
  paths["/v1/health"] = {
    get: {
      operationId: "getHealth",
      summary: "Store head; per projection, position, lag and version; webhook deliveries (which endpoints: webhooks scope)",
      security: [],
      responses: { 200: { description: "health", content: json(ref("Health")) } },
    },
  };
  paths["/metrics"] = {
    get: {
      operationId: "getMetrics",
      summary: "Prometheus metrics",
      security: [],
      responses: { 200: { description: "metrics", content: { "text/plain": { schema: { type: "string" } } } } },
    },
  };
  paths["/v1/openapi.json"] = {
    get: {
      operationId: "getOpenApi",
      summary: "This document",
      security: [],
      responses: { 200: { description: "OpenAPI 3.1", content: json({ type: "object" }) } },
    },
  };

  // Every operation in one group (openapiTags.ts), the webhooks' own included.
  for (const [path, operations] of Object.entries(paths))
    for (const operation of Object.values(operations)) (operation as { tags?: string[] }).tags = [tagOfPath(path)];
  const section = webhooksSection();
  for (const [name, schema] of Object.entries(section.schemas)) schemas[name] = jsonSchema(schema, "output");

  return {
    openapi: "3.1.0",
    info: {
      title: "Commission ledger",
      version: "1",
      description:
        "An event-sourced commission ledger: facts in, read models out. `SPEC §N` in a summary cites the section of the ledger's specification that the route implements; the repository's README describes every route.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    tags: OPENAPI_TAGS,
    paths,
    webhooks: section.webhooks,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: `LEDGER_TOKENS; scopes ${SCOPES.join(", ")} (README, access control; admin: GET /v1/log/verify, POST /v1/trueups)`,
        },
      },
      schemas,
    },
  };
}
