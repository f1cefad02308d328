// Property tests over the real projections (issue 7): random valid event sequences
// (tests/support/arbitraries.ts) appended to a real SQLite store through validation, projected by
// a real ProjectionRunner into SQLite read models (tests/support/projectionHarness.ts), and read
// back with the same query functions the HTTP API uses. Checks:
//   - earnings totals = Σ months = Σ campaigns = Σ audit-ledger entries, per creator, marketplace
//     and bucket (the bucket of each entry kind is written out here from SPEC §5 and §8.4);
//   - report totals = Σ rows; Σ report earnings = earnings total − adjusted (adjustments are not in
//     the report, §8.4); Σ report spend of a campaign = its budget's spent;
//   - the read models against the journal (SPEC §8.1 reconciliation), two derivations each: the
//     budget read's remaining = the balance of campaign:C:budget, its spent and released recomputed
//     from that account's entries, the brand's funding = max(budget, spent); each creator's
//     earnings total − bonusPending − paid (payout read) = the balance of creator:K:m:earned, paid =
//     the payout entries of the creator's ledger, bonusPending in C = creator:K:C:pending; the trial
//     balance of every currency sums to 0;
//   - a campaign report's rows are exactly its creators' report rows for that campaign (SPEC §9);
//   - sending a sequence twice, or with duplicates shuffled in and split into batches, gives the
//     same canonical exports as sending it once;
//   - a runner following the store live while events arrive in chunks = one clean catch-up;
//   - SPEC §12's lifecycle, on SQLite and PostgreSQL read models: per creator and marketplace,
//     pending + locked + payable + paid = the earnings total, at several positions (the read models
//     at that position, and the journal as of it) and several dates; receivable = max(0, −payable);
//     `on_hold` exactly when a hold stands there and something is payable.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";
import { RULES_V1 } from "../../domain/rules.ts";
import type { ReadModelTx } from "../../infra/readModel/port.ts";
import { budgetView, campaignRow, campaignView } from "../../projections/budget/budgetQueries.ts";
import { earningsOf } from "../../projections/earnings/earningsQueries.ts";
import {
  accountAt,
  accountEntriesOf,
  ledgerOf as journalLedgerOf,
  LEDGER_PAGE_MAX,
  trialBalanceOf,
} from "../../projections/journal/journalQueries.ts";
import { earningsRead } from "../../projections/earnings/read.ts";
import type { AsOf } from "../../projections/modelRead.ts";
import { payoutOf, toLine } from "../../projections/payout/payoutQueries.ts";
import { payoutAccountsRead } from "../../projections/payout/read.ts";
import type { ProjectionName } from "../../projections/projection.ts";
import { campaignReport, creatorReport, reportRowsOf } from "../../projections/report/reportQueries.ts";
import {
  allPages,
  appendRaw,
  catchUp,
  closeDbs,
  exportAll,
  makeRunner,
  openDbs,
  parseCursor,
  prefixes,
  waitUntil,
  withEnv,
  type ProjectionEnv,
  type ReadModelKind,
} from "../support/projectionHarness.ts";
import {
  chunked,
  cutsArb,
  duplicateInsertsArb,
  MARKETPLACES as MARKETS,
  reportWindows,
  sequenceArb,
  withDuplicates,
  type RawEvent,
  type Sequence,
} from "../support/arbitraries.ts";
import { add, ledgerEffect, minor, sumsOf, zero, type Sums } from "../support/ledgerSums.ts";

const SEED = 0x07_15_2026;
const RUNS = 25;
/** Histories long enough for budget changes, payouts and their failures, adjustments, ends, holds and write-offs. */
const historyArb = () => sequenceArb({ minCommands: 10, maxCommands: 60, partII: true, partIII: true });
/** The same with SPEC §13's closes at random points (valid ones, and months not ended or closed already) and late facts. */
const closingHistoryArb = () => sequenceArb({ minCommands: 10, maxCommands: 60, partII: true, partIII: true, periods: true });

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

async function reportOf(tx: ReadModelTx, prefix: string, creatorId: string, from: string, to: string, campaignId: string | null) {
  return creatorReport(await reportRowsOf(tx, prefix, { creatorId, campaignId }, from, to));
}

