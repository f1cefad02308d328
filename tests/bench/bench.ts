// `npm run bench` (issue 6): one run, on a fresh temporary data directory, of
//   baseline      raw better-sqlite3 (WAL, synchronous=FULL): insert the workload as rows of one
//                 table in transactions of 1,000, then scan them (the physical limit of the store);
//   ingest        validateBatch + store.append in batches of 1,000 (durable, validated);
//   http ingest   POST /v1/events, batches of 1,000, a few in flight, over loopback;
//   rebuild       each projection alone, then all five together, from position 0;
//   queries       p50/p99 of earnings, report (30 days), budget, payout over HTTP on loopback;
// each phase in its own child process, so each peak RSS is that phase's own.
//
//   npm run bench                                   # 1,000,000 events, table for people
//   npm run bench -- --events 100000 --json         # one JSON line on stdout (table on stderr)
//   options: --seed 1  --queries 1000  --warmup 100  --concurrency 4  --dir <keep data here>  --keep
//
// A single phase can run alone (to profile it), over a directory an earlier run kept:
//   npm run bench -- --events 100000 --dir /tmp/b --keep
//   node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx tests/bench/bench.ts \
//     --phase replay --store /tmp/b/ledger/events.db --out /tmp/b/prof-out --names earnings,budget,report,payout
//   (phases: baseline|ingest --dir D --events N; replay --store F --out D --names a,b; query --dir D --events N)
//
// Targets (issue 6) are printed next to the figures; they are never asserted in tests.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PROJECTION_NAMES, type ProjectionName } from "../../projections/projection.ts";
import {
  baselinePhase,
  httpIngestClient,
  ingestPhase,
  QUERY_KINDS,
  queryPhase,
  replayPhase,
  servePhase,
  type PhaseResult,
  type QueryKind,
} from "./phases.ts";

const SELF = fileURLToPath(import.meta.url);

export const TARGETS = {
  ingestToBaselineInsertMin: 0.5,
  replayAllEventsPerSecMin: 100_000,
  queryP99MsMax: 5,
  /** Point-in-time reads (issue 11). */
  asOfQueryP99MsMax: 10,
  peakRssMbMax: 300,
} as const;

interface Args {
  events: number;
  seed: number;
  json: boolean;
  queries: number;
  warmup: number;
  concurrency: number;
  dir: string | null;
  keep: boolean;
  phase: string | null;
  store: string | null;
  out: string | null;
  names: ProjectionName[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { events: 1_000_000, seed: 1, json: false, queries: 1_000, warmup: 100, concurrency: 4, dir: null, keep: false, phase: null, store: null, out: null, names: [...PROJECTION_NAMES] };
  const int = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value?.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got '${value}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    const next = () => argv[++i];
    switch (a) {
      case "--events": args.events = int(a, next(), 1); break;
      case "--seed": args.seed = int(a, next(), 0); break;
      case "--queries": args.queries = int(a, next(), 1); break;
      case "--warmup": args.warmup = int(a, next(), 0); break;
      case "--concurrency": args.concurrency = int(a, next(), 1); break;
      case "--json": args.json = true; break;
      case "--keep": args.keep = true; break;
      case "--dir": args.dir = path.resolve(next() ?? "."); break;
      case "--phase": args.phase = next() ?? null; break;
      case "--store": args.store = path.resolve(next() ?? ""); break;
      case "--out": args.out = path.resolve(next() ?? ""); break;
      case "--names": {
        const names = (next() ?? "").split(",");
        for (const n of names) if (!(PROJECTION_NAMES as readonly string[]).includes(n)) throw new Error(`--names: unknown projection '${n}'`);
        args.names = names as ProjectionName[];
        break;
      }
      case "--": break;
      default: throw new Error(`unknown argument '${a}' (see the header of tests/bench/bench.ts)`);
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
  switch (args.phase) {
    case "baseline": return baselinePhase({ dir: need(args.dir, "--dir"), seed: args.seed, events: args.events });
    case "ingest": return ingestPhase({ dir: need(args.dir, "--dir"), seed: args.seed, events: args.events });
    case "serve": return servePhase({ dir: need(args.dir, "--dir") });
    case "replay": return replayPhase({ storeFile: need(args.store, "--store"), outDir: need(args.out, "--out"), names: args.names });
    case "query": return queryPhase({ dir: need(args.dir, "--dir"), seed: args.seed, events: args.events, queries: args.queries, warmup: args.warmup });
    default: throw new Error(`unknown phase '${args.phase}'`);
  }
}

// --- parent side ------------------------------------------------------------------------------------

interface Child {
  result: Promise<PhaseResult>;
  /** Resolves with the line after `@@<tag> ` the first time the child prints it. */
  line(tag: string): Promise<string>;
  endInput(): void;
}

function spawnPhase(phaseArgs: string[]): Child {
  const child = spawn(process.execPath, [...process.execArgv, SELF, ...phaseArgs], { stdio: ["pipe", "pipe", "inherit"] });
  const waiters = new Map<string, (rest: string) => void>();
  const seen = new Map<string, string>();
  let buffer = "";
  let result: PhaseResult | null = null;
  let error: string | null = null;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const m = /^@@(\w+) ?(.*)$/.exec(line);
      if (!m) continue;
      const [, tag, rest] = m as unknown as [string, string, string];
      if (tag === "result") result = JSON.parse(rest) as PhaseResult;
      else if (tag === "error") error = rest;
      seen.set(tag, rest);
      waiters.get(tag)?.(rest);
    }
  });
  const done = new Promise<PhaseResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      for (const [tag, resolveWaiter] of waiters) if (!seen.has(tag)) resolveWaiter("");
      if (result && code === 0) resolve(result);
      else reject(new Error(`phase ${phaseArgs.join(" ")} failed (exit ${code}): ${error ?? "no result"}`));
    });
  });
  done.catch(() => undefined);
  return {
    result: done,
    line(tag) {
      const already = seen.get(tag);
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((resolve) => waiters.set(tag, resolve));
    },
    endInput() {
      child.stdin.end();
    },
  };
}

