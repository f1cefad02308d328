// Campaign management and the brand's view over real sockets (SPEC §9): a pause, a raised budget
// that re-opens an exhausted campaign, an early end; GET /v1/campaigns/{id},
// /v1/brands/{brandId}/campaigns, /v1/campaigns/{id}/report (JSON and CSV), as of now and as of a
// position. Every amount is worked out by hand below.
//
// CM-1 (US, brand BR-1): bonus 0.10, budget 10.00, [2026-01-01T00:00Z, 2026-03-01T00:00Z), ASIN A1.
// Creators K1 (T1) and -K5 (T5, an id a spreadsheet would run as a formula). LA dates.
//  P4  click T1 01-05.
//  P5  S1 K1 shipped 01-06, A1 toys 1 × 50.00: standard 1.50, bonus 5.00 pending (remaining 5.00).
//  P6  paused at 2026-01-07T00:00Z.
//  P7  S2 -K5 shipped 01-09, ordered 01-08 (paused): A1 toys 2 × 30.00 = 60.00: standard 1.80, no bonus.
//  P8  resumed at 2026-01-10T00:00Z.
//  P9  S3 -K5 shipped 01-11, ordered exactly at the resume instant (bonus): A1 toys 1 × 80.00: standard
//      2.40, bonus 8.00 capped at the remaining 5.00 → exhausted, exhaustedAt = S3's occurredAt.
//  P10 budget raised to 20.00: remaining 20.00 − 10.00 = 10.00 (budget_funding 10.00), re-opened.
//  P11 S4 K1 shipped 01-13: A1 toys 1 × 40.00: standard 1.20, bonus 4.00 (spent 14.00, remaining 6.00).
//  P12 end moved earlier to 2026-01-20T00:00Z.
//  P13 S5 K1 shipped 01-26, ordered 01-25 (after the new end): A1 toys 1 × 10.00: standard 0.30, no bonus.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectErrorShape,
  expectNo5xxAndErrorShapes,
  get,
  postNdjson,
  startE2eServer,
  waitForProjections,
  type E2eServer,
} from "../support/e2eServer.ts";

const shipment = (id: string, trackingId: string, orderedAt: string, shippedAt: string, quantity: number, unitPrice: string) => ({
  id,
  type: "ShipmentRecorded",
  occurredAt: shippedAt,
  data: { shipmentId: id, orderId: `O-${id}`, trackingId, orderedAt, lines: [{ asin: "A1", category: "toys", quantity, unitPrice }] },
});

const EVENTS = [
  {
    id: "cm-cc",
    type: "CampaignCreated",
    occurredAt: "2025-12-20T00:00:00Z",
    data: {
      campaignId: "CM-1",
      brandId: "BR-1",
      marketplace: "US",
      bonusRate: "0.10",
      budget: "10.00",
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: "2026-03-01T00:00:00Z",
      asins: ["A1"],
    },
  },
  {
    id: "cm-acc-1",
    type: "CampaignAccepted",
    occurredAt: "2026-01-01T00:00:00Z",
    data: { campaignId: "CM-1", creatorId: "K1", trackingId: "T1" },
  },
  {
    id: "cm-acc-5",
    type: "CampaignAccepted",
    occurredAt: "2026-01-01T00:00:00Z",
    data: { campaignId: "CM-1", creatorId: "-K5", trackingId: "T5" },
  },
  { id: "cm-clk", type: "ClickRecorded", occurredAt: "2026-01-05T17:00:00Z", data: { trackingId: "T1" } },
  shipment("S1", "T1", "2026-01-05T18:00:00Z", "2026-01-06T18:00:00Z", 1, "50.00"),
  { id: "cm-pause", type: "CampaignPaused", occurredAt: "2026-01-07T00:00:00Z", data: { campaignId: "CM-1" } },
  shipment("S2", "T5", "2026-01-08T18:00:00Z", "2026-01-09T18:00:00Z", 2, "30.00"),
  { id: "cm-resume", type: "CampaignResumed", occurredAt: "2026-01-10T00:00:00Z", data: { campaignId: "CM-1" } },
  shipment("S3", "T5", "2026-01-10T00:00:00Z", "2026-01-11T18:00:00Z", 1, "80.00"),
  { id: "cm-raise", type: "CampaignBudgetChanged", occurredAt: "2026-01-12T00:00:00Z", data: { campaignId: "CM-1", budget: "20.00" } },
  shipment("S4", "T1", "2026-01-12T18:00:00Z", "2026-01-13T18:00:00Z", 1, "40.00"),
  {
    id: "cm-end",
    type: "CampaignEndChanged",
    occurredAt: "2026-01-14T00:00:00Z",
    data: { campaignId: "CM-1", endsAt: "2026-01-20T00:00:00Z" },
  },
  shipment("S5", "T1", "2026-01-25T18:00:00Z", "2026-01-26T18:00:00Z", 1, "10.00"),
];

