// One event's outcome as the engine's rules build it: anomalies, facts, and postings, each posting
// numbered and given the accounts of its entry kind (SPEC §8.1).
import type { CurrentEvent, CurrentEventOf } from "../events/envelope.ts";
import { accountName, transferOf } from "../journal/entryKinds.ts";
import { nextMonth } from "../localDates.ts";
import type { RuleVersion } from "../rules.ts";
import { emptyOutcome, type Anomaly, type AnomalyCode, type Fact, type Outcome, type Posting } from "./outcome.ts";

export type Ev<T extends CurrentEvent["type"]> = CurrentEventOf<T>;

export type PostingFields = Omit<
  Posting,
  "position" | "seq" | "sourceEventId" | "eventType" | "ruleVersion" | "source" | "destination" | "originalMonth"
> & {
  /** The rule version that produced the amount, when it is not the lane's (SPEC §14: a scheduled version). */
  ruleVersion?: number;
};

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

  /** Books one journal entry; its transfer's accounts come from the table of entry kinds (SPEC §8.1). */
  post(p: PostingFields, brandId: string | null = null): void {
    const transfer = transferOf(p.kind, p.amountMinor);
    const owners = { marketplace: p.marketplace, creatorId: p.creatorId, campaignId: p.campaignId, brandId };
    this.outcome.postings.push({
      position: this.event.position,
      seq: this.outcome.postings.length,
      sourceEventId: this.event.id,
      eventType: this.event.type,
      ruleVersion: this.rules.version,
      source: transfer === null ? null : accountName(transfer.source, owners),
      destination: transfer === null ? null : accountName(transfer.destination, owners),
      ...p,
      // Booked in the first open month when rule 9's month is closed, which stays named beside it.
      earningMonth: p.earningMonth === null ? null : bookedMonth(this.closedThrough, p.marketplace, p.earningMonth),
      originalMonth: p.earningMonth,
    });
  }
}
