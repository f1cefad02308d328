// SPEC §14 true-ups: what the journal booked as standard commission (standard entries and their
// reversals; bonus, adjustments and earlier true-ups excluded), per creator and booked month of one
// marketplace, up to a position. A scan of the marketplace's entries in the month range: an
// operator's occasional question, not a hot read (no index of its own).
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import { byCodePoint } from "../order.ts";

export interface BookedStandard {
  creatorId: string;
  month: string;
  bookedMinor: bigint;
}

/** Sorted by creatorId (code points, both databases alike), then month. */
export async function bookedStandardOf(
  tx: ReadModelTx,
  p: string,
  range: { marketplace: MarketplaceCode; from: string; to: string },
  upTo: number,
): Promise<BookedStandard[]> {
  const rows = await tx.query<{ creator_id: string; earning_month: string; booked_minor: unknown }>(
    `SELECT creator_id, earning_month, SUM(amount_minor) AS booked_minor FROM ${p}entries
     WHERE marketplace = ? AND kind IN ('standard', 'standard_reversal') AND earning_month >= ? AND earning_month <= ?
       AND position <= ? AND creator_id IS NOT NULL
     GROUP BY creator_id, earning_month`,
    [range.marketplace, range.from, range.to, upTo],
  );
  return rows
    .map((r) => ({ creatorId: r.creator_id, month: r.earning_month, bookedMinor: minor(r.booked_minor) }))
    .sort((a, b) => byCodePoint(a.creatorId, b.creatorId) || byCodePoint(a.month, b.month));
}
