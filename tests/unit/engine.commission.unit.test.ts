// SPEC §4 rule 1 (attribution by trackingId), rule 2 (standard commission per line, rate table),
// rule 3 (bonus on campaign ASINs, startsAt ≤ orderedAt < endsAt), rule 6 (Subscribe & Save),
// rule 9 (earning month in the marketplace zone), and the §4 preamble (half-even rounding).
// Amounts are minor units, computed by hand in the comments.
import { describe, expect, it } from "vitest";
import { validateBatch } from "../../domain/events/validate.ts";
import { QUANTITY_MAX, SHIPMENT_LINES_MAX, UNIT_PRICE_MAX } from "../../domain/events/limits.ts";
import { RULES_V2_EXAMPLE } from "../../domain/rules.ts";
import {
  accepted,
  bucketsOf,
  campaignCreated,
  click,
  dated,
  given,
  line,
  run,
  shipped,
  snsFirst,
  STARTS_AT,
  tuples,
  type PostingTuple,
} from "../support/domainFixtures.ts";

const history = () => [campaignCreated(), accepted()];

describe("rules 2-3: the DESIGN example", () => {
  it("3 × 9.99 toys: standard 0.90, bonus 3.00 pending", () => {
    // 29.97 × 0.03 = 0.8991 → 0.90; 29.97 × 0.10 = 2.997 → 3.00
    given(history())
      .when(shipped({ shipmentId: "S1", lines: [line("A1", "toys", 3, "9.99")] }))
      .then([
        ["standard", "K1", "C1", 90],
        ["bonus_pending", "K1", "C1", 300],
      ]);
  });

  it("each posting carries its source event, accounts, rate, rule version, month and report day", () => {
    const r = given(history()).when(
      shipped({
        id: "shp-detail",
        shipmentId: "S1",
        orderId: "O1",
        occurredAt: "2026-03-10T18:00:00Z",
        lines: [line("A1", "toys", 3, "9.99")],
      }),
    );
    expect(r.postings).toEqual([
      {
        position: 3,
        seq: 0,
        sourceEventId: "shp-detail",
        eventType: "ShipmentRecorded",
        ruleVersion: 1,
        kind: "standard",
        source: "program:US:standard", // SPEC §8.1: program → creator's earned account
        destination: "creator:K1:US:earned",
        creatorId: "K1",
        campaignId: "C1",
        marketplace: "US",
        currency: "USD",
        shipmentId: "S1",
        orderId: "O1",
        asin: "A1",
        amountMinor: 90,
        earningMonth: "2026-03",
        originalMonth: "2026-03", // no month closed: booked where rule 9 puts it
        reportDate: "2026-03-10", // 11:00 PDT
        rate: "0.03",
        units: 3,
        revenueMinor: 2997,
        note: null,
      },
      {
        position: 3,
        seq: 1,
        sourceEventId: "shp-detail",
        eventType: "ShipmentRecorded",
        ruleVersion: 1,
        kind: "bonus_pending",
        source: "campaign:C1:budget", // the budget → the creator's pending bonus in the campaign
        destination: "creator:K1:C1:pending",
        creatorId: "K1",
        campaignId: "C1",
        marketplace: "US",
        currency: "USD",
        shipmentId: "S1",
        orderId: "O1",
        asin: "A1",
        amountMinor: 300,
        earningMonth: "2026-03",
        originalMonth: "2026-03", // no month closed: booked where rule 9 puts it
        reportDate: "2026-03-10",
        rate: "0.10",
        units: 0,
        revenueMinor: 0,
        note: null,
      },
    ]);
    expect(r.facts.filter((f) => f.kind === "shipment")).toEqual([
      { kind: "shipment", campaignId: "C1", creatorId: "K1", marketplace: "US", orderId: "O1", reportDate: "2026-03-10" },
    ]);
    expect(r.anomalies).toEqual([]);
  });

  it("the buckets of a creator after two shipments", () => {
    const r = run([
      ...history(),
      shipped({ shipmentId: "S1", lines: [line("A1", "toys", 3, "9.99")] }), // 90 + 300
      shipped({ shipmentId: "S2", lines: [line("A2", "kitchen", 2, "12.50"), line("Z9", "grocery", 1, "7.00")] }),
      // A2: 25.00 × 0.045 = 1.125 → 1.12 (tie, 2 even); bonus 2.50. Z9: 7.00 × 0.01 = 0.07, not a campaign ASIN.
    ]);
    expect(bucketsOf(r.postings, "K1")).toEqual({
      standard: 209,
      bonusPending: 550,
      bonusConfirmed: 0,
      bonusForfeited: 0,
      reversed: 0,
      adjusted: 0,
      total: 759,
    });
  });
});

