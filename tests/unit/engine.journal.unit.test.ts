// SPEC §8.1 double-entry journal: every amount the engine books is a transfer of a positive amount
// from a source account to a destination account; the ledger keeps the signed amount, and an entry
// of the other sign moves the other way. One example per entry kind of the §8.1 table, a memo entry
// (no accounts), an amount of 0 (no transfer), account names of ids that contain ':' (written %3A),
// and a whole history whose balances sum to 0 and reconcile with the budget and the earnings.
import { describe, expect, it } from "vitest";
import { ENTRY_KINDS_LIST } from "../../domain/journal/entryKinds.ts";
import {
  accepted,
  balanceWrittenOff,
  balancesOf,
  bucketsOf,
  campaignBudgetChanged,
  campaignCreated,
  campaignEnded,
  commissionAdjusted,
  contentLink,
  given,
  line,
  payoutFailed,
  payoutIssued,
  returned,
  run,
  shipped,
  type RawEvent,
  type TransferTuple,
} from "../support/domainFixtures.ts";

const BRAND = "brand:B1:US";
const BUDGET = "campaign:C1:budget";
const PENDING = "creator:K1:C1:pending";
const EARNED = "creator:K1:US:earned";
const PROGRAM = "program:US:standard";
const ADJUSTMENTS = "program:US:adjustments";
const PAYOUTS = "payouts:US";

// Default campaign C1 of brand B1: US, budget 500.00, bonus 10 %, ASINs A1 and A2.
// S1: 3 × A1 at 10.00, toys: standard 30.00 × 0.03 = 0.90 (90), bonus 30.00 × 0.10 = 3.00 (300).
// One unit back: standard round(90 × 1/3) = 30, bonus round(300 × 1/3) = 100.
const base = (budget = "500.00") => [campaignCreated({ budget }), accepted()];
const s1 = () => shipped({ shipmentId: "S1", lines: [line("A1", "toys", 3, "10.00")] });
const returnOne = () => returned({ shipmentId: "S1", occurredAt: "2026-03-20T18:00:00Z", lines: [{ asin: "A1", quantity: 1 }] });
/** Ordered inside the period, shipped after CampaignEnded: settled at once (rule 5, last sentence). Same amounts as S1. */
const lateS2 = () =>
  shipped({
    shipmentId: "S2",
    orderedAt: "2026-03-30T12:00:00Z",
    occurredAt: "2026-04-03T12:00:00Z",
    lines: [line("A1", "toys", 3, "10.00")],
  });

interface Example {
  name: string;
  given: () => RawEvent[];
  when: () => RawEvent[];
  /** [kind, source, destination, signed amount] of the `when` events. */
  then: TransferTuple[];
}

