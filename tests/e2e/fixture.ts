// A small, hand-checked US fixture for the e2e tests (SPEC §3-§5). Every expected amount in the
// tests is computed by hand from the SPEC rules in the comments below; nothing here computes one.
//
// Campaign CMP-1 (US, USD, zone America/Los_Angeles): bonusRate 0.10, budget 50.00,
// period [2026-01-01T00:00-08:00, 2026-02-01T00:00-08:00), asins A1, A2.
// Creators: K1 (tracking T1, qualifying content "#ad"), K2 (tracking T2, no content),
// K3 (tracking T3) in campaign `-C2` (an id that a spreadsheet would run as a formula: minus cell
// C2; `-` is the one formula sign the SPEC's id characters allow).

export const CAMPAIGN = "CMP-1";
export const FORMULA_CAMPAIGN = "-C2";

/** Part 1 (positions 1-8): the campaign, acceptances, content, clicks, two shipments of K1. */
export const PART1 = [
  // 1
  {
    id: "cc-1",
    type: "CampaignCreated",
    schemaVersion: 1,
    occurredAt: "2025-12-20T12:00:00Z",
    data: {
      campaignId: CAMPAIGN,
      brandId: "B1",
      marketplace: "US",
      bonusRate: "0.10",
      budget: "50.00",
      startsAt: "2026-01-01T00:00:00-08:00",
      endsAt: "2026-02-01T00:00:00-08:00",
      asins: ["A1", "A2"],
    },
  },
  // 2
  {
    id: "acc-1",
    type: "CampaignAccepted",
    occurredAt: "2026-01-01T12:00:00Z",
    data: { campaignId: CAMPAIGN, creatorId: "K1", trackingId: "T1" },
  },
  // 3
  {
    id: "acc-2",
    type: "CampaignAccepted",
    occurredAt: "2026-01-01T13:00:00Z",
    data: { campaignId: CAMPAIGN, creatorId: "K2", trackingId: "T2" },
  },
  // 4 — qualifying disclosure ("#ad" as a whole word), before endsAt
  {
    id: "cl-1",
    type: "ContentLinkSubmitted",
    occurredAt: "2026-01-02T12:00:00Z",
    data: { campaignId: CAMPAIGN, creatorId: "K1", url: "https://video.example.com/k1/1", disclosure: "I love this blender #ad" },
  },
  // 5, 6 — two clicks on LA date 2026-01-05 (09:00 and 12:00 PST)
  { id: "clk-1", type: "ClickRecorded", occurredAt: "2026-01-05T17:00:00Z", data: { trackingId: "T1" } },
  { id: "clk-2", type: "ClickRecorded", occurredAt: "2026-01-05T20:00:00Z", data: { trackingId: "T1", asin: "A1" } },
  // 7 — S1 shipped 2026-01-06 10:00 PST (LA date 2026-01-06), ordered inside the period.
  //   A1 toys 2 × 99.99 = 199.98: standard 199.98 × 0.03 = 5.9994 → 6.00; bonus 199.98 × 0.10 = 19.998 → 20.00 (pending)
  //   A3 kitchen 1 × 25.00: standard 25.00 × 0.045 = 1.125 → 1.12 (half-even); A3 not in asins → no bonus
  //   budget: spent 20.00, remaining 30.00
  {
    id: "shp-1",
    type: "ShipmentRecorded",
    occurredAt: "2026-01-06T18:00:00Z",
    data: {
      shipmentId: "S1",
      orderId: "O1",
      trackingId: "T1",
      orderedAt: "2026-01-05T18:00:00Z",
      lines: [
        { asin: "A1", category: "toys", quantity: 2, unitPrice: "99.99" },
        { asin: "A3", category: "kitchen", quantity: 1, unitPrice: "25.00" },
      ],
    },
  },
  // 8 — S2 shipped 2026-01-08 (LA). A2 electronics 1 × 400.00: standard 400.00 × 0.025 = 10.00;
  //   bonus 400.00 × 0.10 = 40.00 capped at the remaining 30.00 → 30.00 (pending).
  //   budget: spent 50.00, remaining 0.00 → exhausted, exhaustedAt = this event's occurredAt
  {
    id: "shp-2",
    type: "ShipmentRecorded",
    occurredAt: "2026-01-08T18:00:00Z",
    data: {
      shipmentId: "S2",
      orderId: "O2",
      trackingId: "T1",
      orderedAt: "2026-01-07T18:00:00Z",
      lines: [{ asin: "A2", category: "electronics", quantity: 1, unitPrice: "400.00" }],
    },
  },
];

