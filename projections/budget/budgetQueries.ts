// Reads of the campaign read model (SPEC §5 budget, §9 campaign and brand reads). A read of now
// takes the campaign's row; a read as of P (§8.2) takes its history row at the last position ≤ P.
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";
import { formatMinor } from "../../domain/money.ts";
import { int, minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import { byCodePoint } from "../order.ts";
import { CAMPAIGN_COLUMNS } from "./budgetProjection.ts";

export type CampaignRow = Record<(typeof CAMPAIGN_COLUMNS)[number], unknown>;
type Row = CampaignRow;

/** SPEC §5 budget: remaining = max(0, budget − spent); exhausted while it is 0. */
export function budgetView(r: Row) {
  const market = DEFAULT_MARKETPLACES[r.marketplace as MarketplaceCode];
  const budget = minor(r.budget);
  const spent = minor(r.spent);
  const remaining = budget > spent ? budget - spent : 0n;
  const f = (n: bigint) => formatMinor(n, market.minorDigits);
  return {
    currency: market.currency,
    budget: f(budget),
    spent: f(spent),
    released: f(minor(r.released)),
    remaining: f(remaining),
    exhausted: remaining === 0n,
    exhaustedAt: remaining === 0n ? ((r.exhausted_at as string | null) ?? null) : null,
    ended: int(r.ended) === 1,
  };
}

/** SPEC §9 campaign: the campaign as created and managed, with the budget fields of §5. */
export function campaignView(r: Row) {
  const { currency, ...budget } = budgetView(r);
  return {
    campaignId: r.campaign_id as string,
    brandId: r.brand_id as string,
    marketplace: r.marketplace as MarketplaceCode,
    currency,
    bonusRate: r.bonus_rate as string,
    startsAt: r.starts_at as string,
    endsAt: r.ends_at as string,
    asins: JSON.parse(r.asins as string) as string[],
    paused: int(r.paused) === 1,
    creators: int(r.creators),
    ...budget,
  };
}

const COLUMNS = CAMPAIGN_COLUMNS.join(", ");

/** A campaign's row as of `upTo` (null when it did not exist yet); `now` reads the current row. */
export async function campaignRow(tx: ReadModelTx, p: string, campaignId: string, upTo: number | "now"): Promise<Row | null> {
  const rows =
    upTo === "now"
      ? await tx.query<Row>(`SELECT ${COLUMNS} FROM ${p}campaigns WHERE campaign_id = ?`, [campaignId])
      : await tx.query<Row>(`SELECT ${COLUMNS} FROM ${p}history WHERE campaign_id = ? AND position <= ? ORDER BY position DESC LIMIT 1`, [
          campaignId,
          upTo,
        ]);
  return rows[0] ?? null;
}

/** A brand's campaigns (SPEC §9), in campaign id order, as of `upTo`. */
export async function brandCampaignRows(tx: ReadModelTx, p: string, brandId: string, upTo: number | "now"): Promise<Row[]> {
  const rows =
    upTo === "now"
      ? await tx.query<Row>(`SELECT ${COLUMNS} FROM ${p}campaigns WHERE brand_id = ?`, [brandId])
      : await tx.query<Row>(
          `SELECT ${COLUMNS} FROM ${p}history h WHERE brand_id = ? AND position = (SELECT MAX(position) FROM ${p}history x WHERE x.campaign_id = h.campaign_id AND x.position <= ?)`,
          [brandId, upTo],
        );
  return rows.sort((a, b) => byCodePoint(a.campaign_id as string, b.campaign_id as string));
}

/** Campaigns past endsAt + grace that have not ended yet (the scheduler's work list). */
export async function campaignsDueToEnd(tx: ReadModelTx, p: string, cutoffMs: number, limit: number) {
  return tx.query<{ campaign_id: string; ends_at: string }>(
    `SELECT campaign_id, ends_at FROM ${p}campaigns WHERE ended = 0 AND ends_at_ms <= ? ORDER BY ends_at_ms, campaign_id LIMIT ?`,
    [cutoffMs, limit],
  );
}
