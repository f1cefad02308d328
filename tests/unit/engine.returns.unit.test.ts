// SPEC §4 rule 8 (returns: reverse the returned units' standard and bonus, each
// round(original × returned / shipped); never past the original; more than shipped is an anomaly
// and only shipped units reverse; reversal booked in the return's month and its bonus part goes
// back to the budget; a pending bonus's returned part lowers the pending bonus in its shipment's
// month; a forfeited bonus is never reversed), with rule 5 (what is left is confirmed or
// forfeited) and rule 9 (months in the marketplace zone).
import { describe, expect, it } from "vitest";
import {
  accepted,
  bucketsOf,
  campaignCreated,
  campaignEnded,
  contentLink,
  dated,
  given,
  line,
  returned,
  run,
  shipped,
  spentOf,
} from "../support/domainFixtures.ts";

// Default campaign: budget 500.00, bonus 10 %. S1 ships 3 × A1 at 10.00 (toys):
// standard 30.00 × 0.03 = 0.90 (90), bonus 3.00 (300). Shipped 2026-03-10 (LA), returned 2026-04-15 (LA).
const base = () => [campaignCreated(), accepted()];
const s1 = () => shipped({ shipmentId: "S1", occurredAt: "2026-03-10T18:00:00Z", lines: [line("A1", "toys", 3, "10.00")] });
const return1 = (quantity = 1, occurredAt = "2026-04-15T18:00:00Z") =>
  returned({ shipmentId: "S1", occurredAt, lines: [{ asin: "A1", quantity }] });

describe("return of a pending bonus", () => {
  it("is a bonus_pending_return in the shipment's month; the standard reversal is in the return's month; budget back", () => {
    const r = given([...base(), s1()])
      .when(return1())
      .then([
        ["standard_reversal", "K1", "C1", -30], // round(90 × 1/3)
        ["bonus_pending_return", "K1", "C1", -100], // round(300 × 1/3)
      ]);
    expect(dated(r.postings)).toEqual([
      ["standard_reversal", -30, "2026-04", "2026-04-15"],
      ["bonus_pending_return", -100, "2026-03", "2026-04-15"],
    ]);
    expect(r.postings.map((p) => [p.units, p.revenueMinor])).toEqual([
      [-1, -1000],
      [0, 0],
    ]);
    expect(spentOf(r.state, "C1")).toBe(200);
    expect(bucketsOf(r.all.postings, "K1")).toEqual({
      standard: 90,
      bonusPending: 200,
      bonusConfirmed: 0,
      bonusForfeited: 0,
      reversed: -30,
      adjusted: 0,
      total: 260,
    });
  });

  it("then forfeited at the end: + granted on the shipment's day, − returned on the return's day", () => {
    const r = given([...base(), s1(), return1()])
      .when(campaignEnded())
      .then([
        ["bonus_forfeit", "K1", "C1", 300],
        ["bonus_forfeit", "K1", "C1", -100],
      ]);
    expect(dated(r.postings)).toEqual([
      ["bonus_forfeit", 300, "2026-03", "2026-03-10"],
      ["bonus_forfeit", -100, "2026-03", "2026-04-15"],
    ]);
    expect(spentOf(r.state, "C1")).toBe(0);
    expect(bucketsOf(r.all.postings, "K1")).toEqual({
      standard: 90,
      bonusPending: 0,
      bonusConfirmed: 0,
      bonusForfeited: 200,
      reversed: -30,
      adjusted: 0,
      total: 60,
    });
    expect(r.facts.filter((f) => f.kind === "budget")).toEqual([
      { kind: "budget", campaignId: "C1", budgetMinor: 50000, spentMinor: 0, releasedMinor: 300, exhaustedAt: null },
    ]);
  });

  it("then confirmed at the end: only what is left is confirmed", () => {
    const r = given([...base(), contentLink(), s1(), return1()])
      .when(campaignEnded())
      .then([["bonus_confirm", "K1", "C1", 200]]);
    expect(spentOf(r.state, "C1")).toBe(200);
    expect(bucketsOf(r.all.postings, "K1")).toEqual({
      standard: 90,
      bonusPending: 0,
      bonusConfirmed: 200,
      bonusForfeited: 0,
      reversed: -30,
      adjusted: 0,
      total: 260,
    });
  });

  it("a later return of the confirmed rest is a bonus_reversal, never past the original", () => {
    const r = given([...base(), contentLink(), s1(), return1(), campaignEnded()])
      .when(return1(2, "2026-05-05T18:00:00Z"))
      .then([
        ["standard_reversal", "K1", "C1", -60], // round(90 × 2/3)
        ["bonus_reversal", "K1", "C1", -200], // round(300 × 2/3)
      ]);
    expect(dated(r.postings)).toEqual([
      ["standard_reversal", -60, "2026-05", "2026-05-05"],
      ["bonus_reversal", -200, "2026-05", "2026-05-05"],
    ]);
    expect(spentOf(r.state, "C1")).toBe(0);
    expect(bucketsOf(r.all.postings, "K1")).toEqual({
      standard: 90,
      bonusPending: 0,
      bonusConfirmed: 200,
      bonusForfeited: 0,
      reversed: -290,
      adjusted: 0,
      total: 0,
    });
  });
});

