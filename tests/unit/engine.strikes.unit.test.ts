// SPEC §4 rule 7 (strikes: removed by the strike that makes three strikes inside
// (t − 365 days, t]; removedAt = that strike's occurredAt; no bonus for orders placed at or after
// removedAt; standard commission continues), with rule 3 (the bonus condition on orderedAt).
import { describe, expect, it } from "vitest";
import {
  accepted,
  campaignCreated,
  campaignEnded,
  contentLink,
  given,
  line,
  run,
  shipped,
  strike,
  type PostingTuple,
  type RawEvent,
} from "../support/domainFixtures.ts";

// A campaign over February and March 2026; a sale of 1 × A1 at 10.00 earns standard 30 and bonus 100.
const world = () => [campaignCreated({ startsAt: "2026-02-01T00:00:00Z", endsAt: "2026-04-01T00:00:00Z", asins: ["A1"] }), accepted()];
const saleOrderedAt = (orderedAt: string, trackingId = "T1") =>
  shipped({
    shipmentId: `S-${orderedAt}-${trackingId}`,
    trackingId,
    orderedAt,
    occurredAt: "2026-03-20T18:00:00Z",
    lines: [line("A1", "toys", 1, "10.00")],
  });
const strikesAt = (...times: string[]): RawEvent[] => times.map((occurredAt) => strike({ occurredAt }));

const withBonus = (): PostingTuple[] => [
  ["standard", "K1", "C1", 30],
  ["bonus_pending", "K1", "C1", 100],
];
const standardOnly = (): PostingTuple[] => [["standard", "K1", "C1", 30]];

function removedAtAfter(strikes: RawEvent[]): (string | null)[] {
  return run([...world(), ...strikes]).facts.flatMap((f) => (f.kind === "strike" ? [f.removedAt] : []));
}

describe("rule 7: the 365-day window (t − 365 days, t]", () => {
  it("a strike exactly 365 days earlier does not count", () => {
    // 2025-03-01 → 2026-03-01 is 365 days (February 2026 has 28).
    expect(removedAtAfter(strikesAt("2025-03-01T00:00:00Z", "2025-09-01T00:00:00Z", "2026-03-01T00:00:00Z"))).toEqual([null, null, null]);
    given([...world(), ...strikesAt("2025-03-01T00:00:00Z", "2025-09-01T00:00:00Z", "2026-03-01T00:00:00Z")])
      .when(saleOrderedAt("2026-03-05T12:00:00Z"))
      .then(withBonus());
  });

  it("a strike 364 days earlier counts: removed at the third strike", () => {
    expect(removedAtAfter(strikesAt("2025-03-01T00:00:00Z", "2025-09-01T00:00:00Z", "2026-02-28T00:00:00Z"))).toEqual([
      null,
      null,
      "2026-02-28T00:00:00.000Z",
    ]);
  });

  it("a strike 365 days minus 1 ms earlier counts", () => {
    expect(removedAtAfter(strikesAt("2025-03-01T00:00:00Z", "2025-09-01T00:00:00Z", "2026-02-28T23:59:59.999Z"))).toEqual([
      null,
      null,
      "2026-02-28T23:59:59.999Z",
    ]);
  });

  it("strikes given with offsets compare as instants", () => {
    // 2025-02-28T16:00:00-08:00 is 2025-03-01T00:00:00Z: exactly 365 days before the third.
    expect(removedAtAfter(strikesAt("2025-02-28T16:00:00-08:00", "2025-09-01T00:00:00Z", "2026-03-01T00:00:00Z"))).toEqual([
      null,
      null,
      null,
    ]);
  });

  it("an old strike falls out; a later one makes three again", () => {
    expect(
      removedAtAfter(strikesAt("2025-01-01T00:00:00Z", "2025-06-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z")),
    ).toEqual([
      null,
      null,
      null, // 2025-01-01 is more than 365 days before 2026-03-01
      "2026-03-02T00:00:00.000Z", // 2025-06-01, 2026-03-01, 2026-03-02
    ]);
  });

  it("three strikes at the same instant remove at that instant", () => {
    expect(removedAtAfter(strikesAt("2026-02-10T00:00:00Z", "2026-02-10T00:00:00Z", "2026-02-10T00:00:00Z"))).toEqual([
      null,
      null,
      "2026-02-10T00:00:00.000Z",
    ]);
  });

  it("a fourth strike does not move removedAt", () => {
    expect(
      removedAtAfter(strikesAt("2026-01-10T00:00:00Z", "2026-01-20T00:00:00Z", "2026-02-10T00:00:00Z", "2026-02-20T00:00:00Z")),
    ).toEqual([null, null, "2026-02-10T00:00:00.000Z", "2026-02-10T00:00:00.000Z"]);
  });

  it("a strike that arrives late (earlier occurredAt) moves removedAt to the strike that makes three in business time", () => {
    // Applied: 01-10, 03-10, 03-20 → removed at 03-20. Then one dated 02-10: 01-10, 02-10, 03-10 are three within 365 days.
    expect(
      removedAtAfter(strikesAt("2026-01-10T00:00:00Z", "2026-03-10T00:00:00Z", "2026-03-20T00:00:00Z", "2026-02-10T00:00:00Z")),
    ).toEqual([null, null, "2026-03-20T00:00:00.000Z", "2026-03-10T00:00:00.000Z"]);
    given([...world(), ...strikesAt("2026-01-10T00:00:00Z", "2026-03-10T00:00:00Z", "2026-03-20T00:00:00Z", "2026-02-10T00:00:00Z")])
      .when(saleOrderedAt("2026-03-15T12:00:00Z"))
      .then(standardOnly());
  });

  it("strikes are per creator", () => {
    const r = given([
      ...world(),
      accepted({ creatorId: "K2", trackingId: "T2" }),
      ...["2026-01-10T00:00:00Z", "2026-01-20T00:00:00Z", "2026-02-10T00:00:00Z"].map((occurredAt) =>
        strike({ creatorId: "K2", occurredAt }),
      ),
    ]).when(saleOrderedAt("2026-03-05T12:00:00Z", "T1"), saleOrderedAt("2026-03-05T12:00:00Z", "T2"));
    r.then([
      ["standard", "K1", "C1", 30],
      ["bonus_pending", "K1", "C1", 100],
      ["standard", "K2", "C1", 30],
    ]);
  });
});

