// Payout status (SPEC §4 rule 11): the first status that applies, in this order.
import type { PaymentMethod } from "./marketplaces.ts";

export const PAYOUT_STATUSES = ["nothing_due", "on_hold", "tax_info_missing", "no_payment_method", "below_threshold", "ready"] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** Why a payout run did not pay a creator of its marketplace: its payout status, or what the run met. */
export const NOT_PAID_REASONS = [
  "nothing_due",
  "on_hold",
  "tax_info_missing",
  "no_payment_method",
  "below_threshold",
  "paid_by_another_run",
  "skipped",
] as const;
export type NotPaidReason = (typeof NOT_PAID_REASONS)[number];

export interface PayoutInputs {
  /** Minor units; a bigint because a balance may pass 2^53 minor units. */
  payableMinor: bigint;
  taxInfoOnFile: boolean;
  paymentMethod: PaymentMethod | null;
  /** The effective threshold in minor units (§12: max of the method's and the creator's own); null when there is no method. */
  thresholdMinor: bigint | null;
  /** §12: the creator is held in this marketplace (by a hold of it or of every marketplace). */
  held: boolean;
}

export function payoutStatus(p: PayoutInputs): PayoutStatus {
  if (p.payableMinor <= 0n) return "nothing_due";
  if (p.held) return "on_hold";
  if (!p.taxInfoOnFile) return "tax_info_missing";
  if (p.paymentMethod === null || p.thresholdMinor === null) return "no_payment_method";
  if (p.payableMinor < p.thresholdMinor) return "below_threshold"; // the balance carries over
  return "ready";
}
