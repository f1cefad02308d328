// Property tests over the real projections (issue 7): random valid event sequences
// (tests/support/arbitraries.ts) appended to a real SQLite store through validation, projected by
// a real ProjectionRunner into SQLite read models (tests/support/projectionHarness.ts), and read
// back with the same query functions the HTTP API uses. Checks:
//   - earnings totals = Σ months = Σ campaigns = Σ audit-ledger entries, per creator, marketplace
//     and bucket (the bucket of each posting kind is written out here from SPEC §5);
//   - report totals = Σ rows; Σ report earnings = earnings total; Σ report spend of a campaign =
//     its budget's spent; budget spent + remaining = budget, remaining ≥ 0;
//   - sending a sequence twice, or with duplicates shuffled in and split into batches, gives the
//     same canonical exports as sending it once;
//   - a runner following the store live while events arrive in chunks = one clean catch-up.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReadModelTx } from "../../infra/readModel/port.ts";
import { budgetView, campaignRow } from "../../projections/budget/budgetQueries.ts";
import { earningsOf } from "../../projections/earnings/earningsQueries.ts";
import { ledgerOf as journalLedgerOf, LEDGER_PAGE_MAX } from "../../projections/journal/journalQueries.ts";
import { creatorReport, reportRowsOf } from "../../projections/report/reportQueries.ts";
import {
  appendRaw,
  catchUp,
  closeDbs,
  exportAll,
  makeRunner,
  openDbs,
  openEnv,
  prefixes,
  waitUntil,
  type ProjectionEnv,
} from "../support/projectionHarness.ts";
import { chunked, cutsArb, duplicateInsertsArb, sequenceArb, WINDOW_FIRST_DATE, WINDOW_LAST_DATE, withDuplicates, type RawEvent } from "../support/arbitraries.ts";
import { add, ledgerEffect, minor, sumsOf, zero, type Sums } from "../support/ledgerSums.ts";

const SEED = 0x07_15_2026;
const RUNS = 25;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

async function budgetOf(tx: ReadModelTx, prefix: string, campaignId: string) {
  const row = await campaignRow(tx, prefix, campaignId, "now");
  return row === null ? null : budgetView(row);
}

async function reportOf(tx: ReadModelTx, prefix: string, creatorId: string, from: string, to: string, campaignId: string | null) {
  return creatorReport(await reportRowsOf(tx, prefix, { creatorId, campaignId }, from, to));
}

/** Consecutive report windows of ≤ 90 days covering every date the generator can produce. */
function reportWindows(): [string, string][] {
  const out: [string, string][] = [];
  let from = Date.parse(`${WINDOW_FIRST_DATE}T00:00:00Z`);
  const last = Date.parse(`${WINDOW_LAST_DATE}T00:00:00Z`);
  while (from <= last) {
    const to = Math.min(from + 89 * 86_400_000, last);
    out.push([new Date(from).toISOString().slice(0, 10), new Date(to).toISOString().slice(0, 10)]);
    from = to + 86_400_000;
  }
  return out;
}

async function withEnv<T>(fn: (env: ProjectionEnv) => Promise<T>): Promise<T> {
  const env = await openEnv("sqlite");
  try {
    return await fn(env);
  } finally {
    await env.close();
  }
}

type Exports = Record<string, string>;
async function exportsOf(env: ProjectionEnv, dbs = env.dbs): Promise<Exports> {
  const all = await exportAll(dbs);
  return Object.fromEntries(Object.entries(all).map(([name, e]) => [name, e.text]));
}

/** Appends once, catches up in one runner, exports. */
async function projectOnce(events: readonly RawEvent[]): Promise<Exports> {
  return withEnv(async (env) => {
    await appendRaw(env.store, events);
    await catchUp(env.store, env.dbs);
    return exportsOf(env);
  });
}

