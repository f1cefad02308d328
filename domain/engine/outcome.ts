// What the engine derives from one event: postings (every amount, with its source and rate),
// facts the read models need, and anomalies. Postings are never edited: a return, a
// confirmation, a forfeiture are postings of their own (DESIGN: corrections are new entries).
import type { EventType } from "../events/schemas.ts";
import type { MarketplaceCode, PaymentMethod } from "../marketplaces.ts";

/**
 * Kinds of posting and the bucket each moves (SPEC §5 earnings):
 *  standard              +standard                 shipment line (rule 2)
 *  standard_reversal     −reversed                 return (rule 8)
 *  bonus_pending         +bonusPending             shipment line before CampaignEnded (rules 3-5)
 *  bonus_pending_return  −bonusPending             return of a still-pending bonus (rule 8)
 *  bonus_confirm         bonusPending → confirmed  CampaignEnded, content rule met (rule 5)
 *  bonus_forfeit         bonusPending → forfeited  CampaignEnded, content rule not met (rule 5)
 *  bonus_confirmed       +bonusConfirmed           shipment applied after CampaignEnded, rule met
 *  bonus_forfeited       +bonusForfeited           shipment applied after CampaignEnded, rule not met
 *  bonus_reversal        −reversed                 return of a confirmed bonus (rule 8)
 */
export const POSTING_KINDS = [
  "standard",
  "standard_reversal",
  "bonus_pending",
  "bonus_pending_return",
  "bonus_confirm",
  "bonus_forfeit",
  "bonus_confirmed",
  "bonus_forfeited",
  "bonus_reversal",
] as const;
export type PostingKind = (typeof POSTING_KINDS)[number];

export interface Posting {
  /** Position of the source event; (position, seq) identifies a posting. */
  position: number;
  seq: number;
  sourceEventId: string;
  eventType: EventType;
  kind: PostingKind;
  creatorId: string;
  campaignId: string;
  marketplace: MarketplaceCode;
  currency: string;
  shipmentId: string | null;
  orderId: string | null;
  asin: string | null;
  /** Signed, in the currency's minor units (rounded per SPEC §4 before it gets here). */
  amountMinor: number;
  /** Earning month (rule 9) in the marketplace zone, YYYY-MM. */
  earningMonth: string;
  /** Local date the amount shows on in the daily report (SPEC §5): the shipment's or the return's day. */
  reportDate: string;
  /** The rate that produced the amount (standard rate or the campaign's bonus rate). */
  rate: string;
  ruleVersion: number;
  /** Units and revenue (minor units) for the report; nonzero only on standard and standard_reversal. */
  units: number;
  revenueMinor: number;
  /** Why an amount is what it is, when that is not obvious (e.g. capped by the budget). */
  note: string | null;
}

export type Fact =
  | { kind: "campaign"; campaignId: string; brandId: string; marketplace: MarketplaceCode; currency: string; budgetMinor: number; startsAt: string; endsAt: string }
  | { kind: "campaign_ended"; campaignId: string }
  /** The campaign's budget after the event (rule 4), whenever the event changed it. */
  | { kind: "budget"; campaignId: string; budgetMinor: number; spentMinor: number; releasedMinor: number; exhaustedAt: string | null }
  | { kind: "acceptance"; campaignId: string; creatorId: string; trackingId: string; marketplace: MarketplaceCode }
  | { kind: "content_qualified"; campaignId: string; creatorId: string }
  | { kind: "click"; campaignId: string; creatorId: string; marketplace: MarketplaceCode; currency: string; reportDate: string }
  | { kind: "shipment"; campaignId: string; creatorId: string; marketplace: MarketplaceCode; orderId: string; reportDate: string }
  | { kind: "strike"; creatorId: string; removedAt: string | null }
  | { kind: "tax_info"; creatorId: string; marketplace: MarketplaceCode }
  | { kind: "payment_method"; creatorId: string; marketplace: MarketplaceCode; method: PaymentMethod }
  | { kind: "payout"; creatorId: string; marketplace: MarketplaceCode; currency: string; payoutId: string; amountMinor: number; date: string };

export const ANOMALY_CODES = [
  "unknown_campaign",
  "duplicate_campaign",
  "duplicate_acceptance",
  "tracking_id_in_use",
  "unknown_tracking_id",
  "unknown_acceptance",
  "duplicate_shipment",
  "duplicate_subscribe_and_save",
  "unknown_shipment",
  "asin_not_in_shipment",
  "returned_more_than_shipped",
  "campaign_already_ended",
  "missing_disclosure",
  "content_after_campaign_end",
  "payment_method_not_offered",
  "duplicate_payout",
  /** The engine threw on this event (a bug or a broken assertion): recorded, never skipped silently. */
  "cannot_apply",
] as const;
export type AnomalyCode = (typeof ANOMALY_CODES)[number];

export interface Anomaly {
  position: number;
  eventId: string;
  eventType: EventType;
  code: AnomalyCode;
  message: string;
  creatorId: string | null;
  campaignId: string | null;
}

export interface Outcome {
  position: number;
  eventId: string;
  eventType: EventType;
  occurredAt: string;
  occurredAtMs: number;
  postings: Posting[];
  facts: Fact[];
  anomalies: Anomaly[];
}

/** The outcome of an event before any rule added to it. */
export function emptyOutcome(event: { position: number; id: string; type: EventType; occurredAt: string; occurredAtMs: number }): Outcome {
  return { position: event.position, eventId: event.id, eventType: event.type, occurredAt: event.occurredAt, occurredAtMs: event.occurredAtMs, postings: [], facts: [], anomalies: [] };
}
