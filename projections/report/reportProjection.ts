// Daily report read model (SPEC §5 report): per creator, local date and campaign, written from its
// fold (fold.ts).
import { moneyColumn } from "../../infra/readModel/port.ts";
import { insertIgnore } from "../additive.ts";
import { DAY_KEY, ORDER_COLUMNS, REPORT_MONEY_VALUES, ReportFold } from "./fold.ts";
import type { ProjectionDefinition } from "../projection.ts";

export const reportProjection: ProjectionDefinition = {
  name: "report",
  // 5: keyed date first, so a batch's upserts land among the newest dates' pages, not each
  // creator's (docs/scaling.md, "Following the store"); reads name their days (datesWhere).
  format: 5,
  tables: { days: [...DAY_KEY], orders: [...ORDER_COLUMNS] },
  schema: (p, d) => `
    CREATE TABLE IF NOT EXISTS ${p}days (creator_id TEXT NOT NULL, date TEXT NOT NULL, campaign_id TEXT NOT NULL, marketplace TEXT NOT NULL,
      clicks BIGINT NOT NULL DEFAULT 0, units BIGINT NOT NULL DEFAULT 0, ${REPORT_MONEY_VALUES.map((v) => moneyColumn(v, d)).join(", ")}, PRIMARY KEY (date, creator_id, campaign_id, marketplace));
    CREATE TABLE IF NOT EXISTS ${p}orders (creator_id TEXT NOT NULL, date TEXT NOT NULL, campaign_id TEXT NOT NULL, order_id TEXT NOT NULL,
      PRIMARY KEY (date, creator_id, campaign_id, order_id));
  `,
  readIndexes: {
    days_campaign: "days (campaign_id, date)",
  },
  batch(_read, p) {
    const fold = new ReportFold();
    return {
      async add(outcomes) {
        for (const o of outcomes) {
          for (const post of o.postings) fold.entry(post);
          for (const f of o.facts) {
            if (f.kind === "click") fold.clicks(f);
            else if (f.kind === "shipment") fold.order(f, f.orderId);
          }
        }
      },
      async write(tx) {
        await fold.days.write(tx, `${p}days`);
        await insertIgnore(tx, `${p}orders`, ORDER_COLUMNS, [...fold.orders.values()]);
      },
    };
  },
};
