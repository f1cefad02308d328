// Sums past 2^53 minor units (hardening issue, D5). Every amount below is valid on its own (at most
// 10^12 per money field, 100,000.00 per unit price); only their sums pass Number.MAX_SAFE_INTEGER
// (9,007,199,254,740,991). Reads and the payout run must stay exact and never answer 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectNo5xxAndErrorShapes,
  get,
  postEvents,
  postJson,
  startE2eServer,
  waitForProjections,
  type E2eServer,
} from "../support/e2eServer.ts";

const PAYOUTS = 100;
const MAX_AMOUNT = "1000000000000.00"; // 10^12, the largest money value an event may carry
const SHIPMENTS_PER_DAY = 46;

/** 100 lines of 100,000 × 100,000.00 = 10^12 of revenue (gift_cards: no commission); or 99 such lines and 1 × 0.01. */
function bigShipment(id: string, shippedAt: string, extraCent: boolean) {
  const lines = Array.from({ length: 100 }, (_, i) => ({
    asin: `G${i}`,
    category: "gift_cards",
    quantity: 100_000,
    unitPrice: "100000.00",
  }));
  if (extraCent) lines[99] = { asin: "CENT", category: "gift_cards", quantity: 1, unitPrice: "0.01" };
  return {
    id,
    type: "ShipmentRecorded",
    occurredAt: shippedAt,
    data: { shipmentId: id, orderId: id, trackingId: "T-BIG", orderedAt: shippedAt, lines },
  };
}

describe("money sums past 2^53 minor units", () => {
  let server: E2eServer;

  beforeAll(async () => {
    server = await startE2eServer();
    const setup = [
      { id: "big-tax", type: "TaxInfoSubmitted", occurredAt: "2026-01-01T00:00:00Z", data: { creatorId: "KBIG", marketplace: "US" } },
      {
        id: "big-pm",
        type: "PaymentMethodChanged",
        occurredAt: "2026-01-01T00:00:00Z",
        data: { creatorId: "KBIG", marketplace: "US", method: "direct_deposit" },
      },
      // 100 payouts of 10^12: 10^14 paid = 10^16 minor units.
      ...Array.from({ length: PAYOUTS }, (_, i) => ({
        id: `big-payout-${i}`,
        type: "PayoutIssued",
        occurredAt: "2026-02-01T00:00:00Z",
        data: { payoutId: `big-payout-${i}`, creatorId: "KBIG", marketplace: "US", amount: MAX_AMOUNT },
      })),
      {
        id: "big-cc",
        type: "CampaignCreated",
        occurredAt: "2026-01-01T00:00:00Z",
        data: {
          campaignId: "CBIG",
          brandId: "B",
          marketplace: "US",
          bonusRate: "0",
          budget: "0",
          startsAt: "2026-01-01T00:00:00Z",
          endsAt: "2026-12-01T00:00:00Z",
          asins: ["NONE"],
        },
      },
      {
        id: "big-acc",
        type: "CampaignAccepted",
        occurredAt: "2026-01-01T00:00:00Z",
        data: { campaignId: "CBIG", creatorId: "RBIG", trackingId: "T-BIG" },
      },
    ];
    expect((await postEvents(server.baseUrl, setup)).status).toBe(200);
    // 46 shipments of 10^12 on each of two days; day A has one more, whose last line is 1 × 0.01.
    const dayA = Array.from({ length: SHIPMENTS_PER_DAY }, (_, i) => bigShipment(`big-a-${i}`, "2026-03-10T18:00:00Z", false));
    const dayB = Array.from({ length: SHIPMENTS_PER_DAY }, (_, i) => bigShipment(`big-b-${i}`, "2026-03-11T18:00:00Z", false));
    dayA.push(bigShipment("big-a-cent", "2026-03-10T18:00:00Z", true));
    expect((await postEvents(server.baseUrl, dayA)).status).toBe(200);
    expect((await postEvents(server.baseUrl, dayB)).status).toBe(200);
    await waitForProjections(server.baseUrl, 20_000);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("the payout read is exact: 10^14 paid, −10^14 payable, nothing due", async () => {
    const answer = await get(server.baseUrl, "/v1/creators/KBIG/payout?asOf=2026-06-01");
    expect(answer.status).toBe(200);
    expect(answer.body.marketplaces).toEqual([
      {
        marketplace: "US",
        currency: "USD",
        payable: "-100000000000000.00",
        pending: "0.00",
        paid: "100000000000000.00",
        threshold: "10.00",
        status: "nothing_due",
        nextPayableOn: "2026-06-30",
        taxInfoOnFile: true,
        paymentMethod: "direct_deposit",
        // §12: a debt of 10^14 (receivable); −10^14 payable + 10^14 paid = the total, 0.00.
        hold: null,
        receivable: "100000000000000.00",
        lifecycle: { pending: "0.00", locked: "0.00", payable: "-100000000000000.00", paid: "100000000000000.00" },
      },
    ]);
  });

  it("the payout run for the whole marketplace answers, paying nobody", async () => {
    const run = await postJson(server.baseUrl, "/v1/payouts/run", { marketplace: "US", asOf: "2026-06-01" });
    expect(run.status).toBe(200);
    expect(run.body.issued).toEqual([]);
  });

  it("report rows of 46,990,000,000,000.01 and 46,000,000,000,000.00 total 92,990,000,000,000.01, to the cent", async () => {
    const answer = await get(server.baseUrl, "/v1/creators/RBIG/report?from=2026-03-01&to=2026-03-31");
    expect(answer.status).toBe(200);
    // Day A: 46 × 10^12 + (10^12 − 10^10 + 0.01) = 46,990,000,000,000.01; day B: 46 × 10^12.
    expect(
      answer.body.rows.map((r: { date: string; revenue: string; units: number; orders: number }) => [r.date, r.revenue, r.orders, r.units]),
    ).toEqual([
      ["2026-03-10", "46990000000000.01", 47, 46 * 10_000_000 + 99 * 100_000 + 1],
      ["2026-03-11", "46000000000000.00", 46, 46 * 10_000_000],
    ]);
    expect(answer.body.totals).toEqual([
      {
        marketplace: "US",
        currency: "USD",
        clicks: 0,
        orders: 93,
        units: 92 * 10_000_000 + 99 * 100_000 + 1,
        revenue: "92990000000000.01",
        earnings: "0.00",
        spend: "0.00",
      },
    ]);
  });

  it("no answer was a 5xx", () => {
    expectNo5xxAndErrorShapes();
  });
});
