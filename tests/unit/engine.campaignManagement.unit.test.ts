// SPEC §9 campaign management: CampaignBudgetChanged (the new total budget; remaining =
// max(0, budget − spent), its change moved between brand and campaign:budget; a cut below spent
// exhausts the campaign and takes nothing back; a raise lets an exhausted campaign grant again;
// too many fraction digits is invalid_amount), CampaignPaused / CampaignResumed (no bonus on orders
// in [paused, resumed), judged with the pauses known when the shipment is applied; standard
// continues; invalid_state), CampaignEndChanged (the new end for rule 3 and rule 5; granted bonus
// is not taken back; ends_before_start), the anomalies every management fact shares
// (unknown_campaign, campaign_already_ended), and the `campaign` and `budget` facts (§5, §9 reads).
import { describe, expect, it } from "vitest";
import type { Fact } from "../../domain/engine/outcome.ts";
import {
  ENDS_AT,
  STARTS_AT,
  accepted,
  balancesOf,
  campaignBudgetChanged,
  campaignCreated,
  campaignEndChanged,
  campaignEnded,
  campaignPaused,
  campaignResumed,
  contentLink,
  factsOf,
  given,
  line,
  onlyAnomaly,
  shipped,
  spentOf,
  type RawEvent,
  type ShipmentOpts,
} from "../support/domainFixtures.ts";

const BRAND = "brand:B1:US";
const BUDGET = "campaign:C1:budget";

/** The default campaign C1 (budget 500.00 unless given, bonus 10 %) and K1's acceptance (T1). */
const base = (budget?: string) => [campaignCreated({ budget }), accepted()];
/** Budget 5.00: a 30.00 sale earns standard 0.90 (toys 3 %) and bonus 3.00. */
const smallBudget = () => base("5.00");
const sale30 = (shipmentId: string, extra: ShipmentOpts = {}) =>
  shipped({ id: `shp-${shipmentId}`, shipmentId, lines: [line("A1", "toys", 1, "30.00")], ...extra });
/** 1 × A1 at 10.00: standard 0.30 (30), bonus 1.00 (100); by default shipped after every pause and new end below. */
const order = (shipmentId: string, orderedAt: string, occurredAt = "2026-03-28T18:00:00Z") =>
  shipped({ shipmentId, orderedAt, occurredAt, lines: [line("A1", "toys", 1, "10.00")] });

const budgetFact = (budgetMinor: number, spentMinor: number, releasedMinor: number, exhaustedAt: string | null): Fact => ({
  kind: "budget",
  campaignId: "C1",
  budgetMinor,
  spentMinor,
  releasedMinor,
  exhaustedAt,
});

/** The default campaign (fixtures' campaignCreated()) as a `campaign` fact, with what changed. */
const campaignFact = (changed: { budgetMinor?: number; endsAt?: string; endsAtMs?: number; paused?: boolean } = {}): Fact => ({
  kind: "campaign",
  campaignId: "C1",
  brandId: "B1",
  marketplace: "US",
  currency: "USD",
  bonusRate: "0.10",
  budgetMinor: 50000,
  startsAt: STARTS_AT,
  endsAt: ENDS_AT,
  endsAtMs: Date.parse("2026-04-01T07:00:00Z"),
  asins: ["A1", "A2"],
  paused: false,
  ...changed,
});

const CUT_AT = "2026-03-12T12:00:00Z";