describe("rule 7: no bonus for orders at or after removedAt; standard continues", () => {
  const removed = () => [...world(), ...strikesAt("2025-03-01T00:00:00Z", "2025-09-01T00:00:00Z", "2026-02-28T00:00:00Z")]; // removedAt 2026-02-28T00:00:00Z

  it("an order at exactly removedAt earns standard only", () => {
    given(removed()).when(saleOrderedAt("2026-02-28T00:00:00Z")).then(standardOnly());
  });

  it("an order at removedAt written with another offset earns standard only", () => {
    given(removed()).when(saleOrderedAt("2026-02-27T16:00:00-08:00")).then(standardOnly());
  });

  it("an order 1 ms before removedAt earns the bonus (even though shipped after)", () => {
    given(removed()).when(saleOrderedAt("2026-02-27T23:59:59.999Z")).then(withBonus());
  });

  it("a later order earns standard only", () => {
    given(removed()).when(saleOrderedAt("2026-03-15T12:00:00Z")).then(standardOnly());
  });

  it("a bonus on an order placed before removal stays pending and is confirmed at the end", () => {
    const before = shipped({
      shipmentId: "S0",
      orderedAt: "2026-02-20T12:00:00Z",
      occurredAt: "2026-02-22T12:00:00Z",
      lines: [line("A1", "toys", 1, "10.00")],
    });
    given([
      ...world(),
      contentLink({ occurredAt: "2026-02-15T12:00:00Z" }),
      before,
      ...strikesAt("2025-03-01T00:00:00Z", "2025-09-01T00:00:00Z", "2026-02-28T00:00:00Z"),
    ])
      .when(campaignEnded({ occurredAt: "2026-04-01T00:00:00Z" }))
      .then([["bonus_confirm", "K1", "C1", 100]]);
  });

  it("a strike is a fact, never a posting", () => {
    const r = given(world()).when(strike({ occurredAt: "2026-02-10T00:00:00Z", reason: "missing_disclosure", campaignId: "C1" }));
    expect(r.postings).toEqual([]);
    expect(r.anomalies).toEqual([]);
    expect(r.facts).toEqual([{ kind: "strike", creatorId: "K1", removedAt: null }]);
  });
});
