// `npm run bench` (issue 13): ONE run measures every figure with its baselines, on a fresh
// temporary data directory, each phase in its own child process (so each peak RSS is its own):
//
//   bodies        the seeded workload (workload/generator.ts) written once as request bodies
//                 (`<count> <JSON array>` per batch of 1,000), so no HTTP figure pays for generating it;
//   baseline      the raw database: better-sqlite3 (WAL, synchronous=FULL) — or on PostgreSQL plain
//                 multi-row INSERTs (data jsonb, synchronous_commit on) — the same rows in one table,
//                 transactions of 1,000; then a scan in position order with the JSON parsed;
//   ingest        durable validated ingest: validateBatch + store.append, batches of 1,000
//                 (ratio to the raw insert); this store feeds the rebuilds;
//   rebuild       each projection alone, then all of them together (PROJECTION_NAMES), from position 0
//                 as the product rebuilds: a Ledger over the ingest store with empty read models,
//                 projectors started as `serve` starts them (worker thread), timed until every
//                 projection is at the head with its read indexes made (ratio to the raw scan);
//   naive         the HTTP baseline: a node:http server that parses the JSON body and appends its
//                 events to an NDJSON file, one fsync per request before answering;
//   http          the ledger (services/serve.ts, no projectors) fed by the same load generator:
//                 POST /v1/events, batches of 1,000, 2 clients (ratio to the naive server);
//   end to end    services/serve.ts with every projector on its worker thread, fresh and empty:
//                 the first N − L events POSTed (2 clients), timed from the first POST until every
//                 projection's position (GET /v1/health) is the head after the last POST;
//   reads idle    then, on that service: p50/p99 of earnings, report (30 days), budget, payout,
//                 ledger and their point-in-time (…AsOf) reads, sequential over HTTP;
//   reads + lag   then the last L events POSTed paced at 10,000 events/s (a batch every 100 ms)
//                 while the same reads run (another process) and GET /v1/health is sampled every
//                 100 ms: read p50/p99 during ingest, projection lag (head − position as the API
//                 reports it: max and p99, in events and in seconds), and the drain time once the
//                 load stops.
//   L = min(rate × --live-seconds, 30 % of the events): 300,000 at 1,000,000 events (30 s).
// The load generator (support.ts runLoad over httpClient: node:http, keep-alive) is one child
// process, the reads another, the server a third: no client work runs on the server's event loop.
// Below the table: the ingest split, POST latencies, lag per projection, the API thread's
// event-loop delay per stage (monitorEventLoopDelay in the service), non-200 read answers, and the
// seconds each phase took.
//
// Every figure is printed next to its target with `met` / `NOT met`; nothing is asserted, and the
// exit code is non-zero only when a phase failed.
//
//   npm run bench                                    # 1,000,000 events, SQLite, table on stdout
//   npm run -s bench -- --events 100000 --json       # one JSON line on stdout (table and progress
//                                                    # on stderr; -s keeps npm's banner off stdout)
//   npm run bench -- --events 100000 --store postgres   # the event store AND read models on PostgreSQL
//   npm run bench -- --events 100000 --store both       # SQLite, then PostgreSQL: one table, side by side
//   options: --seed 1  --clients 2  --rate 10000  --live-seconds 30  --sample-ms 100
//            --queries 1000 --warmup 100 (idle reads per kind)  --no-alone (skip the per-projection rebuilds)
//            --pg-url postgres://postgres@127.0.0.1:5432/test (or LEDGER_TEST_PG_URL)
//            --dir <data here>  --keep (keep the data directory and the PostgreSQL schemas)
//
// PostgreSQL (`--store postgres|both`): LEDGER_STORE=postgres and LEDGER_READ_MODELS=postgres with
// LEDGER_PG_URL and a fresh schema per phase (LEDGER_STORE_SCHEMA / LEDGER_READ_MODELS_SCHEMA),
// all named `bench_<random>_…` and dropped at the end of the run. Its own targets: durable ingest
// ≥ 25,000 events/s and rebuild of all ≥ 30,000 events/s; the other targets are SQLite's.
//
// One phase alone (to profile it), over a directory an earlier run kept (`--dir /tmp/b --keep`;
// data of a backend in /tmp/b/<sqlite|postgres>/…):
//   npm run -s build
//   node --max-old-space-size=256 --cpu-prof --cpu-prof-dir /tmp/prof dist/tests/bench/bench.js \
//     --phase rebuild --dir /tmp/b/prof-rebuild --source /tmp/b/sqlite/ingest --names earnings,budget --same-thread
//   phases and their options:
//     bodies   --out F --events N --seed S
//     baseline --dir D --events N --seed S [backend]
//     ingest   --dir D --events N --seed S [backend]
//     rebuild  --dir D --source D_ingest --names a,b [--same-thread] [backend: --store-schema = the ingest schema]
//     naive    --dir D                                  (server: prints @@listening URL; stops at the end of stdin)
//     serve    --dir D [--projectors] [--fresh] [backend]   (server, as above; stdin `targets F` writes read targets)
//     load     --url U --bodies F [--skip K] [--take T] [--clients 2] [--rate R] [--wait-caught-up]
//     probe    --url U --events N --seed S [--targets F] [--queries Q --warmup W] [--live --sample-ms 100]
//   backend: --backend sqlite|postgres --pg-url URL --store-schema S --read-schema S
//   (LEDGER_LOG_LEVEL=info on `serve`: its access log on stdout, each request's server-side `ms`.)
//   (LEDGER_PROJECTOR_THREADS=1 runs every phase with the projectors on one thread, as before issue 28.)
//   (rebuild starts the projectors on a worker thread as serve does; --same-thread runs them as
//   `ledger projectors` does, so one CPU profile holds them.)
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { PROJECTION_NAMES, type ProjectionName } from "../../projections/projection.ts";
import {
  baselinePhase,
  bodiesPhase,
  ingestPhase,
  loadPhase,
  naivePhase,
  probePhase,
  QUERY_KINDS,
  rebuildPhase,
  servePhase,
  type Backend,
  type PhaseResult,
  type QueryKind,
} from "./phases.ts";
import { BATCH_EVENTS } from "./support.ts";

