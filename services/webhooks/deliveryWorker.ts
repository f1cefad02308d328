// The webhook delivery worker (SPEC §11). It runs in the process that runs the webhooks projector
// (which holds that projection's lock, so there is one worker per ledger) and sends each active
// endpoint's outbox in position order, one request at a time per endpoint and endpoints side by
// side, so a slow or dead endpoint holds back only itself — never ingestion, the projectors or
// another endpoint. A 2xx marks a delivery done; anything else (a status, a timeout, a closed
// connection, a refused address) is tried again after an exponential backoff with full jitter
// (domain/webhooks/retrySchedule.ts) until the give-up span runs out; then the endpoint is
// disabled and GET /v1/health reports it. Every attempt is written to the delivery log.
//
// At least once: a delivery is marked done only after its 2xx, so a crash or a stop in between
// sends it again after the restart; receivers de-duplicate on its entryId.
import { nextAttemptMs } from "../../domain/webhooks/retrySchedule.ts";
import type { ReadModelDb } from "../../infra/readModel/port.ts";
import { postWebhook } from "../../infra/webhooks/postWebhook.ts";
import { vetWebhookUrl } from "../../infra/webhooks/addressPolicy.ts";
import { SIGNATURE_HEADER, signatureHeader, webhookSecret } from "../../infra/webhooks/signature.ts";
import { nextDeliveries, nextDeliveryOf, recordAttempt, type AttemptResult, type PendingDelivery } from "../../projections/webhooks/webhookQueries.ts";
import type { WebhookSettings } from "../config.ts";

/** Endpoints with a request in flight at once (each endpoint has at most one). */
export const DELIVERIES_IN_FLIGHT_MAX = 32;
export const USER_AGENT = "commission-ledger-webhooks/1";

export interface DeliveryWorkerLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DeliveryWorkerOptions {
  /**
   * The webhooks projection's database as its projector writes it, transactions queued with the
   * projector's. The worker reads through it too: a read on another connection could join an older
   * snapshot and send a delivery again that was just marked done.
   */
  db: ReadModelDb;
  /** Table prefix of the projector's version. */
  prefix: string;
  settings: WebhookSettings;
  log: DeliveryWorkerLog;
  now?: () => number;
  random?: () => number;
}

export class WebhookDeliveryWorker {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly inFlight = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly now: () => number;
  private readonly random: () => number;
  private warnedUnsigned = false;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  start(): void {
    this.schedule(0);
  }

  /** Stops polling and aborts the requests in flight (they are not recorded: sent again after a restart). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const { abort } of this.inFlight.values()) abort.abort();
    await Promise.all([...this.inFlight.values()].map((f) => f.done));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  /** Starts an endpoint's due deliveries wherever none is in flight. */
  private async tick(): Promise<void> {
    try {
      const due = await this.options.db.transaction((tx) => nextDeliveries(tx, this.options.prefix));
      if (this.stopped) return; // stop() ran meanwhile: its databases are closing
      for (const d of due) {
        if (this.inFlight.has(d.webhookId) || this.inFlight.size >= DELIVERIES_IN_FLIGHT_MAX) continue;
        if (d.nextAttemptMs > this.now()) continue;
        if (this.options.settings.key === null) {
          if (!this.warnedUnsigned) this.options.log.error({ webhookId: d.webhookId }, "webhooks: LEDGER_WEBHOOK_KEY is not set, so deliveries cannot be signed; they wait until it is");
          this.warnedUnsigned = true;
          break;
        }
        this.startEndpoint(d, this.options.settings.key);
      }
    } catch (error) {
      this.options.log.error({ err: (error as Error).message }, "webhooks: looking for due deliveries failed");
    }
    this.schedule(this.options.settings.pollMs);
  }

  private startEndpoint(first: PendingDelivery, key: string): void {
    const abort = new AbortController();
    const done = this.drain(first, key, abort.signal)
      .catch((error: Error) => this.options.log.error({ webhookId: first.webhookId, err: error.message }, "webhooks: delivering failed"))
      .finally(() => this.inFlight.delete(first.webhookId));
    this.inFlight.set(first.webhookId, { abort, done });
  }

  /** Sends one endpoint's deliveries in order until one fails, none is due, or the worker stops. */
  private async drain(first: PendingDelivery, key: string, signal: AbortSignal): Promise<void> {
    let next: PendingDelivery | null = first;
    while (next !== null && !signal.aborted && next.nextAttemptMs <= this.now()) {
      if (!(await this.deliver(next, key, signal))) return;
      next = await this.options.db.transaction((tx) => nextDeliveryOf(tx, this.options.prefix, first.webhookId, first.url));
    }
  }

  /** One attempt; true when it was delivered and recorded (the endpoint's next one may follow). */
  private async deliver(d: PendingDelivery, key: string, signal: AbortSignal): Promise<boolean> {
    const { settings } = this.options;
    const startedMs = this.now();
    const verdict = await vetWebhookUrl(d.url, settings.allowPrivate); // again before each delivery: DNS may have changed
    const answer = verdict.ok
      ? await postWebhook(verdict.url, d.body, this.headers(d, key, startedMs), { timeoutMs: settings.timeoutMs, allowPrivate: settings.allowPrivate, signal })
      : { error: `refused: ${verdict.reason}` };
    if (signal.aborted) return false; // stopping: not recorded, so it is sent again after the restart
    const endedMs = this.now();
    const result: AttemptResult = {
      at: new Date(startedMs).toISOString(),
      durationMs: endedMs - startedMs,
      statusCode: "statusCode" in answer ? answer.statusCode : null,
      error: "error" in answer ? answer.error : null,
    };
    const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    if (delivered) {
      // Not recorded: the endpoint was deleted or disabled meanwhile; nothing more is sent to it.
      return this.options.db.transaction((tx) => recordAttempt(tx, this.options.prefix, d, result, { delivered: true }));
    }
    const firstMs = d.firstAttemptAt === null ? startedMs : Date.parse(d.firstAttemptAt);
    const retryAtMs = nextAttemptMs(firstMs, endedMs, d.attempts + 1, settings.retry, this.random());
    const what = result.statusCode !== null ? `HTTP ${result.statusCode}` : result.error;
    const reason = `deliveries failed for ${spanText(settings.retry.giveUpMs)} from ${new Date(firstMs).toISOString()}; the last attempt (entry ${d.entryId}, attempt ${d.attempts + 1}) got ${what}`;
    const recorded = await this.options.db.transaction((tx) => recordAttempt(tx, this.options.prefix, d, result, { delivered: false, retryAtMs, reason }));
    if (recorded && retryAtMs === null) this.options.log.warn({ webhookId: d.webhookId, reason }, "webhooks: endpoint disabled");
    return false;
  }

  private headers(d: PendingDelivery, key: string, nowMs: number): Record<string, string> {
    return {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      [SIGNATURE_HEADER]: signatureHeader(webhookSecret(key, d.webhookId), d.body, Math.floor(nowMs / 1000)),
      "ledger-webhook-id": d.webhookId,
      "ledger-entry-id": d.entryId,
      "ledger-delivery-attempt": String(d.attempts + 1),
    };
  }
}

/** 86400000 → "24 h", 1500 → "1500 ms": the give-up span as the disabled reason says it. */
function spanText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 1_000 === 0) return `${ms / 1_000} s`;
  return `${ms} ms`;
}
