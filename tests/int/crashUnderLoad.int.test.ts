// Crash under load (issue 7): a client sends batches of 200 valid events (workload/generator.ts, a
// fixed seed) over HTTP to real `ledger serve` processes (tests/support/serverChild.ts) and records
// which batches were acknowledged (200). The processes are SIGKILLed at random moments, at least
// 20 cycles, and started again over the same data directory each time, in two topologies that
// alternate:
//  - "in-process": `ledger serve` with all four projectors inside it (killed together);
//  - "split": `ledger serve` with LEDGER_PROJECTORS=none plus a `ledger projectors` process, each
//    killed at its own random moment (the projectors sometimes while still starting/catching up).
// After a restart the client first resends what was not acknowledged (idempotency makes that safe:
// a batch committed just before the kill comes back as duplicates). A final clean run resends the
// rest and lets the projectors catch up. Then, reading the store file directly:
//  - every event ever sent is stored exactly once, and every acknowledged one is stored;
//  - positions are 1..head without gaps, and head = the number of distinct events sent;
//  - every acknowledged answer was consistent (appended + duplicates = batch size);
//  - no request got any answer but 200 (no 4xx conflict on a resend, no 5xx);
// and every read model's canonical export equals a clean rebuild of the same store in a fresh
// directory (tests/support/projectionHarness.ts).
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { READ_PAGE_MAX } from "../../infra/eventStore/port.ts";
import { PROJECTION_NAMES } from "../../projections/projection.ts";
import { generateWorkload, mulberry32 } from "../../workload/generator.ts";
import type { RawWireEvent } from "../../workload/wireEvent.ts";
import { catchUp, checkpoints, closeDbs, expectSameExports, openDbs, tempDir } from "../support/projectionHarness.ts";
import { startProjectors, startServer, type LedgerChild, type ServerChild } from "../support/serverChild.ts";

const SEED = Number(process.env.CRASH_SEED ?? 7007);
const BATCH_EVENTS = 200;
/** The pool the client draws batches from, in order; the test sends only as many as time allows. */
const POOL_EVENTS = 60_000;
const CYCLES = 21;
/** The server lives this long (uniform) after it listens before its SIGKILL ... */
const SERVER_LIFE_MS: [number, number] = [40, 450];
/**
 * ... and in this share of the cycles the kill then waits for a request to be in flight and lands
 * a uniform 0..KILL_IN_REQUEST_MS later: before, during or just after its commit (the case where
 * an event is stored but its batch never acknowledged).
 */
const KILL_IN_REQUEST_SHARE = 0.8;
const KILL_IN_REQUEST_MS = 15;
/** In split cycles the projectors' process lives this long (uniform) after its spawn. */
const PROJECTORS_LIFE_MS: [number, number] = [250, 1_700];
/** The client starts a new request at most this often, with at most this many in flight. */
const SEND_INTERVAL_MS = 45;
const IN_FLIGHT_MAX = 2;
const CATCH_UP_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Ack {
  batch: number;
  appended: number;
  duplicates: number;
  lastPosition: number;
}

/** The HTTP client: sends batches, records acknowledgements, keeps what must be resent. */
class Client {
  readonly acked = new Set<number>();
  readonly acks: Ack[] = [];
  /** Sent at least once but not acknowledged: resent first. */
  readonly pending: number[] = [];
  /** Answers other than 200 (each one is a finding). */
  readonly unexpected: string[] = [];
  next = 0;
  inFlight = 0;
  requests = 0;
  resends = 0;
  connectionErrors = 0;
  private sentOnce = new Set<number>();

  constructor(readonly batches: readonly RawWireEvent[][]) {}

  /** Batches sent at least once (acknowledged or not). */
  attempted(): number[] {
    return [...this.sentOnce].sort((a, b) => a - b);
  }

