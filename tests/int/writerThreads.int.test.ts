// Read models written on a writer thread (LEDGER_PROJECTOR_THREADS, services/workers/writerThread.ts):
// the same files as when one thread writes them all, through a catch-up and live following; the
// engine's saved state never past a checkpoint; a write that fails on the writer thread reported.
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { openEventStore } from "../../infra/eventStore/openEventStore.ts";
import type { EventStore } from "../../infra/eventStore/port.ts";
import { PROJECTION_NAMES, type ProjectionName } from "../../projections/projection.ts";
import { activeVersion } from "../../projections/projector.ts";
import { loadConfig, type LedgerConfig } from "../../services/config.ts";
import { openProjectionDb, openSnapshots } from "../../services/ledgerFiles.ts";
import { createLogger } from "../../services/logger.ts";
import { runProjectors, type ProjectorHost } from "../../services/workers/projectorHost.ts";
import { ProjectionRunner } from "../../projections/runner.ts";
import { appendRaw, canonicalExport, generateEvents, openEnv, openProjectors, tempDir, waitUntil } from "../support/projectionHarness.ts";

const events = generateEvents(20261203, 4_000);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function configIn(threads: number, logLevel = "warn"): LedgerConfig {
  const dir = tempDir("ledger-writers-");
  dirs.push(dir);
  return loadConfig({ LEDGER_DATA_DIR: dir, LEDGER_DEMO: "0", LEDGER_LOG_LEVEL: logLevel, LEDGER_PROJECTOR_THREADS: String(threads) });
}

async function positions(config: LedgerConfig): Promise<Record<ProjectionName, number>> {
  const out = {} as Record<ProjectionName, number>;
  for (const name of PROJECTION_NAMES) {
    const db = await openProjectionDb(config, name);
    try {
      out[name] = (await activeVersion(db, name))?.position ?? 0;
    } finally {
      await db.close();
    }
  }
  return out;
}

async function atHead(config: LedgerConfig, store: EventStore): Promise<void> {
  const head = await store.head();
  await waitUntil(async () => Object.values(await positions(config)).every((p) => p === head), 60_000, `every projection at ${head}`);
}

async function exports(config: LedgerConfig): Promise<Record<ProjectionName, string>> {
  const out = {} as Record<ProjectionName, string>;
  for (const name of PROJECTION_NAMES) {
    const db = await openProjectionDb(config, name);
    try {
      out[name] = await canonicalExport(db, name);
    } finally {
      await db.close();
    }
  }
  return out;
}

/** Catches up over the first 3,000 events in batches of 500, then follows the last 1,000 appended live. */
async function build(threads: number): Promise<{ config: LedgerConfig; minCheckpoint: number; snapshotPosition: number | null }> {
  const config = configIn(threads);
  const store = await openEventStore(config.store);
  const failures: Error[] = [];
  let host: ProjectorHost | null = null;
  try {
    await appendRaw(store, events.slice(0, 3_000));
    host = await runProjectors(config, store, PROJECTION_NAMES, createLogger("warn"), (e) => failures.push(e), {
      threads,
      liveBatchEvents: 300,
    });
    await atHead(config, store);
    for (let i = 3_000; i < events.length; i += 250) await appendRaw(store, events.slice(i, i + 250));
    await atHead(config, store);
    await host.stop();
    host = null;
    expect(failures).toEqual([]);
    const minCheckpoint = Math.min(...Object.values(await positions(config)));
    const snapshots = openSnapshots(config, store, createLogger("warn"));
    const saved = await snapshots.load([...PROJECTION_NAMES].sort().join("+"), 1);
    await snapshots.close();
    return { config, minCheckpoint, snapshotPosition: saved?.position ?? null };
  } finally {
    await host?.stop();
    await store.close();
  }
}

