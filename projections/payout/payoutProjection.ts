// Payout read model (SPEC §4 rules 10-11, §5 payout, §8.4-8.5): per creator and marketplace the
// payable amount of each earning month, pending bonus, tax info and payment method; every payout
// with its status (issued, or failed and why).
import { payableDelta, pendingDelta } from "../../domain/journal/entryKinds.ts";
import { payableOn } from "../../domain/calendar.ts";
import type { Outcome } from "../../domain/engine/outcome.ts";
import { moneyColumn, type ReadModelTx, type SqlValue } from "../../infra/readModel/port.ts";
import { AdditiveRows, insertIgnore } from "../additive.ts";
import type { ProjectionDefinition } from "../projection.ts";

export const payoutProjection: ProjectionDefinition = {
  name: "payout",
  format: 4,
  tables: { accounts: ["creator_id", "marketplace"], months: ["creator_id", "marketplace", "month", "payable_on"], payouts: ["payout_id"] },
  schema: (p, d) => `
    CREATE TABLE IF NOT EXISTS ${p}accounts (creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, tax_info INTEGER NOT NULL DEFAULT 0,
      method TEXT, ${moneyColumn("bonus_pending", d)}, PRIMARY KEY (creator_id, marketplace));
    CREATE TABLE IF NOT EXISTS ${p}months (creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, month TEXT NOT NULL, payable_on TEXT NOT NULL,
      ${moneyColumn("payable", d)}, PRIMARY KEY (creator_id, marketplace, month, payable_on));
    CREATE TABLE IF NOT EXISTS ${p}payouts (payout_id TEXT PRIMARY KEY, creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, amount BIGINT NOT NULL,
      date TEXT NOT NULL, position BIGINT NOT NULL, failed_position BIGINT, failed_reason TEXT);
  `,
  readIndexes: {
    accounts_marketplace: "accounts (marketplace, creator_id)",
    payouts_creator: "payouts (creator_id, marketplace, date)",
  },
  async apply(tx: ReadModelTx, p: string, outcomes: readonly Outcome[]) {
    const accounts = new AdditiveRows(`${p}accounts`, ["creator_id", "marketplace"], ["bonus_pending"]);
    const months = new AdditiveRows(`${p}months`, ["creator_id", "marketplace", "month", "payable_on"], ["payable"]);
    const payouts: SqlValue[][] = [];
    const failures: SqlValue[][] = [];
    const settings: { sql: string; row: SqlValue[] }[] = [];
    for (const o of outcomes) {
      for (const post of o.postings) {
        // Payouts count through their facts (paid, failed); budget entries belong to no creator.
        if (post.creatorId === null || post.earningMonth === null) continue;
        months.add([post.creatorId, post.marketplace, post.earningMonth, payableOn(post.earningMonth)], [payableDelta(post.kind, post.amountMinor)]);
        // Pending bonus is what the report counts as bonus but is not yet payable.
        accounts.add([post.creatorId, post.marketplace], [pendingDelta(post.kind, post.amountMinor)]);
      }
      for (const f of o.facts) {
        if (f.kind === "acceptance") accounts.add([f.creatorId, f.marketplace], [0]);
        else if (f.kind === "payout") {
          accounts.add([f.creatorId, f.marketplace], [0]);
          payouts.push([f.payoutId, f.creatorId, f.marketplace, f.amountMinor, f.date, o.position]);
        } else if (f.kind === "payout_failed") {
          failures.push([o.position, f.reason, f.payoutId]);
        } else if (f.kind === "tax_info") {
          settings.push({ sql: `INSERT INTO ${p}accounts (creator_id, marketplace, tax_info) VALUES (?, ?, 1) ON CONFLICT (creator_id, marketplace) DO UPDATE SET tax_info = 1`, row: [f.creatorId, f.marketplace] });
        } else if (f.kind === "payment_method") {
          settings.push({ sql: `INSERT INTO ${p}accounts (creator_id, marketplace, method) VALUES (?, ?, ?) ON CONFLICT (creator_id, marketplace) DO UPDATE SET method = excluded.method`, row: [f.creatorId, f.marketplace, f.method] });
        }
      }
    }
    await accounts.write(tx);
    await months.write(tx);
    // Settings are last-write-wins, so they apply in position order after the additive rows.
    for (const s of settings) await tx.run(s.sql, s.row);
    await insertIgnore(tx, `${p}payouts`, ["payout_id", "creator_id", "marketplace", "amount", "date", "position"], payouts);
    // After the inserts: a payout and its failure may come in one batch.
    await tx.runMany(`UPDATE ${p}payouts SET failed_position = ?, failed_reason = ? WHERE payout_id = ?`, failures);
  },
};
