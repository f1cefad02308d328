// SPEC §4 rule 4 (budget: each bonus capped at the remaining budget; exhausted → further bonus 0;
// spent = pending + confirmed net of reversals), rule 5 (content rule: pending until CampaignEnded,
// then confirmed or forfeited; forfeited bonus goes back to the budget; shipments applied after
// CampaignEnded are confirmed or forfeited at once, a forfeited one never touching the budget;
// the whole-word disclosure test), rule 9 (a confirmed bonus keeps its shipment's month) and the
// §5 budget read model's inputs (spent, released, exhaustedAt).
import { describe, expect, it } from "vitest";
import { disclosureQualifies } from "../../domain/engine/disclosure.ts";
import {
  accepted,
  bucketsOf,
  campaignCreated,
  campaignEnded,
  contentLink,
  dated,
  given,
  line,
  run,
  shipped,
  spentOf,
  type ShipmentOpts,
} from "../support/domainFixtures.ts";

/** Budget 5.00, bonus 10 %: a 30.00 sale's bonus is 3.00 (standard toys 0.90). */
const smallBudget = () => [campaignCreated({ budget: "5.00" }), accepted()];
const sale30 = (shipmentId: string, extra: ShipmentOpts = {}) =>
  shipped({ id: `shp-${shipmentId}`, shipmentId, lines: [line("A1", "toys", 1, "30.00")], ...extra });

describe("rule 4: the budget caps each bonus", () => {
  it("a bonus that fits is granted whole; the next is capped (partial); then the campaign is exhausted", () => {
    const r = run([
      ...smallBudget(),
      sale30("S1"), // bonus 300; spent 300
      sale30("S2"), // uncapped 300, remaining 200 → 200; spent 500
      shipped({ shipmentId: "S3", lines: [line("A1", "toys", 1, "10.00")] }), // uncapped 100, remaining 0 → no bonus
    ]);
    const [, , s1, s2, s3] = r.outcomes;
    expect(s1!.postings.map((p) => [p.kind, p.amountMinor])).toEqual([
      ["standard", 90],
      ["bonus_pending", 300],
    ]);
    expect(s2!.postings.map((p) => [p.kind, p.amountMinor])).toEqual([
      ["standard", 90],
      ["bonus_pending", 200],
    ]);
    expect(s2!.postings[1]!.note).toMatch(/capped/);
    expect(s3!.postings.map((p) => [p.kind, p.amountMinor])).toEqual([["standard", 30]]);
    expect(spentOf(r.state, "C1")).toBe(500);
    expect(bucketsOf(r.postings, "K1")).toEqual({
      standard: 210,
      bonusPending: 500,
      bonusConfirmed: 0,
      bonusForfeited: 0,
      reversed: 0,
      adjusted: 0,
      total: 710,
    });
  });

  it("the cap applies line by line within one shipment", () => {
    given(smallBudget())
      .when(shipped({ shipmentId: "S1", lines: [line("A1", "toys", 1, "40.00"), line("A2", "toys", 1, "20.00")] }))
      // A1: standard 1.20, bonus 4.00 (remaining 1.00). A2: standard 0.60, bonus 2.00 capped to 1.00.
      .then([
        ["standard", "K1", "C1", 120],
        ["bonus_pending", "K1", "C1", 400],
        ["standard", "K1", "C1", 60],
        ["bonus_pending", "K1", "C1", 100],
      ]);
  });

  it("the budget is shared by every creator of the campaign", () => {
    const r = run([
      ...smallBudget(),
      accepted({ creatorId: "K2", trackingId: "T2" }),
      sale30("S1"), // K1: 300
      sale30("S2", { trackingId: "T2" }), // K2: 200 (capped)
    ]);
    expect(bucketsOf(r.postings, "K1").bonusPending).toBe(300);
    expect(bucketsOf(r.postings, "K2").bonusPending).toBe(200);
    expect(spentOf(r.state, "C1")).toBe(500);
  });

  it("budgets are per campaign", () => {
    const r = run([
      ...smallBudget(),
      campaignCreated({ campaignId: "C2", budget: "100.00" }),
      accepted({ campaignId: "C2", trackingId: "T2" }),
      sale30("S1"),
      sale30("S2"),
      sale30("S3", { trackingId: "T2" }),
    ]);
    expect(spentOf(r.state, "C1")).toBe(500);
    expect(spentOf(r.state, "C2")).toBe(300);
  });

  it("a JPY budget caps in yen", () => {
    given([
      campaignCreated({ campaignId: "CJ", marketplace: "JP", budget: "250", asins: ["J1"] }),
      accepted({ campaignId: "CJ", trackingId: "TJ" }),
    ])
      .when(
        shipped({ shipmentId: "SJ1", trackingId: "TJ", lines: [line("J1", "toys", 1, "2000")] }), // standard 60, bonus 200
        shipped({ shipmentId: "SJ2", trackingId: "TJ", lines: [line("J1", "toys", 1, "2000")] }), // standard 60, bonus 200 → 50
      )
      .then([
        ["standard", "K1", "CJ", 60],
        ["bonus_pending", "K1", "CJ", 200],
        ["standard", "K1", "CJ", 60],
        ["bonus_pending", "K1", "CJ", 50],
      ]);
  });

  it("reports the budget after each event that changes it, with exhaustedAt", () => {
    const r = run([
      ...smallBudget(),
      sale30("S1", { occurredAt: "2026-03-10T18:00:00Z" }),
      sale30("S2", { occurredAt: "2026-03-11T18:00:00Z" }),
      shipped({ shipmentId: "S3", lines: [line("A1", "toys", 1, "10.00")] }),
    ]);
    const budgetFacts = r.outcomes.map((o) => o.facts.filter((f) => f.kind === "budget"));
    expect(budgetFacts[2]).toEqual([
      { kind: "budget", campaignId: "C1", budgetMinor: 500, spentMinor: 300, releasedMinor: 0, exhaustedAt: null },
    ]);
    expect(budgetFacts[3]).toEqual([
      { kind: "budget", campaignId: "C1", budgetMinor: 500, spentMinor: 500, releasedMinor: 0, exhaustedAt: "2026-03-11T18:00:00Z" },
    ]);
    expect(budgetFacts[4]).toEqual([]); // S3 did not change the budget
  });
});

