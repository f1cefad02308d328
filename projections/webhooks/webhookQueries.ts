// Reads and the delivery worker's writes over the webhooks projection's tables (SPEC §11): the
// endpoints as the API shows them, an endpoint's delivery log, each endpoint's next delivery, and
// what one attempt did. The worker (services/webhooks/deliveryWorker.ts) supplies every time.
import type { WebhookEvent } from "../../domain/webhooks/webhookEvents.ts";
import { int, type ReadModelTx } from "../../infra/readModel/port.ts";
import { nextCursor, type Cursor } from "../journal/journalQueries.ts";
import type { EndpointStatus } from "./webhooksProjection.ts";

export const DELIVERIES_PAGE_MAX = 1_000;
/** Attempts listed per delivery in the log, the latest ones (the count says how many there were). */
export const ATTEMPTS_SHOWN_MAX = 10;

type EndpointRow = {
  webhook_id: string;
  url: string;
  events: string;
  registered_position: unknown;
  registered_at: string;
  status: EndpointStatus;
  disabled_at: string | null;
  disabled_reason: string | null;
  pending: unknown;
};

const ENDPOINT_SELECT = (p: string) =>
  `SELECT e.webhook_id, e.url, e.events, e.registered_position, e.registered_at, e.status, e.disabled_at, e.disabled_reason,
     (SELECT COUNT(*) FROM ${p}deliveries d WHERE d.webhook_id = e.webhook_id AND d.state = 'pending') AS pending
   FROM ${p}endpoints e`;

function endpointView(r: EndpointRow) {
  return {
    webhookId: r.webhook_id,
    url: r.url,
    events: JSON.parse(r.events) as WebhookEvent[],
    status: r.status as Exclude<EndpointStatus, "deleted">,
    createdAt: r.registered_at,
    position: int(r.registered_position),
    disabledAt: r.disabled_at,
    disabledReason: r.disabled_reason,
    pendingDeliveries: int(r.pending),
  };
}

/** Every endpoint not deleted, in the order they were registered. */
export async function listEndpoints(tx: ReadModelTx, p: string) {
  const rows = await tx.query<EndpointRow>(
    `${ENDPOINT_SELECT(p)} WHERE e.status <> 'deleted' ORDER BY e.registered_position, e.webhook_id`,
  );
  return rows.map(endpointView);
}

/** One endpoint; null when it is unknown or deleted. */
export async function endpointOf(tx: ReadModelTx, p: string, webhookId: string) {
  const rows = await tx.query<EndpointRow>(`${ENDPOINT_SELECT(p)} WHERE e.webhook_id = ? AND e.status <> 'deleted'`, [webhookId]);
  return rows[0] ? endpointView(rows[0]) : null;
}

/** Endpoints the worker disabled (their give-up span ran out), for GET /v1/health. */
export async function disabledEndpoints(tx: ReadModelTx, p: string) {
  const rows = await tx.query<{ webhook_id: string; disabled_at: string; disabled_reason: string }>(
    `SELECT webhook_id, disabled_at, disabled_reason FROM ${p}endpoints WHERE status = 'disabled' ORDER BY webhook_id`,
  );
  return rows.map((r) => ({ webhookId: r.webhook_id, disabledAt: r.disabled_at, reason: r.disabled_reason }));
}

type DeliveryRow = {
  position: unknown;
  seq: unknown;
  entry_id: string;
  type: WebhookEvent;
  state: "pending" | "delivered" | "failed";
  attempts: unknown;
  next_attempt_ms: unknown;
  first_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status: unknown;
  last_error: string | null;
  delivered_at: string | null;
};
type AttemptRow = {
  position: unknown;
  seq: unknown;
  attempt: unknown;
  at: string;
  duration_ms: unknown;
  status_code: unknown;
  error: string | null;
};

const nullableInt = (value: unknown): number | null => (value === null || value === undefined ? null : int(value));

