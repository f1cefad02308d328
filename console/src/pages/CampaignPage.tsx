// A campaign (SPEC §5 budget, §9): as created and managed, each change of it (its history, issue 27),
// its budget (spent, released, remaining), its daily spend over the first 90 days (or the range in
// the URL), and its creators' activity.
import { useSearchParams } from "wouter";
import { v1 } from "../api/client.ts";
import type { Campaign, CampaignReport } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { brandPath, creatorPath, pagePath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { DailyChart } from "../components/DailyChart.tsx";
import { EmptyState } from "../components/ErrorState.tsx";
import { Facts, PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { Table } from "../components/Table.tsx";
import { formatInstant } from "../format/dates.ts";
import { formatCount, formatRate } from "../format/money.ts";
import { dailySums } from "../report/dailySeries.ts";
import { campaignStartRange, type DateRange } from "../report/reportRange.ts";
import { SPEND_COLOR } from "../report/ReportView.tsx";
import { CampaignHistory } from "./CampaignHistory.tsx";
import { CampaignState } from "./campaignState.tsx";

/** The share of the budget spent, for the meter (display only). */
function spentShare(c: Campaign): number {
  const budget = Number(c.budget);
  return budget <= 0 ? (Number(c.spent) > 0 ? 1 : 0) : Math.min(1, Math.max(0, Number(c.spent) / budget));
}

function BudgetView({ c }: { c: Campaign }) {
  const share = spentShare(c);
  return (
    <Section title="Budget">
      <div className="meter" role="img" aria-label={`${Math.round(share * 100)}% of the budget spent`}>
        <div className="meter-fill" style={{ width: `${share * 100}%` }} />
      </div>
      <Facts
        items={[
          ["Budget", <Money amount={c.budget} currency={c.currency} />],
          ["Spent", <Money amount={c.spent} currency={c.currency} />],
          ["Released", <Money amount={c.released} currency={c.currency} />],
          ["Remaining", <Money amount={c.remaining} currency={c.currency} />],
          ["Exhausted", c.exhaustedAt === null ? "No" : `Since ${formatInstant(c.exhaustedAt)}`],
        ]}
      />
      <p className="muted small">
        Spent is bonus granted (pending and confirmed) net of what was released: forfeited, returned and reversed bonus given back.
      </p>
    </Section>
  );
}

interface CreatorActivity {
  creatorId: string;
  clicks: number;
  orders: number;
  units: number;
  rows: CampaignReport["rows"];
}

function SpendAndCreators({ campaign, range }: { campaign: Campaign; range: DateRange }) {
  const report = useRead<CampaignReport>(v1`/v1/campaigns/${campaign.campaignId}/report`, { from: range.from, to: range.to });
  return (
    <Loaded query={report} what="campaign">
      {(r) => {
        const spend = dailySums(range.from, range.to, r.rows, (row) => row.spend);
        const creators = new Map<string, CreatorActivity>();
        for (const row of r.rows) {
          const c = creators.get(row.creatorId) ?? { creatorId: row.creatorId, clicks: 0, orders: 0, units: 0, rows: [] };
          c.clicks += row.clicks;
          c.orders += row.orders;
          c.units += row.units;
          c.rows.push(row);
          creators.set(row.creatorId, c);
        }
        const total = r.totals[0];
        return (
          <>
            <Section title="Daily spend">
              {r.rows.length === 0 ? (
                <EmptyState title={`No spend from ${range.from} to ${range.to}`}>
                  Choose another range on the{" "}
                  <PageLink href={pagePath("campaignReport", { campaignId: campaign.campaignId }, range)}>campaign report</PageLink>.
                </EmptyState>
              ) : (
                <DailyChart
                  title="Spend (bonus paid out of the budget)"
                  currency={campaign.currency}
                  dates={spend.dates}
                  series={[{ label: "Spend", values: spend.values, color: SPEND_COLOR }]}
                />
              )}
              <p>
                <PageLink href={pagePath("campaignReport", { campaignId: campaign.campaignId }, range)}>
                  Open the daily report, {range.from} to {range.to}, with its table and CSV
                </PageLink>
              </p>
            </Section>
            <Section title="Creators">
              <p className="muted">
                {formatCount(campaign.creators)} creator{campaign.creators === 1 ? "" : "s"} accepted this campaign; these had activity from{" "}
                {range.from} to {range.to}.
              </p>
              {creators.size === 0 ? (
                <EmptyState title="No creator activity in this range" />
              ) : (
                <Table
                  caption={`Creators' activity, ${range.from} to ${range.to} (${campaign.currency})`}
                  rows={[...creators.values()]}
                  rowKey={(c) => c.creatorId}
                  columns={[
                    { header: "Creator", cell: (c) => <PageLink href={creatorPath(c.creatorId)}>{c.creatorId}</PageLink> },
                    { header: "Days", numeric: true, cell: (c) => formatCount(c.rows.length) },
                    { header: "Clicks", numeric: true, cell: (c) => formatCount(c.clicks) },
                    { header: "Orders", numeric: true, cell: (c) => formatCount(c.orders) },
                    { header: "Units", numeric: true, cell: (c) => formatCount(c.units) },
                    {
                      header: "Report",
                      cell: (c) => (
                        <PageLink
                          href={pagePath("creatorReport", { creatorId: c.creatorId }, { ...range, campaignId: campaign.campaignId })}
                        >
                          Their daily report
                        </PageLink>
                      ),
                    },
                  ]}
                />
              )}
              {total === undefined ? null : (
                <Facts
                  items={[
                    ["Revenue", <Money amount={total.revenue} currency={total.currency} />],
                    ["Earnings", <Money amount={total.earnings} currency={total.currency} />],
                    ["Spend", <Money amount={total.spend} currency={total.currency} />],
                  ]}
                />
              )}
            </Section>
          </>
        );
      }}
    </Loaded>
  );
}

export function CampaignPage() {
  const campaignId = useParam("campaignId");
  const [params] = useSearchParams();
  const campaign = useRead<Campaign>(v1`/v1/campaigns/${campaignId}`);
  return (
    <>
      <PageHeader kicker="Campaign" title={campaignId} />
      <Loaded query={campaign} what="campaign">
        {(c) => {
          const from = params.get("from");
          const to = params.get("to");
          const range = from !== null && to !== null ? { from, to } : campaignStartRange(c);
          return (
            <>
              <Section title="Campaign">
                <Facts
                  items={[
                    ["Brand", <PageLink href={brandPath(c.brandId)}>{c.brandId}</PageLink>],
                    ["State", <CampaignState campaign={c} />],
                    ["Marketplace", `${c.marketplace} (${c.currency})`],
                    ["Bonus rate", formatRate(c.bonusRate)],
                    ["Starts", formatInstant(c.startsAt)],
                    ["Ends", formatInstant(c.endsAt)],
                    ["Products (ASINs)", c.asins.join(", ")],
                    ["Creators accepted", formatCount(c.creators)],
                  ]}
                />
              </Section>
              <CampaignHistory campaign={c} />
              <BudgetView c={c} />
              <SpendAndCreators campaign={c} range={range} />
            </>
          );
        }}
      </Loaded>
    </>
  );
}
