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
    case "PayoutIssued":
      return payoutStreamId(d.creatorId!, d.marketplace!);
    case "PayoutFailed":
      return `payout-${d.payoutId}`;
    case "WebhookRegistered":
    case "WebhookDeleted":
      return WEBHOOK_REGISTRY_STREAM_ID;
    default:
      return assertNever(type, "event type");
  }
}