const SELF = fileURLToPath(import.meta.url);

export const TARGETS = {
  ingestToBaselineInsertMin: 0.5,
  httpToNaiveMin: 0.8,
  endToEndEventsPerSecMin: 50_000,
  replayAllEventsPerSecMin: 100_000,
  queryP99MsMax: 5,
  /** Point-in-time reads (issue 11). */
  asOfQueryP99MsMax: 10,
  /** Paced ingest during the read and lag measurements. */
  pacedEventsPerSec: 10_000,
  lagSecondsMax: 1,
  peakRssMbMax: 300,
  postgres: { ingestEventsPerSecMin: 25_000, replayAllEventsPerSecMin: 30_000 },
} as const;

type StoreKind = "sqlite" | "postgres";

interface Args {
  events: number;
  seed: number;
  json: boolean;
  queries: number;
  warmup: number;
  clients: number;
  rate: number;
  liveSeconds: number;
  sampleMs: number;
  stores: StoreKind[];
  alone: boolean;
  pgUrl: string;
  dir: string | null;
  keep: boolean;
  // phase options
  phase: string | null;
  out: string | null;
  source: string | null;
  names: ProjectionName[];
  sameThread: boolean;
  backend: StoreKind;
  storeSchema: string;
  readSchema: string;
  projectors: boolean;
  fresh: boolean;
  url: string | null;
  bodies: string | null;
  skip: number;
  take: number;
  paced: boolean;
  waitCaughtUp: boolean;
  targets: string | null;
  live: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    events: 1_000_000,
    seed: 1,
    json: false,
    queries: 1_000,
    warmup: 100,
    clients: 2,
    rate: TARGETS.pacedEventsPerSec,
    liveSeconds: 30,
    sampleMs: 100,
    stores: ["sqlite"],
    alone: true,
    pgUrl: process.env.LEDGER_TEST_PG_URL || "postgres://postgres@127.0.0.1:5432/test",
    dir: null,
    keep: false,
    phase: null,
    out: null,
    source: null,
    names: [...PROJECTION_NAMES],
    sameThread: false,
    backend: "sqlite",
    storeSchema: "bench_events",
    readSchema: "bench_read",
    projectors: false,
    fresh: false,
    url: null,
    bodies: null,
    skip: 0,
    take: Number.POSITIVE_INFINITY,
    paced: false,
    waitCaughtUp: false,
    targets: null,
    live: false,
  };
  const int = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value?.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got '${value}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    const next = () => argv[++i];
    switch (a) {
      case "--events":
        args.events = int(a, next(), 1);
        break;
      case "--seed":
        args.seed = int(a, next(), 0);
        break;
      case "--queries":
        args.queries = int(a, next(), 1);
        break;
      case "--warmup":
        args.warmup = int(a, next(), 0);
        break;
      case "--clients":
        args.clients = int(a, next(), 1);
        break;
      case "--rate":
        args.rate = int(a, next(), 1);
        args.paced = true;
        break;
      case "--live-seconds":
        args.liveSeconds = int(a, next(), 0);
        break;
      case "--sample-ms":
        args.sampleMs = int(a, next(), 10);
        break;
      case "--json":
        args.json = true;
        break;
      case "--keep":
        args.keep = true;
        break;
      case "--no-alone":
        args.alone = false;
        break;
      case "--dir":
        args.dir = path.resolve(next() ?? ".");
        break;
      case "--store": {
        const v = next();
        if (v === "sqlite" || v === "postgres") args.stores = [v];
        else if (v === "both") args.stores = ["sqlite", "postgres"];
        else throw new Error(`--store must be sqlite, postgres or both, got '${v}'`);
        break;
      }
      case "--pg-url":
        args.pgUrl = next() ?? "";
        break;
      case "--phase":
        args.phase = next() ?? null;
        break;
      case "--out":
        args.out = path.resolve(next() ?? "");
        break;
      case "--source":
        args.source = path.resolve(next() ?? "");
        break;
      case "--same-thread":
        args.sameThread = true;
        break;
      case "--backend": {
        const v = next();
        if (v !== "sqlite" && v !== "postgres") throw new Error(`--backend must be sqlite or postgres, got '${v}'`);
        args.backend = v;
        break;
      }
      case "--store-schema":
        args.storeSchema = next() ?? "";
        break;
      case "--read-schema":
        args.readSchema = next() ?? "";
        break;
      case "--projectors":
        args.projectors = true;
        break;
      case "--fresh":
        args.fresh = true;
        break;
      case "--url":
        args.url = next() ?? null;
        break;
      case "--bodies":
        args.bodies = path.resolve(next() ?? "");
        break;
      case "--skip":
        args.skip = int(a, next(), 0);
        break;
      case "--take":
        args.take = int(a, next(), 0);
        break;
      case "--wait-caught-up":
        args.waitCaughtUp = true;
        break;
      case "--targets":
        args.targets = path.resolve(next() ?? "");
        break;
      case "--live":
        args.live = true;
        break;
      case "--names": {
        const names = (next() ?? "").split(",");
        for (const n of names)
          if (!(PROJECTION_NAMES as readonly string[]).includes(n)) throw new Error(`--names: unknown projection '${n}'`);
        args.names = names as ProjectionName[];
        break;
      }
      case "--":
        break;
      default:
        throw new Error(`unknown argument '${a}' (see the header of tests/bench/bench.ts)`);
    }
  }
  return args;
}

// --- child side -----------------------------------------------------------------------------------