describe("rule 5: pending until CampaignEnded, then confirmed or forfeited", () => {
  it("with qualifying content the pending bonus is confirmed; spent is unchanged", () => {
    const r = given([...smallBudget(), contentLink({ disclosure: "#ad" }), sale30("S1")])
      .when(campaignEnded())
      .then([["bonus_confirm", "K1", "C1", 300]]);
    expect(spentOf(r.state, "C1")).toBe(300);
    expect(bucketsOf(r.all.postings, "K1")).toEqual({
      standard: 90,
      bonusPending: 0,
      bonusConfirmed: 300,
      bonusForfeited: 0,
      reversed: 0,
      adjusted: 0,
      total: 390,
    });
  });

  it("without content the pending bonus is forfeited and goes back to the budget (spent drops)", () => {
    const history = [...smallBudget(), sale30("S1"), sale30("S2")];
    expect(spentOf(run(history).state, "C1")).toBe(500);
    const r = given(history)
      .when(campaignEnded())
      .then([
        ["bonus_forfeit", "K1", "C1", 300],
        ["bonus_forfeit", "K1", "C1", 200],
      ]);
    expect(spentOf(r.state, "C1")).toBe(0);
    expect(bucketsOf(r.all.postings, "K1")).toEqual({
      standard: 180,
      bonusPending: 0,
      bonusConfirmed: 0,
      bonusForfeited: 500,
      reversed: 0,
      adjusted: 0,
      total: 180,
    });
    expect(r.facts.filter((f) => f.kind === "budget")).toEqual([
      { kind: "budget", campaignId: "C1", budgetMinor: 500, spentMinor: 0, releasedMinor: 500, exhaustedAt: null },
    ]);
  });

  it("each creator is settled by their own content", () => {
    const r = given([
      ...smallBudget(),
      accepted({ creatorId: "K2", trackingId: "T2" }),
      contentLink({ creatorId: "K1", disclosure: "Sponsored by B1" }),
      sale30("S1"), // K1 300
      shipped({ shipmentId: "S2", trackingId: "T2", lines: [line("A1", "toys", 1, "20.00")] }), // K2 200
    ])
      .when(campaignEnded())
      .then([
        ["bonus_confirm", "K1", "C1", 300],
        ["bonus_forfeit", "K2", "C1", 200],
      ]);
    expect(spentOf(r.state, "C1")).toBe(300);
  });

  it("content for another campaign does not count", () => {
    given([
      ...smallBudget(),
      campaignCreated({ campaignId: "C2" }),
      accepted({ campaignId: "C2", trackingId: "T2" }),
      contentLink({ campaignId: "C2", disclosure: "#ad" }),
      sale30("S1"),
    ])
      .when(campaignEnded())
      .then([["bonus_forfeit", "K1", "C1", 300]]);
  });

  it("a confirmed bonus keeps the earning month and report day of its shipment", () => {
    const r = given([...smallBudget(), contentLink(), sale30("S1", { occurredAt: "2026-03-10T18:00:00Z" })]).when(
      campaignEnded({ occurredAt: "2026-04-02T07:00:00Z" }),
    );
    expect(dated(r.postings)).toEqual([["bonus_confirm", 300, "2026-03", "2026-03-10"]]);
  });

  it("a campaign that ends without any shipment posts nothing", () => {
    given(smallBudget()).when(campaignEnded()).then([]).thenAnomalies([]);
  });
});

