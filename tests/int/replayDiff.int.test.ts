// SPEC §6 replay: rule versions are data. Rule version 2 (domain/rules.ts RULES_V2_EXAMPLE) changes
// one rate (toys 0.03 → 0.04); rebuilding earnings at v2 and diffing must list exactly the
// affected creators and amounts, while v1 keeps serving until the promotion.
import { afterEach, describe, expect, it } from "vitest";
import { earningsOf } from "../../projections/earnings/earningsQueries.ts";
import { activeVersion } from "../../projections/projector.ts";
import { diffVersions, promote, rebuild } from "../../services/replay.ts";
import { accepted, campaignCreated, line, shipped } from "../support/domainFixtures.ts";
import { appendRaw, catchUp, openEnv, type ProjectionEnv } from "../support/projectionHarness.ts";

let env: ProjectionEnv | null = null;
afterEach(async () => {
  await env?.close();
  env = null;
});

const events = [
  campaignCreated({ id: "cc-1", campaignId: "C1", asins: ["A-OTHER"] }),
  accepted({ id: "acc-1", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
  accepted({ id: "acc-2", campaignId: "C1", creatorId: "K2", trackingId: "T2" }),
  // K1: toys, 3 × 9.99 = 29.97; v1 0.03 → 0.8991 → 0.90; v2 0.04 → 1.1988 → 1.20 (difference 0.30)
  shipped({ id: "shp-1", shipmentId: "S1", orderId: "O1", trackingId: "T1", lines: [line("A1", "toys", 3, "9.99")] }),
  // K2: kitchen, 2 × 20.00 = 40.00 × 0.045 = 1.80 under both versions: not in the diff
  shipped({ id: "shp-2", shipmentId: "S2", orderId: "O2", trackingId: "T2", lines: [line("A2", "kitchen", 2, "20.00")] }),
];

describe("replay at rule version 2 with one changed rate", () => {
  it("diff lists exactly the affected creator and amount; v1 serves until promotion", async () => {
    env = await openEnv("sqlite");
    await appendRaw(env.store, events);
    await catchUp(env.store, env.dbs);
    const db = env.dbs.earnings;

    const { projector: v2 } = await rebuild(env.store, db, "earnings", { ruleVersion: 2, defaultRuleVersion: 1 });
    expect(v2.version).toBe(2);
    expect(v2.position).toBe(5);
    expect((await activeVersion(db, "earnings"))?.version).toBe(1); // still serving v1

    expect(await diffVersions(db, "earnings", 1, 2)).toEqual([
      {
        key: { creator_id: "K1", campaign_id: "C1", marketplace: "US" },
        field: "standard",
        oldMinor: 90n,
        newMinor: 120n,
        differenceMinor: 30n,
      },
    ]);
    expect(await diffVersions(env.dbs.earnings, "earnings", 1, 1)).toEqual([]);

    await promote(db, "earnings", 2);
    expect((await activeVersion(db, "earnings"))?.version).toBe(2);
    const k1 = await earningsOf(db, "earnings_v2_", "K1");
    expect(k1[0]?.totals).toEqual({
      standard: "1.20",
      bonusPending: "0.00",
      bonusConfirmed: "0.00",
      bonusForfeited: "0.00",
      reversed: "0.00",
      adjusted: "0.00",
      total: "1.20",
    });
  });
});
