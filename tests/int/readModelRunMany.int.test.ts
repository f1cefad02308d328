// runMany of an INSERT goes in multi-row statements on both adapters (tuples per statement, then the
// tail row by row): the rows, their order and conflict handling are those of one row at a time.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ReadModelDb, SqlValue } from "../../infra/readModel/port.ts";
import { openPostgresReadModelDb } from "../../infra/readModel/postgresReadModelDb.ts";
import { openSqliteReadModelDb } from "../../infra/readModel/sqliteReadModelDb.ts";
import { dropSchema, PG_URL, randomSchema } from "../support/pgTest.ts";
import { tempDir } from "../support/projectionHarness.ts";

const dir = tempDir();
const schema = randomSchema("runmany");
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await dropSchema(schema);
});

const kinds: [string, () => Promise<ReadModelDb>][] = [
  ["sqlite", async () => openSqliteReadModelDb(path.join(dir, "runmany.db"))],
  ["postgres", () => openPostgresReadModelDb({ connectionString: PG_URL, schema })],
];

describe.each(kinds)("runMany (%s)", (_kind, open) => {
  it("inserts 1,237 rows (many full statements and a tail) in order, first one of a duplicate key kept", async () => {
    const db = await open();
    await db.exec("CREATE TABLE log (k TEXT PRIMARY KEY, position BIGINT NOT NULL, note TEXT)");
    const rows: SqlValue[][] = Array.from({ length: 1_237 }, (_, i) => [
      `k${String(i % 1_200).padStart(4, "0")}`,
      i,
      i % 7 === 0 ? null : `n${i}`,
    ]);
    await db.transaction((tx) => tx.runMany("INSERT INTO log (k, position, note) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", rows));
    const stored = await db.query<{ k: string; position: unknown; note: string | null }>(
      "SELECT k, position, note FROM log ORDER BY position",
    );
    expect(stored).toHaveLength(1_200);
    expect(stored.map((r) => [r.k, Number(r.position), r.note])).toEqual(rows.slice(0, 1_200));
    await db.close();
  });

  it("upserts that add, with a literal in the tuple run row by row", async () => {
    const db = await open();
    await db.exec("CREATE TABLE sums (k TEXT PRIMARY KEY, n BIGINT NOT NULL, seen BIGINT NOT NULL)");
    const add =
      "INSERT INTO sums (k, n, seen) VALUES (?, ?, 1) ON CONFLICT (k) DO UPDATE SET n = sums.n + excluded.n, seen = sums.seen + 1";
    const rows: SqlValue[][] = Array.from({ length: 300 }, (_, i) => [`k${i % 100}`, i]);
    await db.transaction((tx) => tx.runMany(add, rows));
    const stored = await db.query<{ k: string; n: unknown; seen: unknown }>("SELECT k, n, seen FROM sums WHERE k IN ('k0', 'k99')");
    expect(stored.map((r) => [r.k, Number(r.n), Number(r.seen)]).sort()).toEqual([
      ["k0", 0 + 100 + 200, 3],
      ["k99", 99 + 199 + 299, 3],
    ]);
    await db.close();
  });
});
