// The webhook delivery worker (SPEC §11). It runs in the process that runs the webhooks projector
// (which holds that projection's lock, so there is one worker per ledger) and sends each active
// endpoint's outbox in position order, one request at a time per endpoint and endpoints side by
// side, so a slow or dead endpoint holds back only itself — never ingestion, the projectors or
// another endpoint. Each endpoint keeps one connection alive, and its deliveries are read and
// recorded a page at a time (a new connection and two transactions per delivery could not keep up
// with a busy ledger: docs/scaling.md). A 2xx marks a delivery done;
// anything else (a status, a timeout, a closed connection, a refused address) is tried again after
// an exponential backoff with full jitter (domain/webhooks/retrySchedule.ts) until the give-up
// span runs out; then the endpoint is disabled and GET /v1/health reports it. Every attempt is
// written to the delivery log.
//
// At least once: a delivery is marked done only after its 2xx, so a crash or a stop in between
// sends it again after the restart; receivers de-duplicate on its entryId. Recording a page's
// deliveries together widens that window to at most one page (DELIVERY_PAGE_MAX, RECORD_AFTER_MS):
// what a crash sends again, and what is still sent after the endpoint is deleted or disabled.
import { asError } from "../../domain/assert.ts";
import { nextAttemptMs } from "../../domain/webhooks/retrySchedule.ts";
import type { ReadModelDb } from "../../infra/readModel/port.ts";
import { endpointAgent, postWebhook, type EndpointAgent } from "../../infra/webhooks/postWebhook.ts";
import { vetWebhookUrl, type UrlVerdict } from "../../infra/webhooks/addressPolicy.ts";
import { SIGNATURE_HEADER, signatureHeader, webhookSecret } from "../../infra/webhooks/signature.ts";
import {
  nextDeliveries,
  pendingDeliveriesOf,
  recordAttempts,
  type AttemptRecord,
  type AttemptResult,
  type PendingDelivery,
} from "../../projections/webhooks/webhookQueries.ts";
import type { WebhookSettings } from "../config.ts";