const examples: Example[] = [
  {
    name: "budget_funding: CampaignCreated, brand → campaign:budget",
    given: () => [],
    when: () => [campaignCreated()],
    then: [["budget_funding", BRAND, BUDGET, 50000]], // 500.00
  },
  {
    name: "budget_funding: a §9 raise funds the change of remaining",
    given: () => base(),
    when: () => [campaignBudgetChanged({ budget: "800.00" })],
    then: [["budget_funding", BRAND, BUDGET, 30000]], // remaining 500.00 → 800.00
  },
  {
    name: "budget_return: a §9 cut, campaign:budget → brand (signed negative)",
    given: () => base(),
    when: () => [campaignBudgetChanged({ budget: "200.00" })],
    then: [["budget_return", BUDGET, BRAND, -30000]], // remaining 500.00 → 200.00
  },
  {
    name: "budget_return: right after a release the budget has no room for (cut below spent, then a pending return)",
    // budget 5.00; S1 grants 300 (remaining 200); cut to 1.00 < spent 300: remaining 0 (return 200).
    given: () => [...base("5.00"), s1(), campaignBudgetChanged({ budget: "1.00" })],
    when: () => [returnOne()],
    then: [
      ["standard_reversal", EARNED, PROGRAM, -30],
      ["bonus_pending_return", PENDING, BUDGET, -100], // spent 300 → 200, still above the budget of 100
      ["budget_return", BUDGET, BRAND, -100], // remaining = max(0, 100 − 200) = 0: the 100 goes on to the brand
    ],
  },
  {
    name: "standard and bonus_pending: a shipment",
    given: () => base(),
    when: () => [s1()],
    then: [
      ["standard", PROGRAM, EARNED, 90],
      ["bonus_pending", BUDGET, PENDING, 300],
    ],
  },
  {
    name: "standard_reversal and bonus_pending_return: a return while the bonus is pending",
    given: () => [...base(), s1()],
    when: () => [returnOne()],
    then: [
      ["standard_reversal", EARNED, PROGRAM, -30],
      ["bonus_pending_return", PENDING, BUDGET, -100],
    ],
  },
  {
    name: "bonus_confirm: CampaignEnded with qualifying content",
    given: () => [...base(), contentLink(), s1()],
    when: () => [campaignEnded()],
    then: [["bonus_confirm", PENDING, EARNED, 300]],
  },
  {
    name: "bonus_forfeit: CampaignEnded without content",
    given: () => [...base(), s1()],
    when: () => [campaignEnded()],
    then: [["bonus_forfeit", PENDING, BUDGET, 300]],
  },
  {
    name: "bonus_forfeit of a partly returned pending bonus: + granted, then the negative piece of the return",
    given: () => [...base(), s1(), returnOne()],
    when: () => [campaignEnded()],
    then: [
      ["bonus_forfeit", PENDING, BUDGET, 300],
      ["bonus_forfeit", BUDGET, PENDING, -100], // already back in the budget by its return: net 200 forfeited
    ],
  },
  {
    name: "bonus_confirmed: a shipment applied after the end, with content",
    given: () => [...base(), contentLink(), campaignEnded()],
    when: () => [lateS2()],
    then: [
      ["standard", PROGRAM, EARNED, 90],
      ["bonus_confirmed", BUDGET, EARNED, 300],
    ],
  },
  {
    name: "bonus_reversal: a return of a confirmed bonus",
    given: () => [...base(), contentLink(), s1(), campaignEnded()],
    when: () => [returnOne()],
    then: [
      ["standard_reversal", EARNED, PROGRAM, -30],
      ["bonus_reversal", EARNED, BUDGET, -100],
    ],
  },
  {
    name: "bonus_forfeited: a memo with no accounts (the lost bonus never left the budget)",
    given: () => [...base(), campaignEnded()],
    when: () => [lateS2()],
    then: [
      ["standard", PROGRAM, EARNED, 90],
      ["bonus_forfeited", null, null, 300],
    ],
  },
  {
    name: "payout: creator:earned → payouts (signed negative)",
    given: () => [],
    when: () => [payoutIssued({ amount: "3.90" })],
    then: [["payout", EARNED, PAYOUTS, -390]],
  },
  {
    name: "payout_failed: payouts → creator:earned",
    given: () => [payoutIssued({ amount: "3.90" })],
    when: () => [payoutFailed()],
    then: [["payout_failed", PAYOUTS, EARNED, 390]],
  },
  {
    name: "adjustment, positive: program:adjustments → creator:earned",
    given: () => [],
    when: () => [commissionAdjusted({ amount: "2.50" })],
    then: [["adjustment", ADJUSTMENTS, EARNED, 250]],
  },
  {
    name: "adjustment, negative: creator:earned → program:adjustments",
    given: () => [],
    when: () => [commissionAdjusted({ amount: "-1.50", reasonCode: "chargeback" })],
    then: [["adjustment", EARNED, ADJUSTMENTS, -150]],
  },
  {
    // SPEC §12: paid 3.90 out of 2.50 earned (owes 1.40); 1.00 of it forgiven.
    name: "writeoff: program:writeoffs → creator:earned",
    given: () => [commissionAdjusted({ amount: "2.50" }), payoutIssued({ amount: "3.90" })],
    when: () => [balanceWrittenOff({ amount: "1.00" })],
    then: [["writeoff", "program:US:writeoffs", EARNED, 100]],
  },
];

describe("SPEC §8.1: the transfer of each entry kind", () => {
  it.each(examples.map((e) => [e.name, e] as const))("%s", (_name, e) => {
    given(e.given())
      .when(...e.when())
      .thenTransfers(e.then)
      .thenAnomalies([]);
  });

  it("every entry kind of the table has an example above", () => {
    const shown = new Set(examples.flatMap((e) => e.then.map(([kind]) => kind)));
    expect(ENTRY_KINDS_LIST.filter((kind) => !shown.has(kind))).toEqual([]);
  });
});

