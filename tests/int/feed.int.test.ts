// The change feed (SPEC §11) over random valid histories (tests/support/arbitraries.ts), projected by
// a real runner into SQLite read models and paged with the query GET /v1/feed uses, at random page
// sizes from position 0:
//   - every journal entry and every anomaly is seen exactly once, in (position, seq) order, and the
//     items of a position are numbered 0..n-1: its entries, then its anomalies;
//   - resuming after any item's cursor gives exactly what follows it;
//   - per creator and marketplace, the feed's amounts (each kind's effect written out by hand from
//     SPEC §4-5, tests/support/ledgerSums.ts) sum to that creator's earnings;
//   - once caught up, nextAfter is the position read up to, and polling with it returns nothing.
// And one fixed history pages identically on SQLite and PostgreSQL read models.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anomaliesAfter } from "../../projections/anomalies.ts";
import { earningsOf } from "../../projections/earnings/earningsQueries.ts";
import { ledgerOf } from "../../projections/journal/journalQueries.ts";
import { feedAfter, type FeedItem } from "../../projections/journal/feedQueries.ts";
import type { ReadModelDb } from "../../infra/readModel/port.ts";
import { parseCursor as cursor } from "../../services/http/readRoutes.ts";
import { sequenceArb } from "../support/arbitraries.ts";
import { accepted, campaignCreated, click, shipped } from "../support/domainFixtures.ts";
import { add, ledgerEffect, minor, sumsOf, zero, type Sums } from "../support/ledgerSums.ts";
import { appendRaw, catchUp, prefixes, withEnv, type ReadModelKind } from "../support/projectionHarness.ts";

const SEED = 0x11_11_2026;
const RUNS = 20;
const PAGE_SIZES = [1, 2, 7, 50, 1_000];

/** Every item from position 0, a page of `limit` at a time, and the last nextAfter. */
async function pageAll(
  db: ReadModelDb,
  prefix: string,
  upTo: number,
  limit: number,
): Promise<{ items: FeedItem[]; nextAfter: string; pages: number }> {
  const items: FeedItem[] = [];
  let after = "0";
  for (let pages = 1; ; pages += 1) {
    const page = await feedAfter(db, prefix, cursor(after), upTo, limit);
    items.push(...page.items);
    after = page.nextAfter;
    if (page.items.length < limit) return { items, nextAfter: after, pages };
  }
}

