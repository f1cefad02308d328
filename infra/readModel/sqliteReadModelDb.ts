// SQLite read-model database (better-sqlite3, WAL). Each projection has its own file, away from
// the event store, so projectors in different processes never contend for one writer lock.
// A read-model file is a cache of the store: a damaged one is deleted and rebuilt (sqliteCacheFile.ts).
import type Database from "better-sqlite3";
import { assertWritable, openCacheFile, type CacheFileLog } from "../sqliteCacheFile.ts";
import { insertShape, type ReadModelDb, type ReadModelTx, type SqlValue } from "./port.ts";

const CREATE_INDEX = /^\s*CREATE\s+(UNIQUE\s+)?INDEX\b/i;

/** Tuples per multi-row INSERT, and parameters per statement (SQLite's own limit is 32,766). */
const SQLITE_TUPLES_MAX = 64;
const SQLITE_PARAMS_MAX = 999;
/**
 * Helper threads SQLite may sort with while it builds an index (PRAGMA threads). Read indexes are
 * built once a rebuild has caught up, when the engine's thread has nothing left to do: the sort
 * uses that core (docs/scaling.md).
 */
const INDEX_SORT_THREADS = 1;

export interface SqliteReadModelOptions {
  /** This process writes the file (it runs the projector): a read-only file then fails at once. */
  writer?: boolean;
  log?: CacheFileLog;
}

export function openSqliteReadModelDb(file: string, options: SqliteReadModelOptions = {}): ReadModelDb {
  const db: Database.Database = openCacheFile(file, "read model", options.log);
  if (options.writer) assertWritable(db, file, "read model");
  // The checkpoint commits with the writes; a crash loses at most the last transactions, which
  // replay from the checkpoint (projections are rebuildable), so NORMAL is enough here.
  db.pragma("synchronous = NORMAL");
  // Integers come back as bigint: a sum of amounts may pass 2^53 (port.ts: minor, int).
  db.defaultSafeIntegers(true);
  db.pragma("cache_size = -4096"); // 4 MiB per projection (RSS budget: four projections in one process)
  db.pragma("wal_autocheckpoint = 10000"); // fewer, larger checkpoints: a rebuild writes pages all over its B-trees
  // A multi-row INSERT inside the batch's transaction keeps a statement journal (the pages it
  // changes, to undo it alone should it fail); in a temporary file every random index insert copies
  // its page out with a pwrite, in memory it is small and lives for one statement (docs/scaling.md
  // has the profile). The setting covers the connection's other temporary storage too: the sorts of
  // reads, which are bounded (pages, ≤ 90-day reports); index builds are switched back to files
  // (exec below).
  db.pragma("temp_store = MEMORY");
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  // Per INSERT: its many-tuple form, worked out once (null: not a plain INSERT … VALUES); prepared
  // when first used.
  const manyTuples = new Map<string, { manySql: string; perStatement: number } | null>();
  const tuplesOf = (sql: string) => {
    let tuples = manyTuples.get(sql);
    if (tuples === undefined) {
      const shape = insertShape(sql);
      tuples = null;
      if (shape !== null) {
        const perStatement = Math.max(1, Math.min(SQLITE_TUPLES_MAX, Math.floor(SQLITE_PARAMS_MAX / shape.width)));
        tuples = { manySql: shape.withTuples(perStatement), perStatement };
      }
      manyTuples.set(sql, tuples);
    }
    return tuples;
  };
  const tx: ReadModelTx = {
    async run(sql, params = []) {
      return prepare(sql).run(...(params as SqlValue[])).changes;
    },
    async runMany(sql, rows) {
      // An INSERT goes in tuples of many rows per statement: one call into SQLite per chunk instead
      // of one per row (the per-call cost dominated rebuilds); the tail row by row. Rows are passed
      // as arrays, which better-sqlite3 binds in order: flattening them first into one call's ~1,000
      // spread arguments cost the projectors measurable time (docs/scaling.md).
      const single = prepare(sql);
      const tuples = tuplesOf(sql);
      let start = 0;
      if (tuples !== null && rows.length >= tuples.perStatement) {
        const { perStatement } = tuples;
        const statement = prepare(tuples.manySql);
        for (; start + perStatement <= rows.length; start += perStatement) statement.run(...rows.slice(start, start + perStatement));
      }
      for (; start < rows.length; start += 1) single.run(rows[start]);
    },
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      return prepare(sql).all(...(params as SqlValue[])) as T[];
    },
  };
  let inTransaction = false;
  return {
    dialect: "sqlite",
    ...tx,
    async exec(sql) {
      if (!CREATE_INDEX.test(sql)) {
        db.exec(sql);
        return;
      }
      // Building an index sorts every row of its table. Its spill files belong on disk: with the
      // statement journals' temp_store=MEMORY they would be in memory, on top of the rebuild's own
      // peak (docs/scaling.md). Only statements that start with CREATE INDEX (the read indexes) are
      // switched; indexes in a schema's DDL are made on empty tables.
      db.pragma("temp_store = FILE");
      db.pragma(`threads = ${INDEX_SORT_THREADS}`);
      try {
        db.exec(sql);
      } finally {
        db.pragma("threads = 0");
        db.pragma("temp_store = MEMORY");
      }
    },
    async transaction(fn) {
      // One connection per projector, used by one writer at a time: a nested call is a bug.
      if (inTransaction) throw new Error("sqlite read model: nested transaction");
      inTransaction = true;
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(tx);
        db.exec("COMMIT");
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw error;
      } finally {
        inTransaction = false;
      }
    },
    async snapshot(fn) {
      // A deferred transaction in WAL mode reads one snapshot; SQLite calls are synchronous, so
      // no other request runs on this connection until fn's reads are done.
      if (inTransaction || db.inTransaction) return fn(tx);
      inTransaction = true;
      db.exec("BEGIN");
      try {
        return await fn(tx);
      } finally {
        if (db.inTransaction) db.exec("COMMIT");
        inTransaction = false;
      }
    },
    async close() {
      statements.clear();
      db.close();
    },
  };
}
