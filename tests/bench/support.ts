// Small helpers of the benchmark: batching the workload, the request bodies file, progress on
// stderr, memory sampling, percentiles, a keep-alive HTTP client on node:http (no dependency) and
// the HTTP load generator every HTTP figure uses (closed loop, or paced at a target rate).
import fs from "node:fs";
import http from "node:http";
import { generateWorkload } from "../../workload/generator.ts";
import type { RawWireEvent } from "../../workload/wireEvent.ts";

export const BATCH_EVENTS = 1_000;

/** The workload in batches of BATCH_EVENTS (the generator streams; nothing else is kept). */
export function* workloadBatches(seed: number, events: number, size = BATCH_EVENTS): Generator<RawWireEvent[]> {
  let batch: RawWireEvent[] = [];
  for (const event of generateWorkload({ seed, events })) {
    batch.push(event);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Progress lines on stderr, at most one per `everyMs`. */
export function progress(label: string, total: number, everyMs = 5_000): (done: number) => void {
  const started = performance.now();
  let lastPrint = started;
  return (done: number) => {
    const now = performance.now();
    if (done < total && now - lastPrint < everyMs) return;
    lastPrint = now;
    const s = (now - started) / 1000;
    process.stderr.write(`  [${label}] ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}, ${s.toFixed(1)} s\n`);
  };
}

/** Samples the RSS every 50 ms; peakMb() also asks the kernel for the process's peak (maxRSS). */
export function rssSampler(): { peakMb(): number; stop(): void } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  timer.unref();
  return {
    peakMb() {
      peak = Math.max(peak, process.memoryUsage().rss);
      const kernelPeak = process.resourceUsage().maxRSS * 1024; // KiB
      return Math.max(peak, kernelPeak) / (1024 * 1024);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const rank = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[rank]!;
}

/** p50 / p99 / max of a list of values (sorted in place). */
export function distribution(values: number[]): { n: number; p50: number; p99: number; max: number } {
  values.sort((a, b) => a - b);
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: values[values.length - 1] ?? Number.NaN };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

// --- request bodies ---------------------------------------------------------------------------------

/**
 * The workload as request bodies, written once per run so that no HTTP figure pays for generating
 * it: one line per batch, `<event count> <JSON array of the batch>`.
 */
export function writeBodiesFile(file: string, seed: number, events: number): { batches: number; bytes: number } {
  const fd = fs.openSync(file, "w");
  let batches = 0;
  let bytes = 0;
  const tick = progress("bodies", events);
  let done = 0;
  try {
    for (const batch of workloadBatches(seed, events)) {
      const line = `${batch.length} ${JSON.stringify(batch)}\n`;
      bytes += fs.writeSync(fd, line);
      batches += 1;
      done += batch.length;
      tick(done);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { batches, bytes };
}

export interface Body {
  /** Index of the batch in the workload (0 = the first 1,000 events). */
  index: number;
  events: number;
  bytes: Buffer;
}

/** The bodies of batches `skip` … `skip + take - 1` of a bodies file, streamed. */
export async function* readBodies(file: string, skip = 0, take = Number.POSITIVE_INFINITY): AsyncGenerator<Body> {
  if (take <= 0) return;
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  let pending: Buffer[] = [];
  let index = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      let nl: number;
      while ((nl = chunk.indexOf(10, start)) >= 0) {
        const part = chunk.subarray(start, nl);
        start = nl + 1;
        const wanted = index >= skip;
        if (wanted) {
          const line = pending.length > 0 ? Buffer.concat([...pending, part]) : Buffer.from(part);
          const space = line.indexOf(32);
          yield { index, events: Number(line.subarray(0, space).toString("latin1")), bytes: line.subarray(space + 1) };
        }
        pending = [];
        index += 1;
        if (index >= skip + take) return;
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } finally {
    stream.destroy();
  }
}

// --- HTTP ----------------------------------------------------------------------------------------------

export interface HttpAnswer {
  status: number;
  body: string;
}

/** A loopback HTTP client with keep-alive connections (one per request in flight). */
export function httpClient(baseUrl: string, token: string | null, maxSockets: number) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const request = (method: string, path: string, body?: string | Buffer, contentType = "application/json"): Promise<HttpAnswer> =>
    new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) {
        headers["content-type"] = contentType;
        headers["content-length"] = Buffer.byteLength(body);
      }
      const req = http.request({ host: url.hostname, port: url.port, method, path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  return {
    get: (path: string) => request("GET", path),
    post: (path: string, body: string | Buffer) => request("POST", path, body),
    close: () => agent.destroy(),
  };
}
export type HttpClient = ReturnType<typeof httpClient>;

/** GET /v1/health of the ledger (services/http/app.ts). */
export interface Health {
  status: string;
  store: { head: number };
  projections: { name: string; version: number; position: number; lag: number }[];
}

export async function getHealth(client: HttpClient): Promise<Health> {
  const answer = await client.get("/v1/health");
  if (answer.status !== 200) throw new Error(`GET /v1/health answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  return JSON.parse(answer.body) as Health;
}

export interface LoadOptions {
  url: string;
  token: string | null;
  bodies: AsyncIterable<Body>;
  /** Connections, each with one request in flight at a time. */
  clients: number;
  /** Paced: events per second, batches sent on a timer (null = as fast as the clients go). */
  rate: number | null;
  /** Called once, when the first request is sent (the orchestrator starts its probes then). */
  onStart?: () => void;
  /** Progress total (events), for the progress line only. */
  total?: number;
  label?: string;
}

export interface LoadResult {
  events: number;
  requests: number;
  appended: number;
  /** Highest `lastPosition` any answer reported (the ledger's head after the last POST). */
  lastPosition: number;
  /** First request sent → last answer received. */
  ms: number;
  eventsPerSec: number;
  /** Wall-clock instant (epoch ms) the first request was sent. */
  startedAtEpochMs: number;
  postMs: { n: number; p50: number; p99: number; max: number };
  /** Paced mode: how late a batch left against its schedule at worst (both clients busy). */
  maxLateMs: number;
  rate: number | null;
  clients: number;
}

/**
 * The load generator of every HTTP figure: POST /v1/events with each body, `clients` requests in
 * flight at most; closed loop (next body as soon as a client is free), or paced (`rate` events/s:
 * batch i leaves at start + events before it / rate, or as soon as a client is free if late).
 * Any answer other than 200 stops it with an error.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const client = httpClient(o.url, o.token, o.clients);
  const iterator = o.bodies[Symbol.asyncIterator]();
  let next = await iterator.next(); // the first body is read before the clock starts (skipping is not timed)
  const inFlight = new Set<Promise<void>>();
  const postMs: number[] = [];
  const tick = progress(o.label ?? "load", o.total ?? Number.POSITIVE_INFINITY);
  let events = 0;
  let requests = 0;
  let appended = 0;
  let lastPosition = 0;
  let answered = 0;
  let failure: Error | null = null;
  let maxLateMs = 0;
  const startedAtEpochMs = Date.now();
  const t0 = performance.now();
  let lastAnswer = t0;
  try {
    while (!next.done && !failure) {
      const body = next.value;
      if (o.rate !== null) {
        const due = t0 + (events / o.rate) * 1000; // events: those whose batch was sent
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      while (inFlight.size >= o.clients) await Promise.race(inFlight);
      if (failure) break;
      if (o.rate !== null) maxLateMs = Math.max(maxLateMs, performance.now() - (t0 + (events / o.rate) * 1000));
      if (requests === 0) o.onStart?.();
      const sent = performance.now();
      const size = body.events;
      const p: Promise<void> = client
        .post("/v1/events", body.bytes)
        .then((answer) => {
          if (answer.status !== 200)
            throw new Error(`POST /v1/events (batch ${body.index}) answered ${answer.status}: ${answer.body.slice(0, 300)}`);
          const parsed = JSON.parse(answer.body) as { appended?: number; lastPosition?: number };
          appended += parsed.appended ?? 0;
          lastPosition = Math.max(lastPosition, parsed.lastPosition ?? 0);
          lastAnswer = performance.now();
          postMs.push(lastAnswer - sent);
          answered += size;
          tick(answered);
        })
        .catch((error: Error) => {
          failure ??= error;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      requests += 1;
      events += size;
      next = await iterator.next();
    }
    await Promise.all(inFlight);
  } finally {
    client.close();
    await iterator.return?.(undefined);
  }
  if (failure) throw failure;
  const ms = lastAnswer - t0;
  return {
    events,
    requests,
    appended,
    lastPosition,
    ms,
    eventsPerSec: (events / ms) * 1000,
    startedAtEpochMs,
    postMs: distribution(postMs),
    maxLateMs,
    rate: o.rate,
    clients: o.clients,
  };
}
