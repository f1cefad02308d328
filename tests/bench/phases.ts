// The benchmark's phases. Each runs in its own child process (bench.ts spawns them) so its peak
// RSS is its own; each can also be run alone, e.g. under `node --cpu-prof` (see bench.ts).
import { buildApp } from "../../services/http/app.ts";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import pino from "pino";
import { validateBatch } from "../../domain/events/validate.ts";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { openSqliteReadModelDb } from "../../infra/readModel/sqliteReadModelDb.ts";
import type { ProjectionName } from "../../projections/projection.ts";
import { Projector } from "../../projections/projector.ts";
import { openSqliteSnapshotStore } from "../../infra/engineSnapshots.ts";
import { ProjectionRunner } from "../../projections/runner.ts";
import { loadConfig } from "../../services/config.ts";
import { DEFINITIONS } from "../../projections/definitions.ts";
import { Ledger } from "../../services/ledger.ts";
import { mulberry32, skewedCreatorIndex, workloadShape } from "../../services/workload.ts";
import { BATCH_EVENTS, httpClient, percentile, progress, rssSampler, workloadBatches } from "./support.ts";

export const BENCH_TOKEN = "bench-token-0123456789abcdef";
/** Reads of now, then the same reads as of a random position (SPEC §8.2: folds of one owner's journal rows). */
export const QUERY_KINDS = ["earnings", "report", "budget", "payout", "ledger", "earningsAsOf", "reportAsOf", "budgetAsOf", "payoutAsOf", "ledgerAsOf"] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface PhaseResult {
  peakRssMb: number;
  [key: string]: unknown;
}

/** A ledger over `dir` as `npm start` would open it, minus projectors, demo and scheduler. */
async function openLedger(dir: string): Promise<Ledger> {
  const config = loadConfig({
    LEDGER_DATA_DIR: dir,
    LEDGER_DEMO: "0",
    LEDGER_SCHEDULER: "0",
    LEDGER_PROJECTORS: "none",
    LEDGER_LOG_LEVEL: "warn",
    LEDGER_TOKENS: `${BENCH_TOKEN}:ingest,read`,
    PORT: "0",
  });
  return Ledger.open(config, pino({ level: "warn" }, pino.destination(2)));
}

/** The HTTP app (services/http/app.ts). */
// --- baseline: raw better-sqlite3 ------------------------------------------------------------------