describe("the change feed over random histories (SQLite)", () => {
  it("sees every entry and anomaly once, in order, numbered per position; its amounts sum to each creator's earnings", async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArb({ maxCommands: 50 }), fc.constantFrom(...PAGE_SIZES), fc.nat(), async (s, limit, resumeAt) => {
        await withEnv("sqlite", async (env) => {
          const head = (await appendRaw(env.store, s.events)).lastPosition;
          await catchUp(env.store, env.dbs);
          const p = await prefixes(env.dbs);
          const journal = env.dbs.journal;
          const { items, nextAfter } = await pageAll(journal, p.journal, head, limit);

          // Exactly the journal's entries and anomalies.
          const count = async (table: string) =>
            Number((await journal.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${p.journal}${table}`))[0]!.n);
          expect(items.filter((i) => i.type === "posting.created").length).toBe(await count("entries"));
          expect(items.filter((i) => i.type === "anomaly.recorded").length).toBe(await count("anomalies"));
          expect(new Set(items.map((i) => i.entryId)).size).toBe(items.length);

          // In order; each position's items are 0..n-1, its entries before its anomalies.
          for (let i = 0; i < items.length; i += 1) {
            const item = items[i]!;
            const previous = items[i - 1];
            expect(item.entryId).toBe(`${item.position}:${item.seq}`);
            if (previous === undefined || previous.position !== item.position) expect(item.seq, item.entryId).toBe(0);
            else {
              expect(item.seq, item.entryId).toBe(previous.seq + 1);
              expect(previous.type === "anomaly.recorded" && item.type === "posting.created", `${item.entryId} after an anomaly`).toBe(
                false,
              );
            }
            if (previous !== undefined) expect(item.position).toBeGreaterThanOrEqual(previous.position);
          }

          // Resuming after any item's cursor gives exactly the rest.
          if (items.length > 0) {
            const k = resumeAt % items.length;
            const rest = await feedAfter(journal, p.journal, { position: items[k]!.position, seq: items[k]!.seq }, head, 1_000);
            expect(rest.items.map((i) => i.entryId)).toEqual(items.slice(k + 1, k + 1 + 1_000).map((i) => i.entryId));
          }

          // Caught up: nextAfter is the head, and polling with it finds nothing new.
          expect(nextAfter).toBe(String(head));
          expect(await feedAfter(journal, p.journal, cursor(nextAfter), head, limit)).toEqual({ items: [], nextAfter: String(head) });

          // Per creator and marketplace, the feed's amounts are the creator's earnings.
          const fromFeed = new Map<string, Sums>();
          for (const item of items) {
            if (item.type !== "posting.created" || item.creatorId === null) continue;
            if (item.kind === "payout" || item.kind === "payout_failed") continue; // money paid, not earned (SPEC §8.1)
            const key = `${item.creatorId}/${item.marketplace}`;
            const sums = fromFeed.get(key) ?? zero();
            add(sums, ledgerEffect(item.kind, minor(item.amount)));
            fromFeed.set(key, sums);
          }
          const creators = (
            await env.dbs.earnings.query<{ creator_id: string }>(`SELECT creator_id FROM ${p.earnings}creators ORDER BY creator_id`)
          ).map((r) => r.creator_id);
          const fromEarnings = new Map<string, Sums>();
          for (const creatorId of creators) {
            for (const m of await earningsOf(env.dbs.earnings, p.earnings, creatorId))
              fromEarnings.set(`${creatorId}/${m.marketplace}`, sumsOf(m.totals));
          }
          for (const [key, sums] of fromFeed) expect(sums, key).toEqual(fromEarnings.get(key));
          for (const [key, sums] of fromEarnings) expect(sums, key).toEqual(fromFeed.get(key) ?? zero());
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe("the change feed on SQLite and PostgreSQL read models", () => {
  it("one history pages identically on both, at every page size", async () => {
    const [history] = fc.sample(sequenceArb({ minCommands: 40, maxCommands: 60 }), { seed: SEED, numRuns: 1 });
    const pagesOf = (kind: ReadModelKind) =>
      withEnv(kind, async (env) => {
        const head = (await appendRaw(env.store, history!.events)).lastPosition;
        await catchUp(env.store, env.dbs);
        const p = await prefixes(env.dbs);
        const out = [];
        for (const limit of PAGE_SIZES) out.push(await pageAll(env.dbs.journal, p.journal, head, limit));
        return out;
      });
    const sqlite = await pagesOf("sqlite");
    expect(sqlite[0]!.items.length).toBeGreaterThan(20);
    expect(await pagesOf("postgres")).toEqual(sqlite);
  });

  it("a cursor that skips a whole position (after=P) is a valid INTEGER parameter on PostgreSQL: the ledger and the anomalies page too", async () => {
    await withEnv("postgres", async (env) => {
      const head = (
        await appendRaw(env.store, [
          campaignCreated(),
          accepted(),
          shipped({ shipmentId: "S1" }),
          shipped({ shipmentId: "S2" }),
          click({ trackingId: "T-none" }),
        ])
      ).lastPosition;
      await catchUp(env.store, env.dbs);
      const p = await prefixes(env.dbs);
      const after = cursor("3");
      expect((await ledgerOf(env.dbs.journal, p.journal, "K1", after, head, 10)).entries.map((e) => e.entryId)).toEqual(["4:0", "4:1"]);
      expect(
        (await anomaliesAfter(env.dbs.journal, p.journal, { position: after.position, idx: after.seq }, head, 10)).anomalies.map(
          (a) => a.position,
        ),
      ).toEqual([5]);
      expect((await feedAfter(env.dbs.journal, p.journal, after, head, 10)).items.map((i) => i.entryId)).toEqual(["4:0", "4:1", "5:0"]);
    });
  });
});
