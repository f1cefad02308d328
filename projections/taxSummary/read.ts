// The year-end tax summary reads (SPEC §15), now or as of a position (projections/modelRead.ts):
// both from the journal's rows, folded by the tax summary's fold (fold.ts). The journal holds every
// payout with its local date, every failure and every adjusted entry with its booked month, indexed
// by owner, so "now" is just "as of the journal's own position" and the two cannot disagree.
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { creatorKnownAt } from "../earnings/earningsAt.ts";
import type { ModelRead } from "../modelRead.ts";
import type { TaxLine } from "./fold.ts";
import { creatorTaxLinesAt, marketplaceTaxLinesAt } from "./taxSummaryAt.ts";

/** A creator's lines of the year and the position they are as of; null for a creator unknown then (as the journal knows creators). */
export const creatorTaxSummaryRead: ModelRead<{ creatorId: string; year: number }, { lines: TaxLine[]; asOfPosition: number } | null> = {
  source: () => "journal",
  read: async (tx, p, { creatorId, year }, _at, upTo) => {
    if (!(await creatorKnownAt(tx, p, creatorId, upTo))) return null;
    return { lines: await creatorTaxLinesAt(tx, p, creatorId, year, upTo), asOfPosition: upTo };
  },
};

/** The lines of every creator paid in a marketplace in the year, and the position they are as of. */
export const marketplaceTaxSummaryRead: ModelRead<
  { marketplace: MarketplaceCode; year: number },
  { lines: TaxLine[]; asOfPosition: number }
> = {
  source: () => "journal",
  read: async (tx, p, { marketplace, year }, _at, upTo) => ({
    lines: await marketplaceTaxLinesAt(tx, p, marketplace, year, upTo),
    asOfPosition: upTo,
  }),
};