describe("return of a confirmed bonus", () => {
  it("is a bonus_reversal in the return's month; budget back", () => {
    const r = given([...base(), contentLink(), s1(), campaignEnded()])
      .when(return1())
      .then([
        ["standard_reversal", "K1", "C1", -30],
        ["bonus_reversal", "K1", "C1", -100],
      ]);
    expect(dated(r.postings)).toEqual([
      ["standard_reversal", -30, "2026-04", "2026-04-15"],
      ["bonus_reversal", -100, "2026-04", "2026-04-15"],
    ]);
    expect(spentOf(r.state, "C1")).toBe(200);
    expect(bucketsOf(r.all.postings, "K1")).toEqual({
      standard: 90,
      bonusPending: 0,
      bonusConfirmed: 300,
      bonusForfeited: 0,
      reversed: -130,
      adjusted: 0,
      total: 260,
    });
  });

  it("of a bonus confirmed at once after CampaignEnded, likewise", () => {
    const late = shipped({
      shipmentId: "S1",
      orderedAt: "2026-03-30T12:00:00Z",
      occurredAt: "2026-04-03T12:00:00Z",
      lines: [line("A1", "toys", 3, "10.00")],
    });
    const r = given([...base(), contentLink(), campaignEnded(), late])
      .when(return1())
      .then([
        ["standard_reversal", "K1", "C1", -30],
        ["bonus_reversal", "K1", "C1", -100],
      ]);
    expect(spentOf(r.state, "C1")).toBe(200);
  });
});

describe("a forfeited bonus is never reversed", () => {
  it("forfeited at CampaignEnded: only the standard reverses; the budget is untouched", () => {
    const r = given([...base(), s1(), campaignEnded()])
      .when(return1())
      .then([["standard_reversal", "K1", "C1", -30]]);
    expect(spentOf(r.state, "C1")).toBe(0);
    expect(bucketsOf(r.all.postings, "K1")).toEqual({
      standard: 90,
      bonusPending: 0,
      bonusConfirmed: 0,
      bonusForfeited: 300,
      reversed: -30,
      adjusted: 0,
      total: 60,
    });
  });

  it("forfeited at once after CampaignEnded: only the standard reverses", () => {
    const late = shipped({
      shipmentId: "S1",
      orderedAt: "2026-03-30T12:00:00Z",
      occurredAt: "2026-04-03T12:00:00Z",
      lines: [line("A1", "toys", 3, "10.00")],
    });
    const r = given([...base(), campaignEnded(), late])
      .when(return1())
      .then([["standard_reversal", "K1", "C1", -30]]);
    expect(spentOf(r.state, "C1")).toBe(0);
  });
});

describe("returning more than shipped", () => {
  it("is an anomaly; only the shipped units reverse", () => {
    const r = given([...base(), s1()])
      .when(return1(5))
      .then([
        ["standard_reversal", "K1", "C1", -90],
        ["bonus_pending_return", "K1", "C1", -300],
      ])
      .thenAnomalies(["returned_more_than_shipped"]);
    expect(r.postings[0]!.units).toBe(-3);
    expect(spentOf(r.state, "C1")).toBe(0);
  });

  it("across two returns: the second reverses only the unit left", () => {
    given([...base(), s1(), return1(2)])
      .when(return1(2))
      .then([
        ["standard_reversal", "K1", "C1", -30],
        ["bonus_pending_return", "K1", "C1", -100],
      ])
      .thenAnomalies(["returned_more_than_shipped"]);
  });

  it("after everything was returned: nothing reverses", () => {
    given([...base(), s1(), return1(3)])
      .when(return1(1))
      .then([])
      .thenAnomalies(["returned_more_than_shipped"]);
  });
});

