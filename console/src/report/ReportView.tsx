// A daily report (SPEC §5 creator, §9 campaign) over a range: chart, table with totals, CSV.
// The range goes to the API as it is: a range it refuses (over 90 days, inverted) comes back as a
// 400 whose message the page shows.
import { useId, useState, type ReactNode } from "react";
import type { QueryParams } from "../api/client.ts";
import type { CampaignReport, CreatorReport, ReportTotals } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { campaignPath, creatorPath } from "../app/paths.ts";
import { DailyChart } from "../components/DailyChart.tsx";
import { EmptyState } from "../components/ErrorState.tsx";
import { PageLink } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { Table, type Column } from "../components/Table.tsx";
import { formatCount } from "../format/money.ts";
import { usePosition } from "../position/usePosition.ts";
import { dailySums } from "./dailySeries.ts";
import { DownloadCsv, fileNamePart } from "./DownloadCsv.tsx";
import type { DateRange } from "./reportRange.ts";

export const EARNINGS_COLOR = "#4c8bd6";
export const SPEND_COLOR = "#b5471b";

type Row = (CreatorReport["rows"] | CampaignReport["rows"])[number];

function activityColumns<R extends Row>(currencyOf: (row: R) => string): Column<R>[] {
  return [
    { header: "Clicks", numeric: true, cell: (r) => formatCount(r.clicks) },
    { header: "Orders", numeric: true, cell: (r) => formatCount(r.orders) },
    { header: "Units", numeric: true, cell: (r) => formatCount(r.units) },
    { header: "Revenue", numeric: true, cell: (r) => <Money amount={r.revenue} currency={currencyOf(r)} /> },
    { header: "Earnings", numeric: true, cell: (r) => <Money amount={r.earnings} currency={currencyOf(r)} /> },
    { header: "Spend", numeric: true, cell: (r) => <Money amount={r.spend} currency={currencyOf(r)} /> },
  ];
}

function TotalsRows({ totals, leading }: { totals: readonly ReportTotals[]; leading: number }) {
  return (
    <>
      {totals.map((t) => (
        <tr key={t.marketplace}>
          <th scope="row" colSpan={leading}>
            Total {t.marketplace} ({t.currency})
          </th>
          <td className="num">{formatCount(t.clicks)}</td>
          <td className="num">{formatCount(t.orders)}</td>
          <td className="num">{formatCount(t.units)}</td>
          <td className="num">
            <Money amount={t.revenue} currency={t.currency} />
          </td>
          <td className="num">
            <Money amount={t.earnings} currency={t.currency} />
          </td>
          <td className="num">
            <Money amount={t.spend} currency={t.currency} />
          </td>
        </tr>
      ))}
    </>
  );
}

/** What the chart reads of a row; a campaign's rows are all of its one marketplace. */
type ChartRow = { date: string; earnings: string; spend: string; marketplace?: string };

/** The marketplace with the most activity (rows, then orders, then clicks): the chart's first. */
export function busiestMarketplace(rows: readonly ChartRow[], totals: readonly ReportTotals[]): string {
  const rowsOf = (marketplace: string) => rows.filter((r) => r.marketplace === undefined || r.marketplace === marketplace).length;
  const ranked = [...totals].sort((a, b) => rowsOf(b.marketplace) - rowsOf(a.marketplace) || b.orders - a.orders || b.clicks - a.clicks);
  return ranked[0]?.marketplace ?? "";
}

/** The chart of one currency's days (a creator may earn in several marketplaces), the busiest first. */
function ReportChart({ range, rows, totals }: { range: DateRange; rows: readonly ChartRow[]; totals: readonly ReportTotals[] }) {
  const [marketplace, setMarketplace] = useState<string>(() => busiestMarketplace(rows, totals));
  const selectId = useId();
  const shown = totals.find((t) => t.marketplace === marketplace) ?? totals[0];
  if (shown === undefined) return null;
  const mine = rows.filter((r) => r.marketplace === undefined || r.marketplace === shown.marketplace);
  const earnings = dailySums(range.from, range.to, mine, (r) => r.earnings);
  const spend = dailySums(range.from, range.to, mine, (r) => r.spend);
  return (
    <>
      {totals.length > 1 ? (
        <p className="inline-form">
          <label htmlFor={selectId}>Chart of</label>
          <select id={selectId} value={shown.marketplace} onChange={(e) => setMarketplace(e.target.value)}>
            {totals.map((t) => (
              <option key={t.marketplace} value={t.marketplace}>
                {t.marketplace} ({t.currency})
              </option>
            ))}
          </select>
        </p>
      ) : null}
      <DailyChart
        title="Earnings and spend"
        currency={shown.currency}
        dates={earnings.dates}
        series={[
          { label: "Earnings", values: earnings.values, color: EARNINGS_COLOR },
          { label: "Spend (bonus, paid by the brand)", values: spend.values, color: SPEND_COLOR },
        ]}
      />
    </>
  );
}

