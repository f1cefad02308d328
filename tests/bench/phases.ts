// The benchmark's phases. Each runs in its own child process (bench.ts spawns them) so its peak
// RSS is its own; each can also be run alone, e.g. under `node --cpu-prof` (see bench.ts).
//
// Servers (naive, serve) print `@@listening <url>` and run until their stdin ends; the load
// generator prints `@@started` when it sends its first request; every phase ends with
// `@@result <json>` (or `@@error <message>`), written by bench.ts.
import Database from "better-sqlite3";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import pino from "pino";
import { validateBatch } from "../../domain/events/validate.ts";
import { openEventStore } from "../../infra/eventStore/openEventStore.ts";
import type { ReadModelDb } from "../../infra/readModel/port.ts";
import { DEFINITIONS } from "../../projections/definitions.ts";
import { tablePrefix, type ProjectionName } from "../../projections/projection.ts";
import { loadConfig, type LedgerConfig } from "../../services/config.ts";
import { Ledger } from "../../services/ledger.ts";
import { serve } from "../../services/serve.ts";
import { campaignIdOf, creatorIdOf, mulberry32, skewedCreatorIndex, workloadShape, type WorkloadShape } from "../../workload/generator.ts";
import {
  BATCH_EVENTS,
  distribution,
  getHealth,
  httpClient,
  progress,
  readBodies,
  rssSampler,
  runLoad,
  sleep,
  workloadBatches,
  writeBodiesFile,
  type Health,
  type LoadResult,
} from "./support.ts";

export const BENCH_TOKEN = "bench-token-0123456789abcdef";
/** Reads of now, then the same reads as of a random position (SPEC §8.2: folds of one owner's journal rows). */
export const QUERY_KINDS = [
  "earnings",
  "report",
  "budget",
  "payout",
  "ledger",
  "earningsAsOf",
  "reportAsOf",
  "budgetAsOf",
  "payoutAsOf",
  "ledgerAsOf",
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface PhaseResult {
  peakRssMb: number;
  [key: string]: unknown;
}

/** Where the store and the read models of a phase live. */
export interface Backend {
  kind: "sqlite" | "postgres";
  pgUrl: string;
  /** PostgreSQL schema of the event store (LEDGER_STORE_SCHEMA). */
  storeSchema: string;
  /** PostgreSQL schema of the read models (LEDGER_READ_MODELS_SCHEMA). */
  readSchema: string;
}

/** The configuration `npm start` would load over `dir` (services/config.ts), minus demo and scheduler. */
export function ledgerConfig(dir: string, backend: Backend, env: Record<string, string> = {}): LedgerConfig {
  const pgEnv: Record<string, string> =
    backend.kind === "postgres"
      ? {
          LEDGER_STORE: "postgres",
          LEDGER_READ_MODELS: "postgres",
          LEDGER_PG_URL: backend.pgUrl,
          LEDGER_STORE_SCHEMA: backend.storeSchema,
          LEDGER_READ_MODELS_SCHEMA: backend.readSchema,
        }
      : {};
  return loadConfig({
    LEDGER_DATA_DIR: dir,
    LEDGER_DEMO: "0",
    LEDGER_SCHEDULER: "0", // the campaign-end scheduler would append events of its own
    LEDGER_PROJECTORS: "none",
    // LEDGER_LOG_LEVEL=info gives a served phase's access log (each request's server-side `ms`).
    LEDGER_LOG_LEVEL: process.env.LEDGER_LOG_LEVEL || "warn",
    // LEDGER_PROJECTOR_THREADS=1 measures the projectors on one thread, as before issue 28.
    LEDGER_PROJECTOR_THREADS: process.env.LEDGER_PROJECTOR_THREADS || "",
    LEDGER_TOKENS: `${BENCH_TOKEN}:ingest,read`,
    HOST: "127.0.0.1",
    PORT: "0",
    ...pgEnv,
    ...env,
  });
}

const warnLog = () => pino({ level: "warn" }, pino.destination(2));

/** Lines on stdin, then its end (how the orchestrator talks to servers and probes). */
function stdinLines(onLine: (line: string) => Promise<void> | void): Promise<void> {
  return new Promise((resolve) => {
    let buffer = "";
    let queue = Promise.resolve();
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line !== "")
          queue = queue
            .then(() => onLine(line))
            .catch((error: Error) => {
              process.stderr.write(`stdin command '${line}' failed: ${error.message}\n`);
            });
      }
    });
    const end = () => void queue.then(resolve);
    process.stdin.on("end", end);
    process.stdin.on("close", end);
    process.stdin.resume();
  });
}

function freshDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

// --- the request bodies ------------------------------------------------------------------------------

export async function bodiesPhase(o: { out: string; seed: number; events: number }): Promise<PhaseResult> {
  const rss = rssSampler();
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  const t0 = performance.now();
  const written = writeBodiesFile(o.out, o.seed, o.events);
  const ms = performance.now() - t0;
  const peakRssMb = rss.peakMb();
  rss.stop();
  return { peakRssMb, ...written, ms };
}

// --- baselines: the raw database, no ledger -------------------------------------------------------

/** The physical limit of the embedded store: the same events as rows of one table, WAL, synchronous=FULL. */
export async function baselinePhase(o: { dir: string; backend: Backend; seed: number; events: number }): Promise<PhaseResult> {
  if (o.backend.kind === "postgres") return baselinePostgres(o);
  const rss = rssSampler();
  freshDir(o.dir);
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
  for (const row of db.prepare("SELECT position, id, type, occurred_at, data FROM events ORDER BY position").iterate() as IterableIterator<{
    data: string;
  }>) {
    JSON.parse(row.data);
    scanned += 1;
  }
  const scanMs = performance.now() - t0;
  db.close();
  fs.rmSync(o.dir, { recursive: true, force: true });
  const peakRssMb = rss.peakMb();
  rss.stop();
  return {
    peakRssMb,
    inserted: position - 1,
    insertMs,
    insertEventsPerSec: ((position - 1) / insertMs) * 1000,
    scanned,
    scanMs,
    scanEventsPerSec: (scanned / scanMs) * 1000,
  };
}

/**
 * PostgreSQL's raw limit: plain multi-row INSERTs of the same rows into one table (data as jsonb,
 * as the store keeps it), one transaction per batch of 1,000, synchronous_commit on; then a scan
 * in position order in pages of 5,000 (pg parses the jsonb).
 */
async function baselinePostgres(o: { backend: Backend; seed: number; events: number }): Promise<PhaseResult> {
  const rss = rssSampler();
  const client = new pg.Client({ connectionString: o.backend.pgUrl });
  await client.connect();
  const s = `"${o.backend.storeSchema}"`;
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE; CREATE SCHEMA ${s};
      CREATE TABLE ${s}.events (position bigint PRIMARY KEY, id text NOT NULL UNIQUE, type text NOT NULL, occurred_at text NOT NULL, data jsonb NOT NULL);
      SET synchronous_commit = on;`);
    const tick = progress("baseline insert (postgres)", o.events);
    let insertMs = 0;
    let position = 1;
    for (const batch of workloadBatches(o.seed, o.events)) {
      const t0 = performance.now();
      const params: (string | number)[] = [];
      const tuples: string[] = [];
      for (let i = 0; i < batch.length; i += 1) {
        const e = batch[i]!;
        const n = params.length;
        tuples.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}::jsonb)`);
        params.push(position + i, e.id, e.type, e.occurredAt, JSON.stringify(e.data));
      }
      await client.query("BEGIN");
      await client.query(`INSERT INTO ${s}.events (position, id, type, occurred_at, data) VALUES ${tuples.join(", ")}`, params);
      await client.query("COMMIT");
      insertMs += performance.now() - t0;
      position += batch.length;
      tick(position - 1);
    }
    const t0 = performance.now();
    let scanned = 0;
    let after = 0;
    for (;;) {
      const { rows } = await client.query<{ position: string; data: unknown }>(
        `SELECT position, id, type, occurred_at, data FROM ${s}.events WHERE position > $1 ORDER BY position LIMIT 5000`,
        [after],
      );
      if (rows.length === 0) break;
      scanned += rows.length;
      after = Number(rows[rows.length - 1]!.position);
    }
    const scanMs = performance.now() - t0;
    const peakRssMb = rss.peakMb();
    rss.stop();
    return {
      peakRssMb,
      inserted: position - 1,
      insertMs,
      insertEventsPerSec: ((position - 1) / insertMs) * 1000,
      scanned,
      scanMs,
      scanEventsPerSec: (scanned / scanMs) * 1000,
    };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
    await client.end();
  }
}

