// Earnings sums written out by hand from SPEC §4-5 and §8.4 (not taken from
// domain/journal/entryKinds.ts, which the code under test uses): what each journal entry kind adds
// to a creator's earnings buckets, and the SPEC §5 amount strings in minor units. Shared by the
// property tests that check the read models (properties.int) and the change feed (feed.int) against
// the entries.
import { expect } from "vitest";

/** "-12.30" → -1230, "1230" (JPY) → 1230: the SPEC §5 amount string in minor units. */
export function minor(amount: string): number {
  expect(amount).toMatch(/^-?\d+(\.\d+)?$/);
  const negative = amount.startsWith("-");
  const digits = amount.replace("-", "").replace(".", "");
  const n = Number(digits);
  return negative && n !== 0 ? -n : n;
}

export const BUCKETS = ["standard", "bonusPending", "bonusConfirmed", "bonusForfeited", "reversed", "adjusted"] as const;
export type Bucket = (typeof BUCKETS)[number];
export type Sums = Record<Bucket, number> & { total: number };
export const zero = (): Sums => ({
  standard: 0,
  bonusPending: 0,
  bonusConfirmed: 0,
  bonusForfeited: 0,
  reversed: 0,
  adjusted: 0,
  total: 0,
});

export function sumsOf(row: Record<Bucket | "total", string>): Sums {
  const s = zero();
  for (const b of BUCKETS) s[b] = minor(row[b]);
  s.total = minor(row.total);
  // SPEC §5, §8.4: total = standard + pending + confirmed + reversed + adjusted (forfeited is not earned).
  expect(s.total).toBe(s.standard + s.bonusPending + s.bonusConfirmed + s.reversed + s.adjusted);
  return s;
}

export function add(into: Sums, s: Sums): void {
  for (const k of [...BUCKETS, "total"] as const) into[k] += s[k];
}

/** What an audit-trail entry moves, per SPEC §4-5 and §8.4 (written out here, not taken from entryKinds.ts). */
export function ledgerEffect(kind: string, amount: number): Sums {
  const s = zero();
  switch (kind) {
    case "standard":
      s.standard = amount;
      break;
    case "standard_reversal": // a return reverses standard commission (rule 8), booked as `reversed`
    case "bonus_reversal": // a return of a confirmed bonus
      s.reversed = amount;
      break;
    case "bonus_pending": // rule 5: pending until CampaignEnded
    case "bonus_pending_return": // rule 8: a returned pending bonus lowers the pending bonus itself
      s.bonusPending = amount;
      break;
    case "bonus_confirm": // pending → confirmed at CampaignEnded
      s.bonusPending = 0 - amount; // (0 - x, not -x: no -0)
      s.bonusConfirmed = amount;
      break;
    case "bonus_forfeit": // pending → forfeited at CampaignEnded
      s.bonusPending = 0 - amount; // (0 - x, not -x: no -0)
      s.bonusForfeited = amount;
      break;
    case "bonus_confirmed": // applied after CampaignEnded, content rule met
      s.bonusConfirmed = amount;
      break;
    case "bonus_forfeited": // applied after CampaignEnded, content rule not met
      s.bonusForfeited = amount;
      break;
    case "adjustment": // §8.4: earned when it occurs
    case "writeoff": // §12: a write-off of a debt counts as `adjusted`
      s.adjusted = amount;
      break;
    case "payout": // paid out of what was earned: not an earning (SPEC §8.1)
    case "payout_failed":
      break;
    default:
      throw new Error(`ledger kind ${kind} moves no earnings bucket`);
  }
  s.total = s.standard + s.bonusPending + s.bonusConfirmed + s.reversed + s.adjusted;
  return s;
}
