// SPEC §14 over random histories (issue 26, item 4), on SQLite and PostgreSQL read models. Each
// history (tests/support/arbitraries.ts with `ruleVersions: true`) has one valid RuleVersionScheduled
// of version 2 at a random point with a random effectiveFrom (at its own occurredAt, days or months
// ahead, or exactly on a later shipment's occurredAt; now and then arriving late, after shipments it
// would have covered), now and then more schedules (back to version 1, ties, an unknown version,
// retroactive ones: these two schedule nothing), closes of periods (§13), late shipments, returns
// and adjustments (which no true-up counts).
//
// A REFERENCE fold written here, from the raw events and SPEC §3, §4, §13, §14 alone (its own rate
// tables, half-even rounding in bigint, months by Intl; no engine, no domain/ helper), gives every
// shipment line's standard commission and every reversal, in three lanes: as booked (the version in
// force at the shipment's occurredAt among the schedules applied before it; none = 1) and under
// version 1 and version 2 throughout. Then:
//   1. the journal's standard and standard_reversal entries (the entries table, through the API's
//      entry view) are exactly the reference's booked lane, entry for entry: event, shipment, ASIN,
//      amount, rate, ruleVersion, earning and original month (rule 8's reversals included);
//   2. the true-up dry run (services/trueup.ts on a Ledger over the same data dir) for a random
//      month range, in every marketplace of the history and under versions 1 and 2, answers per
//      creator and booked month: booked = Σ booked lane, recomputed = Σ that version's lane, their
//      difference, and the totals;
//   3. applying it (one version, drawn) in each marketplace in turn appends one rule_change
//      CommissionAdjusted per nonzero row (id trueup:{N}:{creator}:{m}:{month}); once projected, for
//      every row the journal's booked standard + that row's adjustment = the reference's
//      recomputed, each adjustment booked in the month of its occurredAt or the first open one
//      (§13); a second apply appends nothing (every id `duplicate`) and answers the same rows.
// A failure's counterexample is the generated sequence before moreToys() (below) rewrites categories.
//
// Run counts: each run opens a Ledger (six read-model databases; on PostgreSQL a schema of its own,
// dropped after), projects 40-130 events and runs up to 16 true-ups, each folding the whole log
// again. About 0.12 s a run on SQLite and 0.4 s on PostgreSQL on an idle 2-core machine (4-5 times
// that beside a full suite), so 30 and 10 runs keep the file near 10 s while the fixed seed still
// covers shipments exactly on an effectiveFrom, schedules arriving after shipments they would
// cover, ties and closes (the coverage floors at the end fail when a change to the generator stops
// producing them).
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ENTRY_VIEW_COLUMNS, entryView } from "../../projections/journal/journalQueries.ts";
import type { ProjectionRunner } from "../../projections/runner.ts";
import { loadConfig } from "../../services/config.ts";
import { Ledger } from "../../services/ledger.ts";
import { createLogger } from "../../services/logger.ts";
import { trueUp, type TrueUpAnswer } from "../../services/trueup.ts";
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { BASE_MS, sequenceArb, type RawEvent } from "../support/arbitraries.ts";
import { PG_URL, dropSchema, randomSchema } from "../support/pgTest.ts";
import {
  activePrefix,
  appendRaw,
  closeDbs,
  makeRunner,
  openDbs,
  tempDir,
  type Dbs,
  type ReadModelKind,
} from "../support/projectionHarness.ts";

const SEED = 0x14_26_2026;
const RUNS: Record<ReadModelKind, number> = { sqlite: 30, postgres: 10 };
const PROPERTY_TIMEOUT_MS = 240_000;
/** The runs take seconds; past this, fast-check stops (shrinking a failure, mostly) and reports what it has. */
const SHRINK_LIMIT_MS = 120_000;
const historyArb = () => sequenceArb({ minCommands: 30, maxCommands: 90, partII: true, periods: true, ruleVersions: true });
/** Booked months a true-up is asked for: around the generated histories (Dec 2025 into mid 2026). */
const MONTHS = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05"] as const;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// The reference: SPEC §3 (marketplaces), §4 rules 1, 2, 8, 9, §13, §14, written out here
// ---------------------------------------------------------------------------------------------

