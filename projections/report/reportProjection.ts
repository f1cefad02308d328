// Daily report read model (SPEC §5 report): per creator, local date and campaign.
import { reportEffect } from "../../domain/journal/entryKinds.ts";
import type { Outcome } from "../../domain/engine/outcome.ts";
import { moneyColumn, type ReadModelTx, type SqlValue } from "../../infra/readModel/port.ts";
import { AdditiveRows, insertIgnore } from "../additive.ts";
import type { ProjectionDefinition } from "../projection.ts";

const MONEY_VALUES = ["revenue", "earnings", "spend"] as const;
const VALUES = ["clicks", "units", ...MONEY_VALUES] as const;

export const reportProjection: ProjectionDefinition = {
  name: "report",
  format: 4,
  tables: { days: ["creator_id", "date", "campaign_id", "marketplace"], orders: ["creator_id", "date", "campaign_id", "order_id"] },
  schema: (p, d) => `
    CREATE TABLE IF NOT EXISTS ${p}days (creator_id TEXT NOT NULL, date TEXT NOT NULL, campaign_id TEXT NOT NULL, marketplace TEXT NOT NULL,
      clicks BIGINT NOT NULL DEFAULT 0, units BIGINT NOT NULL DEFAULT 0, ${MONEY_VALUES.map((v) => moneyColumn(v, d)).join(", ")}, PRIMARY KEY (creator_id, date, campaign_id, marketplace));
    CREATE TABLE IF NOT EXISTS ${p}orders (creator_id TEXT NOT NULL, date TEXT NOT NULL, campaign_id TEXT NOT NULL, order_id TEXT NOT NULL,
      PRIMARY KEY (creator_id, date, campaign_id, order_id));
  `,
  readIndexes: {
    days_campaign: "days (campaign_id, date)",
  },
  async apply(tx: ReadModelTx, p: string, outcomes: readonly Outcome[]) {
    const days = new AdditiveRows(`${p}days`, ["creator_id", "date", "campaign_id", "marketplace"], VALUES);
    const orders: SqlValue[][] = [];
    for (const o of outcomes) {
      for (const post of o.postings) {
        // Entries not in the report (budget, payouts, adjustments) have no report date.
        if (post.reportDate === null || post.creatorId === null || post.campaignId === null) continue;
        const { earningsMinor, spendMinor } = reportEffect(post.kind, post.amountMinor);
        if (earningsMinor === 0 && spendMinor === 0 && post.units === 0 && post.revenueMinor === 0 && post.kind !== "standard") continue;
        days.add([post.creatorId, post.reportDate, post.campaignId, post.marketplace], [0, post.units, post.revenueMinor, earningsMinor, spendMinor]);
      }
      for (const f of o.facts) {
        if (f.kind === "click") days.add([f.creatorId, f.reportDate, f.campaignId, f.marketplace], [1, 0, 0, 0, 0]);
        else if (f.kind === "shipment") orders.push([f.creatorId, f.reportDate, f.campaignId, f.orderId]);
      }
    }
    await days.write(tx);
    await insertIgnore(tx, `${p}orders`, ["creator_id", "date", "campaign_id", "order_id"], orders);
  },
};