describe("rounding of partial returns never exceeds the original", () => {
  it("standard 0.03 and bonus 0.10 over 2 units: 2 + 1 and 5 + 5", () => {
    // 2 × 0.50 = 1.00: standard 0.03 (3), bonus 0.10 (10).
    const sale = shipped({ shipmentId: "S1", lines: [line("A1", "toys", 2, "0.50")] });
    const r = run([...base(), sale, return1(1), return1(1)]);
    expect(r.outcomes[2]!.postings.map((p) => [p.kind, p.amountMinor])).toEqual([
      ["standard", 3],
      ["bonus_pending", 10],
    ]);
    // round(3 × 1/2) = round(1.5) = 2 (half-even); the second would also be 2 but only 1 is left.
    expect(r.outcomes[3]!.postings.map((p) => [p.kind, p.amountMinor])).toEqual([
      ["standard_reversal", -2],
      ["bonus_pending_return", -5],
    ]);
    expect(r.outcomes[4]!.postings.map((p) => [p.kind, p.amountMinor])).toEqual([
      ["standard_reversal", -1],
      ["bonus_pending_return", -5],
    ]);
    expect(bucketsOf(r.postings, "K1")).toEqual({
      standard: 3,
      bonusPending: 0,
      bonusConfirmed: 0,
      bonusForfeited: 0,
      reversed: -3,
      adjusted: 0,
      total: 0,
    });
  });

  it("standard 0.05 and bonus 0.16 over 3 units: 2 + 2 + 1 and 5 + 5 + 6", () => {
    // 3 × 0.55 = 1.65: standard 0.0495 → 0.05 (5); bonus 0.165 → 0.16 (16, half-even tie).
    const sale = shipped({ shipmentId: "S1", lines: [line("A1", "toys", 3, "0.55")] });
    const r = run([...base(), sale, return1(1), return1(1), return1(1)]);
    expect(r.outcomes[2]!.postings.map((p) => [p.kind, p.amountMinor])).toEqual([
      ["standard", 5],
      ["bonus_pending", 16],
    ]);
    // round(5/3 = 1.67) = 2, 2, then only 1 left. round(16/3 = 5.33) = 5, 5; the last unit's return
    // reverses what is left: 16 − 10 = 6, so the fully returned line nets to zero.
    expect(r.outcomes.slice(3).map((o) => o.postings.map((p) => p.amountMinor))).toEqual([
      [-2, -5],
      [-2, -5],
      [-1, -6],
    ]);
  });

  it("a confirmed bonus of 0.07 over 2 units: 4 + 3", () => {
    // 2 × 0.35 = 0.70: standard 0.021 → 0.02 (2), bonus 0.07 (7). round(7/2 = 3.5) = 4 (half-even),
    // then round(3.5) = 4 again but only 3 is left.
    const sale = shipped({ shipmentId: "S1", lines: [line("A1", "toys", 2, "0.35")] });
    const r = run([...base(), contentLink(), sale, campaignEnded(), return1(1), return1(1)]);
    expect(r.outcomes.slice(5).map((o) => o.postings.map((p) => [p.kind, p.amountMinor]))).toEqual([
      [
        ["standard_reversal", -1],
        ["bonus_reversal", -4],
      ],
      [
        ["standard_reversal", -1],
        ["bonus_reversal", -3],
      ],
    ]);
    expect(bucketsOf(r.postings, "K1")).toEqual({
      standard: 2,
      bonusPending: 0,
      bonusConfirmed: 7,
      bonusForfeited: 0,
      reversed: -9,
      adjusted: 0,
      total: 0,
    });
    expect(spentOf(r.state, "C1")).toBe(0);
  });

  it("returning every unit at once reverses the whole line", () => {
    // 2 × 0.25 = 0.50: standard 0.015 → 0.02 (2, tie to even); bonus 0.05 (5).
    given([...base(), shipped({ shipmentId: "S1", lines: [line("A1", "toys", 2, "0.25")] })])
      .when(return1(2))
      .then([
        ["standard_reversal", "K1", "C1", -2],
        ["bonus_pending_return", "K1", "C1", -5],
      ]);
  });

  it("a line returned in parts nets to zero: the last unit's return reverses what is left (rule 8, README decision)", () => {
    // SPEC rule 8: the first reversal is round(original × returned / shipped) = round(2.5) = 2 (half-even).
    // Rounding the second alone would also give 2 and leave 1 minor unit of a fully returned line;
    // the return of the last unit reverses what is left instead: 5 − 2 = 3. Standard: 2 → 1, then 1.
    const r = run([...base(), shipped({ shipmentId: "S1", lines: [line("A1", "toys", 2, "0.25")] }), return1(1), return1(1)]);
    expect(r.outcomes.slice(3).map((o) => o.postings.map((p) => [p.kind, p.amountMinor]))).toEqual([
      [
        ["standard_reversal", -1],
        ["bonus_pending_return", -2],
      ],
      [
        ["standard_reversal", -1],
        ["bonus_pending_return", -3],
      ],
    ]);
  });
});