const DETAILS = {
  campaignId: "CM-1",
  brandId: "BR-1",
  marketplace: "US",
  currency: "USD",
  bonusRate: "0.10",
  startsAt: "2026-01-01T00:00:00Z",
  endsAt: "2026-01-20T00:00:00Z",
  asins: ["A1"],
  paused: false,
  creators: 2,
  budget: "20.00",
  spent: "14.00",
  released: "0.00",
  remaining: "6.00",
  exhausted: false,
  exhaustedAt: null,
  ended: false,
};

const row = (
  date: string,
  creatorId: string,
  clicks: number,
  orders: number,
  units: number,
  revenue: string,
  earnings: string,
  spend: string,
) => ({ date, creatorId, clicks, orders, units, revenue, earnings, spend });
const ROWS = [
  row("2026-01-05", "K1", 1, 0, 0, "0.00", "0.00", "0.00"),
  row("2026-01-06", "K1", 0, 1, 1, "50.00", "6.50", "5.00"),
  row("2026-01-09", "-K5", 0, 1, 2, "60.00", "1.80", "0.00"),
  row("2026-01-11", "-K5", 0, 1, 1, "80.00", "7.40", "5.00"),
  row("2026-01-13", "K1", 0, 1, 1, "40.00", "5.20", "4.00"),
  row("2026-01-26", "K1", 0, 1, 1, "10.00", "0.30", "0.00"),
];

