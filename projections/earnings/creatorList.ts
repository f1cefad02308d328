// The creators the ledger knows (issue 27: GET /v1/creators, the creator hits of GET /v1/search), now
// or as of a position, from the earnings read model's `creators` table: a creator is known from the
// position of their first entry, acceptance or anomaly on (EarningsFold.creator) and never stops
// being known, so "as of P" is exactly `position ≤ P` on the same table: the read waits for the
// earnings projection to reach P (projections/modelRead.ts source), then filters.
import { idPrefixRange } from "../../infra/eventStore/port.ts";
import type { ReadModelTx } from "../../infra/readModel/port.ts";
import { nextAfterId } from "../idPages.ts";
import type { ModelRead } from "../modelRead.ts";

/** Creators one page of GET /v1/creators holds at most. */
export const CREATORS_PAGE_MAX = 1_000;

/** Creator ids after `after` (code-point order), known at `upTo`. */
export async function creatorIdsAfter(tx: ReadModelTx, p: string, after: string, upTo: number, limit: number): Promise<string[]> {
  const rows = await tx.query<{ creator_id: string }>(
    `SELECT creator_id FROM ${p}creators WHERE creator_id > ? AND position <= ? ORDER BY creator_id LIMIT ?`,
    [after, upTo, limit],
  );
  return rows.map((r) => r.creator_id);
}

/** Creator ids that start with `prefix` ignoring case, known at `upTo`, by lower-cased id (index creators_search). */
export async function creatorIdsStartingWith(tx: ReadModelTx, p: string, prefix: string, upTo: number, limit: number): Promise<string[]> {
  const { from, to } = idPrefixRange(prefix);
  const rows = await tx.query<{ creator_id: string }>(
    `SELECT creator_id FROM ${p}creators WHERE lower(creator_id) >= ? AND lower(creator_id) < ? AND position <= ?
     ORDER BY lower(creator_id), creator_id LIMIT ?`,
    [from, to, upTo, limit],
  );
  return rows.map((r) => r.creator_id);
}

/** GET /v1/creators: a page of creators, in id order (code points), after the id `after` ("" = from the start). */
export const creatorsRead: ModelRead<
  { after: string; limit: number },
  { asOfPosition: number; creators: { creatorId: string }[]; nextAfter: string | null }
> = {
  source: () => "earnings",
  read: async (tx, p, { after, limit }, _at, upTo) => {
    const ids = await creatorIdsAfter(tx, p, after, upTo, limit);
    return { asOfPosition: upTo, creators: ids.map((creatorId) => ({ creatorId })), nextAfter: nextAfterId(ids, limit) };
  },
};
