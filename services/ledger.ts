// Wires one ledger process: the event store, the read-model databases, and (optionally) the
// projectors that run in this process. The API and the CLI both start from here.
import fs from "node:fs";
import type { Logger } from "pino";
import { ruleVersion, type RuleVersion } from "../domain/rules.ts";
import { openEventStore } from "../infra/eventStore/openEventStore.ts";
import type { EventStore } from "../infra/eventStore/port.ts";
import type { ProjectorLock } from "../infra/projectorLock.ts";
import type { ReadModelDb, ReadModelTx } from "../infra/readModel/port.ts";
import { DEFINITIONS } from "../projections/definitions.ts";
import { PROJECTION_NAMES, tablePrefix, type ProjectionName } from "../projections/projection.ts";
import { activeVersion, ensureVersionsTable, Projector } from "../projections/projector.ts";
import type { LedgerConfig } from "./config.ts";
import type { UnconditionalIngestResult } from "./ingest.ts";
import { ingestRequest, startIngestThread, type Ingest, type IngestRequest, type IngestThread } from "./ingestThread.ts";
import { lockProjections, openProjectionDb } from "./ledgerFiles.ts";
import { runProjectors, startWorkerHost, type ProjectorHost } from "./projectorHost.ts";
import { disabledEndpoints } from "../projections/webhooks/webhookQueries.ts";


export interface ActiveVersion {
  prefix: string;
  position: number;
  version: number;
  ruleVersion: number;
}

export interface ReadSide {
  db: ReadModelDb;
  /** Active version's table prefix and position, looked up per request (a promotion switches it). */
  active(): Promise<ActiveVersion>;
  /** fn's reads and the active version's position from one snapshot, so an answer matches its asOfPosition. */
  read<T>(fn: (tx: ReadModelTx, active: ActiveVersion) => Promise<T>): Promise<T>;
}

async function activeIn(tx: ReadModelTx, name: ProjectionName): Promise<ActiveVersion> {
  const info = await activeVersion(tx, name);
  if (!info) throw new Error(`projection ${name} has no active version`);
  return { prefix: tablePrefix(name, info.version), position: info.position, version: info.version, ruleVersion: info.ruleVersion };
}

function readSide(db: ReadModelDb, name: ProjectionName): ReadSide {
  return {
    db,
    active: () => activeIn(db, name),
    read: (fn) => db.snapshot(async (tx) => fn(tx, await activeIn(tx, name))),
  };
}

const PROMOTION_CHECK_MS = 2_000;

export class Ledger {
  private host: ProjectorHost | null = null;
  private locks: ProjectorLock[] = [];
  /** Validates and appends a batch of POST /v1/events: here, or on the ingest thread (startIngestThread). */
  ingest: Ingest = (request) => ingestRequest(this.store, this.config, request);
  private ingestThread: IngestThread | null = null;
  /** A new ingest thread being started in place of one that ended (ingestOnThread). */
  private replacingIngestThread: Promise<IngestThread> | null = null;
  /** Set by close(): no ingest thread is started from then on. */
  private closing = false;
  /** Each projection's position when health last saw it move, and since when (stall detection). */
  private readonly progress = new Map<ProjectionName, { position: number; sinceMs: number }>();

  private constructor(
    readonly config: LedgerConfig,
    readonly store: EventStore,
    readonly reads: Record<ProjectionName, ReadSide>,
    readonly rules: RuleVersion,
    readonly log: Logger,
  ) {}

  static async open(config: LedgerConfig, log: Logger): Promise<Ledger> {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const store = await openEventStore(config.store);
    const reads = {} as Record<ProjectionName, ReadSide>;
    try {
      for (const name of PROJECTION_NAMES) {
        const db = await openProjectionDb(config, name, { log });
        reads[name] = readSide(db, name);
        await ensureVersionsTable(db);
        // Make sure an active version exists so reads never race the first projector start, and
        // that it was built from this store as it is now (never serve events the store lost).
        const active = await Projector.open(db, DEFINITIONS[name], { ruleVersion: config.ruleVersion, log });
        await active.verifyStore(store, config.onStoreMismatch, log);
      }
    } catch (error) {
      for (const side of Object.values(reads)) await side.db.close();
      await store.close();
      throw error;
    }
    return new Ledger(config, store, reads, ruleVersion(config.ruleVersion), log);
  }

  private watch: NodeJS.Timeout | null = null;
  /** What to do when a projector can no longer write; serve/projectors exit so a supervisor restarts them. */
  onProjectorFailure: (error: Error) => void = () => undefined;
  private thread = false;

  /**
   * Starts projectors in this process (catch up, then live): on this thread, or with `thread` on a
   * worker thread of its own (services/projectorHost.ts). When a replay promotes another version
   * (SPEC §6), they restart on the newly active versions.
   */
  async startProjectors(names: readonly ProjectionName[] = this.config.projectors, options: { thread?: boolean } = {}): Promise<void> {
    if (names.length === 0) return;
    // Refused at start when another process projects one of these (never on a first write).
    this.locks = await lockProjections(this.config, names);
    this.thread = options.thread ?? false;
    this.host = await this.startHost(names);
    this.watch = setInterval(() => void this.followPromotions(names), PROMOTION_CHECK_MS);
    this.watch.unref();
  }