describe("half-even ties through a shipment (SPEC §4 preamble)", () => {
  it("USD: bonus 2.345 → 2.34 and 2.355 → 2.36; standard 0.045 → 0.04 and 0.135 → 0.14", () => {
    given(history())
      .when(
        shipped({
          shipmentId: "S1",
          lines: [
            line("A1", "toys", 1, "23.45"), // standard 0.7035 → 70; bonus 2.345 → 234
            line("A2", "toys", 1, "23.55"), // standard 0.7065 → 71; bonus 2.355 → 236
            line("X1", "physical_books", 1, "1.00"), // 0.045 → 4
            line("X2", "physical_books", 3, "1.00"), // 0.135 → 14
            line("X3", "digital_music", 1, "2.50"), // 0.125 → 12
          ],
        }),
      )
      .then([
        ["standard", "K1", "C1", 70],
        ["bonus_pending", "K1", "C1", 234],
        ["standard", "K1", "C1", 71],
        ["bonus_pending", "K1", "C1", 236],
        ["standard", "K1", "C1", 4],
        ["standard", "K1", "C1", 14],
        ["standard", "K1", "C1", 12],
      ]);
  });

  it("JPY (0 minor digits): bonus 40.5 → 40 and 41.5 → 42; standard 40.5 → 40 and 43.5 → 44", () => {
    given([
      campaignCreated({ campaignId: "CJ", marketplace: "JP", budget: "100000", asins: ["J1", "J2"] }),
      accepted({ campaignId: "CJ", trackingId: "TJ" }),
    ])
      .when(
        shipped({
          shipmentId: "SJ",
          trackingId: "TJ",
          lines: [
            line("J1", "toys", 1, "405"), // standard 12.15 → 12; bonus 40.5 → 40
            line("J2", "toys", 1, "415"), // standard 12.45 → 12; bonus 41.5 → 42
            line("X1", "toys", 1, "1350"), // 40.5 → 40
            line("X2", "toys", 1, "1450"), // 43.5 → 44
          ],
        }),
      )
      .then([
        ["standard", "K1", "CJ", 12],
        ["bonus_pending", "K1", "CJ", 40],
        ["standard", "K1", "CJ", 12],
        ["bonus_pending", "K1", "CJ", 42],
        ["standard", "K1", "CJ", 40],
        ["standard", "K1", "CJ", 44],
      ]);
  });

  it("rounds per line, not per shipment", () => {
    // Two lines of 0.045 each round to 0.04 + 0.04 = 0.08; rounding their sum (0.09) would give 0.09.
    given(history())
      .when(shipped({ shipmentId: "S1", lines: [line("X1", "physical_books", 1, "1.00"), line("X2", "physical_books", 1, "1.00")] }))
      .then([
        ["standard", "K1", "C1", 4],
        ["standard", "K1", "C1", 4],
      ]);
  });
});

