// A projector's checkpoint moves only from where it left it (projections/projector.ts): a second
// process projecting the same version fails instead of counting the same events twice.
import { afterEach, describe, expect, it } from "vitest";
import { applyEvent } from "../../domain/engine/engine.ts";
import { emptyState } from "../../domain/engine/state.ts";
import { toCurrentEvent } from "../../domain/events/current.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { RULES_V1 } from "../../domain/rules.ts";
import { openSqliteReadModelDb } from "../../infra/readModel/sqliteReadModelDb.ts";
import { earningsOf } from "../../projections/earnings/earningsQueries.ts";
import { CheckpointMovedError, Projector } from "../../projections/projector.ts";
import { earningsProjection } from "../../projections/earnings/earningsProjection.ts";
import { accepted, campaignCreated, line, shipped } from "../support/domainFixtures.ts";
import { tempDir } from "../support/projectionHarness.ts";
import path from "node:path";
import fs from "node:fs";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("two processes projecting one version", () => {
  it("the second one's commit is refused and nothing is counted twice", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, "earnings.db");
    const validation = validateBatch([
      campaignCreated({ id: "cc-1" }),
      accepted({ id: "acc-1" }),
      shipped({ id: "shp-1", lines: [line("A9", "kitchen", 2, "20.00")] }), // 40.00 × 0.045 = 1.80
    ]);
    if (!validation.ok) throw new Error("fixture invalid");
    const state = emptyState();
    const outcomes = validation.events.map((e, i) => applyEvent(state, RULES_V1, toCurrentEvent({ ...e, position: i + 1 })));

    const dbA = openSqliteReadModelDb(file);
    const dbB = openSqliteReadModelDb(file);
    const a = await Projector.open(dbA, earningsProjection, { ruleVersion: 1 });
    const b = await Projector.open(dbB, earningsProjection, { ruleVersion: 1 });
    await a.apply(outcomes, 3);
    await expect(b.apply(outcomes, 3)).rejects.toBeInstanceOf(CheckpointMovedError);
    const earnings = await earningsOf(dbA, a.prefix, "K1");
    expect(earnings[0]?.totals.standard).toBe("1.80");
    await dbA.close();
    await dbB.close();
  });
});
