// The four read models over a hand-written fixture (tests/support/projectionHarness.ts: PHASE_A..C,
// positions P1..P32), on SQLite and on PostgreSQL read-model databases (the store is SQLite).
// Every expected value is worked out by hand from SPEC §4-5 in the comments; none is computed by
// the code under test (DESIGN: tests by tier).
//
// ── The arithmetic (rule numbers of SPEC §4; amounts in USD unless JPY) ──────────────────────────
// C-US: budget 12.00, bonus 0.10, ASINs A1 A2, [2026-03-01T08:00Z, 2026-04-01T07:00Z).
// C-JP: budget 100000 JPY, bonus 0.05, ASIN J1, [2026-02-28T15:00Z, 2026-03-31T15:00Z).
//
// P12 S1 (K1, LA 03-10, month 2026-03), order O1:
//   A1 toys 3 × 19.99 = 59.97 → standard 59.97 × 0.03 = 1.7991 → 1.80; bonus 5.997 → 6.00 pending
//   (remaining 12.00 → 6.00).  B9 electronics 1 × 100.00 → standard 2.50; B9 not a campaign ASIN.
// P13 S2 (K2, LA 03-12), order O2: A2 kitchen 2 × 25.00 = 50.00 → standard 2.25; bonus 5.00 pending
//   (remaining 6.00 → 1.00).
// P14 S3 (K1, LA 03-15), order O3: A1 toys 1 × 30.00 → standard 0.90; bonus 3.00 capped to 1.00
//   (rule 4: partial) → remaining 0: exhausted, exhaustedAt 2026-03-15T18:00:00Z.
// P15 S4 (K1, LA 03-15), order O3 again: A2 grocery 1 × 10.00 → standard 0.10; bonus 0 (exhausted).
// P16 return of S2 A2 × 1 (LA 03-20): standard reversal round(2.25 × 1/2 = 1.125) = 1.12 (half-even);
//   revenue −25.00; bonus still pending → pending return round(5.00 × 1/2) = 2.50 (month 2026-03),
//   back to the budget: spent 9.50, released 2.50, remaining 2.50, not exhausted.
// P17 S5 (K1, LA 03-22), order O5: A1 toys 1 × 40.00 → standard 1.20; bonus 4.00 capped to 2.50
//   → remaining 0 again, exhaustedAt 2026-03-22T18:00:00Z.
// P20 SJ1 (K1, Tokyo 2026-04-01 01:00 → month 2026-04, day 04-01), order OJ1:
//   J1 toys 2 × 1500 = 3000 → standard 90; bonus 150 pending.  J2 beauty 1 × 2999 → standard
//   89.97 → 90 (JPY has no minor digits).
// P21 CampaignEnded C-US (rule 5), pending lines in recorded order S1, S2, S3, S5:
//   K1 qualifies ("#ad" at P7): confirm 6.00 (S1), 1.00 (S3), 2.50 (S5) = 9.50, months stay 2026-03.
//   K2 does not (P8 "badge"): forfeit S2: bonus_forfeit 5.00 on 03-12 and −2.50 on 03-20 (net 2.50
//   forfeited), back to the budget: spent 12.00 − 2.50 = 9.50, released 5.00, remaining 2.50.
// P22 CampaignEnded C-JP: K1 qualifies ("ADVERTISEMENT" at P9) → confirm 150.
// P23 S7 (K2, LA 04-02, month 2026-04), after the end: A2 home 1 × 10.00 → standard 0.30; bonus
//   1.00 (remaining 2.50) forfeited at once, never touching the budget.
// P24 S6 (K1, LA 04-02), after the end: A1 toys 2 × 20.00 = 40.00 → standard 1.20; bonus 4.00
//   capped to 2.50, confirmed at once → spent 12.00, exhaustedAt 2026-04-02T18:00:00Z.
// P25 return of S1 A1 × 1 (LA 04-10, month 2026-04): standard reversal round(1.80 / 3) = 0.60;
//   revenue round(59.97 / 3) = 19.99; confirmed bonus → reversal round(6.00 / 3) = 2.00
//   → spent 10.00, released 7.00, remaining 2.00.  Z9: anomaly, nothing else.
//
// K1 US: standard 1.80 + 2.50 + 0.90 + 0.10 + 1.20 + 1.20 = 7.70; confirmed 9.50 + 2.50 = 12.00;
//   reversed −0.60 − 2.00 = −2.60; total 7.70 + 12.00 − 2.60 = 17.10.
//   2026-03: standard 6.50, confirmed 9.50, total 16.00 (payable 2026-04-01 + 60 d = 2026-05-31).
//   2026-04: standard 1.20, confirmed 2.50, reversed −2.60, total 1.10 (payable 2026-06-30).
// K1 JP: standard 90 + 90 = 180, confirmed 150, total 330, all in 2026-04 (payable 2026-06-30).
// K2 US: standard 2.25 + 0.30 = 2.55; forfeited 2.50 + 1.00 = 3.50; reversed −1.12; total 1.43.
//   2026-03: standard 2.25, forfeited 2.50, reversed −1.12, total 1.13.  2026-04: 0.30, forfeited 1.00.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES_V1 } from "../../domain/rules.ts";
import type { ReadModelTx } from "../../infra/readModel/port.ts";
import { creatorAnomalies } from "../../projections/anomalies.ts";
import { budgetView, campaignRow } from "../../projections/budget/budgetQueries.ts";
import { creatorExists, earningsOf } from "../../projections/earnings/earningsQueries.ts";
import { ledgerOf } from "../../projections/journal/journalQueries.ts";
import { payoutOf, payoutsOfMarketplace, type PayoutLine } from "../../projections/payout/payoutQueries.ts";
import type { ProjectionName } from "../../projections/projection.ts";
import { creatorReport, reportRowsOf } from "../../projections/report/reportQueries.ts";
import type { ProjectionRunner } from "../../projections/runner.ts";
import {
  FIXTURE_HEAD,
  PHASE_A,
  PHASE_B,
  PHASE_C,
  appendRaw,
  checkpoints,
  makeRunner,
  openEnv,
  prefixes,
  type ProjectionEnv,
  type ReadModelKind,
} from "../support/projectionHarness.ts";

