// The report pages (SPEC §5, §9, §10): a creator's or a campaign's daily report over a range of at
// most 90 days, as a chart and a table, with the API's CSV. Without a range in the URL a page
// starts at the creator's latest earning month, or at the campaign's start, and writes that range
// into the URL (a bookmark shows the same days).
import { useEffect } from "react";
import { useSearchParams } from "wouter";
import { v1 } from "../api/client.ts";
import type { Campaign, Earnings } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { pagePath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { RangeForm } from "../report/RangeForm.tsx";
import { campaignStartRange, creatorLatestRange, type DateRange } from "../report/reportRange.ts";
import { CampaignReportView, CreatorReportView } from "../report/ReportView.tsx";
import { CreatorHeader } from "./CreatorTabs.tsx";

/** The range in the URL, or null (then `fallback` is written into it, replacing the entry). */
function useRange(fallback: DateRange | null): DateRange | null {
  const [params, setParams] = useSearchParams();
  const from = params.get("from");
  const to = params.get("to");
  useEffect(() => {
    if ((from === null || to === null) && fallback !== null) {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set("from", fallback.from);
          next.set("to", fallback.to);
          return next;
        },
        { replace: true },
      );
    }
  }, [from, to, fallback?.from, fallback?.to]);
  return from !== null && to !== null ? { from, to } : null;
}

export function CreatorReportPage() {
  const creatorId = useParam("creatorId");
  const [params] = useSearchParams();
  const campaignId = params.get("campaignId");
  const needsDefault = params.get("from") === null || params.get("to") === null;
  const earnings = useRead<Earnings>(needsDefault ? v1`/v1/creators/${creatorId}/earnings` : null);
  const range = useRange(earnings.data === undefined ? null : creatorLatestRange(earnings.data));
  return (
    <>
      <CreatorHeader creatorId={creatorId} />
      <Section title="Daily report">
        {range === null ? (
          <Loaded query={earnings} what="creator">
            {() => null}
          </Loaded>
        ) : (
          <>
            <RangeForm key={`${range.from}|${range.to}|${campaignId}`} range={range} campaignId={campaignId} />
            <CreatorReportView creatorId={creatorId} range={range} campaignId={campaignId} path={v1`/v1/creators/${creatorId}/report`} />
          </>
        )}
      </Section>
    </>
  );
}

export function CampaignReportPage() {
  const campaignId = useParam("campaignId");
  const campaign = useRead<Campaign>(v1`/v1/campaigns/${campaignId}`);
  const range = useRange(campaign.data === undefined ? null : campaignStartRange(campaign.data));
  return (
    <>
      <PageHeader kicker="Campaign report" title={campaignId}>
        <p className="lede">
          The brand's view: one row per day and creator.{" "}
          <PageLink href={pagePath("campaign", { campaignId })}>Back to the campaign</PageLink>
        </p>
      </PageHeader>
      <Section title="Daily report">
        <Loaded query={campaign} what="campaign">
          {(c) =>
            range === null ? null : (
              <>
                <RangeForm key={`${range.from}|${range.to}`} range={range} />
                <CampaignReportView
                  campaignId={campaignId}
                  range={range}
                  path={v1`/v1/campaigns/${campaignId}/report`}
                  currency={c.currency}
                />
              </>
            )
          }
        </Loaded>
      </Section>
    </>
  );
}