function firstDifference(a: Exports, b: Exports): string | null {
  for (const name of Object.keys(a)) {
    if (a[name] === b[name]) continue;
    const la = a[name]!.split("\n");
    const lb = (b[name] ?? "").split("\n");
    for (let i = 0; i < Math.max(la.length, lb.length); i += 1) {
      if (la[i] !== lb[i]) return `${name} line ${i}:\n  expected ${la[i]}\n  actual   ${lb[i]}`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe("projection properties over random valid event sequences (SQLite)", () => {
  it("earnings totals = Σ months = Σ campaigns = Σ ledger entries; report totals = Σ rows; report and budget agree", async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArb({ maxCommands: 50 }), async (s) => {
        await withEnv(async (env) => {
          const head = (await appendRaw(env.store, s.events)).lastPosition;
          expect((await catchUp(env.store, env.dbs)).lastPosition).toBe(head);
          const p = await prefixes(env.dbs);
          const edb = env.dbs.earnings;
          const creators = (await edb.query<{ creator_id: string }>(`SELECT creator_id FROM ${p.earnings}creators ORDER BY creator_id`)).map((r) => r.creator_id);
          const reportSpendByCampaign = new Map<string, number>();

          for (const creatorId of creators) {
            const where = (what: string) => `${creatorId} ${what}`;
            const markets = await earningsOf(edb, p.earnings, creatorId);

            // The audit trail, every page.
            const fromLedger = new Map<string, Sums>(); // marketplace
            const fromLedgerMonth = new Map<string, Sums>(); // marketplace/month
            const fromLedgerCampaign = new Map<string, Sums>(); // marketplace/campaign
            let after = { position: 0, seq: -1 };
            for (;;) {
              const page = await journalLedgerOf(env.dbs.journal, p.journal, creatorId, after, Number.MAX_SAFE_INTEGER, LEDGER_PAGE_MAX);
              for (const e of page.entries) {
                if (e.kind === "payout" || e.kind === "payout_failed") continue; // not earnings (SPEC §8.1)
                const effect = ledgerEffect(e.kind, minor(e.amount));
                for (const [map, key] of [
                  [fromLedger, e.marketplace],
                  [fromLedgerMonth, `${e.marketplace}/${e.earningMonth}`],
                  [fromLedgerCampaign, `${e.marketplace}/${e.campaignId}`],
                ] as const) {
                  const acc = map.get(key) ?? zero();
                  add(acc, effect);
                  map.set(key, acc);
                }
              }
              if (page.nextAfter === null) break;
              const [pos, seq] = page.nextAfter.split(".").map(Number) as [number, number];
              after = { position: pos, seq };
            }

            // Every marketplace with audit entries has earnings (an acceptance alone may show zeros).
            for (const market of fromLedger.keys()) expect(markets.map((m) => m.marketplace), where("marketplaces")).toContain(market);
            for (const m of markets) {
              const totals = sumsOf(m.totals);
              const months = zero();
              for (const row of m.months) {
                const s = sumsOf(row);
                add(months, s);
                expect(s, where(`${m.marketplace} month ${row.month} vs ledger`)).toEqual(fromLedgerMonth.get(`${m.marketplace}/${row.month}`) ?? zero());
              }
              const campaigns = zero();
              for (const row of m.campaigns) {
                const s = sumsOf(row);
                add(campaigns, s);
                expect(s, where(`${m.marketplace} campaign ${row.campaignId} vs ledger`)).toEqual(fromLedgerCampaign.get(`${m.marketplace}/${row.campaignId}`) ?? zero());
              }
              expect(months, where(`${m.marketplace} Σ months`)).toEqual(totals);
              expect(campaigns, where(`${m.marketplace} Σ campaigns`)).toEqual(totals);
              expect(fromLedger.get(m.marketplace) ?? zero(), where(`${m.marketplace} Σ ledger`)).toEqual(totals);
            }

            // Report: totals = Σ rows in every window; over all windows Σ earnings = earnings total.
            const reportEarnings = new Map<string, number>();
            for (const [from, to] of reportWindows()) {
              const report = await reportOf(env.dbs.report, p.report, creatorId, from, to, null);
              const sums = new Map<string, { clicks: number; orders: number; units: number; revenue: number; earnings: number; spend: number }>();
              let previous = "";
              for (const row of report.rows) {
                const key = `${row.date}\u0000${row.campaignId}`;
                expect(key > previous, where(`report rows sorted by date, campaignId (${from}..${to})`)).toBe(true);
                previous = key;
                expect(row.date >= from && row.date <= to).toBe(true);
                const sm = sums.get(row.marketplace) ?? { clicks: 0, orders: 0, units: 0, revenue: 0, earnings: 0, spend: 0 };
                sm.clicks += row.clicks;
                sm.orders += row.orders;
                sm.units += row.units;
                sm.revenue += minor(row.revenue);
                sm.earnings += minor(row.earnings);
                sm.spend += minor(row.spend);
                sums.set(row.marketplace, sm);
                reportEarnings.set(row.marketplace, (reportEarnings.get(row.marketplace) ?? 0) + minor(row.earnings));
                reportSpendByCampaign.set(row.campaignId, (reportSpendByCampaign.get(row.campaignId) ?? 0) + minor(row.spend));
              }
              const totals = report.totals.map((t) => ({
                marketplace: t.marketplace,
                sums: { clicks: t.clicks, orders: t.orders, units: t.units, revenue: minor(t.revenue), earnings: minor(t.earnings), spend: minor(t.spend) },
              }));
              expect(totals, where(`report totals = Σ rows (${from}..${to})`)).toEqual([...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([marketplace, sm]) => ({ marketplace, sums: sm })));
            }
            for (const m of markets) {
              expect(reportEarnings.get(m.marketplace) ?? 0, where(`${m.marketplace} Σ report earnings = earnings total`)).toBe(minor(m.totals.total));
            }
          }

          // Budget: spent + remaining = budget, remaining ≥ 0, and spent = Σ report spend of the campaign.
          for (const c of s.universe.campaigns) {
            const budget = await budgetOf(env.dbs.budget, p.budget, c.campaignId);
            expect(budget, c.campaignId).not.toBeNull();
            const spent = minor(budget!.spent);
            const remaining = minor(budget!.remaining);
            expect(spent + remaining, `${c.campaignId} spent + remaining`).toBe(minor(budget!.budget));
            expect(spent, `${c.campaignId} spent`).toBeGreaterThanOrEqual(0);
            expect(remaining, `${c.campaignId} remaining`).toBeGreaterThanOrEqual(0);
            expect(budget!.exhausted).toBe(remaining === 0);
            expect(spent, `${c.campaignId} spent = Σ report spend`).toBe(reportSpendByCampaign.get(c.campaignId) ?? 0);
          }
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("sending a sequence twice, or with duplicates shuffled in and split into batches, gives the same read models as once", async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArb({ maxCommands: 50 }), duplicateInsertsArb, cutsArb, async (s, inserts, cuts) => {
        const once = await projectOnce(s.events);

        const twice = await withEnv(async (env) => {
          const first = await appendRaw(env.store, s.events);
          const second = await appendRaw(env.store, s.events);
          expect(second.appended).toBe(0);
          expect(second.duplicates).toBe(s.events.length);
          expect(second.lastPosition).toBe(first.lastPosition);
          await catchUp(env.store, env.dbs);
          return exportsOf(env);
        });
        expect(firstDifference(once, twice), "sent twice").toBeNull();

        const resent = withDuplicates(s.events, inserts);
        const shuffled = await withEnv(async (env) => {
          let appended = 0;
          let duplicates = 0;
          for (const batch of chunked(resent, cuts)) {
            const r = await appendRaw(env.store, batch);
            appended += r.appended;
            duplicates += r.duplicates;
          }
          expect(appended).toBe(s.events.length);
          expect(duplicates).toBe(resent.length - s.events.length);
          await catchUp(env.store, env.dbs, { batchSize: 7 });
          return exportsOf(env);
        });
        expect(firstDifference(once, shuffled), "duplicates shuffled in").toBeNull();
      }),
      { seed: SEED, numRuns: 15 },
    );
  });

  it("a runner following the store live while events arrive in chunks = a rebuild from position 0", async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArb({ maxCommands: 50 }), cutsArb, fc.integer({ min: 1, max: 6 }), fc.array(fc.boolean(), { maxLength: 9 }), async (s, cuts, batchSize, waits) => {
        await withEnv(async (env) => {
          const runner = await makeRunner(env.store, env.dbs, { batchSize });
          await runner.start();
          let head = 0;
          try {
            const chunks = chunked(s.events, cuts);
            for (let i = 0; i < chunks.length; i += 1) {
              head = (await appendRaw(env.store, chunks[i]!)).lastPosition;
              // Sometimes let the runner catch up before the next chunk, sometimes race it.
              if (waits[i]) await waitUntil(() => runner.lastPosition >= head, 5_000, "live runner");
            }
            await waitUntil(() => runner.lastPosition >= head, 10_000, "live runner at the head");
          } finally {
            await runner.stop();
          }
          const live = await exportsOf(env);

          const dir = join(env.dir, "rebuild");
          mkdirSync(dir, { recursive: true });
          const dbs = await openDbs("sqlite", { dir });
          try {
            await catchUp(env.store, dbs);
            const rebuilt = await exportsOf(env, dbs);
            expect(firstDifference(rebuilt, live), "live vs rebuild").toBeNull();
          } finally {
            await closeDbs(dbs);
          }
        });
      }),
      { seed: SEED, numRuns: 15 },
    );
  });
});
