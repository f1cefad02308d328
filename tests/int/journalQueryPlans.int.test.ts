// The journal's point-in-time probes must walk one owner's index, never every fact of a kind: SQLite
// plans without statistics, and with an index on every fact's kind it answered "has this creator an
// acceptance up to P" by walking every acceptance up to P (11–19 ms at 1M events; docs/scaling.md,
// "Figures behind code comments", journalProjection.ts). The plans do not depend on the data's size.
// The statements planned are the ones the reads send (recorded as they run), not copies of them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReadModelTx, SqlValue } from "../../infra/readModel/port.ts";
import { creatorKnownAt } from "../../projections/earnings/earningsAt.ts";
import { standingHoldsAt } from "../../projections/payout/payoutAt.ts";
import { reportRowsAt } from "../../projections/report/reportAt.ts";
import { FIXTURE, activePrefix, appendRaw, catchUp, openEnv, type ProjectionEnv } from "../support/projectionHarness.ts";

describe("journal query plans (SQLite)", () => {
  let env: ProjectionEnv;
  let p: string;

  beforeAll(async () => {
    env = await openEnv("sqlite");
    await appendRaw(env.store, FIXTURE);
    await catchUp(env.store, env.dbs);
    p = await activePrefix(env.dbs.journal, "journal");
  });

  afterAll(async () => {
    await env?.close();
  });

  /** Runs `read` against the journal and answers the query plan of each statement it sent that reads `table`. */
  const plansOf = async (read: (tx: ReadModelTx) => Promise<unknown>, table = "facts"): Promise<string[]> => {
    const journal = env.dbs.journal;
    const sent: [string, readonly SqlValue[]][] = [];
    await read({
      run: (sql, params) => journal.run(sql, params),
      runMany: (sql, rows) => journal.runMany(sql, rows),
      query: (sql, params = []) => {
        sent.push([sql, params]);
        return journal.query(sql, params);
      },
    });
    const plans: string[] = [];
    for (const [sql, params] of sent.filter(([sql]) => new RegExp(`\\b${p}${table}\\b`).test(sql)))
      plans.push((await journal.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join(" | "));
    return plans;
  };

  it("a creator's acceptance up to P is looked up in the creator's own facts", async () => {
    // A creator with no entry: every probe of creatorKnownAt runs, the acceptance one among them.
    expect(await plansOf((tx) => creatorKnownAt(tx, p, "cr-nobody", 10))).toEqual([
      `SEARCH ${p}facts USING COVERING INDEX ${p}facts_creator (creator_id=? AND kind=?)`,
    ]);
  });

  it("the holds as of P read the partial index of holds and releases, in order", async () => {
    expect(await plansOf((tx) => standingHoldsAt(tx, p, 10))).toEqual([`SEARCH ${p}facts USING INDEX ${p}facts_holds (position<?)`]);
  });

  it("a report's clicks and orders as of P seek each day of the range in the owner's day facts", async () => {
    const days = (scope: Parameters<typeof reportRowsAt>[2]) =>
      plansOf((tx) => reportRowsAt(tx, p, scope, "2026-01-01", "2026-03-31", 10), "day_facts");
    // Clicks are counted per day and key, orders listed once per day and key: SQLite groups them in a temporary B-tree.
    const plans = (index: string, owner: string) => [
      `SEARCH ${p}day_facts USING COVERING INDEX ${p}${index} (date=? AND ${owner}=? AND kind=? AND position<?) | USE TEMP B-TREE FOR GROUP BY`,
      `SEARCH ${p}day_facts USING COVERING INDEX ${p}${index} (date=? AND ${owner}=? AND kind=? AND position<?) | USE TEMP B-TREE FOR DISTINCT`,
    ];
    expect(await days({ creatorId: "cr-1", campaignId: null })).toEqual(plans("day_facts_creator", "creator_id"));
    expect(await days({ creatorId: "cr-1", campaignId: "cmp-1" })).toEqual(plans("day_facts_campaign", "campaign_id")); // either owner would do
    expect(await days({ campaignId: "cmp-1" })).toEqual(plans("day_facts_campaign", "campaign_id"));
  });
});
