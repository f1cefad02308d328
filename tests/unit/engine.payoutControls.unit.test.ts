// SPEC §12 in the engine: holds per scope (a marketplace, or every marketplace) as facts, a second
// hold of a held scope and a release of an unheld one `invalid_state`; a PayoutIssued while held is
// applied and listed as `paid_while_held`; a creator's own threshold as a fact (null removes it); a
// write-off of at most the debt (the negative balance of creator:{K}:{m}:earned) booked from
// program:{m}:writeoffs, counted as `adjusted` in the month it occurs; more than the debt
// `exceeds_receivable`, nothing booked. Amounts hand-computed.
import { describe, expect, it } from "vitest";
import {
  balanceWrittenOff,
  balancesOf,
  bucketsOf,
  commissionAdjusted,
  dated,
  given,
  onlyAnomaly,
  payoutIssued,
  payoutsHeld,
  payoutsReleased,
  payoutThresholdSet,
} from "../support/domainFixtures.ts";

const EARNED = "creator:K1:US:earned";
const WRITEOFFS = "program:US:writeoffs";

describe("PayoutsHeld / PayoutsReleased", () => {
  it("a hold of every marketplace is a fact with its reason, note, actor and start; it books nothing", () => {
    const r = given([])
      .when(payoutsHeld({ occurredAt: "2026-05-01T12:00:00Z" }))
      .then([])
      .thenAnomalies([]);
    expect(r.facts).toEqual([
      {
        kind: "hold",
        creatorId: "K1",
        marketplace: null,
        reasonCode: "fraud_review",
        note: "clicks from one address",
        actor: "risk:lee",
        since: "2026-05-01T12:00:00Z",
      },
    ]);
  });

  it("a second hold of a held scope is invalid_state; a marketplace hold beside the every-marketplace hold stands", () => {
    onlyAnomaly(given([payoutsHeld()]).when(payoutsHeld({ reasonCode: "dispute" })), "invalid_state", "K1", null);
    onlyAnomaly(given([payoutsHeld({ marketplace: "US" })]).when(payoutsHeld({ marketplace: "US" })), "invalid_state", "K1", null);
    const beside = given([payoutsHeld()]).when(
      payoutsHeld({ marketplace: "US", reasonCode: "compliance", occurredAt: "2026-05-02T00:00:00Z" }),
    );
    expect(beside.anomalies).toEqual([]);
    expect(beside.facts).toEqual([
      {
        kind: "hold",
        creatorId: "K1",
        marketplace: "US",
        reasonCode: "compliance",
        note: "clicks from one address",
        actor: "risk:lee",
        since: "2026-05-02T00:00:00Z",
      },
    ]);
  });

  it("a release ends the hold of its own scope only; a release of a scope not held is invalid_state", () => {
    onlyAnomaly(given([]).when(payoutsReleased()), "invalid_state", "K1", null);
    onlyAnomaly(given([payoutsHeld({ marketplace: "US" })]).when(payoutsReleased()), "invalid_state", "K1", null); // the every-marketplace hold is not held
    const r = given([payoutsHeld({ marketplace: "US" })]).when(payoutsReleased({ marketplace: "US" }));
    expect(r.facts).toEqual([{ kind: "release", creatorId: "K1", marketplace: "US", note: "review closed", actor: "risk:lee" }]);
    expect(r.state.holds.size).toBe(0);
  });

  it("a payout while held is applied as issued and listed as paid_while_held; held elsewhere or released, it is not listed", () => {
    const held = given([payoutsHeld()])
      .when(payoutIssued({ amount: "12.30" }))
      .then([["payout", "K1", null, -1230]])
      .thenAnomalies(["paid_while_held"]);
    expect(held.anomalies[0]!.creatorId).toBe("K1");
    expect(held.facts.map((f) => f.kind)).toEqual(["payout"]);
    given([payoutsHeld({ marketplace: "CA" })])
      .when(payoutIssued({ amount: "12.30" }))
      .thenAnomalies([]);
    given([payoutsHeld({ marketplace: "US" }), payoutsReleased({ marketplace: "US" })])
      .when(payoutIssued({ amount: "12.30" }))
      .thenAnomalies([]);
    given([payoutsHeld({ marketplace: "US" })])
      .when(payoutIssued({ amount: "12.30" }))
      .thenAnomalies(["paid_while_held"]);
  });
});

