// What the engine derives from one event: postings (every amount, with its source and rate),
// facts the read models need, and anomalies. Postings are never edited: a return, a
// confirmation, a forfeiture are postings of their own (DESIGN: corrections are new entries).
import type { EventType, HOLD_REASONS } from "../events/schemas.ts";
import type { EntryKind } from "../journal/entryKinds.ts";
import type { MarketplaceCode, PaymentMethod } from "../marketplaces.ts";
import type { WebhookEvent } from "../webhooks/webhookEvents.ts";

/**
 * One journal entry (SPEC §8.1): a signed amount of one kind, the transfer it books between two
 * accounts (domain/journal/entryKinds.ts has the table of kinds), and everything an auditor needs to
 * trace it: its source event, the rate and rule version that produced it.
 */
export interface Posting {
  /** Position of the source event; (position, seq) identifies an entry (entryId `{position}:{seq}`). */
  position: number;
  seq: number;
  sourceEventId: string;
  eventType: EventType;
  kind: EntryKind;
  /** Account names of the transfer (SPEC §8.1); both null for a memo entry or an amount of 0. */
  source: string | null;
  destination: string | null;
  /** null for a campaign's own entries (budget funding and returns). */
  creatorId: string | null;
  /** null for payouts, and for adjustments that name no campaign. */
  campaignId: string | null;
  marketplace: MarketplaceCode;
  currency: string;
  shipmentId: string | null;
  orderId: string | null;
  asin: string | null;
  /** Signed, in the currency's minor units (rounded per SPEC §4 before it gets here). */
  amountMinor: number;
  /**
   * The month the amount is booked in: its earning month (rule 9) in the marketplace zone, YYYY-MM,
   * or the first open month when that one is closed (SPEC §13); null for entries no month earns
   * (budget, payouts).
   */
  earningMonth: string | null;
  /** The earning month rule 9 gives it (= earningMonth unless a close moved it forward, SPEC §13). */
  originalMonth: string | null;
  /** Local date the amount shows on in the daily report (SPEC §5); null for entries not in the report. */
  reportDate: string | null;
  /** The rate that produced the amount (standard rate or the campaign's bonus rate); null where none did. */
  rate: string | null;
  ruleVersion: number;
  /** Units and revenue (minor units) for the report; nonzero only on standard and standard_reversal. */
  units: number;
  revenueMinor: number;
  /** Why an amount is what it is, when that is not obvious (e.g. capped by the budget). */
  note: string | null;
}

export type Fact =
  /** A campaign as created (SPEC §3) or as its management changed it (§9): the whole of it. */
  | {
      kind: "campaign";
      campaignId: string;
      brandId: string;
      marketplace: MarketplaceCode;
      currency: string;
      bonusRate: string;
      budgetMinor: number;
      startsAt: string;
      endsAt: string;
      endsAtMs: number;
      asins: string[];
      paused: boolean;
    }
  | { kind: "campaign_ended"; campaignId: string }
  /** The campaign's budget after the event (rule 4, §9), whenever the event changed it. */
  | { kind: "budget"; campaignId: string; budgetMinor: number; spentMinor: number; releasedMinor: number; exhaustedAt: string | null }
  /** This event brought the campaign's `remaining` to 0 (SPEC §5 exhaustedAt; the webhook event budget.exhausted, §11). */
  | { kind: "budget_exhausted"; campaignId: string; exhaustedAt: string }
  | { kind: "acceptance"; campaignId: string; creatorId: string; trackingId: string; marketplace: MarketplaceCode }
  /** Whether the creator's content counts for rule 5 as things stand (a content link, or an end that moved past it). */
  | { kind: "content"; campaignId: string; creatorId: string; qualified: boolean }
  | { kind: "click"; campaignId: string; creatorId: string; marketplace: MarketplaceCode; currency: string; reportDate: string }
  | { kind: "shipment"; campaignId: string; creatorId: string; marketplace: MarketplaceCode; orderId: string; reportDate: string }
  | { kind: "strike"; creatorId: string; removedAt: string | null }
  | { kind: "tax_info"; creatorId: string; marketplace: MarketplaceCode }
  | { kind: "payment_method"; creatorId: string; marketplace: MarketplaceCode; method: PaymentMethod }
  | {
      kind: "payout";
      creatorId: string;
      marketplace: MarketplaceCode;
      currency: string;
      payoutId: string;
      amountMinor: number;
      date: string;
    }
  | { kind: "payout_failed"; creatorId: string; marketplace: MarketplaceCode; payoutId: string; reason: string }
  /** A webhook endpoint registered (SPEC §11); a registration of a known id replaces its url and events. */
  | { kind: "webhook_registered"; webhookId: string; url: string; events: WebhookEvent[] }
  | { kind: "webhook_deleted"; webhookId: string }
  /** §12: payouts of a creator held, in one marketplace or (marketplace null) in all, from this event on. */
  | {
      kind: "hold";
      creatorId: string;
      marketplace: MarketplaceCode | null;
      reasonCode: HoldReason;
      note: string;
      actor: string;
      /** The hold's occurredAt. */
      since: string;
    }
  /** §12: the hold of that scope ended. */
  | { kind: "release"; creatorId: string; marketplace: MarketplaceCode | null; note: string; actor: string }
  /** §12: the creator's own minimum in a marketplace (null: removed). */
  | { kind: "threshold"; creatorId: string; marketplace: MarketplaceCode; amountMinor: number | null }
  /** §13: the month and every earlier one of the marketplace closed, by whom and when. */
  | { kind: "period_closed"; marketplace: MarketplaceCode; month: string; actor: string; note: string | null; closedAt: string };

export type HoldReason = (typeof HOLD_REASONS)[number];

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
  /** PayoutFailed of a payout the ledger never issued (§8.4). */
  "unknown_payout",
  /** A second PayoutFailed of one payout (§8.4). */
  "payout_already_failed",
  /** An adjustment naming a campaign of another marketplace (§8.4). */
  "marketplace_mismatch",
  /** A budget with more fraction digits than the campaign's currency (§9). */
  "invalid_amount",
  /** Pausing a paused campaign or resuming a running one (§9). */
  "invalid_state",
  /** A new end that is not after the campaign's start (§9). */
  "ends_before_start",
  /** WebhookDeleted of a webhook that is not registered (§11). */
  "unknown_webhook",
  /** A PayoutIssued for a creator held in that marketplace: applied (money moved), and listed (§12). */
  "paid_while_held",
  /** A write-off of more than the creator owes: nothing booked (§12). */
  "exceeds_receivable",
  /** A PeriodClosed of a month that has not ended in the marketplace's zone at its occurredAt (§13). */
  "period_not_ended",
  /** A RuleVersionScheduled naming a rule version this build does not know: nothing scheduled (§14). */
  "unknown_rule_version",
  /** A RuleVersionScheduled whose effectiveFrom is before its own occurredAt: nothing scheduled (§14). */
  "retroactive_rule_change",
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
  return {
    position: event.position,
    eventId: event.id,
    eventType: event.type,
    occurredAt: event.occurredAt,
    occurredAtMs: event.occurredAtMs,
    postings: [],
    facts: [],
    anomalies: [],
  };
}