describe("CampaignBudgetChanged: the journal moves the change of remaining (§9, §8.1)", () => {
  // S1 grants 300 of 500: spent 300, remaining 200.
  const history = () => [...smallBudget(), sale30("S1")];

  it("a raise funds it: brand → campaign:budget", () => {
    const r = given(history())
      .when(campaignBudgetChanged({ budget: "8.00", occurredAt: CUT_AT }))
      .thenTransfers([["budget_funding", BRAND, BUDGET, 300]]) // remaining 200 → 800 − 300 = 500
      .thenAnomalies([]);
    expect(r.facts).toEqual([campaignFact({ budgetMinor: 800 }), budgetFact(800, 300, 0, null)]);
  });

  it("a cut returns it: campaign:budget → brand", () => {
    const r = given(history())
      .when(campaignBudgetChanged({ budget: "4.00", occurredAt: CUT_AT }))
      .thenTransfers([["budget_return", BUDGET, BRAND, -100]]); // remaining 200 → 400 − 300 = 100
    expect(factsOf(r.facts, "budget")).toEqual([budgetFact(400, 300, 0, null)]);
  });

  it("a cut to exactly spent: remaining 0, exhausted at the cut; the next line gets no bonus", () => {
    const r = given(history())
      .when(campaignBudgetChanged({ budget: "3.00", occurredAt: CUT_AT }))
      .thenTransfers([["budget_return", BUDGET, BRAND, -200]]); // remaining 200 → 300 − 300 = 0
    expect(factsOf(r.facts, "budget")).toEqual([budgetFact(300, 300, 0, CUT_AT)]);
    given([...history(), campaignBudgetChanged({ budget: "3.00", occurredAt: CUT_AT })])
      .when(sale30("S2"))
      .then([["standard", "K1", "C1", 90]]);
  });

  it("a cut to 0: all of remaining goes back; exhausted at the cut", () => {
    const r = given(base())
      .when(campaignBudgetChanged({ budget: "0.00", occurredAt: CUT_AT }))
      .thenTransfers([["budget_return", BUDGET, BRAND, -50000]]); // remaining 500.00 → 0
    expect(factsOf(r.facts, "budget")).toEqual([budgetFact(0, 0, 0, CUT_AT)]);
  });

  it("a budget change to the same total moves nothing", () => {
    const r = given(history())
      .when(campaignBudgetChanged({ budget: "5.00" }))
      .thenTransfers([]);
    expect(factsOf(r.facts, "budget")).toEqual([budgetFact(500, 300, 0, null)]);
  });

  it("in yen", () => {
    given([campaignCreated({ campaignId: "CJ", marketplace: "JP", budget: "250", asins: ["J1"] })])
      .when(campaignBudgetChanged({ campaignId: "CJ", budget: "1000" }))
      .thenTransfers([["budget_funding", "brand:B1:JP", "campaign:CJ:budget", 750]]); // 250 → 1000
  });
});

describe("CampaignBudgetChanged below spent: exhausted, nothing granted is taken back", () => {
  // Budget 10.00. K1 (with content) pending 300, K2 (no content) pending 200: spent 500, remaining 500.
  const history = () => [
    campaignCreated({ budget: "10.00" }),
    accepted(),
    accepted({ creatorId: "K2", trackingId: "T2" }),
    contentLink(),
    sale30("S1"),
    shipped({ shipmentId: "S2", trackingId: "T2", lines: [line("A1", "toys", 1, "20.00")] }), // standard 60, bonus 200
  ];

  it("the cut returns all of remaining; the pending bonuses stay", () => {
    const r = given(history())
      .when(campaignBudgetChanged({ budget: "2.00", occurredAt: CUT_AT }))
      .thenTransfers([["budget_return", BUDGET, BRAND, -500]]); // remaining = max(0, 200 − 500) = 0
    expect(factsOf(r.facts, "budget")).toEqual([budgetFact(200, 500, 0, CUT_AT)]);
    expect(spentOf(r.state, "C1")).toBe(500);
  });

  it("a forfeit at CampaignEnded passes on to the brand; remaining stays 0", () => {
    const r = given([...history(), campaignBudgetChanged({ budget: "2.00", occurredAt: CUT_AT })])
      .when(campaignEnded())
      .thenTransfers([
        ["bonus_confirm", "creator:K1:C1:pending", "creator:K1:US:earned", 300],
        ["bonus_forfeit", "creator:K2:C1:pending", BUDGET, 200], // spent 500 → 300
        ["budget_return", BUDGET, BRAND, -200], // remaining = max(0, 200 − 300) = 0: the release goes on to the brand
      ]);
    expect(factsOf(r.facts, "budget")).toEqual([budgetFact(200, 300, 200, CUT_AT)]); // still exhausted since the cut
    const balances = balancesOf(r.all.postings);
    expect([balances[BUDGET], balances[BRAND]]).toEqual([0, -300]); // brand: −1000 + 500 + 200 = −spent
  });

  it("a forfeit that brings spent below the new budget keeps what the budget allows", () => {
    const r = given([...history(), campaignBudgetChanged({ budget: "4.00", occurredAt: CUT_AT })]) // max(0, 400 − 500) = 0: return 500
      .when(campaignEnded())
      .thenTransfers([
        ["bonus_confirm", "creator:K1:C1:pending", "creator:K1:US:earned", 300],
        ["bonus_forfeit", "creator:K2:C1:pending", BUDGET, 200], // spent 300
        ["budget_return", BUDGET, BRAND, -100], // campaign:budget 200 → remaining 400 − 300 = 100
      ]);
    expect(factsOf(r.facts, "budget")).toEqual([budgetFact(400, 300, 200, null)]); // remaining 100: no longer exhausted
  });
});

