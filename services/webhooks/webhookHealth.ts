// What GET /v1/health and /metrics say of webhook deliveries (SPEC §11). An endpoint that cannot
// keep up must be seen (issue 22.4: a backlog grew by a thousand deliveries a second while health
// said ok), so each active endpoint's pending deliveries are counted, with the age of the oldest,
// and past a limit webhooks are degraded. Health is open to everyone, and which endpoints exist,
// where they point and why one failed are not (issue 22.5): the summary counts and its reason names
// no endpoint; the detail is for callers with the `webhooks` scope (services/http/app.ts).
import type { EventStore } from "../../infra/eventStore/port.ts";
import type { ReadModelTx } from "../../infra/readModel/port.ts";
import { disabledEndpoints, endpointBacklogs } from "../../projections/webhooks/webhookQueries.ts";
import type { WebhookSettings } from "../config.ts";

/** What this reads of the webhooks read model: one snapshot at its active version (the Ledger's ReadSide, services/ledger.ts, which calls this). */
interface WebhooksRead {
  read<T>(fn: (tx: ReadModelTx, active: { prefix: string }) => Promise<T>): Promise<T>;
}

export interface WebhookHealth {
  /** For everyone: counts, and a reason that names no endpoint. */
  summary: {
    status: "ok" | "degraded";
    reason?: string;
    disabledEndpoints: number;
    /** Deliveries pending at the active endpoints, all together. */
    backlogEvents: number;
    /** Since the event of the oldest pending delivery was recorded; 0 when none is pending. */
    oldestAgeMs: number;
  };
  /** For the `webhooks` scope: which endpoints, and why. */
  detail: {
    disabled: { webhookId: string; disabledAt: string; reason: string }[];
    backlog: { webhookId: string; backlogEvents: number; oldestAgeMs: number }[];
  };
}

/** Since the event at `position` was recorded (its delivery has waited at least that long). */
async function recordedAgeMs(store: EventStore, position: number, nowMs: number): Promise<number> {
  const [event] = await store.readForward(position - 1, 1);
  return event === undefined ? 0 : Math.max(0, nowMs - Date.parse(event.recordedAt));
}

export async function webhookHealth(
  webhooks: WebhooksRead,
  store: EventStore,
  limits: Pick<WebhookSettings, "backlogMaxEvents" | "backlogMaxAgeMs">,
  nowMs: number,
): Promise<WebhookHealth> {
  const { disabled, backlogs } = await webhooks.read(async (tx, a) => ({
    disabled: await disabledEndpoints(tx, a.prefix),
    backlogs: await endpointBacklogs(tx, a.prefix),
  }));
  const backlog = [];
  // At most WEBHOOK_ENDPOINTS_MAX endpoints: one read of the store each.
  for (const b of backlogs)
    backlog.push({
      webhookId: b.webhookId,
      backlogEvents: b.backlogEvents,
      oldestAgeMs: await recordedAgeMs(store, b.oldestPosition, nowMs),
    });
  const largestEvents = Math.max(0, ...backlog.map((b) => b.backlogEvents));
  const oldestAgeMs = Math.max(0, ...backlog.map((b) => b.oldestAgeMs));
  const reasons = [
    disabled.length > 0 ? `${disabled.length} endpoint(s) disabled: their deliveries kept failing past LEDGER_WEBHOOK_GIVE_UP_MS` : null,
    largestEvents > limits.backlogMaxEvents
      ? `${largestEvents} deliveries pending at one endpoint (more than LEDGER_WEBHOOK_BACKLOG_MAX_EVENTS=${limits.backlogMaxEvents})`
      : null,
    oldestAgeMs > limits.backlogMaxAgeMs
      ? `the oldest pending delivery is ${Math.round(oldestAgeMs / 1000)} s old (more than LEDGER_WEBHOOK_BACKLOG_MAX_AGE_MS=${limits.backlogMaxAgeMs})`
      : null,
  ].filter((r) => r !== null);
  return {
    summary: {
      status: reasons.length === 0 ? "ok" : "degraded",
      ...(reasons.length === 0 ? {} : { reason: reasons.join("; ") }),
      disabledEndpoints: disabled.length,
      backlogEvents: backlog.reduce((sum, b) => sum + b.backlogEvents, 0),
      oldestAgeMs,
    },
    detail: { disabled, backlog },
  };
}
