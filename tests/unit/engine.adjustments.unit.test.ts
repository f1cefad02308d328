// SPEC §8.4 CommissionAdjusted (earned when it occurs: earning month = month of occurredAt in the
// marketplace zone; with or without a campaign; never touches a budget; an unknown campaign or one
// of another marketplace is an anomaly that books nothing) and PayoutFailed (the payout's amount
// goes back from payouts to creator:earned; an unknown payoutId or a second failure is an anomaly).
// Whether the amounts become payable (rules 10-11) is the payout read's business; here: postings,
// accounts and amounts.
import { describe, expect, it } from "vitest";
import {
  accepted,
  balancesOf,
  bucketsOf,
  campaignCreated,
  campaignEnded,
  commissionAdjusted,
  contentLink,
  dated,
  given,
  line,
  onlyAnomaly,
  payoutFailed,
  payoutIssued,
  shipped,
  spentOf,
} from "../support/domainFixtures.ts";

const EARNED = "creator:K1:US:earned";
const ADJUSTMENTS = "program:US:adjustments";
const PAYOUTS = "payouts:US";
const PAYOUT_ID = "payout:K1:US:2026-05-31";

describe("CommissionAdjusted: an earning of its own", () => {
  it("without a campaign: one adjustment entry with no campaign, earned in the month it occurs, not in the daily report", () => {
    const r = given([])
      .when(
        commissionAdjusted({
          creatorId: "K7",
          amount: "5.00",
          reasonCode: "goodwill",
          actor: "finance:ana",
          note: "missed bonus",
          occurredAt: "2026-03-15T12:00:00Z",
        }),
      )
      .then([["adjustment", "K7", null, 500]])
      .thenTransfers([["adjustment", ADJUSTMENTS, "creator:K7:US:earned", 500]])
      .thenAnomalies([]);
    expect(dated(r.postings)).toEqual([["adjustment", 500, "2026-03", null]]); // report date null: not campaign activity
    const [p] = r.postings;
    expect([p!.currency, p!.rate, p!.units, p!.revenueMinor, p!.shipmentId, p!.note]).toEqual([
      "USD",
      null,
      0,
      0,
      null,
      "goodwill by finance:ana: missed bonus",
    ]);
    expect(r.facts).toEqual([]);
  });

  it("with a campaign: the entry names it, and the campaign's budget does not move", () => {
    const r = given([campaignCreated(), accepted()])
      .when(commissionAdjusted({ amount: "5.00", campaignId: "C1" }))
      .then([["adjustment", "K1", "C1", 500]])
      .thenTransfers([["adjustment", ADJUSTMENTS, EARNED, 500]])
      .thenAnomalies([]);
    expect(r.facts).toEqual([]); // no budget fact
    expect(spentOf(r.state, "C1")).toBe(0);
  });

  it("never touches a budget: granted in full on an exhausted campaign; a negative one releases nothing", () => {
    // Budget 1.00; S1's bonus 3.00 (30.00 × 0.10) is capped to 1.00: spent 100, exhausted.
    const r = given([
      campaignCreated({ budget: "1.00" }),
      accepted(),
      shipped({ shipmentId: "S1", lines: [line("A1", "toys", 1, "30.00")] }),
    ])
      .when(
        commissionAdjusted({ amount: "5.00", campaignId: "C1" }),
        commissionAdjusted({ amount: "-3.00", reasonCode: "correction", campaignId: "C1" }),
      )
      .thenTransfers([
        ["adjustment", ADJUSTMENTS, EARNED, 500],
        ["adjustment", EARNED, ADJUSTMENTS, -300],
      ]);
    expect(r.facts).toEqual([]);
    expect(spentOf(r.state, "C1")).toBe(100);
    expect(r.state.campaigns.get("C1")!.balanceMinor).toBe(0);
  });

  it("in yen: whole units", () => {
    given([])
      .when(commissionAdjusted({ marketplace: "JP", amount: "-1500", reasonCode: "chargeback" }))
      .thenTransfers([["adjustment", "creator:K1:JP:earned", "program:JP:adjustments", -1500]]);
  });
});

describe("CommissionAdjusted: the earning month is the month of occurredAt in the marketplace zone", () => {
  it.each([
    // US reports in America/Los_Angeles (PDT, −07:00, from 2026-03-08).
    ["US", "2026-04-01T06:59:59Z", "2026-03"], // 2026-03-31 23:59:59 PDT
    ["US", "2026-04-01T07:00:00Z", "2026-04"], // 2026-04-01 00:00 PDT
    ["US", "2026-03-31T23:30:00-08:00", "2026-04"], // written with a PST offset: 2026-04-01T07:30Z = 00:30 PDT
    // JP reports in Asia/Tokyo (+09:00): the month starts on the previous UTC day.
    ["JP", "2026-03-31T14:59:59Z", "2026-03"], // 2026-03-31 23:59:59 JST
    ["JP", "2026-03-31T15:00:00Z", "2026-04"], // 2026-04-01 00:00 JST
    ["JP", "2026-04-01T08:00:00+09:00", "2026-04"],
  ])("%s, occurredAt %s → %s", (marketplace, occurredAt, month) => {
    const amount = marketplace === "JP" ? "100" : "1.00";
    const r = given([]).when(commissionAdjusted({ marketplace, amount, occurredAt }));
    expect(dated(r.postings)).toEqual([["adjustment", 100, month, null]]);
  });
});

