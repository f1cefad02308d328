// GET /v1/anomalies: every anomaly, also those no creator owns, paged by (position, index) so a
// page may end inside one event's anomalies without losing the rest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, postEvents, startE2eServer, waitForProjections, type E2eServer } from "../support/e2eServer.ts";

let server: E2eServer;
beforeAll(async () => {
  server = await startE2eServer();
  const answer = await postEvents(server.baseUrl, [
    // 1: a click on an unknown tracking id: an anomaly without a creator
    { id: "an-click", type: "ClickRecorded", occurredAt: "2026-03-01T10:00:00Z", data: { trackingId: "NOPE" } },
    {
      id: "an-cc",
      type: "CampaignCreated",
      occurredAt: "2026-02-01T00:00:00Z",
      data: {
        campaignId: "AN",
        brandId: "B",
        marketplace: "US",
        bonusRate: "0.10",
        budget: "10.00",
        startsAt: "2026-02-01T00:00:00Z",
        endsAt: "2026-04-01T00:00:00Z",
        asins: ["A1"],
      },
    },
    {
      id: "an-acc",
      type: "CampaignAccepted",
      occurredAt: "2026-02-02T00:00:00Z",
      data: { campaignId: "AN", creatorId: "KA", trackingId: "TA" },
    },
    {
      id: "an-shp",
      type: "ShipmentRecorded",
      occurredAt: "2026-03-02T18:00:00Z",
      data: {
        shipmentId: "SA",
        orderId: "OA",
        trackingId: "TA",
        orderedAt: "2026-03-01T18:00:00Z",
        lines: [{ asin: "A1", category: "toys", quantity: 1, unitPrice: "10.00" }],
      },
    },
    // 5: a return naming two ASINs the shipment does not contain: two anomalies at one position
    {
      id: "an-ret",
      type: "ShipmentReturned",
      occurredAt: "2026-03-05T18:00:00Z",
      data: {
        shipmentId: "SA",
        lines: [
          { asin: "X1", quantity: 1 },
          { asin: "X2", quantity: 1 },
        ],
      },
    },
  ]);
  expect(answer.status).toBe(200);
  await waitForProjections(server.baseUrl);
});
afterAll(async () => {
  await server?.destroy();
});

describe("GET /v1/anomalies", () => {
  it("lists every anomaly in order, paging inside a position without losing any", async () => {
    const first = await get(server.baseUrl, "/v1/anomalies?limit=2");
    expect(first.status).toBe(200);
    expect(first.body.asOfPosition).toBe(5);
    expect(
      first.body.anomalies.map((a: { position: number; code: string; creatorId: string | null }) => [a.position, a.code, a.creatorId]),
    ).toEqual([
      [1, "unknown_tracking_id", null],
      [5, "asin_not_in_shipment", "KA"],
    ]);
    expect(first.body.nextAfter).toBe("5.0");
    const second = await get(server.baseUrl, `/v1/anomalies?limit=2&after=${first.body.nextAfter}`);
    expect(second.body.anomalies.map((a: { position: number; message: string }) => [a.position, a.message])).toEqual([
      [5, "shipment SA has no line with ASIN X2"],
    ]);
    expect(second.body.nextAfter).toBeNull();
  });

  it("refuses a malformed cursor or limit with a 400", async () => {
    expect((await get(server.baseUrl, "/v1/anomalies?after=abc")).status).toBe(400);
    expect((await get(server.baseUrl, "/v1/anomalies?limit=0")).status).toBe(400);
    expect((await get(server.baseUrl, "/v1/anomalies?limit=1001")).status).toBe(400);
  });
});
