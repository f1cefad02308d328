// Year-end tax summaries (SPEC §15) as of a position, from the journal's rows (their layout:
// projections/journal/journalProjection.ts) folded by the tax summary's fold: a creator's payout
// facts of the year, failures and adjusted entries through the journal's owner indexes (what
// replaying that creator's own rows costs, §8.2); a marketplace's payouts of the year and its
// failures up to P through the journal's partial indexes of those facts (facts_payouts,
// facts_payout_failures), never a scan of every fact.
import { YEAR_MAX, YEAR_MIN } from "../../domain/calendar.ts";
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import { entryKindOf } from "../journal/journalRows.ts";
import { ADJUSTED_KINDS, TaxSummaryFold, type TaxLine } from "./fold.ts";

/** The year's first and last local date and earning month, as the journal spells them. */
function yearBounds(year: number) {
  if (!Number.isInteger(year) || year < YEAR_MIN || year > YEAR_MAX) throw new Error(`tax summary: year ${year} is not a business year`);
  return { firstDate: `${year}-01-01`, lastDate: `${year}-12-31`, firstMonth: `${year}-01`, lastMonth: `${year}-12` };
}

type PayoutRow = { creator_id: string; marketplace: MarketplaceCode; ref: string; amount_minor: unknown };

function foldPayouts(fold: TaxSummaryFold, payouts: readonly PayoutRow[], failures: readonly { ref: string }[]): void {
  for (const r of payouts)
    fold.payout({ creatorId: r.creator_id, marketplace: r.marketplace, payoutId: r.ref, amountMinor: minor(r.amount_minor) });
  for (const f of failures) fold.failure(f.ref);
}

/** SPEC §15: one creator's lines of `year` (every marketplace) as of position `upTo`. */
export async function creatorTaxLinesAt(tx: ReadModelTx, p: string, creatorId: string, year: number, upTo: number): Promise<TaxLine[]> {
  const { firstDate, lastDate, firstMonth, lastMonth } = yearBounds(year);
  const fold = new TaxSummaryFold();
  const payouts = await tx.query<PayoutRow>(
    `SELECT creator_id, marketplace, ref, amount_minor FROM ${p}facts
     WHERE creator_id = ? AND kind = 'payout' AND date >= ? AND date <= ? AND position <= ?`,
    [creatorId, firstDate, lastDate, upTo],
  );
  // A failure has no date: `date IS NULL` lets the planner walk this creator's failures in facts_creator
  // (creator, kind, date, position) rather than every creator's in the index by kind and position.
  const failures = await tx.query<{ ref: string }>(
    `SELECT ref FROM ${p}facts WHERE creator_id = ? AND kind = 'payout_failed' AND date IS NULL AND position <= ?`,
    [creatorId, upTo],
  );
  foldPayouts(fold, payouts, failures);
  const entries = await tx.query<{ marketplace: MarketplaceCode; kind: string; amount_minor: unknown }>(
    `SELECT marketplace, kind, amount_minor FROM ${p}entries
     WHERE creator_id = ? AND position <= ? AND kind IN (${ADJUSTED_KINDS.map(() => "?").join(", ")}) AND earning_month >= ? AND earning_month <= ?`,
    [creatorId, upTo, ...ADJUSTED_KINDS, firstMonth, lastMonth],
  );
  for (const e of entries) fold.entry(creatorId, e.marketplace, entryKindOf(e.kind), minor(e.amount_minor));
  return fold.lines();
}

/** SPEC §15: the lines of every creator paid in `marketplace` in `year` (payouts only), as of position `upTo`. */
export async function marketplaceTaxLinesAt(
  tx: ReadModelTx,
  p: string,
  marketplace: MarketplaceCode,
  year: number,
  upTo: number,
): Promise<TaxLine[]> {
  const { firstDate, lastDate } = yearBounds(year);
  const fold = new TaxSummaryFold();
  // The kinds are written out (not parameters) so both databases can use the partial indexes.
  const payouts = await tx.query<PayoutRow>(
    `SELECT creator_id, marketplace, ref, amount_minor FROM ${p}facts
     WHERE kind = 'payout' AND marketplace = ? AND date >= ? AND date <= ? AND position <= ?`,
    [marketplace, firstDate, lastDate, upTo],
  );
  const failures = await tx.query<{ ref: string }>(
    `SELECT ref FROM ${p}facts WHERE kind = 'payout_failed' AND marketplace = ? AND position <= ?`,
    [marketplace, upTo],
  );
  foldPayouts(fold, payouts, failures);
  return fold.lines();
}