describe("projectors with a writer thread", () => {
  it("write the same read models as one thread, and save the engine's state at the checkpoints", async () => {
    const one = await build(1);
    const two = await build(2);
    expect(two.minCheckpoint).toBe(4_000);
    expect(two.snapshotPosition).toBe(4_000);
    const expected = await exports(one.config);
    const actual = await exports(two.config);
    for (const name of PROJECTION_NAMES) expect(actual[name], name).toBe(expected[name]);
    expect(actual.journal.split("\n").length).toBeGreaterThan(4_000);
  }, 120_000);

  /**
   * Projectors on two threads caught up with 500 events; `breakIt` then spoils something the writer
   * thread uses, 100 more events come, and `check` reads the failure the host reported.
   */
  async function failOnTheWriterThread(
    breakIt: (config: LedgerConfig) => Promise<void>,
    check: (failure: Error, config: LedgerConfig) => Promise<void>,
  ): Promise<void> {
    const config = configIn(2, "fatal");
    const store = await openEventStore(config.store);
    const failures: Error[] = [];
    const host = await runProjectors(config, store, PROJECTION_NAMES, createLogger("silent"), (e) => failures.push(e), {
      threads: 2,
      liveBatchEvents: 300,
    });
    try {
      await appendRaw(store, events.slice(0, 500));
      await atHead(config, store);
      await breakIt(config);
      await appendRaw(store, events.slice(500, 600));
      await waitUntil(() => failures.length > 0, 30_000, "the failure reported");
      await check(failures[0]!, config);
    } finally {
      await host.stop();
      await store.close();
    }
  }

  it("report a write that fails on the writer thread", async () => {
    await failOnTheWriterThread(
      async (config) => {
        // Another writer moves the journal's checkpoint (the writer thread holds the journal): its next commit must refuse.
        const journal = await openProjectionDb(config, "journal");
        await journal.run("UPDATE projections SET position = position + 1 WHERE name = 'journal'");
        await journal.close();
      },
      async (failure) => {
        expect(failure.message).toMatch(/journal v1: the checkpoint is no longer at 500; another process is projecting this version/);
      },
    );
  }, 60_000);

  it("report a fold that fails on the writer thread before its batch is committed", async () => {
    await failOnTheWriterThread(
      async (config) => {
        // The budget projection (on the writer thread) reads a campaign's row when a batch first touches
        // it, as the outcomes are added: with its table gone that read fails, before any commit.
        const budget = await openProjectionDb(config, "budget");
        await budget.run("DROP TABLE budget_v1_campaigns");
        await budget.close();
      },
      async (failure, config) => {
        expect(failure.message).toMatch(/no such table: budget_v1_campaigns/);
        // Nothing of that batch was committed: the journal, written on the same thread before budget, stayed where it was.
        expect((await positions(config)).journal).toBe(500);
      },
    );
  }, 60_000);

  it("a snapshot that cannot be written stops the runner, and is reported at once", async () => {
    const env = await openEnv();
    try {
      await appendRaw(env.store, events.slice(0, 600));
      const failures: Error[] = [];
      const runner = new ProjectionRunner({
        store: env.store,
        projectors: await openProjectors(env.dbs, ["budget"]),
        group: "g",
        // The engine's snapshot file refusing its write (a full disk, a lock held too long).
        snapshots: {
          ...env.snapshots,
          capture: (_group, _ruleVersion, state) => ({
            position: state.position,
            write: () => Promise.reject(new Error("disk I/O error")),
          }),
        },
        batchSize: 100,
        snapshotEveryEvents: 200,
        onFailure: (e) => failures.push(e),
      });
      // The write runs behind the engine: the next batch or the next snapshot is refused, naming why.
      await expect(runner.catchUp()).rejects.toThrow(/disk I\/O error/);
      expect(failures.map((f) => f.message)).toEqual(["disk I/O error"]);
      await expect(runner.applyBatch(await env.store.readForward(0, 1))).rejects.toThrow(/stopped by an earlier failure/);
    } finally {
      await env.close();
    }
  });
});