// --- durable validated ingest: validateBatch + store.append ---------------------------------------

export async function ingestPhase(o: { dir: string; backend: Backend; seed: number; events: number }): Promise<PhaseResult> {
  const rss = rssSampler();
  freshDir(o.dir);
  const config = ledgerConfig(o.dir, o.backend);
  const store = await openEventStore(config.store);
  if ((await store.head()) !== 0) throw new Error(`ingest: the store ${JSON.stringify(config.store)} is not empty`);
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

// --- HTTP servers ----------------------------------------------------------------------------------

/**
 * The naive HTTP baseline: node:http, POST /v1/events parses the JSON body and appends its events
 * as NDJSON lines to one file, fsyncs it (one fsync per request) and only then answers. No
 * validation, no idempotency, no positions beyond a counter, no auth.
 */
export async function naivePhase(o: { dir: string }): Promise<PhaseResult> {
  const rss = rssSampler();
  freshDir(o.dir);
  const file = await fs.promises.open(path.join(o.dir, "events.ndjson"), "a");
  let position = 0;
  let requests = 0;
  const server = http.createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
    };
    if (req.method !== "POST" || req.url !== "/v1/events") return answer(404, { error: "not_found" });
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        let events: unknown[];
        try {
          const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
          events = Array.isArray(parsed) ? parsed : [parsed];
        } catch (error) {
          return answer(400, { error: (error as Error).message });
        }
        let lines = "";
        for (const event of events) lines += `${JSON.stringify(event)}\n`;
        await file.write(lines);
        await file.sync();
        position += events.length;
        requests += 1;
        answer(200, { appended: events.length, duplicates: 0, lastPosition: position });
      })().catch((error: Error) => answer(500, { error: error.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  process.stdout.write(`@@listening http://127.0.0.1:${port}\n`);
  await stdinLines(() => undefined);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await file.close();
  fs.rmSync(o.dir, { recursive: true, force: true });
  const peakRssMb = rss.peakMb();
  rss.stop();
  return { peakRssMb, events: position, requests };
}

/**
 * The ledger as `npm start` serves it: services/serve.ts over `dir` (projectors on their worker
 * thread when `projectors`, none otherwise). Commands on stdin: `targets <file>` writes the
 * creators and campaigns the read models know (for the probes); `loop <label>` files the API
 * thread's event-loop delay since the previous mark under `label` (what a request may wait before
 * it is even read); stdin's end stops the service.
 */
export async function servePhase(o: { dir: string; backend: Backend; projectors: boolean; fresh: boolean }): Promise<PhaseResult> {
  const rss = rssSampler();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const loopDelayMs: Record<string, { p50: number; p99: number; max: number }> = {};
  // The process's RSS per stage too (the projector thread's memory is the process's).
  const rssMbByStage: Record<string, number> = {};
  let stageRss = 0;
  const stageTimer = setInterval(() => (stageRss = Math.max(stageRss, process.memoryUsage().rss)), 50);
  stageTimer.unref();
  const markLoop = (label: string) => {
    if (loop.count === 0) return;
    loopDelayMs[label] = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
    loop.reset();
    rssMbByStage[label] = Math.max(stageRss, process.memoryUsage().rss) / (1024 * 1024);
    stageRss = 0;
  };
  if (o.fresh) freshDir(o.dir);
  const config = ledgerConfig(o.dir, o.backend, { LEDGER_PROJECTORS: o.projectors ? "all" : "none" });
  const service = await serve(config);
  const ledger = service.ledger;
  process.stdout.write(`@@listening ${service.url}\n`);
  await stdinLines(async (line) => {
    const [command, arg] = line.split(" ");
    if (command === "targets" && arg) {
      const earnings = await ledger.reads.earnings.active();
      const creators = (
        await ledger.reads.earnings.db.query<{ creator_id: string }>(
          `SELECT creator_id FROM ${earnings.prefix}creators ORDER BY creator_id`,
        )
      ).map((r) => r.creator_id);
      const budget = await ledger.reads.budget.active();
      const campaigns = (
        await ledger.reads.budget.db.query<{ campaign_id: string }>(
          `SELECT campaign_id FROM ${budget.prefix}campaigns ORDER BY campaign_id`,
        )
      ).map((r) => r.campaign_id);
      fs.writeFileSync(arg, JSON.stringify({ creators, campaigns }));
      process.stdout.write(`@@targets ${creators.length} ${campaigns.length}\n`);
    } else if (command === "loop" && arg) {
      markLoop(arg);
    } else {
      process.stderr.write(`serve: unknown command '${line}'\n`);
    }
  });
  markLoop("rest");
  loop.disable();
  clearInterval(stageTimer);
  const head = await ledger.store.head();
  const peakRssMb = rss.peakMb();
  rss.stop();
  const result: PhaseResult = { peakRssMb, head, projectors: o.projectors, loopDelayMs, rssMbByStage };
  // serve()'s stop closes the app and the ledger (the projector thread too), then exits: report first.
  process.stdout.write(`@@result ${JSON.stringify(result)}\n`);
  await service.stop();
  return result;
}

// --- the HTTP load generator ---------------------------------------------------------------------------

/**
 * POSTs batches `skip` … `skip + take - 1` of the bodies file with `clients` connections, closed
 * loop or paced at `rate` events/s. With `waitCaughtUp`, then polls GET /v1/health every 10 ms
 * until every projection has reached the head: the end-to-end time runs from the first POST to then.
 */
export async function loadPhase(o: {
  url: string;
  bodies: string;
  skip: number;
  take: number;
  clients: number;
  rate: number | null;
  waitCaughtUp: boolean;
  label: string;
}): Promise<PhaseResult> {
  const rss = rssSampler();
  let firstSend = 0;
  const load: LoadResult = await runLoad({
    url: o.url,
    token: BENCH_TOKEN,
    bodies: readBodies(o.bodies, o.skip, o.take),
    clients: o.clients,
    rate: o.rate,
    total: Number.isFinite(o.take) ? o.take * BATCH_EVENTS : undefined,
    label: o.label,
    onStart: () => {
      firstSend = performance.now();
      process.stdout.write("@@started\n");
    },
  });
  const lastAnswer = performance.now();
  let endToEnd: Record<string, number> | null = null;
  if (o.waitCaughtUp) {
    const client = httpClient(o.url, BENCH_TOKEN, 1);
    // Generous: a stuck projector shows as a timeout (a failed one stops the service: ECONNREFUSED).
    const deadline = lastAnswer + Math.max(120_000, load.events);
    let health: Health;
    try {
      for (;;) {
        health = await getHealth(client);
        const head = health.store.head;
        if (head >= load.lastPosition && health.projections.every((p) => p.position >= head)) break;
        if (performance.now() > deadline)
          throw new Error(
            `projections not caught up ${((performance.now() - lastAnswer) / 1000).toFixed(0)} s after the last POST: ${JSON.stringify(health)}`,
          );
        await sleep(10);
      }
    } finally {
      client.close();
    }
    const caughtUp = performance.now();
    endToEnd = {
      ms: caughtUp - firstSend,
      tailMs: caughtUp - lastAnswer,
      head: health.store.head,
      eventsPerSec: (load.events / (caughtUp - firstSend)) * 1000,
    };
  }
  const peakRssMb = rss.peakMb();
  rss.stop();
  return { peakRssMb, ...load, endToEnd };
}

// --- read latency and projection lag ---------------------------------------------------------------------

interface Targets {
  creators: string[];
  campaigns: string[];
}

/** A path per query kind, drawn from `targets` (busy creators most often), as of positions ≤ `head`. */
function queryPaths(seed: number, shape: WorkloadShape, targets: Targets, head: number): Record<QueryKind, () => string> {
  const { creators, campaigns } = targets;
  const rng = mulberry32(seed ^ 0x51ed);
  // Positions in the later half, where most owners already exist (an earlier one is often a 404).
  const asOf = () => `asOfPosition=${Math.ceil(head / 2) + Math.floor(rng() * Math.floor(head / 2))}`;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const spanDays = Math.max(31, Math.floor((shape.endMs - shape.startMs) / 86_400_000));
  const creator = () => creators[skewedCreatorIndex(rng(), creators.length)];
  const paths: Record<QueryKind, () => string> = {
    earnings: () => `/v1/creators/${creator()}/earnings`,
    report: () => {
      const fromMs = shape.startMs + Math.floor(rng() * (spanDays - 30)) * 86_400_000;
      return `/v1/creators/${creator()}/report?from=${day(fromMs)}&to=${day(fromMs + 29 * 86_400_000)}`;
    },
    budget: () => `/v1/campaigns/${campaigns[Math.floor(rng() * campaigns.length)]}/budget`,
    payout: () => `/v1/creators/${creator()}/payout?asOf=${day(shape.startMs + Math.floor(rng() * (spanDays + 120)) * 86_400_000)}`,
    ledger: () => `/v1/creators/${creator()}/ledger?limit=100`,
    earningsAsOf: () => `${paths.earnings()}?${asOf()}`,
    reportAsOf: () => `${paths.report()}&${asOf()}`,
    budgetAsOf: () => `${paths.budget()}?${asOf()}`,
    payoutAsOf: () => `${paths.payout()}&${asOf()}`,
    ledgerAsOf: () => `${paths.ledger()}&${asOf()}`,
  };
  return paths;
}

type Latencies = Record<QueryKind, number[]>;
type Statuses = Record<QueryKind, Record<number, number>>;

function summarizeQueries(latencies: Latencies) {
  return Object.fromEntries(QUERY_KINDS.map((k) => [k, distribution(latencies[k])])) as Record<QueryKind, ReturnType<typeof distribution>>;
}

/**
 * Sequential reads over HTTP (one in flight), every kind in turn. Idle: `warmup` + `queries` rounds.
 * Live (`live`): prints `@@ready`, waits for `start` on stdin, then reads in rounds and samples
 * GET /v1/health every `sampleMs` (on a connection of its own) until stdin ends; then keeps sampling
 * until the projections reach the head (the drain) or `drainTimeoutMs` passes.
 *
 * Lag is read from GET /v1/health (Ledger.health(): the head, and per projection its active
 * version's committed position), so it is what a client of the API sees. Per sample: events =
 * the largest head − position; seconds = how long ago the head (as the samples saw it) first
 * reached the slowest projection's position (0 when it is at the head), so its resolution is
 * about one sample interval.
 */
export async function probePhase(o: {
  url: string;
  seed: number;
  events: number;
  targets: string | null;
  queries: number;
  warmup: number;
  live: boolean;
  sampleMs: number;
  drainTimeoutMs: number;
}): Promise<PhaseResult> {
  const rss = rssSampler();
  const client = httpClient(o.url, BENCH_TOKEN, 1);
  const healthClient = httpClient(o.url, BENCH_TOKEN, 1);
  const shape = workloadShape({ seed: o.seed, events: o.events });
  const targets: Targets = o.targets
    ? (JSON.parse(fs.readFileSync(o.targets, "utf8")) as Targets)
    : {
        creators: Array.from({ length: shape.creators }, (_, i) => creatorIdOf(i)),
        campaigns: Array.from({ length: shape.campaigns }, (_, i) => campaignIdOf(i)),
      };
  if (targets.creators.length === 0 || targets.campaigns.length === 0)
    throw new Error("probe: no creators or campaigns to read (are the read models empty?)");
  const head0 = (await getHealth(healthClient)).store.head;
  const paths = queryPaths(o.seed, shape, targets, head0);
  const latencies = Object.fromEntries(QUERY_KINDS.map((k) => [k, [] as number[]])) as Latencies;
  const statuses = Object.fromEntries(QUERY_KINDS.map((k) => [k, {} as Record<number, number>])) as Statuses;
  const read = async (kind: QueryKind, record: boolean) => {
    const p = paths[kind]();
    const t0 = performance.now();
    const answer = await client.get(p);
    const ms = performance.now() - t0;
    if (answer.status >= 500) throw new Error(`GET ${p} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    if (record) {
      latencies[kind].push(ms);
      statuses[kind][answer.status] = (statuses[kind][answer.status] ?? 0) + 1;
    }
  };
  const base = { creators: targets.creators.length, campaigns: targets.campaigns.length, head: head0 };

  if (!o.live) {
    const tick = progress("reads (idle)", (o.warmup + o.queries) * QUERY_KINDS.length);
    let n = 0;
    for (let i = 0; i < o.warmup + o.queries; i += 1) {
      for (const kind of QUERY_KINDS) {
        await read(kind, i >= o.warmup);
        tick((n += 1));
      }
    }
    client.close();
    healthClient.close();
    const peakRssMb = rss.peakMb();
    rss.stop();
    return { peakRssMb, mode: "idle", ...base, queries: o.queries, queryMs: summarizeQueries(latencies), statuses };
  }

  // Live: the orchestrator says `start` when the load generator sends its first batch.
  let started = false;
  let stopped = false;
  let resolveStart!: () => void;
  const start = new Promise<void>((resolve) => (resolveStart = resolve));
  const ended = stdinLines((line) => {
    if (line === "start") {
      started = true;
      resolveStart();
    }
  }).then(() => {
    stopped = true;
    resolveStart();
  });
  process.stdout.write("@@ready\n");
  await start;
  if (!started) throw new Error("probe: stdin ended before `start`");

  interface Sample {
    t: number;
    head: number;
    minPosition: number;
    lagEvents: number;
    byProjection: Record<string, number>;
  }
  const samples: Sample[] = [];
  const t0 = performance.now();
  let sampling: Promise<void> | null = null;
  let samplerError: Error | null = null;
  const sampleOnce = async () => {
    const t = performance.now();
    const health = await getHealth(healthClient);
    const head = health.store.head;
    const minPosition = Math.min(...health.projections.map((p) => p.position));
    samples.push({
      t,
      head,
      minPosition,
      lagEvents: Math.max(0, ...health.projections.map((p) => head - p.position)),
      byProjection: Object.fromEntries(health.projections.map((p) => [p.name, Math.max(0, head - p.position)])),
    });
  };
  const timer = setInterval(() => {
    if (sampling) return; // a slow answer: skip this tick rather than pile requests up
    sampling = sampleOnce()
      .catch((error: Error) => {
        samplerError ??= error;
      })
      .finally(() => (sampling = null));
  }, o.sampleMs);
  let rounds = 0;
  reading: while (!samplerError) {
    for (const kind of QUERY_KINDS) {
      if (stopped) break reading; // reads after the load ended are not "during" it
      await read(kind, true);
    }
    rounds += 1;
  }
  await ended;
  const loadEnd = performance.now();
  // Drain: keep sampling until every projection is at the head.
  let drainMs: number | null = null;
  const drainDeadline = loadEnd + o.drainTimeoutMs;
  while (!samplerError && performance.now() < drainDeadline) {
    await sleep(o.sampleMs);
    const last = samples[samples.length - 1];
    if (last && last.t > loadEnd && last.lagEvents === 0) {
      drainMs = last.t - loadEnd;
      break;
    }
  }
  clearInterval(timer);
  await sampling;
  client.close();
  healthClient.close();
  if (samplerError) throw samplerError;

  // Seconds behind: how long ago the head first reached the slowest projection's position.
  const headReached = (position: number): number => {
    let lo = 0;
    let hi = samples.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (samples[mid]!.head >= position) hi = mid;
      else lo = mid + 1;
    }
    return samples[lo]!.t;
  };
  const during = samples.filter((s) => s.t <= loadEnd);
  const lagEvents = during.map((s) => s.lagEvents);
  const lagSeconds = during.map((s) => (s.minPosition >= s.head ? 0 : (s.t - headReached(s.minPosition)) / 1000));
  const byProjection: Record<string, number> = {};
  for (const s of during)
    for (const [name, lag] of Object.entries(s.byProjection)) byProjection[name] = Math.max(byProjection[name] ?? 0, lag);
  const last = samples[samples.length - 1];
  const peakRssMb = rss.peakMb();
  rss.stop();
  return {
    peakRssMb,
    mode: "live",
    ...base,
    rounds,
    seconds: (loadEnd - t0) / 1000,
    queryMs: summarizeQueries(latencies),
    statuses,
    lag: {
      samples: during.length,
      sampleMs: o.sampleMs,
      events: distribution(lagEvents),
      seconds: distribution(lagSeconds),
      maxEventsByProjection: byProjection,
      drainMs,
      lastSample: last ? { head: last.head, lagEvents: last.lagEvents, byProjection: last.byProjection } : null,
    },
  };
}

// --- rebuild from position 0 ----------------------------------------------------------------------------

/** Whether every read-only index of `name` exists (the runner makes them once a build from 0 caught up). */
async function readIndexesMade(db: ReadModelDb, name: ProjectionName, version: number): Promise<boolean> {
  const wanted = Object.keys(DEFINITIONS[name].readIndexes ?? {}).map((index) => `${tablePrefix(name, version)}${index}`);
  if (wanted.length === 0) return true;
  const marks = wanted.map(() => "?").join(", ");
  const sql =
    db.dialect === "sqlite"
      ? `SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND name IN (${marks})`
      : `SELECT count(*) AS n FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN (${marks})`;
  const [row] = await db.query<{ n: number | string }>(sql, wanted);
  return Number(row?.n ?? 0) === wanted.length;
}

/**
 * Rebuilds `names` from position 0 as the product does: a Ledger over the ingest phase's store
 * (`source`: its data directory, or on PostgreSQL the store schema in `backend`) with empty read
 * models in `dir` (or `backend.readSchema`), its projectors started as `serve` starts them (on a
 * worker thread; `sameThread` as `ledger projectors` runs them). Timed from opening the ledger
 * until every projection is at the head and has its read-only indexes again (runner.catchUp's end).
 */
export async function rebuildPhase(o: {
  dir: string;
  source: string;
  backend: Backend;
  names: ProjectionName[];
  sameThread: boolean;
}): Promise<PhaseResult> {
  const rss = rssSampler();
  freshDir(o.dir);
  const base = ledgerConfig(o.dir, o.backend);
  const config: LedgerConfig =
    o.backend.kind === "sqlite" ? { ...base, store: { kind: "sqlite", file: path.join(o.source, "events.db") } } : base;
  if (config.store.kind === "sqlite" && !fs.existsSync(config.store.file)) throw new Error(`rebuild: no store at ${config.store.file}`);
  const t0 = performance.now();
  const ledger = await Ledger.open(config, warnLog(), { projects: o.names });
  let failure: Error | null = null;
  ledger.onProjectorFailure = (error) => {
    failure ??= error;
  };
  let ms = 0;
  let head = 0;
  try {
    head = await ledger.store.head();
    if (head === 0) throw new Error("rebuild: the source store is empty");
    await ledger.startProjectors(o.names, { thread: !o.sameThread });
    const tick = progress(`rebuild ${o.names.join("+")}`, head);
    let shown = -1;
    for (;;) {
      if (failure) throw failure;
      const actives = await Promise.all(o.names.map(async (name) => ({ name, active: await ledger.reads[name].active() })));
      const min = Math.min(...actives.map((a) => a.active.position));
      if (min !== shown) tick((shown = min));
      if (min >= head) {
        let indexes = true;
        for (const { name, active } of actives) if (!(await readIndexesMade(ledger.reads[name].db, name, active.version))) indexes = false;
        if (indexes) break;
      }
      await sleep(20);
    }
    ms = performance.now() - t0;
  } finally {
    await ledger.close();
  }
  fs.rmSync(o.dir, { recursive: true, force: true });
  const peakRssMb = rss.peakMb();
  rss.stop();
  return { peakRssMb, names: o.names, events: head, ms, eventsPerSec: (head / ms) * 1000, thread: !o.sameThread };
}