async function runPhaseHere(args: Args): Promise<PhaseResult> {
  const need = <T>(value: T | null, name: string): T => {
    if (value === null) throw new Error(`--phase ${args.phase} needs ${name}`);
    return value;
  };
  const backend: Backend = { kind: args.backend, pgUrl: args.pgUrl, storeSchema: args.storeSchema, readSchema: args.readSchema };
  const dir = () => need(args.dir, "--dir");
  switch (args.phase) {
    case "bodies":
      return bodiesPhase({ out: need(args.out, "--out"), seed: args.seed, events: args.events });
    case "baseline":
      return baselinePhase({ dir: dir(), backend, seed: args.seed, events: args.events });
    case "ingest":
      return ingestPhase({ dir: dir(), backend, seed: args.seed, events: args.events });
    case "rebuild":
      return rebuildPhase({ dir: dir(), source: need(args.source, "--source"), backend, names: args.names, sameThread: args.sameThread });
    case "naive":
      return naivePhase({ dir: dir() });
    case "serve":
      return servePhase({ dir: dir(), backend, projectors: args.projectors, fresh: args.fresh });
    case "load":
      return loadPhase({
        url: need(args.url, "--url"),
        bodies: need(args.bodies, "--bodies"),
        skip: args.skip,
        take: args.take,
        clients: args.clients,
        rate: args.paced ? args.rate : null,
        waitCaughtUp: args.waitCaughtUp,
        label: args.paced ? `load at ${args.rate} ev/s` : `load, ${args.clients} clients`,
      });
    case "probe":
      return probePhase({
        url: need(args.url, "--url"),
        seed: args.seed,
        events: args.events,
        targets: args.targets,
        queries: args.queries,
        warmup: args.warmup,
        live: args.live,
        sampleMs: args.sampleMs,
        drainTimeoutMs: 60_000,
      });
    default:
      throw new Error(`unknown phase '${args.phase}'`);
  }
}

// --- parent side ------------------------------------------------------------------------------------

interface Child {
  result: Promise<PhaseResult>;
  /** Resolves with what follows `@@<tag> ` the first time the child prints it, or null if it exits first. */
  line(tag: string): Promise<string | null>;
  send(line: string): void;
  endInput(): void;
}

function spawnPhase(phaseArgs: string[]): Child {
  const child = spawn(process.execPath, [...process.execArgv, SELF, ...phaseArgs], { stdio: ["pipe", "pipe", "inherit"] });
  const waiters = new Map<string, ((rest: string | null) => void)[]>();
  const seen = new Map<string, string>();
  let buffer = "";
  let result: PhaseResult | null = null;
  let error: string | null = null;
  let closed = false;
  child.stdin.on("error", () => undefined); // a child that already exited
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const m = /^@@(\w+) ?(.*)$/.exec(line);
      if (!m) {
        // The service's own logs (pino, JSON on stdout, warn and above): show them.
        if (line.startsWith("{")) process.stderr.write(`  [${phaseArgs[1]}] ${line}\n`);
        continue;
      }
      const [, tag, rest] = m as unknown as [string, string, string];
      if (tag === "result") result = JSON.parse(rest) as PhaseResult;
      else if (tag === "error") error = JSON.parse(rest) as string;
      if (!seen.has(tag)) seen.set(tag, rest);
      for (const w of waiters.get(tag) ?? []) w(rest);
      waiters.delete(tag);
    }
  });
  const done = new Promise<PhaseResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      closed = true;
      for (const ws of waiters.values()) for (const w of ws) w(null);
      waiters.clear();
      if (result && code === 0) resolve(result);
      else reject(new Error(`phase ${phaseArgs[1]} failed (exit ${code}): ${error ?? "no result"}`));
    });
  });
  done.catch(() => undefined);
  return {
    result: done,
    line(tag) {
      const already = seen.get(tag);
      if (already !== undefined) return Promise.resolve(already);
      if (closed) return Promise.resolve(null);
      return new Promise((resolve) => waiters.set(tag, [...(waiters.get(tag) ?? []), resolve]));
    },
    send(line) {
      if (!closed) child.stdin.write(`${line}\n`);
    },
    endInput() {
      if (!closed) child.stdin.end();
    },
  };
}

/** Starts a server phase, runs `fn` against its URL, then stops it; a server that died explains the failure. */
async function withServer<T>(args: string[], fn: (server: Child, url: string) => Promise<T>): Promise<{ value: T; server: PhaseResult }> {
  const server = spawnPhase(args);
  const url = await server.line("listening");
  if (url === null) return { value: undefined as never, server: await server.result };
  try {
    const value = await fn(server, url);
    server.endInput();
    return { value, server: await server.result };
  } catch (error) {
    server.endInput();
    const serverError = await server.result.then(
      () => null,
      (e: Error) => e,
    );
    throw serverError ? new Error(`${(error as Error).message}; server: ${serverError.message}`) : error;
  }
}

/** What one store kind's phases returned (absent: failed or skipped). */
interface Run {
  kind: StoreKind;
  baseline?: PhaseResult;
  ingest?: PhaseResult;
  rebuild: Partial<Record<ProjectionName | "all", PhaseResult>>;
  naive?: { load: PhaseResult; server: PhaseResult };
  http?: { load: PhaseResult; server: PhaseResult };
  e2e?: PhaseResult;
  e2eServer?: PhaseResult;
  idle?: PhaseResult;
  live?: PhaseResult;
  paced?: PhaseResult;
  phaseSeconds: Record<string, number>;
  errors: string[];
}

/** Live-stage batches: rate × liveSeconds events, at most 30 % of the workload (the rest is the end-to-end part). */
function liveBatchesOf(args: Args): { total: number; live: number } {
  const total = Math.ceil(args.events / BATCH_EVENTS);
  const live = Math.min(Math.round((args.rate * args.liveSeconds) / BATCH_EVENTS), Math.floor(total * 0.3));
  return { total, live: Math.max(0, live) };
}

