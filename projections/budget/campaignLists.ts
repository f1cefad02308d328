// Campaigns and brands as lists (issue 27: GET /v1/campaigns, GET /v1/brands, the campaign and brand
// hits of GET /v1/search), now or as of a position, from the campaign read model's own tables:
// a campaign exists from its CampaignCreated (created_position) on, and a brand from its first
// campaign's; ids and brands never change. A campaign's other fields as of P are its history row at
// the last position ≤ P (budgetQueries.ts campaignRow), so a list as of P is a walk of `campaigns` in
// id order joined to that row: one index probe per campaign listed, never a replay.
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { idPrefixRange } from "../../infra/eventStore/port.ts";
import { int, type ReadModelTx, type SqlValue } from "../../infra/readModel/port.ts";
import { nextAfterId } from "../idPages.ts";
import type { AsOf, ModelRead } from "../modelRead.ts";
import { CAMPAIGN_COLUMNS } from "./budgetProjection.ts";
import type { CampaignRow } from "./budgetQueries.ts";

/** Campaigns (or brands) one page of GET /v1/campaigns (GET /v1/brands) holds at most. */
export const CAMPAIGNS_PAGE_MAX = 1_000;
export const BRANDS_PAGE_MAX = 1_000;

/**
 * A campaign's state as the ledger recorded it (the `state` filter): `ended` once CampaignEnded is
 * applied, else `paused` while a pause stands (SPEC §9), else `running` (whether or not `now` is
 * inside startsAt..endsAt: that is rule 3's business, not a recorded state).
 */
export const CAMPAIGN_STATES = ["running", "paused", "ended"] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** The condition on a campaign row (table alias `t`) that it is in `state`. */
function stateWhere(state: CampaignState, t: string): string {
  switch (state) {
    case "running":
      return `${t}.paused = 0 AND ${t}.ended = 0`;
    case "paused":
      return `${t}.paused = 1 AND ${t}.ended = 0`;
    case "ended":
      return `${t}.ended = 1`;
  }
}

export interface CampaignFilter {
  brandId: string | null;
  state: CampaignState | null;
}

/** Campaign rows after the id `after` ("" = from the start), in id order (code points), as of `at`, filtered. */
export async function campaignRowsAfter(
  tx: ReadModelTx,
  p: string,
  filter: CampaignFilter,
  after: string,
  at: AsOf,
  limit: number,
): Promise<CampaignRow[]> {
  const row = at === "now" ? "c" : "h"; // the row that holds the campaign's fields as of `at`
  const where = ["c.campaign_id > ?"];
  const params: SqlValue[] = [after];
  if (filter.brandId !== null) {
    where.push("c.brand_id = ?");
    params.push(filter.brandId);
  }
  if (filter.state !== null) where.push(stateWhere(filter.state, row));
  const columns = CAMPAIGN_COLUMNS.map((column) => `${row}.${column}`).join(", ");
  if (at === "now") {
    return tx.query<CampaignRow>(`SELECT ${columns} FROM ${p}campaigns c WHERE ${where.join(" AND ")} ORDER BY c.campaign_id LIMIT ?`, [
      ...params,
      limit,
    ]);
  }
  // As of P: campaigns created by P, each with its history row at the last position ≤ P.
  return tx.query<CampaignRow>(
    `SELECT ${columns} FROM ${p}campaigns c JOIN ${p}history h ON h.campaign_id = c.campaign_id
       AND h.position = (SELECT MAX(x.position) FROM ${p}history x WHERE x.campaign_id = c.campaign_id AND x.position <= ?)
     WHERE c.created_position <= ? AND ${where.join(" AND ")} ORDER BY c.campaign_id LIMIT ?`,
    [at, at, ...params, limit],
  );
}

/** GET /v1/campaigns: a page of campaign rows (the caller shapes them with campaignView). */
export const campaignsRead: ModelRead<
  { filter: CampaignFilter; after: string; limit: number },
  { asOfPosition: number; rows: CampaignRow[]; nextAfter: string | null }
> = {
  source: () => "budget",
  read: async (tx, p, { filter, after, limit }, at, upTo) => {
    const rows = await campaignRowsAfter(tx, p, filter, after, at, limit);
    return {
      asOfPosition: upTo,
      rows,
      nextAfter: nextAfterId(
        rows.map((r) => r.campaign_id as string),
        limit,
      ),
    };
  },
};

export interface BrandLine {
  brandId: string;
  /** Its campaigns created by then. */
  campaigns: number;
}

/** Brands (ids of campaigns' brands) after `after`, in id order, with their campaigns created by `upTo`. */
export async function brandsAfter(tx: ReadModelTx, p: string, after: string, upTo: number, limit: number): Promise<BrandLine[]> {
  const rows = await tx.query<{ brand_id: string; campaigns: unknown }>(
    `SELECT brand_id, COUNT(*) AS campaigns FROM ${p}campaigns WHERE brand_id > ? AND created_position <= ? GROUP BY brand_id ORDER BY brand_id LIMIT ?`,
    [after, upTo, limit],
  );
  return rows.map((r) => ({ brandId: r.brand_id, campaigns: int(r.campaigns) }));
}

/** GET /v1/brands: a page of brands with their campaign counts. */
export const brandsRead: ModelRead<
  { after: string; limit: number },
  { asOfPosition: number; brands: BrandLine[]; nextAfter: string | null }
> = {
  source: () => "budget",
  read: async (tx, p, { after, limit }, _at, upTo) => {
    const brands = await brandsAfter(tx, p, after, upTo, limit);
    return {
      asOfPosition: upTo,
      brands,
      nextAfter: nextAfterId(
        brands.map((b) => b.brandId),
        limit,
      ),
    };
  },
};

/** Campaigns whose id starts with `prefix` ignoring case, created by `upTo`, by lower-cased id (index campaigns_search). */
export async function campaignsStartingWith(tx: ReadModelTx, p: string, prefix: string, upTo: number, limit: number) {
  const { from, to } = idPrefixRange(prefix);
  const rows = await tx.query<{ campaign_id: string; brand_id: string; marketplace: string }>(
    `SELECT campaign_id, brand_id, marketplace FROM ${p}campaigns WHERE lower(campaign_id) >= ? AND lower(campaign_id) < ? AND created_position <= ?
     ORDER BY lower(campaign_id), campaign_id LIMIT ?`,
    [from, to, upTo, limit],
  );
  return rows.map((r) => ({ campaignId: r.campaign_id, brandId: r.brand_id, marketplace: r.marketplace as MarketplaceCode }));
}

/** Brands whose id starts with `prefix` ignoring case, with their campaigns created by `upTo` (index campaigns_brand_search). */
export async function brandsStartingWith(tx: ReadModelTx, p: string, prefix: string, upTo: number, limit: number): Promise<BrandLine[]> {
  const { from, to } = idPrefixRange(prefix);
  const rows = await tx.query<{ brand_id: string; campaigns: unknown }>(
    `SELECT brand_id, COUNT(*) AS campaigns FROM ${p}campaigns WHERE lower(brand_id) >= ? AND lower(brand_id) < ? AND created_position <= ?
     GROUP BY brand_id ORDER BY lower(brand_id), brand_id LIMIT ?`,
    [from, to, upTo, limit],
  );
  return rows.map((r) => ({ brandId: r.brand_id, campaigns: int(r.campaigns) }));
}
