// A projector: one version of one projection in a read-model database, with its checkpoint in the
// same transaction as its writes (a restart resumes exactly where the last commit ended).
//
// The checkpoint names the store it came from (the store's id) and the id of the event at its
// position, so a read model is never served or extended over a store that is not the one it was
// built from: a store rolled back behind the checkpoint, replaced by another one, or rewritten
// (verifyStore below).
import type { ReadModelDb, ReadModelTx } from "../infra/readModel/port.ts";
import { int } from "../infra/readModel/port.ts";
import { asError } from "../domain/assert.ts";
import type { EventStore } from "../infra/eventStore/port.ts";
import type { Outcome } from "../domain/engine/outcome.ts";
import { DEFINITIONS } from "./definitions.ts";
import { tablePrefix, type ProjectionBatch, type ProjectionDefinition, type ProjectionName, type VersionStatus } from "./projection.ts";
import { createProgressTable, recordCheckpointTime } from "./versionProgress.ts";

export interface VersionInfo {
  name: ProjectionName;
  version: number;
  ruleVersion: number;
  /** The table layout (ProjectionDefinition.format) this version was built with. */
  format: number;
  position: number;
  /** Id of the event at `position` (null at 0). */
  eventId: string | null;
  /** The store the version was built from (null until a projector first opens it over a store). */
  storeId: string | null;
  status: VersionStatus;
  createdAt: string;
}

export const VERSIONS_DDL = `CREATE TABLE IF NOT EXISTS projections (name TEXT NOT NULL, version INTEGER NOT NULL, rule_version INTEGER NOT NULL,
  format INTEGER NOT NULL, position BIGINT NOT NULL DEFAULT 0, event_id TEXT, store_id TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (name, version))`;

/** The meta table of the first releases (no format, no store identity): its versions are rebuilt. */
const LEGACY_META_TABLE = "projection_versions";

/**
 * Creates the versions table (once per database, before anything reads it). Versions recorded in
 * the first releases' table have no store identity and an older layout: their tables are dropped
 * and the projections rebuild from the store (read models are caches of the store).
 */
export async function ensureVersionsTable(db: ReadModelDb): Promise<void> {
  await db.exec(VERSIONS_DDL);
  let legacy: { name: ProjectionName; version: unknown }[];
  try {
    legacy = await db.query(`SELECT name, version FROM ${LEGACY_META_TABLE}`);
  } catch {
    return; // no legacy table
  }
  await db.transaction(async (tx) => {
    for (const row of legacy) {
      const definition = DEFINITIONS[row.name];
      if (!definition) continue;
      for (const table of Object.keys(definition.tables))
        await tx.run(`DROP TABLE IF EXISTS ${tablePrefix(row.name, int(row.version))}${table}`);
    }
    await tx.run(`DROP TABLE ${LEGACY_META_TABLE}`);
  });
}

type VersionRow = {
  version: unknown;
  rule_version: unknown;
  format: unknown;
  position: unknown;
  event_id: string | null;
  store_id: string | null;
  status: VersionStatus;
  created_at: string;
};

export async function listVersions(db: ReadModelTx, name: ProjectionName): Promise<VersionInfo[]> {
  const rows = await db.query<VersionRow>(
    "SELECT version, rule_version, format, position, event_id, store_id, status, created_at FROM projections WHERE name = ? ORDER BY version",
    [name],
  );
  return rows.map((r) => ({
    name,
    version: int(r.version),
    ruleVersion: int(r.rule_version),
    format: int(r.format),
    position: int(r.position),
    eventId: r.event_id,
    storeId: r.store_id,
    status: r.status,
    createdAt: r.created_at,
  }));
}

export async function activeVersion(db: ReadModelTx, name: ProjectionName): Promise<VersionInfo | null> {
  return (await listVersions(db, name)).find((v) => v.status === "active") ?? null;
}

export class CheckpointMovedError extends Error {
  constructor(name: string, version: number, expected: number) {
    super(`${name} v${version}: the checkpoint is no longer at ${expected}; another process is projecting this version`);
  }
}

/** The read model does not come from this store (or this store lost events it was built from). */
export class StoreMismatchError extends Error {
  readonly code = "store_mismatch";
}

/** What to do when a read model does not match the store: refuse to go on, or drop and rebuild it. */
export type MismatchPolicy = "refuse" | "rebuild";

export interface ProjectorLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export class Projector {
  private position_ = 0;
  private storeId_: string | null = null;
  /** Outcomes added since the last commit, folded (null: none). */
  private batch: ProjectionBatch | null = null;
  /** Why an add failed, once one did. */
  private broken: Error | null = null;