async function runStore(args: Args, kind: StoreKind, root: string, bodies: string, runId: string): Promise<Run> {
  const run: Run = { kind, rebuild: {}, phaseSeconds: {}, errors: [] };
  const base = path.join(root, kind);
  const dirs = {
    baseline: path.join(base, "baseline"),
    ingest: path.join(base, "ingest"),
    naive: path.join(base, "naive"),
    http: path.join(base, "http"),
    e2e: path.join(base, "e2e"),
    rebuild: (n: string) => path.join(base, `rebuild-${n}`),
    targets: path.join(base, "targets.json"),
  };
  const schema = (suffix: string) => `${runId}_${suffix}`;
  const backendArgs = (store: string, read: string) => [
    "--backend",
    kind,
    "--pg-url",
    args.pgUrl,
    "--store-schema",
    schema(store),
    "--read-schema",
    schema(read),
  ];
  const common = ["--events", String(args.events), "--seed", String(args.seed)];
  const phase = async <T>(key: string, label: string, fn: () => Promise<T>): Promise<T | undefined> => {
    process.stderr.write(`▶ [${kind}] ${label}\n`);
    const t0 = performance.now();
    try {
      const value = await fn();
      return value;
    } catch (error) {
      const message = `[${kind}] ${label}: ${(error as Error).message}`;
      run.errors.push(message);
      process.stderr.write(`  FAILED ${message}\n`);
      return undefined;
    } finally {
      run.phaseSeconds[key] = (performance.now() - t0) / 1000;
      process.stderr.write(`  ${run.phaseSeconds[key].toFixed(1)} s\n`);
    }
  };
  // Dropped as soon as they are not needed (disk), unless --keep (then kept for profiling phases alone).
  const dropSchemas = (...suffixes: string[]) =>
    kind === "postgres" && !args.keep ? dropPgSchemas(args.pgUrl, suffixes.map(schema)) : Promise.resolve();
  const { total, live } = liveBatchesOf(args);
  const e2eBatches = total - live;
  const loadArgs = (url: string, skip: number, take: number) => [
    "--phase",
    "load",
    "--url",
    url,
    "--bodies",
    bodies,
    "--skip",
    String(skip),
    "--take",
    String(take),
    "--clients",
    String(args.clients),
  ];

  run.baseline = await phase(
    "baseline",
    kind === "sqlite" ? "baseline: raw better-sqlite3 insert + scan" : "baseline: raw PostgreSQL multi-row INSERT + scan",
    () => spawnPhase(["--phase", "baseline", "--dir", dirs.baseline, ...common, ...backendArgs("raw", "raw")]).result,
  );
  run.ingest = await phase(
    "ingest",
    "durable validated ingest (validateBatch + store.append, batches of 1,000)",
    () => spawnPhase(["--phase", "ingest", "--dir", dirs.ingest, ...common, ...backendArgs("ingest", "ingest_read")]).result,
  );
  if (run.ingest) {
    const names: (ProjectionName | "all")[] = [...(args.alone ? PROJECTION_NAMES : []), "all"];
    for (const name of names) {
      const list = name === "all" ? PROJECTION_NAMES.join(",") : name;
      run.rebuild[name] = await phase(
        `rebuild_${name}`,
        name === "all" ? "rebuild every projection from position 0" : `rebuild ${name} alone from position 0`,
        () =>
          spawnPhase([
            "--phase",
            "rebuild",
            "--dir",
            dirs.rebuild(name),
            "--source",
            dirs.ingest,
            "--names",
            list,
            ...common,
            ...backendArgs("ingest", `rb_${name}`),
          ]).result,
      );
      fs.rmSync(dirs.rebuild(name), { recursive: true, force: true });
      await dropSchemas(`rb_${name}`);
    }
  }
  if (!args.keep) fs.rmSync(dirs.ingest, { recursive: true, force: true });
  await dropSchemas("ingest", "ingest_read");

  run.naive = await phase("naive", `HTTP baseline: naive node:http + fsync'd NDJSON, ${args.clients} clients`, async () => {
    const { value, server } = await withServer(
      ["--phase", "naive", "--dir", dirs.naive],
      (_server, url) => spawnPhase(loadArgs(url, 0, total)).result,
    );
    return { load: value, server };
  });
  run.http = await phase("http", `HTTP ingest: the ledger (serve, no projectors), ${args.clients} clients`, async () => {
    const { value, server } = await withServer(
      ["--phase", "serve", "--dir", dirs.http, "--fresh", ...backendArgs("http", "http_read")],
      (_server, url) => spawnPhase(loadArgs(url, 0, total)).result,
    );
    return { load: value, server };
  });
  if (!args.keep) fs.rmSync(dirs.http, { recursive: true, force: true });
  await dropSchemas("http", "http_read");

  await phase(
    "service",
    `the service with its projectors: end to end (${(e2eBatches * BATCH_EVENTS).toLocaleString("en-US")} events), reads idle, reads and lag at ${args.rate.toLocaleString("en-US")} ev/s (${(live * BATCH_EVENTS).toLocaleString("en-US")} events)`,
    async () => {
      const { server } = await withServer(
        ["--phase", "serve", "--dir", dirs.e2e, "--fresh", "--projectors", ...backendArgs("e2e", "e2e_read")],
        async (service, url) => {
          process.stderr.write(`  end to end: POST ${e2eBatches} batches, then wait for every projection\n`);
          run.e2e = await spawnPhase([...loadArgs(url, 0, e2eBatches), "--wait-caught-up"]).result;
          service.send("loop e2e");
          service.send(`targets ${dirs.targets}`);
          if ((await service.line("targets")) === null) throw new Error("the service stopped before writing the read targets");
          process.stderr.write(`  reads, idle\n`);
          run.idle = await spawnPhase([
            "--phase",
            "probe",
            "--url",
            url,
            "--targets",
            dirs.targets,
            "--queries",
            String(args.queries),
            "--warmup",
            String(args.warmup),
            ...common,
          ]).result;
          service.send("loop idle");
          if (live === 0) return;
          process.stderr.write(`  reads and lag during ${args.rate.toLocaleString("en-US")} ev/s ingest\n`);
          const probe = spawnPhase([
            "--phase",
            "probe",
            "--url",
            url,
            "--targets",
            dirs.targets,
            "--live",
            "--sample-ms",
            String(args.sampleMs),
            ...common,
          ]);
          if ((await probe.line("ready")) === null) return void (run.live = await probe.result);
          const load = spawnPhase([...loadArgs(url, e2eBatches, live), "--rate", String(args.rate)]);
          void load.line("started").then((started) => {
            if (started !== null) probe.send("start");
          });
          let loadError: unknown = null;
          run.paced = await load.result.catch((error: unknown) => void (loadError = error));
          service.send("loop live");
          probe.endInput();
          const probed = await probe.result.catch((error: Error) => error);
          if (loadError) throw loadError;
          if (probed instanceof Error) throw probed;
          run.live = probed;
        },
      );
      run.e2eServer = server;
    },
  );
  if (!args.keep) fs.rmSync(dirs.e2e, { recursive: true, force: true });
  await dropSchemas("e2e", "e2e_read");
  return run;
}

