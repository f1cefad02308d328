// Payout read model (SPEC §4 rules 10-11, §5 payout, §8.4-8.5, §12): per creator and marketplace the
// payable amount of each earning month, pending bonus, tax info, payment method and the creator's
// own threshold; every payout with its status (issued, or failed and why); the holds standing now
// (a release deletes its hold's row), written from its fold (fold.ts).
import type { Fact } from "../../domain/engine/outcome.ts";
import { idText, moneyColumn } from "../../infra/readModel/port.ts";
import { insertIgnore } from "../additive.ts";
import { PayoutFold, type PayoutFact } from "./fold.ts";
import type { ProjectionDefinition } from "../projection.ts";

const PAYOUT_FACT_KINDS: ReadonlySet<Fact["kind"]> = new Set([
  "acceptance",
  "tax_info",
  "payment_method",
  "payout",
  "payout_failed",
  "hold",
  "release",
  "threshold",
] satisfies PayoutFact["kind"][]);

function isPayoutFact(f: Fact): f is Fact & PayoutFact {
  return PAYOUT_FACT_KINDS.has(f.kind);
}

export const payoutProjection: ProjectionDefinition = {
  name: "payout",
  format: 6, // 5: own thresholds and holds (SPEC §12); 6: payout ids as code-point text (issue 27: GET /v1/search)
  tables: {
    accounts: ["creator_id", "marketplace"],
    months: ["creator_id", "marketplace", "month", "payable_on"],
    payouts: ["payout_id"],
    holds: ["creator_id", "scope"],
  },
  // holds.scope: the marketplace held, or '*' (ALL_MARKETPLACES) for every marketplace (a key column cannot be NULL).
  schema: (p, d) => `
    CREATE TABLE IF NOT EXISTS ${p}accounts (creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, tax_info INTEGER NOT NULL DEFAULT 0,
      method TEXT, ${moneyColumn("bonus_pending", d)}, own_threshold BIGINT, PRIMARY KEY (creator_id, marketplace));
    CREATE TABLE IF NOT EXISTS ${p}months (creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, month TEXT NOT NULL, payable_on TEXT NOT NULL,
      ${moneyColumn("payable", d)}, PRIMARY KEY (creator_id, marketplace, month, payable_on));
    CREATE TABLE IF NOT EXISTS ${p}payouts (payout_id ${idText(d)} PRIMARY KEY, creator_id TEXT NOT NULL, marketplace TEXT NOT NULL, amount BIGINT NOT NULL,
      date TEXT NOT NULL, position BIGINT NOT NULL, failed_position BIGINT, failed_reason TEXT);
    CREATE TABLE IF NOT EXISTS ${p}holds (creator_id TEXT NOT NULL, scope TEXT NOT NULL, reason_code TEXT NOT NULL, note TEXT NOT NULL,
      actor TEXT NOT NULL, since TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (creator_id, scope));
  `,
  readIndexes: {
    accounts_marketplace: "accounts (marketplace, creator_id)",
    payouts_creator: "payouts (creator_id, marketplace, date)",
    // GET /v1/search (issue 27): payout ids by their first characters, ignoring case.
    payouts_search: "payouts (lower(payout_id), payout_id)",
  },
  batch(_read, p) {
    const fold = new PayoutFold();
    return {
      async add(outcomes) {
        for (const o of outcomes) {
          for (const post of o.postings) fold.entry(post);
          for (const f of o.facts) if (isPayoutFact(f)) fold.fact(f, o.position);
        }
      },
      async write(tx) {
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
          if (s.thresholdSet)
            await tx.run(
              `INSERT INTO ${p}accounts (creator_id, marketplace, own_threshold) VALUES (?, ?, ?) ON CONFLICT (creator_id, marketplace) DO UPDATE SET own_threshold = excluded.own_threshold`,
              [s.creatorId, s.marketplace, s.thresholdMinor],
            );
        }
        for (const { creatorId, scope, standing: hold } of fold.holds.values()) {
          if (hold === null) {
            await tx.run(`DELETE FROM ${p}holds WHERE creator_id = ? AND scope = ?`, [creatorId, scope]);
          } else {
            await tx.run(
              `INSERT INTO ${p}holds (creator_id, scope, reason_code, note, actor, since, position) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (creator_id, scope) DO UPDATE SET reason_code = excluded.reason_code, note = excluded.note, actor = excluded.actor,
                 since = excluded.since, position = excluded.position`,
              [creatorId, scope, hold.reasonCode, hold.note, hold.actor, hold.since, hold.position],
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
  },
};
