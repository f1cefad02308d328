// Which stream an event belongs to (SPEC §2: the store adds streamId and streamRevision).
import type { EventType } from "./schemas.ts";

export function streamIdOf(type: EventType, data: unknown): string {
  const d = data as Record<string, string>;
  switch (type) {
    case "CampaignCreated":
    case "CampaignEnded":
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
    case "PayoutIssued":
      return `creator-${d.creatorId}`;
  }
}