describe("the base of a bonus reversal is the bonus granted after the cap", () => {
  it("a capped bonus reverses proportionally to what was granted", () => {
    const r = given([
      campaignCreated({ budget: "5.00" }),
      accepted(),
      shipped({ shipmentId: "S0", lines: [line("A1", "toys", 1, "30.00")] }), // 300
      shipped({ shipmentId: "S1", lines: [line("A1", "toys", 2, "15.00")] }), // standard 90; bonus 300 capped to 200
    ])
      .when(return1(1))
      .then([
        ["standard_reversal", "K1", "C1", -45], // round(90 × 1/2)
        ["bonus_pending_return", "K1", "C1", -100], // round(200 × 1/2)
      ]);
    expect(spentOf(r.state, "C1")).toBe(400);
  });

  it("a return gives budget back to an exhausted campaign, and the next bonus fits again", () => {
    const r = given([
      campaignCreated({ budget: "5.00" }),
      accepted(),
      shipped({ shipmentId: "S1", lines: [line("A1", "toys", 1, "30.00")] }), // 300
      shipped({ shipmentId: "S2", lines: [line("A1", "toys", 1, "30.00")] }), // 200 (capped); exhausted
      return1(1), // S1: −90, −300; spent 200
    ]).when(shipped({ shipmentId: "S3", lines: [line("A1", "toys", 1, "30.00")] }));
    r.then([
      ["standard", "K1", "C1", 90],
      ["bonus_pending", "K1", "C1", 300],
    ]);
    expect(spentOf(r.state, "C1")).toBe(500);
  });
});

describe("returns of several lines", () => {
  it("several ASINs in one return", () => {
    const sale = shipped({ shipmentId: "S1", lines: [line("A1", "toys", 3, "10.00"), line("A2", "toys", 2, "5.00")] });
    // A1: 90 / 300. A2: 10.00 × 0.03 = 0.30 (30), bonus 1.00 (100).
    const r = given([...base(), sale])
      .when(
        returned({
          shipmentId: "S1",
          lines: [
            { asin: "A1", quantity: 1 },
            { asin: "A2", quantity: 2 },
          ],
        }),
      )
      .then([
        ["standard_reversal", "K1", "C1", -30],
        ["bonus_pending_return", "K1", "C1", -100],
        ["standard_reversal", "K1", "C1", -30],
        ["bonus_pending_return", "K1", "C1", -100],
      ]);
    expect(spentOf(r.state, "C1")).toBe(200);
  });

  it("one ASIN on two lines: returned units go to the lines in order", () => {
    const sale = shipped({ shipmentId: "S1", lines: [line("A1", "toys", 1, "10.00"), line("A1", "toys", 2, "20.00")] });
    // line 1: 30 / 100. line 2: 40.00 × 0.03 = 1.20 (120), bonus 4.00 (400).
    given([...base(), sale])
      .when(return1(2))
      .then([
        ["standard_reversal", "K1", "C1", -30],
        ["bonus_pending_return", "K1", "C1", -100],
        ["standard_reversal", "K1", "C1", -60], // round(120 × 1/2)
        ["bonus_pending_return", "K1", "C1", -200], // round(400 × 1/2)
      ]);
  });

  it("a line without bonus reverses its standard only", () => {
    given([...base(), shipped({ shipmentId: "S1", lines: [line("B7", "electronics", 4, "25.00")] })]) // 100.00 × 0.025 = 2.50
      .when(returned({ shipmentId: "S1", lines: [{ asin: "B7", quantity: 1 }] }))
      .then([["standard_reversal", "K1", "C1", -62]]); // round(250 × 1/4 = 62.5) = 62, half-even
  });
});

describe("rule 9: the month of a reversal is the return's month in the marketplace zone", () => {
  it("a US return at 2026-05-01T05:00:00Z is April in Los Angeles", () => {
    const r = given([...base(), contentLink(), s1(), campaignEnded()]).when(return1(1, "2026-05-01T05:00:00Z"));
    expect(dated(r.postings)).toEqual([
      ["standard_reversal", -30, "2026-04", "2026-04-30"],
      ["bonus_reversal", -100, "2026-04", "2026-04-30"],
    ]);
  });

  it("a JP return at 2026-04-30T15:00:00Z is May in Tokyo", () => {
    const r = given([
      campaignCreated({ campaignId: "CJ", marketplace: "JP", budget: "100000", asins: ["J1"] }),
      accepted({ campaignId: "CJ", trackingId: "TJ" }),
      shipped({ shipmentId: "SJ", trackingId: "TJ", occurredAt: "2026-03-10T03:00:00Z", lines: [line("J1", "toys", 2, "1000")] }), // standard 60, bonus 200
    ]).when(returned({ shipmentId: "SJ", occurredAt: "2026-04-30T15:00:00Z", lines: [{ asin: "J1", quantity: 1 }] }));
    expect(dated(r.postings)).toEqual([
      ["standard_reversal", -30, "2026-05", "2026-05-01"],
      ["bonus_pending_return", -100, "2026-03", "2026-05-01"],
    ]);
  });
});
