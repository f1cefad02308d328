// The scripted end of the demo data set (demoDataset.ts): what the generated part (generator.ts)
// does not show, told on US creators of the demo so the README's walk-throughs can follow it by hand.
//  - a payout of cr-00003 that fails (SPEC §8.4): the next payout run pays it again;
//  - campaign cmp-0006 (§9): exhausted by its first sale, re-opened by a raised budget, paused
//    (a sale ordered while paused earns no bonus), ended early;
//  - a goodwill adjustment and a correction (§8.4);
//  - what finance decides about paying (§12), told on creators whose figures no walk-through
//    follows, so none of those changes: cr-00004 held in every marketplace (fraud_review); cr-00007
//    held in JP and released; cr-00000's own threshold in CA; cr-00001 paid in DE, then a chargeback
//    that leaves the creator owing, part of which the program writes off.
// All instants are written in Pacific daylight time (-07:00), the US reporting zone in summer.
import type { EventType } from "../domain/events/schemas.ts";
import type { RawWireEvent, WireData, WireEventOf } from "./wireEvent.ts";

const CAMPAIGN = "cmp-0006";
const ASIN = "B00STORY01";

function event<T extends EventType>(id: string, type: T, occurredAt: string, data: WireData[T]): WireEventOf<T> {
  return { id, type, occurredAt, data };
}

function shipment(
  id: string,
  trackingId: string,
  orderedAt: string,
  shippedAt: string,
  category: string,
  quantity: number,
  unitPrice: string,
): RawWireEvent {
  return event(id, "ShipmentRecorded", shippedAt, {
    shipmentId: id.toUpperCase(),
    orderId: `ord-${id}`,
    trackingId,
    orderedAt,
    lines: [{ asin: ASIN, category, quantity, unitPrice }],
  });
}

export function demoStory(): RawWireEvent[] {
  return [
    // cr-00003 was ready for 10.08 on 2026-06-01 (the generated part); the payout bounced.
    event("payout:cr-00003:US:2026-06-01", "PayoutIssued", "2026-06-01T00:00:00-07:00", {
      payoutId: "payout:cr-00003:US:2026-06-01",
      creatorId: "cr-00003",
      marketplace: "US",
      amount: "10.08",
    }),
    event("story-payout-failed", "PayoutFailed", "2026-06-05T09:00:00-07:00", {
      payoutId: "payout:cr-00003:US:2026-06-01",
      reason: "returned",
    }),
    // Campaign cmp-0006: budget 20.00, bonus 10 %, 2026-08-01 to 2026-10-01 (moved to 2026-08-25 below).
    event("story-campaign", "CampaignCreated", "2026-07-20T09:00:00-07:00", {
      campaignId: CAMPAIGN,
      brandId: "brand-000",
      marketplace: "US",
      bonusRate: "0.10",
      budget: "20.00",
      startsAt: "2026-08-01T00:00:00-07:00",
      endsAt: "2026-10-01T00:00:00-07:00",
      asins: [ASIN],
    }),
    event("story-accept-3", "CampaignAccepted", "2026-07-21T09:00:00-07:00", {
      campaignId: CAMPAIGN,
      creatorId: "cr-00003",
      trackingId: "trk-story-3",
    }),
    event("story-accept-6", "CampaignAccepted", "2026-07-21T10:00:00-07:00", {
      campaignId: CAMPAIGN,
      creatorId: "cr-00006",
      trackingId: "trk-story-6",
    }),
    event("story-content-3", "ContentLinkSubmitted", "2026-08-02T12:00:00-07:00", {
      campaignId: CAMPAIGN,
      creatorId: "cr-00003",
      url: "https://video.example.com/cr-00003/speaker",
      disclosure: "#ad my new favourite speaker",
    }),
    // 1 × 250.00 electronics: standard 6.25; bonus 25.00 capped at the budget's 20.00: exhausted.
    shipment("story-sale-1", "trk-story-3", "2026-08-03T10:00:00-07:00", "2026-08-04T10:00:00-07:00", "electronics", 1, "250.00"),
    // The brand raises the budget to 60.00: remaining 40.00, the campaign grants bonus again.
    event("story-raise", "CampaignBudgetChanged", "2026-08-05T09:00:00-07:00", { campaignId: CAMPAIGN, budget: "60.00" }),
    // 1 × 100.00 home: standard 3.00, bonus 10.00 pending (cr-00006 submits no qualifying content).
    shipment("story-sale-2", "trk-story-6", "2026-08-06T10:00:00-07:00", "2026-08-07T10:00:00-07:00", "home", 1, "100.00"),
    event("story-pause", "CampaignPaused", "2026-08-10T00:00:00-07:00", { campaignId: CAMPAIGN }),
    // Ordered while paused: 2 × 80.00 electronics earn standard 4.00 and no bonus.
    shipment("story-sale-3", "trk-story-3", "2026-08-11T10:00:00-07:00", "2026-08-12T10:00:00-07:00", "electronics", 2, "80.00"),
    event("story-resume", "CampaignResumed", "2026-08-15T00:00:00-07:00", { campaignId: CAMPAIGN }),
    // The brand ends the campaign early: 2026-08-25 instead of 2026-10-01.
    event("story-end-early", "CampaignEndChanged", "2026-08-20T09:00:00-07:00", {
      campaignId: CAMPAIGN,
      endsAt: "2026-08-25T00:00:00-07:00",
    }),
    // Rule 5 at the end: cr-00003's 20.00 is confirmed (#ad on 08-02); cr-00006's 10.00 is forfeited.
    event(`campaign-ended:${CAMPAIGN}`, "CampaignEnded", "2026-08-25T00:00:00-07:00", { campaignId: CAMPAIGN }),
    // Ordered after the (new) end: standard 1.00, no bonus.
    shipment("story-sale-4", "trk-story-3", "2026-08-26T10:00:00-07:00", "2026-08-27T10:00:00-07:00", "electronics", 1, "40.00"),
    event("story-goodwill", "CommissionAdjusted", "2026-08-28T09:00:00-07:00", {
      creatorId: "cr-00003",
      marketplace: "US",
      amount: "5.00",
      reasonCode: "goodwill",
      note: "thanks for the early content",
      actor: "finance:ana",
      campaignId: CAMPAIGN,
    }),
    event("story-correction", "CommissionAdjusted", "2026-08-29T09:00:00-07:00", {
      creatorId: "cr-00006",
      marketplace: "US",
      amount: "-2.00",
      reasonCode: "correction",
      note: "order counted twice in July",
      actor: "finance:ben",
    }),
    ...payoutControls(),
  ];
}

