// Projection test harness: a temp directory with an SQLite event store, the four projection
// databases (SQLite files, or one PostgreSQL schema), raw wire events appended through the real
// validation, a ProjectionRunner to catch up, and a canonical export of each projection (every
// table of `definition.tables`, rows ordered by their key columns, JSON lines) with its sha256.
// Nothing here computes an expected amount: tests write those out by hand (DESIGN: tests by tier).
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ReadModelDb } from "../../infra/readModel/port.ts";
import { openSqliteReadModelDb } from "../../infra/readModel/sqliteReadModelDb.ts";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import type { AppendResult, EventStore } from "../../infra/eventStore/port.ts";
import { openSqliteSnapshotStore, type SnapshotStore } from "../../infra/engineSnapshots.ts";
import { validateBatch, type ValidateOptions } from "../../domain/events/validate.ts";
import { BATCH_EVENTS_MAX } from "../../domain/events/limits.ts";
import { PROJECTION_NAMES, tablePrefix, type ProjectionName } from "../../projections/projection.ts";
import { activeVersion, ensureVersionsTable, Projector } from "../../projections/projector.ts";
import { ProjectionRunner } from "../../projections/runner.ts";
import { DEFINITIONS } from "../../projections/definitions.ts";
import { PG_URL, dropSchema, randomSchema } from "./pgTest.ts";

export type ReadModelKind = "sqlite" | "postgres";
export type Dbs = Record<ProjectionName, ReadModelDb>;

// ---------------------------------------------------------------------------------------------
// Directory, store, read-model databases
// ---------------------------------------------------------------------------------------------

export function tempDir(prefix = "ledger-proj-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function storeFile(dir: string): string {
  return join(dir, "events.sqlite");
}

export function snapshotFile(dir: string): string {
  return join(dir, "engine-snapshots.db");
}

/** Opens the four projection databases: `<dir>/<name>.db`, or one PostgreSQL schema shared by all four. */
export async function openDbs(kind: ReadModelKind, where: { dir: string; schema?: string }): Promise<Dbs> {
  const dbs = {} as Dbs;
  // One after the other: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against concurrent creators.
  for (const name of PROJECTION_NAMES) {
    if (kind === "sqlite") {
      dbs[name] = openSqliteReadModelDb(join(where.dir, `${name}.db`));
    } else {
      if (!where.schema) throw new Error("openDbs: postgres needs a schema");
      const { openPostgresReadModelDb } = await import("../../infra/readModel/postgresReadModelDb.ts");
      dbs[name] = await openPostgresReadModelDb({ connectionString: PG_URL, schema: where.schema });
    }
  }
  return dbs;
}

export async function closeDbs(dbs: Dbs): Promise<void> {
  for (const name of PROJECTION_NAMES) await dbs[name].close();
}

/** One test's world: a temp dir with the store and snapshots, and the read models (SQLite in the dir, or a PG schema). */
export interface ProjectionEnv {
  readonly kind: ReadModelKind;
  readonly dir: string;
  readonly schema: string | null;
  readonly store: EventStore;
  readonly snapshots: SnapshotStore;
  dbs: Dbs;
  /** Closes the read-model databases and opens them again (what a restarted process does). */
  reopenDbs(): Promise<void>;
  close(): Promise<void>;
}

