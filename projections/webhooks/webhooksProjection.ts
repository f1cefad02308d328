// Webhooks (SPEC §11): the registered endpoints, folded from their WebhookRegistered and
// WebhookDeleted events (a rebuild restores them), and an outbox: for every active endpoint, one
// row per item it subscribed to, in position order, written in the same transaction as the
// checkpoint — so a crash never loses or skips a delivery, and a restart re-sends at most what was
// in flight (at least once; receivers de-duplicate on entryId). The delivery worker
// (services/webhooks/deliveryWorker.ts) sends each endpoint's outbox in order and writes what
// happened into `deliveries` and `attempts` (webhookQueries.ts); nothing here reads a clock.
//
// Endpoints that are disabled (their give-up span ran out) or deleted get no new rows. With no
// endpoint registered, a batch costs one indexed query in a transaction of its own, and another
// when it is written.
import type { Outcome } from "../../domain/engine/outcome.ts";
import { deliveredAs, type WebhookEvent } from "../../domain/webhooks/webhookEvents.ts";
import type { ReadModelTx, SqlValue } from "../../infra/readModel/port.ts";
import { insertIgnore } from "../additive.ts";
import type { ProjectionDefinition } from "../projection.ts";
import { hasWebhookItems, webhookItems } from "./webhookItems.ts";

export const ENDPOINT_STATUSES = ["active", "disabled", "deleted"] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

const DELIVERY_COLUMNS = ["webhook_id", "position", "seq", "entry_id", "type", "body", "state", "attempts", "next_attempt_ms"] as const;

/** The endpoints that get new deliveries, each with the events it subscribed to. */
async function activeEndpoints(tx: ReadModelTx, p: string): Promise<Map<string, ReadonlySet<WebhookEvent>>> {
  const rows = await tx.query<{ webhook_id: string; events: string }>(
    `SELECT webhook_id, events FROM ${p}endpoints WHERE status = 'active' ORDER BY webhook_id`,
  );
  return new Map(rows.map((r) => [r.webhook_id, new Set(JSON.parse(r.events) as WebhookEvent[])]));
}

export const webhooksProjection: ProjectionDefinition = {
  name: "webhooks",
  format: 1,
  tables: {
    endpoints: ["webhook_id"],
    deliveries: ["webhook_id", "position", "seq"],
    attempts: ["webhook_id", "position", "seq", "attempt"],
  },
  schema: (p) => `
    CREATE TABLE IF NOT EXISTS ${p}endpoints (webhook_id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL, registered_position BIGINT NOT NULL,
      registered_at TEXT NOT NULL, status TEXT NOT NULL, deleted_position BIGINT, disabled_at TEXT, disabled_reason TEXT);
    CREATE INDEX IF NOT EXISTS ${p}endpoints_status ON ${p}endpoints (status, webhook_id);
    CREATE TABLE IF NOT EXISTS ${p}deliveries (webhook_id TEXT NOT NULL, position BIGINT NOT NULL, seq INTEGER NOT NULL, entry_id TEXT NOT NULL,
      type TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_ms BIGINT NOT NULL,
      first_attempt_at TEXT, last_attempt_at TEXT, last_status INTEGER, last_error TEXT, delivered_at TEXT, PRIMARY KEY (webhook_id, position, seq));
    CREATE INDEX IF NOT EXISTS ${p}deliveries_pending ON ${p}deliveries (webhook_id, state, position, seq);
    CREATE TABLE IF NOT EXISTS ${p}attempts (webhook_id TEXT NOT NULL, position BIGINT NOT NULL, seq INTEGER NOT NULL, attempt INTEGER NOT NULL,
      at TEXT NOT NULL, duration_ms INTEGER NOT NULL, status_code INTEGER, error TEXT, PRIMARY KEY (webhook_id, position, seq, attempt));
  `,
  batch(read, p) {
    /**
     * The outcomes the write goes through: those that register or delete an endpoint, and those with
     * items to deliver once an endpoint may be active. Only this projector makes an endpoint active
     * (the delivery worker only disables one), so when none was active as the batch began, items
     * before its first registration go nowhere: a rebuild without endpoints keeps no outcome, and
     * none keeps a click's.
     */
    const kept: Outcome[] = [];
    let endpointsMayBeActive: boolean | null = null;
    return {
      async add(outcomes) {
        // In a transaction: the delivery worker shares the connection, and a plain read could run inside
        // one of its transactions and see an endpoint disabled that it then rolls back.
        endpointsMayBeActive ??= (await read.transaction((tx) => activeEndpoints(tx, p))).size > 0;
        for (const o of outcomes) {
          const endpointFact = o.facts.some((f) => f.kind === "webhook_registered" || f.kind === "webhook_deleted");
          if (endpointFact) endpointsMayBeActive = true;
          if (endpointFact || (endpointsMayBeActive && hasWebhookItems(o))) kept.push(o);
        }
      },
      async write(tx) {
        const active = await activeEndpoints(tx, p);
        const deliveries: SqlValue[][] = [];
        for (const o of kept) {
          for (const f of o.facts) {
            if (f.kind === "webhook_registered") {
              await tx.run(
                `INSERT INTO ${p}endpoints (webhook_id, url, events, registered_position, registered_at, status) VALUES (?, ?, ?, ?, ?, 'active')
                 ON CONFLICT (webhook_id) DO UPDATE SET url = excluded.url, events = excluded.events, registered_position = excluded.registered_position,
                   registered_at = excluded.registered_at, status = 'active', deleted_position = NULL, disabled_at = NULL, disabled_reason = NULL`,
                [f.webhookId, f.url, JSON.stringify(f.events), o.position, o.occurredAt],
              );
              active.set(f.webhookId, new Set(f.events));
            } else if (f.kind === "webhook_deleted") {
              await tx.run(`UPDATE ${p}endpoints SET status = 'deleted', deleted_position = ? WHERE webhook_id = ?`, [
                o.position,
                f.webhookId,
              ]);
              active.delete(f.webhookId);
            }
          }
          if (active.size === 0) continue;
          for (const item of webhookItems(o)) {
            for (const [webhookId, subscribed] of active) {
              const type = deliveredAs(item.events, subscribed);
              if (type === null) continue;
              const body = JSON.stringify({ entryId: item.entryId, type, data: item.data });
              deliveries.push([webhookId, item.position, item.seq, item.entryId, type, body, "pending", 0, 0]);
            }
          }
        }
        await insertIgnore(tx, `${p}deliveries`, DELIVERY_COLUMNS, deliveries);
      },
    };
  },
};
