// The report as of a position (SPEC §8.2): an owner's journal rows up to P in the date range
// (entries summed per day and kind, clicks counted, orders listed, through the journal's
// (owner, position) indexes) folded from zero by the report fold, never a replay of the stream.
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { int, minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import { entryKindOf } from "../journal/journalRows.ts";
import { ReportFold, type ReportRawRow } from "./fold.ts";
import { datesWhere, scopeWhere, type ReportScope } from "./reportScope.ts";

/** The raw report rows of a creator (optionally one campaign) or of a campaign, as of `upTo`, from the journal under prefix `p`. */
export async function reportRowsAt(
  tx: ReadModelTx,
  p: string,
  scope: ReportScope,
  from: string,
  to: string,
  upTo: number,
): Promise<ReportRawRow[]> {
  const owner = scopeWhere(scope);
  const fold = new ReportFold();
  const entries = await tx.query<{
    report_date: string;
    creator_id: string;
    campaign_id: string;
    marketplace: MarketplaceCode;
    kind: string;
    amount: unknown;
    units: unknown;
    revenue: unknown;
  }>(
    `SELECT report_date, creator_id, campaign_id, marketplace, kind, SUM(amount_minor) AS amount, SUM(units) AS units, SUM(revenue_minor) AS revenue
     FROM ${p}entries WHERE ${owner.sql} AND position <= ? AND report_date >= ? AND report_date <= ? AND creator_id IS NOT NULL
     GROUP BY report_date, creator_id, campaign_id, marketplace, kind`,
    [...owner.params, upTo, from, to],
  );
  for (const e of entries) {
    fold.entry({
      kind: entryKindOf(e.kind),
      reportDate: e.report_date,
      creatorId: e.creator_id,
      campaignId: e.campaign_id,
      marketplace: e.marketplace,
      amountMinor: minor(e.amount),
      units: int(e.units),
      revenueMinor: minor(e.revenue),
    });
  }
  // Clicks and shipments are indexed date first (journalProjection.ts): a seek per day.
  const days = datesWhere(from, to);
  const clicks = await tx.query<{ date: string; creator_id: string; campaign_id: string; marketplace: MarketplaceCode; count: unknown }>(
    `SELECT date, creator_id, campaign_id, marketplace, COUNT(*) AS count FROM ${p}day_facts
     WHERE ${days.sql} AND ${owner.sql} AND kind = 'click' AND position <= ? GROUP BY date, creator_id, campaign_id, marketplace`,
    [...days.params, ...owner.params, upTo],
  );
  for (const c of clicks)
    fold.clicks({ creatorId: c.creator_id, campaignId: c.campaign_id, marketplace: c.marketplace, reportDate: c.date }, int(c.count));
  // A shipment fact names its order; the fold counts each order once per day.
  const orders = await tx.query<{ date: string; creator_id: string; campaign_id: string; marketplace: MarketplaceCode; ref: string }>(
    `SELECT DISTINCT date, creator_id, campaign_id, marketplace, ref FROM ${p}day_facts
     WHERE ${days.sql} AND ${owner.sql} AND kind = 'shipment' AND position <= ?`,
    [...days.params, ...owner.params, upTo],
  );
  for (const o of orders)
    fold.order({ creatorId: o.creator_id, campaignId: o.campaign_id, marketplace: o.marketplace, reportDate: o.date }, o.ref);
  return fold.rows();
}
