// Point-in-time reads (SPEC §8.2) over random histories: every read of services/reads/reads.ts asked
// `asOfPosition = P` on a ledger that stored the whole history must answer, byte for byte
// (JSON.stringify), what the same read answers now on a second ledger that stored only the events
// 1..P and projected all of them. P ranges over several random positions of each history, and
// always 0 and the head. Every creator, campaign, brand, payout, account and event id of the whole
// history is read (plus one unknown id of each), so ids that do not exist yet at P must be null on
// both sides. Run for SQLite and for PostgreSQL read models (the store is SQLite; each ledger's
// PostgreSQL read models get their own schema, dropped after).
//
// The one field that cannot agree is an event's `recordedAt`: the commit time in each ledger's own
// store. It is compared as "an ISO instant" on both sides and then left out.
//
// The property found two differences, now fixed; each stays as a small example at the end of this
// file: a payout as of P listed marketplaces in the order the journal met them, and a creator known
// only by tax info was known as of P but not now.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EventType } from "../../domain/events/schemas.ts";
import { MARKETPLACE_CODES } from "../../domain/marketplaces.ts";
import type { ProjectionRunner } from "../../projections/runner.ts";
import { loadConfig } from "../../services/config.ts";
import { Ledger } from "../../services/ledger.ts";
import { createLogger } from "../../services/logger.ts";
import { NOW, PositionOutOfRange, Reads, type ReadAt } from "../../services/reads/reads.ts";
import { reportWindows, sequenceArb, type RawEvent } from "../support/arbitraries.ts";
import { PG_URL, dropSchema, randomSchema } from "../support/pgTest.ts";
import {
  allPages,
  appendRaw,
  closeDbs,
  makeRunner,
  openDbs,
  parseCursor,
  tempDir,
  type Dbs,
  type ReadModelKind,
} from "../support/projectionHarness.ts";

const SEED = 0x08_02_2026;
/** Few, rich histories: every read is made at every chosen position on both ledgers (PostgreSQL reads cost more). */
const RUNS: Record<ReadModelKind, number> = { sqlite: 8, postgres: 3 };
/** ~15 s for both on an idle 2-core machine; room for a machine busy with other suites (not a timing assertion). */
const PROPERTY_TIMEOUT_MS = 240_000;
const CURRENCIES = ["USD", "CAD", "GBP", "EUR", "INR", "JPY"] as const;
/** Local dates a payout status is asked for (rule 11): before, between and after the payable dates of the generated months. */
const PAYOUT_DATES = ["2026-01-01", "2026-04-30", "2026-06-30", "2026-09-15", "2027-12-31"] as const;
/** SPEC §15: the years of the generated histories (Dec 2025 into 2026) and one after; minimums every currency can write. */
const TAX_YEARS = [2025, 2026, 2027] as const;
const TAX_MINIMUMS = ["0", "25"] as const;
/** SPEC §13: months a closing statement is asked for, in the generated histories' span (Dec 2025 into 2026). */
const PERIOD_MONTHS = ["2025-12", "2026-02", "2026-03"] as const;
const LEDGER_PAGE = 7;
const ANOMALY_PAGE = 5;
const ACCOUNT_PAGE = 4;
const EVENT_PAGE = 9;
/** The cursor before a creator's or an account's first entry. */
const START = { position: 0, seq: -1 };

// ---------------------------------------------------------------------------------------------
// A ledger (services/ledger.ts) over a temp dir, its read models projected by the harness' runner
// ---------------------------------------------------------------------------------------------

interface TestLedger {
  reads: Reads;
  /** Appends raw events and projects every read model up to the store's head. */
  ingest(events: readonly RawEvent[]): Promise<number>;
  close(): Promise<void>;
}