/** An endpoint's deliveries after the cursor, in position order, each with its latest attempts (the delivery log). */
export async function deliveriesOf(tx: ReadModelTx, p: string, webhookId: string, after: Cursor, limit: number) {
  const rows = await tx.query<DeliveryRow>(
    `SELECT position, seq, entry_id, type, state, attempts, next_attempt_ms, first_attempt_at, last_attempt_at, last_status, last_error, delivered_at
     FROM ${p}deliveries WHERE webhook_id = ? AND (position > ? OR (position = ? AND seq > ?)) ORDER BY position, seq LIMIT ?`,
    [webhookId, after.position, after.position, after.seq, limit],
  );
  const first = rows[0];
  const last = rows[rows.length - 1];
  const attempts = new Map<string, AttemptRow[]>();
  if (first && last) {
    const logged = await tx.query<AttemptRow>(
      `SELECT position, seq, attempt, at, duration_ms, status_code, error FROM ${p}attempts
       WHERE webhook_id = ? AND (position > ? OR (position = ? AND seq >= ?)) AND (position < ? OR (position = ? AND seq <= ?)) ORDER BY position, seq, attempt`,
      [webhookId, int(first.position), int(first.position), int(first.seq), int(last.position), int(last.position), int(last.seq)],
    );
    for (const a of logged) {
      const key = `${int(a.position)}:${int(a.seq)}`;
      const list = attempts.get(key);
      if (list) list.push(a);
      else attempts.set(key, [a]);
    }
  }
  return {
    deliveries: rows.map((r) => ({
      entryId: r.entry_id,
      position: int(r.position),
      seq: int(r.seq),
      type: r.type,
      status: r.state,
      attempts: int(r.attempts),
      firstAttemptAt: r.first_attempt_at,
      lastAttemptAt: r.last_attempt_at,
      lastStatusCode: nullableInt(r.last_status),
      lastError: r.last_error,
      nextAttemptAt: r.state === "pending" && int(r.attempts) > 0 ? new Date(int(r.next_attempt_ms)).toISOString() : null,
      deliveredAt: r.delivered_at,
      log: (attempts.get(r.entry_id) ?? []).slice(-ATTEMPTS_SHOWN_MAX).map((a) => ({
        attempt: int(a.attempt),
        at: a.at,
        durationMs: int(a.duration_ms),
        statusCode: nullableInt(a.status_code),
        error: a.error,
      })),
    })),
    nextAfter: nextCursor(rows, limit),
  };
}

// --- the delivery worker's side -----------------------------------------------------------------

/** The next delivery of one endpoint: the first pending one in position order (SPEC §11: in order per endpoint). */
export interface PendingDelivery {
  webhookId: string;
  url: string;
  position: number;
  seq: number;
  entryId: string;
  body: string;
  attempts: number;
  nextAttemptMs: number;
  firstAttemptAt: string | null;
}

/** Each active endpoint's next delivery (endpoints with nothing pending are left out). */
export async function nextDeliveries(tx: ReadModelTx, p: string): Promise<PendingDelivery[]> {
  const endpoints = await tx.query<{ webhook_id: string; url: string }>(
    `SELECT webhook_id, url FROM ${p}endpoints WHERE status = 'active' ORDER BY webhook_id`,
  );
  const out: PendingDelivery[] = [];
  for (const e of endpoints) {
    const [next] = await pendingDeliveriesOf(tx, p, e.webhook_id, e.url, 1);
    if (next !== undefined) out.push(next);
  }
  return out;
}

/** One endpoint's first `limit` pending deliveries in position order; none once it is no longer active (deleted, disabled). */
export async function pendingDeliveriesOf(
  tx: ReadModelTx,
  p: string,
  webhookId: string,
  url: string,
  limit: number,
): Promise<PendingDelivery[]> {
  const rows = await tx.query<{
    position: unknown;
    seq: unknown;
    entry_id: string;
    body: string;
    attempts: unknown;
    next_attempt_ms: unknown;
    first_attempt_at: string | null;
  }>(
    `SELECT d.position, d.seq, d.entry_id, d.body, d.attempts, d.next_attempt_ms, d.first_attempt_at FROM ${p}deliveries d
     WHERE d.webhook_id = ? AND d.state = 'pending' AND EXISTS (SELECT 1 FROM ${p}endpoints e WHERE e.webhook_id = d.webhook_id AND e.status = 'active')
     ORDER BY d.position, d.seq LIMIT ?`,
    [webhookId, limit],
  );
  return rows.map((d) => ({
    webhookId,
    url,
    position: int(d.position),
    seq: int(d.seq),
    entryId: d.entry_id,
    body: d.body,
    attempts: int(d.attempts),
    nextAttemptMs: int(d.next_attempt_ms),
    firstAttemptAt: d.first_attempt_at,
  }));
}