async function dropPgSchemas(pgUrl: string, schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Every schema of this run (`<runId>_…`), whatever phase made it. */
async function dropRunSchemas(pgUrl: string, runId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [`${runId}\\_%`]);
    for (const r of rows) await client.query(`DROP SCHEMA IF EXISTS "${r.nspname}" CASCADE`);
    return rows.map((r) => r.nspname);
  } finally {
    await client.end();
  }
}

async function orchestrate(args: Args): Promise<void> {
  const root = args.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "ledger-bench-"));
  fs.mkdirSync(root, { recursive: true });
  const runId = `bench_${randomBytes(4).toString("hex")}`;
  const started = performance.now();
  const date = new Date().toISOString();
  const loadAverage = os.loadavg();
  const errors: string[] = [];
  const runs: Run[] = [];
  let bodiesResult: PhaseResult | undefined;
  const bodies = path.join(root, "bodies.ndjson");
  // Interrupted: the children get the signal too; leave no schema and no temporary directory behind.
  process.once("SIGINT", () => {
    process.stderr.write("interrupted: cleaning up\n");
    const pgDone = args.stores.includes("postgres") ? dropRunSchemas(args.pgUrl, runId).catch(() => []) : Promise.resolve([]);
    void pgDone.finally(() => {
      if (!args.keep && !args.dir) fs.rmSync(root, { recursive: true, force: true });
      process.exit(130);
    });
  });
  try {
    process.stderr.write(`▶ request bodies (${args.events.toLocaleString("en-US")} events, seed ${args.seed}) in ${root}\n`);
    bodiesResult = await spawnPhase([
      "--phase",
      "bodies",
      "--out",
      bodies,
      "--events",
      String(args.events),
      "--seed",
      String(args.seed),
    ]).result.catch((error: Error) => {
      errors.push(`bodies: ${error.message}`);
      return undefined;
    });
    if (bodiesResult) {
      for (const kind of args.stores) {
        const run = await runStore(args, kind, root, bodies, runId);
        runs.push(run);
        errors.push(...run.errors);
      }
    }
  } finally {
    if (args.stores.includes("postgres") && args.keep) {
      process.stderr.write(`PostgreSQL schemas kept: ${runId}_* (drop them with DROP SCHEMA … CASCADE)\n`);
    } else if (args.stores.includes("postgres")) {
      const left = await dropRunSchemas(args.pgUrl, runId).catch((error: Error) => {
        errors.push(`dropping the PostgreSQL schemas ${runId}_*: ${error.message}`);
        return [];
      });
      if (left.length > 0) process.stderr.write(`dropped PostgreSQL schemas left by failed phases: ${left.join(", ")}\n`);
    }
    if (!args.keep && !args.dir) fs.rmSync(root, { recursive: true, force: true });
    else if (!args.keep) fs.rmSync(bodies, { force: true });
    else process.stderr.write(`data kept in ${root}\n`);
  }
  const wallS = (performance.now() - started) / 1000;
  const summary = {
    date,
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? "?",
      memGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      loadAverageAtStart: loadAverage.map((v) => round(v, 2)),
    },
    events: args.events,
    seed: args.seed,
    options: {
      clients: args.clients,
      pacedEventsPerSec: args.rate,
      liveSeconds: args.liveSeconds,
      sampleMs: args.sampleMs,
      queries: args.queries,
      warmup: args.warmup,
      alone: args.alone,
    },
    bodies: bodiesResult
      ? {
          batches: bodiesResult.batches,
          bytes: bodiesResult.bytes,
          ms: round(num(bodiesResult.ms)),
          peakRssMb: round(num(bodiesResult.peakRssMb), 1),
        }
      : null,
    stores: Object.fromEntries(runs.map((r) => [r.kind, summarize(args, r)])),
    targets: TARGETS,
    wallSeconds: round(wallS, 1),
    errors,
  };
  const table = renderTable(args, summary, runs, wallS);
  if (args.json) {
    process.stderr.write(table);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    process.stdout.write(table);
  }
  if (errors.length > 0) process.exitCode = 1;
}

// --- figures ---------------------------------------------------------------------------------------

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const round = (v: number | null, digits = 0): number | null => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);
const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : round(a / b, 3));
const atMost = (v: number | null, max: number): boolean | null => (v === null ? null : v <= max);
const atLeast = (v: number | null, min: number): boolean | null => (v === null ? null : v >= min);
const all = (values: (boolean | null)[]): boolean | null =>
  values.length === 0 || values.some((v) => v === null) ? null : values.every(Boolean);

/** A read as of a position (…AsOf) folds an owner's journal rows: its target is 10 ms, a read of now 5 ms. */
function p99TargetOf(kind: QueryKind): number {
  return kind.endsWith("AsOf") ? TARGETS.asOfQueryP99MsMax : TARGETS.queryP99MsMax;
}

type Dist = { n: number; p50: number; p99: number; max: number };
const PRODUCT_PHASES = ["ingest", "httpServer", ...PROJECTION_NAMES.map((n) => `rebuild_${n}`), "rebuild_all", "service"] as const;

