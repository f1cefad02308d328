// A projector: one version of one projection in a read-model database, with its checkpoint in the
// same transaction as its writes (a restart resumes exactly where the last commit ended).
import type { Outcome } from "../domain/engine/outcome.ts";
import type { ReadModelDb, ReadModelTx } from "../infra/readModel/port.ts";
import { int } from "../infra/readModel/port.ts";
import { tablePrefix, type ProjectionDefinition, type ProjectionName } from "./projection.ts";

export type VersionStatus = "active" | "building" | "retired";

export interface VersionInfo {
  name: ProjectionName;
  version: number;
  ruleVersion: number;
  position: number;
  status: VersionStatus;
}

const META_DDL = `CREATE TABLE IF NOT EXISTS projection_versions (name TEXT NOT NULL, version INTEGER NOT NULL, rule_version INTEGER NOT NULL,
  position BIGINT NOT NULL DEFAULT 0, status TEXT NOT NULL, PRIMARY KEY (name, version))`;

/** Creates the versions table (once per database, before anything reads it). */
export async function ensureVersionsTable(db: ReadModelDb): Promise<void> {
  await db.exec(META_DDL);
}

export async function listVersions(db: ReadModelTx, name: ProjectionName): Promise<VersionInfo[]> {
  const rows = await db.query<{ version: unknown; rule_version: unknown; position: unknown; status: VersionStatus }>(
    "SELECT version, rule_version, position, status FROM projection_versions WHERE name = ? ORDER BY version",
    [name],
  );
  return rows.map((r) => ({ name, version: int(r.version), ruleVersion: int(r.rule_version), position: int(r.position), status: r.status }));
}

export async function activeVersion(db: ReadModelTx, name: ProjectionName): Promise<VersionInfo | null> {
  return (await listVersions(db, name)).find((v) => v.status === "active") ?? null;
}

export class CheckpointMovedError extends Error {
  constructor(name: string, version: number, expected: number) {
    super(`${name} v${version}: the checkpoint is no longer at ${expected}; another process is projecting this version`);
  }
}

export class Projector {
  private position_ = 0;

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
   * projection has no version yet, version 1 at `ruleVersion` becomes active.
   */
  static async open(db: ReadModelDb, definition: ProjectionDefinition, options: { ruleVersion: number; version?: number; status?: VersionStatus }): Promise<Projector> {
    await ensureVersionsTable(db);
    const versions = await listVersions(db, definition.name);
    let info = options.version === undefined ? versions.find((v) => v.status === "active") : versions.find((v) => v.version === options.version);
    if (!info) {
      const version = options.version ?? 1;
      const status = options.status ?? (versions.some((v) => v.status === "active") ? "building" : "active");
      await db.run("INSERT INTO projection_versions (name, version, rule_version, position, status) VALUES (?, ?, ?, 0, ?)", [definition.name, version, options.ruleVersion, status]);
      info = { name: definition.name, version, ruleVersion: options.ruleVersion, position: 0, status };
    }
    const projector = new Projector(db, definition, info.version, info.ruleVersion);
    await db.exec(definition.schema(projector.prefix));
    projector.position_ = info.position;
    return projector;
  }

  /** Applies the outcomes of events up to `lastPosition` (some events have none for this projection). */
  async apply(outcomes: readonly Outcome[], lastPosition: number): Promise<void> {
    if (lastPosition <= this.position_) return;
    const fresh = outcomes.filter((o) => o.position > this.position_);
    await this.db.transaction(async (tx) => {
      await this.definition.apply(tx, this.prefix, fresh);
      // The checkpoint moves only from where this projector left it: if another process projected
      // this version meanwhile, nothing commits and this projector stops (never counts twice).
      const moved = await tx.run("UPDATE projection_versions SET position = ? WHERE name = ? AND version = ? AND position = ?", [lastPosition, this.name, this.version, this.position_]);
      if (moved !== 1) throw new CheckpointMovedError(this.name, this.version, this.position_);
    });
    this.position_ = lastPosition;
  }

  /** Drops this version's tables and resets its checkpoint (a rebuild from position 0). */
  async reset(): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const table of Object.keys(this.definition.tables)) await tx.run(`DROP TABLE IF EXISTS ${this.prefix}${table}`);
      await tx.run("UPDATE projection_versions SET position = 0 WHERE name = ? AND version = ?", [this.name, this.version]);
    });
    await this.db.exec(this.definition.schema(this.prefix));
    this.position_ = 0;
  }
}

/** Makes `version` the active one and retires the previous active version, atomically (SPEC §6). */
export async function promote(db: ReadModelDb, name: ProjectionName, version: number): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx.query<{ version: unknown }>("SELECT version FROM projection_versions WHERE name = ? AND version = ?", [name, version]);
    if (rows.length === 0) throw new Error(`${name} has no version ${version}`);
    await tx.run("UPDATE projection_versions SET status = 'retired' WHERE name = ? AND status = 'active'", [name]);
    await tx.run("UPDATE projection_versions SET status = 'active' WHERE name = ? AND version = ?", [name, version]);
  });
}
