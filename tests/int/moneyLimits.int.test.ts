// A stored amount that would pass what a BIGINT holds (±9.2 × 10^18 minor units) fails loudly,
// on SQLite and PostgreSQL alike, instead of turning into a rounded float (SQLite's silent default).
// Below that limit every sum is exact (tests/e2e/largeSums.e2e.test.ts).
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { moneyColumn, type ReadModelDb } from "../../infra/readModel/port.ts";
import { openPostgresReadModelDb } from "../../infra/readModel/postgresReadModelDb.ts";
import { openSqliteReadModelDb } from "../../infra/readModel/sqliteReadModelDb.ts";
import { AdditiveRows } from "../../projections/additive.ts";
import { dropSchema, PG_URL, randomSchema } from "../support/pgTest.ts";
import { tempDir } from "../support/projectionHarness.ts";

const INT64_MAX = 9_223_372_036_854_775_807n;
const dir = tempDir();
const schema = randomSchema("limits");
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await dropSchema(schema);
});

const kinds: [string, () => Promise<ReadModelDb>][] = [
  ["sqlite", async () => openSqliteReadModelDb(path.join(dir, "limits.db"))],
  ["postgres", () => openPostgresReadModelDb({ connectionString: PG_URL, schema })],
];

describe.each(kinds)("money columns at the 64-bit limit (%s)", (_kind, open) => {
  it("sums exactly up to the limit, and refuses to pass it", async () => {
    const db = await open();
    await db.exec(`CREATE TABLE totals (k TEXT PRIMARY KEY, ${moneyColumn("amount", db.dialect)})`);
    const rows = new AdditiveRows(["k"], ["amount"]);
    rows.add(["a"], [INT64_MAX - 10n]);
    await db.transaction((tx) => rows.write(tx, "totals"));
    rows.add(["a"], [6]);
    rows.add(["a"], [4]);
    await db.transaction((tx) => rows.write(tx, "totals"));
    expect(String((await db.query<{ amount: unknown }>("SELECT amount FROM totals"))[0]!.amount)).toBe(INT64_MAX.toString());
    rows.add(["a"], [1]);
    await expect(db.transaction((tx) => rows.write(tx, "totals"))).rejects.toThrow(/CHECK constraint failed|out of range/);
    expect(String((await db.query<{ amount: unknown }>("SELECT amount FROM totals"))[0]!.amount)).toBe(INT64_MAX.toString());
    await db.close();
  });
});
