// Reads of the earnings projection (SPEC §5 earnings, §8.4 adjusted). The answer's shape is built
// by earningsAnswer() from the rows of its fold (fold.ts), which this projection's tables hold (now)
// and a fold of the journal's rows gives as of a position (earningsAt.ts).
import { payableOn } from "../../domain/calendar.ts";
import { BUCKETS, sumOf, TOTAL_BUCKETS, type Buckets } from "../../domain/journal/entryKinds.ts";
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";
import { formatMinor } from "../../domain/money.ts";
import { type ReadModelTx } from "../../infra/readModel/port.ts";
import { BUCKET_COLUMNS, bucketsOfRow } from "../bucketColumns.ts";
import { byCodePoint } from "../order.ts";
import { campaignIdOf, type EarningsRows } from "./fold.ts";

export type FormattedBuckets = Record<(typeof BUCKETS)[number] | "total", string>;

export function formatBuckets(b: Buckets, digits: number): FormattedBuckets {
  const out = {} as FormattedBuckets;
  for (const bucket of BUCKETS) out[bucket] = formatMinor(b[bucket], digits);
  out.total = formatMinor(sumOf(b, TOTAL_BUCKETS), digits);
  return out;
}

/** Campaign ids in code-point order; the row of adjustments without a campaign last. */
function byCampaign(a: { campaignId: string | null }, b: { campaignId: string | null }): number {
  if (a.campaignId === null || b.campaignId === null) return a.campaignId === b.campaignId ? 0 : a.campaignId === null ? 1 : -1;
  return byCodePoint(a.campaignId, b.campaignId);
}

/** SPEC §5: per marketplace, its totals, its months (with payableOn) and its campaigns. */
export function earningsAnswer(rows: EarningsRows) {
  return [...rows.totals]
    .sort((a, b) => byCodePoint(a.marketplace, b.marketplace))
    .map((t) => {
      const market = DEFAULT_MARKETPLACES[t.marketplace];
      const digits = market.minorDigits;
      return {
        marketplace: t.marketplace,
        currency: market.currency,
        totals: formatBuckets(t.buckets, digits),
        months: rows.months
          .filter((m) => m.marketplace === t.marketplace)
          .sort((a, b) => byCodePoint(a.month, b.month))
          .map((m) => ({ month: m.month, payableOn: payableOn(m.month), ...formatBuckets(m.buckets, digits) })),
        campaigns: rows.campaigns
          .filter((c) => c.marketplace === t.marketplace)
          .sort(byCampaign)
          .map((c) => ({ campaignId: c.campaignId, contentSubmitted: c.contentSubmitted, ...formatBuckets(c.buckets, digits) })),
      };
    });
}

export async function creatorExists(tx: ReadModelTx, p: string, creatorId: string): Promise<boolean> {
  return (await tx.query(`SELECT 1 FROM ${p}creators WHERE creator_id = ?`, [creatorId])).length > 0;
}

const B = BUCKET_COLUMNS.join(", ");

/** The earnings rows of a creator as the projection holds them now. */
export async function earningsRowsOf(tx: ReadModelTx, p: string, creatorId: string): Promise<EarningsRows> {
  const totals = await tx.query<Record<string, unknown> & { marketplace: MarketplaceCode }>(
    `SELECT marketplace, ${B} FROM ${p}totals WHERE creator_id = ?`,
    [creatorId],
  );
  const months = await tx.query<Record<string, unknown> & { marketplace: MarketplaceCode; month: string }>(
    `SELECT marketplace, month, ${B} FROM ${p}months WHERE creator_id = ?`,
    [creatorId],
  );
  const campaigns = await tx.query<Record<string, unknown> & { marketplace: MarketplaceCode; campaign_id: string; qualified: unknown }>(
    `SELECT c.marketplace, c.campaign_id, ${BUCKET_COLUMNS.map((b) => `c.${b}`).join(", ")}, q.qualified
     FROM ${p}campaigns c LEFT JOIN ${p}content q ON q.creator_id = c.creator_id AND q.campaign_id = c.campaign_id
     WHERE c.creator_id = ?`,
    [creatorId],
  );
  return {
    totals: totals.map((r) => ({ marketplace: r.marketplace, buckets: bucketsOfRow(r) })),
    months: months.map((r) => ({ marketplace: r.marketplace, month: r.month, buckets: bucketsOfRow(r) })),
    campaigns: campaigns.map((r) => ({
      marketplace: r.marketplace,
      campaignId: campaignIdOf(r.campaign_id),
      buckets: bucketsOfRow(r),
      contentSubmitted: Number(r.qualified ?? 0) === 1,
    })),
  };
}

/** SPEC §5: the earnings of a creator as the projection holds them now, per marketplace. */
export async function earningsOf(tx: ReadModelTx, p: string, creatorId: string) {
  return earningsAnswer(await earningsRowsOf(tx, p, creatorId));
}
