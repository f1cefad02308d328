// runMany of an INSERT goes in multi-row statements on both adapters (SQLite: tuples per statement,
// then the tail row by row; PostgreSQL: each column as an array, unnest): the rows, their order and
// conflict handling are those of one row at a time.
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

  it("keeps every value as given: quotes, backslashes, braces, commas, NULL, the text 'NULL', unicode, integers past 2^53", async () => {
    const db = await open();
    await db.exec("CREATE TABLE odd (k BIGINT PRIMARY KEY, t TEXT, n BIGINT)");
    const texts = ['say "hi"', "back\\slash", "{braces}", "a,b", "", "NULL", null, "naïve ✓ 𝄞", "tab\tnew\nline", "'quote'"];
    const rows: SqlValue[][] = texts.map((t, i) => [i, t, i % 2 === 0 ? 2n ** 62n + BigInt(i) : -i]);
    await db.transaction((tx) => tx.runMany("INSERT INTO odd (k, t, n) VALUES (?, ?, ?)", rows));
    const stored = await db.query<{ k: unknown; t: string | null; n: unknown }>("SELECT k, t, n FROM odd ORDER BY k");
    expect(stored.map((r) => [Number(r.k), r.t, BigInt(r.n as bigint)])).toEqual(rows.map(([k, t, n]) => [k, t, BigInt(n as bigint)]));
    await db.close();
  });

  it("upserts 12,000 rows in chunks (an increment per key, as AdditiveRows writes them)", async () => {
    const db = await open();
    await db.exec("CREATE TABLE totals (k TEXT PRIMARY KEY, n BIGINT NOT NULL)");
    const add = "INSERT INTO totals (k, n) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET n = totals.n + excluded.n";
    const keys = Array.from({ length: 12_000 }, (_, i) => `k${i}`);
    await db.transaction((tx) =>
      tx.runMany(
        add,
        keys.map((k, i) => [k, i]),
      ),
    );
    await db.transaction((tx) =>
      tx.runMany(
        add,
        keys.map((k) => [k, 1]),
      ),
    );
    const [sum] = await db.query<{ count: unknown; total: unknown }>("SELECT COUNT(*) AS count, SUM(n) AS total FROM totals");
    expect([Number(sum!.count), Number(sum!.total)]).toEqual([12_000, (11_999 * 12_000) / 2 + 12_000]);
    await db.close();
  });
});

// PostgreSQL writes an INSERT's columns as arrays cast to the columns' types (unnest): those types
// are the table's as it is in the transaction, and the cast checks nothing a one-row insert would not.
describe("runMany (postgres): column arrays", () => {
  const open = () => openPostgresReadModelDb({ connectionString: PG_URL, schema });

  it("reads the columns' types in the transaction: a table made anew and rolled back leaves no trace", async () => {
    const db = await open();
    await db.exec("CREATE TABLE remade (k BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
    const failed = db.transaction(async (tx) => {
      await tx.run("DROP TABLE remade");
      await tx.run("CREATE TABLE remade (k TEXT PRIMARY KEY, n TEXT NOT NULL)");
      await tx.runMany("INSERT INTO remade (k, n) VALUES (?, ?)", [
        ["a", "x"],
        ["b", "y"],
      ]);
      throw new Error("rolled back");
    });
    await expect(failed).rejects.toThrow("rolled back");
    await db.transaction((tx) =>
      tx.runMany("INSERT INTO remade (k, n) VALUES (?, ?)", [
        [1, 2],
        [3, 4],
      ]),
    );
    const stored = await db.query<{ k: unknown; n: unknown }>("SELECT k, n FROM remade ORDER BY k");
    expect(stored.map((r) => [Number(r.k), Number(r.n)])).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await db.close();
  });

  it("refuses a value too long for its column as a one-row insert does, instead of cutting it", async () => {
    const db = await open();
    await db.exec("CREATE TABLE short (k BIGINT PRIMARY KEY, code VARCHAR(3) NOT NULL)");
    const many = db.transaction((tx) =>
      tx.runMany("INSERT INTO short (k, code) VALUES (?, ?)", [
        [1, "abc"],
        [2, "abcdef"],
      ]),
    );
    await expect(many).rejects.toThrow(/too long/);
    expect(await db.query("SELECT k FROM short")).toEqual([]);
    await db.close();
  });

  it("runs statements it does not rewrite row by row: upper-case names, array columns", async () => {
    const db = await open();
    await db.exec("CREATE TABLE shapes (k BIGINT PRIMARY KEY, tags TEXT[])");
    await db.transaction((tx) =>
      tx.runMany("INSERT INTO shapes (K, TAGS) VALUES (?, ?)", [
        [1, ["a", "b"] as unknown as string],
        [2, null],
      ]),
    );
    await db.transaction((tx) =>
      tx.runMany("INSERT INTO shapes (k, tags) VALUES (?, ?)", [
        [3, ["c"] as unknown as string],
        [4, null],
      ]),
    );
    const stored = await db.query<{ k: unknown; tags: string[] | null }>("SELECT k, tags FROM shapes ORDER BY k");
    expect(stored.map((r) => [Number(r.k), r.tags])).toEqual([
      [1, ["a", "b"]],
      [2, null],
      [3, ["c"]],
      [4, null],
    ]);
    await db.close();
  });
});