describe("rule 2: the standard rate table", () => {
  it("every category at 100.00, and an unknown category at 0.04", () => {
    const table: [string, number][] = [
      ["amazon_games", 2000],
      ["luxury_beauty", 1000],
      ["digital_music", 500],
      ["physical_books", 450],
      ["kitchen", 450],
      ["apparel", 400],
      ["amazon_devices", 400],
      ["gift_cards", 0],
      ["home", 300],
      ["toys", 300],
      ["headphones", 300],
      ["beauty", 300],
      ["electronics", 250],
      ["televisions", 200],
      ["grocery", 100],
      ["health_personal_care", 100],
      ["video_games", 100],
      ["garden_tools", 400], // any other category
    ];
    const r = given(history()).when(
      shipped({ shipmentId: "S1", lines: table.map(([category]) => line(`X-${category}`, category, 1, "100.00")) }),
    );
    r.then(table.map(([, amount]) => ["standard", "K1", "C1", amount]));
    expect(r.postings.map((p) => p.rate)).toEqual([
      "0.20",
      "0.10",
      "0.05",
      "0.045",
      "0.045",
      "0.04",
      "0.04",
      "0",
      "0.03",
      "0.03",
      "0.03",
      "0.03",
      "0.025",
      "0.02",
      "0.01",
      "0.01",
      "0.01",
      "0.04",
    ]);
    expect(bucketsOf(r.postings, "K1").standard).toBe(7550);
  });

  it("a bonus is earned on a campaign ASIN even when the category earns no standard commission", () => {
    given(history())
      .when(shipped({ shipmentId: "S1", lines: [line("A1", "gift_cards", 2, "25.00")] })) // standard 0; bonus 50.00 × 0.10 = 5.00
      .then([
        ["standard", "K1", "C1", 0],
        ["bonus_pending", "K1", "C1", 500],
      ]);
  });

  it("the rate table is part of the rule version (the example version 2: toys 0.04)", () => {
    const r = given(history(), RULES_V2_EXAMPLE).when(shipped({ shipmentId: "S1", lines: [line("A1", "toys", 3, "9.99")] }));
    // 29.97 × 0.04 = 1.1988 → 1.20; the bonus does not depend on the table: 3.00
    r.then([
      ["standard", "K1", "C1", 120],
      ["bonus_pending", "K1", "C1", 300],
    ]);
    expect(r.postings.map((p) => p.ruleVersion)).toEqual([2, 2]);
  });
});

describe("rule 3: bonus only on campaign ASINs ordered inside [startsAt, endsAt)", () => {
  const sale = (orderedAt: string, asin = "A1") => shipped({ shipmentId: "S1", orderedAt, lines: [line(asin, "toys", 1, "10.00")] }); // standard 30, bonus 100

  it("an ASIN outside the campaign earns standard only", () => {
    given(history())
      .when(sale("2026-03-09T18:00:00Z", "B7"))
      .then([["standard", "K1", "C1", 30]]);
  });

  it("an order at exactly startsAt earns the bonus", () => {
    given(history())
      .when(sale(STARTS_AT))
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100],
      ]);
  });

  it("an order at startsAt written with another offset earns the bonus", () => {
    given(history())
      .when(sale("2026-03-01T08:00:00Z"))
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100],
      ]);
  });

  it("an order 1 ms before startsAt earns standard only", () => {
    given(history())
      .when(sale("2026-03-01T07:59:59.999Z"))
      .then([["standard", "K1", "C1", 30]]);
  });

  it("an order 1 ms before endsAt earns the bonus", () => {
    given(history())
      .when(sale("2026-04-01T06:59:59.999Z"))
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100],
      ]);
  });

  it("an order at exactly endsAt earns standard only", () => {
    given(history())
      .when(sale("2026-04-01T07:00:00Z"))
      .then([["standard", "K1", "C1", 30]]);
  });

  it("the ship time does not matter, only orderedAt: ordered inside, shipped after endsAt", () => {
    given(history())
      .when(
        shipped({
          shipmentId: "S1",
          orderedAt: "2026-03-31T12:00:00Z",
          occurredAt: "2026-04-03T12:00:00Z",
          lines: [line("A1", "toys", 1, "10.00")],
        }),
      )
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100],
      ]);
  });

  it("a shipment ordered before startsAt but shipped inside the period earns standard only", () => {
    given(history())
      .when(
        shipped({
          shipmentId: "S1",
          orderedAt: "2026-02-27T12:00:00Z",
          occurredAt: "2026-03-03T12:00:00Z",
          lines: [line("A1", "toys", 1, "10.00")],
        }),
      )
      .then([["standard", "K1", "C1", 30]]);
  });

  it("a mixed shipment: bonus only on the campaign line", () => {
    given(history())
      .when(shipped({ shipmentId: "S1", lines: [line("B7", "electronics", 1, "200.00"), line("A2", "beauty", 2, "15.00")] }))
      // B7: 200.00 × 0.025 = 5.00. A2: 30.00 × 0.03 = 0.90, bonus 3.00.
      .then([
        ["standard", "K1", "C1", 500],
        ["standard", "K1", "C1", 90],
        ["bonus_pending", "K1", "C1", 300],
      ]);
  });
});

