// Budget read model (SPEC §5 budget): one row per campaign, the engine's budget after each event.
import { instantMs } from "../../domain/calendar.ts";
import type { Outcome } from "../../domain/engine/outcome.ts";
import type { ReadModelTx, SqlValue } from "../../infra/readModel/port.ts";
import type { ProjectionDefinition } from "../projection.ts";

export const budgetProjection: ProjectionDefinition = {
  name: "budget",
  format: 1,
  tables: { campaigns: ["campaign_id"] },
  // ends_at feeds the campaign-end scheduler (services/scheduler.ts).
  schema: (p) => `
    CREATE TABLE IF NOT EXISTS ${p}campaigns (campaign_id TEXT PRIMARY KEY, marketplace TEXT NOT NULL, budget BIGINT NOT NULL,
      ends_at TEXT NOT NULL, ends_at_ms BIGINT NOT NULL, spent BIGINT NOT NULL DEFAULT 0, released BIGINT NOT NULL DEFAULT 0, exhausted_at TEXT, ended INTEGER NOT NULL DEFAULT 0);
  `,
  async apply(tx: ReadModelTx, p: string, outcomes: readonly Outcome[]) {
    const created: SqlValue[][] = [];
    const latest = new Map<string, SqlValue[]>(); // last budget of the batch per campaign
    const ended: SqlValue[][] = [];
    for (const o of outcomes) {
      for (const f of o.facts) {
        if (f.kind === "campaign") created.push([f.campaignId, f.marketplace, f.budgetMinor, f.endsAt, instantMs(f.endsAt)]);
        else if (f.kind === "budget") latest.set(f.campaignId, [f.spentMinor, f.releasedMinor, f.exhaustedAt, f.campaignId]);
        else if (f.kind === "campaign_ended") ended.push([f.campaignId]);
      }
    }
    await tx.runMany(`INSERT INTO ${p}campaigns (campaign_id, marketplace, budget, ends_at, ends_at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, created);
    await tx.runMany(`UPDATE ${p}campaigns SET spent = ?, released = ?, exhausted_at = ? WHERE campaign_id = ?`, [...latest.values()]);
    await tx.runMany(`UPDATE ${p}campaigns SET ended = 1 WHERE campaign_id = ?`, ended);
  },
};
