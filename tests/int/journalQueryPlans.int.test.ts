// The journal's point-in-time probes must walk one owner's index, never every fact of a kind: SQLite
// plans without statistics, and with an index on every fact's kind it answered "has this creator an
// acceptance up to P" by walking every acceptance up to P (11–19 ms at 1M events; docs/scaling.md,
// "Figures behind code comments", journalProjection.ts). The plans do not depend on the data's size.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlValue } from "../../infra/readModel/port.ts";
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

  const plan = async (sql: string, params: SqlValue[]) =>
    (await env.dbs.journal.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join(" | ");

  it("a creator's acceptance up to P is looked up in the creator's own facts", async () => {
    expect(await plan(`SELECT 1 FROM ${p}facts WHERE creator_id = ? AND position <= ? AND kind = 'acceptance' LIMIT 1`, ["cr-1", 10])).toBe(
      `SEARCH ${p}facts USING COVERING INDEX ${p}facts_creator (creator_id=? AND kind=?)`,
    );
  });

  it("the holds as of P read the partial index of holds and releases, in order", async () => {
    expect(
      await plan(
        `SELECT position, kind, creator_id FROM ${p}facts WHERE kind IN ('hold', 'release') AND position <= ? ORDER BY position, seq`,
        [10],
      ),
    ).toBe(`SEARCH ${p}facts USING INDEX ${p}facts_holds (position<?)`);
  });
});
