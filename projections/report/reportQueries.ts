// Reads of the report projection (SPEC §5 creator report, §9 campaign report): daily rows and
// per-marketplace totals. Both reports are built from the same raw rows (one per creator, date and
// campaign: the report fold's, fold.ts), which this projection's tables hold (now) and a fold of
// the journal's rows gives as of a position (reportAt.ts).
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";
import { formatMinor } from "../../domain/money.ts";
import { byCodePoint } from "../order.ts";
import { int, type ReadModelTx } from "../../infra/readModel/port.ts";
import { REPORT_VALUES, reportRow, type ReportRawRow } from "./fold.ts";
import { datesWhere, scopeWhere, type ReportScope } from "./reportScope.ts";

/** A row's counts and amounts as the API answers them (money with its marketplace's minor digits). */
export interface ReportFigures {
  clicks: number;
  orders: number;
  units: number;
  revenue: string;
  earnings: string;
  spend: string;
}

export interface ReportRow extends ReportFigures {
  date: string;
  campaignId: string;
  marketplace: MarketplaceCode;
  currency: string;
}

export interface CampaignReportRow extends ReportFigures {
  date: string;
  creatorId: string;
}

type RawFigures = Pick<ReportRawRow, "clicks" | "orders" | "units" | "revenue" | "earnings" | "spend">;

function figuresOf(r: RawFigures, marketplace: MarketplaceCode): ReportFigures {
  const f = (n: bigint) => formatMinor(n, DEFAULT_MARKETPLACES[marketplace].minorDigits);
  return { clicks: r.clicks, orders: r.orders, units: r.units, revenue: f(r.revenue), earnings: f(r.earnings), spend: f(r.spend) };
}

/** A day whose activity cancelled out completely (e.g. a forfeited bonus only) has no activity left. */
function hasActivity(r: ReportRawRow): boolean {
  return r.clicks !== 0 || r.orders !== 0 || r.units !== 0 || r.revenue !== 0n || r.earnings !== 0n || r.spend !== 0n;
}

function totalsOf(rows: readonly ReportRawRow[]) {
  const sums = new Map<MarketplaceCode, RawFigures>();
  for (const v of rows) {
    const s = sums.get(v.marketplace) ?? { clicks: 0, orders: 0, units: 0, revenue: 0n, earnings: 0n, spend: 0n };
    s.clicks += v.clicks;
    s.orders += v.orders;
    s.units += v.units;
    s.revenue += v.revenue; // exact: totals may pass 2^53 minor units
    s.earnings += v.earnings;
    s.spend += v.spend;
    sums.set(v.marketplace, s);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([marketplace, s]) => ({ marketplace, currency: DEFAULT_MARKETPLACES[marketplace].currency, ...figuresOf(s, marketplace) }));
}

/** SPEC §5: a creator's rows sorted by date, then campaignId, and totals per marketplace. */
export function creatorReport(raw: readonly ReportRawRow[]): { rows: ReportRow[]; totals: ReturnType<typeof totalsOf> } {
  const rows = raw.filter(hasActivity).sort((a, b) => byCodePoint(a.date, b.date) || byCodePoint(a.campaignId, b.campaignId));
  return {
    rows: rows.map((r) => ({
      date: r.date,
      campaignId: r.campaignId,
      marketplace: r.marketplace,
      currency: DEFAULT_MARKETPLACES[r.marketplace].currency,
      ...figuresOf(r, r.marketplace),
    })),
    totals: totalsOf(rows),
  };
}

/** SPEC §9: a campaign's rows sorted by date, then creatorId, and totals. */
export function campaignReport(raw: readonly ReportRawRow[]): { rows: CampaignReportRow[]; totals: ReturnType<typeof totalsOf> } {
  const rows = raw.filter(hasActivity).sort((a, b) => byCodePoint(a.date, b.date) || byCodePoint(a.creatorId, b.creatorId));
  return {
    rows: rows.map((r) => ({ date: r.date, creatorId: r.creatorId, ...figuresOf(r, r.marketplace) })),
    totals: totalsOf(rows),
  };
}

/** The raw rows of a creator (optionally one campaign) or of a campaign, from `from` to `to`, as the projection holds them now. */
export async function reportRowsOf(tx: ReadModelTx, p: string, scope: ReportScope, from: string, to: string): Promise<ReportRawRow[]> {
  const where = scopeWhere(scope, "d");
  const days = datesWhere(from, to, "d"); // the day rows are keyed date first (reportProjection.ts): a seek per day
  const rows = await tx.query<{
    date: string;
    creator_id: string;
    campaign_id: string;
    marketplace: MarketplaceCode;
    clicks: unknown;
    units: unknown;
    revenue: unknown;
    earnings: unknown;
    spend: unknown;
    orders: unknown;
  }>(
    `SELECT d.date, d.creator_id, d.campaign_id, d.marketplace, ${REPORT_VALUES.map((v) => `d.${v}`).join(", ")},
       (SELECT COUNT(*) FROM ${p}orders o WHERE o.creator_id = d.creator_id AND o.date = d.date AND o.campaign_id = d.campaign_id) AS orders
     FROM ${p}days d WHERE ${days.sql} AND ${where.sql}`,
    [...days.params, ...where.params],
  );
  return rows.map((r) =>
    reportRow(
      { date: r.date, creatorId: r.creator_id, campaignId: r.campaign_id, marketplace: r.marketplace, orders: int(r.orders) },
      REPORT_VALUES.map((v) => r[v]),
    ),
  );
}