function summarize(args: Args, r: Run) {
  const pgTargets = r.kind === "postgres";
  const insert = num(r.baseline?.insertEventsPerSec);
  const scan = num(r.baseline?.scanEventsPerSec);
  const ingest = num(r.ingest?.ingestEventsPerSec);
  const naive = num(r.naive?.load.eventsPerSec);
  const http = num(r.http?.load.eventsPerSec);
  const e2e = (r.e2e?.endToEnd ?? null) as { ms: number; tailMs: number; eventsPerSec: number } | null;
  const rebuildRate = (n: ProjectionName | "all") => num(r.rebuild[n]?.eventsPerSec);
  const queries = (p: PhaseResult | undefined) => {
    const q = (p?.queryMs ?? {}) as Partial<Record<QueryKind, Dist>>;
    return Object.fromEntries(
      QUERY_KINDS.map((k) => [k, { p50: round(num(q[k]?.p50), 3), p99: round(num(q[k]?.p99), 3), n: num(q[k]?.n) }]),
    ) as Record<QueryKind, { p50: number | null; p99: number | null; n: number | null }>;
  };
  const idle = queries(r.idle);
  const duringIngest = queries(r.live);
  const lagRaw = (r.live?.lag ?? null) as {
    samples: number;
    events: Dist;
    seconds: Dist;
    drainMs: number | null;
    maxEventsByProjection: Record<string, number>;
  } | null;
  const lag = {
    samples: lagRaw?.samples ?? null,
    maxEvents: num(lagRaw?.events.max),
    p99Events: num(lagRaw?.events.p99),
    p50Events: num(lagRaw?.events.p50),
    maxSeconds: round(num(lagRaw?.seconds.max), 3),
    p99Seconds: round(num(lagRaw?.seconds.p99), 3),
    p50Seconds: round(num(lagRaw?.seconds.p50), 3),
    drainMs: round(num(lagRaw?.drainMs)),
    maxEventsByProjection: lagRaw?.maxEventsByProjection ?? null,
  };
  const rss: Record<string, number | null> = {
    ingest: num(r.ingest?.peakRssMb),
    httpServer: num(r.http?.server.peakRssMb),
    ...Object.fromEntries(PROJECTION_NAMES.map((n) => [`rebuild_${n}`, num(r.rebuild[n]?.peakRssMb)])),
    rebuild_all: num(r.rebuild.all?.peakRssMb),
    service: num(r.e2eServer?.peakRssMb),
  };
  for (const k of Object.keys(rss)) rss[k] = round(rss[k] ?? null, 1);
  const harnessRss: Record<string, number | null> = {
    baseline: round(num(r.baseline?.peakRssMb), 1),
    naiveServer: round(num(r.naive?.server.peakRssMb), 1),
    load: round(Math.max(...[r.naive?.load, r.http?.load, r.e2e, r.paced].map((p) => num(p?.peakRssMb) ?? 0)), 1),
    probe: round(Math.max(num(r.idle?.peakRssMb) ?? 0, num(r.live?.peakRssMb) ?? 0), 1),
  };
  const readsMet = (q: typeof idle) => all(QUERY_KINDS.map((k) => atMost(q[k].p99, p99TargetOf(k))));
  const met = {
    ingest: pgTargets
      ? atLeast(ingest, TARGETS.postgres.ingestEventsPerSecMin)
      : atLeast(ratio(ingest, insert), TARGETS.ingestToBaselineInsertMin),
    http: atLeast(ratio(http, naive), TARGETS.httpToNaiveMin),
    endToEnd: atLeast(num(e2e?.eventsPerSec), TARGETS.endToEndEventsPerSecMin),
    rebuildAll: atLeast(rebuildRate("all"), pgTargets ? TARGETS.postgres.replayAllEventsPerSecMin : TARGETS.replayAllEventsPerSecMin),
    readsIdle: readsMet(idle),
    readsDuringIngest: readsMet(duringIngest),
    lag: lag.maxSeconds === null ? null : lag.maxSeconds <= TARGETS.lagSecondsMax && (lag.p99Seconds ?? 0) <= TARGETS.lagSecondsMax,
    peakRss: all(PRODUCT_PHASES.filter((p) => !skipped(args, p)).map((p) => atMost(rss[p] ?? null, TARGETS.peakRssMbMax))),
  };
  return {
    baseline: { insertEventsPerSec: round(insert), scanEventsPerSec: round(scan) },
    ingest: {
      eventsPerSec: round(ingest),
      toBaselineInsert: ratio(ingest, insert),
      validateMs: round(num(r.ingest?.validateMs)),
      appendMs: round(num(r.ingest?.appendMs)),
    },
    http: {
      clients: args.clients,
      naiveEventsPerSec: round(naive),
      ledgerEventsPerSec: round(http),
      toNaive: ratio(http, naive),
      postMs: { naive: r.naive?.load.postMs ?? null, ledger: r.http?.load.postMs ?? null },
    },
    endToEnd: {
      events: num(r.e2e?.events),
      eventsPerSec: round(num(e2e?.eventsPerSec)),
      seconds: round(num(e2e?.ms) === null ? null : e2e!.ms / 1000, 2),
      postEventsPerSec: round(num(r.e2e?.eventsPerSec)),
      catchUpAfterLastPostMs: round(num(e2e?.tailMs)),
    },
    rebuild: {
      all: { eventsPerSec: round(rebuildRate("all")), toBaselineScan: ratio(rebuildRate("all"), scan) },
      alone: Object.fromEntries(
        PROJECTION_NAMES.map((n) => [n, { eventsPerSec: round(rebuildRate(n)), toBaselineScan: ratio(rebuildRate(n), scan) }]),
      ),
    },
    reads: {
      idle,
      duringIngest,
      head: { idle: num(r.idle?.head), duringIngest: num(r.live?.head) },
      statuses: { idle: r.idle?.statuses ?? null, duringIngest: r.live?.statuses ?? null },
    },
    pacedIngest: {
      targetEventsPerSec: args.rate,
      events: num(r.paced?.events),
      eventsPerSec: round(num(r.paced?.eventsPerSec)),
      maxLateMs: round(num(r.paced?.maxLateMs)),
      postMs: r.paced?.postMs ?? null,
    },
    lag,
    /** The API thread's event-loop delay (monitorEventLoopDelay, 10 ms resolution) per stage, ms. */
    apiEventLoopDelayMs: { httpIngest: r.http?.server.loopDelayMs ?? null, service: r.e2eServer?.loopDelayMs ?? null },
    peakRssMb: {
      byPhase: rss,
      max: Math.max(0, ...Object.values(rss).map((v) => v ?? 0)) || null,
      serviceByStage: (r.e2eServer?.rssMbByStage ?? null) as Record<string, number> | null,
      harness: harnessRss,
    },
    met,
    phaseSeconds: Object.fromEntries(Object.entries(r.phaseSeconds).map(([k, v]) => [k, round(v, 1)])),
    errors: r.errors,
  };
}