describe("CommissionAdjusted: anomalies book nothing", () => {
  it("an unknown campaign", () => {
    onlyAnomaly(given([]).when(commissionAdjusted({ campaignId: "CX" })), "unknown_campaign", "K1", "CX");
  });

  it("a campaign of another marketplace", () => {
    // C1 is a US campaign; the adjustment is in CA.
    onlyAnomaly(
      given([campaignCreated(), accepted()]).when(commissionAdjusted({ marketplace: "CA", campaignId: "C1" })),
      "marketplace_mismatch",
      "K1",
      "C1",
    );
  });
});

describe("PayoutFailed", () => {
  it("moves the payout's amount back: payouts → creator:earned", () => {
    const r = given([payoutIssued({ payoutId: PAYOUT_ID, amount: "12.30" })])
      .when(payoutFailed({ payoutId: PAYOUT_ID, reason: "account_closed" }))
      .then([["payout_failed", "K1", null, 1230]])
      .thenTransfers([["payout_failed", PAYOUTS, EARNED, 1230]])
      .thenAnomalies([]);
    expect(dated(r.postings)).toEqual([["payout_failed", 1230, null, null]]);
    expect(r.facts).toEqual([{ kind: "payout_failed", creatorId: "K1", marketplace: "US", payoutId: PAYOUT_ID, reason: "account_closed" }]);
    expect(balancesOf(r.all.postings)).toEqual({ [EARNED]: 0, [PAYOUTS]: 0 }); // −1230 + 1230
  });

  it("in the payout's own marketplace and currency", () => {
    given([payoutIssued({ payoutId: "payout:K1:JP:2026-05-31", marketplace: "JP", amount: "5000" })])
      .when(payoutFailed({ payoutId: "payout:K1:JP:2026-05-31" }))
      .thenTransfers([["payout_failed", "payouts:JP", "creator:K1:JP:earned", 5000]]);
  });

  it("only the payout it names fails", () => {
    given([payoutIssued({ payoutId: "P1", amount: "3.00" }), payoutIssued({ payoutId: "P2", amount: "4.00" })])
      .when(payoutFailed({ payoutId: "P2" }))
      .thenTransfers([["payout_failed", PAYOUTS, EARNED, 400]]);
  });

  it("of a payoutId issued twice: the first (counted) payout's amount comes back", () => {
    const history = [payoutIssued({ payoutId: PAYOUT_ID, amount: "12.30" }), payoutIssued({ payoutId: PAYOUT_ID, amount: "99.00" })]; // the second is duplicate_payout
    given(history)
      .when(payoutFailed({ payoutId: PAYOUT_ID }))
      .thenTransfers([["payout_failed", PAYOUTS, EARNED, 1230]]);
  });

  it("an unknown payoutId is unknown_payout and books nothing", () => {
    onlyAnomaly(given([]).when(payoutFailed({ payoutId: "payout:K1:US:2026-04-02" })), "unknown_payout", null, null);
  });

  it("a second failure of one payout is payout_already_failed and books nothing", () => {
    onlyAnomaly(
      given([payoutIssued({ payoutId: PAYOUT_ID }), payoutFailed({ payoutId: PAYOUT_ID })]).when(
        payoutFailed({ payoutId: PAYOUT_ID, reason: "other" }),
      ),
      "payout_already_failed",
      "K1",
      null,
    );
  });
});

describe("a negative adjustment after a payout", () => {
  it("leaves the creator's earned balance negative", () => {
    // S1: 1 × A1 at 30.00, toys: standard 90, bonus 300 confirmed at the end; earned 390, all paid.
    const history = [
      campaignCreated(),
      accepted(),
      contentLink(),
      shipped({ shipmentId: "S1", lines: [line("A1", "toys", 1, "30.00")] }),
      campaignEnded(),
      payoutIssued({ amount: "3.90" }),
    ];
    const r = given(history)
      .when(commissionAdjusted({ amount: "-5.00", reasonCode: "chargeback", campaignId: "C1", occurredAt: "2026-06-10T12:00:00Z" }))
      .then([["adjustment", "K1", "C1", -500]])
      .thenTransfers([["adjustment", EARNED, ADJUSTMENTS, -500]]);
    expect(dated(r.postings)).toEqual([["adjustment", -500, "2026-06", null]]);
    const balances = balancesOf(r.all.postings);
    expect([balances[EARNED], balances[ADJUSTMENTS], balances[PAYOUTS]]).toEqual([-500, 500, 390]); // 90 + 300 − 390 − 500
    // total 90 + 300 − 500 = −110; earned = total − pending 0 − paid 390 = −500
    expect(bucketsOf(r.all.postings, "K1")).toEqual({
      standard: 90,
      bonusPending: 0,
      bonusConfirmed: 300,
      bonusForfeited: 0,
      reversed: 0,
      adjusted: -500,
      total: -110,
    });
  });
});