/** What every report answer has: the range, rows to chart, totals per marketplace. */
interface ReportAnswer {
  from: string;
  to: string;
  rows: readonly ChartRow[];
  totals: readonly ReportTotals[];
}

/** A report's answer as a page shows it: the chart, the CSV download, the table (`table`), or why there is nothing. */
function ReportView<A extends ReportAnswer>({
  path,
  params,
  range,
  what,
  fileName,
  table,
}: {
  path: string;
  params: QueryParams;
  range: DateRange;
  what: string;
  /** The CSV's file name, naming the creator or campaign. */
  fileName: string;
  table: (answer: A) => ReactNode;
}) {
  const report = useRead<A>(path, params);
  const at = usePosition();
  return (
    <Loaded query={report} what={what}>
      {(r) =>
        r.rows.length === 0 ? (
          <EmptyState title={`No activity from ${r.from} to ${r.to}`}>
            Choose another range: the report lists only days with clicks, orders, returns or bonus.
          </EmptyState>
        ) : (
          <>
            <ReportChart range={range} rows={r.rows} totals={r.totals} />
            <DownloadCsv path={path} params={{ ...params, asOfPosition: at }} fileName={fileName} />
            {table(r)}
          </>
        )
      }
    </Loaded>
  );
}

export function CreatorReportView({
  creatorId,
  range,
  campaignId,
  path,
}: {
  creatorId: string;
  range: DateRange;
  campaignId: string | null;
  path: string;
}) {
  return (
    <ReportView<CreatorReport>
      path={path}
      params={{ from: range.from, to: range.to, campaignId }}
      range={range}
      what="creator"
      fileName={`report-${fileNamePart(creatorId)}${campaignId === null ? "" : `-${fileNamePart(campaignId)}`}-${range.from}-${range.to}.csv`}
      table={(r) => (
        <Table
          caption={`Daily report of ${creatorId}, ${r.from} to ${r.to}`}
          rows={r.rows}
          rowKey={(row) => `${row.date}|${row.campaignId}`}
          columns={[
            { header: "Date", cell: (row) => row.date },
            { header: "Campaign", cell: (row) => <PageLink href={campaignPath(row.campaignId)}>{row.campaignId}</PageLink> },
            { header: "Marketplace", cell: (row) => row.marketplace },
            ...activityColumns<CreatorReport["rows"][number]>((row) => row.currency),
          ]}
          footer={<TotalsRows totals={r.totals} leading={3} />}
        />
      )}
    />
  );
}

export function CampaignReportView({
  campaignId,
  range,
  path,
  currency,
}: {
  campaignId: string;
  range: DateRange;
  path: string;
  currency: string;
}) {
  return (
    <ReportView<CampaignReport>
      path={path}
      params={{ from: range.from, to: range.to }}
      range={range}
      what="campaign"
      fileName={`campaign-report-${fileNamePart(campaignId)}-${currency}-${range.from}-${range.to}.csv`}
      table={(r) => (
        <Table
          caption={`Daily report of ${campaignId}, ${r.from} to ${r.to}`}
          rows={r.rows}
          rowKey={(row) => `${row.date}|${row.creatorId}`}
          columns={[
            { header: "Date", cell: (row) => row.date },
            { header: "Creator", cell: (row) => <PageLink href={creatorPath(row.creatorId)}>{row.creatorId}</PageLink> },
            ...activityColumns<CampaignReport["rows"][number]>(() => currency),
          ]}
          footer={<TotalsRows totals={r.totals} leading={2} />}
        />
      )}
    />
  );
}