  private constructor(
    readonly db: ReadModelDb,
    readonly definition: ProjectionDefinition,
    readonly version: number,
    readonly ruleVersion: number,
  ) {}

  get name(): ProjectionName {
    return this.definition.name;
  }

  get prefix(): string {
    return tablePrefix(this.name, this.version);
  }

  /** Last position this projector committed. */
  get position(): number {
    return this.position_;
  }

  /**
   * Opens (creating if needed) one version. Without `version`, the active one; when the
   * projection has no version yet, version 1 at `ruleVersion` becomes active. A version built with
   * another table layout (an older release) is dropped and starts again from position 0.
   */
  static async open(
    db: ReadModelDb,
    definition: ProjectionDefinition,
    options: { ruleVersion: number; version?: number; status?: VersionStatus; log?: ProjectorLog },
  ): Promise<Projector> {
    await db.exec(VERSIONS_DDL);
    await createProgressTable(db);
    const versions = await listVersions(db, definition.name);
    let info =
      options.version === undefined ? versions.find((v) => v.status === "active") : versions.find((v) => v.version === options.version);
    if (!info) {
      const version = options.version ?? 1;
      const status = options.status ?? (versions.some((v) => v.status === "active") ? "building" : "active");
      const createdAt = new Date().toISOString();
      await db.run(
        "INSERT INTO projections (name, version, rule_version, format, position, status, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
        [definition.name, version, options.ruleVersion, definition.format, status, createdAt],
      );
      await recordCheckpointTime(db, definition.name, version, Date.now()); // a new version counts as moving
      info = {
        name: definition.name,
        version,
        ruleVersion: options.ruleVersion,
        format: definition.format,
        position: 0,
        eventId: null,
        storeId: null,
        status,
        createdAt,
      };
    }
    const projector = new Projector(db, definition, info.version, info.ruleVersion);
    projector.position_ = info.position;
    projector.storeId_ = info.storeId;
    if (info.format !== definition.format) {
      options.log?.warn(
        { projection: definition.name, version: info.version, format: info.format, expected: definition.format },
        "read model has an older table layout; rebuilding it from the store",
      );
      await projector.reset();
    }
    await db.exec(definition.schema(projector.prefix, db.dialect));
    await projector.createReadIndexes(); // a build that stopped half-way left them out
    return projector;
  }

  private readIndexSql(): { drop: string[]; create: string[] } {
    const entries = Object.entries(this.definition.readIndexes ?? {});
    return {
      drop: entries.map(([name]) => `DROP INDEX IF EXISTS ${this.prefix}${name}`),
      create: entries.map(([name, on]) => `CREATE INDEX IF NOT EXISTS ${this.prefix}${name} ON ${this.prefix}${on}`),
    };
  }

  /** Before a build from position 0: write without the read-only indexes (ProjectionDefinition.readIndexes). */
  async dropReadIndexes(): Promise<void> {
    for (const sql of this.readIndexSql().drop) await this.db.exec(sql);
  }

  async createReadIndexes(): Promise<void> {
    for (const sql of this.readIndexSql().create) await this.db.exec(sql);
  }

  /**
   * Checks that this version was built from `store` as it is now: the same store id, a position
   * the store has, and the same event at that position. A mismatch refuses (StoreMismatchError), or
   * with the `rebuild` policy drops the version's tables so it rebuilds from position 0.
   */
  async verifyStore(store: EventStore, policy: MismatchPolicy, log?: ProjectorLog): Promise<void> {
    const problem = await this.mismatchWith(store);
    if (problem === null) {
      if (this.storeId_ === null) await this.adopt(store.storeId);
      return;
    }
    if (policy === "refuse") throw new StoreMismatchError(mismatchMessage(this.name, this.version, problem));
    log?.warn(
      { projection: this.name, version: this.version, problem },
      "read model does not match the event store; rebuilding it (LEDGER_ON_STORE_MISMATCH=rebuild)",
    );
    await this.reset();
    await this.adopt(store.storeId);
  }

  private async mismatchWith(store: EventStore): Promise<string | null> {
    const info = (await listVersions(this.db, this.name)).find((v) => v.version === this.version);
    if (!info) throw new Error(`${this.name} v${this.version} has no row in the projections table`);
    return versionMismatch(info, store);
  }

  private async adopt(storeId: string): Promise<void> {
    await this.db.run("UPDATE projections SET store_id = ? WHERE name = ? AND version = ?", [storeId, this.name, this.version]);
    this.storeId_ = storeId;
  }

