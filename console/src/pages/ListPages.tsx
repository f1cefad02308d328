// Every creator, campaign and brand (issue 27): the API's lists (GET /v1/creators, /v1/campaigns,
// /v1/brands), by id in code-point order, 50 a page; the page's cursor (`after`, the previous page's
// nextAfter) is in the URL, so each page is a link. Campaigns filter by brand and state.
import type { ReactNode } from "react";
import { useSearchParams } from "wouter";
import type { BrandList, CampaignList, CreatorList } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { brandPath, creatorPath, pagePath } from "../app/paths.ts";
import { EmptyState } from "../components/ErrorState.tsx";
import { PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { PAGE_SIZE, Pager } from "../components/Pager.tsx";
import { Table } from "../components/Table.tsx";
import { UrlChoice } from "../components/UrlChoice.tsx";
import { formatCount } from "../format/money.ts";
import { usePosition } from "../position/usePosition.ts";
import { campaignColumns } from "./campaignState.tsx";

/** The states GET /v1/campaigns filters by (what the ledger recorded: SPEC §9). */
const CAMPAIGN_STATES = [
  ["running", "Running"],
  ["paused", "Paused"],
  ["ended", "Ended"],
] as const;

type CampaignStateFilter = (typeof CAMPAIGN_STATES)[number][0];

function useAfter(): string | null {
  const [params] = useSearchParams();
  return params.get("after");
}

/** "cr-00000 to cr-00014" of a page's ids, and where it stands in the list. */
function pageCaption(what: string, ids: readonly string[], after: string | null, asOfPosition: number): string {
  const range = ids.length === 1 ? ids[0]! : `${ids[0]} to ${ids[ids.length - 1]}`;
  return `${what} ${range}${after === null ? "" : ` (after ${after})`}, by id, as of position ${asOfPosition}`;
}

/** What a list without rows says: as of an earlier position there may be none yet. */
function NoneYet({ what, children }: { what: string; children?: ReactNode }) {
  const at = usePosition();
  const after = useAfter();
  return (
    <EmptyState title={after !== null ? `No ${what} after ${after}` : at === null ? `No ${what} yet` : `No ${what} as of position ${at}`}>
      {children}
    </EmptyState>
  );
}

export function CreatorsPage() {
  const after = useAfter();
  const list = useRead<CreatorList>("/v1/creators", { after, limit: PAGE_SIZE });
  return (
    <>
      <PageHeader kicker="Lists" title="Creators">
        <p className="lede">Every creator the ledger knows: one with an entry, an accepted campaign or an anomaly.</p>
      </PageHeader>
      <Section title="Every creator">
        <Loaded query={list} what="creators">
          {(l) =>
            l.creators.length === 0 ? (
              <NoneYet what="creators" />
            ) : (
              <>
                <Table
                  caption={pageCaption(
                    "Creators",
                    l.creators.map((c) => c.creatorId),
                    after,
                    l.asOfPosition,
                  )}
                  rows={l.creators}
                  rowKey={(c) => c.creatorId}
                  columns={[{ header: "Creator", cell: (c) => <PageLink href={creatorPath(c.creatorId)}>{c.creatorId}</PageLink> }]}
                />
                <Pager next={l.nextAfter} label="Creators" />
              </>
            )
          }
        </Loaded>
      </Section>
    </>
  );
}

/** The brand filter's choices: every brand (one read of up to 1,000), and the one in the URL even if unknown. */
function brandOptions(brands: BrandList | undefined, chosen: string | null): [string, string][] {
  const ids = (brands?.brands ?? []).map((b) => b.brandId);
  if (chosen !== null && !ids.includes(chosen)) ids.push(chosen);
  return [["", "Every brand"], ...ids.map((id): [string, string] => [id, id])];
}

export function CampaignsPage() {
  const [params] = useSearchParams();
  const after = params.get("after");
  const brandId = params.get("brandId");
  const stateParam = params.get("state");
  const state = CAMPAIGN_STATES.some(([s]) => s === stateParam) ? (stateParam as CampaignStateFilter) : null;
  const brands = useRead<BrandList>("/v1/brands", { limit: 1000 });
  const list = useRead<CampaignList>("/v1/campaigns", { brandId, state, after, limit: PAGE_SIZE });
  const which = `${state === null ? "" : `${state} `}campaigns${brandId === null ? "" : ` of ${brandId}`}`;
  return (
    <>
      <PageHeader kicker="Lists" title="Campaigns">
        <p className="lede">Every campaign as created and managed, with its budget: of one brand, in one state, or all.</p>
      </PageHeader>
      <Section
        title="Every campaign"
        actions={
          <div className="filters">
            <UrlChoice label="Brand" param="brandId" value={brandId ?? ""} options={brandOptions(brands.data, brandId)} />
            <UrlChoice label="State" param="state" value={state ?? ""} options={[["", "Any state"], ...CAMPAIGN_STATES]} />
          </div>
        }
      >
        <Loaded query={list} what="campaigns">
          {(l) =>
            l.campaigns.length === 0 ? (
              <NoneYet what={which} />
            ) : (
              <>
                <Table
                  caption={pageCaption(
                    which[0]!.toUpperCase() + which.slice(1),
                    l.campaigns.map((c) => c.campaignId),
                    after,
                    l.asOfPosition,
                  )}
                  rows={l.campaigns}
                  rowKey={(c) => c.campaignId}
                  columns={campaignColumns({ brand: true })}
                />
                <Pager next={l.nextAfter} label="Campaigns" />
              </>
            )
          }
        </Loaded>
      </Section>
    </>
  );
}

export function BrandsPage() {
  const after = useAfter();
  const list = useRead<BrandList>("/v1/brands", { after, limit: PAGE_SIZE });
  return (
    <>
      <PageHeader kicker="Lists" title="Brands">
        <p className="lede">Every brand with a campaign, and how many campaigns it has created.</p>
      </PageHeader>
      <Section title="Every brand">
        <Loaded query={list} what="brands">
          {(l) =>
            l.brands.length === 0 ? (
              <NoneYet what="brands" />
            ) : (
              <>
                <Table
                  caption={pageCaption(
                    "Brands",
                    l.brands.map((b) => b.brandId),
                    after,
                    l.asOfPosition,
                  )}
                  rows={l.brands}
                  rowKey={(b) => b.brandId}
                  columns={[
                    { header: "Brand", cell: (b) => <PageLink href={brandPath(b.brandId)}>{b.brandId}</PageLink> },
                    { header: "Campaigns", numeric: true, cell: (b) => formatCount(b.campaigns) },
                    {
                      header: "List",
                      cell: (b) => <PageLink href={pagePath("campaigns", {}, { brandId: b.brandId })}>Its campaigns</PageLink>,
                    },
                  ]}
                />
                <Pager next={l.nextAfter} label="Brands" />
              </>
            )
          }
        </Loaded>
      </Section>
    </>
  );
}