export async function openEnv(kind: ReadModelKind = "sqlite", dir: string = tempDir()): Promise<ProjectionEnv> {
  const schema = kind === "postgres" ? randomSchema("proj") : null;
  const store = await openSqliteEventStore({ file: storeFile(dir) });
  const snapshots = openSqliteSnapshotStore(snapshotFile(dir), { storeId: store.storeId });
  const where = schema === null ? { dir } : { dir, schema };
  const env: ProjectionEnv = {
    kind,
    dir,
    schema,
    store,
    snapshots,
    dbs: await openDbs(kind, where),
    async reopenDbs() {
      await closeDbs(env.dbs);
      env.dbs = await openDbs(kind, where);
    },
    async close() {
      await closeDbs(env.dbs);
      await snapshots.close();
      await store.close();
      if (schema !== null) await dropSchema(schema);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

/** Runs `fn` over a fresh env of `kind` and closes it whatever happens. */
export async function withEnv<T>(kind: ReadModelKind, fn: (env: ProjectionEnv) => Promise<T>): Promise<T> {
  const env = await openEnv(kind);
  try {
    return await fn(env);
  } finally {
    await env.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/** Validates raw wire events (SPEC §2-3) and appends them in batches of at most BATCH_EVENTS_MAX; `internal` lets the ledger's own types (webhook registrations) through. */
export async function appendRaw(store: EventStore, raws: readonly unknown[], options: ValidateOptions = {}): Promise<AppendResult> {
  let last: AppendResult = { appended: 0, duplicates: 0, lastPosition: await store.head(), outcomes: [] };
  let appended = 0;
  let duplicates = 0;
  for (let start = 0; start < raws.length; start += BATCH_EVENTS_MAX) {
    const result = validateBatch(raws.slice(start, start + BATCH_EVENTS_MAX), options);
    if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.problems.slice(0, 5))}`);
    last = await store.append(result.events);
    appended += last.appended;
    duplicates += last.duplicates;
  }
  return { ...last, appended, duplicates };
}

// ---------------------------------------------------------------------------------------------
// Projectors and runners
// ---------------------------------------------------------------------------------------------

export async function openProjectors(dbs: Dbs, names: readonly ProjectionName[] = PROJECTION_NAMES, ruleVersion = 1): Promise<Projector[]> {
  const projectors: Projector[] = [];
  for (const name of names) projectors.push(await Projector.open(dbs[name], DEFINITIONS[name], { ruleVersion }));
  return projectors;
}

export interface RunnerSetup {
  batchSize?: number;
  /** Events a catch-up reads and folds at a time within a batch (RunnerOptions.pageSize). */
  pageSize?: number;
  /** Keep engine snapshots in `snapshots` under `group` (default: no snapshots). */
  snapshots?: SnapshotStore | null;
  group?: string;
  snapshotEveryEvents?: number;
  names?: readonly ProjectionName[];
  onBatch?: (lastPosition: number, events: number) => void;
}

export async function makeRunner(store: EventStore, dbs: Dbs, setup: RunnerSetup = {}): Promise<ProjectionRunner> {
  const projectors = await openProjectors(dbs, setup.names ?? PROJECTION_NAMES);
  const snapshots = setup.snapshots ?? null;
  return new ProjectionRunner({
    store,
    projectors,
    group: snapshots ? (setup.group ?? "all") : null,
    snapshots,
    ...(setup.batchSize === undefined ? {} : { batchSize: setup.batchSize }),
    ...(setup.pageSize === undefined ? {} : { pageSize: setup.pageSize }),
    ...(setup.snapshotEveryEvents === undefined ? {} : { snapshotEveryEvents: setup.snapshotEveryEvents }),
    ...(setup.onBatch === undefined ? {} : { onBatch: setup.onBatch }),
  });
}

/** A fresh runner over `dbs` that catches up with the store's head. */
export async function catchUp(store: EventStore, dbs: Dbs, setup: RunnerSetup = {}): Promise<ProjectionRunner> {
  const runner = await makeRunner(store, dbs, setup);
  await runner.catchUp();
  return runner;
}

/** Every page of a paged read, from cursor `first` on, following `next` until it gives null (the pages with their cursors). */
export async function allPages<C, P>(first: C, read: (after: C) => Promise<P>, next: (page: P) => C | null): Promise<P[]> {
  const pages: P[] = [];
  for (let after: C | null = first; after !== null;) {
    const page = await read(after);
    pages.push(page);
    after = next(page);
  }
  return pages;
}

/** "12.3", a ledger, account or anomaly cursor (position.seq), as the cursor object the reads take. */
export function parseCursor(text: string): { position: number; seq: number } {
  const [position, seq] = text.split(".").map(Number) as [number, number];
  return { position, seq };
}

/** Polls `check` every 10 ms until it holds; throws after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Active prefix of a projection (`earnings_v1_`), for the query functions. */
export async function activePrefix(db: ReadModelDb, name: ProjectionName): Promise<string> {
  const info = await activeVersion(db, name);
  if (!info) throw new Error(`projection ${name} has no active version`);
  return tablePrefix(name, info.version);
}

export async function prefixes(dbs: Dbs): Promise<Record<ProjectionName, string>> {
  const out = {} as Record<ProjectionName, string>;
  for (const name of PROJECTION_NAMES) out[name] = await activePrefix(dbs[name], name);
  return out;
}

export async function checkpoints(dbs: Dbs): Promise<Record<ProjectionName, number>> {
  const out = {} as Record<ProjectionName, number>;
  for (const name of PROJECTION_NAMES) {
    await ensureVersionsTable(dbs[name]); // a projection no projector opened yet is at 0
    out[name] = (await activeVersion(dbs[name], name))?.position ?? 0;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Canonical export
// ---------------------------------------------------------------------------------------------

/** Dialect-neutral value: SQLite returns BIGINT as number, PostgreSQL as string; both become a string. */
function neutral(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "string") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  throw new Error(`canonical export: unexpected value ${String(value)}`);
}

const INTEGER_TEXT = /^-?[0-9]{1,15}$/;

/** Orders by key columns; integer-looking keys compare as numbers (positions), others by code unit (not collation). */
function compareKeys(a: readonly (string | null)[], b: readonly (string | null)[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x === y) continue;
    if (INTEGER_TEXT.test(x) && INTEGER_TEXT.test(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Every table of the projection's definition for one version (default: the active one), each row a
 * JSON line `{"table":..., "row": {column: value, ...}}` with columns in name order, rows ordered by
 * the table's key columns. Independent of the SQL dialect, so SQLite and PostgreSQL exports compare.
 */
export async function canonicalExport(db: ReadModelDb, name: ProjectionName, version?: number): Promise<string> {
  const definition = DEFINITIONS[name];
  const prefix = version === undefined ? await activePrefix(db, name) : tablePrefix(name, version);
  const lines: string[] = [];
  for (const [table, keys] of Object.entries(definition.tables).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${prefix}${table}`);
    const normal = rows.map((row) => {
      const columns = Object.keys(row).sort();
      const out: Record<string, string | null> = {};
      for (const c of columns) out[c] = neutral(row[c]);
      return { key: keys.map((k) => out[k] ?? null), out };
    });
    normal.sort((a, b) => compareKeys(a.key, b.key));
    for (const r of normal) lines.push(JSON.stringify({ table, row: r.out }));
  }
  return lines.join("\n") + "\n";
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export interface ProjectionExport {
  text: string;
  hash: string;
  rows: number;
}

export async function exportAll(dbs: Dbs): Promise<Record<ProjectionName, ProjectionExport>> {
  const out = {} as Record<ProjectionName, ProjectionExport>;
  for (const name of PROJECTION_NAMES) {
    const text = await canonicalExport(dbs[name], name);
    out[name] = { text, hash: sha256(text), rows: text.split("\n").length - 1 };
  }
  return out;
}

/** Asserts two sets of read models export identically; on a mismatch, names the first differing line. */
export async function expectSameExports(actualDbs: Dbs, expectedDbs: Dbs): Promise<void> {
  const { expect } = await import("vitest"); // lazily: child processes import this harness outside vitest
  const expected = await exportAll(expectedDbs);
  const actual = await exportAll(actualDbs);
  for (const name of PROJECTION_NAMES) {
    expect(actual[name].rows, name).toBe(expected[name].rows);
    if (actual[name].hash !== expected[name].hash) {
      const a = actual[name].text.split("\n");
      const e = expected[name].text.split("\n");
      const at = a.findIndex((line, k) => line !== e[k]);
      expect(a[at], `${name}: first differing line ${at}`).toBe(e[at]);
    }
    expect(actual[name].hash, name).toBe(expected[name].hash);
  }
}

export async function exportHashes(dbs: Dbs): Promise<Record<ProjectionName, string>> {
  const all = await exportAll(dbs);
  return Object.fromEntries(PROJECTION_NAMES.map((n) => [n, all[n].hash])) as Record<ProjectionName, string>;
}

// ---------------------------------------------------------------------------------------------
// A deterministic generator of valid events (crash and determinism tests)
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny seeded PRNG, so a seed always yields the same event list. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface GenCampaign {
  id: string;
  marketplace: "US" | "JP" | "UK";
  asins: string[];
  startsMs: number;
  endsMs: number;
  ended: boolean;
  trackings: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CATEGORIES = ["toys", "kitchen", "electronics", "beauty", "grocery", "apparel", "amazon_games", "gift_cards", "garden"];
const DISCLOSURES = ["#ad", "Sponsored post", "thanks to the brand", "", "AD: partnership", "bad adverts", "advertisement"];

/**
 * About `count` valid raw events (and a few deliberate anomalies): campaigns in US, JP and UK with
 * small budgets (so caps and exhaustion happen), acceptances, content links, clicks, shipments of
 * 1-3 lines (some Subscribe & Save), partial and excessive returns, strikes, CampaignEnded (some
 * twice), tax info, payment methods and payouts. Business time advances with the event index, so
 * returns come after their shipments; every id is unique.
 */
export function generateEvents(seed: number, count: number): unknown[] {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const iso = (ms: number) => new Date(ms).toISOString();
  const events: unknown[] = [];
  const campaigns: GenCampaign[] = [];
  const shipments: { id: string; lines: { asin: string; quantity: number }[] }[] = [];
  const creators = Array.from({ length: 12 }, (_, i) => `gk${i}`);
  const baseMs = Date.parse("2026-01-05T10:00:00Z");
  let n = 0;
  let seq = 0;
  const push = (type: string, atMs: number, data: Record<string, unknown>, id = `g${seed}-${seq}`) => {
    seq += 1;
    events.push({ id, type, occurredAt: iso(atMs), data });
  };
  while (events.length < count) {
    n += 1;
    const nowMs = baseMs + n * 37 * 60 * 1000; // business time moves ~37 minutes per step
    const live = campaigns.filter((c) => !c.ended);
    const r = rand();
    if (campaigns.length < 3 || (r < 0.03 && live.length < 10)) {
      const marketplace = pick(["US", "US", "JP", "UK"] as const);
      const id = `gc${campaigns.length}`;
      const asins = Array.from({ length: int(1, 4) }, (_, i) => `${id}-A${i}`);
      const startsMs = nowMs - int(0, 2) * DAY_MS;
      const endsMs = startsMs + int(3, 12) * DAY_MS;
      const budget = marketplace === "JP" ? String(int(500, 5000)) : `${int(5, 60)}.${String(int(0, 99)).padStart(2, "0")}`;
      const bonusRate = pick(["0.05", "0.10", "0.15", "0.2"]);
      push("CampaignCreated", nowMs, {
        campaignId: id,
        brandId: `gb${int(0, 4)}`,
        marketplace,
        bonusRate,
        budget,
        startsAt: iso(startsMs),
        endsAt: iso(endsMs),
        asins,
      });
      campaigns.push({ id, marketplace, asins, startsMs, endsMs, ended: false, trackings: [] });
      continue;
    }
    const c = pick(live.length > 0 ? live : campaigns);
    if (r < 0.12) {
      const creator = pick(creators);
      const tracking = `gt${seq}`;
      push("CampaignAccepted", nowMs, { campaignId: c.id, creatorId: creator, trackingId: tracking });
      c.trackings.push(tracking);
      if (rand() < 0.6)
        push("ContentLinkSubmitted", nowMs + 60_000, {
          campaignId: c.id,
          creatorId: creator,
          url: `https://example.com/${seq}`,
          disclosure: pick(DISCLOSURES),
        });
      continue;
    }
    if (c.trackings.length === 0) continue;
    if (r < 0.35) {
      push(
        "ClickRecorded",
        nowMs,
        rand() < 0.5 ? { trackingId: pick(c.trackings) } : { trackingId: pick(c.trackings), asin: pick(c.asins) },
      );
    } else if (r < 0.7) {
      const lines = Array.from({ length: int(1, 3) }, () => ({
        asin: rand() < 0.7 ? pick(c.asins) : `other-${int(0, 9)}`,
        category: pick(CATEGORIES),
        quantity: int(1, 4),
        unitPrice: c.marketplace === "JP" ? String(int(100, 9000)) : `${int(1, 120)}.${String(int(0, 99)).padStart(2, "0")}`,
      }));
      const shipmentId = rand() < 0.01 && shipments.length > 0 ? pick(shipments).id : `gs${seq}`; // an occasional duplicate shipment
      const orderedMs = nowMs - int(0, 3) * DAY_MS;
      const data: Record<string, unknown> = {
        shipmentId,
        orderId: `go${int(0, 400)}`,
        trackingId: pick(c.trackings),
        orderedAt: iso(orderedMs),
        lines,
      };
      if (rand() < 0.08) {
        push("SubscribeAndSaveFirstShipment", nowMs, { ...data, subscriptionId: `gsub${int(0, 30)}` });
      } else {
        push("ShipmentRecorded", nowMs, data);
      }
      shipments.push({ id: shipmentId, lines: lines.map((l) => ({ asin: l.asin, quantity: l.quantity })) });
    } else if (r < 0.82 && shipments.length > 0) {
      const s = pick(shipments);
      const l = pick(s.lines);
      push("ShipmentReturned", nowMs, {
        shipmentId: rand() < 0.03 ? "gs-unknown" : s.id,
        lines: [{ asin: l.asin, quantity: int(1, l.quantity + 1) }],
      });
    } else if (r < 0.86) {
      push("StrikeIssued", nowMs, {
        creatorId: pick(creators),
        reason: pick(["no_content", "missing_disclosure", "other"]),
        campaignId: c.id,
      });
    } else if (r < 0.93) {
      // End the campaign whose end is due (or any, now and then); a repeat id-distinct end is an anomaly.
      const due = campaigns.find((x) => !x.ended && x.endsMs <= nowMs) ?? (rand() < 0.3 && !c.ended ? c : null);
      if (!due) continue;
      push("CampaignEnded", due.endsMs, { campaignId: due.id }, `campaign-ended:${due.id}`);
      due.ended = true;
      if (rand() < 0.1) push("CampaignEnded", due.endsMs, { campaignId: due.id }, `ce-again-${seq}`);
    } else if (r < 0.96) {
      push("TaxInfoSubmitted", nowMs, { creatorId: pick(creators), marketplace: c.marketplace });
    } else if (r < 0.985) {
      push("PaymentMethodChanged", nowMs, {
        creatorId: pick(creators),
        marketplace: c.marketplace,
        method: pick(["direct_deposit", "gift_card", "check"]),
      });
    } else {
      const amount = c.marketplace === "JP" ? String(int(1, 900)) : `${int(0, 9)}.${String(int(1, 99)).padStart(2, "0")}`;
      push("PayoutIssued", nowMs, {
        payoutId: rand() < 0.1 ? "gp-dup" : `gp${seq}`,
        creatorId: pick(creators),
        marketplace: c.marketplace,
        amount,
      });
    }
  }
  return events.slice(0, count);
}

// ---------------------------------------------------------------------------------------------
// The hand-written fixture of tests/int/projections.int.test.ts
// ---------------------------------------------------------------------------------------------
// 32 raw wire events in three ingestion phases. Every expected value in the test is worked out by hand from SPEC §4-5 in the
// comments there; the positions below (P1..P32) are the store positions of a fresh store.
//
// Actors: campaign C-US (US, USD, bonus 0.10, budget 12.00, ASINs A1 A2, March 2026 in LA) and
// C-JP (JP, JPY, bonus 0.05, budget 100000, ASIN J1, March 2026 in Tokyo); creators K1 (qualifies
// in both: "#ad", "ADVERTISEMENT") and K2 (disclosure "my favourite badge" fails rule 5).

const US_STARTS = "2026-03-01T00:00:00-08:00"; // 2026-03-01T08:00Z
const US_ENDS = "2026-04-01T00:00:00-07:00"; // 2026-04-01T07:00Z
const JP_STARTS = "2026-03-01T00:00:00+09:00"; // 2026-02-28T15:00Z
const JP_ENDS = "2026-04-01T00:00:00+09:00"; // 2026-03-31T15:00Z

type FixtureEvent = { id: string; type: string; occurredAt: string; data: Record<string, unknown> };

function shipment(
  id: string,
  occurredAt: string,
  d: { shipmentId: string; orderId: string; trackingId: string; orderedAt: string; lines: [string, string, number, string][] },
): FixtureEvent {
  return {
    id,
    type: "ShipmentRecorded",
    occurredAt,
    data: { ...d, lines: d.lines.map(([asin, category, quantity, unitPrice]) => ({ asin, category, quantity, unitPrice })) },
  };
}

/** Phase A: P1..P24, through the last shipment (C-US exhausted for the third time). */
export const PHASE_A: FixtureEvent[] = [
  /* P1 */ {
    id: "cc-us",
    type: "CampaignCreated",
    occurredAt: "2026-02-20T12:00:00Z",
    data: {
      campaignId: "C-US",
      brandId: "B1",
      marketplace: "US",
      bonusRate: "0.10",
      budget: "12.00",
      startsAt: US_STARTS,
      endsAt: US_ENDS,
      asins: ["A1", "A2"],
    },
  },
  /* P2 */ {
    id: "cc-jp",
    type: "CampaignCreated",
    occurredAt: "2026-02-21T00:00:00Z",
    data: {
      campaignId: "C-JP",
      brandId: "B2",
      marketplace: "JP",
      bonusRate: "0.05",
      budget: "100000",
      startsAt: JP_STARTS,
      endsAt: JP_ENDS,
      asins: ["J1"],
    },
  },
  /* P3 */ {
    id: "acc-k1-us",
    type: "CampaignAccepted",
    occurredAt: "2026-03-01T12:00:00Z",
    data: { campaignId: "C-US", creatorId: "K1", trackingId: "t-k1-us" },
  },
  /* P4 */ {
    id: "acc-k2-us",
    type: "CampaignAccepted",
    occurredAt: "2026-03-01T13:00:00Z",
    data: { campaignId: "C-US", creatorId: "K2", trackingId: "t-k2-us" },
  },
  /* P5 */ {
    id: "acc-k1-jp",
    type: "CampaignAccepted",
    occurredAt: "2026-03-02T00:00:00Z",
    data: { campaignId: "C-JP", creatorId: "K1", trackingId: "t-k1-jp" },
  },
  // P6: anomaly duplicate_acceptance (K1 already accepted C-US); t-k1-us-2 stays unknown.
  /* P6 */ {
    id: "acc-k1-dup",
    type: "CampaignAccepted",
    occurredAt: "2026-03-02T01:00:00Z",
    data: { campaignId: "C-US", creatorId: "K1", trackingId: "t-k1-us-2" },
  },
  /* P7 */ {
    id: "cl-k1-us",
    type: "ContentLinkSubmitted",
    occurredAt: "2026-03-05T12:00:00Z",
    data: { campaignId: "C-US", creatorId: "K1", url: "https://example.com/k1", disclosure: "Loving these! #ad" },
  },
  // P8: anomaly missing_disclosure ("badge" is not the word "ad").
  /* P8 */ {
    id: "cl-k2-us",
    type: "ContentLinkSubmitted",
    occurredAt: "2026-03-05T13:00:00Z",
    data: { campaignId: "C-US", creatorId: "K2", url: "https://example.com/k2", disclosure: "my favourite badge" },
  },
  /* P9 */ {
    id: "cl-k1-jp",
    type: "ContentLinkSubmitted",
    occurredAt: "2026-03-20T00:00:00Z",
    data: { campaignId: "C-JP", creatorId: "K1", url: "https://example.jp/k1", disclosure: "ADVERTISEMENT: paid partnership" },
  },
  // P10, P11: both on LA date 2026-03-09 (PDT since 03-08: 10:00 and 20:00 local).
  /* P10 */ { id: "ck-1", type: "ClickRecorded", occurredAt: "2026-03-09T17:00:00Z", data: { trackingId: "t-k1-us", asin: "A1" } },
  /* P11 */ { id: "ck-2", type: "ClickRecorded", occurredAt: "2026-03-10T03:00:00Z", data: { trackingId: "t-k1-us" } },
  /* P12 */ shipment("shp-1", "2026-03-10T18:00:00Z", {
    shipmentId: "S1",
    orderId: "O1",
    trackingId: "t-k1-us",
    orderedAt: "2026-03-09T18:00:00Z",
    lines: [
      ["A1", "toys", 3, "19.99"],
      ["B9", "electronics", 1, "100.00"],
    ],
  }),
  /* P13 */ shipment("shp-2", "2026-03-12T18:00:00Z", {
    shipmentId: "S2",
    orderId: "O2",
    trackingId: "t-k2-us",
    orderedAt: "2026-03-11T18:00:00Z",
    lines: [["A2", "kitchen", 2, "25.00"]],
  }),
  /* P14 */ shipment("shp-3", "2026-03-15T18:00:00Z", {
    shipmentId: "S3",
    orderId: "O3",
    trackingId: "t-k1-us",
    orderedAt: "2026-03-14T18:00:00Z",
    lines: [["A1", "toys", 1, "30.00"]],
  }),
  // P15: a second shipment of order O3 on the same day (orders counts it once).
  /* P15 */ shipment("shp-4", "2026-03-15T20:00:00Z", {
    shipmentId: "S4",
    orderId: "O3",
    trackingId: "t-k1-us",
    orderedAt: "2026-03-14T18:00:00Z",
    lines: [["A2", "grocery", 1, "10.00"]],
  }),
  /* P16 */ {
    id: "ret-2",
    type: "ShipmentReturned",
    occurredAt: "2026-03-20T18:00:00Z",
    data: { shipmentId: "S2", lines: [{ asin: "A2", quantity: 1 }] },
  },
  /* P17 */ shipment("shp-5", "2026-03-22T18:00:00Z", {
    shipmentId: "S5",
    orderId: "O5",
    trackingId: "t-k1-us",
    orderedAt: "2026-03-21T18:00:00Z",
    lines: [["A1", "toys", 1, "40.00"]],
  }),
  /* P18 */ { id: "ck-3", type: "ClickRecorded", occurredAt: "2026-03-25T18:00:00Z", data: { trackingId: "t-k2-us" } },
  // P19: anomaly unknown_tracking_id (no creator: in no creator's list).
  /* P19 */ { id: "ck-x", type: "ClickRecorded", occurredAt: "2026-03-26T18:00:00Z", data: { trackingId: "t-unknown" } },
  // P20: shipped 2026-03-31T16:00Z = Tokyo 2026-04-01 01:00 → earning month 2026-04, report day 04-01.
  /* P20 */ shipment("shp-j1", "2026-03-31T16:00:00Z", {
    shipmentId: "SJ1",
    orderId: "OJ1",
    trackingId: "t-k1-jp",
    orderedAt: "2026-03-10T00:00:00Z",
    lines: [
      ["J1", "toys", 2, "1500"],
      ["J2", "beauty", 1, "2999"],
    ],
  }),
  /* P21 */ { id: "campaign-ended:C-US", type: "CampaignEnded", occurredAt: US_ENDS, data: { campaignId: "C-US" } },
  /* P22 */ { id: "campaign-ended:C-JP", type: "CampaignEnded", occurredAt: JP_ENDS, data: { campaignId: "C-JP" } },
  // P23, P24: shipments applied after CampaignEnded of orders inside the period (LA 04-02 09:00 and 11:00).
  /* P23 */ shipment("shp-7", "2026-04-02T16:00:00Z", {
    shipmentId: "S7",
    orderId: "O7",
    trackingId: "t-k2-us",
    orderedAt: "2026-03-30T19:00:00Z",
    lines: [["A2", "home", 1, "10.00"]],
  }),
  /* P24 */ shipment("shp-6", "2026-04-02T18:00:00Z", {
    shipmentId: "S6",
    orderId: "O6",
    trackingId: "t-k1-us",
    orderedAt: "2026-03-30T18:00:00Z",
    lines: [["A1", "toys", 2, "20.00"]],
  }),
];

/** Phase B: P25..P31, a return of a confirmed bonus, a second end, tax info and payment methods. */
export const PHASE_B: FixtureEvent[] = [
  // P25: the Z9 line is an anomaly asin_not_in_shipment (K1); the A1 line reverses.
  /* P25 */ {
    id: "ret-1",
    type: "ShipmentReturned",
    occurredAt: "2026-04-10T18:00:00Z",
    data: {
      shipmentId: "S1",
      lines: [
        { asin: "A1", quantity: 1 },
        { asin: "Z9", quantity: 1 },
      ],
    },
  },
  // P26: anomaly campaign_already_ended (no creator).
  /* P26 */ { id: "ce-us-manual", type: "CampaignEnded", occurredAt: US_ENDS, data: { campaignId: "C-US" } },
  /* P27 */ { id: "tax-k1-us", type: "TaxInfoSubmitted", occurredAt: "2026-04-01T00:00:00Z", data: { creatorId: "K1", marketplace: "US" } },
  /* P28 */ {
    id: "pm-k1-us",
    type: "PaymentMethodChanged",
    occurredAt: "2026-04-01T00:05:00Z",
    data: { creatorId: "K1", marketplace: "US", method: "direct_deposit" },
  },
  /* P29 */ { id: "tax-k1-jp", type: "TaxInfoSubmitted", occurredAt: "2026-04-01T00:10:00Z", data: { creatorId: "K1", marketplace: "JP" } },
  // P30: anomaly payment_method_not_offered (no checks in JP); K1 keeps no JP method.
  /* P30 */ {
    id: "pm-k1-jp",
    type: "PaymentMethodChanged",
    occurredAt: "2026-04-01T00:15:00Z",
    data: { creatorId: "K1", marketplace: "JP", method: "check" },
  },
  /* P31 */ {
    id: "pm-k2-us",
    type: "PaymentMethodChanged",
    occurredAt: "2026-04-01T00:20:00Z",
    data: { creatorId: "K2", marketplace: "US", method: "gift_card" },
  },
];

/** Phase C: P32, the payout of K1's March earnings. */
export const PHASE_C: FixtureEvent[] = [
  /* P32 */ {
    id: "payout:K1:US:2026-05-31",
    type: "PayoutIssued",
    occurredAt: "2026-05-31T17:00:00Z",
    data: { payoutId: "payout:K1:US:2026-05-31", creatorId: "K1", marketplace: "US", amount: "16.00" },
  },
];

export const FIXTURE: FixtureEvent[] = [...PHASE_A, ...PHASE_B, ...PHASE_C];
export const FIXTURE_HEAD = 32;