/** SPEC §3: currency minor digits and reporting time zone. */
const MARKETS: Record<string, { digits: number; zone: string }> = {
  US: { digits: 2, zone: "America/Los_Angeles" },
  CA: { digits: 2, zone: "America/Los_Angeles" },
  UK: { digits: 2, zone: "Europe/London" },
  DE: { digits: 2, zone: "Europe/Berlin" },
  IN: { digits: 2, zone: "Asia/Kolkata" },
  JP: { digits: 0, zone: "Asia/Tokyo" },
};

/** SPEC §4's standard rate table (rule version 1); §14: version 2 is version 1 with toys at 0.04. */
const RATES_V1: Record<string, string> = {
  amazon_games: "0.20",
  luxury_beauty: "0.10",
  digital_music: "0.05",
  physical_books: "0.045",
  kitchen: "0.045",
  apparel: "0.04",
  amazon_devices: "0.04",
  gift_cards: "0",
  home: "0.03",
  toys: "0.03",
  headphones: "0.03",
  beauty: "0.03",
  electronics: "0.025",
  televisions: "0.02",
  grocery: "0.01",
  health_personal_care: "0.01",
  video_games: "0.01",
};
const RATES: Record<number, Record<string, string>> = { 1: RATES_V1, 2: { ...RATES_V1, toys: "0.04" } };
const rateOf = (version: number, category: string) => RATES[version]![category] ?? "0.04";
const VERSIONS = [1, 2] as const;
type Version = (typeof VERSIONS)[number];

/** "19.995" → 19995 / 10^3 */
function scaled(text: string): { n: bigint; scale: number } {
  const [whole, fraction = ""] = text.split(".");
  return { n: BigInt(`${whole}${fraction}`), scale: fraction.length };
}

/** n / d rounded half-even (n ≥ 0, d > 0). */
function divHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const twice = (n % d) * 2n;
  return twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
}

/** Rule 2: round(quantity × unitPrice × rate) to the currency's minor digits, half-even. */
function lineStandard(quantity: number, unitPrice: string, rate: string, digits: number): bigint {
  const p = scaled(unitPrice);
  const r = scaled(rate);
  const exact = BigInt(quantity) * p.n * r.n; // scale p.scale + r.scale
  const shift = p.scale + r.scale - digits;
  return shift >= 0 ? divHalfEven(exact, 10n ** BigInt(shift)) : exact * 10n ** BigInt(-shift);
}

function money(minor: bigint, digits: number): string {
  const abs = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, "0");
  const plain = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return minor < 0n ? `-${plain}` : plain;
}