/** What one attempt got: a status code, or an error (refused address, timeout, connection closed). */
export interface AttemptResult {
  at: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

/** Delivered; or not, to be tried again at `retryAtMs`, or (null) never: the endpoint is disabled with `reason`. */
export type AttemptOutcome = { delivered: true } | { delivered: false; retryAtMs: number | null; reason: string };

/** One attempt and what it led to, as recordAttempt writes it. */
export interface AttemptRecord {
  delivery: PendingDelivery;
  result: AttemptResult;
  outcome: AttemptOutcome;
}

/**
 * Writes one attempt and its consequence: delivered, tried again at `retryAtMs`, or — when
 * `retryAtMs` is null — the delivery failed for good and its endpoint is disabled with `reason`.
 * Only while the endpoint is still active and the delivery still pending (a deletion or a second
 * worker may have moved on); returns whether it was written.
 */
async function recordAttempt(tx: ReadModelTx, p: string, { delivery: d, result, outcome }: AttemptRecord): Promise<boolean> {
  const key = [d.webhookId, d.position, d.seq] as const;
  const attempt = d.attempts + 1;
  const state = outcome.delivered ? "delivered" : outcome.retryAtMs === null ? "failed" : "pending";
  const moved = await tx.run(
    `UPDATE ${p}deliveries SET state = ?, attempts = ?, next_attempt_ms = ?, first_attempt_at = COALESCE(first_attempt_at, ?), last_attempt_at = ?,
       last_status = ?, last_error = ?, delivered_at = ?
     WHERE webhook_id = ? AND position = ? AND seq = ? AND state = 'pending' AND attempts = ?
       AND EXISTS (SELECT 1 FROM ${p}endpoints e WHERE e.webhook_id = ? AND e.status = 'active')`,
    [
      state,
      attempt,
      outcome.delivered || outcome.retryAtMs === null ? 0 : outcome.retryAtMs,
      result.at,
      result.at,
      result.statusCode,
      result.error,
      outcome.delivered ? result.at : null,
      ...key,
      d.attempts,
      d.webhookId,
    ],
  );
  if (moved !== 1) return false;
  await tx.run(
    `INSERT INTO ${p}attempts (webhook_id, position, seq, attempt, at, duration_ms, status_code, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [...key, attempt, result.at, result.durationMs, result.statusCode, result.error],
  );
  if (!outcome.delivered && outcome.retryAtMs === null) {
    await tx.run(
      `UPDATE ${p}endpoints SET status = 'disabled', disabled_at = ?, disabled_reason = ? WHERE webhook_id = ? AND status = 'active'`,
      [result.at, outcome.reason, d.webhookId],
    );
  }
  return true;
}

/** Writes attempts of one endpoint in order, up to the first that is not written (recordAttempt); returns how many were. */
export async function recordAttempts(tx: ReadModelTx, p: string, records: readonly AttemptRecord[]): Promise<number> {
  let written = 0;
  for (const r of records) {
    if (!(await recordAttempt(tx, p, r))) break;
    written += 1;
  }
  return written;
}

/** Each active endpoint that has pending deliveries: how many, and the position of the oldest (GET /v1/health). */
export async function endpointBacklogs(tx: ReadModelTx, p: string) {
  const rows = await tx.query<{ webhook_id: string; pending: unknown; oldest_position: unknown }>(
    `SELECT e.webhook_id, COUNT(*) AS pending, MIN(d.position) AS oldest_position FROM ${p}endpoints e
     JOIN ${p}deliveries d ON d.webhook_id = e.webhook_id AND d.state = 'pending'
     WHERE e.status = 'active' GROUP BY e.webhook_id ORDER BY e.webhook_id`,
  );
  return rows.map((r) => ({ webhookId: r.webhook_id, backlogEvents: int(r.pending), oldestPosition: int(r.oldest_position) }));
}