interface Results {
  baseline?: PhaseResult;
  ingest?: PhaseResult;
  http?: { client: Awaited<ReturnType<typeof httpIngestClient>>; server: PhaseResult } | { unavailable: string };
  replay: Partial<Record<ProjectionName, PhaseResult>>;
  replayAll?: PhaseResult;
  query?: PhaseResult;
  errors: string[];
}

async function orchestrate(args: Args): Promise<void> {
  const root = args.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "ledger-bench-"));
  if (args.dir) {
    for (const sub of ["baseline", "ledger", "http", ...PROJECTION_NAMES.map((n) => `replay-${n}`)]) fs.rmSync(path.join(root, sub), { recursive: true, force: true });
  }
  fs.mkdirSync(root, { recursive: true });
  const common = ["--events", String(args.events), "--seed", String(args.seed)];
  const results: Results = { replay: {}, errors: [] };
  const started = performance.now();
  const phase = async <T>(label: string, run: () => Promise<T>): Promise<T | undefined> => {
    process.stderr.write(`▶ ${label}\n`);
    const t0 = performance.now();
    try {
      const value = await run();
      process.stderr.write(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      return value;
    } catch (error) {
      const message = `${label}: ${(error as Error).message}`;
      results.errors.push(message);
      process.stderr.write(`  FAILED ${message}\n`);
      return undefined;
    }
  };

  const ledgerDir = path.join(root, "ledger");
  const storeFile = path.join(ledgerDir, "events.db");
  results.baseline = await phase("baseline: raw better-sqlite3 insert + scan", () => spawnPhase(["--phase", "baseline", "--dir", path.join(root, "baseline"), ...common]).result);
  results.ingest = await phase("durable validated ingest (validateBatch + store.append)", () => spawnPhase(["--phase", "ingest", "--dir", ledgerDir, ...common]).result);
  results.http = await phase("HTTP ingest (POST /v1/events over loopback)", async () => {
    const server = spawnPhase(["--phase", "serve", "--dir", path.join(root, "http"), ...common]);
    const listening = await Promise.race([server.line("listening").then((url) => ({ url })), server.line("unavailable").then(() => null)]);
    if (!listening || listening.url === "") {
      server.endInput();
      await server.result.catch(() => undefined);
      return { unavailable: "services/http/app.ts (buildApp) is not available" };
    }
    try {
      const client = await httpIngestClient({ url: listening.url, seed: args.seed, events: args.events, concurrency: args.concurrency });
      server.endInput();
      return { client, server: await server.result };
    } catch (error) {
      server.endInput();
      await server.result.catch(() => undefined);
      throw error;
    }
  });
  if (results.ingest) {
    for (const name of PROJECTION_NAMES) {
      results.replay[name] = await phase(`rebuild ${name} alone from position 0`, () =>
        spawnPhase(["--phase", "replay", "--store", storeFile, "--out", path.join(root, `replay-${name}`), "--names", name, ...common]).result,
      );
      fs.rmSync(path.join(root, `replay-${name}`), { recursive: true, force: true }); // disk, not memory: keep /tmp small
    }
    results.replayAll = await phase("rebuild all five projections from position 0", () =>
      spawnPhase(["--phase", "replay", "--store", storeFile, "--out", ledgerDir, "--names", PROJECTION_NAMES.join(","), ...common]).result,
    );
  }
  if (results.replayAll) {
    results.query = await phase("query latency over loopback", () =>
      spawnPhase(["--phase", "query", "--dir", ledgerDir, "--queries", String(args.queries), "--warmup", String(args.warmup), ...common]).result,
    );
  }
  const wallS = (performance.now() - started) / 1000;
  if (!args.keep && !args.dir) fs.rmSync(root, { recursive: true, force: true });
  else process.stderr.write(`data kept in ${root}\n`);

  const summary = summarize(args, results, wallS);
  const table = renderTable(args, results, summary, wallS);
  if (args.json) {
    process.stderr.write(table);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    process.stdout.write(table);
  }
  if (results.errors.length > 0) process.exitCode = 1;
}