  /**
   * Adds outcomes to the batch in progress (ProjectionBatch): those past this projector's position,
   * in ascending positions, after the ones added before. Nothing is written until commit. An add
   * that fails leaves a batch folded in part: this projector refuses everything after it (a new one
   * resumes from the checkpoint).
   */
  async add(outcomes: readonly Outcome[]): Promise<void> {
    this.refuseIfBroken();
    const fresh = outcomes.filter((o) => o.position > this.position_);
    if (fresh.length === 0) return;
    this.batch ??= this.definition.batch(this.db, this.prefix);
    try {
      await this.batch.add(fresh);
    } catch (error) {
      this.batch = null;
      this.broken = asError(error);
      throw error;
    }
  }

  private refuseIfBroken(): void {
    if (this.broken !== null)
      throw new Error(`${this.name} v${this.version}: an earlier add failed (${this.broken.message}); open it again`);
  }

  /** Writes the batch in progress and moves the checkpoint to `last`, in one transaction. */
  async commit(last: { position: number; eventId: string }): Promise<void> {
    this.refuseIfBroken();
    const batch = this.batch;
    this.batch = null;
    if (last.position <= this.position_) return;
    await this.db.transaction(async (tx) => {
      await batch?.write(tx);
      // The checkpoint moves only from where this projector left it: if another process projected
      // this version meanwhile, nothing commits and this projector stops (never counts twice).
      const moved = await tx.run("UPDATE projections SET position = ?, event_id = ? WHERE name = ? AND version = ? AND position = ?", [
        last.position,
        last.eventId,
        this.name,
        this.version,
        this.position_,
      ]);
      if (moved !== 1) throw new CheckpointMovedError(this.name, this.version, this.position_);
      // Read as "someone is projecting this version" (versionProgress.ts): a rebuild holds no lock.
      await recordCheckpointTime(tx, this.name, this.version, Date.now());
    });
    this.position_ = last.position;
  }

  /** Drops this version's tables and resets its checkpoint (a rebuild from position 0). */
  async reset(): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const table of Object.keys(this.definition.tables)) await tx.run(`DROP TABLE IF EXISTS ${this.prefix}${table}`);
      await tx.run("UPDATE projections SET position = 0, event_id = NULL, store_id = NULL, format = ? WHERE name = ? AND version = ?", [
        this.definition.format,
        this.name,
        this.version,
      ]);
    });
    await this.db.exec(this.definition.schema(this.prefix, this.db.dialect));
    await this.createReadIndexes();
    this.position_ = 0;
    this.storeId_ = null;
    this.batch = null;
  }
}

/**
 * Whether a version was built from `store` as it is now (null) or what does not match. `info` is one
 * row read in one statement, so its position and the id of the event there belong together: a
 * checkpoint read at one moment and an event id read at another (while a projector moves it) would
 * report a mismatch that is not there (issue 22.3). Reads only.
 */
export async function versionMismatch(info: VersionInfo, store: EventStore): Promise<string | null> {
  if (info.position === 0) return null; // nothing from any store yet
  if (info.storeId !== null && info.storeId !== store.storeId)
    return `it was built from store ${info.storeId}, this is store ${store.storeId}`;
  const head = await store.head();
  if (head < info.position)
    return `it has applied events up to position ${info.position} but the store ends at position ${head} (rolled back or replaced?)`;
  const [event] = await store.readForward(info.position - 1, 1);
  if (info.eventId !== null && event?.id !== info.eventId)
    return `the event at position ${info.position} is '${event?.id}', the read model applied '${info.eventId}' there`;
  return null;
}

/** The message of a read model that does not match its store (StoreMismatchError). */
export function mismatchMessage(name: ProjectionName, version: number, problem: string): string {
  return (
    `read model ${name} v${version} does not match the event store: ${problem}. Restore the store it was built from, or start the process that ` +
    "projects it with LEDGER_ON_STORE_MISMATCH=rebuild to drop the read model and rebuild it from this store."
  );
}

/** Makes `version` the active one and retires the previous active version, atomically (SPEC §6). */
export async function promote(db: ReadModelDb, name: ProjectionName, version: number): Promise<void> {
  await db.transaction((tx) => promoteIn(tx, name, version));
}

/** The promotion of one version inside a transaction the caller commits (promote, or a set's promotion). */
export async function promoteIn(tx: ReadModelTx, name: ProjectionName, version: number): Promise<void> {
  const rows = await tx.query<{ version: unknown }>("SELECT version FROM projections WHERE name = ? AND version = ?", [name, version]);
  if (rows.length === 0) throw new Error(`${name} has no version ${version}`);
  await tx.run("UPDATE projections SET status = 'retired' WHERE name = ? AND status = 'active'", [name]);
  await tx.run("UPDATE projections SET status = 'active' WHERE name = ? AND version = ?", [name, version]);
}
