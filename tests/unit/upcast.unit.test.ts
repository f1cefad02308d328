// SPEC §2 (schemaVersion: older versions are upcast on read) and §3 ("A campaign's currency is
// its marketplace's currency"): CampaignCreated v1 → v2 adds the explicit `currency`.
import { describe, expect, it } from "vitest";
import { toCurrentEvent } from "../../domain/events/current.ts";
import { upcast } from "../../domain/events/upcast.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { accepted, campaignCreated, given, line, shipped, type PostingTuple, type RawEvent } from "../support/domainFixtures.ts";

function current(raw: RawEvent) {
  const result = validateBatch([raw]);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return toCurrentEvent({ ...result.events[0]!, position: 1 });
}

describe("CampaignCreated v1 → v2", () => {
  it.each([
    ["US", "USD", "500.00"],
    ["CA", "CAD", "500.00"],
    ["UK", "GBP", "500.00"],
    ["DE", "EUR", "500.00"],
    ["IN", "INR", "500.00"],
    ["JP", "JPY", "50000"],
  ])("a v1 campaign in %s reads as v2 with currency %s", (marketplace, currency, budget) => {
    const event = current(campaignCreated({ id: `cc-${marketplace}`, marketplace, budget }));
    expect(event.type).toBe("CampaignCreated");
    expect(event.data).toEqual({
      campaignId: "C1",
      brandId: "B1",
      marketplace,
      bonusRate: "0.10",
      budget,
      startsAt: "2026-03-01T00:00:00-08:00",
      endsAt: "2026-04-01T00:00:00-07:00",
      asins: ["A1", "A2"],
      currency,
    });
  });

  it("an explicit schemaVersion 1 upcasts the same way", () => {
    expect(current(campaignCreated({ schemaVersion: 1, marketplace: "JP", budget: "50000" })).data).toMatchObject({ currency: "JPY" });
  });

  it("a v2 event with the right currency is valid and read as is", () => {
    const event = current(campaignCreated({ schemaVersion: 2, marketplace: "UK", currency: "GBP" }));
    expect(event.data).toMatchObject({ marketplace: "UK", currency: "GBP" });
  });

  it("a v2 event with the wrong currency is refused", () => {
    const result = validateBatch([campaignCreated({ id: "cc-wrong", schemaVersion: 2, marketplace: "US", currency: "EUR" })]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([{ index: 0, id: "cc-wrong", path: "data.currency", message: expect.stringContaining("USD") }]);
  });

  it("a v2 event without currency is refused", () => {
    const result = validateBatch([campaignCreated({ id: "cc-none", schemaVersion: 2 })]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual(["data.currency"]);
  });

  it("a v1 event carrying a currency is refused (unknown field in v1)", () => {
    const result = validateBatch([campaignCreated({ id: "cc-v1cur", currency: "USD" })]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([{ index: 0, id: "cc-v1cur", path: "data", message: expect.stringContaining("currency") }]);
  });

  it("a v2 budget is still checked against the currency's digits", () => {
    const result = validateBatch([campaignCreated({ schemaVersion: 2, marketplace: "JP", currency: "JPY", budget: "10.5" })]);
    expect(result.ok).toBe(false);
  });
});

describe("upcast()", () => {
  it("leaves types without later versions unchanged", () => {
    const data = { campaignId: "C1", creatorId: "K1", trackingId: "T1" };
    expect(upcast("CampaignAccepted", 1, data)).toEqual(data);
  });

  it("refuses a version newer than the code knows", () => {
    expect(() => upcast("CampaignCreated", 3, {})).toThrow();
    expect(() => upcast("CampaignAccepted", 2, {})).toThrow();
  });
});

describe("the engine reads v1 and v2 campaigns alike", () => {
  it("same postings for a v1 and a v2 campaign", () => {
    const sale = () => shipped({ shipmentId: "S1", lines: [line("A1", "toys", 3, "9.99")] });
    // 29.97 × 0.03 = 0.8991 → 0.90; 29.97 × 0.10 = 2.997 → 3.00
    const expected: PostingTuple[] = [
      ["standard", "K1", "C1", 90],
      ["bonus_pending", "K1", "C1", 300],
    ];
    given([campaignCreated(), accepted()]).when(sale()).then(expected);
    given([campaignCreated({ schemaVersion: 2, currency: "USD" }), accepted()])
      .when(sale())
      .then(expected);
  });
});