describe("CampaignBudgetChanged: a raise after exhaustion grants bonus again", () => {
  // S1 300; S2 300 capped to 200: spent 500 = budget, exhausted at S2.
  const S2_AT = "2026-03-11T18:00:00Z";
  const exhausted = () => [...smallBudget(), sale30("S1", { occurredAt: "2026-03-10T18:00:00Z" }), sale30("S2", { occurredAt: S2_AT })];

  it("the next shipment line is granted, capped again by the raised budget", () => {
    const S3_AT = "2026-03-13T18:00:00Z";
    const r = given(exhausted()).when(campaignBudgetChanged({ budget: "6.00", occurredAt: CUT_AT }), sale30("S3", { occurredAt: S3_AT }));
    r.thenTransfers([
      ["budget_funding", BRAND, BUDGET, 100], // remaining 0 → 600 − 500 = 100
      ["standard", "program:US:standard", "creator:K1:US:earned", 90],
      ["bonus_pending", BUDGET, "creator:K1:C1:pending", 100], // 300 capped to the 100 remaining
    ]);
    expect(r.postings[2]!.note).toMatch(/capped/);
    const [raise, s3] = r.outcomes;
    expect(factsOf(raise!.facts, "budget")).toEqual([budgetFact(600, 500, 0, null)]);
    expect(factsOf(s3!.facts, "budget")).toEqual([budgetFact(600, 600, 0, S3_AT)]);
  });

  it("a raise that stays below spent moves nothing and keeps exhaustedAt", () => {
    // SPEC §5: exhaustedAt is the occurredAt of the event that last brought remaining to 0; this
    // raise leaves it at 0 (max(0, 200 − 300)), so the cut's instant stays.
    const r = given([...smallBudget(), sale30("S1"), campaignBudgetChanged({ budget: "1.00", occurredAt: CUT_AT })])
      .when(campaignBudgetChanged({ budget: "2.00", occurredAt: "2026-03-13T12:00:00Z" }))
      .thenTransfers([]);
    expect(factsOf(r.facts, "budget")).toEqual([budgetFact(200, 300, 0, CUT_AT)]);
  });

  it("a cut below spent of a campaign already exhausted keeps the instant it ran out", () => {
    // SPEC §9 says a cut below spent exhausts the campaign with exhaustedAt = the cut's occurredAt;
    // §5 defines exhaustedAt as the occurredAt of the event that last brought remaining to 0. Here
    // remaining was 0 already (S2), so no event brings it to 0 again: the engine keeps S2's instant.
    const r = given(exhausted())
      .when(campaignBudgetChanged({ budget: "3.00", occurredAt: CUT_AT }))
      .thenTransfers([]); // campaign:budget is already 0
    expect(factsOf(r.facts, "budget")).toEqual([budgetFact(300, 500, 0, S2_AT)]);
  });
});

describe("CampaignBudgetChanged: more fraction digits than the currency is invalid_amount", () => {
  it("JPY 10.5: nothing changes", () => {
    const r = given([campaignCreated({ campaignId: "CJ", marketplace: "JP", budget: "250", asins: ["J1"] })]).when(
      campaignBudgetChanged({ campaignId: "CJ", budget: "10.5" }),
    );
    onlyAnomaly(r, "invalid_amount", null, "CJ");
    const campaign = r.state.campaigns.get("CJ")!;
    expect([campaign.budgetMinor, campaign.balanceMinor]).toEqual([250, 250]);
  });

  it("USD 5.001", () => {
    onlyAnomaly(given(smallBudget()).when(campaignBudgetChanged({ budget: "5.001" })), "invalid_amount", null, "C1");
  });
});