/** The physical limit of the embedded store: the same events as rows of one table, WAL, synchronous=FULL. */
export async function baselinePhase(o: { dir: string; seed: number; events: number }): Promise<PhaseResult> {
  const rss = rssSampler();
  fs.mkdirSync(o.dir, { recursive: true });
  const db = new Database(path.join(o.dir, "baseline.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
    occurred_at TEXT NOT NULL, data TEXT NOT NULL)`);
  const insert = db.prepare("INSERT INTO events (position, id, type, occurred_at, data) VALUES (?, ?, ?, ?, ?)");
  const insertBatch = db.transaction((batch: { id: string; type: string; occurredAt: string; data: unknown }[], first: number) => {
    for (let i = 0; i < batch.length; i += 1) {
      const e = batch[i]!;
      insert.run(first + i, e.id, e.type, e.occurredAt, JSON.stringify(e.data));
    }
  });
  const tick = progress("baseline insert", o.events);
  let insertMs = 0;
  let position = 1;
  for (const batch of workloadBatches(o.seed, o.events)) {
    const t0 = performance.now();
    insertBatch(batch, position); // one transaction (one fsync) per batch of 1,000
    insertMs += performance.now() - t0;
    position += batch.length;
    tick(position - 1);
  }
  // Scan: every row in position order, with its JSON parsed (what a replay needs at the least).
  const t0 = performance.now();
  let scanned = 0;
  for (const row of db.prepare("SELECT position, id, type, occurred_at, data FROM events ORDER BY position").iterate() as IterableIterator<{ data: string }>) {
    JSON.parse(row.data);
    scanned += 1;
  }
  const scanMs = performance.now() - t0;
  db.close();
  const peakRssMb = rss.peakMb();
  rss.stop();
  return { peakRssMb, inserted: position - 1, insertMs, insertEventsPerSec: ((position - 1) / insertMs) * 1000, scanned, scanMs, scanEventsPerSec: (scanned / scanMs) * 1000 };
}

// --- durable validated ingest: validateBatch + store.append ---------------------------------------

export async function ingestPhase(o: { dir: string; seed: number; events: number }): Promise<PhaseResult> {
  const rss = rssSampler();
  fs.mkdirSync(o.dir, { recursive: true });
  const store = await openSqliteEventStore({ file: path.join(o.dir, "events.db") });
  const tick = progress("ingest", o.events);
  let validateMs = 0;
  let appendMs = 0;
  let appended = 0;
  let duplicates = 0;
  let done = 0;
  for (const batch of workloadBatches(o.seed, o.events)) {
    const t0 = performance.now();
    const validation = validateBatch(batch);
    const t1 = performance.now();
    if (!validation.ok) throw new Error(`workload batch refused: ${JSON.stringify(validation.problems.slice(0, 3))}`);
    const result = await store.append(validation.events);
    const t2 = performance.now();
    validateMs += t1 - t0;
    appendMs += t2 - t1;
    appended += result.appended;
    duplicates += result.duplicates;
    done += batch.length;
    tick(done);
  }
  const head = await store.head();
  await store.close();
  const peakRssMb = rss.peakMb();
  rss.stop();
  const totalMs = validateMs + appendMs;
  return { peakRssMb, events: done, appended, duplicates, head, validateMs, appendMs, ingestEventsPerSec: (done / totalMs) * 1000 };
}

// --- HTTP: the API over loopback ---------------------------------------------------------------------

/** Serves the API over `dir` until stdin closes; prints `@@listening <url>` (or `@@unavailable`). */
export async function servePhase(o: { dir: string }): Promise<PhaseResult> {
  const rss = rssSampler();
  const ledger = await openLedger(o.dir);
  const app = await buildApp(ledger);
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  process.stdout.write(`@@listening ${address}\n`);
  await new Promise<void>((resolve) => {
    process.stdin.resume();
    process.stdin.on("end", resolve);
    process.stdin.on("close", resolve);
  });
  await app.close();
  const head = await ledger.store.head();
  await ledger.close();
  const peakRssMb = rss.peakMb();
  rss.stop();
  return { peakRssMb, available: true, head };
}

/** Client side of the HTTP ingest: POST /v1/events in batches of 1,000, `concurrency` in flight. */
export async function httpIngestClient(o: { url: string; seed: number; events: number; concurrency: number }) {
  const client = httpClient(o.url, BENCH_TOKEN, o.concurrency);
  const tick = progress("http ingest", o.events);
  const inFlight = new Set<Promise<void>>();
  let appended = 0;
  let done = 0;
  let failure: Error | null = null;
  const started = performance.now();
  for (const batch of workloadBatches(o.seed, o.events)) {
    if (failure) break;
    const body = JSON.stringify(batch);
    const size = batch.length;
    const p: Promise<void> = client
      .post("/v1/events", body)
      .then((answer) => {
        if (answer.status !== 200) throw new Error(`POST /v1/events answered ${answer.status}: ${answer.body.slice(0, 300)}`);
        appended += (JSON.parse(answer.body) as { appended: number }).appended;
        done += size;
        tick(done);
      })
      .catch((error: Error) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= o.concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const ms = performance.now() - started;
  client.close();
  if (failure) throw failure;
  return { events: done, appended, ms, httpIngestEventsPerSec: (done / ms) * 1000, concurrency: o.concurrency };
}

// --- rebuild from position 0 ----------------------------------------------------------------------------

/** Replays the whole store into fresh read models of `names` (one engine, every projector). */
export async function replayPhase(o: { storeFile: string; outDir: string; names: ProjectionName[] }): Promise<PhaseResult> {
  const rss = rssSampler();
  fs.mkdirSync(o.outDir, { recursive: true });
  for (const name of o.names) for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(path.join(o.outDir, `${name}.db${suffix}`), { force: true });
  const store = await openSqliteEventStore({ file: o.storeFile });
  const head = await store.head();
  const dbs = o.names.map((name) => openSqliteReadModelDb(path.join(o.outDir, `${name}.db`)));
  const projectors: Projector[] = [];
  for (let i = 0; i < o.names.length; i += 1) projectors.push(await Projector.open(dbs[i]!, DEFINITIONS[o.names[i]!], { ruleVersion: 1 }));
  const tick = progress(`rebuild ${o.names.join("+")}`, head);
  // As a service runs it: the engine's shipments on disk behind a bounded cache, saved every 25,000 events.
  const snapshotFile = path.join(o.outDir, "engine-snapshots.db");
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${snapshotFile}${suffix}`, { force: true });
  const snapshots = openSqliteSnapshotStore(snapshotFile, { storeId: store.storeId });
  const runner = new ProjectionRunner({ store, projectors, group: o.names.join("+"), snapshots, onBatch: (last) => tick(last) });
  const t0 = performance.now();
  const reached = await runner.catchUp();
  const ms = performance.now() - t0;
  for (const db of dbs) await db.close();
  await snapshots.close();
  await store.close();
  const peakRssMb = rss.peakMb();
  rss.stop();
  if (reached !== head) throw new Error(`rebuild stopped at ${reached}, head is ${head}`);
  return { peakRssMb, names: o.names, events: head, ms, eventsPerSec: (head / ms) * 1000 };
}

