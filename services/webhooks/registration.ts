// Registering and deleting webhook endpoints (SPEC §11). A registration is an event
// (WebhookRegistered: id, URL, event types — never the secret), so a rebuild restores it; the
// signing secret is derived from LEDGER_WEBHOOK_KEY and the webhook id and shown once, in the
// answer. The URL is checked before anything is stored (addressPolicy.ts), and again before each
// page of deliveries. Webhook ids are random: a registration is never a duplicate of another.
//
// The endpoint cap is decided against the store, as payouts are (services/payoutRun.ts): every
// registration and deletion is in one stream (WEBHOOK_REGISTRY_STREAM_ID); a registration waits
// until the webhooks read model has applied that stream's last event, counts the endpoints there,
// and appends with that revision as the expected one. A registration stored meanwhile (by this
// process or another) makes the store refuse the append, and the count is made again (issue 22.7:
// 24 concurrent registrations left 23 endpoints). Registrations in this process take turns, so
// only another process's can cost a round.
import { randomBytes } from "node:crypto";
import { assertNever } from "../../domain/assert.ts";
import { dataSchemas } from "../../domain/events/schemas.ts";
import { WEBHOOK_REGISTRY_STREAM_ID } from "../../domain/events/streams.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { vetWebhookUrl } from "../../infra/webhooks/addressPolicy.ts";
import { webhookSecret } from "../../infra/webhooks/signature.ts";
import { endpointOf, listEndpoints } from "../../projections/webhooks/webhookQueries.ts";
import { badRequest, HttpError, notFound } from "../http/errors.ts";
import { ingestValidated } from "../ingest/ingest.ts";
import type { Ledger } from "../ledger.ts";
import { READ_WAIT_MS } from "../reads/reads.ts";
import { expectedRevision, readWholeStream } from "../ingest/streamHead.ts";

/** Endpoints registered and not deleted at most (each may have one request in flight: deliveryWorker.ts). */
export const WEBHOOK_ENDPOINTS_MAX = 20;
/**
 * Counts made again, at most, when the registry stream moved under one (another process stored a
 * registration or a deletion): without deletions, no more than the cap's registrations can get in
 * first, so twice the cap is only reached under churn.
 */
export const REGISTER_DECIDE_ROUNDS_MAX = 2 * WEBHOOK_ENDPOINTS_MAX;

/** Registrations of this process, one after another (their order is the store's anyway). */
let registering: Promise<unknown> = Promise.resolve();

/** The body of POST /v1/webhooks: the registration event's data without its id (the ledger makes that). */
export const registrationBody = dataSchemas.WebhookRegistered[1].omit({ webhookId: true });

function refusal(path: string, message: string): HttpError {
  return badRequest(`invalid ${path}: ${message}`, [{ path, message }]);
}

export async function registerWebhook(ledger: Ledger, body: unknown, nowMs: number = Date.now()) {
  const key = ledger.config.webhooks.key;
  if (key === null) {
    throw new HttpError(
      409,
      "not_configured",
      "webhooks are not configured on this ledger: set LEDGER_WEBHOOK_KEY (at least 32 characters), from which every endpoint's signing secret is derived",
    );
  }
  const parsed = registrationBody.safeParse(body);
  if (!parsed.success) {
    throw badRequest(
      "invalid body",
      parsed.error.issues.map((i) => ({
        path: i.path.join("."),
        message: i.code === "unrecognized_keys" ? `unknown field: ${i.keys.join(", ")}` : i.message,
      })),
    );
  }
  const verdict = await vetWebhookUrl(parsed.data.url, ledger.config.webhooks.allowPrivate);
  if (!verdict.ok) throw refusal("url", verdict.reason);
  const webhookId = `wh_${randomBytes(12).toString("hex")}`;
  const createdAt = new Date(nowMs).toISOString();
  const data = { webhookId, url: verdict.url.href, events: parsed.data.events };
  const event = { id: `webhook-registered:${webhookId}`, type: "WebhookRegistered", occurredAt: createdAt, data };
  const turn = registering.then(() => appendUnderCap(ledger, event));
  registering = turn.catch(() => undefined);
  const position = await turn;
  return { ...data, status: "active" as const, createdAt, position, secret: webhookSecret(key, webhookId) };
}

/** Appends the registration if fewer than WEBHOOK_ENDPOINTS_MAX endpoints are registered, as the store's registry stream stands; its position. */
async function appendUnderCap(
  ledger: Ledger,
  event: { id: string; type: string; occurredAt: string; data: { webhookId: string } },
): Promise<number> {
  for (let round = 0; round < REGISTER_DECIDE_ROUNDS_MAX; round += 1) {
    const stream = await readWholeStream(ledger.store, WEBHOOK_REGISTRY_STREAM_ID);
    await ledger.waitFor(["webhooks"], stream[stream.length - 1]?.position ?? 0, READ_WAIT_MS, "counting the registered webhook endpoints");
    const { count, position } = await ledger.reads.webhooks.read(async (tx, a) => ({
      count: (await listEndpoints(tx, a.prefix)).length,
      position: a.position,
    }));
    const revision = expectedRevision(stream, position);
    if (revision === null) continue; // the stream moved past what the read model had applied: count again
    if (count >= WEBHOOK_ENDPOINTS_MAX)
      throw new HttpError(409, "too_many_webhooks", `at most ${WEBHOOK_ENDPOINTS_MAX} endpoints may be registered; delete one first`);
    const result = await ingestValidated(ledger.store, validateBatch([event], { internal: true }), {
      expectedRevisions: { [WEBHOOK_REGISTRY_STREAM_ID]: revision },
    });
    switch (result.kind) {
      case "appended":
        return result.lastPosition;
      case "stale":
        continue; // another registration or deletion was stored since the count
      case "invalid":
      case "conflict":
        throw new Error(`registering webhook ${event.data.webhookId} failed: ${JSON.stringify(result).slice(0, 300)}`);
      default:
        return assertNever(result, "ingest result");
    }
  }
  throw new HttpError(
    409,
    "registration_contended",
    `webhook registrations and deletions kept changing while this one was decided (${REGISTER_DECIDE_ROUNDS_MAX} attempts); nothing was registered: try again`,
  );
}

/** Appends WebhookDeleted for a registered endpoint: its pending deliveries are not sent. */
export async function deleteWebhook(ledger: Ledger, webhookId: string, nowMs: number = Date.now()) {
  // Decide on a read model that holds every registration stored so far (one just made, too).
  await ledger.waitFor(["webhooks"], await ledger.store.head(), READ_WAIT_MS);
  const endpoint = await ledger.reads.webhooks.read((tx, a) => endpointOf(tx, a.prefix, webhookId));
  if (endpoint === null) throw notFound(`webhook ${webhookId}`);
  const event = {
    id: `webhook-deleted:${webhookId}`,
    type: "WebhookDeleted",
    occurredAt: new Date(nowMs).toISOString(),
    data: { webhookId },
  };
  const result = await ingestValidated(ledger.store, validateBatch([event], { internal: true }));
  // A conflict: another deletion of it was stored meanwhile (at another time), so it is gone already.
  if (result.kind === "conflict") throw notFound(`webhook ${webhookId}`);
  if (result.kind !== "appended") throw new Error(`deleting webhook ${webhookId} failed: ${JSON.stringify(result).slice(0, 300)}`);
  return { webhookId, deleted: true as const, position: result.lastPosition };
}