describe("rule 5: the content link's timing", () => {
  it("a link with occurredAt 1 ms before endsAt, applied before CampaignEnded, counts", () => {
    given([...smallBudget(), sale30("S1"), contentLink({ occurredAt: "2026-04-01T06:59:59.999Z" })])
      .when(campaignEnded())
      .then([["bonus_confirm", "K1", "C1", 300]]);
  });

  it("a link with occurredAt exactly endsAt does not count, even applied before CampaignEnded", () => {
    const r = run([...smallBudget(), sale30("S1"), contentLink({ occurredAt: "2026-04-01T07:00:00Z" }), campaignEnded()]);
    expect(r.outcomes[3]!.anomalies.map((a) => a.code)).toEqual(["content_after_campaign_end"]);
    expect(r.outcomes[4]!.postings.map((p) => [p.kind, p.amountMinor])).toEqual([["bonus_forfeit", 300]]);
  });

  it("a link dated before endsAt but applied after CampaignEnded does not count", () => {
    const r = given([...smallBudget(), sale30("S1"), campaignEnded()])
      .when(
        contentLink({ occurredAt: "2026-03-20T12:00:00Z" }),
        sale30("S2", { orderedAt: "2026-03-25T12:00:00Z", occurredAt: "2026-04-03T12:00:00Z" }),
      )
      .thenAnomalies(["content_after_campaign_end"])
      .then([
        ["standard", "K1", "C1", 90],
        ["bonus_forfeited", "K1", "C1", 300],
      ]);
    expect(spentOf(r.state, "C1")).toBe(0);
  });

  it("a failing link followed by a qualifying one counts", () => {
    given([...smallBudget(), contentLink({ disclosure: "great product" }), contentLink({ disclosure: "#ad great product" }), sale30("S1")])
      .when(campaignEnded())
      .then([["bonus_confirm", "K1", "C1", 300]]);
  });
});

