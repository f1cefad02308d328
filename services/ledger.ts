// Wires one ledger process: the event store, the read-model databases, and (optionally) the
// projectors that run in this process. The API and the CLI both start from here.
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { ruleVersion, type RuleVersion } from "../domain/rules.ts";
import { openSqliteSnapshotStore, type SnapshotStore } from "../infra/engineSnapshots.ts";
import { openEventStore } from "../infra/eventStore/openEventStore.ts";
import type { EventStore } from "../infra/eventStore/port.ts";
import type { ReadModelDb, ReadModelTx } from "../infra/readModel/port.ts";
import { openSqliteReadModelDb } from "../infra/readModel/sqliteReadModelDb.ts";
import { serializeTransactions } from "../infra/readModel/serialized.ts";
import { lockPostgresProjection, lockSqliteProjection, type ProjectorLock } from "../infra/projectorLock.ts";
import { DEFINITIONS } from "../projections/definitions.ts";
import { PROJECTION_NAMES, tablePrefix, type ProjectionName } from "../projections/projection.ts";
import { activeVersion, ensureVersionsTable, Projector } from "../projections/projector.ts";
import { ProjectionRunner } from "../projections/runner.ts";
import { disabledEndpoints } from "../projections/webhooks/webhookQueries.ts";
import type { LedgerConfig } from "./config.ts";
import { WebhookDeliveryWorker } from "./webhooks/deliveryWorker.ts";

/**
 * Opens the database of one projection: its own SQLite file, or the shared PostgreSQL schema.
 * `writer`: this process projects into it (a read-only file then fails here, at start).
 */
export async function openProjectionDb(config: LedgerConfig, name: ProjectionName, options: { writer?: boolean; log?: Logger } = {}): Promise<ReadModelDb> {
  if (config.readModels.kind === "sqlite") {
    fs.mkdirSync(config.readModels.dir, { recursive: true });
    return openSqliteReadModelDb(path.join(config.readModels.dir, `${name}.db`), options);
  }
  const { openPostgresReadModelDb } = await import("../infra/readModel/postgresReadModelDb.ts");
  return openPostgresReadModelDb(config.readModels);
}

/** Takes the lock of each projection this process projects (infra/projectorLock.ts); all or none. */
async function lockProjections(config: LedgerConfig, names: readonly ProjectionName[]): Promise<ProjectorLock[]> {
  const locks: ProjectorLock[] = [];
  try {
    for (const name of names) {
      const readModels = config.readModels;
      locks.push(readModels.kind === "sqlite" ? lockSqliteProjection(readModels.dir, name) : await lockPostgresProjection(readModels.connectionString, readModels.schema, name));
    }
    return locks;
  } catch (error) {
    for (const lock of locks) await lock.release();
    throw error;
  }
}