describe("CampaignPaused / CampaignResumed: no bonus on orders in [paused, resumed)", () => {
  const PAUSED_AT = "2026-03-12T00:00:00Z";
  const RESUMED_AT = "2026-03-14T00:00:00Z";
  const pausedAndResumed = () => [...base(), campaignPaused({ occurredAt: PAUSED_AT }), campaignResumed({ occurredAt: RESUMED_AT })];

  it.each([
    ["1 ms before the pause: bonus", "2026-03-11T23:59:59.999Z", true],
    ["exactly at the pause: no bonus", PAUSED_AT, false],
    ["while paused: no bonus", "2026-03-13T00:00:00Z", false],
    ["1 ms before the resume: no bonus", "2026-03-13T23:59:59.999Z", false],
    ["exactly at the resume: bonus", RESUMED_AT, true],
  ])("an order %s; standard commission continues", (_name, orderedAt, bonus) => {
    given(pausedAndResumed())
      .when(order("S1", orderedAt))
      .then(
        bonus
          ? [
              ["standard", "K1", "C1", 30],
              ["bonus_pending", "K1", "C1", 100],
            ]
          : [["standard", "K1", "C1", 30]],
      );
  });

  it("a shipment applied while the campaign is still paused, ordered after the pause", () => {
    given([...base(), campaignPaused({ occurredAt: PAUSED_AT })])
      .when(order("S1", "2026-03-13T00:00:00Z", "2026-03-13T18:00:00Z"))
      .then([["standard", "K1", "C1", 30]]);
  });

  it("every paused interval counts, and the time between them earns bonus", () => {
    given([
      ...pausedAndResumed(),
      campaignPaused({ occurredAt: "2026-03-16T00:00:00Z" }),
      campaignResumed({ occurredAt: "2026-03-17T00:00:00Z" }),
    ])
      .when(order("S1", "2026-03-15T00:00:00Z"), order("S2", "2026-03-16T12:00:00Z"))
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100], // between the two pauses
        ["standard", "K1", "C1", 30], // in the second pause
      ]);
  });

  it("a pause applied after the shipment it would have covered changes nothing: the shipment was applied first", () => {
    const history = [...base(), contentLink(), order("S1", "2026-03-13T00:00:00Z", "2026-03-13T18:00:00Z")]; // pending 100
    const r = given(history)
      .when(campaignPaused({ occurredAt: PAUSED_AT }))
      .then([]);
    expect(r.facts).toEqual([campaignFact({ paused: true })]);
    expect(spentOf(r.state, "C1")).toBe(100);
    given([...history, campaignPaused({ occurredAt: PAUSED_AT })])
      .when(campaignEnded())
      .then([["bonus_confirm", "K1", "C1", 100]]);
  });

  it("the campaign fact says whether it is paused; no posting, no budget fact", () => {
    given([campaignCreated()])
      .when(campaignPaused({ occurredAt: PAUSED_AT }))
      .then([])
      .thenAnomalies([]);
    const r = given([campaignCreated()]).when(campaignPaused({ occurredAt: PAUSED_AT }), campaignResumed({ occurredAt: RESUMED_AT }));
    expect(r.facts).toEqual([campaignFact({ paused: true }), campaignFact({ paused: false })]);
  });

  it("pausing a paused campaign is invalid_state", () => {
    onlyAnomaly(
      given([campaignCreated(), campaignPaused({ occurredAt: PAUSED_AT })]).when(campaignPaused({ occurredAt: RESUMED_AT })),
      "invalid_state",
      null,
      "C1",
    );
  });

  it("resuming a running campaign is invalid_state, whether it was never paused or already resumed", () => {
    onlyAnomaly(given([campaignCreated()]).when(campaignResumed({ occurredAt: RESUMED_AT })), "invalid_state", null, "C1");
    onlyAnomaly(given(pausedAndResumed()).when(campaignResumed({ occurredAt: "2026-03-15T00:00:00Z" })), "invalid_state", null, "C1");
  });

  it("a refused pause or resume changes no paused interval", () => {
    // The second resume (03-15) is refused, so the interval stays [PAUSED_AT, RESUMED_AT) and an order at RESUMED_AT earns bonus ...
    given([...pausedAndResumed(), campaignResumed({ occurredAt: "2026-03-15T00:00:00Z" })])
      .when(order("S1", RESUMED_AT))
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100],
      ]);
    // ... and a refused pause (03-11, while paused since 03-12) opens no interval of its own.
    given([
      ...base(),
      campaignPaused({ occurredAt: PAUSED_AT }),
      campaignPaused({ occurredAt: "2026-03-11T00:00:00Z" }),
      campaignResumed({ occurredAt: RESUMED_AT }),
    ])
      .when(order("S1", "2026-03-11T12:00:00Z"))
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100],
      ]);
  });
});

