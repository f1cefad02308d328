// Earnings read model (SPEC §5 earnings, §8.4 adjusted): bucket totals per creator and marketplace,
// per earning month and per campaign, which campaigns' content counts, and anomalies per creator,
// written from its fold (fold.ts).
// The audit trail of every amount is the journal projection's (projections/journal).
import { idText } from "../../infra/readModel/port.ts";
import { insertIgnore } from "../additive.ts";
import { bucketColumnsDdl } from "../bucketColumns.ts";
import { EarningsFold } from "./fold.ts";
import type { ProjectionDefinition } from "../projection.ts";
import { AnomalyRows, anomaliesTableDdl } from "../anomalies.ts";

export const earningsProjection: ProjectionDefinition = {
  name: "earnings",
  format: 5, // 5: creators' first position and code-point ids (issue 27: GET /v1/creators, GET /v1/search)
  tables: {
    creators: ["creator_id"],
    totals: ["creator_id", "marketplace"],
    months: ["creator_id", "marketplace", "month"],
    campaigns: ["creator_id", "campaign_id", "marketplace"],
    content: ["creator_id", "campaign_id"],
    anomalies: ["position", "idx"],
  },
  schema: (p, d) => `
    CREATE TABLE IF NOT EXISTS ${p}creators (creator_id ${idText(d)} PRIMARY KEY, position BIGINT NOT NULL);
    CREATE TABLE IF NOT EXISTS ${p}totals (creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, ${bucketColumnsDdl(d)}, PRIMARY KEY (creator_id, marketplace));
    CREATE TABLE IF NOT EXISTS ${p}months (creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, month TEXT NOT NULL, ${bucketColumnsDdl(d)}, PRIMARY KEY (creator_id, marketplace, month));
    CREATE TABLE IF NOT EXISTS ${p}campaigns (creator_id TEXT NOT NULL, campaign_id TEXT NOT NULL, marketplace TEXT NOT NULL, ${bucketColumnsDdl(d)}, PRIMARY KEY (creator_id, campaign_id, marketplace));
    CREATE TABLE IF NOT EXISTS ${p}content (creator_id TEXT NOT NULL, campaign_id TEXT NOT NULL, qualified INTEGER NOT NULL, PRIMARY KEY (creator_id, campaign_id));
    ${anomaliesTableDdl(p)}
  `,
  readIndexes: {
    anomalies_creator: "anomalies (creator_id, position)",
    // GET /v1/search (issue 27): creator ids by their first characters, ignoring case.
    creators_search: "creators (lower(creator_id), creator_id)",
  },
  batch(_read, p) {
    const fold = new EarningsFold();
    const anomalies = new AnomalyRows();
    return {
      async add(outcomes) {
        for (const o of outcomes) {
          fold.at(o.position);
          for (const post of o.postings) fold.entry(post);
          for (const f of o.facts) if (f.kind === "acceptance" || f.kind === "content") fold.fact(f);
          for (const a of o.anomalies) if (a.creatorId !== null) fold.creator(a.creatorId);
          anomalies.add(o);
        }
      },
      async write(tx) {
        await insertIgnore(
          tx,
          `${p}creators`,
          ["creator_id", "position"],
          [...fold.creators].map(([creatorId, position]) => [creatorId, position]),
        );
        await fold.totals.write(tx, `${p}totals`);
        await fold.months.write(tx, `${p}months`);
        await fold.campaigns.write(tx, `${p}campaigns`);
        await tx.runMany(
          `INSERT INTO ${p}content (creator_id, campaign_id, qualified) VALUES (?, ?, ?) ON CONFLICT (creator_id, campaign_id) DO UPDATE SET qualified = excluded.qualified`,
          [...fold.content.values()].map((c) => [c.creatorId, c.campaignId, c.qualified ? 1 : 0]),
        );
        await anomalies.write(tx, p);
      },
    };
  },
};
