// SPEC §11 in the engine: webhook registrations and deletions are facts (no entry, no amount), a
// deletion of a webhook that is not registered is an anomaly; and the `budget_exhausted` fact,
// which is the webhook event budget.exhausted: the event that brings a campaign's remaining to 0.
import { describe, expect, it } from "vitest";
import {
  SHIPPED_AT,
  accepted,
  campaignBudgetChanged,
  campaignCreated,
  factsOf,
  given,
  line,
  onlyAnomaly,
  shipped,
  webhookDeleted,
  webhookRegistered,
} from "../support/domainFixtures.ts";

describe("webhook registrations and deletions (SPEC §11)", () => {
  it("a registration is a fact with the endpoint's id, URL and events; it books nothing", () => {
    const r = given([]).when(
      webhookRegistered({ webhookId: "wh_1", url: "https://hooks.example.com/a", events: ["payout.issued", "anomaly.recorded"] }),
    );
    expect(r.facts).toEqual([
      { kind: "webhook_registered", webhookId: "wh_1", url: "https://hooks.example.com/a", events: ["payout.issued", "anomaly.recorded"] },
    ]);
    expect(r.postings).toEqual([]);
    expect(r.anomalies).toEqual([]);
  });

  it("a deletion of a registered webhook is a fact", () => {
    const r = given([webhookRegistered({ webhookId: "wh_1" })]).when(webhookDeleted({ webhookId: "wh_1" }));
    expect(r.facts).toEqual([{ kind: "webhook_deleted", webhookId: "wh_1" }]);
    expect(r.anomalies).toEqual([]);
  });

  it("a deletion of an unknown webhook, or a second one, is an unknown_webhook anomaly and no fact", () => {
    onlyAnomaly(given([]).when(webhookDeleted({ webhookId: "wh_x" })), "unknown_webhook", null, null);
    const again = given([webhookRegistered({ webhookId: "wh_1" }), webhookDeleted({ webhookId: "wh_1", id: "del-1" })]).when(
      webhookDeleted({ webhookId: "wh_1", id: "del-2" }),
    );
    onlyAnomaly(again, "unknown_webhook", null, null);
    expect(again.anomalies[0]!.message).toBe("WebhookDeleted names webhook wh_1, which is not registered");
  });
});

describe("budget_exhausted: the event that brings remaining to 0 (SPEC §5 exhaustedAt, §11 budget.exhausted)", () => {
  const campaign = (budget: string) => [campaignCreated({ budget }), accepted()];
  // toys at 30.00: standard 0.90, bonus 3.00 (10 %)
  const sale = (shipmentId: string, occurredAt = SHIPPED_AT) =>
    shipped({ shipmentId, occurredAt, lines: [line("A1", "toys", 1, "30.00")] });

  it("a sale whose bonus is capped at the remaining budget", () => {
    const r = given(campaign("5.00")).when(sale("S1"), sale("S2", "2026-03-11T18:00:00Z"));
    expect(r.outcomes.map((o) => factsOf(o.facts, "budget_exhausted"))).toEqual([
      [],
      [{ kind: "budget_exhausted", campaignId: "C1", exhaustedAt: "2026-03-11T18:00:00Z" }],
    ]);
  });

  it("a sale that spends exactly what is left", () => {
    const r = given(campaign("3.00")).when(sale("S1"));
    expect(factsOf(r.facts, "budget_exhausted")).toEqual([{ kind: "budget_exhausted", campaignId: "C1", exhaustedAt: SHIPPED_AT }]);
  });

  it("again after a raise re-opened it; not again while it stays exhausted (a further cut)", () => {
    const r = given(campaign("3.00")).when(
      sale("S1"),
      campaignBudgetChanged({ budget: "6.00", occurredAt: "2026-03-12T00:00:00Z" }),
      sale("S2", "2026-03-13T18:00:00Z"),
      campaignBudgetChanged({ budget: "1.00", occurredAt: "2026-03-14T00:00:00Z" }),
    );
    expect(r.outcomes.map((o) => factsOf(o.facts, "budget_exhausted").map((f) => f.exhaustedAt))).toEqual([
      [SHIPPED_AT],
      [],
      ["2026-03-13T18:00:00Z"],
      [],
    ]);
  });

  it("a campaign created with a budget of 0 is exhausted by its creation", () => {
    const r = given([]).when(campaignCreated({ budget: "0.00", occurredAt: "2026-02-20T12:00:00Z" }));
    expect(factsOf(r.facts, "budget_exhausted")).toEqual([
      { kind: "budget_exhausted", campaignId: "C1", exhaustedAt: "2026-02-20T12:00:00Z" },
    ]);
  });
});
