// Reads of the budget projection (SPEC §5 budget).
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";
import { formatMinor } from "../../domain/money.ts";
import { int, minor, type ReadModelTx } from "../../infra/readModel/port.ts";

export async function budgetOf(db: ReadModelTx, p: string, campaignId: string) {
  const rows = await db.query<{ marketplace: MarketplaceCode; budget: unknown; spent: unknown; released: unknown; exhausted_at: string | null; ended: unknown }>(
    `SELECT marketplace, budget, spent, released, exhausted_at, ended FROM ${p}campaigns WHERE campaign_id = ?`,
    [campaignId],
  );
  const row = rows[0];
  if (!row) return null;
  const market = DEFAULT_MARKETPLACES[row.marketplace];
  const budget = minor(row.budget);
  const spent = minor(row.spent);
  const remaining = budget - spent;
  const f = (n: bigint) => formatMinor(n, market.minorDigits);
  return {
    currency: market.currency,
    budget: f(budget),
    spent: f(spent),
    released: f(minor(row.released)),
    remaining: f(remaining),
    exhausted: remaining === 0n,
    exhaustedAt: remaining === 0n ? row.exhausted_at : null,
    ended: int(row.ended) === 1,
  };
}

/** Campaigns past endsAt + grace that have not ended yet (the scheduler's work list). */
export async function campaignsDueToEnd(db: ReadModelTx, p: string, cutoffMs: number, limit: number) {
  return db.query<{ campaign_id: string; ends_at: string }>(
    `SELECT campaign_id, ends_at FROM ${p}campaigns WHERE ended = 0 AND ends_at_ms <= ? ORDER BY ends_at_ms, campaign_id LIMIT ?`,
    [cutoffMs, limit],
  );
}