describe("campaign management and the brand's reads", () => {
  let server: E2eServer;
  let url: string;

  beforeAll(async () => {
    server = await startE2eServer();
    url = server.baseUrl;
    expect((await postNdjson(url, EVENTS)).body).toEqual({ appended: EVENTS.length, duplicates: 0, lastPosition: EVENTS.length });
    await waitForProjections(url);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("GET /v1/campaigns/CM-1: the campaign as managed, with its budget and its history (issue 27)", async () => {
    // One batch: every event has the same commit time.
    const recordedAt = (await get(url, "/v1/events/cm-cc")).body.recordedAt as string;
    const entry = (position: number, eventId: string, eventType: string, occurredAt: string, changes: object) => ({
      position,
      eventId,
      eventType,
      occurredAt,
      recordedAt,
      changes,
    });
    expect((await get(url, "/v1/campaigns/CM-1")).body).toEqual({
      ...DETAILS,
      asOfPosition: EVENTS.length,
      history: [
        entry(1, "cm-cc", "CampaignCreated", "2025-12-20T00:00:00Z", {
          budget: { from: null, to: "10.00" },
          endsAt: { from: null, to: "2026-03-01T00:00:00Z" },
        }),
        entry(6, "cm-pause", "CampaignPaused", "2026-01-07T00:00:00Z", { paused: { from: false, to: true } }),
        entry(8, "cm-resume", "CampaignResumed", "2026-01-10T00:00:00Z", { paused: { from: true, to: false } }),
        entry(10, "cm-raise", "CampaignBudgetChanged", "2026-01-12T00:00:00Z", { budget: { from: "10.00", to: "20.00" } }),
        entry(12, "cm-end", "CampaignEndChanged", "2026-01-14T00:00:00Z", {
          endsAt: { from: "2026-03-01T00:00:00Z", to: "2026-01-20T00:00:00Z" },
        }),
      ],
      historyTruncated: false,
    });
  });

  it("as of a position: paused after P6, exhausted after P9, re-opened by the raise at P10", async () => {
    expect((await get(url, "/v1/campaigns/CM-1?asOfPosition=6")).body).toMatchObject({
      paused: true,
      spent: "5.00",
      remaining: "5.00",
      endsAt: "2026-03-01T00:00:00Z",
    });
    expect((await get(url, "/v1/campaigns/CM-1?asOfPosition=9")).body).toMatchObject({
      paused: false,
      budget: "10.00",
      spent: "10.00",
      remaining: "0.00",
      exhausted: true,
      exhaustedAt: "2026-01-11T18:00:00Z",
    });
    expect((await get(url, "/v1/campaigns/CM-1/budget?asOfPosition=10")).body).toEqual({
      campaignId: "CM-1",
      asOfPosition: 10,
      currency: "USD",
      budget: "20.00",
      spent: "10.00",
      released: "0.00",
      remaining: "10.00",
      exhausted: false,
      exhaustedAt: null,
      ended: false,
    });
    // The raise moved 10.00 from the brand into the campaign's budget account (SPEC §8.1).
    expect((await get(url, "/v1/accounts/brand:BR-1:US?asOfPosition=10")).body.balance).toBe("-20.00");
    expect((await get(url, "/v1/accounts/campaign:CM-1:budget")).body.balance).toBe("6.00");
  });

  it("GET /v1/brands/BR-1/campaigns lists the brand's campaigns", async () => {
    expect((await get(url, "/v1/brands/BR-1/campaigns")).body).toEqual({
      brandId: "BR-1",
      asOfPosition: EVENTS.length,
      campaigns: [DETAILS],
    });
    expect((await get(url, "/v1/brands/BR-1/campaigns?asOfPosition=0")).status).toBe(404);
  });

  it("GET /v1/campaigns/CM-1/report: rows by date then creator, and totals", async () => {
    expect((await get(url, "/v1/campaigns/CM-1/report?from=2026-01-01&to=2026-01-31")).body).toEqual({
      campaignId: "CM-1",
      from: "2026-01-01",
      to: "2026-01-31",
      asOfPosition: EVENTS.length,
      rows: ROWS,
      totals: [
        { marketplace: "US", currency: "USD", clicks: 1, orders: 5, units: 6, revenue: "240.00", earnings: "21.20", spend: "14.00" },
      ],
    });
  });

  it("its rows are exactly the creators' rows for that campaign", async () => {
    const campaign = (await get(url, "/v1/campaigns/CM-1/report?from=2026-01-01&to=2026-01-31")).body.rows;
    for (const creatorId of ["K1", "-K5"]) {
      const own = (await get(url, `/v1/creators/${creatorId}/report?from=2026-01-01&to=2026-01-31&campaignId=CM-1`)).body.rows;
      expect(campaign.filter((r: { creatorId: string }) => r.creatorId === creatorId)).toEqual(
        own.map((r: Record<string, unknown>) => ({
          date: r.date,
          creatorId,
          clicks: r.clicks,
          orders: r.orders,
          units: r.units,
          revenue: r.revenue,
          earnings: r.earnings,
          spend: r.spend,
        })),
      );
    }
  });

  it("CSV: the SPEC header, formula-like text neutralised", async () => {
    const answer = await get(url, "/v1/campaigns/CM-1/report?from=2026-01-01&to=2026-01-31&format=csv");
    expect(answer.headers.get("content-type")).toContain("text/csv");
    expect(answer.headers.get("content-disposition")).toBe('attachment; filename="campaign-report-CM-1-2026-01-01-2026-01-31.csv"');
    expect(answer.text).toBe(
      "date,creator_id,clicks,orders,units,revenue,earnings,spend\n" +
        "2026-01-05,K1,1,0,0,0.00,0.00,0.00\n" +
        "2026-01-06,K1,0,1,1,50.00,6.50,5.00\n" +
        "2026-01-09,'-K5,0,1,2,60.00,1.80,0.00\n" +
        "2026-01-11,'-K5,0,1,1,80.00,7.40,5.00\n" +
        "2026-01-13,K1,0,1,1,40.00,5.20,4.00\n" +
        "2026-01-26,K1,0,1,1,10.00,0.30,0.00\n",
    );
  });

  it("404 for an unknown campaign or brand; 400 for a bad range", async () => {
    expectErrorShape(await get(url, "/v1/campaigns/NOPE"), 404, "not_found");
    expectErrorShape(await get(url, "/v1/campaigns/NOPE/report?from=2026-01-01&to=2026-01-31"), 404, "not_found");
    expectErrorShape(await get(url, "/v1/brands/NOPE/campaigns"), 404, "not_found");
    expectErrorShape(await get(url, "/v1/campaigns/CM-1/report?from=2026-01-31&to=2026-01-01"), 400, "invalid_request");
    expectErrorShape(await get(url, "/v1/campaigns/CM-1/report?from=2026-01-01&to=2026-04-30"), 400, "invalid_request");
    expectErrorShape(await get(url, "/v1/campaigns/CM-1/report?from=2026-01-01"), 400, "invalid_request");
  });

  it("misfits are anomalies and change nothing: resume while running, change after the end", async () => {
    const more = [
      { id: "cm-resume-2", type: "CampaignResumed", occurredAt: "2026-01-15T00:00:00Z", data: { campaignId: "CM-1" } },
      { id: "campaign-ended:CM-1", type: "CampaignEnded", occurredAt: "2026-01-20T00:00:00Z", data: { campaignId: "CM-1" } },
      {
        id: "cm-late-raise",
        type: "CampaignBudgetChanged",
        occurredAt: "2026-01-21T00:00:00Z",
        data: { campaignId: "CM-1", budget: "99.00" },
      },
    ];
    expect((await postNdjson(url, more)).status).toBe(200);
    await waitForProjections(url);
    const anomalies = (await get(url, `/v1/anomalies?after=${EVENTS.length}`)).body.anomalies;
    expect(anomalies.map((a: { eventId: string; code: string }) => [a.eventId, a.code])).toEqual([
      ["cm-resume-2", "invalid_state"],
      ["cm-late-raise", "campaign_already_ended"],
    ]);
    // Ended without content: K1's pending 5.00 (S1) + 4.00 (S4) and -K5's 5.00 (S3) are forfeited
    // and go back to the budget: spent 14.00 − 14.00 = 0.00, released 14.00, remaining 20.00.
    expect((await get(url, "/v1/campaigns/CM-1")).body).toMatchObject({
      budget: "20.00",
      ended: true,
      spent: "0.00",
      released: "14.00",
      remaining: "20.00",
    });
    expectNo5xxAndErrorShapes();
  });
});
