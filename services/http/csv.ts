// CSV for the report (SPEC §5), written with csv-stringify. Text cells that a spreadsheet would
// run as a formula (= + - @, tab, CR) are neutralised with a leading apostrophe; numbers are not.
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
