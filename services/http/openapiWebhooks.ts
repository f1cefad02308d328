// The OpenAPI 3.1 `webhooks` section (issue 22.9f): per webhook event, the request a receiver gets
// (SPEC §11): its body (apiSchemas.ts webhookBodySchemas, the same shape the contract test checks
// real deliveries against) and its headers, above all Ledger-Signature, which the receiver checks.
import type { z } from "zod";
import { WEBHOOK_EVENTS, type WebhookEvent } from "../../domain/webhooks/webhookEvents.ts";
import { SIGNATURE_TOLERANCE_SECONDS } from "../../infra/webhooks/signature.ts";
import { webhookBodySchemas } from "./apiSchemas.ts";

const SUMMARIES: Record<WebhookEvent, string> = {
  "posting.created": "A journal entry (every kind not sent as a more specific event the endpoint subscribed to)",
  "payout.issued": "A payout entry: money paid to a creator",
  "payout.failed": "A failed payout's entry: the amount back in the creator's earned account",
  "budget.exhausted": "A campaign's remaining budget reached 0",
  "campaign.ended": "A campaign ended (CampaignEnded)",
  "anomaly.recorded": "An anomaly: a fact that did not fit (SPEC §3)",
};

const HEADERS = [
  {
    name: "Ledger-Signature",
    description:
      't={unix seconds},v1={hex HMAC-SHA256(secret, t + "." + raw body)}; the secret is the whole whsec_… string the registration answered. ' +
      `Verify it over the raw body and refuse a t more than ${SIGNATURE_TOLERANCE_SECONDS} s old (a replay)`,
    schema: { type: "string", pattern: "^t=\\d+,v1=[0-9a-f]{64}$" },
  },
  { name: "Ledger-Webhook-Id", description: "the endpoint's id (its registration)", schema: { type: "string" } },
  {
    name: "Ledger-Entry-Id",
    description: "the body's entryId: de-duplicate on it, deliveries are at least once",
    schema: { type: "string", pattern: "^\\d+:\\d+$" },
  },
  {
    name: "Ledger-Delivery-Attempt",
    description: "1 on the first attempt, then 2, 3, … on retries",
    schema: { type: "integer", minimum: 1 },
  },
];

/** Component schema name of an event's body: `payout.issued` → WebhookPayoutIssuedBody. */
function bodySchemaName(event: WebhookEvent): string {
  return `Webhook${event.replace(/(^|\.)([a-z])/g, (_, _dot: string, c: string) => c.toUpperCase())}Body`;
}

/** The bodies' zod schemas by component name, and the section that refers to them. */
export function webhooksSection(): { schemas: Record<string, z.ZodType>; webhooks: Record<string, unknown> } {
  const schemas: Record<string, z.ZodType> = {};
  const webhooks: Record<string, unknown> = {};
  for (const event of WEBHOOK_EVENTS) {
    const name = bodySchemaName(event);
    schemas[name] = webhookBodySchemas[event];
    webhooks[event] = {
      post: {
        operationId: `receive${name.slice("Webhook".length, -"Body".length)}`,
        summary: SUMMARIES[event],
        description:
          "Sent to each endpoint that subscribed to it, in position order, one at a time per endpoint; an item reaches an endpoint once, as the most specific event it subscribed to.",
        tags: ["webhooks"],
        security: [],
        parameters: HEADERS.map((h) => ({ in: "header", required: true, ...h })),
        requestBody: { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } },
        responses: {
          "2XX": { description: "delivered; answer quickly" },
          default: {
            description:
              "anything else, a redirect or no answer within LEDGER_WEBHOOK_TIMEOUT_MS: retried with backoff until the give-up span, then the endpoint is disabled",
          },
        },
      },
    };
  }
  return { schemas, webhooks };
}