/** Endpoints with a request in flight at once (each endpoint has at most one). */
export const DELIVERIES_IN_FLIGHT_MAX = 32;
/** An endpoint's deliveries read in one transaction, sent one after another, then recorded in one. */
export const DELIVERY_PAGE_MAX = 100;
/** A page's attempts are recorded once this long has passed even if it is not done (a slow receiver): the delivery log lags at most this. */
export const RECORD_AFTER_MS = 1_000;
/** An endpoint's agent (its kept connection) is dropped after sending nothing for this long. */
const AGENT_IDLE_MS = 60_000;
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
  private readonly agents = new Map<string, { agent: EndpointAgent; usedMs: number }>();
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

  /**
   * Stops polling and aborts the requests in flight: those are not recorded (sent again after a
   * restart); what their pages delivered before them is.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const { abort } of this.inFlight.values()) abort.abort();
    await Promise.all([...this.inFlight.values()].map((f) => f.done));
    for (const { agent } of this.agents.values()) agent.destroy();
    this.agents.clear();
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
          if (!this.warnedUnsigned)
            this.options.log.error(
              { webhookId: d.webhookId },
              "webhooks: LEDGER_WEBHOOK_KEY is not set, so deliveries cannot be signed; they wait until it is",
            );
          this.warnedUnsigned = true;
          break;
        }
        this.startEndpoint(d, this.options.settings.key);
      }
      this.dropIdleAgents();
    } catch (error) {
      this.options.log.error({ err: asError(error).message }, "webhooks: looking for due deliveries failed");
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

  /**
   * Sends one endpoint's deliveries in order until one fails, none is due, or the worker stops: a
   * page at a time, read in one transaction and recorded in one (two per page, not two per
   * delivery: the worker's transactions queue behind the projector's).
   */
  private async drain(first: PendingDelivery, key: string, signal: AbortSignal): Promise<void> {
    const { db, prefix, settings } = this.options;
    const agent = this.agentOf(first);
    for (;;) {
      const page = await db.transaction((tx) => pendingDeliveriesOf(tx, prefix, first.webhookId, first.url, DELIVERY_PAGE_MAX));
      if (page.length === 0 || signal.aborted) return;
      // Once per page: a connection the agent opens is vetted again by its lookup, and a kept one reaches a vetted address.
      const verdict = await vetWebhookUrl(first.url, settings.allowPrivate);
      const records: AttemptRecord[] = [];
      const pageStartedMs = this.now();
      let goOn = true;
      for (const d of page) {
        if (d.nextAttemptMs > this.now()) {
          goOn = false;
          break;
        }
        const record = await this.attempt(d, verdict, key, signal, agent.agent);
        if (record === null) {
          goOn = false; // stopping: this attempt is not recorded, so it is sent again after the restart
          break;
        }
        records.push(record);
        if (!record.outcome.delivered) {
          goOn = false;
          break;
        }
        if (this.now() - pageStartedMs >= RECORD_AFTER_MS) break;
      }
      agent.usedMs = this.now();
      if (records.length === 0) return;
      // Not all written: the endpoint was deleted or disabled meanwhile; nothing more is sent to it.
      const written = await db.transaction((tx) => recordAttempts(tx, prefix, records));
      const last = records[records.length - 1]!;
      if (written === records.length && !last.outcome.delivered && last.outcome.retryAtMs === null) {
        this.options.log.warn({ webhookId: first.webhookId, reason: last.outcome.reason }, "webhooks: endpoint disabled");
      }
      if (!goOn || written < records.length) return;
    }
  }

  /** One attempt and what it leads to; null when the worker stopped meanwhile. */
  private async attempt(
    d: PendingDelivery,
    verdict: UrlVerdict,
    key: string,
    signal: AbortSignal,
    agent: EndpointAgent,
  ): Promise<AttemptRecord | null> {
    const { settings } = this.options;
    const startedMs = this.now();
    const answer = verdict.ok
      ? await postWebhook(verdict.url, d.body, this.headers(d, key, startedMs), {
          timeoutMs: settings.timeoutMs,
          allowPrivate: settings.allowPrivate,
          signal,
          agent,
        })
      : { error: `refused: ${verdict.reason}` };
    if (signal.aborted) return null;
    const endedMs = this.now();
    const result: AttemptResult = {
      at: new Date(startedMs).toISOString(),
      durationMs: endedMs - startedMs,
      statusCode: "statusCode" in answer ? answer.statusCode : null,
      error: "error" in answer ? answer.error : null,
    };
    if (result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300)
      return { delivery: d, result, outcome: { delivered: true } };
    const firstMs = d.firstAttemptAt === null ? startedMs : Date.parse(d.firstAttemptAt);
    const retryAtMs = nextAttemptMs(firstMs, endedMs, d.attempts + 1, settings.retry, this.random());
    const what = result.statusCode !== null ? `HTTP ${result.statusCode}` : result.error;
    const reason = `deliveries failed for ${spanText(settings.retry.giveUpMs)} from ${new Date(firstMs).toISOString()}; the last attempt (entry ${d.entryId}, attempt ${d.attempts + 1}) got ${what}`;
    return { delivery: d, result, outcome: { delivered: false, retryAtMs, reason } };
  }

  /** The endpoint's kept-alive connection (postWebhook.ts endpointAgent), made at its first delivery. */
  private agentOf(endpoint: PendingDelivery): { agent: EndpointAgent; usedMs: number } {
    let kept = this.agents.get(endpoint.webhookId);
    if (kept === undefined) {
      kept = { agent: endpointAgent(new URL(endpoint.url), this.options.settings.allowPrivate), usedMs: this.now() };
      this.agents.set(endpoint.webhookId, kept);
    }
    return kept;
  }

  /** Drops the agents of endpoints that sent nothing for AGENT_IDLE_MS (deleted, disabled, or quiet). */
  private dropIdleAgents(): void {
    for (const [webhookId, kept] of this.agents) {
      if (this.inFlight.has(webhookId) || this.now() - kept.usedMs < AGENT_IDLE_MS) continue;
      kept.agent.destroy();
      this.agents.delete(webhookId);
    }
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