describe("PayoutThresholdSet", () => {
  it("the creator's own minimum as a fact in minor units; null removes it; JPY has no minor digits", () => {
    expect(given([]).when(payoutThresholdSet({ amount: "50.00" })).facts).toEqual([
      { kind: "threshold", creatorId: "K1", marketplace: "US", amountMinor: 5000 },
    ]);
    expect(given([]).when(payoutThresholdSet({ amount: null })).facts).toEqual([
      { kind: "threshold", creatorId: "K1", marketplace: "US", amountMinor: null },
    ]);
    expect(given([]).when(payoutThresholdSet({ marketplace: "JP", amount: "8000" })).facts).toEqual([
      { kind: "threshold", creatorId: "K1", marketplace: "JP", amountMinor: 8000 },
    ]);
  });
});

describe("BalanceWrittenOff", () => {
  // +5.00 adjustment, then a payout of 12.30: creator:K1:US:earned = 500 − 1230 = −730 (K1 owes 7.30).
  const inDebt = () => [commissionAdjusted({ amount: "5.00" }), payoutIssued({ amount: "12.30" })];

  it("at most the debt: booked from program:US:writeoffs to creator:K1:US:earned, adjusted, in the month it occurs, not in the report", () => {
    const r = given(inDebt())
      .when(balanceWrittenOff({ amount: "2.00", occurredAt: "2026-07-01T12:00:00Z" }))
      .then([["writeoff", "K1", null, 200]])
      .thenTransfers([["writeoff", WRITEOFFS, EARNED, 200]])
      .thenAnomalies([]);
    expect(dated(r.postings)).toEqual([["writeoff", 200, "2026-07", null]]); // 05:00 in Los Angeles on July 1
    expect(r.postings[0]!.note).toBe("uncollectible by finance:ana: creator left the program");
    expect(bucketsOf(r.postings, "K1")).toMatchObject({ adjusted: 200, standard: 0 });
    expect(balancesOf(r.all.outcomes.flatMap((o) => o.postings))[EARNED]).toBe(-530);
    expect(r.state.earnedMinor.get("K1\u0000US")).toBe(-530n);
  });

  it("the whole debt may go in parts; a cent more than what is still owed is exceeds_receivable and books nothing", () => {
    given([...inDebt(), balanceWrittenOff({ amount: "2.00" })])
      .when(balanceWrittenOff({ amount: "5.30" }))
      .then([["writeoff", "K1", null, 530]]);
    onlyAnomaly(
      given([...inDebt(), balanceWrittenOff({ amount: "2.00" })]).when(balanceWrittenOff({ amount: "5.31" })),
      "exceeds_receivable",
      "K1",
      null,
    );
    onlyAnomaly(
      given([...inDebt(), balanceWrittenOff({ amount: "7.30" })]).when(balanceWrittenOff({ amount: "0.01" })),
      "exceeds_receivable",
      "K1",
      null,
    );
  });

  it("no debt (a positive or zero balance, an unknown creator, another marketplace) is exceeds_receivable", () => {
    onlyAnomaly(
      given([commissionAdjusted({ amount: "5.00" })]).when(balanceWrittenOff({ amount: "1.00" })),
      "exceeds_receivable",
      "K1",
      null,
    );
    onlyAnomaly(given([]).when(balanceWrittenOff({ creatorId: "K-unknown", amount: "1.00" })), "exceeds_receivable", "K-unknown", null);
    onlyAnomaly(given(inDebt()).when(balanceWrittenOff({ marketplace: "CA", amount: "1.00" })), "exceeds_receivable", "K1", null);
    const r = given(inDebt()).when(balanceWrittenOff({ amount: "8.00" }));
    expect(r.anomalies[0]!.message).toBe("write-off of 8.00 USD for K1 in US, who owes 7.30; nothing is booked");
  });

  it("a clawback after payout: a negative adjustment below zero makes the debt a write-off forgives", () => {
    // +20.00, paid 20.00, then −3.00 (a chargeback): earned −300.
    const history = [
      commissionAdjusted({ amount: "20.00" }),
      payoutIssued({ amount: "20.00" }),
      commissionAdjusted({ amount: "-3.00", reasonCode: "chargeback" }),
    ];
    const r = given(history)
      .when(balanceWrittenOff({ amount: "3.00" }))
      .then([["writeoff", "K1", null, 300]]);
    expect(r.state.earnedMinor.get("K1\u0000US")).toBe(0n);
  });
});