describe("CampaignEndChanged", () => {
  // The default end is 2026-04-01T07:00:00Z; the earlier new end is 2026-03-20T07:00:00Z.
  const EARLIER = "2026-03-20T00:00:00-07:00";
  const LATER = "2026-04-15T00:00:00-07:00"; // 2026-04-15T07:00:00Z

  it("the campaign fact carries the new end; nothing is posted", () => {
    const r = given(base())
      .when(campaignEndChanged({ endsAt: EARLIER }))
      .then([])
      .thenAnomalies([]);
    expect(r.facts).toEqual([campaignFact({ endsAt: EARLIER, endsAtMs: Date.parse("2026-03-20T07:00:00Z") })]);
  });

  it("rule 3: an order at or after the new, earlier end earns no bonus", () => {
    given([...base(), campaignEndChanged({ endsAt: EARLIER })])
      .when(order("S1", "2026-03-20T06:59:59.999Z"), order("S2", "2026-03-20T07:00:00Z"), order("S3", "2026-03-25T12:00:00Z"))
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100],
        ["standard", "K1", "C1", 30],
        ["standard", "K1", "C1", 30],
      ]);
  });

  it("rule 3: a later end lets a later order earn bonus", () => {
    const late = () => order("S1", "2026-04-05T12:00:00Z", "2026-04-06T18:00:00Z");
    given(base())
      .when(late())
      .then([["standard", "K1", "C1", 30]]); // after the old end
    given([...base(), campaignEndChanged({ endsAt: LATER })])
      .when(late())
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100],
      ]);
  });

  it("bonus already granted to an order after the new, earlier end is not taken back", () => {
    const history = [...base(), contentLink(), order("S1", "2026-03-25T12:00:00Z", "2026-03-26T18:00:00Z")]; // pending 100
    const moved = campaignEndChanged({ endsAt: EARLIER, occurredAt: "2026-03-27T12:00:00Z" });
    given(history).when(moved).then([]);
    given([...history, moved])
      .when(campaignEnded({ occurredAt: EARLIER }))
      .then([["bonus_confirm", "K1", "C1", 100]]);
  });

  describe("rule 5: content must come before the new end", () => {
    const CONTENT_AT = "2026-03-25T12:00:00Z"; // between the new and the old end
    const history = () => [...base(), order("S1", "2026-03-15T12:00:00Z", "2026-03-16T18:00:00Z"), contentLink({ occurredAt: CONTENT_AT })]; // pending 100
    const moved = () => campaignEndChanged({ endsAt: EARLIER, occurredAt: "2026-03-26T12:00:00Z" });

    it("a content link between the new and the old end no longer counts: a content fact with qualified false", () => {
      const r = given(history()).when(moved()).then([]);
      expect(r.facts).toEqual([
        campaignFact({ endsAt: EARLIER, endsAtMs: Date.parse("2026-03-20T07:00:00Z") }),
        { kind: "content", campaignId: "C1", creatorId: "K1", qualified: false },
      ]);
    });

    it("so the pending bonus is forfeited at CampaignEnded", () => {
      given([...history(), moved()])
        .when(campaignEnded({ occurredAt: EARLIER }))
        .then([["bonus_forfeit", "K1", "C1", 100]]);
    });

    it("a content link before the new end still counts (no content fact: nothing changed)", () => {
      const r = given([
        ...base(),
        order("S1", "2026-03-15T12:00:00Z", "2026-03-16T18:00:00Z"),
        contentLink({ occurredAt: "2026-03-18T12:00:00Z" }),
      ]).when(moved(), campaignEnded({ occurredAt: EARLIER }));
      r.then([["bonus_confirm", "K1", "C1", 100]]);
      expect(factsOf(r.facts, "content")).toEqual([]);
    });

    it("a content link after the old end counts once the end moves past it: a content fact with qualified true", () => {
      // When it was applied it was at or after the end then standing (an anomaly, content_after_campaign_end);
      // rule 5 is judged at CampaignEnded against the end as it then stands (§9), so it counts.
      const link = contentLink({ occurredAt: "2026-04-03T12:00:00Z" });
      const withLink = [...base(), order("S1", "2026-03-15T12:00:00Z", "2026-03-16T18:00:00Z"), link];
      given([...base(), order("S1", "2026-03-15T12:00:00Z", "2026-03-16T18:00:00Z")])
        .when(link)
        .thenAnomalies(["content_after_campaign_end"]);
      const r = given(withLink).when(campaignEndChanged({ endsAt: LATER, occurredAt: "2026-04-03T13:00:00Z" }));
      expect(factsOf(r.facts, "content")).toEqual([{ kind: "content", campaignId: "C1", creatorId: "K1", qualified: true }]);
      given([...withLink, campaignEndChanged({ endsAt: LATER, occurredAt: "2026-04-03T13:00:00Z" })])
        .when(campaignEnded({ occurredAt: LATER }))
        .then([["bonus_confirm", "K1", "C1", 100]]);
    });
  });

  it.each([
    ["equal to startsAt", STARTS_AT],
    ["before startsAt", "2026-02-28T00:00:00-08:00"],
  ])("a new end %s is ends_before_start and changes nothing", (_name, endsAt) => {
    const r = given(base()).when(campaignEndChanged({ endsAt }));
    onlyAnomaly(r, "ends_before_start", null, "C1");
    expect(r.state.campaigns.get("C1")!.endsAt).toBe(ENDS_AT);
  });
});

