// Earnings read model (SPEC §5 earnings, §8.4 adjusted): bucket totals per creator and marketplace,
// per earning month and per campaign, which campaigns' content counts, and anomalies per creator.
// The audit trail of every amount is the journal projection's (projections/journal).
import { bucketDeltas, movesBuckets } from "../../domain/journal/entryKinds.ts";
import type { Outcome } from "../../domain/engine/outcome.ts";
import type { ReadModelTx, SqlValue } from "../../infra/readModel/port.ts";
import { AdditiveRows, insertIgnore } from "../additive.ts";
import { BUCKET_COLUMNS, bucketColumnsDdl } from "../bucketColumns.ts";
import type { ProjectionDefinition } from "../projection.ts";

/** An adjustment without a campaign (§8.4) shows in a campaigns row with campaignId null; stored as ''. */
export const NO_CAMPAIGN = "";

export const ANOMALY_COLUMNS = ["position", "idx", "event_id", "event_type", "code", "message", "creator_id", "campaign_id"] as const;

export const earningsProjection: ProjectionDefinition = {
  name: "earnings",
  format: 4,
  tables: {
    creators: ["creator_id"],
    totals: ["creator_id", "marketplace"],
    months: ["creator_id", "marketplace", "month"],
    campaigns: ["creator_id", "campaign_id", "marketplace"],
    content: ["creator_id", "campaign_id"],
    anomalies: ["position", "idx"],
  },
  schema: (p, d) => `
    CREATE TABLE IF NOT EXISTS ${p}creators (creator_id TEXT PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS ${p}totals (creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, ${bucketColumnsDdl(d)}, PRIMARY KEY (creator_id, marketplace));
    CREATE TABLE IF NOT EXISTS ${p}months (creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, month TEXT NOT NULL, ${bucketColumnsDdl(d)}, PRIMARY KEY (creator_id, marketplace, month));
    CREATE TABLE IF NOT EXISTS ${p}campaigns (creator_id TEXT NOT NULL, campaign_id TEXT NOT NULL, marketplace TEXT NOT NULL, ${bucketColumnsDdl(d)}, PRIMARY KEY (creator_id, campaign_id, marketplace));
    CREATE TABLE IF NOT EXISTS ${p}content (creator_id TEXT NOT NULL, campaign_id TEXT NOT NULL, qualified INTEGER NOT NULL, PRIMARY KEY (creator_id, campaign_id));
    CREATE TABLE IF NOT EXISTS ${p}anomalies (position BIGINT NOT NULL, idx INTEGER NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
      code TEXT NOT NULL, message TEXT NOT NULL, creator_id TEXT, campaign_id TEXT, PRIMARY KEY (position, idx));
  `,
  readIndexes: {
    anomalies_creator: "anomalies (creator_id, position)",
  },
  async apply(tx: ReadModelTx, p: string, outcomes: readonly Outcome[]) {
    const totals = new AdditiveRows(`${p}totals`, ["creator_id", "marketplace"], BUCKET_COLUMNS);
    const months = new AdditiveRows(`${p}months`, ["creator_id", "marketplace", "month"], BUCKET_COLUMNS);
    const campaigns = new AdditiveRows(`${p}campaigns`, ["creator_id", "campaign_id", "marketplace"], BUCKET_COLUMNS);
    const zero = BUCKET_COLUMNS.map(() => 0);
    const creators = new Set<string>();
    const content = new Map<string, SqlValue[]>(); // the last word of the batch per pair
    const anomalies: SqlValue[][] = [];
    for (const o of outcomes) {
      for (const post of o.postings) {
        if (post.creatorId === null) continue; // a campaign's own entries (budget funding, returns)
        creators.add(post.creatorId);
        if (!movesBuckets(post.kind)) continue; // payouts: in the journal, not in earnings
        const d = bucketDeltas(post.kind, post.amountMinor);
        totals.add([post.creatorId, post.marketplace], d);
        if (post.earningMonth !== null) months.add([post.creatorId, post.marketplace, post.earningMonth], d);
        campaigns.add([post.creatorId, post.campaignId ?? NO_CAMPAIGN, post.marketplace], d);
      }
      for (const fact of o.facts) {
        if (fact.kind === "acceptance") {
          // An accepted campaign shows in the creator's earnings even before it earns anything.
          creators.add(fact.creatorId);
          totals.add([fact.creatorId, fact.marketplace], zero);
          campaigns.add([fact.creatorId, fact.campaignId, fact.marketplace], zero);
        } else if (fact.kind === "content") {
          content.set(`${fact.creatorId}\u0000${fact.campaignId}`, [fact.creatorId, fact.campaignId, fact.qualified ? 1 : 0]);
        }
      }
      o.anomalies.forEach((a, idx) => {
        if (a.creatorId !== null) creators.add(a.creatorId);
        anomalies.push([a.position, idx, a.eventId, a.eventType, a.code, a.message, a.creatorId, a.campaignId]);
      });
    }
    await insertIgnore(tx, `${p}creators`, ["creator_id"], [...creators].map((c) => [c]));
    await totals.write(tx);
    await months.write(tx);
    await campaigns.write(tx);
    await tx.runMany(
      `INSERT INTO ${p}content (creator_id, campaign_id, qualified) VALUES (?, ?, ?) ON CONFLICT (creator_id, campaign_id) DO UPDATE SET qualified = excluded.qualified`,
      [...content.values()],
    );
    await insertIgnore(tx, `${p}anomalies`, ANOMALY_COLUMNS, anomalies);
  },
};