describe("SPEC §8.1: an amount of 0 books nothing", () => {
  // gift_cards: standard rate 0. G1 is not a campaign ASIN; A1 is, and earns its bonus as usual.
  const giftCards = () =>
    shipped({ shipmentId: "S3", lines: [line("G1", "gift_cards", 2, "25.00"), line("A1", "gift_cards", 1, "50.00")] });

  it("a gift-card line's standard entry has no accounts; it still carries units and revenue for the report", () => {
    const r = given(base())
      .when(giftCards())
      .thenTransfers([
        ["standard", null, null, 0],
        ["standard", null, null, 0],
        ["bonus_pending", BUDGET, PENDING, 500], // 50.00 × 0.10
      ]);
    expect(r.postings.map((p) => [p.units, p.revenueMinor])).toEqual([
      [2, 5000],
      [1, 5000],
      [0, 0],
    ]);
    expect(balancesOf(r.postings)).toEqual({ [BUDGET]: -500, [PENDING]: 500 });
  });

  it("so does its return's standard reversal", () => {
    given([...base(), giftCards()])
      .when(returned({ shipmentId: "S3", lines: [{ asin: "G1", quantity: 1 }] }))
      .thenTransfers([["standard_reversal", null, null, 0]]);
  });
});

describe("SPEC §8.1 account names: an id with ':' is written %3A", () => {
  it("brand, campaign budget, pending and earned accounts", () => {
    const r = given([])
      .when(
        campaignCreated({ campaignId: "C:1", brandId: "B:1" }),
        accepted({ campaignId: "C:1", creatorId: "K:9", trackingId: "T:9" }),
        shipped({ shipmentId: "S1", trackingId: "T:9", lines: [line("A1", "toys", 3, "10.00")] }),
        commissionAdjusted({ creatorId: "K:9", amount: "1.00", campaignId: "C:1" }),
      )
      .thenTransfers([
        ["budget_funding", "brand:B%3A1:US", "campaign:C%3A1:budget", 50000],
        ["standard", "program:US:standard", "creator:K%3A9:US:earned", 90],
        ["bonus_pending", "campaign:C%3A1:budget", "creator:K%3A9:C%3A1:pending", 300],
        ["adjustment", "program:US:adjustments", "creator:K%3A9:US:earned", 100],
      ]);
    // The entries themselves keep the ids as sent.
    r.then([
      ["budget_funding", null, "C:1", 50000],
      ["standard", "K:9", "C:1", 90],
      ["bonus_pending", "K:9", "C:1", 300],
      ["adjustment", "K:9", "C:1", 100],
    ]);
  });
});

describe("SPEC §8.1 reconciliation over one history", () => {
  it("balances sum to 0; campaign:budget = remaining, pending = bonusPending, earned = total − pending − paid", () => {
    const r = run([
      ...base(), // funding 50000
      contentLink(), // K1 qualifies
      accepted({ creatorId: "K2", trackingId: "T2" }), // K2 has no content
      s1(), // K1: standard 90, bonus 300 pending
      shipped({ shipmentId: "S2", trackingId: "T2", lines: [line("A2", "toys", 1, "20.00")] }), // K2: standard 60, bonus 200 pending
      returnOne(), // K1: standard −30, pending −100
      campaignEnded(), // K1: confirm 300 − 100 = 200; K2: forfeit 200
      payoutIssued({ amount: "2.60" }), // K1: 90 − 30 + 200 = 260 paid
      payoutFailed(), // and back
      commissionAdjusted({ creatorId: "K2", amount: "-1.00", reasonCode: "fraud" }), // K2: −100
    ]);
    expect(r.anomalies).toEqual([]);
    expect(balancesOf(r.postings)).toEqual({
      [BRAND]: -50000,
      [BUDGET]: 49800, // 50000 − 300 − 200 + 100 (return) + 200 (forfeit) = remaining: 500.00 − spent 2.00
      [PENDING]: 0, // 300 − 100 − 200
      "creator:K2:C1:pending": 0, // 200 − 200
      [PROGRAM]: -120, // −90 − 60 + 30
      [EARNED]: 260, // 90 − 30 + 200 − 260 + 260
      "creator:K2:US:earned": -40, // 60 − 100
      [ADJUSTMENTS]: 100,
      [PAYOUTS]: 0, // 260 − 260
    }); // −50000 + 49800 − 120 + 260 − 40 + 100 = 0
    expect(bucketsOf(r.postings, "K1")).toEqual({
      standard: 90,
      bonusPending: 0,
      bonusConfirmed: 200,
      bonusForfeited: 0,
      reversed: -30,
      adjusted: 0,
      total: 260,
    });
    expect(bucketsOf(r.postings, "K2")).toEqual({
      standard: 60,
      bonusPending: 0,
      bonusConfirmed: 0,
      bonusForfeited: 200,
      reversed: 0,
      adjusted: -100,
      total: -40,
    });
  });
});
