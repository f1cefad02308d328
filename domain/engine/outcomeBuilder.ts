// One event's outcome as the engine's rules build it: anomalies, facts, and postings, each posting
// numbered and given the accounts of its entry kind (SPEC §8.1).
import type { CurrentEvent, CurrentEventOf } from "../events/envelope.ts";
import { accountName, transferOf } from "../journal/entryKinds.ts";
import { nextMonth } from "../localDates.ts";
import type { RuleVersion } from "../rules.ts";
import { emptyOutcome, type Anomaly, type AnomalyCode, type Fact, type Outcome, type Posting } from "./outcome.ts";

export type Ev<T extends CurrentEvent["type"]> = CurrentEventOf<T>;

/**
 * Who a posting belongs to. One object serves every posting of a shipment's lines, of its return or
 * of its settlement when the campaign ends; post() reads its fields into the posting one by one.
 */
export type PostingOwner = Pick<Posting, "creatorId" | "campaignId" | "marketplace" | "currency" | "shipmentId" | "orderId">;

/** What one posting books, and for which month and report day. */
export type PostingAmount = Pick<
  Posting,
  "kind" | "asin" | "amountMinor" | "earningMonth" | "reportDate" | "rate" | "units" | "revenueMinor" | "note"
> & {
  /** The rule version that produced the amount, when it is not the lane's (SPEC §14: a scheduled version). */
  ruleVersion?: number;
};

/**
 * An amount booked to accounts alone: no line of an order (ASIN, rate, units, revenue) and no day in
 * the daily report (budget, payouts, adjustments, write-offs).
 */
export function accountAmount(kind: Posting["kind"], amountMinor: number, earningMonth: string | null, note: string | null): PostingAmount {
  return { kind, asin: null, amountMinor, earningMonth, reportDate: null, rate: null, units: 0, revenueMinor: 0, note };
}

/** SPEC §13: the month an amount of `month` is booked in: the first open month once `month` is closed. */
export function bookedMonth(closedThrough: ReadonlyMap<string, string>, marketplace: string, month: string): string {
  const closed = closedThrough.get(marketplace);
  return closed !== undefined && month <= closed ? nextMonth(closed) : month;
}

/** Collects one event's outcome; every posting gets the next sequence number. */
export class OutcomeBuilder {
  readonly outcome: Outcome;
  constructor(
    readonly event: CurrentEvent,
    readonly rules: RuleVersion,
    /** SPEC §13: per marketplace, the latest closed month (the engine state's, read at each posting). */
    private readonly closedThrough: ReadonlyMap<string, string>,
  ) {
    this.outcome = emptyOutcome(event);
  }

  anomaly(code: AnomalyCode, message: string, creatorId: string | null = null, campaignId: string | null = null): void {
    const a: Anomaly = {
      position: this.event.position,
      eventId: this.event.id,
      eventType: this.event.type,
      code,
      message,
      creatorId,
      campaignId,
    };
    this.outcome.anomalies.push(a);
  }

  fact(fact: Fact): void {
    this.outcome.facts.push(fact);
  }

  /**
   * Books one journal entry; its transfer's accounts come from the table of entry kinds (SPEC §8.1).
   * The posting is one object literal with every field named, never a spread: with postings built
   * as `{ ...common, kind, … }` and spread again here, the engine took 1.6× as long over the bench's
   * 1M events, two fifths of the difference in garbage collection (docs/scaling.md, "Postings without
   * spreads"; eslint.config.js refuses object spreads in domain/engine).
   */
  post(owner: PostingOwner, amount: PostingAmount, brandId: string | null = null): void {
    const transfer = transferOf(amount.kind, amount.amountMinor);
    const owners = { marketplace: owner.marketplace, creatorId: owner.creatorId, campaignId: owner.campaignId, brandId };
    this.outcome.postings.push({
      position: this.event.position,
      seq: this.outcome.postings.length,
      sourceEventId: this.event.id,
      eventType: this.event.type,
      kind: amount.kind,
      source: transfer === null ? null : accountName(transfer.source, owners),
      destination: transfer === null ? null : accountName(transfer.destination, owners),
      creatorId: owner.creatorId,
      campaignId: owner.campaignId,
      marketplace: owner.marketplace,
      currency: owner.currency,
      shipmentId: owner.shipmentId,
      orderId: owner.orderId,
      asin: amount.asin,
      amountMinor: amount.amountMinor,
      // Booked in the first open month when rule 9's month is closed, which stays named beside it.
      earningMonth: amount.earningMonth === null ? null : bookedMonth(this.closedThrough, owner.marketplace, amount.earningMonth),
      originalMonth: amount.earningMonth,
      reportDate: amount.reportDate,
      rate: amount.rate,
      ruleVersion: amount.ruleVersion ?? this.rules.version,
      units: amount.units,
      revenueMinor: amount.revenueMinor,
      note: amount.note,
    });
  }
}
