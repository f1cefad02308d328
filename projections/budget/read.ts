// The campaign reads (SPEC §5 budget, §9 campaign and brand), now or as of a position
// (projections/modelRead.ts): both from this projection's own tables — the campaign's row now, its
// history row at the last position ≤ P as of P.
import type { ModelRead } from "../modelRead.ts";
import { brandCampaignRows, campaignRow, type CampaignRow } from "./budgetQueries.ts";

/** A campaign's row and the position it is as of; null for a campaign unknown then. */
export const campaignRead: ModelRead<string, { row: CampaignRow; asOfPosition: number } | null> = {
  source: () => "budget",
  read: async (tx, p, campaignId, at, upTo) => {
    const row = await campaignRow(tx, p, campaignId, at);
    return row === null ? null : { row, asOfPosition: upTo };
  },
};

/** A brand's campaigns' rows and the position they are as of; null for a brand with none then. */
export const brandCampaignsRead: ModelRead<string, { rows: CampaignRow[]; asOfPosition: number } | null> = {
  source: () => "budget",
  read: async (tx, p, brandId, at, upTo) => {
    const rows = await brandCampaignRows(tx, p, brandId, at);
    return rows.length === 0 ? null : { rows, asOfPosition: upTo };
  },
};