/** A fresh env with the sequence appended and every projection caught up with the head. */
async function withProjected(
  s: Sequence,
  fn: (env: ProjectionEnv, p: Record<ProjectionName, string>, head: number) => Promise<void>,
): Promise<void> {
  await withEnv("sqlite", async (env) => {
    const head = (await appendRaw(env.store, s.events)).lastPosition;
    expect(head).toBe(s.events.length);
    expect((await catchUp(env.store, env.dbs)).lastPosition).toBe(head);
    await fn(env, await prefixes(env.dbs), head);
  });
}

/** Every creator the earnings read model knows, in id order. */
async function creatorsOf(env: ProjectionEnv, p: Record<ProjectionName, string>): Promise<string[]> {
  return (await env.dbs.earnings.query<{ creator_id: string }>(`SELECT creator_id FROM ${p.earnings}creators ORDER BY creator_id`)).map(
    (r) => r.creator_id,
  );
}

const START = { position: 0, seq: -1 };
const nextOf = (page: { nextAfter: string | null }) => (page.nextAfter === null ? null : parseCursor(page.nextAfter));

/** Every entry of a creator's audit trail (GET ledger), page after page. */
async function ledgerEntries(env: ProjectionEnv, p: Record<ProjectionName, string>, creatorId: string, head: number) {
  const pages = await allPages(
    START,
    (after) => journalLedgerOf(env.dbs.journal, p.journal, creatorId, after, head, LEDGER_PAGE_MAX),
    nextOf,
  );
  return pages.flatMap((page) => page.entries);
}

/** Every transfer of an account (GET accounts/{account}/entries), page after page (3 a page: the cursor is exercised). */
async function accountEntries(env: ProjectionEnv, p: Record<ProjectionName, string>, account: string, head: number) {
  const pages = await allPages(START, (after) => accountEntriesOf(env.dbs.journal, p.journal, account, after, head, 3), nextOf);
  return pages.flatMap((page) => page.entries);
}

/** An account's balance in minor units (GET accounts/{account}); 0 when it never moved. */
async function balanceOf(env: ProjectionEnv, p: Record<ProjectionName, string>, account: string, head: number): Promise<number> {
  const found = await accountAt(env.dbs.journal, p.journal, account, head);
  return found === null ? 0 : minor(found.balance);
}

type Exports = Record<string, string>;
async function exportsOf(env: ProjectionEnv, dbs = env.dbs): Promise<Exports> {
  const all = await exportAll(dbs);
  return Object.fromEntries(Object.entries(all).map(([name, e]) => [name, e.text]));
}