/** Phases not run on purpose (--no-alone) do not count as unmeasured. */
function skipped(args: Args, phase: string): boolean {
  return !args.alone && phase.startsWith("rebuild_") && phase !== "rebuild_all";
}

type Summary = ReturnType<typeof summarize>;
interface Cell {
  value: string;
  target: string;
  status: string;
}
interface Row {
  label: string;
  cells: Partial<Record<StoreKind, Cell>>;
}

function rowsOf(args: Args, kind: StoreKind, s: Summary): { key: string; label: string; cell: Cell }[] {
  const rate = (v: number | null) => (v === null ? "—" : `${Math.round(v).toLocaleString("en-US")} ev/s`);
  const ms = (v: number | null) => (v === null ? "—" : `${v.toFixed(2)}`);
  const mb = (v: number | null) => (v === null ? "—" : `${v.toFixed(0)} MB`);
  const ok = (v: boolean | null) => (v === null ? "n/a" : v ? "met" : "NOT met");
  const x = (v: number | null, of: string) => (v === null ? "" : ` (${v.toFixed(2)}× ${of})`);
  const pg = kind === "postgres";
  const out: { key: string; label: string; cell: Cell }[] = [];
  const add = (key: string, label: string, value: string, target = "", status = "") =>
    out.push({ key, label, cell: { value, target, status } });
  add("insert", "baseline: raw insert (tx of 1,000)", rate(s.baseline.insertEventsPerSec));
  add("scan", "baseline: raw scan in position order (+ JSON parse)", rate(s.baseline.scanEventsPerSec));
  add(
    "ingest",
    "durable ingest: validateBatch + store.append, 1,000/batch",
    rate(s.ingest.eventsPerSec) + x(s.ingest.toBaselineInsert, "raw insert"),
    pg ? `≥ ${TARGETS.postgres.ingestEventsPerSecMin.toLocaleString("en-US")} ev/s` : `≥ ${TARGETS.ingestToBaselineInsertMin}× raw insert`,
    ok(s.met.ingest),
  );
  add("naive", `baseline: naive node:http + fsync'd NDJSON (${args.clients} clients)`, rate(s.http.naiveEventsPerSec));
  add(
    "http",
    `HTTP ingest POST /v1/events, 1,000/batch, ${args.clients} clients`,
    rate(s.http.ledgerEventsPerSec) + x(s.http.toNaive, "naive"),
    `≥ ${TARGETS.httpToNaiveMin}× naive`,
    ok(s.met.http),
  );
  add(
    "e2e",
    `end to end: first POST → all projections at head (${(s.endToEnd.events ?? 0).toLocaleString("en-US")} ev)`,
    rate(s.endToEnd.eventsPerSec) + (s.endToEnd.postEventsPerSec === null ? "" : ` (POSTs ${rate(s.endToEnd.postEventsPerSec)})`),
    `≥ ${TARGETS.endToEndEventsPerSecMin.toLocaleString("en-US")} ev/s`,
    ok(s.met.endToEnd),
  );
  if (args.alone)
    for (const n of PROJECTION_NAMES)
      add(
        `rb_${n}`,
        `rebuild ${n} alone from 0`,
        rate(s.rebuild.alone[n]!.eventsPerSec) + x(s.rebuild.alone[n]!.toBaselineScan, "raw scan"),
      );
  const rbTarget = pg ? TARGETS.postgres.replayAllEventsPerSecMin : TARGETS.replayAllEventsPerSecMin;
  add(
    "rb_all",
    "rebuild every projection from 0 (worker thread, as serve)",
    rate(s.rebuild.all.eventsPerSec) + x(s.rebuild.all.toBaselineScan, "raw scan"),
    `≥ ${rbTarget.toLocaleString("en-US")} ev/s`,
    ok(s.met.rebuildAll),
  );
  for (const [mode, q, title] of [
    ["idle", s.reads.idle, "idle"],
    ["load", s.reads.duringIngest, `at ${args.rate / 1000}k ev/s`],
  ] as const) {
    for (const k of QUERY_KINDS) {
      const p99 = q[k].p99;
      add(
        `q_${mode}_${k}`,
        `read ${k}${k.startsWith("report") ? " (30 d)" : ""} p50 / p99 ms, ${title}`,
        q[k].p50 === null ? "—" : `${ms(q[k].p50)} / ${ms(p99)}`,
        `p99 ≤ ${p99TargetOf(k)} ms`,
        ok(atMost(p99, p99TargetOf(k))),
      );
    }
  }
  add(
    "paced",
    `paced ingest during the reads (target ${args.rate.toLocaleString("en-US")} ev/s)`,
    rate(s.pacedIngest.eventsPerSec) + (s.pacedIngest.maxLateMs === null ? "" : `, worst batch ${s.pacedIngest.maxLateMs} ms late`),
  );
  const lagCell = (events: number | null, seconds: number | null) =>
    events === null ? "—" : `${events.toLocaleString("en-US")} ev / ${seconds?.toFixed(2) ?? "—"} s`;
  add(
    "lag_max",
    `projection lag max (${s.lag.samples ?? 0} samples / ${args.sampleMs} ms)`,
    lagCell(s.lag.maxEvents, s.lag.maxSeconds),
    `≤ ${TARGETS.lagSecondsMax} s`,
    ok(atMost(s.lag.maxSeconds, TARGETS.lagSecondsMax)),
  );
  add(
    "lag_p99",
    "projection lag p99",
    lagCell(s.lag.p99Events, s.lag.p99Seconds),
    `≤ ${TARGETS.lagSecondsMax} s`,
    ok(atMost(s.lag.p99Seconds, TARGETS.lagSecondsMax)),
  );
  // No target: the median says whether the projectors are mostly within reach and spike, or steadily behind.
  add("lag_p50", "projection lag p50", lagCell(s.lag.p50Events, s.lag.p50Seconds));
  add(
    "drain",
    "caught up after the paced load stopped",
    s.lag.drainMs === null ? (s.lag.samples === null ? "—" : "not within 60 s") : `${s.lag.drainMs} ms`,
  );
  for (const p of PRODUCT_PHASES) {
    if (skipped(args, p)) continue;
    const v = s.peakRssMb.byPhase[p] ?? null;
    add(
      `rss_${p}`,
      `peak RSS: ${p === "service" ? "service (end to end + reads + lag)" : p}`,
      mb(v),
      `≤ ${TARGETS.peakRssMbMax} MB`,
      ok(atMost(v, TARGETS.peakRssMbMax)),
    );
  }
  const h = s.peakRssMb.harness;
  add(
    "rss_harness",
    "peak RSS of the harness: baseline / naive / load / probe",
    [h.baseline, h.naiveServer, h.load, h.probe].map((v) => (v == null || v === 0 ? "—" : v.toFixed(0))).join(" / ") + " MB",
  );
  return out;
}