/** The buckets of SPEC §5; no adjustment in this fixture (adjusted is zero in the total's digits). */
const B = (standard: string, bonusPending: string, bonusConfirmed: string, bonusForfeited: string, reversed: string, total: string) => ({
  standard,
  bonusPending,
  bonusConfirmed,
  bonusForfeited,
  reversed,
  adjusted: total.includes(".") ? "0.00" : "0",
  total,
});

async function budgetOf(tx: ReadModelTx, prefix: string, campaignId: string) {
  const row = await campaignRow(tx, prefix, campaignId, "now");
  return row === null ? null : budgetView(row);
}

async function reportOf(tx: ReadModelTx, prefix: string, creatorId: string, from: string, to: string, campaignId: string | null) {
  return creatorReport(await reportRowsOf(tx, prefix, { creatorId, campaignId }, from, to));
}

function payoutBodies(lines: PayoutLine[]): Record<string, unknown>[] {
  return lines.map((l) => ({ creatorId: l.creatorId, payableMinor: l.payableMinor, ...l.body }));
}

describe.each<ReadModelKind>(["sqlite", "postgres"])("read models over the hand-written fixture (%s)", (kind) => {
  let env: ProjectionEnv;
  let runner: ProjectionRunner;
  let p: Record<ProjectionName, string>;
  // Answers captured at the end of phases A and B (the final state is queried in the tests).
  let budgetAfterA: Awaited<ReturnType<typeof budgetOf>>;
  let checkpointsAfterA: Record<ProjectionName, number>;
  let payoutsAfterB: Record<string, PayoutLine[]>;

  beforeAll(async () => {
    env = await openEnv(kind);
    runner = await makeRunner(env.store, env.dbs, { batchSize: 4 }); // several batches per phase
    p = await prefixes(env.dbs);

    expect((await appendRaw(env.store, PHASE_A)).lastPosition).toBe(24);
    expect(await runner.catchUp()).toBe(24);
    budgetAfterA = await budgetOf(env.dbs.budget, p.budget, "C-US");
    checkpointsAfterA = await checkpoints(env.dbs);

    expect((await appendRaw(env.store, PHASE_B)).lastPosition).toBe(31);
    expect(await runner.catchUp()).toBe(31);
    payoutsAfterB = {
      "K1@2026-05-30": await payoutOf(env.dbs.payout, p.payout, "K1", "2026-05-30", RULES_V1),
      "K1@2026-05-31": await payoutOf(env.dbs.payout, p.payout, "K1", "2026-05-31", RULES_V1),
      "K2@2026-05-30": await payoutOf(env.dbs.payout, p.payout, "K2", "2026-05-30", RULES_V1),
      "K2@2026-05-31": await payoutOf(env.dbs.payout, p.payout, "K2", "2026-05-31", RULES_V1),
      "US@2026-05-31": await payoutsOfMarketplace(env.dbs.payout, p.payout, "US", "2026-05-31", RULES_V1),
    };

    expect((await appendRaw(env.store, PHASE_C)).lastPosition).toBe(FIXTURE_HEAD);
    expect(await runner.catchUp()).toBe(FIXTURE_HEAD);
  });

  afterAll(async () => {
    await runner?.stop();
    await env?.close();
  });

  it("every projection's checkpoint reaches the store head after each phase", async () => {
    expect(checkpointsAfterA).toEqual({ journal: 24, earnings: 24, budget: 24, report: 24, payout: 24, webhooks: 24 });
    expect(await checkpoints(env.dbs)).toEqual({ journal: 32, earnings: 32, budget: 32, report: 32, payout: 32, webhooks: 32 });
    expect(runner.projectors.map((x) => x.position)).toEqual([32, 32, 32, 32, 32, 32]);
  });

  describe("earnings", () => {
    it("K1: totals, months with payableOn, campaigns with contentSubmitted, per marketplace (JP before US)", async () => {
      expect(await earningsOf(env.dbs.earnings, p.earnings, "K1")).toEqual([
        {
          marketplace: "JP",
          currency: "JPY",
          totals: B("180", "0", "150", "0", "0", "330"),
          months: [{ month: "2026-04", payableOn: "2026-06-30", ...B("180", "0", "150", "0", "0", "330") }],
          campaigns: [{ campaignId: "C-JP", contentSubmitted: true, ...B("180", "0", "150", "0", "0", "330") }],
        },
        {
          marketplace: "US",
          currency: "USD",
          totals: B("7.70", "0.00", "12.00", "0.00", "-2.60", "17.10"),
          months: [
            // 1.80 + 2.50 + 0.90 + 0.10 + 1.20 = 6.50; confirmed 6.00 + 1.00 + 2.50 = 9.50
            { month: "2026-03", payableOn: "2026-05-31", ...B("6.50", "0.00", "9.50", "0.00", "0.00", "16.00") },
            // S6 1.20 + 2.50 confirmed at once; return of S1 −0.60 − 2.00 booked in the return's month
            { month: "2026-04", payableOn: "2026-06-30", ...B("1.20", "0.00", "2.50", "0.00", "-2.60", "1.10") },
          ],
          campaigns: [{ campaignId: "C-US", contentSubmitted: true, ...B("7.70", "0.00", "12.00", "0.00", "-2.60", "17.10") }],
        },
      ]);
    });

    it("K2: forfeited bonus is not earned; the pending return lowered the pending bonus, not `reversed`", async () => {
      expect(await earningsOf(env.dbs.earnings, p.earnings, "K2")).toEqual([
        {
          marketplace: "US",
          currency: "USD",
          totals: B("2.55", "0.00", "0.00", "3.50", "-1.12", "1.43"),
          months: [
            // pending 5.00 − 2.50 (return) → forfeited 2.50 at the end; standard 2.25 − 1.12
            { month: "2026-03", payableOn: "2026-05-31", ...B("2.25", "0.00", "0.00", "2.50", "-1.12", "1.13") },
            { month: "2026-04", payableOn: "2026-06-30", ...B("0.30", "0.00", "0.00", "1.00", "0.00", "0.30") },
          ],
          campaigns: [{ campaignId: "C-US", contentSubmitted: false, ...B("2.55", "0.00", "0.00", "3.50", "-1.12", "1.43") }],
        },
      ]);
    });

    it("knows which creators exist", async () => {
      expect(await creatorExists(env.dbs.earnings, p.earnings, "K1")).toBe(true);
      expect(await creatorExists(env.dbs.earnings, p.earnings, "K2")).toBe(true);
      expect(await creatorExists(env.dbs.earnings, p.earnings, "K3")).toBe(false);
      expect(await earningsOf(env.dbs.earnings, p.earnings, "K3")).toEqual([]);
    });

    it("anomalies: per creator in position order; creator-less ones in no creator's list", async () => {
      const k1 = await creatorAnomalies(env.dbs.earnings, p.earnings, "K1", FIXTURE_HEAD, 100);
      expect(k1.map((a) => [a.position, a.eventId, a.code])).toEqual([
        [6, "acc-k1-dup", "duplicate_acceptance"],
        [25, "ret-1", "asin_not_in_shipment"],
        [30, "pm-k1-jp", "payment_method_not_offered"],
      ]);
      for (const a of k1) expect(a.message.length).toBeGreaterThan(0);
      const k2 = await creatorAnomalies(env.dbs.earnings, p.earnings, "K2", FIXTURE_HEAD, 100);
      expect(k2.map((a) => [a.position, a.eventId, a.code])).toEqual([[8, "cl-k2-us", "missing_disclosure"]]);
      expect(await creatorAnomalies(env.dbs.earnings, p.earnings, "K1", FIXTURE_HEAD, 2)).toHaveLength(2);

      const all = await env.dbs.earnings.query<{ position: unknown; code: string; creator_id: string | null }>(
        `SELECT position, code, creator_id FROM ${p.earnings}anomalies ORDER BY position, idx`,
      );
      expect(all.map((a) => [Number(a.position), a.code, a.creator_id])).toEqual([
        [6, "duplicate_acceptance", "K1"],
        [8, "missing_disclosure", "K2"],
        [19, "unknown_tracking_id", null],
        [25, "asin_not_in_shipment", "K1"],
        [26, "campaign_already_ended", null],
        [30, "payment_method_not_offered", "K1"],
      ]);
    });
  });

  describe("ledger (audit trail)", () => {
    // [position, seq, sourceEventId, kind, campaignId, shipmentId, asin, amount, currency, earningMonth, rate]
    const K1_LEDGER = [
      [12, 0, "shp-1", "standard", "C-US", "S1", "A1", "1.80", "USD", "2026-03", "0.03"],
      [12, 1, "shp-1", "bonus_pending", "C-US", "S1", "A1", "6.00", "USD", "2026-03", "0.10"],
      [12, 2, "shp-1", "standard", "C-US", "S1", "B9", "2.50", "USD", "2026-03", "0.025"],
      [14, 0, "shp-3", "standard", "C-US", "S3", "A1", "0.90", "USD", "2026-03", "0.03"],
      [14, 1, "shp-3", "bonus_pending", "C-US", "S3", "A1", "1.00", "USD", "2026-03", "0.10"],
      [15, 0, "shp-4", "standard", "C-US", "S4", "A2", "0.10", "USD", "2026-03", "0.01"],
      [17, 0, "shp-5", "standard", "C-US", "S5", "A1", "1.20", "USD", "2026-03", "0.03"],
      [17, 1, "shp-5", "bonus_pending", "C-US", "S5", "A1", "2.50", "USD", "2026-03", "0.10"],
      [20, 0, "shp-j1", "standard", "C-JP", "SJ1", "J1", "90", "JPY", "2026-04", "0.03"],
      [20, 1, "shp-j1", "bonus_pending", "C-JP", "SJ1", "J1", "150", "JPY", "2026-04", "0.05"],
      [20, 2, "shp-j1", "standard", "C-JP", "SJ1", "J2", "90", "JPY", "2026-04", "0.03"],
      // seq 1 and 2 of P21 are K2's forfeit
      [21, 0, "campaign-ended:C-US", "bonus_confirm", "C-US", "S1", "A1", "6.00", "USD", "2026-03", "0.10"],
      [21, 3, "campaign-ended:C-US", "bonus_confirm", "C-US", "S3", "A1", "1.00", "USD", "2026-03", "0.10"],
      [21, 4, "campaign-ended:C-US", "bonus_confirm", "C-US", "S5", "A1", "2.50", "USD", "2026-03", "0.10"],
      [22, 0, "campaign-ended:C-JP", "bonus_confirm", "C-JP", "SJ1", "J1", "150", "JPY", "2026-04", "0.05"],
      [24, 0, "shp-6", "standard", "C-US", "S6", "A1", "1.20", "USD", "2026-04", "0.03"],
      [24, 1, "shp-6", "bonus_confirmed", "C-US", "S6", "A1", "2.50", "USD", "2026-04", "0.10"],
      [25, 0, "ret-1", "standard_reversal", "C-US", "S1", "A1", "-0.60", "USD", "2026-04", "0.03"],
      [25, 1, "ret-1", "bonus_reversal", "C-US", "S1", "A1", "-2.00", "USD", "2026-04", "0.10"],
      // P32: the payout leaves K1's earned account (SPEC §8.1: payouts appear in the creator's ledger)
      [32, 0, "payout:K1:US:2026-05-31", "payout", null, null, null, "-16.00", "USD", null, null],
    ];
    const K2_LEDGER = [
      [13, 0, "shp-2", "standard", "C-US", "S2", "A2", "2.25", "USD", "2026-03", "0.045"],
      [13, 1, "shp-2", "bonus_pending", "C-US", "S2", "A2", "5.00", "USD", "2026-03", "0.10"],
      [16, 0, "ret-2", "standard_reversal", "C-US", "S2", "A2", "-1.12", "USD", "2026-03", "0.045"],
      // a pending bonus's return lowers the pending bonus of the shipment's month (rule 8)
      [16, 1, "ret-2", "bonus_pending_return", "C-US", "S2", "A2", "-2.50", "USD", "2026-03", "0.10"],
      [21, 1, "campaign-ended:C-US", "bonus_forfeit", "C-US", "S2", "A2", "5.00", "USD", "2026-03", "0.10"],
      [21, 2, "campaign-ended:C-US", "bonus_forfeit", "C-US", "S2", "A2", "-2.50", "USD", "2026-03", "0.10"],
      [23, 0, "shp-7", "standard", "C-US", "S7", "A2", "0.30", "USD", "2026-04", "0.03"],
      [23, 1, "shp-7", "bonus_forfeited", "C-US", "S7", "A2", "1.00", "USD", "2026-04", "0.10"],
    ];
    type Entry = Awaited<ReturnType<typeof ledgerOf>>["entries"][number];
    const tuple = (e: Entry) => [
      e.position,
      e.seq,
      e.sourceEventId,
      e.kind,
      e.campaignId,
      e.shipmentId,
      e.asin,
      e.amount,
      e.currency,
      e.earningMonth,
      e.rate,
    ];

    it("K1: every amount in position order, with its source, kind, month, rate and rule version", async () => {
      const { entries, nextAfter } = await ledgerOf(env.dbs.journal, p.journal, "K1", { position: 0, seq: 0 }, FIXTURE_HEAD, 1000);
      expect(entries.map(tuple)).toEqual(K1_LEDGER);
      expect(nextAfter).toBeNull();
      expect(new Set(entries.map((e) => e.ruleVersion))).toEqual(new Set([1]));
      const types = Object.fromEntries(entries.map((e) => [e.sourceEventId, e.eventType]));
      expect(types).toEqual({
        "shp-1": "ShipmentRecorded",
        "shp-3": "ShipmentRecorded",
        "shp-4": "ShipmentRecorded",
        "shp-5": "ShipmentRecorded",
        "shp-j1": "ShipmentRecorded",
        "campaign-ended:C-US": "CampaignEnded",
        "campaign-ended:C-JP": "CampaignEnded",
        "shp-6": "ShipmentRecorded",
        "ret-1": "ShipmentReturned",
        "payout:K1:US:2026-05-31": "PayoutIssued",
      });
      // The budget cap is explained on the capped postings (S3 3.00 → 1.00, S5 and S6 4.00 → 2.50).
      const capped = entries.filter((e) => e.note !== null && e.note.includes("capped")).map((e) => [e.position, e.seq]);
      expect(capped).toEqual([
        [14, 1],
        [17, 1],
        [24, 1],
      ]);
    });

    it("K2: the forfeit of a partly returned pending bonus leaves both of its report days", async () => {
      const { entries } = await ledgerOf(env.dbs.journal, p.journal, "K2", { position: 0, seq: 0 }, FIXTURE_HEAD, 1000);
      expect(entries.map(tuple)).toEqual(K2_LEDGER);
    });

    it("pages with `after` (position.seq), no entry twice or skipped", async () => {
      const seen: unknown[] = [];
      const nexts: (string | null)[] = [];
      let after = { position: 0, seq: 0 };
      for (let page = 0; page < 10; page += 1) {
        const { entries, nextAfter } = await ledgerOf(env.dbs.journal, p.journal, "K1", after, FIXTURE_HEAD, 5);
        seen.push(...entries.map(tuple));
        nexts.push(nextAfter);
        if (nextAfter === null) break;
        const [position, seq] = nextAfter.split(".").map(Number) as [number, number];
        after = { position, seq };
      }
      expect(nexts).toEqual(["14.1", "20.1", "22.0", "32.0", null]); // 20 entries: 5 + 5 + 5 + 5 + 0
      expect(seen).toEqual(K1_LEDGER);
      // Inside one position: after (21, 0) comes (21, 3), K1's next entry.
      const mid = await ledgerOf(env.dbs.journal, p.journal, "K1", { position: 21, seq: 0 }, FIXTURE_HEAD, 2);
      expect(mid.entries.map((e) => [e.position, e.seq])).toEqual([
        [21, 3],
        [21, 4],
      ]);
      expect(mid.nextAfter).toBe("21.4");
    });
  });

  describe("budget", () => {
    it("C-US after phase A: exhausted by the last shipment (capped), exhaustedAt its occurredAt", () => {
      // spent 6.00 + 5.00 + 1.00 − 2.50 + 2.50 − 2.50 (forfeit) + 2.50 (S6) = 12.00;
      // released 2.50 (pending return) + 2.50 (forfeit) = 5.00
      expect(budgetAfterA).toEqual({
        currency: "USD",
        budget: "12.00",
        spent: "12.00",
        released: "5.00",
        remaining: "0.00",
        exhausted: true,
        exhaustedAt: "2026-04-02T18:00:00Z",
        ended: true,
      });
    });

    it("C-US at the end: the reversal of a confirmed bonus gives 2.00 back (no longer exhausted)", async () => {
      expect(await budgetOf(env.dbs.budget, p.budget, "C-US")).toEqual({
        currency: "USD",
        budget: "12.00",
        spent: "10.00",
        released: "7.00",
        remaining: "2.00",
        exhausted: false,
        exhaustedAt: null,
        ended: true,
      });
    });

    it("C-JP in JPY; unknown campaign is null", async () => {
      expect(await budgetOf(env.dbs.budget, p.budget, "C-JP")).toEqual({
        currency: "JPY",
        budget: "100000",
        spent: "150",
        released: "0",
        remaining: "99850",
        exhausted: false,
        exhaustedAt: null,
        ended: true,
      });
      expect(await budgetOf(env.dbs.budget, p.budget, "C-XX")).toBeNull();
    });
  });

  describe("report", () => {
    const row = (
      date: string,
      campaignId: string,
      marketplace: string,
      currency: string,
      clicks: number,
      orders: number,
      units: number,
      revenue: string,
      earnings: string,
      spend: string,
    ) => ({
      date,
      campaignId,
      marketplace,
      currency,
      clicks,
      orders,
      units,
      revenue,
      earnings,
      spend,
    });

    it("K1: daily rows by date then campaign, returns negative on their own day, totals = sums", async () => {
      const report = await reportOf(env.dbs.report, p.report, "K1", "2026-03-01", "2026-04-30", null);
      expect(report.rows).toEqual([
        // P10 10:00 PDT, P11 20:00 PDT
        row("2026-03-09", "C-US", "US", "USD", 2, 0, 0, "0.00", "0.00", "0.00"),
        // S1: 59.97 + 100.00; earnings 1.80 + 2.50 + 6.00 (pending, later confirmed: unchanged)
        row("2026-03-10", "C-US", "US", "USD", 0, 1, 4, "159.97", "10.30", "6.00"),
        // S3 + S4, both order O3: one order; 0.90 + 0.10 + 1.00 (capped bonus)
        row("2026-03-15", "C-US", "US", "USD", 0, 1, 2, "40.00", "2.00", "1.00"),
        // S5: 1.20 + 2.50 (capped)
        row("2026-03-22", "C-US", "US", "USD", 0, 1, 1, "40.00", "3.70", "2.50"),
        // SJ1 on its Tokyo date: 3000 + 2999; 90 + 90 + 150
        row("2026-04-01", "C-JP", "JP", "JPY", 0, 1, 3, "5999", "330", "150"),
        // S6: 1.20 + 2.50 (confirmed at once, capped)
        row("2026-04-02", "C-US", "US", "USD", 0, 1, 2, "40.00", "3.70", "2.50"),
        // return of S1 A1 × 1: −19.99; −0.60 − 2.00; spend −2.00
        row("2026-04-10", "C-US", "US", "USD", 0, 0, -1, "-19.99", "-2.60", "-2.00"),
      ]);
      expect(report.totals).toEqual([
        { marketplace: "JP", currency: "JPY", clicks: 0, orders: 1, units: 3, revenue: "5999", earnings: "330", spend: "150" },
        // 159.97 + 40 + 40 + 40 − 19.99 = 259.98; 10.30 + 2.00 + 3.70 + 3.70 − 2.60 = 17.10 (= earnings total);
        // 6.00 + 1.00 + 2.50 + 2.50 − 2.00 = 10.00 (= K1's share of C-US spent)
        { marketplace: "US", currency: "USD", clicks: 2, orders: 4, units: 8, revenue: "259.98", earnings: "17.10", spend: "10.00" },
      ]);
    });

    it("K2: a forfeited bonus disappears from its shipment's day and from its return's day", async () => {
      const report = await reportOf(env.dbs.report, p.report, "K2", "2026-03-01", "2026-04-30", null);
      expect(report.rows).toEqual([
        // S2: 2.25 + 5.00 pending − 5.00 forfeited
        row("2026-03-12", "C-US", "US", "USD", 0, 1, 2, "50.00", "2.25", "0.00"),
        // return: −1.12 − 2.50 pending return + 2.50 (its forfeit)
        row("2026-03-20", "C-US", "US", "USD", 0, 0, -1, "-25.00", "-1.12", "0.00"),
        row("2026-03-25", "C-US", "US", "USD", 1, 0, 0, "0.00", "0.00", "0.00"),
        // S7: 0.30; its bonus was forfeited at once and never shows
        row("2026-04-02", "C-US", "US", "USD", 0, 1, 1, "10.00", "0.30", "0.00"),
      ]);
      expect(report.totals).toEqual([
        { marketplace: "US", currency: "USD", clicks: 1, orders: 2, units: 2, revenue: "35.00", earnings: "1.43", spend: "0.00" },
      ]);
    });

    it("filters by campaign and by an inclusive date range", async () => {
      const jp = await reportOf(env.dbs.report, p.report, "K1", "2026-03-01", "2026-04-30", "C-JP");
      expect(jp.rows.map((r) => [r.date, r.campaignId])).toEqual([["2026-04-01", "C-JP"]]);
      expect(jp.totals).toEqual([
        { marketplace: "JP", currency: "JPY", clicks: 0, orders: 1, units: 3, revenue: "5999", earnings: "330", spend: "150" },
      ]);

      const mid = await reportOf(env.dbs.report, p.report, "K1", "2026-03-10", "2026-03-15", null);
      expect(mid.rows.map((r) => r.date)).toEqual(["2026-03-10", "2026-03-15"]);
      expect(mid.totals).toEqual([
        { marketplace: "US", currency: "USD", clicks: 0, orders: 2, units: 6, revenue: "199.97", earnings: "12.30", spend: "7.00" },
      ]);

      const none = await reportOf(env.dbs.report, p.report, "K1", "2026-05-01", "2026-05-31", null);
      expect(none).toEqual({ rows: [], totals: [] });
    });
  });

  describe("payout", () => {
    // K1 US payable by month: 2026-03 16.00 (on 2026-05-31), 2026-04 1.10 (on 2026-06-30).
    // K2 US: 2026-03 1.13, 2026-04 0.30 (forfeited and pending-returned bonus are never payable).
    // §12 lifecycle: no bonus is pending after P22 (both campaigns ended), so locked = `pending`
    // (months payable after the date); no hold, and payable never negative here (receivable 0).
    it("before the payout (phase B): nothing_due before payableOn, ready / tax_info_missing on it", () => {
      expect(payoutBodies(payoutsAfterB["K1@2026-05-30"]!)).toEqual([
        {
          creatorId: "K1",
          status: "nothing_due",
          payableMinor: 0n,
          marketplace: "JP",
          currency: "JPY",
          payable: "0",
          pending: "330",
          paid: "0",
          threshold: null,
          nextPayableOn: "2026-05-31",
          taxInfoOnFile: true,
          paymentMethod: null,
          hold: null,
          receivable: "0",
          lifecycle: { pending: "0", locked: "330", payable: "0", paid: "0" },
        },
        {
          creatorId: "K1",
          status: "nothing_due",
          payableMinor: 0n,
          marketplace: "US",
          currency: "USD",
          payable: "0.00",
          pending: "17.10",
          paid: "0.00",
          threshold: "10.00",
          nextPayableOn: "2026-05-31",
          taxInfoOnFile: true,
          paymentMethod: "direct_deposit",
          hold: null,
          receivable: "0.00",
          lifecycle: { pending: "0.00", locked: "17.10", payable: "0.00", paid: "0.00" },
        },
      ]);
      expect(payoutBodies(payoutsAfterB["K1@2026-05-31"]!)).toEqual([
        {
          creatorId: "K1",
          status: "nothing_due",
          payableMinor: 0n,
          marketplace: "JP",
          currency: "JPY",
          payable: "0",
          pending: "330",
          paid: "0",
          threshold: null,
          nextPayableOn: "2026-06-30",
          taxInfoOnFile: true,
          paymentMethod: null,
          hold: null,
          receivable: "0",
          lifecycle: { pending: "0", locked: "330", payable: "0", paid: "0" },
        },
        // 16.00 ≥ 10.00 (direct deposit, US)
        {
          creatorId: "K1",
          status: "ready",
          payableMinor: 1600n,
          marketplace: "US",
          currency: "USD",
          payable: "16.00",
          pending: "1.10",
          paid: "0.00",
          threshold: "10.00",
          nextPayableOn: "2026-06-30",
          taxInfoOnFile: true,
          paymentMethod: "direct_deposit",
          hold: null,
          receivable: "0.00",
          lifecycle: { pending: "0.00", locked: "1.10", payable: "16.00", paid: "0.00" },
        },
      ]);
      expect(payoutBodies(payoutsAfterB["K2@2026-05-30"]!)).toEqual([
        {
          creatorId: "K2",
          status: "nothing_due",
          payableMinor: 0n,
          marketplace: "US",
          currency: "USD",
          payable: "0.00",
          pending: "1.43",
          paid: "0.00",
          threshold: "10.00",
          nextPayableOn: "2026-05-31",
          taxInfoOnFile: false,
          paymentMethod: "gift_card",
          hold: null,
          receivable: "0.00",
          lifecycle: { pending: "0.00", locked: "1.43", payable: "0.00", paid: "0.00" },
        },
      ]);
      expect(payoutBodies(payoutsAfterB["K2@2026-05-31"]!)).toEqual([
        {
          creatorId: "K2",
          status: "tax_info_missing",
          payableMinor: 113n,
          marketplace: "US",
          currency: "USD",
          payable: "1.13",
          pending: "0.30",
          paid: "0.00",
          threshold: "10.00",
          nextPayableOn: "2026-06-30",
          taxInfoOnFile: false,
          paymentMethod: "gift_card",
          hold: null,
          receivable: "0.00",
          lifecycle: { pending: "0.00", locked: "0.30", payable: "1.13", paid: "0.00" },
        },
      ]);
      expect(payoutsAfterB["US@2026-05-31"]!.map((l) => [l.creatorId, l.status, l.payableMinor])).toEqual([
        ["K1", "ready", 1600n],
        ["K2", "tax_info_missing", 113n],
      ]);
    });

    it("after the payout of 16.00: nothing_due on 2026-05-31, below_threshold / no_payment_method on 2026-06-30", async () => {
      expect(payoutBodies(await payoutOf(env.dbs.payout, p.payout, "K1", "2026-05-31", RULES_V1))).toEqual([
        {
          creatorId: "K1",
          status: "nothing_due",
          payableMinor: 0n,
          marketplace: "JP",
          currency: "JPY",
          payable: "0",
          pending: "330",
          paid: "0",
          threshold: null,
          nextPayableOn: "2026-06-30",
          taxInfoOnFile: true,
          paymentMethod: null,
          hold: null,
          receivable: "0",
          lifecycle: { pending: "0", locked: "330", payable: "0", paid: "0" },
        },
        {
          creatorId: "K1",
          status: "nothing_due",
          payableMinor: 0n,
          marketplace: "US",
          currency: "USD",
          payable: "0.00",
          pending: "1.10",
          paid: "16.00",
          threshold: "10.00",
          nextPayableOn: "2026-06-30",
          taxInfoOnFile: true,
          paymentMethod: "direct_deposit",
          hold: null,
          receivable: "0.00",
          lifecycle: { pending: "0.00", locked: "1.10", payable: "0.00", paid: "16.00" },
        },
      ]);
      expect(payoutBodies(await payoutOf(env.dbs.payout, p.payout, "K1", "2026-06-30", RULES_V1))).toEqual([
        // 330 due, tax info on file, but "check" is not offered in JP (P30): no method
        {
          creatorId: "K1",
          status: "no_payment_method",
          payableMinor: 330n,
          marketplace: "JP",
          currency: "JPY",
          payable: "330",
          pending: "0",
          paid: "0",
          threshold: null,
          nextPayableOn: "2026-07-31",
          taxInfoOnFile: true,
          paymentMethod: null,
          hold: null,
          receivable: "0",
          lifecycle: { pending: "0", locked: "0", payable: "330", paid: "0" },
        },
        // 16.00 + 1.10 − 16.00 = 1.10 < 10.00: the balance carries over
        {
          creatorId: "K1",
          status: "below_threshold",
          payableMinor: 110n,
          marketplace: "US",
          currency: "USD",
          payable: "1.10",
          pending: "0.00",
          paid: "16.00",
          threshold: "10.00",
          nextPayableOn: "2026-07-31",
          taxInfoOnFile: true,
          paymentMethod: "direct_deposit",
          hold: null,
          receivable: "0.00",
          lifecycle: { pending: "0.00", locked: "0.00", payable: "1.10", paid: "16.00" },
        },
      ]);
      expect(payoutBodies(await payoutOf(env.dbs.payout, p.payout, "K2", "2026-06-30", RULES_V1))).toEqual([
        {
          creatorId: "K2",
          status: "tax_info_missing",
          payableMinor: 143n,
          marketplace: "US",
          currency: "USD",
          payable: "1.43",
          pending: "0.00",
          paid: "0.00",
          threshold: "10.00",
          nextPayableOn: "2026-07-31",
          taxInfoOnFile: false,
          paymentMethod: "gift_card",
          hold: null,
          receivable: "0.00",
          lifecycle: { pending: "0.00", locked: "0.00", payable: "1.43", paid: "0.00" },
        },
      ]);
      expect(await payoutOf(env.dbs.payout, p.payout, "K3", "2026-06-30", RULES_V1)).toEqual([]);
    });
  });
});
