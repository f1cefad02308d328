// The daily report's one fold (SPEC §5 report, §9 campaign report): per creator, local date,
// campaign and marketplace its clicks, units, revenue, earnings and spend, and the distinct orders
// shipped. The projection folds each batch of outcomes and adds the sums to its tables; a read as of
// position P folds an owner's journal rows up to P from zero (reportAt.ts). Every rule that shapes a
// row is here, once; which rows a read takes is reportScope.ts.
import { reportEffect, type EntryKind } from "../../domain/journal/entryKinds.ts";
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { int, minor } from "../../infra/readModel/port.ts";
import { AdditiveRows, times } from "../additive.ts";

/** The report's value columns, in the order the fold adds them. */
export const REPORT_MONEY_VALUES = ["revenue", "earnings", "spend"] as const;
export const REPORT_VALUES = ["clicks", "units", ...REPORT_MONEY_VALUES] as const;
export const DAY_KEY = ["creator_id", "date", "campaign_id", "marketplace"] as const;
export const ORDER_COLUMNS = ["creator_id", "date", "campaign_id", "order_id"] as const;

/** One creator's activity in one campaign on one local date. */
export interface ReportRawRow {
  date: string;
  creatorId: string;
  campaignId: string;
  marketplace: MarketplaceCode;
  clicks: number;
  orders: number;
  units: number;
  revenue: bigint;
  earnings: bigint;
  spend: bigint;
}

/** An entry (a number) or a journal sum of entries of one kind on one day (a bigint past 2^53). */
export interface ReportEntry {
  kind: EntryKind;
  /** null for entries not in the report (budget, payouts, adjustments) and their owners. */
  reportDate: string | null;
  creatorId: string | null;
  campaignId: string | null;
  marketplace: MarketplaceCode;
  amountMinor: number | bigint;
  units: number | bigint;
  revenueMinor: number | bigint;
}

/** Where a click or a shipped order counts. */
export interface ReportPlace {
  creatorId: string;
  campaignId: string;
  marketplace: MarketplaceCode;
  reportDate: string;
}

function effectOf(kind: EntryKind, amountMinor: number | bigint): { earnings: number | bigint; spend: number | bigint } {
  if (typeof amountMinor === "number") {
    const e = reportEffect(kind, amountMinor);
    return { earnings: e.earningsMinor, spend: e.spendMinor };
  }
  // One entry's report effect is linear in its amount, so the effect of a kind's sum is the sum of the effects.
  const unit = reportEffect(kind, 1);
  return { earnings: times(unit.earningsMinor, amountMinor), spend: times(unit.spendMinor, amountMinor) };
}

const isZero = (n: number | bigint) => n === 0 || n === 0n;

export class ReportFold {
  readonly days = new AdditiveRows(DAY_KEY, REPORT_VALUES);
  /** Distinct orders per creator, date and campaign (`\u0000`-joined key → the row of ORDER_COLUMNS). */
  readonly orders = new Map<string, [string, string, string, string]>();

  entry(e: ReportEntry): void {
    if (e.reportDate === null || e.creatorId === null || e.campaignId === null) return;
    const { earnings, spend } = effectOf(e.kind, e.amountMinor);
    // An entry that moves nothing the report shows (a forfeit memo's day) makes no row of its own.
    if (isZero(earnings) && isZero(spend) && isZero(e.units) && isZero(e.revenueMinor) && e.kind !== "standard") return;
    this.days.add([e.creatorId, e.reportDate, e.campaignId, e.marketplace], [0, e.units, e.revenueMinor, earnings, spend]);
  }

  clicks(at: ReportPlace, count = 1): void {
    this.days.add([at.creatorId, at.reportDate, at.campaignId, at.marketplace], [count, 0, 0, 0, 0]);
  }

  order(at: ReportPlace, orderId: string): void {
    this.orders.set([at.creatorId, at.reportDate, at.campaignId, orderId].join("\u0000"), [
      at.creatorId,
      at.reportDate,
      at.campaignId,
      orderId,
    ]);
  }

  /** The sums as report rows, each with its distinct orders of that day (a fold of one owner's rows from zero). */
  rows(): ReportRawRow[] {
    const ordersPerDay = new Map<string, number>();
    for (const [creatorId, date, campaignId] of this.orders.values()) {
      const key = `${creatorId}\u0000${date}\u0000${campaignId}`;
      ordersPerDay.set(key, (ordersPerDay.get(key) ?? 0) + 1);
    }
    return [...this.days.values()].map(({ key, values }) => {
      const [creatorId, date, campaignId, marketplace] = key as [string, string, string, MarketplaceCode];
      return reportRow(
        { date, creatorId, campaignId, marketplace, orders: ordersPerDay.get(`${creatorId}\u0000${date}\u0000${campaignId}`) ?? 0 },
        values,
      );
    });
  }
}

/** A report row from its place, its order count and its values in REPORT_VALUES order (a table row's or a fold's). */
export function reportRow(at: Omit<ReportRawRow, (typeof REPORT_VALUES)[number]>, values: readonly unknown[]): ReportRawRow {
  const [clicks, units, revenue, earnings, spend] = values;
  return { ...at, clicks: int(clicks), units: int(units), revenue: minor(revenue), earnings: minor(earnings), spend: minor(spend) };
}