// --- query latency ------------------------------------------------------------------------------------

/** p50/p99 of each query over HTTP on loopback (sequential requests), or in-process if there is no app. */
export async function queryPhase(o: { dir: string; seed: number; events: number; queries: number; warmup: number }): Promise<PhaseResult> {
  const rss = rssSampler();
  const ledger = await openLedger(o.dir);
  const shape = workloadShape({ seed: o.seed, events: o.events });
  // Existing creators and campaigns, in id order (= the workload's activity order: low ids are busy).
  const earnings = await ledger.reads.earnings.active();
  const creators = (await ledger.reads.earnings.db.query<{ creator_id: string }>(`SELECT creator_id FROM ${earnings.prefix}creators ORDER BY creator_id`)).map((r) => r.creator_id);
  const budget = await ledger.reads.budget.active();
  const campaigns = (await ledger.reads.budget.db.query<{ campaign_id: string }>(`SELECT campaign_id FROM ${budget.prefix}campaigns ORDER BY campaign_id`)).map((r) => r.campaign_id);
  if (creators.length === 0 || campaigns.length === 0) throw new Error("query phase: the read models are empty (run the rebuild phase first)");

  const rng = mulberry32(o.seed ^ 0x51ed);
  const head = await ledger.store.head();
  // Positions in the later half, where most owners already exist (an earlier one is often a 404).
  const asOf = () => `asOfPosition=${Math.ceil(head / 2) + Math.floor(rng() * Math.floor(head / 2))}`;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const spanDays = Math.max(31, Math.floor((shape.endMs - shape.startMs) / 86_400_000));
  const path: Record<QueryKind, () => string> = {
    earnings: () => `/v1/creators/${creators[skewedCreatorIndex(rng(), creators.length)]}/earnings`,
    report: () => {
      const fromMs = shape.startMs + Math.floor(rng() * (spanDays - 30)) * 86_400_000;
      return `/v1/creators/${creators[skewedCreatorIndex(rng(), creators.length)]}/report?from=${day(fromMs)}&to=${day(fromMs + 29 * 86_400_000)}`;
    },
    budget: () => `/v1/campaigns/${campaigns[Math.floor(rng() * campaigns.length)]}/budget`,
    payout: () => `/v1/creators/${creators[skewedCreatorIndex(rng(), creators.length)]}/payout?asOf=${day(shape.startMs + Math.floor(rng() * (spanDays + 120)) * 86_400_000)}`,
    ledger: () => `/v1/creators/${creators[skewedCreatorIndex(rng(), creators.length)]}/ledger?limit=100`,
    earningsAsOf: () => `${path.earnings()}?${asOf()}`,
    reportAsOf: () => `${path.report()}&${asOf()}`,
    budgetAsOf: () => `${path.budget()}?${asOf()}`,
    payoutAsOf: () => `${path.payout()}&${asOf()}`,
    ledgerAsOf: () => `${path.ledger()}&${asOf()}`,
  };

  const via = "http";
  const app = await buildApp(ledger);
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const client = httpClient(url, BENCH_TOKEN, 1);
  const call = async (p: string) => (await client.get(p)).status;
  const closeApp = async () => {
    client.close();
    await app.close();
  };

  const latencies = Object.fromEntries(QUERY_KINDS.map((k) => [k, [] as number[]])) as Record<QueryKind, number[]>;
  const statuses = Object.fromEntries(QUERY_KINDS.map((k) => [k, {} as Record<number, number>])) as Record<QueryKind, Record<number, number>>;
  const tick = progress(`queries via ${via}`, (o.warmup + o.queries) * QUERY_KINDS.length);
  let n = 0;
  for (let i = 0; i < o.warmup + o.queries; i += 1) {
    for (const kind of QUERY_KINDS) {
      const p = path[kind]();
      const t0 = performance.now();
      const status = await call(p);
      const ms = performance.now() - t0;
      if (i >= o.warmup) {
        latencies[kind].push(ms);
        statuses[kind][status] = (statuses[kind][status] ?? 0) + 1;
      }
      tick((n += 1));
    }
  }
  await closeApp();
  await ledger.close();
  const queryMs = {} as Record<QueryKind, { p50: number; p99: number; max: number }>;
  for (const kind of QUERY_KINDS) {
    const sorted = latencies[kind].sort((a, b) => a - b);
    queryMs[kind] = { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
  }
  const peakRssMb = rss.peakMb();
  rss.stop();
  return { peakRssMb, via, queries: o.queries, queryMs, statuses, creators: creators.length, campaigns: campaigns.length };
}

export { BATCH_EVENTS };
