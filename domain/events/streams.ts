// Which stream an event belongs to (SPEC §2: the store adds streamId and streamRevision).
import { assertNever } from "../assert.ts";
import type { EventType } from "./schemas.ts";

/**
 * The stream of one creator's payouts in one marketplace. A payout run appends with the revision
 * of this stream it decided on (optimistic concurrency), so two runs in different processes
 * cannot both pay the same balance (services/payoutRun.ts).
 */
export function payoutStreamId(creatorId: string, marketplace: string): string {
  return `payouts-${creatorId}-${marketplace}`;
}

/**
 * The one stream of every webhook registration and deletion. Registering appends with the revision
 * of this stream it counted the endpoints at, so concurrent registrations (in one process or
 * several) cannot pass the endpoint cap together (services/webhooks/registration.ts). Events
 * stored before this stream existed keep their own streams (`webhook-{id}`).
 */
export const WEBHOOK_REGISTRY_STREAM_ID = "webhooks";

export function holdsStreamId(creatorId: string): string {
  return `holds-${creatorId}`;
}

export function streamIdOf(type: EventType, data: unknown): string {
  const d = data as Record<string, string>;
  switch (type) {
    case "CampaignCreated":
    case "CampaignEnded":
    case "CampaignBudgetChanged":
    case "CampaignPaused":
    case "CampaignResumed":
    case "CampaignEndChanged":
      return `campaign-${d.campaignId}`;
    case "CampaignAccepted":
    case "ContentLinkSubmitted":
      return `acceptance-${d.campaignId}-${d.creatorId}`;
    case "ClickRecorded":
      return `tracking-${d.trackingId}`;
    case "ShipmentRecorded":
    case "SubscribeAndSaveFirstShipment":
    case "ShipmentReturned":
      return `shipment-${d.shipmentId}`;
    case "StrikeIssued":
    case "TaxInfoSubmitted":
    case "PaymentMethodChanged":
    case "CommissionAdjusted":
      return `creator-${d.creatorId}`;
    // What a payout run decides on for one creator and marketplace: a threshold or a write-off
    // appended between its decision and its append moves the stream it appends to (expected revision).
    case "PayoutIssued":
    case "PayoutThresholdSet":
    case "BalanceWrittenOff":
      return payoutStreamId(d.creatorId!, d.marketplace!);
    // SPEC §14: every promotion, in one stream.
    case "ProjectionPromoted":
      return "projection-promotions";
    // SPEC §13: a marketplace's closes, one after another.
    case "PeriodClosed":
      return `periods-${d.marketplace}`;
    // SPEC §14: the schedule of rule versions, one stream for the whole program.
    case "RuleVersionScheduled":
      return "rule-versions";
    // Holds of every scope in one stream per creator: a run checks its revision too (services/payoutRun.ts).
    case "PayoutsHeld":
    case "PayoutsReleased":
      return holdsStreamId(d.creatorId!);
    case "PayoutFailed":
      return `payout-${d.payoutId}`;
    case "WebhookRegistered":
    case "WebhookDeleted":
      return WEBHOOK_REGISTRY_STREAM_ID;
    default:
      return assertNever(type, "event type");
  }
}
