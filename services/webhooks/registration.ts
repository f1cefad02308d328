// Registering and deleting webhook endpoints (SPEC §11). A registration is an event
// (WebhookRegistered: id, URL, event types — never the secret), so a rebuild restores it; the
// signing secret is derived from LEDGER_WEBHOOK_KEY and the webhook id and shown once, in the
// answer. The URL is checked before anything is stored (addressPolicy.ts), and again before each
// delivery. Webhook ids are random: a registration is never a duplicate of another.
import { randomBytes } from "node:crypto";
import { dataSchemas } from "../../domain/events/schemas.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { vetWebhookUrl } from "../../infra/webhooks/addressPolicy.ts";
import { webhookSecret } from "../../infra/webhooks/signature.ts";
import { endpointOf, listEndpoints } from "../../projections/webhooks/webhookQueries.ts";
import { badRequest, HttpError, notFound } from "../http/errors.ts";
import { ingestValidated } from "../ingest.ts";
import type { Ledger } from "../ledger.ts";
import { READ_WAIT_MS } from "../reads.ts";

/** Endpoints registered and not deleted at most (each may have one request in flight: deliveryWorker.ts). */
export const WEBHOOK_ENDPOINTS_MAX = 20;

/** The body of POST /v1/webhooks: the registration event's data without its id (the ledger makes that). */
export const registrationBody = dataSchemas.WebhookRegistered[1].omit({ webhookId: true });

function refusal(path: string, message: string): HttpError {
  return badRequest(`invalid ${path}: ${message}`, [{ path, message }]);
}

export async function registerWebhook(ledger: Ledger, body: unknown, nowMs: number = Date.now()) {
  const key = ledger.config.webhooks.key;
  if (key === null) {
    throw new HttpError(409, "not_configured", "webhooks are not configured on this ledger: set LEDGER_WEBHOOK_KEY (at least 32 characters), from which every endpoint's signing secret is derived");
  }
  const parsed = registrationBody.safeParse(body);
  if (!parsed.success) {
    throw badRequest("invalid body", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.code === "unrecognized_keys" ? `unknown field: ${i.keys.join(", ")}` : i.message })));
  }
  const verdict = await vetWebhookUrl(parsed.data.url, ledger.config.webhooks.allowPrivate);
  if (!verdict.ok) throw refusal("url", verdict.reason);
  const registered = await ledger.reads.webhooks.read((tx, a) => listEndpoints(tx, a.prefix));
  if (registered.length >= WEBHOOK_ENDPOINTS_MAX) {
    throw new HttpError(409, "too_many_webhooks", `at most ${WEBHOOK_ENDPOINTS_MAX} endpoints may be registered; delete one first`);
  }
  const webhookId = `wh_${randomBytes(12).toString("hex")}`;
  const createdAt = new Date(nowMs).toISOString();
  const data = { webhookId, url: verdict.url.href, events: parsed.data.events };
  const event = { id: `webhook-registered:${webhookId}`, type: "WebhookRegistered", occurredAt: createdAt, data };
  const result = await ingestValidated(ledger.store, validateBatch([event], { internal: true }));
  if (result.kind !== "appended") throw new Error(`registering webhook ${webhookId} failed: ${JSON.stringify(result).slice(0, 300)}`);
  return { ...data, status: "active" as const, createdAt, position: result.lastPosition, secret: webhookSecret(key, webhookId) };
}

/** Appends WebhookDeleted for a registered endpoint: its pending deliveries are not sent. */
export async function deleteWebhook(ledger: Ledger, webhookId: string, nowMs: number = Date.now()) {
  // Decide on a read model that holds every registration stored so far (one just made, too).
  await ledger.waitFor(["webhooks"], await ledger.store.head(), READ_WAIT_MS);
  const endpoint = await ledger.reads.webhooks.read((tx, a) => endpointOf(tx, a.prefix, webhookId));
  if (endpoint === null) throw notFound(`webhook ${webhookId}`);
  const event = { id: `webhook-deleted:${webhookId}`, type: "WebhookDeleted", occurredAt: new Date(nowMs).toISOString(), data: { webhookId } };
  const result = await ingestValidated(ledger.store, validateBatch([event], { internal: true }));
  // A conflict: another deletion of it was stored meanwhile (at another time), so it is gone already.
  if (result.kind === "conflict") throw notFound(`webhook ${webhookId}`);
  if (result.kind !== "appended") throw new Error(`deleting webhook ${webhookId} failed: ${JSON.stringify(result).slice(0, 300)}`);
  return { webhookId, deleted: true as const, position: result.lastPosition };
}
