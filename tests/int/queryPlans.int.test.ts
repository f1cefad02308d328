// Point-in-time probes and report reads must walk one owner's index entries, never every row of a
// kind or of a date range: SQLite plans without statistics, and with an index on every fact's kind it
// answered "has this creator an acceptance up to P" by walking every acceptance up to P (11–19 ms at
// 1M events; docs/scaling.md, "Figures behind code comments", journalProjection.ts). The report's
// rows and the journal's clicks and shipments are keyed date first, so their reads must seek each day
// for the owner. The plans do not depend on the data's size. The statements planned are the ones the
// reads send (recorded as they run), not copies of them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReadModelDb, ReadModelTx, SqlValue } from "../../infra/readModel/port.ts";
import { creatorKnownAt } from "../../projections/earnings/earningsAt.ts";
import { standingHoldsAt } from "../../projections/payout/payoutAt.ts";
import { reportRowsAt } from "../../projections/report/reportAt.ts";
import { reportRowsOf } from "../../projections/report/reportQueries.ts";
import type { ReportScope } from "../../projections/report/reportScope.ts";
import { FIXTURE, activePrefix, appendRaw, catchUp, openEnv, type ProjectionEnv } from "../support/projectionHarness.ts";

/** Runs `read` against `db` and answers the query plan of each statement it sent that reads `table` (prefix included). */
async function plansOf(db: ReadModelDb, table: string, read: (tx: ReadModelTx) => Promise<unknown>): Promise<string[]> {
  const sent: [string, readonly SqlValue[]][] = [];
  await read({
    run: (sql, params) => db.run(sql, params),
    runMany: (sql, rows) => db.runMany(sql, rows),
    query: (sql, params = []) => {
      sent.push([sql, params]);
      return db.query(sql, params);
    },
  });
  const plans: string[] = [];
  for (const [sql, params] of sent.filter(([sql]) => new RegExp(`\\b${table}\\b`).test(sql)))
    plans.push((await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join(" | "));
  return plans;
}

/** Each scope a report reads (SPEC §5, §9). */
const SCOPES = {
  creator: { creatorId: "cr-1", campaignId: null },
  creatorAndCampaign: { creatorId: "cr-1", campaignId: "cmp-1" },
  campaign: { campaignId: "cmp-1" },
} satisfies Record<string, ReportScope>;

describe("query plans (SQLite)", () => {
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

  const factsPlans = (read: (tx: ReadModelTx) => Promise<unknown>) => plansOf(env.dbs.journal, `${p}facts`, read);

  it("a creator's acceptance up to P is looked up in the creator's own facts", async () => {
    // A creator with no entry: every probe of creatorKnownAt runs, the acceptance one among them.
    expect(await factsPlans((tx) => creatorKnownAt(tx, p, "cr-nobody", 10))).toEqual([
      `SEARCH ${p}facts USING COVERING INDEX ${p}facts_creator (creator_id=? AND kind=?)`,
    ]);
  });

  it("the holds as of P read the partial index of holds and releases, in order", async () => {
    expect(await factsPlans((tx) => standingHoldsAt(tx, p, 10))).toEqual([`SEARCH ${p}facts USING INDEX ${p}facts_holds (position<?)`]);
  });

  it("a report's clicks and orders as of P seek each day of the range in the owner's day facts", async () => {
    // Clicks are counted per day and key, orders listed once per day and key: SQLite groups them in a temporary B-tree.
    const plans = (index: string, owner: string) => [
      `SEARCH ${p}day_facts USING COVERING INDEX ${p}${index} (date=? AND ${owner}=? AND kind=? AND position<?) | USE TEMP B-TREE FOR GROUP BY`,
      `SEARCH ${p}day_facts USING COVERING INDEX ${p}${index} (date=? AND ${owner}=? AND kind=? AND position<?) | USE TEMP B-TREE FOR DISTINCT`,
    ];
    const dayFactsPlans = (scope: ReportScope) =>
      plansOf(env.dbs.journal, `${p}day_facts`, (tx) => reportRowsAt(tx, p, scope, "2026-01-01", "2026-03-31", 10));
    expect(await dayFactsPlans(SCOPES.creator)).toEqual(plans("day_facts_creator", "creator_id"));
    expect(await dayFactsPlans(SCOPES.creatorAndCampaign)).toEqual(plans("day_facts_campaign", "campaign_id")); // either owner would do
    expect(await dayFactsPlans(SCOPES.campaign)).toEqual(plans("day_facts_campaign", "campaign_id"));
  });

  it("a report's day rows now seek each day of the range for the owner, and each row's orders by its key", async () => {
    const r = await activePrefix(env.dbs.report, "report");
    const daysPlans = (scope: ReportScope) =>
      plansOf(env.dbs.report, `${r}days`, (tx) => reportRowsOf(tx, r, scope, "2026-01-01", "2026-03-31"));
    const orders = `CORRELATED SCALAR SUBQUERY 1 | SEARCH o USING COVERING INDEX sqlite_autoindex_${r}orders_1 (date=? AND creator_id=? AND campaign_id=?)`;
    expect(await daysPlans(SCOPES.creator)).toEqual([
      `SEARCH d USING INDEX sqlite_autoindex_${r}days_1 (date=? AND creator_id=?) | ${orders}`,
    ]);
    expect(await daysPlans(SCOPES.creatorAndCampaign)).toEqual([
      `SEARCH d USING INDEX sqlite_autoindex_${r}days_1 (date=? AND creator_id=? AND campaign_id=?) | ${orders}`,
    ]);
    expect(await daysPlans(SCOPES.campaign)).toEqual([`SEARCH d USING INDEX ${r}days_campaign (campaign_id=? AND date=?) | ${orders}`]);
  });
});