async function openLedger(kind: ReadModelKind): Promise<TestLedger> {
  const dir = tempDir("ledger-pit-");
  const dataDir = join(dir, "data");
  mkdirSync(dataDir, { recursive: true });
  const schema = kind === "postgres" ? randomSchema("pit") : null;
  const env: Record<string, string> = { LEDGER_DATA_DIR: dataDir, LEDGER_DEMO: "0", LEDGER_SCHEDULER: "0", LEDGER_PROJECTORS: "none" };
  if (schema !== null)
    Object.assign(env, { LEDGER_READ_MODELS: "postgres", LEDGER_READ_MODELS_URL: PG_URL, LEDGER_READ_MODELS_SCHEMA: schema });
  let ledger: Ledger | null = null;
  let dbs: Dbs | null = null;
  let runner: ProjectionRunner | null = null;
  const close = async () => {
    await runner?.stop();
    if (dbs) await closeDbs(dbs);
    await ledger?.close();
    if (schema !== null) await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    ledger = await Ledger.open(loadConfig(env), createLogger("silent"));
    // The read models the ledger reads, written by one runner of this process (the ledger's own files or schema).
    dbs = await openDbs(kind, schema === null ? { dir: dataDir } : { dir: dataDir, schema });
    runner = await makeRunner(ledger.store, dbs);
    const store = ledger.store;
    const projector = runner;
    return {
      reads: new Reads(ledger),
      async ingest(events) {
        const head = (await appendRaw(store, events)).lastPosition;
        expect(await projector.catchUp()).toBe(head);
        return head;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Every read of services/reads/reads.ts, for every id of the history
// ---------------------------------------------------------------------------------------------

interface Ids {
  creators: string[];
  campaigns: string[];
  brands: string[];
  payouts: string[];
  accounts: string[];
  events: string[];
  /** Event types some `events?type=` page is filtered by. */
  types: EventType[];
}

/** Every id the whole history names (read from the events), plus one that never exists of each kind. */
function idsOf(events: readonly RawEvent[], accounts: readonly string[]): Ids {
  const collect = (field: string) =>
    [...new Set(events.map((e) => e.data[field]).filter((v): v is string => typeof v === "string"))].sort();
  return {
    creators: [...collect("creatorId"), "K-nobody"],
    campaigns: [...collect("campaignId"), "C-nobody"],
    brands: [...collect("brandId"), "B-nobody"],
    payouts: [...collect("payoutId"), "P-nobody"],
    accounts: [...accounts, "creator:K-nobody:US:earned", "campaign:C-nobody:budget"],
    events: [...events.map((e) => e.id), "e-nobody"],
    types: ["ShipmentRecorded", "PayoutFailed", "CampaignBudgetChanged", "PayoutsHeld"],
  };
}

/** An event read with its recordedAt checked to be an instant and then left out (each store commits at its own time). */
function withoutRecordedAt<T extends { recordedAt: string }>(event: T): Omit<T, "recordedAt"> {
  expect(Number.isNaN(Date.parse(event.recordedAt)), `recordedAt ${event.recordedAt}`).toBe(false);
  const { recordedAt: _, ...rest } = event;
  return rest;
}

/** Every read of services/reads/reads.ts at `at`, each as JSON under a name that says which read it is. */
async function everyRead(reads: Reads, at: ReadAt, ids: Ids): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const put = (name: string, value: unknown) => out.set(name, JSON.stringify(value));
  const windows = reportWindows();

  for (const k of ids.creators) {
    put(`earnings ${k}`, await reads.earnings(k, at));
    // The whole audit trail at once, and page by page (the cursors are part of the answer).
    put(`ledger ${k}`, await reads.ledgerEntries(k, START, 1_000, at));
    put(
      `ledger pages ${k}`,
      await allPages(
        START,
        (after) => reads.ledgerEntries(k, after, LEDGER_PAGE, at),
        (page) => (page?.nextAfter ? parseCursor(page.nextAfter) : null),
      ),
    );
    for (const [from, to] of windows) put(`report ${k} ${from}..${to}`, await reads.creatorReport(k, null, from, to, at));
    for (const c of ids.campaigns)
      put(
        `report ${k} campaign ${c} ${windows[1]![0]}..${windows[1]![1]}`,
        await reads.creatorReport(k, c, windows[1]![0], windows[1]![1], at),
      );
    for (const date of PAYOUT_DATES) put(`payout ${k} ${date}`, await reads.payout(k, date, at));
    put(`payouts ${k}`, await reads.payoutsOf(k, at));
    for (const year of TAX_YEARS) put(`tax summary ${k} ${year}`, await reads.taxSummary(k, year, at));
  }
  for (const c of ids.campaigns) {
    put(`budget ${c}`, await reads.budget(c, at));
    // Issue 27: its history's recordedAt, like an event's, is each store's own commit time.
    const details = await reads.campaignDetails(c, at);
    put(`campaign ${c}`, details === null ? null : { ...details, history: details.history.map(withoutRecordedAt) });
    for (const [from, to] of windows) put(`campaign report ${c} ${from}..${to}`, await reads.campaignReport(c, from, to, at));
  }
  for (const b of ids.brands) put(`brand ${b}`, await reads.brandCampaigns(b, at));
  // Issue 27: the lists, whole and page by page, of every brand and state, and the search by every first letter of the ids.
  const idPages = <T extends { nextAfter: string | null }>(read: (after: string) => Promise<T>) =>
    allPages("", read, (page) => page.nextAfter);
  put("creators", await reads.creators("", 1_000, at));
  put("creator pages", await idPages((after) => reads.creators(after, 2, at)));
  put("brands", await reads.brands("", 1_000, at));
  put("brand pages", await idPages((after) => reads.brands(after, 2, at)));
  for (const brandId of [null, ...ids.brands])
    for (const state of [null, "running", "paused", "ended"] as const)
      put(`campaigns of ${brandId} ${state}`, await reads.campaigns({ brandId, state }, "", 1_000, at));
  put("campaign pages", await idPages((after) => reads.campaigns({ brandId: null, state: null }, after, 2, at)));
  const initials = new Set([...ids.creators, ...ids.campaigns, ...ids.brands, ...ids.payouts, ...ids.events].map((id) => id.slice(0, 1)));
  for (const q of [...initials].sort()) put(`search ${q}`, await reads.search(q, 50, at));
  // §12: the holds standing, all and by marketplace (every scope of the generator's marketplaces), with their payable on each date.
  for (const date of PAYOUT_DATES) {
    put(`holds ${date}`, await reads.holds(null, date, at));
    for (const m of ["US", "JP", "UK"] as const) put(`holds ${m} ${date}`, await reads.holds(m, date, at));
  }
  for (const m of MARKETPLACE_CODES)
    for (const year of TAX_YEARS)
      for (const minimum of TAX_MINIMUMS) put(`tax summaries ${m} ${year} ≥ ${minimum}`, await reads.taxSummaries(m, year, minimum, at));
  for (const id of ids.payouts) put(`payout statement ${id}`, await reads.payoutStatement(id, at));

  const anomalyCursor = (text: string) => ({ position: parseCursor(text).position, idx: parseCursor(text).seq });
  put(
    "anomaly pages",
    await allPages(
      { position: 0, idx: -1 },
      (after) => reads.anomalies(after, ANOMALY_PAGE, at),
      (page) => (page.nextAfter ? anomalyCursor(page.nextAfter) : null),
    ),
  );
  put("anomalies", await reads.anomalies({ position: 0, idx: -1 }, 1_000, at));

  for (const a of ids.accounts) {
    put(`account ${a}`, await reads.account(a, at));
    put(
      `account entries ${a}`,
      await allPages(
        START,
        (after) => reads.accountEntries(a, after, ACCOUNT_PAGE, at),
        (page) => (page?.nextAfter ? parseCursor(page.nextAfter) : null),
      ),
    );
  }
  for (const currency of CURRENCIES) put(`trial balance ${currency}`, await reads.trialBalance(currency, at));
  // SPEC §13: each marketplace's periods, and the closing statement of a couple of months (404 while open: null on both sides).
  for (const m of MARKETPLACE_CODES) {
    put(`periods ${m}`, await reads.periods(m, at));
    for (const month of PERIOD_MONTHS) put(`closing statement ${m} ${month}`, await reads.closingStatement(m, month, at));
  }
  // SPEC §13: the head of the hash chain as of P is the head of a store of events 1..P (same events, same hashes).
  put("log head", await reads.logHead(at));

  for (const id of ids.events) {
    const event = await reads.event(id, at);
    put(`event ${id}`, event === null ? null : withoutRecordedAt(event));
  }
  const eventPages = await allPages(
    0,
    (after) => reads.events(after, EVENT_PAGE, null, at),
    (page) => page.next,
  );
  put(
    "event pages",
    eventPages.map((page) => ({ ...page, events: page.events.map(withoutRecordedAt) })),
  );
  for (const type of ids.types) {
    // A cursor past the position read as of is refused (issue 22.8) on both ledgers: past asOfPosition, past the head.
    const page = await reads.events(3, 5, type, at).catch((error: unknown) => {
      if (error instanceof PositionOutOfRange) return null;
      throw error;
    });
    put(
      `events of ${type} after 3`,
      page === null ? "refused: after 3 is past the position read" : { ...page, events: page.events.map(withoutRecordedAt) },
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

describe.each<ReadModelKind>(["sqlite", "postgres"])(
  "point-in-time reads = reads of a ledger of events 1..P (SPEC §8.2, %s read models)",
  (kind) => {
    it(
      "every read as of P on the whole history answers what the same read answers now on a ledger that stored only 1..P",
      async () => {
        let comparisons = 0;
        /** §12 reads that showed something: a hold listed, a payout line held, a write-off booked. */
        const seen = { holds: 0, held: 0, writeoffs: 0 };
        await fc.assert(
          fc.asyncProperty(
            sequenceArb({ minCommands: 50, maxCommands: 80, partII: true, partIII: true }),
            fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
            async (s, picks) => {
              const full = await openLedger(kind);
              const prefix = await openLedger(kind);
              try {
                const head = await full.ingest(s.events);
                expect(head).toBe(s.events.length);
                const accounts: string[] = [];
                for (const currency of CURRENCIES)
                  accounts.push(...(await full.reads.trialBalance(currency, NOW)).accounts.map((a) => a.account));
                const ids = idsOf(s.events, accounts);
                // 0, the head and a few positions between, in order: the second ledger ingests up to each in turn.
                const positions = [...new Set([0, head, ...picks.map((n) => n % (head + 1))])].sort((a, b) => a - b);
                let stored = 0;
                for (const p of positions) {
                  if (p > stored) stored = await prefix.ingest(s.events.slice(stored, p));
                  expect(stored).toBe(p);
                  const asOf = await everyRead(full.reads, { asOfPosition: p, minPosition: null }, ids);
                  const now = await everyRead(prefix.reads, NOW, ids);
                  expect([...asOf.keys()]).toEqual([...now.keys()]);
                  const differences = [...asOf.keys()].filter((name) => asOf.get(name) !== now.get(name));
                  expect(
                    differences.slice(0, 3).map((name) => ({ read: name, asOfP: asOf.get(name), ledgerOf1toP: now.get(name) })),
                    `reads as of position ${p} of ${head} that differ (${differences.length} of ${asOf.size}: ${differences.slice(0, 12).join("; ")})`,
                  ).toEqual([]);
                  comparisons += asOf.size;
                  for (const [name, json] of now) {
                    if (name.startsWith("holds ") && json.includes('"creatorId"')) seen.holds += 1;
                    if (name.startsWith("payout ") && json.includes('"hold":{')) seen.held += 1;
                    if (name.startsWith("ledger ") && json.includes('"kind":"writeoff"')) seen.writeoffs += 1;
                  }
                }
              } finally {
                await prefix.close();
                await full.close();
              }
            },
          ),
          { seed: SEED, numRuns: RUNS[kind], endOnFailure: true },
        );
        expect(comparisons).toBeGreaterThan(RUNS[kind] * 4 * 200); // ≥ 4 positions of ≥ 200 reads each
        // The histories exercise §12: holds standing, payout lines on hold, write-offs booked.
        expect(Math.min(seen.holds, seen.held, seen.writeoffs), JSON.stringify(seen)).toBeGreaterThan(0);
      },
      PROPERTY_TIMEOUT_MS,
    );

    // --- Two differences the property found, each as the smallest history that showed it (both fixed) ---

    /** The same read as of P on a ledger of `events` and now on a ledger of events 1..P. */
    async function bothSides<T>(
      events: RawEvent[],
      p: number,
      read: (reads: Reads, at: ReadAt) => Promise<T>,
    ): Promise<{ asOfP: string; ledgerOf1toP: string }> {
      const full = await openLedger(kind);
      const prefix = await openLedger(kind);
      try {
        await full.ingest(events);
        await prefix.ingest(events.slice(0, p));
        return {
          asOfP: JSON.stringify(await read(full.reads, { asOfPosition: p, minPosition: null })),
          ledgerOf1toP: JSON.stringify(await read(prefix.reads, NOW)),
        };
      } finally {
        await prefix.close();
        await full.close();
      }
    }

    const at = (n: number) => `2026-03-0${n}T12:00:00Z`;

    // Events P1 CommissionAdjusted K9 US "5.00", P2 TaxInfoSubmitted K9 JP. GET payout of K9 as of P2:
    // marketplaces [US, JP] (the adjustment's entries first, then JP from its tax info fact); on the ledger
    // of P1..P2 (a read of now): [JP, US]. Expected the latter (marketplace order, as every read of now).
    it("payout as of P lists marketplaces in marketplace order, as a read of now does", async () => {
      const events: RawEvent[] = [
        {
          id: "adj-1",
          type: "CommissionAdjusted",
          occurredAt: at(1),
          data: { creatorId: "K9", marketplace: "US", amount: "5.00", reasonCode: "goodwill", note: "welcome", actor: "finance:alice" },
        },
        { id: "tax-1", type: "TaxInfoSubmitted", occurredAt: at(2), data: { creatorId: "K9", marketplace: "JP" } },
      ];
      const { asOfP, ledgerOf1toP } = await bothSides(events, 2, (reads, when) => reads.payout("K9", "2026-06-30", when));
      expect(JSON.parse(ledgerOf1toP).marketplaces.map((m: { marketplace: string }) => m.marketplace)).toEqual(["JP", "US"]);
      expect(asOfP).toBe(ledgerOf1toP);
    });

    // Events P1 TaxInfoSubmitted K9 US, P2 CampaignAccepted … (anything after). GET earnings of K9
    // as of P1: {"creatorId":"K9","asOfPosition":1,"marketplaces":[],"anomalies":[]} (the journal knows K9 by
    // its tax_info fact); on the ledger of P1 alone (a read of now): null, 404 (the earnings read model
    // knows creators by postings, acceptances and anomalies only). The same for the creator report and payoutsOf.
    it("a creator whose only event is TaxInfoSubmitted is unknown as of P, as it is now (404)", async () => {
      const events: RawEvent[] = [
        { id: "tax-1", type: "TaxInfoSubmitted", occurredAt: at(1), data: { creatorId: "K9", marketplace: "US" } },
        {
          id: "cc-1",
          type: "CampaignCreated",
          occurredAt: at(2),
          data: {
            campaignId: "C1",
            brandId: "B1",
            marketplace: "US",
            bonusRate: "0.10",
            budget: "100.00",
            startsAt: at(1),
            endsAt: at(9),
            asins: ["A1"],
          },
        },
      ];
      const { asOfP, ledgerOf1toP } = await bothSides(events, 1, (reads, when) => reads.earnings("K9", when));
      expect(ledgerOf1toP).toBe("null");
      expect(asOfP).toBe(ledgerOf1toP);
    });
  },
);
