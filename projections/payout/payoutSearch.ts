// Payouts by the first characters of their id (issue 27: the payout hits of GET /v1/search), from the
// payout read model's `payouts` table (one row per payout, its position the PayoutIssued's), as of
// `upTo`: a payout exists from its position on, and its id, creator and marketplace never change.
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { idPrefixRange } from "../../infra/eventStore/port.ts";
import type { ReadModelTx } from "../../infra/readModel/port.ts";

/** Payouts whose id starts with `prefix` ignoring case, issued by `upTo`, by lower-cased id (index payouts_search). */
export async function payoutsStartingWith(tx: ReadModelTx, p: string, prefix: string, upTo: number, limit: number) {
  const { from, to } = idPrefixRange(prefix);
  const rows = await tx.query<{ payout_id: string; creator_id: string; marketplace: string }>(
    `SELECT payout_id, creator_id, marketplace FROM ${p}payouts WHERE lower(payout_id) >= ? AND lower(payout_id) < ? AND position <= ?
     ORDER BY lower(payout_id), payout_id LIMIT ?`,
    [from, to, upTo, limit],
  );
  return rows.map((r) => ({ payoutId: r.payout_id, creatorId: r.creator_id, marketplace: r.marketplace as MarketplaceCode }));
}