// --- figures ---------------------------------------------------------------------------------------

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const round = (v: number | null, digits = 0): number | null => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);
const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : round(a / b, 3));

/** A read as of a position (…AsOf) folds an owner's journal rows: its target is 10 ms, a read of now 5 ms. */
function p99TargetOf(kind: QueryKind): number {
  return kind.endsWith("AsOf") ? TARGETS.asOfQueryP99MsMax : TARGETS.queryP99MsMax;
}

function summarize(args: Args, r: Results, wallS: number) {
  const insert = num(r.baseline?.insertEventsPerSec);
  const scan = num(r.baseline?.scanEventsPerSec);
  const ingest = num(r.ingest?.ingestEventsPerSec);
  const http = r.http && "client" in r.http ? r.http.client.httpIngestEventsPerSec : null;
  const replayAll = num(r.replayAll?.eventsPerSec);
  const replay = Object.fromEntries(PROJECTION_NAMES.map((n) => [n, round(num(r.replay[n]?.eventsPerSec))])) as Record<ProjectionName, number | null>;
  const qm = (r.query?.queryMs ?? {}) as Partial<Record<QueryKind, { p50: number; p99: number }>>;
  const queryMs = Object.fromEntries(QUERY_KINDS.map((k) => [k, { p50: round(num(qm[k]?.p50), 3), p99: round(num(qm[k]?.p99), 3) }])) as Record<QueryKind, { p50: number | null; p99: number | null }>;
  const rssByPhase: Record<string, number | null> = {
    ingest: round(num(r.ingest?.peakRssMb), 1),
    httpServer: r.http && "server" in r.http ? round(num(r.http.server.peakRssMb), 1) : null,
    ...Object.fromEntries(PROJECTION_NAMES.map((n) => [`rebuild_${n}`, round(num(r.replay[n]?.peakRssMb), 1)])),
    rebuildAll: round(num(r.replayAll?.peakRssMb), 1),
    query: round(num(r.query?.peakRssMb), 1),
  };
  const rssValues = Object.values(rssByPhase).filter((v): v is number => v !== null);
  const peakRssMb = rssValues.length > 0 ? Math.max(...rssValues) : null;
  const p99s = QUERY_KINDS.map((k) => [queryMs[k].p99, p99TargetOf(k)] as const);
  const met = {
    ingest: ingest !== null && insert !== null ? ingest >= TARGETS.ingestToBaselineInsertMin * insert : null,
    replayAll: replayAll !== null ? replayAll >= TARGETS.replayAllEventsPerSecMin : null,
    queryP99: p99s.every(([p]) => p !== null) ? p99s.every(([p, target]) => (p as number) <= target) : null,
    peakRss: peakRssMb !== null ? peakRssMb <= TARGETS.peakRssMbMax : null,
  };
  return {
    events: args.events,
    seed: args.seed,
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "?", memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    ingestEventsPerSec: round(ingest),
    httpIngestEventsPerSec: round(http),
    replayAllEventsPerSec: round(replayAll),
    replayEventsPerSec: replay,
    queryMs,
    queryVia: (r.query?.via as string | undefined) ?? null,
    peakRssMb,
    peakRssMbByPhase: rssByPhase,
    baseline: { insertEventsPerSec: round(insert), scanEventsPerSec: round(scan) },
    ratios: {
      ingestToBaselineInsert: ratio(ingest, insert),
      httpIngestToBaselineInsert: ratio(http, insert),
      replayAllToBaselineScan: ratio(replayAll, scan),
      replayToBaselineScan: Object.fromEntries(PROJECTION_NAMES.map((n) => [n, ratio(num(r.replay[n]?.eventsPerSec), scan)])),
    },
    ingestSplitMs: { validate: round(num(r.ingest?.validateMs)), append: round(num(r.ingest?.appendMs)) },
    targets: TARGETS,
    met,
    wallSeconds: round(wallS, 1),
    errors: r.errors,
    notes: r.http && "unavailable" in r.http ? [r.http.unavailable] : [],
  };
}