describe("rule 1: attribution by trackingId", () => {
  const world = () => [
    campaignCreated(),
    campaignCreated({ campaignId: "C2", bonusRate: "0.20", asins: ["A1"] }),
    accepted({ creatorId: "K1", campaignId: "C1", trackingId: "T1" }),
    accepted({ creatorId: "K1", campaignId: "C2", trackingId: "T2" }),
    accepted({ creatorId: "K2", campaignId: "C1", trackingId: "T3" }),
  ];
  const sale = (trackingId: string) => shipped({ shipmentId: `S-${trackingId}`, trackingId, lines: [line("A1", "toys", 1, "10.00")] });

  it("the tracking id names the creator and the campaign, with that campaign's bonus rate", () => {
    given(world())
      .when(sale("T2"))
      .then([
        ["standard", "K1", "C2", 30],
        ["bonus_pending", "K1", "C2", 200], // 10.00 × 0.20
      ]);
    given(world())
      .when(sale("T3"))
      .then([
        ["standard", "K2", "C1", 30],
        ["bonus_pending", "K2", "C1", 100],
      ]);
  });

  it("an unknown tracking id earns nothing (anomaly)", () => {
    given(world()).when(sale("T9")).then([]).thenAnomalies(["unknown_tracking_id"]);
  });
});

describe("rule 6: Subscribe & Save", () => {
  it("a first S&S shipment earns like a shipment", () => {
    const r = given(history())
      .when(snsFirst({ shipmentId: "S1", subscriptionId: "SUB1", lines: [line("A1", "toys", 1, "10.00")] }))
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100],
      ]);
    expect(r.postings.map((p) => p.eventType)).toEqual(["SubscribeAndSaveFirstShipment", "SubscribeAndSaveFirstShipment"]);
  });

  it("a second first shipment of the same subscription earns nothing (anomaly); another subscription earns", () => {
    const first = snsFirst({ shipmentId: "S1", subscriptionId: "SUB1", lines: [line("A1", "toys", 1, "10.00")] });
    given([...history(), first])
      .when(snsFirst({ shipmentId: "S2", subscriptionId: "SUB1", lines: [line("A1", "toys", 1, "10.00")] }))
      .then([])
      .thenAnomalies(["duplicate_subscribe_and_save"]);
    given([...history(), first])
      .when(snsFirst({ shipmentId: "S2", subscriptionId: "SUB2", lines: [line("A1", "toys", 1, "10.00")] }))
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100],
      ]);
  });

  it("later ordinary shipments of the subscription earn normally", () => {
    given([...history(), snsFirst({ shipmentId: "S1", subscriptionId: "SUB1" })])
      .when(shipped({ shipmentId: "S2", lines: [line("A1", "toys", 1, "10.00")] }))
      .then([
        ["standard", "K1", "C1", 30],
        ["bonus_pending", "K1", "C1", 100],
      ]);
  });
});

