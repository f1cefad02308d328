// Payout runs and dates (SPEC §4 rule 11, §5 payouts/run): every payout issued counts against what
// is owed, whatever its date, so a run for an earlier asOf never pays again; a run for a date after
// today is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectErrorShape,
  get,
  postEvents,
  postJson,
  startE2eServer,
  waitForProjections,
  usPayout,
  type E2eServer,
} from "../support/e2eServer.ts";

let server: E2eServer;
beforeAll(async () => {
  server = await startE2eServer();
  const answer = await postEvents(server.baseUrl, [
    {
      id: "pd-cc",
      type: "CampaignCreated",
      occurredAt: "2025-12-01T00:00:00Z",
      data: {
        campaignId: "PD",
        brandId: "B",
        marketplace: "US",
        bonusRate: "0",
        budget: "0",
        startsAt: "2026-01-01T00:00:00-08:00",
        endsAt: "2026-03-01T00:00:00-08:00",
        asins: ["X"],
      },
    },
    {
      id: "pd-acc",
      type: "CampaignAccepted",
      occurredAt: "2026-01-01T12:00:00Z",
      data: { campaignId: "PD", creatorId: "KP", trackingId: "TP" },
    },
    // apparel 1 × 500.00 × 0.04 = 20.00 standard, earned January 2026 (LA) → payable on 2026-04-02
    {
      id: "pd-shp",
      type: "ShipmentRecorded",
      occurredAt: "2026-01-15T18:00:00Z",
      data: {
        shipmentId: "SP",
        orderId: "OP",
        trackingId: "TP",
        orderedAt: "2026-01-14T18:00:00Z",
        lines: [{ asin: "Y", category: "apparel", quantity: 1, unitPrice: "500.00" }],
      },
    },
    { id: "pd-tax", type: "TaxInfoSubmitted", occurredAt: "2026-01-02T00:00:00Z", data: { creatorId: "KP", marketplace: "US" } },
    {
      id: "pd-pm",
      type: "PaymentMethodChanged",
      occurredAt: "2026-01-02T00:00:00Z",
      data: { creatorId: "KP", marketplace: "US", method: "direct_deposit" },
    },
  ]);
  expect(answer.status).toBe(200);
  await waitForProjections(server.baseUrl);
});
afterAll(async () => {
  await server?.destroy();
});

describe("payout runs across dates", () => {
  it("pays 20.00 as of 2026-06-01, then nothing for an earlier asOf", async () => {
    const first = await postJson(server.baseUrl, "/v1/payouts/run", { marketplace: "US", asOf: "2026-06-01" });
    expect(first.status).toBe(200);
    expect(first.body.issued).toEqual([usPayout("payout:KP:US:2026-06-01", "KP", "20.00")]);
    await waitForProjections(server.baseUrl);
    const earlier = await postJson(server.baseUrl, "/v1/payouts/run", { marketplace: "US", asOf: "2026-05-01" });
    expect(earlier.status).toBe(200);
    expect(earlier.body.issued).toEqual([]);
    const status = await get(server.baseUrl, "/v1/creators/KP/payout?asOf=2026-05-01");
    expect(status.body.marketplaces[0]).toMatchObject({ payable: "0.00", paid: "20.00", status: "nothing_due" });
  });

  it("refuses an asOf after today with a 400 and issues nothing", async () => {
    const future = await postJson(server.baseUrl, "/v1/payouts/run", { marketplace: "US", asOf: "2999-01-01" });
    expectErrorShape(future, 400);
    const status = await get(server.baseUrl, "/v1/creators/KP/payout?asOf=2026-06-01");
    expect(status.body.marketplaces[0]).toMatchObject({ payable: "0.00", paid: "20.00" });
  });
});
