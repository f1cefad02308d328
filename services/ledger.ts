// Wires one ledger process: the event store, the read-model databases, and (optionally) the
// projectors that run in this process. The API and the CLI both start from here.
import { asError } from "../domain/assert.ts";
import fs from "node:fs";
import type { Logger } from "pino";
import { ruleVersion, type RuleVersion } from "../domain/rules.ts";
import { openEventStore } from "../infra/eventStore/openEventStore.ts";
import type { EventStore } from "../infra/eventStore/port.ts";
import type { ProjectorLock } from "../infra/projectorLock.ts";
import type { ReadModelDb, ReadModelTx } from "../infra/readModel/port.ts";
import { DEFINITIONS } from "../projections/definitions.ts";
import { isMoneyProjection, PROJECTION_NAMES, tablePrefix, type ProjectionName } from "../projections/projection.ts";
import {
  activeVersion,
  listVersions,
  mismatchMessage,
  Projector,
  StoreMismatchError,
  VERSIONS_DDL,
  versionMismatch,
} from "../projections/projector.ts";
import type { LedgerConfig } from "./config.ts";
import { ingestRequest, type Ingest, type IngestRequest, type IngestRequestResult } from "./ingest/ingestRequest.ts";
import { startIngestThread, type IngestThread } from "./workers/ingestThread.ts";
import { lockProjections, openProjectionDb } from "./ledgerFiles.ts";
import { runProjectors, startWorkerHost, type ProjectorHost } from "./workers/projectorHost.ts";
import { webhookHealth } from "./webhooks/webhookHealth.ts";

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
  if (!info) throw new ProjectionNotBuiltError(name);
  return { prefix: tablePrefix(name, info.version), position: info.position, version: info.version, ruleVersion: info.ruleVersion };
}

function readSide(db: ReadModelDb, name: ProjectionName): ReadSide {
  return {
    db,
    active: () => activeIn(db, name),
    read: (fn) => db.snapshot(async (tx) => fn(tx, await activeIn(tx, name))),
  };
}

/**
 * At open, before any lock is held: the read model must come from this store as it is now (never
 * serve events the store lost). This process may not project it, and another process may be
 * projecting it right now, so this only reads (issue 22.3): it never resets, rebuilds or migrates a
 * read model — the process that holds the projection's lock does that (runProjectors, under
 * LEDGER_ON_STORE_MISMATCH). The one write: on a first start, when the projection has no version at
 * all, an empty active version, so reads never race the first projector start.
 */
async function checkReadModel(
  db: ReadModelDb,
  name: ProjectionName,
  store: EventStore,
  config: LedgerConfig,
  log: Logger,
  projects: boolean,
): Promise<void> {
  await db.exec(VERSIONS_DDL);
  const versions = await listVersions(db, name);
  if (versions.length === 0) {
    await Projector.open(db, DEFINITIONS[name], { ruleVersion: config.ruleVersion, log });
    return;
  }
  // This process projects it: checked (and with LEDGER_ON_STORE_MISMATCH=rebuild rebuilt) under its lock.
  if (projects) return;
  const active = versions.find((v) => v.status === "active");
  if (!active) return; // reads answer 503 until a projector makes one active
  const problem = await versionMismatch(active, store);
  if (problem === null) return;
  // Never served (its figures include events the store does not have) and never rebuilt from here,
  // whatever LEDGER_ON_STORE_MISMATCH says: only the process holding its lock may rebuild it.
  throw new StoreMismatchError(
    `${mismatchMessage(name, active.version, problem)} This process does not project ${name} (LEDGER_PROJECTORS), so it neither serves nor rebuilds it: ` +
      "start the process that projects it first.",
  );
}

/**
 * Why the money projections' figures disagree (issue 22.1), or null: their active versions are at
 * different rule versions, so an earnings total and the journal's balance of the same creator
 * differ. Health is degraded until they are promoted as one set.
 */
export function mixedRuleVersions(projections: readonly { name: ProjectionName; ruleVersion: number }[]): string | null {
  const money = projections.filter((p) => isMoneyProjection(p.name));
  if (new Set(money.map((p) => p.ruleVersion)).size <= 1) return null;
  return (
    `the money projections are active at different rule versions (${money.map((p) => `${p.name} ${p.ruleVersion}`).join(", ")}): their figures disagree; ` +
    "rebuild and promote them as one set (ledger replay money --rules N --promote)"
  );
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

  /**
   * Opens the store and the read side. `projects`: the projections this process will project
   * (startProjectors); their read models are checked against the store under their lock, the
   * others only read here (checkReadModel).
   */
  static async open(config: LedgerConfig, log: Logger, options: { projects?: readonly ProjectionName[] } = {}): Promise<Ledger> {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const store = await openEventStore(config.store);
    const reads = {} as Record<ProjectionName, ReadSide>;
    try {
      for (const name of PROJECTION_NAMES) {
        const db = await openProjectionDb(config, name, { log });
        reads[name] = readSide(db, name);
        await checkReadModel(db, name, store, config, log, options.projects?.includes(name) ?? false);
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
   * worker thread of its own (workers/projectorHost.ts). When a replay promotes another version
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
      this.log.error({ err: asError(error).message }, "following a promotion failed");
      this.onProjectorFailure(asError(error));
    } finally {
      this.switching = false;
    }
  }

  /** Head of the store and, per projection, its active version's position and lag; webhook endpoints disabled after failing and their backlogs (SPEC §11). */
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
      projections.push({ name, version: a.version, ruleVersion: a.ruleVersion, position: a.position, lag, reason });
    }
    const mixed = mixedRuleVersions(projections);
    const webhooks = await webhookHealth(this.reads.webhooks, this.store, this.config.webhooks, nowMs);
    return {
      head,
      projections: projections.map(({ reason: lagReason, ...p }) => {
        const reason = [lagReason, isMoneyProjection(p.name) ? mixed : null].filter((r) => r !== null).join("; ");
        return { ...p, status: reason === "" ? ("ok" as const) : ("degraded" as const), ...(reason === "" ? {} : { reason }) };
      }),
      webhooks,
    };
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

  /** From now on, POST /v1/events batches are validated and appended on a thread of their own (workers/ingestThread.ts). */
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
  private async ingestOnThread(request: IngestRequest): Promise<IngestRequestResult> {
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

/** A read of a projection that has no active version yet (a first start whose projector has not opened it). */
export class ProjectionNotBuiltError extends Error {
  constructor(readonly projection: ProjectionName) {
    super(`projection ${projection} has no active version yet; is a projector running? see LEDGER_PROJECTORS`);
  }
}

export class ProjectionLagError extends Error {
  constructor(
    readonly names: readonly string[],
    readonly position: number,
    why?: string,
  ) {
    super(
      `projections ${names.join(", ")} have not reached position ${position} yet${why ? ` (${why})` : ""}; is a projector running? see LEDGER_PROJECTORS`,
    );
  }
}
