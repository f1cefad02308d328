import type { BrandCampaigns, Campaign } from "../api/types.ts";
import { brandPath, campaignPath } from "../app/paths.ts";
import { Badge, PageLink } from "../components/Layout.tsx";
import { Money } from "../components/Money.tsx";
import type { Column } from "../components/Table.tsx";
import { formatInstant } from "../format/dates.ts";
import { formatCount, formatRate } from "../format/money.ts";

/** Where a campaign stands (SPEC §4 rules 4-5, §9): ended, paused, budget exhausted, or running. */
export function CampaignState({ campaign }: { campaign: Pick<Campaign, "ended" | "paused" | "exhausted"> }) {
  return (
    <span className="badges">
      {campaign.ended ? (
        <Badge tone="neutral">Ended</Badge>
      ) : campaign.paused ? (
        <Badge tone="warn">Paused</Badge>
      ) : (
        <Badge tone="good">Running</Badge>
      )}
      {campaign.exhausted ? <Badge tone="bad">Budget exhausted</Badge> : null}
    </span>
  );
}

type CampaignRow = BrandCampaigns["campaigns"][number];

/** The columns of a list of campaigns: a brand's page, and the campaigns list (which also names each one's brand). */
export function campaignColumns(options: { brand: boolean }): Column<CampaignRow>[] {
  return [
    { header: "Campaign", cell: (c) => <PageLink href={campaignPath(c.campaignId)}>{c.campaignId}</PageLink> },
    ...(options.brand ? [{ header: "Brand", cell: (c: CampaignRow) => <PageLink href={brandPath(c.brandId)}>{c.brandId}</PageLink> }] : []),
    { header: "Marketplace", cell: (c) => `${c.marketplace} (${c.currency})` },
    { header: "State", cell: (c) => <CampaignState campaign={c} /> },
    { header: "Bonus", numeric: true, cell: (c) => formatRate(c.bonusRate) },
    { header: "Starts", cell: (c) => formatInstant(c.startsAt) },
    { header: "Ends", cell: (c) => formatInstant(c.endsAt) },
    { header: "Budget", numeric: true, cell: (c) => <Money amount={c.budget} currency={c.currency} /> },
    { header: "Spent", numeric: true, cell: (c) => <Money amount={c.spent} currency={c.currency} /> },
    { header: "Remaining", numeric: true, cell: (c) => <Money amount={c.remaining} currency={c.currency} /> },
    { header: "Creators", numeric: true, cell: (c) => formatCount(c.creators) },
  ];
}
