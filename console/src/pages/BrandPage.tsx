// A brand's campaigns (SPEC §9): each with its state, budget and creators.
import { v1 } from "../api/client.ts";
import type { BrandCampaigns } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { useParam } from "../app/useParam.ts";
import { PageHeader, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Table } from "../components/Table.tsx";
import { campaignColumns } from "./campaignState.tsx";

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
              columns={campaignColumns({ brand: false })}
            />
          )}
        </Loaded>
      </Section>
    </>
  );
}
