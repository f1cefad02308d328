// A projector's checkpoint moves only from where it left it (projections/projector.ts): a second
// process projecting the same version fails instead of counting the same events twice.
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteReadModelDb } from "../../infra/readModel/sqliteReadModelDb.ts";
import { earningsOf } from "../../projections/earnings/earningsQueries.ts";
import { CheckpointMovedError, ensureVersionsTable, Projector } from "../../projections/projector.ts";
import { earningsProjection } from "../../projections/earnings/earningsProjection.ts";
import { accepted, campaignCreated, line, run, shipped } from "../support/domainFixtures.ts";
import { tempDir } from "../support/projectionHarness.ts";
import path from "node:path";
import fs from "node:fs";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** The fixture's three events folded by the engine: a campaign, an acceptance, a shipment (standard 1.80). */
function fixtureOutcomes() {
  return run([
    campaignCreated({ id: "cc-1" }),
    accepted({ id: "acc-1" }),
    shipped({ id: "shp-1", lines: [line("A9", "kitchen", 2, "20.00")] }), // 40.00 × 0.045 = 1.80
  ]).outcomes;
}

function earningsFile(): string {
  const dir = tempDir();
  dirs.push(dir);
  return path.join(dir, "earnings.db");
}

describe("a projector's batch (Projector.add, commit)", () => {
  it("writes nothing until commit, then the batch and the checkpoint together", async () => {
    const db = openSqliteReadModelDb(earningsFile());
    const projector = await Projector.open(db, earningsProjection, { ruleVersion: 1 });
    const outcomes = fixtureOutcomes();
    await projector.add(outcomes.slice(0, 2));
    await projector.add(outcomes.slice(2));
    expect(await earningsOf(db, projector.prefix, "K1")).toEqual([]);
    expect(await db.query("SELECT position FROM projections WHERE name = 'earnings'")).toEqual([{ position: 0n }]);
    await projector.commit({ position: 3, eventId: "shp-1" });
    expect((await earningsOf(db, projector.prefix, "K1"))[0]?.totals.standard).toBe("1.80");
    expect(await db.query("SELECT position FROM projections WHERE name = 'earnings'")).toEqual([{ position: 3n }]);
    await db.close();
  });

  it("after an add that failed, refuses to commit what it folded in part; a projector opened again resumes at its checkpoint", async () => {
    const file = earningsFile();
    const db = openSqliteReadModelDb(file);
    let adds = 0;
    const failingSecondAdd = {
      ...earningsProjection,
      batch(read: Parameters<typeof earningsProjection.batch>[0], prefix: string) {
        const batch = earningsProjection.batch(read, prefix);
        return {
          add: async (outcomes: Parameters<typeof batch.add>[0]) => {
            adds += 1;
            if (adds === 2) throw new Error("disk full");
            await batch.add(outcomes);
          },
          write: batch.write,
        };
      },
    };
    const broken = await Projector.open(db, failingSecondAdd, { ruleVersion: 1 });
    const outcomes = fixtureOutcomes();
    await broken.add(outcomes.slice(0, 2));
    await expect(broken.add(outcomes.slice(2))).rejects.toThrow("disk full");
    await expect(broken.commit({ position: 3, eventId: "shp-1" })).rejects.toThrow(
      "earnings v1: an earlier add failed (disk full); open it again",
    );
    expect(await db.query("SELECT position FROM projections WHERE name = 'earnings'")).toEqual([{ position: 0n }]);
    const again = await Projector.open(db, earningsProjection, { ruleVersion: 1 });
    await again.add(outcomes);
    await again.commit({ position: 3, eventId: "shp-1" });
    expect((await earningsOf(db, again.prefix, "K1"))[0]?.totals.standard).toBe("1.80");
    await db.close();
  });
});

describe("two processes projecting one version", () => {
  it("the second one's commit is refused and nothing is counted twice", async () => {
    const file = earningsFile();
    const outcomes = fixtureOutcomes();
    const dbA = openSqliteReadModelDb(file);
    const dbB = openSqliteReadModelDb(file);
    const a = await Projector.open(dbA, earningsProjection, { ruleVersion: 1 });
    const b = await Projector.open(dbB, earningsProjection, { ruleVersion: 1 });
    await a.add(outcomes);
    await a.commit({ position: 3, eventId: "shp-1" });
    await b.add(outcomes);
    await expect(b.commit({ position: 3, eventId: "shp-1" })).rejects.toBeInstanceOf(CheckpointMovedError);
    const earnings = await earningsOf(dbA, a.prefix, "K1");
    expect(earnings[0]?.totals.standard).toBe("1.80");
    await dbA.close();
    await dbB.close();
  });
});

describe("read models of another layout are rebuilt, not misread", () => {
  it("a version built with another table layout (format) starts again from position 0 with empty tables", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = openSqliteReadModelDb(path.join(dir, "earnings.db"));
    const projector = await Projector.open(db, earningsProjection, { ruleVersion: 1 });
    await db.run(`INSERT INTO ${projector.prefix}creators (creator_id, position) VALUES ('K1', 1)`);
    await db.run("UPDATE projections SET position = 7, event_id = 'e7', format = ? WHERE name = 'earnings'", [
      earningsProjection.format - 1,
    ]);
    const reopened = await Projector.open(db, { ...earningsProjection }, { ruleVersion: 1 });
    expect(reopened.position).toBe(0);
    expect(await db.query(`SELECT creator_id FROM ${reopened.prefix}creators`)).toEqual([]);
    expect(await db.query("SELECT position, event_id, format FROM projections WHERE name = 'earnings'")).toEqual([
      { position: 0n, event_id: null, format: BigInt(earningsProjection.format) },
    ]);
    await db.close();
  });

  it("the first releases' meta table (projection_versions) is dropped with the tables it listed", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = openSqliteReadModelDb(path.join(dir, "earnings.db"));
    await db.exec(`CREATE TABLE projection_versions (name TEXT NOT NULL, version INTEGER NOT NULL, rule_version INTEGER NOT NULL,
      position BIGINT NOT NULL DEFAULT 0, status TEXT NOT NULL, PRIMARY KEY (name, version));
      INSERT INTO projection_versions VALUES ('earnings', 1, 1, 282, 'active');
      CREATE TABLE earnings_v1_totals (creator_id TEXT, marketplace TEXT, standard BIGINT);
      INSERT INTO earnings_v1_totals VALUES ('K1', 'US', 600);`);
    await ensureVersionsTable(db);
    const tables = await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    expect(tables.map((t) => t.name)).toEqual(["projections"]);
    const projector = await Projector.open(db, earningsProjection, { ruleVersion: 1 });
    expect(projector.position).toBe(0);
    await db.close();
  });
});