/** The engine snapshot file of a data directory (a cache: see infra/engineSnapshots.ts). */
export function openSnapshots(config: LedgerConfig, store: EventStore, log: Logger): SnapshotStore {
  return openSqliteSnapshotStore(path.join(config.dataDir, "engine-snapshots.db"), { storeId: store.storeId, log });
}

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
  runner: ProjectionRunner | null = null;
  private snapshots: SnapshotStore | null = null;
  private writers: ReadModelDb[] = [];
  /** Sends webhooks wherever the webhooks projector runs (services/webhooks/deliveryWorker.ts). */
  private deliveries: WebhookDeliveryWorker | null = null;
  private locks: ProjectorLock[] = [];

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

  /**
   * Starts the configured projectors in this process (catch up, then live). When a replay
   * promotes another version (SPEC §6), the runner restarts on the newly active versions.
   */
  async startProjectors(names: readonly ProjectionName[] = this.config.projectors): Promise<ProjectionRunner | null> {
    if (names.length === 0) return null;
    // Refused at start when another process projects one of these (never on a first write).
    this.locks = await lockProjections(this.config, names);
    const runner = await this.startRunner(names);
    this.watch = setInterval(() => void this.followPromotions(names), PROMOTION_CHECK_MS);
    this.watch.unref();
    return runner;
  }

  private switching = false;

  private async followPromotions(names: readonly ProjectionName[]): Promise<void> {
    const runner = this.runner;
    if (!runner || this.switching) return; // a check still running (a slow stop) must not start a second runner
    this.switching = true;
    try {
      await this.switchIfPromoted(runner, names);
    } catch (error) {
      this.log.error({ err: (error as Error).message }, "following a promotion failed");
      this.onProjectorFailure(error as Error);
    } finally {
      this.switching = false;
    }
  }

  private async switchIfPromoted(runner: ProjectionRunner, names: readonly ProjectionName[]): Promise<void> {
    for (const projector of runner.projectors) {
      const active = await activeVersion(this.reads[projector.name].db, projector.name);
      if (active && active.version !== projector.version) {
        this.log.info({ projection: projector.name, from: projector.version, to: active.version }, "active version changed; restarting projectors");
        await runner.stop();
        await this.closeWriters();
        await this.startRunner(names);
        return;
      }
    }
  }

  private async closeWriters(): Promise<void> {
    await this.deliveries?.stop();
    this.deliveries = null;
    await this.snapshots?.close();
    this.snapshots = null;
    for (const db of this.writers) await db.close();
    this.writers = [];
  }

  private async startRunner(names: readonly ProjectionName[]): Promise<ProjectionRunner> {
    const projectors: Projector[] = [];
    for (const name of names) {
      // The webhooks projector shares its database with the delivery worker: one transaction at a time.
      const db = serializeTransactions(await openProjectionDb(this.config, name, { writer: true, log: this.log }));
      this.writers.push(db);
      const projector = await Projector.open(db, DEFINITIONS[name], { ruleVersion: this.config.ruleVersion, log: this.log });
      await projector.verifyStore(this.store, this.config.onStoreMismatch, this.log);
      projectors.push(projector);
    }
    this.snapshots = openSnapshots(this.config, this.store, this.log);
    const group = [...names].sort().join("+");
    const runner = new ProjectionRunner({ store: this.store, projectors, group, snapshots: this.snapshots, log: this.log, onFailure: (e) => this.onProjectorFailure(e) });
    this.runner = runner;
    await runner.start();
    const webhooks = projectors.find((p) => p.name === "webhooks");
    if (webhooks) {
      this.deliveries = new WebhookDeliveryWorker({
        db: webhooks.db,
        prefix: webhooks.prefix,
        settings: this.config.webhooks,
        log: this.log,
      });
      this.deliveries.start();
    }
    return runner;
  }

  /** Head of the store and, per projection, its active version's position and lag; webhook endpoints disabled after failing (SPEC §11). */
  async health() {
    const head = await this.store.head();
    const projections = [];
    for (const name of PROJECTION_NAMES) {
      const a = await this.reads[name].active();
      projections.push({ name, version: a.version, ruleVersion: a.ruleVersion, position: a.position, lag: Math.max(0, head - a.position) });
    }
    const disabledWebhooks = await this.reads.webhooks.read((tx, a) => disabledEndpoints(tx, a.prefix));
    return { head, projections, disabledWebhooks };
  }

  /** Resolves once every projection has applied at least `position` (or throws after timeoutMs). */
  async waitFor(names: readonly ProjectionName[], position: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let behind = false;
      for (const name of names) if ((await this.reads[name].active()).position < position) behind = true;
      if (!behind) return;
      if (Date.now() > deadline) throw new ProjectionLagError(names, position);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    if (this.watch) clearInterval(this.watch);
    await this.runner?.stop();
    await this.closeWriters();
    for (const lock of this.locks) await lock.release();
    this.locks = [];
    for (const name of PROJECTION_NAMES) await this.reads[name].db.close();
    await this.store.close();
  }
}

export class ProjectionLagError extends Error {
  constructor(readonly names: readonly string[], readonly position: number) {
    super(`projections ${names.join(", ")} have not reached position ${position} yet (is a projector running? see LEDGER_PROJECTORS)`);
  }
}