/** Part 2 (positions 9-18). */
export const PART2 = [
  // 9 — return 1 of 2 × A1 of S1 on LA date 2026-01-10, bonus still pending:
  //   standard reversal round(6.00 × 1/2) = 3.00 (month 2026-01); revenue −round(199.98 × 1/2) = −99.99
  //   pending bonus lowered by round(20.00 × 1/2) = 10.00 (not a reversal), back to the budget:
  //   spent 40.00, released 10.00, remaining 10.00, no longer exhausted (exhaustedAt null)
  {
    id: "ret-1",
    type: "ShipmentReturned",
    occurredAt: "2026-01-10T18:00:00Z",
    data: { shipmentId: "S1", lines: [{ asin: "A1", quantity: 1 }] },
  },
  // 10 — K2: A5 toys 1 × 100.00 → standard 3.00; A5 not in asins → no bonus (LA date 2026-01-09)
  {
    id: "shp-k2",
    type: "ShipmentRecorded",
    occurredAt: "2026-01-09T18:00:00Z",
    data: {
      shipmentId: "S4",
      orderId: "O4",
      trackingId: "T2",
      orderedAt: "2026-01-07T19:00:00Z",
      lines: [{ asin: "A5", category: "toys", quantity: 1, unitPrice: "100.00" }],
    },
  },
  // 11 — campaign end (occurredAt = endsAt). K1 qualifies → pending 10.00 (A1) + 30.00 (A2) = 40.00
  //   confirmed, keeping the shipments' month 2026-01. K2 has nothing pending.
  { id: `campaign-ended:${CAMPAIGN}`, type: "CampaignEnded", occurredAt: "2026-02-01T00:00:00-08:00", data: { campaignId: CAMPAIGN } },
  // 12 — S3 shipped 2026-02-03 (LA), ordered after endsAt → no bonus.
  //   B9 physical_books 1 × 20.00: standard 20.00 × 0.045 = 0.90 (month 2026-02)
  {
    id: "shp-3",
    type: "ShipmentRecorded",
    occurredAt: "2026-02-03T18:00:00Z",
    data: {
      shipmentId: "S3",
      orderId: "O3",
      trackingId: "T1",
      orderedAt: "2026-02-02T18:00:00Z",
      lines: [{ asin: "B9", category: "physical_books", quantity: 1, unitPrice: "20.00" }],
    },
  },
  // 13 — return 2 × A1 of S1 on LA date 2026-03-05; only 1 unit is left (anomaly returned_more_than_shipped).
  //   standard reversal min(round(6.00 × 1/2), 6.00 − 3.00) = 3.00; the bonus is confirmed now:
  //   bonus reversal min(round(20.00 × 1/2), 20.00 − 10.00) = 10.00, both in month 2026-03;
  //   revenue −99.99; budget spent 30.00, released 20.00, remaining 20.00
  {
    id: "ret-2",
    type: "ShipmentReturned",
    occurredAt: "2026-03-05T18:00:00Z",
    data: { shipmentId: "S1", lines: [{ asin: "A1", quantity: 2 }] },
  },
  // 14, 15 — K1 is payable in the US
  { id: "tax-1", type: "TaxInfoSubmitted", occurredAt: "2026-01-01T00:00:00Z", data: { creatorId: "K1", marketplace: "US" } },
  {
    id: "pm-1",
    type: "PaymentMethodChanged",
    occurredAt: "2026-01-01T00:05:00Z",
    data: { creatorId: "K1", marketplace: "US", method: "direct_deposit" },
  },
  // 16-18 — K3 in a campaign whose id starts with "-" (a formula sign); one click on LA date 2026-01-05
  {
    id: "cc-2",
    type: "CampaignCreated",
    occurredAt: "2025-12-20T12:00:00Z",
    data: {
      campaignId: FORMULA_CAMPAIGN,
      brandId: "B2",
      marketplace: "US",
      bonusRate: "0.05",
      budget: "10.00",
      startsAt: "2026-01-01T00:00:00-08:00",
      endsAt: "2026-12-01T00:00:00-08:00",
      asins: ["A1"],
    },
  },
  {
    id: "acc-3",
    type: "CampaignAccepted",
    occurredAt: "2026-01-01T12:00:00Z",
    data: { campaignId: FORMULA_CAMPAIGN, creatorId: "K3", trackingId: "T3" },
  },
  { id: "clk-3", type: "ClickRecorded", occurredAt: "2026-01-05T17:00:00Z", data: { trackingId: "T3" } },
];

export const ALL_EVENTS = [...PART1, ...PART2];

/**
 * K1's US payout line as of 2026-04-02 after all of the above (SPEC §5, §12): January (54.12: 6.00 +
 * 1.12 + 10.00 − 3.00 + 40.00 confirmed) is payable from 2026-04-02; February 0.90 and March −13.00
 * are not yet: pending and locked −12.10 (no bonus pending: the campaign ended at 11); 0.00 + −12.10
 * + 54.12 + 0.00 = 42.02, K1's earnings total. 54.12 ≥ 10.00 (direct deposit), tax info on file: ready.
 */
export const K1_PAYOUT_2026_04_02 = {
  marketplace: "US",
  currency: "USD",
  payable: "54.12",
  pending: "-12.10",
  paid: "0.00",
  threshold: "10.00",
  status: "ready",
  nextPayableOn: "2026-04-30",
  taxInfoOnFile: true,
  paymentMethod: "direct_deposit",
  hold: null,
  receivable: "0.00",
  lifecycle: { pending: "0.00", locked: "-12.10", payable: "54.12", paid: "0.00" },
};

/** K2's US payout line as of 2026-04-02: 3.00 standard (January), payable; no tax info, no payment method. */
export const K2_PAYOUT_2026_04_02 = {
  marketplace: "US",
  currency: "USD",
  payable: "3.00",
  pending: "0.00",
  paid: "0.00",
  threshold: null,
  status: "tax_info_missing",
  nextPayableOn: "2026-04-30",
  taxInfoOnFile: false,
  paymentMethod: null,
  hold: null,
  receivable: "0.00",
  lifecycle: { pending: "0.00", locked: "0.00", payable: "3.00", paid: "0.00" },
};

/** 1-based store position of a fixture event (fresh store, events posted in order, once). */
export function positionOf(id: string): number {
  const index = ALL_EVENTS.findIndex((e) => e.id === id);
  if (index < 0) throw new Error(`no fixture event ${id}`);
  return index + 1;
}
