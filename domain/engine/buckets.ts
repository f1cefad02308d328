// How each posting kind moves the five earnings buckets of SPEC §5 (and, through them, the payout
// and report read models). The one mapping every projector uses.
import type { PostingKind } from "./outcome.ts";

export interface Buckets {
  standard: number;
  bonusPending: number;
  bonusConfirmed: number;
  bonusForfeited: number;
  reversed: number;
}

export const BUCKET_NAMES = ["standard", "bonusPending", "bonusConfirmed", "bonusForfeited", "reversed"] as const;

export function zeroBuckets(): Buckets {
  return { standard: 0, bonusPending: 0, bonusConfirmed: 0, bonusForfeited: 0, reversed: 0 };
}

/** Adds a posting of `kind` and signed `amountMinor` to `into`. */
export function addPosting(into: Buckets, kind: PostingKind, amountMinor: number): void {
  switch (kind) {
    case "standard":
      into.standard += amountMinor;
      return;
    case "standard_reversal":
    case "bonus_reversal":
      into.reversed += amountMinor;
      return;
    case "bonus_pending":
    case "bonus_pending_return":
      into.bonusPending += amountMinor;
      return;
    case "bonus_confirm":
      into.bonusPending -= amountMinor;
      into.bonusConfirmed += amountMinor;
      return;
    case "bonus_forfeit":
      into.bonusPending -= amountMinor;
      into.bonusForfeited += amountMinor;
      return;
    case "bonus_confirmed":
      into.bonusConfirmed += amountMinor;
      return;
    case "bonus_forfeited":
      into.bonusForfeited += amountMinor;
      return;
  }
}

/** total = standard + pending + confirmed + reversed (SPEC §5; forfeited is not earned). */
export function totalOf(b: Buckets): number {
  return b.standard + b.bonusPending + b.bonusConfirmed + b.reversed;
}

/** What a posting adds to the daily report's earnings and spend (SPEC §5 report). */
export function reportEffect(kind: PostingKind, amountMinor: number): { earningsMinor: number; spendMinor: number } {
  switch (kind) {
    case "standard":
    case "standard_reversal":
      return { earningsMinor: amountMinor, spendMinor: 0 };
    case "bonus_pending":
    case "bonus_pending_return":
    case "bonus_confirmed":
    case "bonus_reversal":
      return { earningsMinor: amountMinor, spendMinor: amountMinor };
    case "bonus_forfeit": // a forfeited bonus disappears from the report, from every day it showed on
      return { earningsMinor: -amountMinor, spendMinor: -amountMinor };
    case "bonus_confirm": // pending → confirmed: still earnings, still spend
    case "bonus_forfeited": // never showed
      return { earningsMinor: 0, spendMinor: 0 };
  }
}

/** What a posting adds to the payable balance of its earning month (rule 11): standard + confirmed + reversals. */
export function payableEffect(kind: PostingKind, amountMinor: number): number {
  const b = zeroBuckets();
  addPosting(b, kind, amountMinor);
  return b.standard + b.bonusConfirmed + b.reversed;
}
