// SQLite files that only cache what the event store holds (read models, engine snapshots). A
// damaged one — truncated, overwritten with garbage, not a database — is named in the log, deleted
// and made again, and what it held is rebuilt from the store. The event store itself is never
// opened this way: a damaged store refuses to start (sqliteEventStore.ts).
import { asError } from "../domain/assert.ts";
import Database from "better-sqlite3";
import fs from "node:fs";
import { hasDamageCode, permissionProblem } from "./sqliteFileProblems.ts";

export interface CacheFileLog {
  warn(obj: object, msg?: string): void;
}

export class DamagedFileError extends Error {}

function isDamage(error: unknown): boolean {
  return error instanceof DamagedFileError || hasDamageCode(error);
}

/** The permissions that caused an error when they did (sqliteFileProblems.ts), as a clause to append. */
function permissionsClause(file: string, error: unknown): string {
  const permissions = permissionProblem(file, error);
  return permissions === null ? "" : ` — ${permissions}`;
}

/** Opens the file and checks its structure (PRAGMA quick_check: every page, no index cross-check). */
function openChecked(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    const result = db.pragma("quick_check", { simple: true });
    if (result !== "ok") throw new DamagedFileError(String(result));
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens a cache file in WAL mode; a damaged one is deleted (with its -wal and -shm) and made anew.
 * `made` tells the caller that whatever it held is gone (a read model then rebuilds from 0).
 */
export function openCacheFile(file: string, what: string, log: CacheFileLog | undefined): Database.Database {
  try {
    return openChecked(file);
  } catch (error) {
    if (!isDamage(error)) throw new Error(`${what} ${file}: ${asError(error).message}${permissionsClause(file, error)}`);
    log?.warn({ file, err: asError(error).message }, `${what} is damaged; deleting it and rebuilding it from the event store`);
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
    return openChecked(file);
  }
}

/**
 * A writer must be able to write: a read-only file (permissions, an immutable flag, a read-only
 * mount) fails here, at start, not after the API has acknowledged events it cannot project.
 */
export function assertWritable(db: Database.Database, file: string, what: string): void {
  try {
    db.pragma(`user_version = ${Number(db.pragma("user_version", { simple: true }))}`);
  } catch (error) {
    throw new Error(
      `${what} ${file} cannot be written (${asError(error).message}); a process that projects needs it writable${permissionsClause(file, error)}`,
    );
  }
}