  private async send(url: string, batch: number): Promise<void> {
    this.inFlight += 1;
    this.requests += 1;
    if (this.sentOnce.has(batch)) this.resends += 1;
    this.sentOnce.add(batch);
    try {
      const response = await fetch(`${url}/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(this.batches[batch]),
      });
      const text = await response.text();
      if (response.status === 200) {
        const body = JSON.parse(text) as { appended: number; duplicates: number; lastPosition: number };
        this.acked.add(batch);
        this.acks.push({ batch, ...body });
      } else {
        this.unexpected.push(`batch ${batch}: ${response.status} ${text.slice(0, 300)}`);
        this.pending.push(batch);
      }
    } catch {
      // Connection refused/reset: the server was killed. Not acknowledged, so it is resent later.
      this.connectionErrors += 1;
      this.pending.push(batch);
    } finally {
      this.inFlight -= 1;
    }
  }

  /**
   * Sends until `stop()` is called: resends first, then new batches, paced and bounded. Resolves
   * once nothing is in flight any more.
   */
  run(url: string, options: { newBatches: boolean; paced: boolean }): { stop(): Promise<void>; drained: Promise<void> } {
    let stopped = false;
    const running = new Set<Promise<void>>();
    let resolveDrained!: () => void;
    const drained = new Promise<void>((r) => (resolveDrained = r));
    const loop = (async () => {
      while (!stopped) {
        let batch: number | undefined = this.pending.shift();
        if (batch === undefined && options.newBatches && this.next < this.batches.length) batch = this.next++;
        if (batch === undefined) {
          if (running.size === 0) resolveDrained();
          await sleep(5);
          continue;
        }
        const p = this.send(url, batch);
        running.add(p);
        void p.then(() => running.delete(p));
        if (options.paced) await sleep(SEND_INTERVAL_MS);
        while (!stopped && running.size >= IN_FLIGHT_MAX) await Promise.race(running);
      }
      await Promise.all(running);
    })();
    return {
      drained,
      async stop() {
        stopped = true;
        await loop;
      },
    };
  }
}

function uniform(rand: () => number, [lo, hi]: [number, number]): number {
  return lo + Math.floor(rand() * (hi - lo));
}

describe("crash under load", () => {
  const dirs: string[] = [];
  const children: LedgerChild[] = [];
  afterAll(async () => {
    for (const child of children) await child.kill();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it(`acknowledged events survive ≥ 20 SIGKILLs of the server and the projectors, stored once; read models equal a clean rebuild (seed ${SEED})`, async () => {
    const started = Date.now();
    const dataDir = tempDir("ledger-crashload-");
    dirs.push(dataDir);
    const pool = [...generateWorkload({ seed: SEED, events: POOL_EVENTS })];
    const batches: RawWireEvent[][] = [];
    for (let i = 0; i < pool.length; i += BATCH_EVENTS) batches.push(pool.slice(i, i + BATCH_EVENTS));
    const client = new Client(batches);
    const rand = mulberry32(SEED);

    const stats = { serverKills: 0, projectorKills: 0, killsWithRequestsInFlight: 0, splitCycles: 0, inProcessCycles: 0, healthChecks: 0 };
    const problems: string[] = [];

    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const split = cycle % 2 === 1;
      const projectorsLife = uniform(rand, PROJECTORS_LIFE_MS);
      const serverLife = uniform(rand, SERVER_LIFE_MS);
      let projectors: LedgerChild | null = null;
      let projectorsKilled: Promise<void> = Promise.resolve();
      if (split) {
        stats.splitCycles += 1;
        projectors = startProjectors({ dataDir, env: { LEDGER_PROJECTORS: "all" } });
        children.push(projectors);
        const p = projectors;
        projectorsKilled = sleep(projectorsLife).then(async () => {
          if (p.done()) problems.push(`cycle ${cycle}: the projectors process had already exited: ${p.output().slice(-2000)}`);
          await p.kill();
          stats.projectorKills += 1;
        });
      } else {
        stats.inProcessCycles += 1;
      }
      const server: ServerChild = await startServer({ dataDir, env: { LEDGER_PROJECTORS: split ? "none" : "all" } });
      children.push(server);
      // The restarted server answers (and its read side opens over whatever the crash left).
      const health = await fetch(`${server.url}/v1/health`);
      stats.healthChecks += 1;
      if (health.status !== 200) problems.push(`cycle ${cycle}: health ${health.status} ${await health.text()}`);
      else await health.text();

      const sending = client.run(server.url, { newBatches: true, paced: true });
      await sleep(serverLife);
      if (rand() < KILL_IN_REQUEST_SHARE) {
        const until = Date.now() + 300;
        while (client.inFlight === 0 && Date.now() < until) await new Promise((r) => setImmediate(r));
        await sleep(Math.floor(rand() * KILL_IN_REQUEST_MS));
      }
      if (client.inFlight > 0) stats.killsWithRequestsInFlight += 1;
      if (server.done()) problems.push(`cycle ${cycle}: the server had already exited: ${server.output().slice(-2000)}`);
      await server.kill();
      stats.serverKills += 1;
      await sending.stop();
      await projectorsKilled;
    }

    const killsDone = Date.now();
    // Final clean run: the projectors in-process, no kills; resend whatever is unacknowledged.
    const server = await startServer({ dataDir, env: { LEDGER_PROJECTORS: "all" } });
    children.push(server);
    const final = client.run(server.url, { newBatches: false, paced: false });
    await final.drained;
    await final.stop();
    expect(client.pending, "nothing left unacknowledged after the final run").toEqual([]);

    const attempted = client.attempted();
    const expectedIds = new Set(attempted.flatMap((b) => batches[b]!.map((e) => e.id)));
    // Wait until the store and every projection have reached the head.
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    let lastHealth = "";
    for (;;) {
      const response = await fetch(`${server.url}/v1/health`);
      lastHealth = await response.text();
      const h = JSON.parse(lastHealth) as { store: { head: number }; projections: { lag: number; position: number }[] };
      if (h.store.head === expectedIds.size && h.projections.every((p) => p.position === h.store.head)) break;
      if (Date.now() > deadline) throw new Error(`projections did not catch up: ${lastHealth}`);
      await sleep(25);
    }
    await server.stop();
    expect((await server.exited).code, server.output().slice(-2000)).toBe(0);

    // --- the store: every event sent is stored exactly once, positions without gaps ---------------
    const store = await openSqliteEventStore({ file: join(dataDir, "events.db") });
    const counts = new Map<string, number>();
    let expectedPosition = 1;
    const gaps: string[] = [];
    for (let after = 0; ;) {
      const page = await store.readForward(after, READ_PAGE_MAX);
      if (page.length === 0) break;
      for (const e of page) {
        if (e.position !== expectedPosition && gaps.length < 10) gaps.push(`expected position ${expectedPosition}, got ${e.position}`);
        expectedPosition = e.position + 1;
        counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
      }
      after = page[page.length - 1]!.position;
    }
    const head = await store.head();
    const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const missingAcked = [...client.acked].flatMap((b) => batches[b]!.map((e) => e.id)).filter((id) => !counts.has(id));
    const unknown = [...counts.keys()].filter((id) => !expectedIds.has(id));
    const inconsistentAcks = client.acks.filter(
      (a) => a.appended + a.duplicates !== batches[a.batch]!.length || a.lastPosition < a.appended,
    );
    const summary = {
      seed: SEED,
      ...stats,
      requests: client.requests,
      resends: client.resends,
      connectionErrors: client.connectionErrors,
      batchesSent: attempted.length,
      eventsSent: expectedIds.size,
      ackedAppended: client.acks.reduce((s, a) => s + a.appended, 0),
      ackedDuplicates: client.acks.reduce((s, a) => s + a.duplicates, 0),
      head,
      killPhaseSeconds: Math.round((killsDone - started) / 100) / 10,
      seconds: 0,
    };

    expect(problems, "server/projector processes misbehaved").toEqual([]);
    expect(client.unexpected, "answers other than 200 to POST /v1/events").toEqual([]);
    expect(gaps, "positions are 1..head without gaps").toEqual([]);
    expect(twice.slice(0, 10), "events stored more than once").toEqual([]);
    expect(missingAcked.slice(0, 10), "acknowledged events missing from the store").toEqual([]);
    expect(unknown.slice(0, 10), "stored events nobody sent").toEqual([]);
    expect(inconsistentAcks.slice(0, 5), "acknowledgements with appended + duplicates ≠ batch size").toEqual([]);
    expect(head).toBe(expectedIds.size);
    expect(counts.size).toBe(expectedIds.size);
    expect(expectedPosition - 1).toBe(head);
    // Every event was appended by exactly one acknowledged request or by one that was killed after
    // its commit (and then came back as duplicates).
    expect(summary.ackedAppended).toBeLessThanOrEqual(head);
    // Really under load, really many crashes.
    expect(stats.serverKills).toBeGreaterThanOrEqual(20);
    expect(stats.projectorKills).toBeGreaterThanOrEqual(10);
    expect(stats.killsWithRequestsInFlight, JSON.stringify(summary)).toBeGreaterThanOrEqual(6);
    expect(client.resends, "some batches had to be resent").toBeGreaterThan(0);

    // --- read models: equal to a clean rebuild of the same store elsewhere ------------------------
    const crashed = await openDbs("sqlite", { dir: dataDir });
    const cleanDir = tempDir("ledger-crashload-clean-");
    dirs.push(cleanDir);
    const clean = await openDbs("sqlite", { dir: cleanDir });
    try {
      expect(await checkpoints(crashed)).toEqual(Object.fromEntries(PROJECTION_NAMES.map((n) => [n, head])));
      const runner = await catchUp(store, clean, { batchSize: 2_000 });
      await runner.stop();
      await expectSameExports(crashed, clean);
    } finally {
      await closeDbs(crashed);
      await closeDbs(clean);
      await store.close();
    }
    summary.seconds = Math.round((Date.now() - started) / 100) / 10;
    console.log(`crash under load: ${JSON.stringify(summary)}`);
  }, 300_000); // 80 s alone on a loaded 2-core box; files run in parallel beside it
});
