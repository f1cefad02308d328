// Payout read model (SPEC §4 rules 10-11, §5 payout, §8.4-8.5): per creator and marketplace the
// payable amount of each earning month, pending bonus, tax info and payment method; every payout
// with its status (issued, or failed and why), written from its fold (fold.ts).
import type { Fact, Outcome } from "../../domain/engine/outcome.ts";
import { moneyColumn, type ReadModelTx } from "../../infra/readModel/port.ts";
import { insertIgnore } from "../additive.ts";
import { PayoutFold, type PayoutFact } from "./fold.ts";
import type { ProjectionDefinition } from "../projection.ts";

const PAYOUT_FACT_KINDS: ReadonlySet<Fact["kind"]> = new Set([
  "acceptance",
  "tax_info",
  "payment_method",
  "payout",
  "payout_failed",
] satisfies PayoutFact["kind"][]);

function isPayoutFact(f: Fact): f is Fact & PayoutFact {
  return PAYOUT_FACT_KINDS.has(f.kind);
}

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
    const fold = new PayoutFold();
    for (const o of outcomes) {
      for (const post of o.postings) fold.entry(post);
      for (const f of o.facts) if (isPayoutFact(f)) fold.fact(f, o.position);
    }
    await fold.accounts.write(tx, `${p}accounts`);
    await fold.months.write(tx, `${p}months`);
    for (const s of fold.settings.values()) {
      if (s.taxInfo)
        await tx.run(
          `INSERT INTO ${p}accounts (creator_id, marketplace, tax_info) VALUES (?, ?, 1) ON CONFLICT (creator_id, marketplace) DO UPDATE SET tax_info = 1`,
          [s.creatorId, s.marketplace],
        );
      if (s.method !== null) {
        await tx.run(
          `INSERT INTO ${p}accounts (creator_id, marketplace, method) VALUES (?, ?, ?) ON CONFLICT (creator_id, marketplace) DO UPDATE SET method = excluded.method`,
          [s.creatorId, s.marketplace, s.method],
        );
      }
    }
    const payouts = fold.payouts.map((x) => [x.payoutId, x.creatorId, x.marketplace, x.amountMinor, x.date, x.position]);
    await insertIgnore(tx, `${p}payouts`, ["payout_id", "creator_id", "marketplace", "amount", "date", "position"], payouts);
    // After the inserts: a payout and its failure may come in one batch.
    await tx.runMany(
      `UPDATE ${p}payouts SET failed_position = ?, failed_reason = ? WHERE payout_id = ?`,
      fold.failures.map((f) => [f.position, f.reason, f.payoutId]),
    );
  },
};