const monthFormats = new Map<string, Intl.DateTimeFormat>();
/** Rule 9: YYYY-MM of an instant in a zone (Intl, not domain/calendar.ts). */
function monthIn(ms: number, zone: string): string {
  let format = monthFormats.get(zone);
  if (!format) monthFormats.set(zone, (format = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit" })));
  const parts = format.formatToParts(ms);
  return `${parts.find((x) => x.type === "year")!.value}-${parts.find((x) => x.type === "month")!.value}`;
}

function monthAfter(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${month.slice(0, 4)}-${String(m + 1).padStart(2, "0")}`;
}

/** §13: the month an amount of `month` is booked in: the first open month once `month` is closed. */
function bookedIn(closedThrough: ReadonlyMap<string, string>, marketplace: string, month: string): string {
  const closed = closedThrough.get(marketplace);
  return closed !== undefined && month <= closed ? monthAfter(closed) : month;
}

/** Per lane: "booked" = as the ledger books it (schedules followed); 1, 2 = that version throughout. */
type Lanes = { booked: bigint } & Record<Version, bigint>;

interface RefEntry {
  position: number;
  eventId: string;
  kind: "standard" | "standard_reversal";
  creatorId: string;
  marketplace: string;
  shipmentId: string;
  asin: string;
  originalMonth: string;
  bookedMonth: string;
  /** The version of the booked lane (a reversal: its shipment's). */
  ruleVersion: number;
  rate: string;
  amount: Lanes;
}

interface RefLine {
  asin: string;
  quantity: number;
  returned: number;
  rate: string;
  amount: Lanes;
  reversed: Lanes;
}

interface Reference {
  entries: RefEntry[];
  /** §13: per marketplace, the latest closed month at the end of the history. */
  closedThrough: Map<string, string>;
  /** Coverage: shipments booked by version 2, shipments on a schedule's effectiveFrom exactly, shipments applied before a schedule that would cover them, ties between valid schedules of different versions. */
  stats: { v2Shipments: number; onBoundary: number; judgedBeforeSchedule: number; ties: number };
}

const LANES = ["booked", 1, 2] as const;

/** Folds the raw events in log order (position = index + 1). */
function reference(events: readonly RawEvent[]): Reference {
  const campaigns = new Map<string, string>(); // campaignId → marketplace
  const pairs = new Set<string>();
  const trackings = new Map<string, { creatorId: string; campaignId: string }>();
  const shipments = new Map<string, { creatorId: string; marketplace: string; version: number; lines: RefLine[] }>();
  const subscriptions = new Set<string>();
  const schedules: { version: number; fromMs: number; position: number }[] = [];
  const closedThrough = new Map<string, string>();
  const entries: RefEntry[] = [];
  const stats = { v2Shipments: 0, onBoundary: 0, judgedBeforeSchedule: 0, ties: 0 };
  const shipmentTimes: { position: number; ms: number; version: number }[] = [];

  events.forEach((e, i) => {
    const position = i + 1;
    const atMs = Date.parse(e.occurredAt);
    const d = e.data as Record<string, unknown>;
    switch (e.type) {
      case "CampaignCreated":
        if (!campaigns.has(d.campaignId as string)) campaigns.set(d.campaignId as string, d.marketplace as string);
        break;
      case "CampaignAccepted": {
        // Rule 1 (§3 anomalies): a known campaign, once per creator, a tracking id not in use.
        const campaignId = d.campaignId as string;
        const creatorId = d.creatorId as string;
        const pair = `${campaignId}/${creatorId}`;
        if (!campaigns.has(campaignId) || pairs.has(pair) || trackings.has(d.trackingId as string)) break;
        pairs.add(pair);
        trackings.set(d.trackingId as string, { creatorId, campaignId });
        break;
      }
      case "RuleVersionScheduled": {
        // §14: an unknown version, or an effectiveFrom before the event itself, schedules nothing.
        const version = d.ruleVersion as number;
        const fromMs = Date.parse(d.effectiveFrom as string);
        if (RATES[version] === undefined || fromMs < atMs) break;
        if (schedules.some((s) => s.fromMs === fromMs && s.version !== version)) stats.ties += 1;
        schedules.push({ version, fromMs, position });
        break;
      }
      case "PeriodClosed": {
        // §13: the month must have ended in the zone at occurredAt, and be after the latest closed one.
        const marketplace = d.marketplace as string;
        const month = d.month as string;
        const closed = closedThrough.get(marketplace);
        if (month < monthIn(atMs, MARKETS[marketplace]!.zone) && (closed === undefined || month > closed))
          closedThrough.set(marketplace, month);
        break;
      }
      case "ShipmentRecorded":
      case "SubscribeAndSaveFirstShipment": {
        const acceptance = trackings.get(d.trackingId as string);
        if (!acceptance || shipments.has(d.shipmentId as string)) break; // rule 1; a shipmentId already recorded
        if (e.type === "SubscribeAndSaveFirstShipment") {
          if (subscriptions.has(d.subscriptionId as string)) break; // rule 6
          subscriptions.add(d.subscriptionId as string);
        }
        // §14: the schedules applied so far; the latest effectiveFrom ≤ occurredAt, the later event on a tie.
        let inForce: { version: number; fromMs: number } | null = null;
        for (const s of schedules) if (s.fromMs <= atMs && (inForce === null || s.fromMs >= inForce.fromMs)) inForce = s;
        const version = inForce?.version ?? 1;
        if (version === 2) stats.v2Shipments += 1;
        if (schedules.some((s) => s.fromMs === atMs)) stats.onBoundary += 1;
        shipmentTimes.push({ position, ms: atMs, version });
        const marketplace = campaigns.get(acceptance.campaignId)!;
        const { digits, zone } = MARKETS[marketplace]!;
        const month = monthIn(atMs, zone);
        const shipment = { creatorId: acceptance.creatorId, marketplace, version, lines: [] as RefLine[] };
        shipments.set(d.shipmentId as string, shipment);
        for (const l of d.lines as { asin: string; category: string; quantity: number; unitPrice: string }[]) {
          const of = (v: number) => lineStandard(l.quantity, l.unitPrice, rateOf(v, l.category), digits);
          const amount: Lanes = { booked: of(version), 1: of(1), 2: of(2) };
          shipment.lines.push({
            asin: l.asin,
            quantity: l.quantity,
            returned: 0,
            rate: rateOf(version, l.category),
            amount,
            reversed: { booked: 0n, 1: 0n, 2: 0n },
          });
          entries.push({
            position,
            eventId: e.id,
            kind: "standard",
            creatorId: acceptance.creatorId,
            marketplace,
            shipmentId: d.shipmentId as string,
            asin: l.asin,
            originalMonth: month,
            bookedMonth: bookedIn(closedThrough, marketplace, month),
            ruleVersion: version,
            rate: rateOf(version, l.category),
            amount,
          });
        }
        break;
      }
      case "ShipmentReturned": {
        const shipment = shipments.get(d.shipmentId as string);
        if (!shipment) break;
        const month = monthIn(atMs, MARKETS[shipment.marketplace]!.zone);
        for (const r of d.lines as { asin: string; quantity: number }[]) {
          // Rule 8: returned units go to the shipment's lines of that ASIN in order, never past what was shipped.
          let left = r.quantity;
          for (const line of shipment.lines.filter((l) => l.asin === r.asin)) {
            const units = Math.min(left, line.quantity - line.returned);
            if (units <= 0) continue;
            left -= units;
            line.returned += units;
            const amount = {} as Lanes;
            for (const lane of LANES) {
              // Proportional, half-even; the last unit back takes what is left; never past the original.
              const remaining = line.amount[lane] - line.reversed[lane];
              const part =
                line.returned === line.quantity
                  ? remaining
                  : [divHalfEven(line.amount[lane] * BigInt(units), BigInt(line.quantity)), remaining].reduce((a, b) => (a < b ? a : b));
              line.reversed[lane] += part;
              amount[lane] = -part;
            }
            entries.push({
              position,
              eventId: e.id,
              kind: "standard_reversal",
              creatorId: shipment.creatorId,
              marketplace: shipment.marketplace,
              shipmentId: d.shipmentId as string,
              asin: line.asin,
              originalMonth: month,
              bookedMonth: bookedIn(closedThrough, shipment.marketplace, month),
              ruleVersion: shipment.version,
              rate: line.rate,
              amount,
            });
          }
        }
        break;
      }
    }
  });
  // Shipments applied before a schedule that, had it been there, would have changed their version.
  for (const t of shipmentTimes)
    if (schedules.some((s) => s.position > t.position && s.fromMs <= t.ms && s.version !== t.version)) stats.judgedBeforeSchedule += 1;
  return { entries, closedThrough, stats };
}

/** What the journal shows of a reference entry (the booked lane). */
function expectedEntry(r: RefEntry) {
  return {
    position: r.position,
    sourceEventId: r.eventId,
    kind: r.kind,
    creatorId: r.creatorId,
    marketplace: r.marketplace,
    shipmentId: r.shipmentId,
    asin: r.asin,
    amount: money(r.amount.booked, MARKETS[r.marketplace]!.digits),
    rate: r.rate,
    ruleVersion: r.ruleVersion,
    earningMonth: r.bookedMonth,
    originalMonth: r.originalMonth,
  };
}

interface ExpectedRow {
  creatorId: string;
  month: string;
  bookedMinor: bigint;
  recomputedMinor: bigint;
}

/** §14 "read precisely": rows per creator and booked month in range with a standard or reversal entry; booked lane vs version N's. */
function expectedRows(ref: Reference, marketplace: string, from: string, to: string, version: Version): ExpectedRow[] {
  const rows = new Map<string, ExpectedRow>();
  for (const e of ref.entries) {
    if (e.marketplace !== marketplace || e.bookedMonth < from || e.bookedMonth > to) continue;
    const key = `${e.creatorId}\u0000${e.bookedMonth}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { creatorId: e.creatorId, month: e.bookedMonth, bookedMinor: 0n, recomputedMinor: 0n }));
    row.bookedMinor += e.amount.booked;
    row.recomputedMinor += e.amount[version];
  }
  const codePoints = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1); // ids are ASCII: code units = code points
  return [...rows.values()].sort((a, b) => codePoints(a.creatorId, b.creatorId) || codePoints(a.month, b.month));
}

