// Words for the API's codes (entry kinds, anomaly codes, statuses), as people say them.
import type { Tone } from "../components/Layout.tsx";

/** "bonus_pending" and "bonusPending" → "Bonus pending"; "payout:cr-1" stays as it is (not a code). */
export function humanize(code: string): string {
  if (!/^[a-z][A-Za-z_]*$/.test(code)) return code;
  const words = code.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
  return words[0]!.toUpperCase() + words.slice(1);
}

/** The earnings buckets of SPEC §5 and §8.4, in the API's order. */
export const BUCKET_LABELS = [
  ["standard", "Standard"],
  ["bonusPending", "Bonus pending"],
  ["bonusConfirmed", "Bonus confirmed"],
  ["bonusForfeited", "Bonus forfeited"],
  ["reversed", "Reversed"],
  ["adjusted", "Adjusted"],
  ["total", "Total"],
] as const;

export type BucketName = (typeof BUCKET_LABELS)[number][0];

/** SPEC §4 rule 11: what each payout status means for the creator. */
export const PAYOUT_STATUS: Record<string, { label: string; tone: Tone; meaning: string }> = {
  nothing_due: { label: "Nothing due", tone: "neutral", meaning: "nothing is payable on this date" },
  tax_info_missing: { label: "Tax info missing", tone: "warn", meaning: "payable, but no tax information is on file" },
  no_payment_method: { label: "No payment method", tone: "warn", meaning: "payable, but no usable payment method is set" },
  below_threshold: { label: "Below threshold", tone: "neutral", meaning: "payable is below the method's threshold; it carries over" },
  ready: { label: "Ready", tone: "good", meaning: "the next payout run pays it" },
};

export const PAYMENT_METHOD_LABELS: Record<string, string> = { direct_deposit: "Direct deposit", gift_card: "Gift card", check: "Check" };
