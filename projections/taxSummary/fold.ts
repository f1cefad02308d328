// The year-end tax summary's one fold (SPEC §15, "Part III, read precisely"): per creator and
// marketplace, the payouts whose local date is in the year and that have not failed (their sum
// `paid` and their count), and `adjusted`, the adjustments and write-offs booked in the year. It
// folds the journal's rows of one creator or one marketplace up to a position (taxSummaryAt.ts);
// a read of now is the same fold as of the journal's own position (read.ts). The rules that shape a
// line (which payouts count, which entries are adjusted, which creators a filing list names) are
// here, once.
import { ENTRY_KINDS, ENTRY_KINDS_LIST, type Bucket, type EntryKind } from "../../domain/journal/entryKinds.ts";
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { formatMinor } from "../../domain/money.ts";
import type { RuleVersion } from "../../domain/rules.ts";
import { byCodePoint } from "../order.ts";

/** The entry kinds that move the `adjusted` bucket (§8.4 adjustments, §12 write-offs), from the one table of kinds. */
export const ADJUSTED_KINDS: readonly EntryKind[] = ENTRY_KINDS_LIST.filter((kind) => adjustedFactor(kind) !== 0);

function adjustedFactor(kind: EntryKind): number {
  const moves: Partial<Record<Bucket, 1 | -1>> = ENTRY_KINDS[kind].buckets;
  return moves.adjusted ?? 0;
}

/** One creator's year in one marketplace. */
export interface TaxLine {
  creatorId: string;
  marketplace: MarketplaceCode;
  /** Σ the year's payouts that have not failed (as of the position read). */
  paidMinor: bigint;
  /** How many they are. */
  payouts: number;
  adjustedMinor: bigint;
}

/** A payout dated in the year (its local date, SPEC §8.5), issued at or before the position read. */
export interface TaxPayout {
  creatorId: string;
  marketplace: MarketplaceCode;
  payoutId: string;
  amountMinor: bigint;
}

export class TaxSummaryFold {
  private readonly payouts: TaxPayout[] = [];
  private readonly failed = new Set<string>();
  private readonly adjusted: { creatorId: string; marketplace: MarketplaceCode; amountMinor: bigint }[] = [];

  payout(p: TaxPayout): void {
    this.payouts.push(p);
  }

  /** A payout failed at or before the position read, whenever that was: it is not counted, whatever year the failure came in. */
  failure(payoutId: string): void {
    this.failed.add(payoutId);
  }

  /** An entry booked (earning month) in the year; kinds other than ADJUSTED_KINDS add nothing. */
  entry(creatorId: string, marketplace: MarketplaceCode, kind: EntryKind, amountMinor: bigint): void {
    const factor = adjustedFactor(kind);
    if (factor !== 0) this.adjusted.push({ creatorId, marketplace, amountMinor: factor === 1 ? amountMinor : -amountMinor });
  }

  /**
   * A line per creator and marketplace with a payout dated in the year (a failed one too: its line
   * says 0 paid) or an adjusted entry booked in it, by creatorId, then marketplace.
   */
  lines(): TaxLine[] {
    const lines = new Map<string, TaxLine>();
    const lineOf = (creatorId: string, marketplace: MarketplaceCode) => {
      const key = `${creatorId}\u0000${marketplace}`;
      let line = lines.get(key);
      if (!line) lines.set(key, (line = { creatorId, marketplace, paidMinor: 0n, payouts: 0, adjustedMinor: 0n }));
      return line;
    };
    for (const p of this.payouts) {
      const line = lineOf(p.creatorId, p.marketplace);
      if (this.failed.has(p.payoutId)) continue;
      line.paidMinor += p.amountMinor;
      line.payouts += 1;
    }
    for (const a of this.adjusted) lineOf(a.creatorId, a.marketplace).adjustedMinor += a.amountMinor;
    return [...lines.values()].sort((a, b) => byCodePoint(a.creatorId, b.creatorId) || byCodePoint(a.marketplace, b.marketplace));
  }
}

/**
 * SPEC §15's filing list: the creators paid at least `minimumMinor` in the year. A creator whose
 * every payout of the year failed was paid nothing, so is never listed, not even for a minimum of 0.
 */
export function paidAtLeast(lines: readonly TaxLine[], minimumMinor: bigint): TaxLine[] {
  return lines.filter((l) => l.payouts > 0 && l.paidMinor >= minimumMinor);
}

/** A line's amounts as the API answers them (SPEC §5: the currency's minor digits). */
export function taxLineView(line: TaxLine, rules: RuleVersion) {
  const market = rules.marketplaces[line.marketplace];
  return {
    marketplace: line.marketplace,
    currency: market.currency,
    paid: formatMinor(line.paidMinor, market.minorDigits),
    payouts: line.payouts,
    adjusted: formatMinor(line.adjustedMinor, market.minorDigits),
  };
}
