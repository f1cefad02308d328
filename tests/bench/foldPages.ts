// The engine alone over a bench store, as a catch-up folds it: the events read `--page` at a time and
// each page's outcomes handed over (dropped) once folded, as the runner adds them to its projectors;
// `--batch N` keeps them until N events are folded instead (the runner before 2026-12-06 kept a whole
// batch); its growing state on disk as the services keep it, saved every SNAPSHOT_EVERY_EVENTS_DEFAULT
// events. It writes no read model, so what it prints is the engine's own cost and the garbage
// collector's share of it (runner.ts catchUpBatch, docs/scaling.md "A catch-up batch read in pages",
// "Batches folded as they come"):
//   npm run -s build
//   node --max-old-space-size=256 --v8-pool-size=0 dist/tests/bench/foldPages.js --store /tmp/b/ingest/events.db --page 1000
// (a store from `dist/tests/bench/bench.js --phase ingest --dir /tmp/b/ingest --events 1000000 --seed 1`).
// Under `node --expose-gc` it also prints the heap left live after a full collection at every
// millionth event (`liveHeapMbByMillion`): what the engine's state holds as the log grows (those
// forced collections count in gcOtherMs).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PerformanceObserver, constants } from "node:perf_hooks";
import { applyEvent } from "../../domain/engine/engine.ts";
import type { Outcome } from "../../domain/engine/outcome.ts";
import { toCurrentEvent } from "../../domain/events/current.ts";
import { ruleVersion } from "../../domain/rules.ts";
import { openSqliteSnapshotStore } from "../../infra/engineSnapshots.ts";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { SNAPSHOT_EVERY_EVENTS_DEFAULT } from "../../projections/runner.ts";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

const storeFile = option("--store");
const pageEvents = Number(option("--page") ?? "1000");
const batchEvents = Number(option("--batch") ?? pageEvents);
if (storeFile === undefined || !Number.isInteger(pageEvents) || pageEvents < 1 || !Number.isInteger(batchEvents) || batchEvents < 1)
  throw new Error("usage: foldPages.js --store <events.db> [--page <events read at a time>] [--batch <events whose outcomes are kept>]");

/** GC pauses: scavenges, and every other kind (mark-compacts, incremental marking, weak callbacks). */
const gcMs = { minor: 0, other: 0 };
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gcMs.minor += entry.duration;
    else gcMs.other += entry.duration;
  }
});
observer.observe({ entryTypes: ["gc"] });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fold-pages-"));
const store = await openSqliteEventStore({ file: storeFile });
const snapshots = openSqliteSnapshotStore(path.join(dir, "snapshots.db"), { storeId: store.storeId });
const state = await snapshots.fresh("bench", 1);
const rules = ruleVersion(1);
const head = await store.head();
const cpuBefore = process.cpuUsage();
const started = performance.now();
let after = 0;
let sinceSnapshot = 0;
let batch: Outcome[] = [];
const liveHeapMbByMillion: number[] = [];
const gc = (globalThis as { gc?: () => void }).gc;
while (after < head) {
  const page = await store.readForward(after, Math.min(pageEvents, batchEvents - batch.length));
  for (const event of page) batch.push(applyEvent(state, rules, toCurrentEvent(event)));
  const before = after;
  after = page[page.length - 1]!.position;
  if (gc !== undefined && Math.floor(after / 1_000_000) > Math.floor(before / 1_000_000)) {
    gc();
    liveHeapMbByMillion.push(Math.round(process.memoryUsage().heapUsed / 1e5) / 10);
  }
  if (batch.length < batchEvents && after < head) continue;
  sinceSnapshot += batch.length;
  batch = []; // handed over
  if (sinceSnapshot >= SNAPSHOT_EVERY_EVENTS_DEFAULT) {
    sinceSnapshot = 0;
    await snapshots.capture("bench", 1, state).write();
  }
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
await new Promise((resolve) => setTimeout(resolve, 200)); // the observer's last entries
observer.disconnect();
await snapshots.close();
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    events: head,
    pageEvents,
    batchEvents,
    ms: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    gcMinorMs: Math.round(gcMs.minor),
    gcOtherMs: Math.round(gcMs.other),
    ...(gc === undefined ? {} : { liveHeapMbByMillion }),
  }),
);
