// Load test on loopback (issue 7): `npm run test:load [-- --seconds N]`.
//
// Starts `ledger serve` in a child process (tests/support/serverChild.ts) over a fresh temporary
// data directory (demo and scheduler off, open access, projectors in-process by default, or in a
// separate `ledger projectors` process with --split), then for N seconds (default 20):
//  - ingests batches of 500 workload events (workload/generator.ts, seeded) with a few in flight;
//  - runs queries concurrently (earnings, 30-day report, budget, payout) for creators and campaigns
//    already acknowledged;
//  - samples /v1/health for the projection lag.
// When the time is up it stops ingesting, measures how long the projections take to catch up,
// stops the server, reads the store file back and checks that nothing was lost or doubled
// (store head = appended count acknowledged, every event sent stored once, duplicates 0, no
// answer 5xx). Prints a table and one JSON line (`LOAD {...}`); exits 1 when a check fails.
// Only plain fetch with bounded concurrency: no load-generator dependency.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { READ_PAGE_MAX } from "../../infra/eventStore/port.ts";
import { generateWorkload, mulberry32 } from "../../workload/generator.ts";
import type { RawWireEvent } from "../../workload/wireEvent.ts";
import { startProjectors, startServer, type LedgerChild, type ServerChild } from "../support/serverChild.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    batch: { type: "string", default: "500" },
    "in-flight": { type: "string", default: "3" },
    "query-concurrency": { type: "string", default: "4" },
    seed: { type: "string", default: "2027" },
    split: { type: "boolean", default: false },
    "catch-up-timeout": { type: "string", default: "120" },
  },
  strict: true,
});

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got '${value}'`);
  return n;
}

const SECONDS = positive("seconds", args.seconds);
const BATCH = Math.floor(positive("batch", args.batch));
const IN_FLIGHT = Math.floor(positive("in-flight", args["in-flight"]));
const QUERY_CONCURRENCY = Math.floor(positive("query-concurrency", args["query-concurrency"]));
const SEED = Math.floor(positive("seed", args.seed));
const CATCH_UP_TIMEOUT_MS = positive("catch-up-timeout", args["catch-up-timeout"]) * 1000;
const HEALTH_SAMPLE_MS = 100;
/** More events than a run can send at the fastest rate measured, so ingest never runs dry. */
const POOL_EVENTS = Math.max(200_000, Math.ceil(SECONDS * 40_000));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------------

interface Endpoint {
  latencies: number[];
  status: Map<number, number>;
  failures: number;
}

const endpoints = new Map<string, Endpoint>();
function endpoint(name: string): Endpoint {
  let e = endpoints.get(name);
  if (!e) endpoints.set(name, (e = { latencies: [], status: new Map(), failures: 0 }));
  return e;
}

async function timed(name: string, url: string, init?: RequestInit): Promise<{ status: number; text: string } | null> {
  const e = endpoint(name);
  const started = performance.now();
  try {
    const response = await fetch(url, init);
    const text = await response.text();
    e.latencies.push(performance.now() - started);
    e.status.set(response.status, (e.status.get(response.status) ?? 0) + 1);
    return { status: response.status, text };
  } catch {
    e.failures += 1;
    return null;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const round = (n: number, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : null);

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-load-"));
const children: LedgerChild[] = [];
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const child of children) await child.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));

async function main(): Promise<number> {
  const env = { LEDGER_PROJECTORS: args.split ? "none" : "all", LEDGER_BATCH_MAX: String(Math.max(10_000, BATCH)) };
  const server: ServerChild = await startServer({ dataDir, env });
  children.push(server);
  let projectors: LedgerChild | null = null;
  if (args.split) {
    projectors = startProjectors({ dataDir, env: { LEDGER_PROJECTORS: "all" } });
    children.push(projectors);
  }
  const url = server.url;
  process.stderr.write(
    `load: server ${url} (${args.split ? "API + separate projectors process" : "projectors in-process"}), data ${dataDir}, ${SECONDS} s, batches of ${BATCH}, ${IN_FLIGHT} in flight, ${QUERY_CONCURRENCY} query workers\n`,
  );

  const workload = generateWorkload({ seed: SEED, events: POOL_EVENTS });
  const rand = mulberry32(SEED ^ 0x5bd1e995);
  const creators: string[] = [];
  const campaigns: string[] = [];
  const seenCreators = new Set<string>();
  let latestBusinessMs = 0;

  const ingest = {
    sentEvents: 0,
    appended: 0,
    duplicates: 0,
    batchesAcked: 0,
    batchesRefused: 0,
    refusals: [] as string[],
    exhausted: false,
  };
  const sentIds: string[] = [];
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let ingestStopped = 0;

  // --- ingest: batches of BATCH, IN_FLIGHT in flight ---------------------------------------------
  const nextBatch = (): RawWireEvent[] => {
    const batch: RawWireEvent[] = [];
    while (batch.length < BATCH) {
      const step = workload.next();
      if (step.done) {
        ingest.exhausted = true;
        break;
      }
      batch.push(step.value);
    }
    return batch;
  };
  const learn = (batch: readonly RawWireEvent[]) => {
    for (const e of batch) {
      const data = e.data as { creatorId?: string; campaignId?: string };
      if (e.type === "CampaignAccepted" && data.creatorId && !seenCreators.has(data.creatorId)) {
        seenCreators.add(data.creatorId);
        creators.push(data.creatorId);
      }
      if (e.type === "CampaignCreated" && data.campaignId) campaigns.push(data.campaignId);
      const ms = Date.parse(e.occurredAt);
      if (ms > latestBusinessMs) latestBusinessMs = ms;
    }
  };
  const ingester = async () => {
    while (performance.now() < deadline && !ingest.exhausted) {
      const batch = nextBatch();
      if (batch.length === 0) break;
      ingest.sentEvents += batch.length;
      for (const e of batch) sentIds.push(e.id);
      const answer = await timed("POST /v1/events", `${url}/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(batch),
      });
      if (answer?.status === 200) {
        const body = JSON.parse(answer.text) as { appended: number; duplicates: number };
        ingest.appended += body.appended;
        ingest.duplicates += body.duplicates;
        ingest.batchesAcked += 1;
        learn(batch);
      } else {
        ingest.batchesRefused += 1;
        if (ingest.refusals.length < 5)
          ingest.refusals.push(answer ? `${answer.status} ${answer.text.slice(0, 300)}` : "connection failed");
      }
    }
  };

  // --- queries ------------------------------------------------------------------------------------
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const queries = [
    (): [string, string] | null => (creators.length ? ["GET earnings", `/v1/creators/${pick(creators)}/earnings`] : null),
    (): [string, string] | null => {
      if (!creators.length) return null;
      const to = latestBusinessMs - Math.floor(rand() * 10) * 86_400_000;
      return ["GET report (30 days)", `/v1/creators/${pick(creators)}/report?from=${day(to - 29 * 86_400_000)}&to=${day(to)}`];
    },
    (): [string, string] | null => (campaigns.length ? ["GET budget", `/v1/campaigns/${pick(campaigns)}/budget`] : null),
    (): [string, string] | null =>
      creators.length ? ["GET payout", `/v1/creators/${pick(creators)}/payout?asOf=${day(latestBusinessMs)}`] : null,
  ];
  const querier = async (worker: number) => {
    let k = worker;
    while (performance.now() < deadline) {
      const q = queries[k++ % queries.length]!();
      if (q === null) {
        await sleep(10);
        continue;
      }
      await timed(q[0], url + q[1]);
    }
  };

  // --- health sampling ----------------------------------------------------------------------------
  const lagSamples: { atMs: number; head: number; lag: number }[] = [];
  let sampling = true;
  const sampleHealth = async () => {
    const answer = await timed("GET health", `${url}/v1/health`);
    if (answer?.status !== 200) return null;
    const h = JSON.parse(answer.text) as { store: { head: number }; projections: { name: string; lag: number; position: number }[] };
    const lag = Math.max(...h.projections.map((p) => Math.max(p.lag, h.store.head - p.position)));
    lagSamples.push({ atMs: performance.now() - started, head: h.store.head, lag });
    return { head: h.store.head, lag, projections: h.projections };
  };
  const sampler = (async () => {
    while (sampling) {
      await sampleHealth();
      await sleep(HEALTH_SAMPLE_MS);
    }
  })();

  await Promise.all([
    ...Array.from({ length: IN_FLIGHT }, () => ingester()),
    ...Array.from({ length: QUERY_CONCURRENCY }, (_, i) => querier(i)),
  ]);
  ingestStopped = performance.now();
  sampling = false;
  await sampler;
  const loadSeconds = (ingestStopped - started) / 1000;

  // --- catching up ----------------------------------------------------------------------------------
  const atStop = await sampleHealth();
  let caughtUp: { head: number; lag: number } | null = null;
  while (performance.now() - ingestStopped < CATCH_UP_TIMEOUT_MS) {
    const h = await sampleHealth();
    if (h && h.lag === 0 && h.head === ingest.appended) {
      caughtUp = h;
      break;
    }
    await sleep(20);
  }
  const catchUpSeconds = caughtUp ? (performance.now() - ingestStopped) / 1000 : null;
  const final = lagSamples[lagSamples.length - 1];

  // --- nothing lost: read the store file back --------------------------------------------------------
  await server.stop();
  if (projectors) await projectors.stop();
  const serverExit = await server.exited;
  const store = await openSqliteEventStore({ file: path.join(dataDir, "events.db") });
  const counts = new Map<string, number>();
  let expectedPosition = 1;
  let gaps = 0;
  for (let after = 0; ;) {
    const page = await store.readForward(after, READ_PAGE_MAX);
    if (page.length === 0) break;
    for (const e of page) {
      if (e.position !== expectedPosition) gaps += 1;
      expectedPosition = e.position + 1;
      counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
    }
    after = page[page.length - 1]!.position;
  }
  const storeHead = await store.head();
  await store.close();
  const storedTwice = [...counts.values()].filter((n) => n > 1).length;
  const sentMissing = sentIds.filter((id) => !counts.has(id)).length;

  // --- report ----------------------------------------------------------------------------------------
  const rows = [...endpoints].map(([name, e]) => {
    const sorted = [...e.latencies].sort((a, b) => a - b);
    const statuses = Object.fromEntries([...e.status].sort(([a], [b]) => a - b));
    const fiveXx = [...e.status].filter(([s]) => s >= 500).reduce((s, [, n]) => s + n, 0);
    return {
      endpoint: name,
      requests: e.latencies.length + e.failures,
      "req/s": round(e.latencies.length / loadSeconds),
      "p50 ms": round(percentile(sorted, 0.5)),
      "p99 ms": round(percentile(sorted, 0.99)),
      "max ms": round(sorted[sorted.length - 1] ?? NaN),
      statuses: JSON.stringify(statuses),
      failures: e.failures,
      fiveXx,
    };
  });
  const queryRows = rows.filter((r) => r.endpoint.startsWith("GET ") && r.endpoint !== "GET health");
  const queryRequests = queryRows.reduce((s, r) => s + r.requests, 0);
  const fiveXx = rows.reduce((s, r) => s + r.fiveXx, 0);
  const failures = rows.reduce((s, r) => s + r.failures, 0);
  const checks = {
    "store head = appended acknowledged": storeHead === ingest.appended,
    "every event sent is stored once": sentMissing === 0 && storedTwice === 0 && counts.size === ingest.sentEvents,
    "positions 1..head without gaps": gaps === 0 && expectedPosition - 1 === storeHead,
    "duplicates reported = 0": ingest.duplicates === 0,
    "no batch refused": ingest.batchesRefused === 0,
    "no 5xx and no failed request": fiveXx === 0 && failures === 0,
    "projections caught up": caughtUp !== null,
    "server shut down cleanly": serverExit.code === 0,
    "ingest did not run dry": !ingest.exhausted,
  };
  const result = {
    seconds: round(loadSeconds, 2),
    topology: args.split ? "split" : "in-process",
    batch: BATCH,
    inFlight: IN_FLIGHT,
    queryConcurrency: QUERY_CONCURRENCY,
    ingest: {
      events: ingest.appended,
      eventsPerSecond: round(ingest.appended / loadSeconds, 0),
      batches: ingest.batchesAcked,
      duplicates: ingest.duplicates,
      refusedBatches: ingest.batchesRefused,
    },
    queries: {
      requests: queryRequests,
      perSecond: round(queryRows.reduce((s, r) => s + (r["req/s"] ?? 0), 0)),
      creatorsKnown: creators.length,
      campaignsKnown: campaigns.length,
    },
    endpoints: Object.fromEntries(
      rows.map((r) => [
        r.endpoint,
        {
          requests: r.requests,
          perSecond: r["req/s"],
          p50Ms: r["p50 ms"],
          p99Ms: r["p99 ms"],
          maxMs: r["max ms"],
          statuses: JSON.parse(r.statuses),
          failures: r.failures,
        },
      ]),
    ),
    lag: {
      samples: lagSamples.length,
      maxEvents: Math.max(0, ...lagSamples.map((s) => s.lag)),
      atIngestStopEvents: atStop?.lag ?? null,
      finalEvents: final?.lag ?? null,
      catchUpSeconds: catchUpSeconds === null ? null : round(catchUpSeconds, 2),
    },
    store: { head: storeHead, distinctIds: counts.size, storedTwice, sentMissing, gaps },
    checks,
    ok: Object.values(checks).every(Boolean),
  };

  console.log(
    `\nLoad test: ${result.seconds} s on loopback, ${result.topology}, batches of ${BATCH} (${IN_FLIGHT} in flight), ${QUERY_CONCURRENCY} query workers\n`,
  );
  console.table(Object.fromEntries(rows.map(({ endpoint: name, fiveXx: _, ...rest }) => [name, rest])));
  console.table({
    "ingest events/s": { value: result.ingest.eventsPerSecond },
    "events appended": { value: result.ingest.events },
    "query req/s (all)": { value: result.queries.perSecond },
    "projection lag max (events)": { value: result.lag.maxEvents },
    "projection lag at ingest stop": { value: result.lag.atIngestStopEvents },
    "projection lag final": { value: result.lag.finalEvents },
    "catch-up after ingest stop (s)": { value: result.lag.catchUpSeconds },
    "store head": { value: storeHead },
    duplicates: { value: ingest.duplicates },
  });
  console.table(Object.fromEntries(Object.entries(checks).map(([k, v]) => [k, { ok: v }])));
  if (ingest.refusals.length > 0) console.log("refused batches:", ingest.refusals);
  if (!result.ok && serverExit.code !== 0) console.log(server.output().slice(-3000));
  console.log(`LOAD ${JSON.stringify(result)}`);
  return result.ok ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`load test failed: ${(error as Error).stack ?? String(error)}`);
  for (const child of children) console.error(child.output().slice(-3000));
} finally {
  await cleanup();
}
process.exit(code);
