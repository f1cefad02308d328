// A brand's campaigns (SPEC §9): each with its state, budget and creators.
import { v1 } from "../api/client.ts";
import type { BrandCampaigns } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { campaignPath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { Table } from "../components/Table.tsx";
import { formatInstant } from "../format/dates.ts";
import { formatCount, formatRate } from "../format/money.ts";
import { CampaignState } from "./campaignState.tsx";

export function BrandPage() {
  const brandId = useParam("brandId");
  const campaigns = useRead<BrandCampaigns>(v1`/v1/brands/${brandId}/campaigns`);
  return (
    <>
      <PageHeader kicker="Brand" title={brandId} />
      <Section title="Campaigns">
        <Loaded query={campaigns} what="brand">
          {(b) => (
            <Table
              caption={`${b.campaigns.length} campaign${b.campaigns.length === 1 ? "" : "s"} of ${b.brandId}`}
              rows={b.campaigns}
              rowKey={(c) => c.campaignId}
              columns={[
                { header: "Campaign", cell: (c) => <PageLink href={campaignPath(c.campaignId)}>{c.campaignId}</PageLink> },
                { header: "Marketplace", cell: (c) => `${c.marketplace} (${c.currency})` },
                { header: "State", cell: (c) => <CampaignState campaign={c} /> },
                { header: "Bonus", numeric: true, cell: (c) => formatRate(c.bonusRate) },
                { header: "Starts", cell: (c) => formatInstant(c.startsAt) },
                { header: "Ends", cell: (c) => formatInstant(c.endsAt) },
                { header: "Budget", numeric: true, cell: (c) => <Money amount={c.budget} currency={c.currency} /> },
                { header: "Spent", numeric: true, cell: (c) => <Money amount={c.spent} currency={c.currency} /> },
                { header: "Remaining", numeric: true, cell: (c) => <Money amount={c.remaining} currency={c.currency} /> },
                { header: "Creators", numeric: true, cell: (c) => formatCount(c.creators) },
              ]}
            />
          )}
        </Loaded>
      </Section>
    </>
  );
}
