// Small helpers of the benchmark: batching the workload, progress on stderr, memory sampling,
// percentiles, and a keep-alive HTTP client on node:http (no dependency).
import http from "node:http";
import { generateWorkload, type RawWireEvent } from "../../services/workload.ts";

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
export function progress(label: string, total: number, everyMs = 2_000): (done: number) => void {
  const started = performance.now();
  let lastPrint = started;
  return (done: number) => {
    const now = performance.now();
    if (done < total && now - lastPrint < everyMs) return;
    lastPrint = now;
    const s = (now - started) / 1000;
    process.stderr.write(`  [${label}] ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} events, ${s.toFixed(1)} s\n`);
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

export interface HttpAnswer {
  status: number;
  body: string;
}

/** A loopback HTTP client with keep-alive connections (one per request in flight). */
export function httpClient(baseUrl: string, token: string | null, maxSockets: number) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const request = (method: string, path: string, body?: string, contentType = "application/json"): Promise<HttpAnswer> =>
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
    post: (path: string, body: string) => request("POST", path, body),
    close: () => agent.destroy(),
  };
}