function renderTable(args: Args, r: Results, s: ReturnType<typeof summarize>, wallS: number): string {
  const rate = (v: number | null) => (v === null ? "—" : `${Math.round(v).toLocaleString("en-US")} ev/s`);
  const ms = (v: number | null) => (v === null ? "—" : `${v.toFixed(2)} ms`);
  const mb = (v: number | null) => (v === null ? "—" : `${v.toFixed(0)} MB`);
  const ok = (v: boolean | null) => (v === null ? "n/a" : v ? "met" : "NOT met");
  const x = (v: number | null) => (v === null ? "" : ` (${v.toFixed(2)}× baseline)`);
  const rows: [string, string, string, string][] = [
    ["baseline: raw insert (WAL, sync=FULL, tx of 1,000)", rate(s.baseline.insertEventsPerSec), "—", ""],
    ["baseline: raw scan (+ JSON.parse)", rate(s.baseline.scanEventsPerSec), "—", ""],
    ["durable validated ingest (batches of 1,000)", rate(s.ingestEventsPerSec) + x(s.ratios.ingestToBaselineInsert), `≥ ${TARGETS.ingestToBaselineInsertMin}× raw insert`, ok(s.met.ingest)],
    [`HTTP ingest (POST 1,000/batch, ${args.concurrency} in flight)`, s.httpIngestEventsPerSec === null ? (s.notes[0] ?? "—") : rate(s.httpIngestEventsPerSec) + x(s.ratios.httpIngestToBaselineInsert), "—", ""],
    ...PROJECTION_NAMES.map((n): [string, string, string, string] => [`rebuild ${n} alone`, rate(s.replayEventsPerSec[n]), "—", ""]),
    ["rebuild all five", rate(s.replayAllEventsPerSec), `≥ ${TARGETS.replayAllEventsPerSecMin.toLocaleString("en-US")} ev/s`, ok(s.met.replayAll)],
    ...QUERY_KINDS.map((k): [string, string, string, string] => {
      const q = s.queryMs[k];
      const m = q.p99 === null ? null : q.p99 <= p99TargetOf(k);
      return [`query ${k}${k.startsWith("report") ? " (30 days)" : ""} p50 / p99 (${s.queryVia ?? "?"})`, `${ms(q.p50)} / ${ms(q.p99)}`, `p99 ≤ ${p99TargetOf(k)} ms`, ok(m)];
    }),
    ...Object.entries(s.peakRssMbByPhase).map(([phase, v]): [string, string, string, string] => [`peak RSS: ${phase}`, mb(v), `≤ ${TARGETS.peakRssMbMax} MB`, v === null ? "n/a" : ok(v <= TARGETS.peakRssMbMax)]),
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), ["figure", "measured", "target", ""][i]!.length));
  const line = (cells: string[]) => `${cells.map((c, i) => c.padEnd(widths[i]!)).join("  ")}\n`;
  let out = `\nCommission ledger benchmark — ${args.events.toLocaleString("en-US")} events (seed ${args.seed}), ${s.date.slice(0, 10)}\n`;
  out += `${s.machine.cpus} × ${s.machine.cpu}, ${s.machine.memGb} GB, Node ${s.machine.node}; wall ${wallS.toFixed(0)} s\n\n`;
  out += line(["figure", "measured", "target", "status"]);
  out += line(widths.map((w) => "-".repeat(w)));
  for (const row of rows) out += line(row);
  if (r.ingest) out += `\ningest split: validateBatch ${Math.round(num(r.ingest.validateMs) ?? 0)} ms, store.append ${Math.round(num(r.ingest.appendMs) ?? 0)} ms\n`;
  if (r.query) out += `query statuses: ${JSON.stringify(r.query.statuses)}\n`;
  for (const e of r.errors) out += `ERROR ${e}\n`;
  return `${out}\n`;
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
