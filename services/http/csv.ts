// CSV for the reports (SPEC §5, §9) and the tax filing list (§15), written with csv-stringify. Text
// cells that a spreadsheet would run as a formula (= + - @, tab, CR) are neutralised with a leading
// apostrophe; numbers are not.
import { stringify } from "csv-stringify/sync";
import type { CampaignReportRow, ReportRow } from "../../projections/report/reportQueries.ts";

export const REPORT_CSV_HEADER = [
  "date",
  "campaign_id",
  "marketplace",
  "currency",
  "clicks",
  "orders",
  "units",
  "revenue",
  "earnings",
  "spend",
];

export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function reportCsv(rows: readonly ReportRow[]): string {
  return stringify(
    rows.map((r) => [
      neutralise(r.date),
      neutralise(r.campaignId),
      neutralise(r.marketplace),
      neutralise(r.currency),
      r.clicks,
      r.orders,
      r.units,
      r.revenue,
      r.earnings,
      r.spend,
    ]),
    { header: true, columns: REPORT_CSV_HEADER, record_delimiter: "\n" },
  );
}

export const CAMPAIGN_REPORT_CSV_HEADER = ["date", "creator_id", "clicks", "orders", "units", "revenue", "earnings", "spend"];

/** SPEC §9 campaign report. */
export function campaignReportCsv(rows: readonly CampaignReportRow[]): string {
  return stringify(
    rows.map((r) => [neutralise(r.date), neutralise(r.creatorId), r.clicks, r.orders, r.units, r.revenue, r.earnings, r.spend]),
    { header: true, columns: CAMPAIGN_REPORT_CSV_HEADER, record_delimiter: "\n" },
  );
}

export const TAX_SUMMARIES_CSV_HEADER = ["creator_id", "marketplace", "currency", "paid", "payouts"];

/** SPEC §15 filing list. */
export function taxSummariesCsv(
  rows: readonly { creatorId: string; marketplace: string; currency: string; paid: string; payouts: number }[],
): string {
  return stringify(
    rows.map((r) => [neutralise(r.creatorId), neutralise(r.marketplace), neutralise(r.currency), r.paid, r.payouts]),
    { header: true, columns: TAX_SUMMARIES_CSV_HEADER, record_delimiter: "\n" },
  );
}
