// Earnings as of a position (SPEC §8.2): one creator's journal rows up to P (entries summed per
// kind, acceptances and content words in order, found by the journal's (owner, position) indexes)
// folded from zero by the earnings fold, so a read as of P answers what the earnings tables held at
// P, never from a replay of the stream.
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import { entryKindOf } from "../journal/journalRows.ts";
import { EarningsFold, type EarningsRows } from "./fold.ts";

/** A creator's earnings rows as of `upTo`, from the journal under prefix `p`. */
export async function earningsRowsAt(tx: ReadModelTx, p: string, creatorId: string, upTo: number): Promise<EarningsRows> {
  const fold = new EarningsFold();
  const sums = await tx.query<{
    marketplace: MarketplaceCode;
    earning_month: string | null;
    campaign_id: string | null;
    kind: string;
    amount: unknown;
  }>(
    `SELECT marketplace, earning_month, campaign_id, kind, SUM(amount_minor) AS amount FROM ${p}entries
     WHERE creator_id = ? AND position <= ? GROUP BY marketplace, earning_month, campaign_id, kind`,
    [creatorId, upTo],
  );
  // The fold is linear in amounts: a kind's sum adds what its entries add one by one.
  for (const r of sums) {
    fold.entry({
      creatorId,
      marketplace: r.marketplace,
      earningMonth: r.earning_month,
      campaignId: r.campaign_id,
      kind: entryKindOf(r.kind),
      amountMinor: minor(r.amount),
    });
  }
  const facts = await tx.query<{ kind: "acceptance" | "content"; campaign_id: string; marketplace: MarketplaceCode | null; ref: string }>(
    `SELECT kind, campaign_id, marketplace, ref FROM ${p}facts WHERE creator_id = ? AND position <= ? AND kind IN ('acceptance', 'content') ORDER BY position, seq`,
    [creatorId, upTo],
  );
  for (const f of facts) {
    if (f.kind === "acceptance") fold.fact({ kind: "acceptance", creatorId, campaignId: f.campaign_id, marketplace: f.marketplace! });
    else fold.fact({ kind: "content", creatorId, campaignId: f.campaign_id, qualified: f.ref === "qualified" });
  }
  return fold.rows();
}

/**
 * Whether a creator is known at `upTo`, as the earnings fold knows them (EarningsFold.creator):
 * an entry, an acceptance or an anomaly of theirs (tax info or a payment method alone make no earnings).
 */
export async function creatorKnownAt(tx: ReadModelTx, p: string, creatorId: string, upTo: number): Promise<boolean> {
  const probes = [
    `SELECT 1 FROM ${p}entries WHERE creator_id = ? AND position <= ? LIMIT 1`,
    `SELECT 1 FROM ${p}facts WHERE creator_id = ? AND position <= ? AND kind = 'acceptance' LIMIT 1`,
    `SELECT 1 FROM ${p}anomalies WHERE creator_id = ? AND position <= ? LIMIT 1`,
  ];
  for (const sql of probes) if ((await tx.query(sql, [creatorId, upTo])).length > 0) return true;
  return false;
}