  private startHost(names: readonly ProjectionName[]): Promise<ProjectorHost> {
    const onFailure = (error: Error) => this.onProjectorFailure(error);
    return this.thread
      ? startWorkerHost(this.config, names, onFailure)
      : runProjectors(this.config, this.store, names, this.log, onFailure);
  }

  private switching = false;

  private async followPromotions(names: readonly ProjectionName[]): Promise<void> {
    const host = this.host;
    if (!host || this.switching) return; // a check still running (a slow stop) must not start a second host
    this.switching = true;
    try {
      for (const [name, version] of host.versions) {
        const active = await activeVersion(this.reads[name].db, name);
        if (active && active.version !== version) {
          this.log.info({ projection: name, from: version, to: active.version }, "active version changed; restarting projectors");
          await host.stop();
          this.host = await this.startHost(names);
          return;
        }
      }
    } catch (error) {
      this.log.error({ err: (error as Error).message }, "following a promotion failed");
      this.onProjectorFailure(error as Error);
    } finally {
      this.switching = false;
    }
  }

  /** Head of the store and, per projection, its active version's position and lag; webhook endpoints disabled after failing (SPEC §11). */
  async health() {
    const head = await this.store.head();
    const nowMs = Date.now();
    const { lagMaxEvents, stallMs } = this.config.health;
    const projections = [];
    for (const name of PROJECTION_NAMES) {
      const a = await this.reads[name].active();
      const lag = Math.max(0, head - a.position);
      const seen = this.progress.get(name);
      if (!seen || seen.position !== a.position) this.progress.set(name, { position: a.position, sinceMs: nowMs });
      const stalledMs = seen && seen.position === a.position ? nowMs - seen.sinceMs : 0;
      const reason =
        lag > 0 && stalledMs >= stallMs
          ? `no progress for ${Math.round(stalledMs / 1000)} s while ${lag} event(s) behind: is a projector running? (LEDGER_PROJECTORS, ledger projectors)`
          : lag > lagMaxEvents
            ? `${lag} events behind the store's head (more than LEDGER_HEALTH_LAG_MAX_EVENTS=${lagMaxEvents})`
            : null;
      projections.push({ name, version: a.version, ruleVersion: a.ruleVersion, position: a.position, lag, status: reason === null ? ("ok" as const) : ("degraded" as const), ...(reason === null ? {} : { reason }) });
    }
    const disabledWebhooks = await this.reads.webhooks.read((tx, a) => disabledEndpoints(tx, a.prefix));
    return { head, projections, disabledWebhooks };
  }

  /**
   * Resolves once every projection has applied at least `position`, or throws ProjectionLagError
   * after timeoutMs (`why`: what the caller needed the position for, for the error's message).
   */
  async waitFor(names: readonly ProjectionName[], position: number, timeoutMs: number, why?: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let behind = false;
      for (const name of names) if ((await this.reads[name].active()).position < position) behind = true;
      if (!behind) return;
      if (Date.now() > deadline) throw new ProjectionLagError(names, position, why);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** From now on, POST /v1/events batches are validated and appended on a thread of their own (services/ingestThread.ts). */
  async startIngestThread(): Promise<void> {
    if (this.ingestThread) return;
    this.ingestThread = await startIngestThread(this.config);
    this.ingest = (request) => this.ingestOnThread(request);
  }

  /**
   * A batch on the ingest thread. A thread that ended on its own (a batch that needed more than its
   * heap) failed the batches it held: 500s, though one may have been committed just before, so a
   * resend is answered with duplicates. The next batch starts a new thread (one, however many
   * batches wait for it) instead of every later one failing until a restart.
   */
  private async ingestOnThread(request: IngestRequest): Promise<UnconditionalIngestResult> {
    let thread = this.ingestThread;
    if (thread === null || this.closing) throw new Error("the ledger is closing");
    if (!thread.alive()) {
      this.replacingIngestThread ??= (async () => {
        this.log.error("the ingest thread ended; starting a new one");
        await thread.stop();
        const next = await startIngestThread(this.config);
        if (this.closing) {
          await next.stop();
          throw new Error("the ledger is closing");
        }
        this.ingestThread = next;
        return next;
      })().finally(() => (this.replacingIngestThread = null));
      thread = await this.replacingIngestThread;
    }
    return thread.ingest(request);
  }

  async close(): Promise<void> {
    if (this.watch) clearInterval(this.watch);
    this.closing = true;
    await this.replacingIngestThread?.catch(() => undefined);
    await this.ingestThread?.stop();
    this.ingestThread = null;
    await this.host?.stop();
    this.host = null;
    for (const lock of this.locks) await lock.release();
    this.locks = [];
    for (const name of PROJECTION_NAMES) await this.reads[name].db.close();
    await this.store.close();
  }
}

export class ProjectionLagError extends Error {
  constructor(
    readonly names: readonly string[],
    readonly position: number,
    why?: string,
  ) {
    super(`projections ${names.join(", ")} have not reached position ${position} yet${why ? ` (${why})` : ""}; is a projector running? see LEDGER_PROJECTORS`);
  }
}