/** Appends once, catches up in one runner, exports. */
async function projectOnce(events: readonly RawEvent[]): Promise<Exports> {
  return withEnv("sqlite", async (env) => {
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
  it("earnings totals = Σ months = Σ campaigns = Σ ledger entries; report totals = Σ rows; Σ report earnings = total − adjusted; Σ report spend = spent", async () => {
    await fc.assert(
      fc.asyncProperty(closingHistoryArb(), async (s) => {
        await withProjected(s, async (env, p, head) => {
          const reportSpendByCampaign = new Map<string, number>();
          for (const creatorId of await creatorsOf(env, p)) {
            const where = (what: string) => `${creatorId} ${what}`;
            const markets = await earningsOf(env.dbs.earnings, p.earnings, creatorId);

            // The audit trail, every page; payouts and their failures move no earnings (SPEC §8.1).
            const fromLedger = new Map<string, Sums>(); // marketplace
            const fromLedgerMonth = new Map<string, Sums>(); // marketplace/month
            const fromLedgerCampaign = new Map<string, Sums>(); // marketplace/campaign
            for (const e of await ledgerEntries(env, p, creatorId, head)) {
              if (e.kind === "payout" || e.kind === "payout_failed") continue;
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

            // Every marketplace with audit entries has earnings (an acceptance alone may show zeros).
            for (const market of fromLedger.keys())
              expect(
                markets.map((m) => m.marketplace),
                where("marketplaces"),
              ).toContain(market);
            for (const m of markets) {
              const totals = sumsOf(m.totals);
              const months = zero();
              for (const row of m.months) {
                const sums = sumsOf(row);
                add(months, sums);
                expect(sums, where(`${m.marketplace} month ${row.month} vs ledger`)).toEqual(
                  fromLedgerMonth.get(`${m.marketplace}/${row.month}`) ?? zero(),
                );
              }
              const campaigns = zero();
              for (const row of m.campaigns) {
                const sums = sumsOf(row);
                add(campaigns, sums);
                // An adjustment without a campaign is the row with campaignId null (SPEC §8.4).
                expect(sums, where(`${m.marketplace} campaign ${row.campaignId} vs ledger`)).toEqual(
                  fromLedgerCampaign.get(`${m.marketplace}/${row.campaignId}`) ?? zero(),
                );
              }
              expect(months, where(`${m.marketplace} Σ months`)).toEqual(totals);
              expect(campaigns, where(`${m.marketplace} Σ campaigns`)).toEqual(totals);
              expect(fromLedger.get(m.marketplace) ?? zero(), where(`${m.marketplace} Σ ledger`)).toEqual(totals);
            }

            // Report: totals = Σ rows in every window; over all windows Σ earnings = total − adjusted.
            const reportEarnings = new Map<string, number>();
            for (const [from, to] of reportWindows()) {
              const report = await reportOf(env.dbs.report, p.report, creatorId, from, to, null);
              const sums = new Map<
                string,
                { clicks: number; orders: number; units: number; revenue: number; earnings: number; spend: number }
              >();
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
                sums: {
                  clicks: t.clicks,
                  orders: t.orders,
                  units: t.units,
                  revenue: minor(t.revenue),
                  earnings: minor(t.earnings),
                  spend: minor(t.spend),
                },
              }));
              expect(totals, where(`report totals = Σ rows (${from}..${to})`)).toEqual(
                [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([marketplace, sm]) => ({ marketplace, sums: sm })),
              );
            }
            for (const m of markets) {
              const t = sumsOf(m.totals);
              expect(reportEarnings.get(m.marketplace) ?? 0, where(`${m.marketplace} Σ report earnings = total − adjusted`)).toBe(
                t.total - t.adjusted,
              );
            }
          }

          // Budget: spent = Σ report spend of the campaign (the bonus the brand pays, SPEC §5).
          for (const c of s.universe.campaigns) {
            const row = await campaignRow(env.dbs.budget, p.budget, c.campaignId, "now");
            expect(row, c.campaignId).not.toBeNull();
            expect(minor(budgetView(row!).spent), `${c.campaignId} spent = Σ report spend`).toBe(
              reportSpendByCampaign.get(c.campaignId) ?? 0,
            );
          }
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("read models = journal: budget remaining = campaign:C:budget, spent/released from its entries, brand funding = max(budget, spent); total − bonusPending − paid = creator:K:m:earned; bonusPending = creator:K:C:pending; trial balances sum to 0", async () => {
    await fc.assert(
      fc.asyncProperty(closingHistoryArb(), async (s) => {
        await withProjected(s, async (env, p, head) => {
          // Trial balance of every currency (SPEC §8.1): Σ of the listed balances is 0, and so is `sum`.
          const balances = new Map<string, number>();
          for (const [marketplace, { currency, digits }] of Object.entries(MARKETS)) {
            const trial = await trialBalanceOf(env.dbs.journal, p.journal, currency, head);
            let sum = 0;
            for (const a of trial.accounts) {
              sum += minor(a.balance);
              balances.set(a.account, minor(a.balance));
              expect(await balanceOf(env, p, a.account, head), `${a.account} in the trial balance vs GET account`).toBe(minor(a.balance));
            }
            expect(sum, `Σ ${currency} balances (${marketplace})`).toBe(0);
            expect(trial.sum).toBe(digits === 0 ? "0" : "0.00");
          }

          // Campaigns: the budget read vs the campaign's account and its entries.
          const brandFunding = new Map<string, number>(); // brand account → Σ max(budget, spent) of its campaigns
          for (const c of s.universe.campaigns) {
            const account = `campaign:${c.campaignId}:budget`;
            const row = await campaignRow(env.dbs.budget, p.budget, c.campaignId, "now");
            expect(row, c.campaignId).not.toBeNull();
            const budget = budgetView(row!);
            const view = campaignView(row!);
            expect(minor(budget.remaining), `${account} = remaining`).toBe(await balanceOf(env, p, account, head));
            expect(balances.get(account) ?? 0, `${account} in the trial balance`).toBe(minor(budget.remaining));
            // Rule 4, 5, 8 and §5 released, from the account's entries: granted out of it, given back into it.
            let granted = 0;
            let givenBack = 0;
            let funded = 0;
            let running = 0;
            for (const e of await accountEntries(env, p, account, head)) {
              const amount = minor(e.amount);
              running += minor(e.change);
              expect(minor(e.balance), `${account} running balance at ${e.entryId}`).toBe(running);
              switch (e.kind) {
                case "bonus_pending": // budget → pending
                case "bonus_confirmed": // budget → earned (after the end)
                  granted += amount;
                  break;
                case "bonus_pending_return": // pending → budget (negative amounts)
                case "bonus_reversal": // earned → budget (negative amounts)
                  givenBack -= amount;
                  break;
                case "bonus_forfeit": // pending → budget (a −r piece: a part its return gave back already)
                  givenBack += amount;
                  break;
                case "budget_funding": // brand → budget
                case "budget_return": // budget → brand (negative amounts)
                  funded += amount;
                  break;
                default:
                  throw new Error(`${e.kind} at ${e.entryId} moves ${account}`);
              }
            }
            expect(minor(budget.spent), `${c.campaignId} spent = granted − given back (journal)`).toBe(granted - givenBack);
            expect(minor(budget.released), `${c.campaignId} released = given back (journal)`).toBe(givenBack);
            expect(running, `${account} = Σ its changes`).toBe(minor(budget.remaining));
            // What the brand put in is what was granted net plus what remains: max(budget, spent).
            expect(funded, `${c.campaignId} funding − returns`).toBe(Math.max(minor(budget.budget), minor(budget.spent)));
            const brand = `brand:${view.brandId}:${view.marketplace}`;
            brandFunding.set(brand, (brandFunding.get(brand) ?? 0) + funded);
          }
          for (const [brand, funded] of brandFunding) expect(await balanceOf(env, p, brand, head), brand).toBe(0 - funded); // (0 - x: no -0)

          // Creators: earnings and payout reads vs the creator's accounts and ledger.
          const creators = new Set(await creatorsOf(env, p));
          for (const account of balances.keys()) if (account.startsWith("creator:")) creators.add(account.split(":")[1]!);
          for (const creatorId of creators) {
            const earnings = await earningsOf(env.dbs.earnings, p.earnings, creatorId);
            const payouts = await payoutOf(env.dbs.payout, p.payout, creatorId, "2999-12-31", RULES_V1);
            const paidInLedger = new Map<string, number>(); // marketplace → payouts net of failures, from the journal
            for (const e of await ledgerEntries(env, p, creatorId, head)) {
              if (e.kind === "payout" || e.kind === "payout_failed")
                paidInLedger.set(e.marketplace, (paidInLedger.get(e.marketplace) ?? 0) - minor(e.amount));
            }
            const marketplaces = new Set([
              ...earnings.map((m) => m.marketplace),
              ...payouts.map((l) => l.marketplace),
              ...paidInLedger.keys(),
            ]);
            for (const account of balances.keys()) {
              const [kind, owner, marketplace, suffix] = account.split(":");
              if (kind === "creator" && owner === creatorId && suffix === "earned") marketplaces.add(marketplace as never);
            }
            for (const marketplace of marketplaces) {
              const totals = earnings.find((m) => m.marketplace === marketplace)?.totals;
              const t = totals ? sumsOf(totals) : zero();
              const line = payouts.find((l) => l.marketplace === marketplace);
              const paid = line ? minor(line.body.paid as string) : 0;
              expect(paid, `${creatorId} ${marketplace} paid (payout read) = payout entries net of failures (ledger)`).toBe(
                paidInLedger.get(marketplace) ?? 0,
              );
              const earned = `creator:${creatorId}:${marketplace}:earned`;
              expect(await balanceOf(env, p, earned, head), `${earned} = total − bonusPending − paid`).toBe(
                t.total - t.bonusPending - paid,
              );
            }
            for (const m of earnings) {
              for (const row of m.campaigns) {
                if (row.campaignId === null) continue;
                const pending = `creator:${creatorId}:${row.campaignId}:pending`;
                expect(await balanceOf(env, p, pending, head), `${pending} = bonusPending`).toBe(minor(row.bonusPending));
              }
            }
          }
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("a campaign report's rows are exactly its creators' report rows for that campaign, and its totals Σ its rows (SPEC §9)", async () => {
    let rowsSeen = 0;
    await fc.assert(
      fc.asyncProperty(historyArb(), async (s) => {
        await withProjected(s, async (env, p) => {
          const creators = await creatorsOf(env, p);
          for (const [from, to] of reportWindows()) {
            const byCampaign = new Map<
              string,
              {
                date: string;
                creatorId: string;
                clicks: number;
                orders: number;
                units: number;
                revenue: string;
                earnings: string;
                spend: string;
              }[]
            >();
            for (const creatorId of creators) {
              for (const r of (await reportOf(env.dbs.report, p.report, creatorId, from, to, null)).rows) {
                const rows = byCampaign.get(r.campaignId) ?? byCampaign.set(r.campaignId, []).get(r.campaignId)!;
                rows.push({
                  date: r.date,
                  creatorId,
                  clicks: r.clicks,
                  orders: r.orders,
                  units: r.units,
                  revenue: r.revenue,
                  earnings: r.earnings,
                  spend: r.spend,
                });
              }
            }
            for (const c of [...s.universe.campaigns.map((x) => x.campaignId), s.universe.ghostCampaignId]) {
              const report = campaignReport(await reportRowsOf(env.dbs.report, p.report, { campaignId: c }, from, to));
              const expected = (byCampaign.get(c) ?? []).sort((a, b) =>
                a.date < b.date ? -1 : a.date > b.date ? 1 : a.creatorId < b.creatorId ? -1 : 1,
              );
              expect(report.rows, `${c} report ${from}..${to}`).toEqual(expected);
              rowsSeen += expected.length;
              const sum = (f: (r: (typeof expected)[number]) => number) => expected.reduce((n, r) => n + f(r), 0);
              const marketplace = s.universe.campaigns.find((x) => x.campaignId === c)?.marketplace;
              expect(
                report.totals.map((t) => ({ ...t, revenue: minor(t.revenue), earnings: minor(t.earnings), spend: minor(t.spend) })),
                `${c} totals ${from}..${to}`,
              ).toEqual(
                expected.length === 0
                  ? []
                  : [
                      {
                        marketplace,
                        currency: MARKETS[marketplace!]!.currency,
                        clicks: sum((r) => r.clicks),
                        orders: sum((r) => r.orders),
                        units: sum((r) => r.units),
                        revenue: sum((r) => minor(r.revenue)),
                        earnings: sum((r) => minor(r.earnings)),
                        spend: sum((r) => minor(r.spend)),
                      },
                    ],
              );
            }
          }
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(rowsSeen, "campaign report rows compared over all histories").toBeGreaterThan(RUNS * 5);
  });

  it("sending a sequence twice, or with duplicates shuffled in and split into batches, gives the same read models as once", async () => {
    await fc.assert(
      fc.asyncProperty(historyArb(), duplicateInsertsArb, cutsArb, async (s, inserts, cuts) => {
        const once = await projectOnce(s.events);

        const twice = await withEnv("sqlite", async (env) => {
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
        const shuffled = await withEnv("sqlite", async (env) => {
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
      fc.asyncProperty(
        historyArb(),
        cutsArb,
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.boolean(), { maxLength: 9 }),
        async (s, cuts, batchSize, waits) => {
          await withEnv("sqlite", async (env) => {
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
        },
      ),
      { seed: SEED, numRuns: 15 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// SPEC §12: the lifecycle of a commission
// ---------------------------------------------------------------------------------------------

/** Local dates the lifecycle is asked for: before, between and after the payable dates of the generated months. */
const LIFECYCLE_DATES = ["2025-12-31", "2026-03-15", "2026-04-30", "2026-06-30", "2026-09-15", "2027-12-31"] as const;
const LIFECYCLE_RUNS: Record<ReadModelKind, number> = { sqlite: 20, postgres: 6 };

/**
 * Checks every payout line of every creator as of `at` (now: the payout and earnings read models at
 * their position; a position: the journal as of it) against the earnings total of the same read.
 */
async function checkLifecycle(env: ProjectionEnv, p: Record<ProjectionName, string>, creators: readonly string[], at: AsOf, upTo: number) {
  let lines = 0;
  const dbOf = (name: ProjectionName) => env.dbs[name];
  for (const creatorId of creators) {
    const earningsSource = earningsRead.source(at);
    const earnings = await earningsRead.read(dbOf(earningsSource), p[earningsSource], creatorId, at, upTo);
    const totals = new Map((earnings?.marketplaces ?? []).map((m) => [m.marketplace as string, sumsOf(m.totals).total]));
    for (const date of LIFECYCLE_DATES) {
      const where = (what: string) => `${creatorId} as of ${at === "now" ? `now (${upTo})` : `P${at}`} on ${date}: ${what}`;
      const payoutSource = payoutAccountsRead.source(at);
      const { accounts } = await payoutAccountsRead.read(dbOf(payoutSource), p[payoutSource], { creatorId, asOf: date }, at, upTo);
      const seen = new Set<string>();
      for (const account of accounts) {
        const body = toLine(account, date, RULES_V1).body;
        const { pending, locked, payable, paid } = body.lifecycle;
        const m = body.marketplace;
        seen.add(m);
        expect(minor(pending) + minor(locked) + minor(payable) + minor(paid), where(`${m} pending + locked + payable + paid = total`)).toBe(
          totals.get(m) ?? 0,
        );
        expect([payable, paid, minor(pending) + minor(locked)], where(`${m} lifecycle vs payable, paid, pending`)).toEqual([
          body.payable,
          body.paid,
          minor(body.pending),
        ]);
        expect(minor(body.receivable), where(`${m} receivable = max(0, −payable)`)).toBe(Math.max(0, 0 - minor(payable)));
        // Rule 11 with §12: on_hold right after nothing_due.
        expect(body.status === "on_hold", where(`${m} on_hold ⇔ held and payable > 0`)).toBe(body.hold !== null && minor(payable) > 0);
        lines += 1;
      }
      // Every marketplace the creator earned in has a payout line (an acceptance opens both).
      for (const m of totals.keys()) expect(seen.has(m), where(`${m} has a payout line`)).toBe(true);
    }
  }
  return lines;
}

describe.each<ReadModelKind>(["sqlite", "postgres"])("SPEC §12 lifecycle over random histories (%s read models)", (kind) => {
  it("pending + locked + payable + paid = earnings total per creator and marketplace, at several positions (now and as of P) and dates", async () => {
    let lines = 0;
    await fc.assert(
      fc.asyncProperty(closingHistoryArb(), fc.array(fc.nat(), { minLength: 2, maxLength: 2 }), async (s, picks) => {
        await withEnv(kind, async (env) => {
          const n = s.events.length;
          const positions = [...new Set([...picks.map((x) => x % (n + 1)), n])].sort((a, b) => a - b);
          const creators = [...new Set([...s.universe.creators, "K-ghost"])];
          let stored = 0;
          for (const position of positions) {
            // The read models at `position`: project the events up to it.
            if (position > stored) stored = (await appendRaw(env.store, s.events.slice(stored, position))).lastPosition;
            expect((await catchUp(env.store, env.dbs)).lastPosition).toBe(position);
            lines += await checkLifecycle(env, await prefixes(env.dbs), creators, "now", position);
          }
          // The journal as of each of them, from the whole history.
          const p = await prefixes(env.dbs);
          for (const position of positions) lines += await checkLifecycle(env, p, creators, position, position);
        });
      }),
      { seed: SEED, numRuns: LIFECYCLE_RUNS[kind] },
    );
    expect(lines, "payout lines checked").toBeGreaterThan(LIFECYCLE_RUNS[kind] * 20);
  }, 240_000); // ~5 s on SQLite, ~10 s on PostgreSQL; room for a busy machine and for shrinking a failure
});

// ---------------------------------------------------------------------------------------------
// SPEC §13: a closed month's figures never change (issue 25)
// ---------------------------------------------------------------------------------------------

/** YYYY-MM of an instant in an IANA zone, with Intl (not domain/calendar.ts). */
function monthIn(epochMs: number, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit" }).formatToParts(epochMs);
  return `${parts.find((x) => x.type === "year")!.value}-${parts.find((x) => x.type === "month")!.value}`;
}

/** The closes that close (SPEC §13: the month has ended in the zone at occurredAt and is after the latest closed one), from the events. */
function validCloses(events: readonly RawEvent[]): { position: number; marketplace: string; month: string }[] {
  const closedThrough = new Map<string, string>();
  const out: { position: number; marketplace: string; month: string }[] = [];
  events.forEach((e, i) => {
    if (e.type !== "PeriodClosed") return;
    const marketplace = e.data.marketplace as string;
    const month = e.data.month as string;
    const closed = closedThrough.get(marketplace);
    if (month >= monthIn(Date.parse(e.occurredAt), DEFAULT_MARKETPLACES[marketplace as MarketplaceCode].zone)) return;
    if (closed !== undefined && month <= closed) return;
    closedThrough.set(marketplace, month);
    out.push({ position: i + 1, marketplace, month });
  });
  return out;
}

type MonthRows = Map<string, unknown[]>; // creator → [marketplace, month, row] of every months row

/** Every creator's earnings months rows as the earnings read answers them (now: the read model; a position: the journal as of it). */
async function monthRowsOf(env: ProjectionEnv, p: Record<ProjectionName, string>, creators: readonly string[], at: AsOf, upTo: number) {
  const out: MonthRows = new Map();
  for (const creatorId of creators) {
    const source = earningsRead.source(at);
    const earnings = await earningsRead.read(env.dbs[source], p[source], creatorId, at, upTo);
    out.set(
      creatorId,
      (earnings?.marketplaces ?? []).flatMap((m) => m.months.map((row) => ({ marketplace: m.marketplace as string, row }))),
    );
  }
  return out;
}

const CLOSE_RUNS: Record<ReadModelKind, number> = { sqlite: 40, postgres: 25 };
/** Longer histories than the others': more months end, so more of them are closed with facts still to come. */
const longClosingHistoryArb = () => sequenceArb({ minCommands: 30, maxCommands: 90, partII: true, partIII: true, periods: true });

describe.each<ReadModelKind>(["sqlite", "postgres"])("SPEC §13 closed periods over random histories (%s read models)", (kind) => {
  it("every creator's earnings months rows ≤ the closed month answer the same at every later position as at the close (now and as of P)", async () => {
    let compared = 0;
    let closes = 0;
    await fc.assert(
      fc.asyncProperty(longClosingHistoryArb(), fc.array(fc.nat(), { minLength: 2, maxLength: 2 }), async (s, picks) => {
        const closed = validCloses(s.events);
        closes += closed.length;
        await withEnv(kind, async (env) => {
          const n = s.events.length;
          const positions = [...new Set([...closed.map((c) => c.position), ...picks.map((x) => x % (n + 1)), n])].sort((a, b) => a - b);
          const creators = [...new Set([...s.universe.creators, "K-ghost"])];
          const now = new Map<number, MonthRows>();
          let stored = 0;
          for (const position of positions) {
            // The earnings read model as the runner builds it, at `position`.
            if (position > stored) stored = (await appendRaw(env.store, s.events.slice(stored, position))).lastPosition;
            expect((await catchUp(env.store, env.dbs)).lastPosition).toBe(position);
            now.set(position, await monthRowsOf(env, await prefixes(env.dbs), creators, "now", position));
          }
          const p = await prefixes(env.dbs);
          const asOf = new Map<number, MonthRows>();
          for (const position of positions) asOf.set(position, await monthRowsOf(env, p, creators, position, position));

          const upTo = (rows: unknown[] | undefined, marketplace: string, month: string) =>
            (rows ?? []).filter((r) => {
              const x = r as { marketplace: string; row: { month: string } };
              return x.marketplace === marketplace && x.row.month <= month;
            });
          for (const c of closed) {
            for (const [label, reads] of [
              ["now", now],
              ["as of P", asOf],
            ] as const) {
              const atClose = reads.get(c.position)!;
              for (const position of positions) {
                if (position < c.position) continue;
                for (const creatorId of creators) {
                  expect(
                    upTo(reads.get(position)!.get(creatorId), c.marketplace, c.month),
                    `${creatorId} ${c.marketplace} months ≤ ${c.month} (closed at ${c.position}) ${label} at ${position}`,
                  ).toEqual(upTo(atClose.get(creatorId), c.marketplace, c.month));
                  compared += 1;
                }
              }
            }
          }
        });
      }),
      // No shrinking: each try rebuilds the read models step by step, and the first counterexample names the close and position.
      { seed: SEED, numRuns: CLOSE_RUNS[kind], endOnFailure: true },
    );
    expect(closes, "valid closes in the histories").toBeGreaterThanOrEqual(CLOSE_RUNS[kind] / 2);
    expect(compared, "closed months compared").toBeGreaterThan(CLOSE_RUNS[kind] * 10);
  }, 240_000);
});