describe("rule 9: earning month in the marketplace's reporting time zone", () => {
  it("a US shipment at 2026-02-01T05:00:00Z is January in Los Angeles", () => {
    const r = given([campaignCreated({ startsAt: "2026-01-01T00:00:00-08:00", endsAt: "2026-03-01T00:00:00-08:00" }), accepted()]).when(
      shipped({
        shipmentId: "S1",
        orderedAt: "2026-01-30T12:00:00Z",
        occurredAt: "2026-02-01T05:00:00Z",
        lines: [line("A1", "toys", 1, "10.00")],
      }),
    );
    expect(dated(r.postings)).toEqual([
      ["standard", 30, "2026-01", "2026-01-31"],
      ["bonus_pending", 100, "2026-01", "2026-01-31"],
    ]);
  });

  it("a JP shipment at 2026-01-31T16:00:00Z is February in Tokyo; 14:59:59.999Z is still January", () => {
    const world = [
      campaignCreated({
        campaignId: "CJ",
        marketplace: "JP",
        budget: "100000",
        startsAt: "2026-01-01T00:00:00+09:00",
        endsAt: "2026-03-01T00:00:00+09:00",
        asins: ["J1"],
      }),
      accepted({ campaignId: "CJ", trackingId: "TJ" }),
    ];
    const sale = (occurredAt: string) =>
      shipped({
        shipmentId: "SJ",
        trackingId: "TJ",
        orderedAt: "2026-01-30T12:00:00Z",
        occurredAt,
        lines: [line("J1", "toys", 1, "1000")],
      });
    // standard 30, bonus 100
    expect(dated(given(world).when(sale("2026-01-31T16:00:00Z")).postings)).toEqual([
      ["standard", 30, "2026-02", "2026-02-01"],
      ["bonus_pending", 100, "2026-02", "2026-02-01"],
    ]);
    expect(dated(given(world).when(sale("2026-01-31T14:59:59.999Z")).postings)).toEqual([
      ["standard", 30, "2026-01", "2026-01-31"],
      ["bonus_pending", 100, "2026-01", "2026-01-31"],
    ]);
  });

  it("a click's report day is its local date", () => {
    const r = given(history()).when(click({ trackingId: "T1", occurredAt: "2026-03-10T06:00:00Z" })); // 2026-03-09 23:00 PDT
    expect(r.facts).toEqual([
      { kind: "click", campaignId: "C1", creatorId: "K1", marketplace: "US", currency: "USD", reportDate: "2026-03-09" },
    ]);
    expect(r.postings).toEqual([]);
  });
});

describe("limits: what validation refuses never reaches the engine; at the maxima every amount is exact", () => {
  it("a line far beyond any real order is refused by validation, naming both fields; the engine never sees it", () => {
    // 1,000,000 × 1,000,000,000,000.00 is beyond what integer minor units in a JS number hold.
    const raws = [...history(), shipped({ id: "shp-huge", shipmentId: "S1", lines: [line("B7", "toys", 1_000_000, "1000000000000")] })];
    const validation = validateBatch(raws);
    expect(validation.ok).toBe(false);
    expect(validation.ok ? [] : validation.problems).toEqual([
      { index: 2, id: "shp-huge", path: "data.lines[0].quantity", message: `must be at most ${QUANTITY_MAX}` },
      { index: 2, id: "shp-huge", path: "data.lines[0].unitPrice", message: `must be at most ${UNIT_PRICE_MAX}` },
    ]);
  });

  it("a shipment at the validation maxima (lines, quantity, unit price) is valid and applied", () => {
    const lines = Array.from({ length: SHIPMENT_LINES_MAX }, () => line("A1", "amazon_games", QUANTITY_MAX, String(UNIT_PRICE_MAX)));
    // The budget, 10^12 major = 10^14 minor units, is exactly 100 lines' bonus at rate 1.
    const raws = [campaignCreated({ bonusRate: "1", budget: "1000000000000" }), accepted(), shipped({ shipmentId: "S1", lines })];
    expect(validateBatch(raws).ok).toBe(true);
    const r = run(raws);
    // The campaign's funding, then per line its standard commission (0.20) and its whole bonus (rate 1).
    expect(tuples(r.postings)).toEqual([
      ["budget_funding", null, "C1", 100_000_000_000_000],
      ...lines.flatMap((): PostingTuple[] => [
        ["standard", "K1", "C1", 200_000_000_000],
        ["bonus_pending", "K1", "C1", 1_000_000_000_000],
      ]),
    ]);
    expect(r.postings.filter((p) => p.kind === "standard").map((p) => p.revenueMinor)).toEqual(lines.map(() => 1_000_000_000_000)); // 100,000 × 100,000.00 in cents
    expect(r.state.campaigns.get("C1")!.spentMinor).toBe(100_000_000_000_000); // exhausted exactly
  });
});