describe("every management fact names a known campaign that has not ended", () => {
  const management: [string, (campaignId: string) => RawEvent][] = [
    ["CampaignBudgetChanged", (campaignId) => campaignBudgetChanged({ campaignId, budget: "1.00" })],
    ["CampaignPaused", (campaignId) => campaignPaused({ campaignId })],
    ["CampaignResumed", (campaignId) => campaignResumed({ campaignId })],
    ["CampaignEndChanged", (campaignId) => campaignEndChanged({ campaignId, endsAt: "2026-03-20T00:00:00-07:00" })],
  ];

  it.each(management)("%s of an unknown campaign is unknown_campaign", (_type, make) => {
    onlyAnomaly(given([campaignCreated()]).when(make("CX")), "unknown_campaign", null, "CX");
  });

  it.each(management)("%s of an ended campaign is campaign_already_ended and changes nothing", (_type, make) => {
    const r = given([campaignCreated(), campaignEnded()]).when(make("C1"));
    onlyAnomaly(r, "campaign_already_ended", null, "C1");
    const c = r.state.campaigns.get("C1")!;
    expect([c.budgetMinor, c.balanceMinor, c.endsAt, c.pauses]).toEqual([50000, 50000, ENDS_AT, []]);
  });
});

describe("the campaign fact carries the campaign as it now stands", () => {
  it("budget, pause and end, each on top of the last", () => {
    const r = given([campaignCreated()]).when(
      campaignBudgetChanged({ budget: "800.00" }),
      campaignPaused({ occurredAt: "2026-03-12T00:00:00Z" }),
      campaignEndChanged({ endsAt: "2026-04-15T00:00:00-07:00" }),
      campaignResumed({ occurredAt: "2026-03-14T00:00:00Z" }),
    );
    const later = { endsAt: "2026-04-15T00:00:00-07:00", endsAtMs: Date.parse("2026-04-15T07:00:00Z") };
    expect(factsOf(r.facts, "campaign")).toEqual([
      campaignFact({ budgetMinor: 80000 }),
      campaignFact({ budgetMinor: 80000, paused: true }),
      campaignFact({ budgetMinor: 80000, paused: true, ...later }),
      campaignFact({ budgetMinor: 80000, paused: false, ...later }),
    ]);
  });
});
