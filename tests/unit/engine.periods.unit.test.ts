// SPEC §13 in the engine: PeriodClosed closes a marketplace's month and every earlier one; the month
// must have ended in the marketplace's zone (`period_not_ended`, checked first), a month already
// closed is `invalid_state`. After the close, an amount whose earning month (rule 9) is closed is
// booked in the first open month — the month after the latest closed one, even when later months
// have passed — with `originalMonth` naming where rule 9 put it; the daily report keeps its own date.
import { describe, expect, it } from "vitest";
import type { Posting } from "../../domain/engine/outcome.ts";
import {
  accepted,
  campaignCreated,
  campaignEnded,
  commissionAdjusted,
  contentLink,
  given,
  line,
  onlyAnomaly,
  periodClosed,
  shipped,
} from "../support/domainFixtures.ts";

/** [kind, amount, booked month, original month, report date] */
const months = (postings: readonly Posting[]) =>
  postings.map((p) => [p.kind, p.amountMinor, p.earningMonth, p.originalMonth, p.reportDate]);

describe("PeriodClosed", () => {
  it("closes the month: a fact with who and when; nothing is booked", () => {
    const r = given([]).when(periodClosed({ month: "2026-03", occurredAt: "2026-04-05T12:00:00Z", note: "Q1 filed" }));
    expect(r.postings).toEqual([]);
    expect(r.facts).toEqual([
      {
        kind: "period_closed",
        marketplace: "US",
        month: "2026-03",
        actor: "finance:ana",
        note: "Q1 filed",
        closedAt: "2026-04-05T12:00:00Z",
      },
    ]);
  });

  it("a month not ended in the marketplace's zone is period_not_ended; checked before invalid_state", () => {
    // 2026-04-01T05:00Z is still March 31 in Los Angeles (22:00 PDT).
    onlyAnomaly(given([]).when(periodClosed({ month: "2026-03", occurredAt: "2026-04-01T05:00:00Z" })), "period_not_ended", null, null);
    onlyAnomaly(
      given([periodClosed({ month: "2026-03" })]).when(periodClosed({ month: "2026-04", occurredAt: "2026-04-20T00:00:00Z" })),
      "period_not_ended",
      null,
      null,
    );
    const r = given([]).when(periodClosed({ month: "2026-03", occurredAt: "2026-04-01T07:00:00Z" })); // 00:00 PDT April 1: March has ended
    expect(r.anomalies).toEqual([]);
  });

  it("closing a closed month (or an earlier one) is invalid_state; a later month closes on", () => {
    onlyAnomaly(given([periodClosed({ month: "2026-03" })]).when(periodClosed({ month: "2026-03" })), "invalid_state", null, null);
    onlyAnomaly(given([periodClosed({ month: "2026-03" })]).when(periodClosed({ month: "2026-01" })), "invalid_state", null, null);
    expect(
      given([periodClosed({ month: "2026-03" })]).when(periodClosed({ month: "2026-04", occurredAt: "2026-05-02T12:00:00Z" })).anomalies,
    ).toEqual([]);
  });
});

describe("amounts of a closed month are booked in the first open month", () => {
  const campaign = [
    campaignCreated({ campaignId: "C1", asins: ["A1"] }),
    accepted({ campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
  ];

  it("a late shipment of March after March closed: booked in April, originally March; its report day stays March 10", () => {
    // toys 3 × 9.99 = 29.97: standard × 0.03 = 0.90; bonus × 0.10 = 3.00 (pending).
    const r = given([...campaign, periodClosed({ month: "2026-03" })]).when(
      shipped({ trackingId: "T1", occurredAt: "2026-03-10T18:00:00Z", lines: [line("A1", "toys", 3, "9.99")] }),
    );
    expect(months(r.postings)).toEqual([
      ["standard", 90, "2026-04", "2026-03", "2026-03-10"],
      ["bonus_pending", 300, "2026-04", "2026-03", "2026-03-10"],
    ]);
  });

  it("the first open month is the one after the latest close, even months later; another marketplace is not closed", () => {
    const r = given([periodClosed({ month: "2026-03" })]).when(
      commissionAdjusted({ amount: "5.00", occurredAt: "2026-03-20T12:00:00Z" }),
      commissionAdjusted({ amount: "1.00", occurredAt: "2026-07-20T12:00:00Z" }),
      commissionAdjusted({ marketplace: "CA", amount: "2.00", occurredAt: "2026-03-20T12:00:00Z" }),
    );
    expect(months(r.postings)).toEqual([
      ["adjustment", 500, "2026-04", "2026-03", null],
      ["adjustment", 100, "2026-07", "2026-07", null],
      ["adjustment", 200, "2026-03", "2026-03", null],
    ]);
  });

  it("a pending bonus of a closed month confirmed later: the closed month keeps its pending, the open month carries the pair", () => {
    const r = given([
      ...campaign,
      contentLink({ campaignId: "C1", creatorId: "K1", disclosure: "#ad" }),
      shipped({ trackingId: "T1", lines: [line("A1", "toys", 3, "9.99")] }), // March: standard 0.90, bonus 3.00 pending
      periodClosed({ month: "2026-03" }),
    ]).when(campaignEnded({ campaignId: "C1", occurredAt: "2026-04-01T07:00:00Z" }));
    expect(months(r.postings)).toEqual([["bonus_confirm", 300, "2026-04", "2026-03", "2026-03-10"]]); // the report keeps the shipment's day
  });
});
