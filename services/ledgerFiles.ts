// The files and locks of a ledger process's read side: each projection's database (its own SQLite
// file, or the shared PostgreSQL schema), the lock a projecting process holds on it, and the engine
// snapshot file.
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { openSqliteSnapshotStore, type SnapshotStore } from "../infra/engineSnapshots.ts";
import type { EventStore } from "../infra/eventStore/port.ts";
import { lockPostgresProjection, lockSqliteProjection, ProjectorLockedError, type ProjectorLock } from "../infra/projectorLock.ts";
import type { ReadModelDb } from "../infra/readModel/port.ts";
import { openSqliteReadModelDb } from "../infra/readModel/sqliteReadModelDb.ts";
import type { ProjectionName } from "../projections/projection.ts";
import type { LedgerConfig } from "./config.ts";

/**
 * Opens the database of one projection: its own SQLite file, or the shared PostgreSQL schema.
 * `writer`: this process projects into it (a read-only file then fails here, at start).
 */
export async function openProjectionDb(
  config: LedgerConfig,
  name: ProjectionName,
  options: { writer?: boolean; log?: Logger } = {},
): Promise<ReadModelDb> {
  if (config.readModels.kind === "sqlite") {
    fs.mkdirSync(config.readModels.dir, { recursive: true });
    return openSqliteReadModelDb(path.join(config.readModels.dir, `${name}.db`), options);
  }
  const { openPostgresReadModelDb } = await import("../infra/readModel/postgresReadModelDb.ts");
  return openPostgresReadModelDb(config.readModels);
}

/** Takes the lock of each projection this process projects (infra/projectorLock.ts); all or none. */
export async function lockProjections(config: LedgerConfig, names: readonly ProjectionName[]): Promise<ProjectorLock[]> {
  const locks: ProjectorLock[] = [];
  try {
    for (const name of names) {
      const readModels = config.readModels;
      locks.push(
        readModels.kind === "sqlite"
          ? lockSqliteProjection(readModels.dir, name)
          : await lockPostgresProjection(readModels.connectionString, readModels.schema, name),
      );
    }
    return locks;
  } catch (error) {
    for (const lock of locks) await lock.release();
    throw error;
  }
}

/** Whether some process (a server, `ledger projectors`) projects `name` now: it holds the lock. */
export async function isProjected(config: LedgerConfig, name: ProjectionName): Promise<boolean> {
  try {
    const locks = await lockProjections(config, [name]);
    for (const lock of locks) await lock.release();
    return false;
  } catch (error) {
    if (error instanceof ProjectorLockedError) return true;
    throw error;
  }
}

/** The engine snapshot file of a data directory (a cache: see infra/engineSnapshots.ts). */
export function openSnapshots(config: LedgerConfig, store: EventStore, log: Logger): SnapshotStore {
  return openSqliteSnapshotStore(path.join(config.dataDir, "engine-snapshots.db"), { storeId: store.storeId, log });
}