describe("rule 5: shipments applied after CampaignEnded", () => {
  const after = (shipmentId: string, extra: ShipmentOpts = {}) =>
    sale30(shipmentId, { orderedAt: "2026-03-30T12:00:00Z", occurredAt: "2026-04-03T12:00:00Z", ...extra });

  it("confirmed at once when qualifying content exists; it is spent", () => {
    const r = given([...smallBudget(), contentLink(), campaignEnded()])
      .when(after("S1"))
      .then([
        ["standard", "K1", "C1", 90],
        ["bonus_confirmed", "K1", "C1", 300],
      ]);
    expect(spentOf(r.state, "C1")).toBe(300);
    expect(bucketsOf(r.postings, "K1")).toEqual({
      standard: 90,
      bonusPending: 0,
      bonusConfirmed: 300,
      bonusForfeited: 0,
      reversed: 0,
      adjusted: 0,
      total: 390,
    });
    expect(r.state.pendingShipments.get("C1")).toBeUndefined();
  });

  it("forfeited at once when there is none; it never touches the budget", () => {
    const r = given([...smallBudget(), campaignEnded()])
      .when(after("S1"))
      .then([
        ["standard", "K1", "C1", 90],
        ["bonus_forfeited", "K1", "C1", 300],
      ]);
    expect(spentOf(r.state, "C1")).toBe(0);
    expect(bucketsOf(r.postings, "K1")).toEqual({
      standard: 90,
      bonusPending: 0,
      bonusConfirmed: 0,
      bonusForfeited: 300,
      reversed: 0,
      adjusted: 0,
      total: 90,
    });
    expect(r.facts.filter((f) => f.kind === "budget")).toEqual([]);
  });

  it("a late bonus is capped as in rule 4 first, whether confirmed or forfeited", () => {
    const r = given([
      ...smallBudget(),
      accepted({ creatorId: "K2", trackingId: "T2" }),
      contentLink({ creatorId: "K1" }),
      shipped({ shipmentId: "S1", lines: [line("A1", "toys", 1, "40.00")] }), // K1 400 pending
      campaignEnded(), // K1 400 confirmed; spent 400, remaining 100
    ]).when(
      after("S2", { trackingId: "T2" }), // K2, no content: 300 capped to 100, forfeited; spent stays 400
      after("S3"), // K1: 300 capped to 100, confirmed; spent 500
      after("S4"), // K1: exhausted, standard only
    );
    r.then([
      ["standard", "K2", "C1", 90],
      ["bonus_forfeited", "K2", "C1", 100],
      ["standard", "K1", "C1", 90],
      ["bonus_confirmed", "K1", "C1", 100],
      ["standard", "K1", "C1", 90],
    ]);
    expect(spentOf(r.state, "C1")).toBe(500);
  });

  it("an order placed after endsAt earns standard only", () => {
    given([...smallBudget(), contentLink(), campaignEnded()])
      .when(after("S1", { orderedAt: "2026-04-02T12:00:00Z" }))
      .then([["standard", "K1", "C1", 90]]);
  });
});

describe("release of forfeited bonus frees the budget for later bonuses", () => {
  it("after a forfeit, a late confirmed bonus of another creator fits again", () => {
    const r = given([
      ...smallBudget(),
      accepted({ creatorId: "K2", trackingId: "T2" }),
      contentLink({ creatorId: "K2" }),
      sale30("S1"), // K1 300 pending
      sale30("S2"), // K1 200 pending (capped); spent 500, exhausted
      campaignEnded(), // K1 forfeits 500; spent 0
    ]).when(sale30("S3", { trackingId: "T2", orderedAt: "2026-03-30T12:00:00Z", occurredAt: "2026-04-03T12:00:00Z" }));
    r.then([
      ["standard", "K2", "C1", 90],
      ["bonus_confirmed", "K2", "C1", 300],
    ]);
    expect(spentOf(r.state, "C1")).toBe(300);
  });
});

describe("rule 5: the whole-word disclosure test", () => {
  it.each([
    ["#ad", true],
    ["Sponsored", true],
    ["ADVERTISEMENT", true],
    ["ad.", true],
    ["ad", true],
    ["AD", true],
    ["(ad)", true],
    ["Ad: my honest review", true],
    ["This video is sponsored by Acme", true],
    ["#Sponsored #travel", true],
    ["paid advertisement, thanks", true],
    ["bad", false],
    ["adorable", false],
    ["#adorable", false],
    ["road trip", false],
    ["adidas", false],
    ["ad_partner", false],
    ["sponsoredby", false],
    ["unsponsored", false],
    ["advertisements", false], // not the whole word "advertisement"
    ["", false],
    ["paid partnership", false],
  ])("%j → %s", (disclosure, expected) => {
    expect(disclosureQualifies(disclosure)).toBe(expected);
  });

  const settle = (disclosure: string) => given([...smallBudget(), contentLink({ disclosure }), sale30("S1")]).when(campaignEnded());

  it.each(["#ad", "Sponsored", "ADVERTISEMENT", "Thanks to B1! ad."])("through the engine, %j confirms", (disclosure) => {
    settle(disclosure).then([["bonus_confirm", "K1", "C1", 300]]);
  });

  it.each(["bad", "adorable", "so glad you are here"])(
    "through the engine, %j forfeits (and the link is a missing_disclosure anomaly)",
    (disclosure) => {
      const r = settle(disclosure).then([["bonus_forfeit", "K1", "C1", 300]]);
      const link = r.all.outcomes[2]!;
      expect(link.anomalies.map((a) => [a.code, a.creatorId, a.campaignId])).toEqual([["missing_disclosure", "K1", "C1"]]);
      expect(link.facts).toEqual([]);
    },
  );
});