/** §12, appended after the rest so no earlier position moves (the README's walk-throughs cite them). */
function payoutControls(): RawWireEvent[] {
  return [
    // cr-00004 is held everywhere (no marketplace): rule 11 answers on_hold, payout runs pay nothing.
    event("story-hold-4", "PayoutsHeld", "2026-08-30T08:00:00-07:00", {
      creatorId: "cr-00004",
      reasonCode: "fraud_review",
      note: "orders from one address in five marketplaces",
      actor: "risk:lee",
    }),
    // A hold of one marketplace, and its release.
    event("story-hold-7", "PayoutsHeld", "2026-08-30T08:30:00-07:00", {
      creatorId: "cr-00007",
      marketplace: "JP",
      reasonCode: "compliance",
      note: "bank account name differs from the tax form",
      actor: "risk:lee",
    }),
    event("story-release-7", "PayoutsReleased", "2026-08-30T09:30:00-07:00", {
      creatorId: "cr-00007",
      marketplace: "JP",
      note: "corrected tax form received",
      actor: "risk:lee",
    }),
    // cr-00000 asks to be paid in CA only from 50.00 (the direct deposit threshold is 10.00).
    event("story-threshold-0", "PayoutThresholdSet", "2026-08-30T10:00:00-07:00", {
      creatorId: "cr-00000",
      marketplace: "CA",
      amount: "50.00",
    }),
    // cr-00001 (DE, direct deposit) files tax info and is paid the 97.55 payable on 2026-08-31 (Berlin).
    event("story-tax-1", "TaxInfoSubmitted", "2026-08-30T11:00:00-07:00", { creatorId: "cr-00001", marketplace: "DE" }),
    event("payout:cr-00001:DE:2026-08-31", "PayoutIssued", "2026-08-30T15:00:00-07:00", {
      payoutId: "payout:cr-00001:DE:2026-08-31",
      creatorId: "cr-00001",
      marketplace: "DE",
      amount: "97.55",
    }),
    // After the payout, a chargeback of 40.00: creator:cr-00001:DE:earned goes to -40.00 (a receivable).
    event("story-chargeback-1", "CommissionAdjusted", "2026-08-31T01:00:00-07:00", {
      creatorId: "cr-00001",
      marketplace: "DE",
      amount: "-40.00",
      reasonCode: "chargeback",
      note: "July orders charged back by the card issuer",
      actor: "finance:ana",
    }),
    // The program absorbs 25.00 of it (entry kind writeoff, counted as adjusted); 15.00 stays owed.
    event("story-writeoff-1", "BalanceWrittenOff", "2026-08-31T02:00:00-07:00", {
      creatorId: "cr-00001",
      marketplace: "DE",
      amount: "25.00",
      reasonCode: "goodwill",
      note: "chargeback after payout; 25.00 absorbed, the rest nets against later earnings",
      actor: "finance:ana",
    }),
  ];
}
