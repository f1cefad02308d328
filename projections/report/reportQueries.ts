// Reads of the report projection (SPEC §5 report): daily rows and per-marketplace totals.
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";
import { formatMinor } from "../../domain/money.ts";
import { byCodePoint } from "../order.ts";
import { int, minor, type ReadModelTx, type SqlValue } from "../../infra/readModel/port.ts";

export interface ReportRow {
  date: string;
  campaignId: string;
  marketplace: string;
  currency: string;
  clicks: number;
  orders: number;
  units: number;
  revenue: string;
  earnings: string;
  spend: string;
}

export async function reportOf(db: ReadModelTx, p: string, creatorId: string, from: string, to: string, campaignId: string | null) {
  const filter = campaignId === null ? "" : " AND d.campaign_id = ?";
  const params: SqlValue[] = [creatorId, from, to, ...(campaignId === null ? [] : [campaignId])];
  const rows = await db.query<{ date: string; campaign_id: string; marketplace: MarketplaceCode; clicks: unknown; units: unknown; revenue: unknown; earnings: unknown; spend: unknown; orders: unknown }>(
    `SELECT d.date, d.campaign_id, d.marketplace, d.clicks, d.units, d.revenue, d.earnings, d.spend,
       (SELECT COUNT(*) FROM ${p}orders o WHERE o.creator_id = d.creator_id AND o.date = d.date AND o.campaign_id = d.campaign_id) AS orders
     FROM ${p}days d WHERE d.creator_id = ? AND d.date >= ? AND d.date <= ?${filter} ORDER BY d.date, d.campaign_id`,
    params,
  );
  rows.sort((a, b) => byCodePoint(a.date, b.date) || byCodePoint(a.campaign_id, b.campaign_id));
  const sums = new Map<MarketplaceCode, { clicks: number; orders: number; units: number; revenue: bigint; earnings: bigint; spend: bigint }>();
  const out: ReportRow[] = [];
  for (const r of rows) {
    const v = { clicks: int(r.clicks), orders: int(r.orders), units: int(r.units), revenue: minor(r.revenue), earnings: minor(r.earnings), spend: minor(r.spend) };
    // A day whose activity cancelled out completely (e.g. a forfeited bonus only) has no activity left.
    if (v.clicks === 0 && v.orders === 0 && v.units === 0 && v.revenue === 0n && v.earnings === 0n && v.spend === 0n) continue;
    const market = DEFAULT_MARKETPLACES[r.marketplace];
    const f = (n: bigint) => formatMinor(n, market.minorDigits);
    out.push({ date: r.date, campaignId: r.campaign_id, marketplace: r.marketplace, currency: market.currency, clicks: v.clicks, orders: v.orders, units: v.units, revenue: f(v.revenue), earnings: f(v.earnings), spend: f(v.spend) });
    const s = sums.get(r.marketplace) ?? { clicks: 0, orders: 0, units: 0, revenue: 0n, earnings: 0n, spend: 0n };
    s.clicks += v.clicks;
    s.orders += v.orders;
    s.units += v.units;
    s.revenue += v.revenue; // exact: totals may pass 2^53 minor units
    s.earnings += v.earnings;
    s.spend += v.spend;
    sums.set(r.marketplace, s);
  }
  const totals = [...sums.entries()]
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([marketplace, s]) => {
      const market = DEFAULT_MARKETPLACES[marketplace];
      const f = (n: bigint) => formatMinor(n, market.minorDigits);
      return { marketplace, currency: market.currency, clicks: s.clicks, orders: s.orders, units: s.units, revenue: f(s.revenue), earnings: f(s.earnings), spend: f(s.spend) };
    });
  return { rows: out, totals };
}