function renderTable(
  args: Args,
  summary: {
    date: string;
    machine: { cpus: number; cpu: string; memGb: number; node: string; platform: string; loadAverageAtStart: (number | null)[] };
    stores: Record<string, Summary>;
    errors: string[];
  },
  runs: Run[],
  wallS: number,
): string {
  const kinds = runs.map((r) => r.kind);
  const rows: Row[] = [];
  const byKey = new Map<string, Row>();
  for (const kind of kinds) {
    for (const { key, label, cell } of rowsOf(args, kind, summary.stores[kind]!)) {
      let row = byKey.get(key);
      if (!row) {
        row = { label, cells: {} };
        byKey.set(key, row);
        rows.push(row);
      }
      row.cells[kind] = cell;
    }
  }
  const name = (k: StoreKind) => (k === "sqlite" ? "SQLite" : "PostgreSQL");
  const header = ["figure", ...kinds.flatMap((k) => [name(k), "target", "status"])];
  const table = rows.map((row) => [
    row.label,
    ...kinds.flatMap((k) => [row.cells[k]?.value ?? "—", row.cells[k]?.target ?? "", row.cells[k]?.status ?? ""]),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd()}\n`;
  const m = summary.machine;
  const { total, live } = liveBatchesOf(args);
  let out = `\nCommission ledger benchmark — ${args.events.toLocaleString("en-US")} events (seed ${args.seed}), ${summary.date}\n`;
  out += `machine: ${m.cpus} cores × ${m.cpu}, ${m.memGb} GB, Node ${m.node}, ${m.platform}; load average at start ${m.loadAverageAtStart.join(" ")}\n`;
  out += `run: ${kinds.map(name).join(" + ")}; projector threads ${process.env.LEDGER_PROJECTOR_THREADS || "2 (default)"}; ${args.clients} HTTP clients; end to end over ${((total - live) * BATCH_EVENTS).toLocaleString("en-US")} events, then ${(live * BATCH_EVENTS).toLocaleString("en-US")} paced at ${args.rate.toLocaleString("en-US")} ev/s; wall ${wallS.toFixed(0)} s\n\n`;
  out += line(header);
  out += line(widths.map((w) => "-".repeat(w)));
  for (const cells of table) out += line(cells);
  out += "\n";
  for (const kind of kinds) {
    const s = summary.stores[kind]!;
    out += `${name(kind)}: ingest split validateBatch ${s.ingest.validateMs ?? "—"} ms / store.append ${s.ingest.appendMs ?? "—"} ms; `;
    out += `POST p50/p99 naive ${fmtDist(s.http.postMs.naive)}, ledger ${fmtDist(s.http.postMs.ledger)}, paced ${fmtDist(s.pacedIngest.postMs)}; `;
    out += `lag max by projection ${JSON.stringify(s.lag.maxEventsByProjection)}; reads at head ${s.reads.head.idle ?? "—"}\n`;
    const loops = {
      "http ingest": (s.apiEventLoopDelayMs.httpIngest as Record<string, Dist> | null)?.rest,
      ...((s.apiEventLoopDelayMs.service ?? {}) as Record<string, Dist>),
    };
    out += `${name(kind)}: API event-loop delay p99/max ${
      Object.entries(loops)
        .filter(([k, d]) => d && k !== "rest")
        .map(([k, d]) => `${k} ${d!.p99.toFixed(0)}/${d!.max.toFixed(0)} ms`)
        .join(", ") || "—"
    }\n`;
    out += `${name(kind)}: service RSS by stage ${
      Object.entries(s.peakRssMb.serviceByStage ?? {})
        .filter(([k]) => k !== "rest")
        .map(([k, v]) => `${k} ${v.toFixed(0)} MB`)
        .join(", ") || "—"
    }\n`;
    out += `${name(kind)}: read statuses idle ${statusLine(s.reads.statuses.idle)}; during ingest ${statusLine(s.reads.statuses.duringIngest)}\n`;
    out += `${name(kind)}: phase seconds ${Object.entries(s.phaseSeconds)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}\n`;
  }
  for (const e of summary.errors) out += `ERROR ${e}\n`;
  return `${out}\n`;
}

function fmtDist(d: unknown): string {
  const v = d as Dist | null;
  return v && Number.isFinite(v.p50) ? `${v.p50.toFixed(0)}/${v.p99.toFixed(0)} ms` : "—";
}

/** Non-200 answers per kind, e.g. `earningsAsOf 404×71`; "all 200" when there are none. */
function statusLine(statuses: unknown): string {
  if (!statuses) return "—";
  const parts: string[] = [];
  for (const [kind, byStatus] of Object.entries(statuses as Record<string, Record<string, number>>)) {
    for (const [status, count] of Object.entries(byStatus)) if (status !== "200") parts.push(`${kind} ${status}×${count}`);
  }
  return parts.length === 0 ? "all 200" : parts.join(", ");
}

// --- entry ------------------------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));
if (args.phase) {
  try {
    const result = await runPhaseHere(args);
    process.stdout.write(`@@result ${JSON.stringify(result)}\n`);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.stdout.write(`@@error ${JSON.stringify((error as Error).message)}\n`);
    process.exit(1);
  }
} else {
  await orchestrate(args);
}
