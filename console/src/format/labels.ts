// Words for the API's codes (entry kinds, anomaly codes, statuses), as people say them. The tables
// are keyed by the API's own unions, so a code the API adds or renames fails the typecheck here
// instead of showing up unlabelled.
import { BUCKETS, type Bucket } from "../../../domain/journal/entryKinds.ts";
import type { PaymentMethod, PayoutStatus } from "../api/types.ts";
import type { Tone } from "../components/Layout.tsx";

/** Words of the API's codes that are written in capitals. */
const ACRONYMS: Record<string, string> = { asin: "ASIN", id: "ID", url: "URL" };

/**
 * "bonus_pending" and "bonusPending" → "Bonus pending"; "asin_not_in_shipment" → "ASIN not in
 * shipment"; "payout:cr-1" stays as it is (not a code).
 */
export function humanize(code: string): string {
  if (!/^[a-z][A-Za-z_]*$/.test(code)) return code;
  const words = code
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase()
    .split(" ")
    .map((word) => ACRONYMS[word] ?? word)
    .join(" ");
  return words[0]!.toUpperCase() + words.slice(1);
}

const BUCKET_LABEL: Record<Bucket, string> = {
  standard: "Standard",
  bonusPending: "Bonus pending",
  bonusConfirmed: "Bonus confirmed",
  bonusForfeited: "Bonus forfeited",
  reversed: "Reversed",
  adjusted: "Adjusted",
};

/** An earnings bucket or the `total` the API sends beside them (SPEC §5, §8.4). */
export type BucketName = Bucket | "total";

/** The earnings buckets in the API's order (domain BUCKETS), then the total. */
export const BUCKET_LABELS: readonly (readonly [BucketName, string])[] = [
  ...BUCKETS.map((bucket) => [bucket, BUCKET_LABEL[bucket]] as const),
  ["total", "Total"],
];

/** SPEC §4 rule 11: what each payout status means for the creator. */
export const PAYOUT_STATUS: Record<PayoutStatus, { label: string; tone: Tone; meaning: string }> = {
  nothing_due: { label: "Nothing due", tone: "neutral", meaning: "nothing is payable on this date" },
  on_hold: { label: "On hold", tone: "warn", meaning: "payable, but finance holds this creator's payouts here; runs pay nothing" },
  tax_info_missing: { label: "Tax info missing", tone: "warn", meaning: "payable, but no tax information is on file" },
  no_payment_method: { label: "No payment method", tone: "warn", meaning: "payable, but no usable payment method is set" },
  below_threshold: { label: "Below threshold", tone: "neutral", meaning: "payable is below the method's threshold; it carries over" },
  ready: { label: "Ready", tone: "good", meaning: "the next payout run pays it" },
};

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  direct_deposit: "Direct deposit",
  gift_card: "Gift card",
  check: "Check",
};
