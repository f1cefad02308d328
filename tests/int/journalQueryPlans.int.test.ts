// The journal's point-in-time probes must walk one owner's index, never every fact of a kind: SQLite
// plans without statistics, and with an index on every fact's kind it answered "has this creator an
// acceptance up to P" by walking every acceptance up to P (11–19 ms at 1M events; docs/scaling.md,
// "Figures behind code comments", journalProjection.ts). The plans do not depend on the data's size.
// The statements planned are the ones the reads send (recorded as they run), not copies of them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReadModelTx, SqlValue } from "../../infra/readModel/port.ts";
import { creatorKnownAt } from "../../projections/earnings/earningsAt.ts";
import { standingHoldsAt } from "../../projections/payout/payoutAt.ts";
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

  /** Runs `read` against the journal and answers the query plan of each statement it sent that reads `facts`. */
  const factsPlans = async (read: (tx: ReadModelTx) => Promise<unknown>): Promise<string[]> => {
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
    for (const [sql, params] of sent.filter(([sql]) => sql.includes(`${p}facts`)))
      plans.push((await journal.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join(" | "));
    return plans;
  };

  it("a creator's acceptance up to P is looked up in the creator's own facts", async () => {
    // A creator with no entry: every probe of creatorKnownAt runs, the acceptance one among them.
    expect(await factsPlans((tx) => creatorKnownAt(tx, p, "cr-nobody", 10))).toEqual([
      `SEARCH ${p}facts USING COVERING INDEX ${p}facts_creator (creator_id=? AND kind=?)`,
    ]);
  });

  it("the holds as of P read the partial index of holds and releases, in order", async () => {
    expect(await factsPlans((tx) => standingHoldsAt(tx, p, 10))).toEqual([`SEARCH ${p}facts USING INDEX ${p}facts_holds (position<?)`]);
  });
});
