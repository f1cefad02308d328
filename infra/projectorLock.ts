// One projecting process per projection: a process that runs a projector holds that projection's
// lock for as long as it runs, and a second one is refused at start (with a message saying who
// holds it) instead of failing on its first write with requests in flight.
//
//  - SQLite read models: `<dir>/<projection>.lock`, a small SQLite file held in exclusive locking
//    mode. The operating system releases the lock when the process ends, also on SIGKILL, so a
//    crashed process never leaves a stale lock behind.
//  - PostgreSQL read models: a session-level advisory lock on a dedicated connection, released by
//    the server when that connection ends.
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export class ProjectorLockedError extends Error {
  readonly code = "projector_locked";
}

export interface ProjectorLock {
  release(): Promise<void>;
}

const HOLDER_FILE_SUFFIX = ".holder";

function refusal(projection: string, where: string, holder: string): ProjectorLockedError {
  return new ProjectorLockedError(
    `projection ${projection} in ${where} is already projected by another process (${holder}); ` +
      "stop it, or start this one without that projector (LEDGER_PROJECTORS=none for an API beside it)",
  );
}

export function lockSqliteProjection(dir: string, projection: string): ProjectorLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${projection}.lock`);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    // The first write takes the exclusive lock; in exclusive locking mode it is kept until close.
    db.exec("BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock (x); COMMIT");
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
    let holder = "pid unknown";
    try {
      holder = `pid ${fs.readFileSync(file + HOLDER_FILE_SUFFIX, "utf8").trim()}`;
    } catch {
      // the holder did not write its pid (yet)
    }
    throw refusal(projection, dir, holder);
  }
  fs.writeFileSync(file + HOLDER_FILE_SUFFIX, `${process.pid}\n`);
  return {
    async release() {
      db.close();
    },
  };
}

/** A 64-bit advisory lock key from the schema and projection names. */
function advisoryKey(schema: string, projection: string): string {
  return createHash("sha256").update(`ledger-projector:${schema}:${projection}`).digest().readBigInt64BE(0).toString();
}

export async function lockPostgresProjection(connectionString: string, schema: string, projection: string): Promise<ProjectorLock> {
  const client = new pg.Client({ connectionString });
  client.on("error", () => {}); // a lost connection loses the lock; the next write then fails its checkpoint guard
  await client.connect();
  const key = advisoryKey(schema, projection);
  const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [key]);
  if (!rows[0]!.locked) {
    const holders = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = $1::bigint",
      [key],
    );
    await client.end();
    throw refusal(
      projection,
      `PostgreSQL schema ${schema}`,
      holders.rows.length > 0 ? `PostgreSQL backend pid ${holders.rows[0]!.pid}` : "another session",
    );
  }
  return {
    async release() {
      await client.end();
    },
  };
}