function rowView(row: ExpectedRow, digits: number) {
  return {
    creatorId: row.creatorId,
    month: row.month,
    booked: money(row.bookedMinor, digits),
    recomputed: money(row.recomputedMinor, digits),
    difference: money(row.recomputedMinor - row.bookedMinor, digits),
  };
}

// ---------------------------------------------------------------------------------------------
// A Ledger over a temp data dir, its read models projected by the harness' runner
// ---------------------------------------------------------------------------------------------

interface TestLedger {
  ledger: Ledger;
  dbs: Dbs;
  runner: ProjectionRunner;
}

async function withLedger(kind: ReadModelKind, fn: (t: TestLedger) => Promise<void>): Promise<void> {
  const dir = tempDir("ledger-rules-");
  const dataDir = join(dir, "data");
  mkdirSync(dataDir, { recursive: true });
  const schema = kind === "postgres" ? randomSchema("rules") : null;
  const env: Record<string, string> = { LEDGER_DATA_DIR: dataDir, LEDGER_DEMO: "0", LEDGER_SCHEDULER: "0", LEDGER_PROJECTORS: "none" };
  if (schema !== null)
    Object.assign(env, { LEDGER_READ_MODELS: "postgres", LEDGER_READ_MODELS_URL: PG_URL, LEDGER_READ_MODELS_SCHEMA: schema });
  let ledger: Ledger | null = null;
  let dbs: Dbs | null = null;
  let runner: ProjectionRunner | null = null;
  try {
    ledger = await Ledger.open(loadConfig(env), createLogger("silent"));
    // The read models the ledger reads, written by one runner of this process (the ledger's own files or schema).
    dbs = await openDbs(kind, schema === null ? { dir: dataDir } : { dir: dataDir, schema });
    runner = await makeRunner(ledger.store, dbs);
    await fn({ ledger, dbs, runner });
  } finally {
    await runner?.stop();
    if (dbs) await closeDbs(dbs);
    await ledger?.close();
    if (schema !== null) await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The journal's entries of some kinds, as the API shows them, in position order. */
async function journalEntries(dbs: Dbs, kinds: readonly string[]) {
  const p = await activePrefix(dbs.journal, "journal");
  const rows = await dbs.journal.query<Record<string, unknown> & { position: unknown; seq: unknown }>(
    `SELECT ${ENTRY_VIEW_COLUMNS} FROM ${p}entries WHERE kind IN (${kinds.map(() => "?").join(", ")}) ORDER BY position, seq`,
    [...kinds],
  );
  return rows.map(entryView);
}

/** Σ of the journal's standard and standard_reversal entries per creator and booked month of a marketplace, in minor units. */
async function journalBooked(dbs: Dbs, marketplace: string): Promise<Map<string, bigint>> {
  const digits = MARKETS[marketplace]!.digits;
  const out = new Map<string, bigint>();
  for (const e of await journalEntries(dbs, ["standard", "standard_reversal"])) {
    if (e.marketplace !== marketplace) continue;
    const key = `${e.creatorId}\u0000${e.earningMonth}`;
    out.set(key, (out.get(key) ?? 0n) + toMinor(e.amount, digits));
  }
  return out;
}

function toMinor(amount: string, digits: number): bigint {
  const { n, scale } = scaled(amount.replace(/^-/, ""));
  const abs = n * 10n ** BigInt(digits - scale);
  return amount.startsWith("-") ? -abs : abs;
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

/**
 * Version 2 differs from version 1 in one category, toys, which the generator draws for one line in
 * ten; its kitchen and beauty lines become toys here too (a category changes nothing but the rate),
 * so that three lines in ten differ between the versions.
 */
const AS_TOYS = new Set(["kitchen", "beauty"]);
function moreToys(events: readonly RawEvent[]): RawEvent[] {
  return events.map((e) => {
    if (e.type !== "ShipmentRecorded" && e.type !== "SubscribeAndSaveFirstShipment") return e;
    const lines = (e.data.lines as { category: string }[]).map((l) => (AS_TOYS.has(l.category) ? { ...l, category: "toys" } : l));
    return { ...e, data: { ...e.data, lines } };
  });
}

/** A true-up's month range: the whole span of the histories now and then, else a random one (may miss every booked month). */
const rangeArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant<[number, number]>([0, MONTHS.length - 1]) },
  { weight: 2, arbitrary: fc.tuple(fc.nat({ max: MONTHS.length - 1 }), fc.nat({ max: MONTHS.length - 1 })) },
);

const requestArb = fc.record({
  range: rangeArb,
  applyVersion: fc.constantFrom<Version>(1, 2, 2),
  /** When the true-up is applied (its adjustments' occurredAt): from the histories' start to months after them. */
  nowMin: fc.integer({ min: 0, max: 240 * 24 * 60 }),
});
type TrueUpDraw = { range: [number, number]; applyVersion: Version; nowMin: number };

/** What the histories covered, summed over the runs (reported, and a floor asserted). */
const coverage = () => ({
  entries: 0,
  v2Entries: 0,
  movedEntries: 0,
  rows: 0,
  nonzeroRows: 0,
  adjustments: 0,
  movedAdjustments: 0,
  v2Shipments: 0,
  onBoundary: 0,
  judgedBeforeSchedule: 0,
  ties: 0,
});
type Coverage = ReturnType<typeof coverage>;

/** The three properties on one history, over a Ledger of `kind` read models. */
async function checkHistory(kind: ReadModelKind, events: readonly RawEvent[], markets: readonly string[], q: TrueUpDraw, seen: Coverage) {
  const ref = reference(events);
  for (const k of Object.keys(ref.stats) as (keyof Reference["stats"])[]) seen[k] += ref.stats[k];
  const [from, to] = [MONTHS[Math.min(...q.range)]!, MONTHS[Math.max(...q.range)]!];
  const request = (marketplace: string, ruleVersion: Version, dryRun: boolean) => ({
    ruleVersion,
    marketplace: marketplace as MarketplaceCode,
    from,
    to,
    actor: "finance:ana",
    dryRun,
  });

  await withLedger(kind, async ({ ledger, dbs, runner }) => {
    const head = (await appendRaw(ledger.store, events)).lastPosition;
    expect(await runner.catchUp()).toBe(head);

    // 1. Every standard and standard_reversal entry of the journal = the reference's booked lane.
    const journal = (await journalEntries(dbs, ["standard", "standard_reversal"])).map((e) => ({
      position: e.position,
      sourceEventId: e.sourceEventId,
      kind: e.kind,
      creatorId: e.creatorId,
      marketplace: e.marketplace,
      shipmentId: e.shipmentId,
      asin: e.asin,
      amount: e.amount,
      rate: e.rate,
      ruleVersion: e.ruleVersion,
      earningMonth: e.earningMonth,
      originalMonth: e.originalMonth,
    }));
    expect(journal, "standard entries = the reference").toEqual(ref.entries.map(expectedEntry));
    seen.entries += journal.length;
    seen.v2Entries += journal.filter((e) => e.ruleVersion === 2).length;
    seen.movedEntries += journal.filter((e) => e.earningMonth !== e.originalMonth).length;

    // 2. The dry run of each marketplace under each version: rows and totals = the reference's recomputed − booked.
    const dryRuns = new Map<string, TrueUpAnswer>();
    for (const marketplace of markets) {
      const digits = MARKETS[marketplace]!.digits;
      for (const version of VERSIONS) {
        const rows = expectedRows(ref, marketplace, from, to, version);
        const answer = await trueUp(ledger, request(marketplace, version, true));
        const sum = (f: (r: ExpectedRow) => bigint) =>
          money(
            rows.reduce((acc, r) => acc + f(r), 0n),
            digits,
          );
        const where = `version ${version}, ${marketplace} ${from}..${to}`;
        expect(answer.rows, `${where}: rows`).toEqual(rows.map((r) => rowView(r, digits)));
        expect(answer.totals, `${where}: totals`).toEqual({
          booked: sum((r) => r.bookedMinor),
          recomputed: sum((r) => r.recomputedMinor),
          difference: sum((r) => r.recomputedMinor - r.bookedMinor),
        });
        expect([answer.asOfPosition, answer.dryRun, answer.adjustments, answer.lastPosition], where).toEqual([head, true, [], null]);
        dryRuns.set(`${marketplace} ${version}`, answer);
        seen.rows += rows.length;
        seen.nonzeroRows += rows.filter((r) => r.recomputedMinor !== r.bookedMinor).length;
      }
    }
    expect(await ledger.store.head(), "a dry run appends nothing").toBe(head);

    // 3. Applying the drawn version in each marketplace in turn: one rule_change adjustment per
    // nonzero row; the journal's booked standard + that row's adjustment = recomputed; then once more.
    const version = q.applyVersion;
    const nowMs = BASE_MS + q.nowMin * 60_000;
    let position = head;
    for (const marketplace of markets) {
      const digits = MARKETS[marketplace]!.digits;
      const rows = expectedRows(ref, marketplace, from, to, version);
      const nonzero = rows.filter((r) => r.recomputedMinor !== r.bookedMinor);
      const differenceOf = (r: ExpectedRow) => money(r.recomputedMinor - r.bookedMinor, digits);
      const idOf = (r: ExpectedRow) => `trueup:${version}:${r.creatorId}:${marketplace}:${r.month}`;
      const where = `applying version ${version}, ${marketplace} ${from}..${to}`;
      const applied = await trueUp(ledger, request(marketplace, version, false), { nowMs });
      expect(applied.rows, `${where}: rows = the dry run's`).toEqual(dryRuns.get(`${marketplace} ${version}`)!.rows);
      expect(applied.adjustments, `${where}: one appended adjustment per nonzero row`).toEqual(
        nonzero.map((r) => ({
          id: idOf(r),
          creatorId: r.creatorId,
          month: r.month,
          amount: differenceOf(r),
          status: "appended",
          storedAmount: null,
        })),
      );
      position += nonzero.length;
      expect(applied.lastPosition, where).toBe(position);
      expect(await runner.catchUp(), where).toBe(position);
      for (const r of nonzero) {
        const stored = await ledger.store.readById(idOf(r));
        expect(stored?.type, `${where}: ${idOf(r)}`).toBe("CommissionAdjusted");
        expect(stored?.data, `${where}: ${idOf(r)}`).toEqual({
          creatorId: r.creatorId,
          marketplace,
          amount: differenceOf(r),
          reasonCode: "rule_change",
          note: expect.stringMatching(new RegExp(`rule version ${version}\\b.*${r.month}`)),
          actor: "finance:ana",
        });
      }

      // Booked in the month of occurredAt, or the first open one (§13): never in a closed month.
      const nowMonth = monthIn(nowMs, MARKETS[marketplace]!.zone);
      const adjustments = (await journalEntries(dbs, ["adjustment"])).filter(
        (e) => e.sourceEventId.startsWith("trueup:") && e.marketplace === marketplace,
      );
      expect(
        adjustments.map((e) => [e.sourceEventId, e.creatorId, e.amount, e.campaignId, e.earningMonth, e.originalMonth]),
        `${where}: the adjustments in the journal`,
      ).toEqual(
        nonzero.map((r) => [idOf(r), r.creatorId, differenceOf(r), null, bookedIn(ref.closedThrough, marketplace, nowMonth), nowMonth]),
      );
      seen.adjustments += adjustments.length;
      seen.movedAdjustments += adjustments.filter((e) => e.earningMonth !== e.originalMonth).length;

      // For every row: the journal's booked standard + that row's adjustment = the reference's recomputed.
      const booked = await journalBooked(dbs, marketplace);
      const adjusted = new Map<string, bigint>();
      for (const e of adjustments) adjusted.set(e.sourceEventId, (adjusted.get(e.sourceEventId) ?? 0n) + toMinor(e.amount, digits));
      for (const r of rows) {
        const total = (booked.get(`${r.creatorId}\u0000${r.month}`) ?? 0n) + (adjusted.get(idOf(r)) ?? 0n);
        expect(money(total, digits), `${where}: ${r.creatorId} ${r.month}: booked + rule_change adjustment = recomputed`).toBe(
          money(r.recomputedMinor, digits),
        );
      }

      // A second apply: the same rows (adjustments are not booked standard), nothing appended.
      const again = await trueUp(ledger, request(marketplace, version, false), { nowMs: nowMs + DAY_MS });
      expect(again.rows, `${where}: rows after applying`).toEqual(applied.rows);
      expect(
        again.adjustments.map((a) => [a.id, a.status, a.storedAmount]),
        `${where}: a second apply`,
      ).toEqual(applied.adjustments.map((a) => [a.id, "duplicate", a.amount]));
      expect([again.lastPosition, await ledger.store.head()], `${where}: a second apply`).toEqual([position, position]);
    }
  });
}

describe.each<ReadModelKind>(["sqlite", "postgres"])("SPEC §14 over random histories (%s read models)", (kind) => {
  it(
    "journal = a reference fold switching rate tables at effectiveFrom; true-up rows = recomputed − booked; applying closes the gap, once",
    async () => {
      const seen = coverage();
      await fc.assert(
        fc.asyncProperty(historyArb(), requestArb, async (s, q) => {
          const markets = [...new Set(s.universe.campaigns.map((c) => c.marketplace))];
          await checkHistory(kind, moreToys(s.events), markets, q, seen);
        }),
        // Shrinking stops after SHRINK_LIMIT_MS (each try opens a ledger): the failure is reported with the smallest history found by then.
        { seed: SEED, numRuns: RUNS[kind], interruptAfterTimeLimit: SHRINK_LIMIT_MS },
      );
      // The histories did what they are for (the seed is fixed, so these counts are too: on SQLite
      // 644 entries, 220 by version 2, 21 shipments on an effectiveFrom, 7 judged before a schedule
      // that would cover them, 5 ties, 78 nonzero rows, 27 adjustments).
      expect(seen.v2Entries, "entries booked by version 2").toBeGreaterThan(RUNS[kind]);
      expect(seen.onBoundary, "shipments exactly on an effectiveFrom").toBeGreaterThan(0);
      expect(seen.judgedBeforeSchedule, "shipments applied before a schedule that would cover them").toBeGreaterThan(0);
      expect(seen.ties, "ties between schedules of different versions").toBeGreaterThan(0);
      expect(seen.nonzeroRows, "true-up rows with a difference").toBeGreaterThan(RUNS[kind]);
      expect(seen.adjustments, "adjustments appended").toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT_MS,
  );
});
