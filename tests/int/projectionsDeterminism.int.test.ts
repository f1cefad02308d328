// Replay determinism (SPEC §6; DESIGN: read models are rebuildable): whatever the batch size, the
// restarts, the snapshots, the read-model dialect or whether the runner followed live or caught up
// later, the canonical export of every projection (tests/support/projectionHarness.ts) is the same.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventStore } from "../../infra/eventStore/port.ts";
import { openSqliteSnapshotStore } from "../../infra/engineSnapshots.ts";
import { PROJECTION_NAMES, type ProjectionName } from "../../projections/projection.ts";
import { activeVersion, Projector, promote } from "../../projections/projector.ts";
import { ProjectionRunner, type RunnerProjector } from "../../projections/runner.ts";
import { DEFINITIONS } from "../../projections/definitions.ts";
import {
  FIXTURE,
  FIXTURE_HEAD,
  appendRaw,
  canonicalExport,
  catchUp,
  checkpoints,
  closeDbs,
  exportAll,
  exportHashes,
  generateEvents,
  makeRunner,
  openDbs,
  openEnv,
  sha256,
  waitUntil,
  type Dbs,
  type ProjectionEnv,
} from "../support/projectionHarness.ts";

type Hashes = Record<ProjectionName, string>;

/**
 * Feeds a prepared runner the events after its position up to `upTo`, `batchSize` at a time (a
 * runner stopped midway). prepare() is the caller's: calling it twice would add a second lane.
 */
async function applyUpTo(runner: ProjectionRunner, store: EventStore, upTo: number, batchSize: number): Promise<void> {
  while (runner.lastPosition < upTo) {
    const events = await store.readForward(runner.lastPosition, Math.min(batchSize, upTo - runner.lastPosition));
    if (events.length === 0) throw new Error(`store ended before ${upTo}`);
    await runner.applyBatch(events);
  }
}

/** A scratch set of the four read-model databases over the env's store, in a subdirectory. */
async function freshDbs(env: ProjectionEnv, name: string): Promise<Dbs> {
  const dir = join(env.dir, name);
  mkdirSync(dir, { recursive: true });
  return openDbs("sqlite", { dir });
}

function nonTrivial(rows: Record<ProjectionName, { rows: number }>): void {
  // journal: entries, accounts, facts; earnings: totals; budget: 2 campaigns; report: days and orders; payout: accounts and months.
  // The fixture registers no webhook: that projection is empty here (tests/int/webhooksProjection.int.test.ts covers it).
  for (const name of PROJECTION_NAMES) if (name !== "webhooks") expect(rows[name].rows, name).toBeGreaterThan(1);
}

describe("replay determinism over the hand-written fixture", () => {
  let env: ProjectionEnv;
  let reference: Hashes;

  beforeAll(async () => {
    env = await openEnv("sqlite");
    expect((await appendRaw(env.store, FIXTURE)).lastPosition).toBe(FIXTURE_HEAD);
    // The reference: a runner started after ingest catches up in one batch.
    const runner = await catchUp(env.store, env.dbs, { batchSize: 1000 });
    expect(runner.lastPosition).toBe(FIXTURE_HEAD);
    const all = await exportAll(env.dbs);
    nonTrivial(all);
    reference = Object.fromEntries(PROJECTION_NAMES.map((n) => [n, all[n].hash])) as Hashes;
  });

  afterAll(async () => {
    await env?.close();
  });

  it.each([1, 7, 1000])("a clean rebuild with batch size %i exports identically", async (batchSize) => {
    const dbs = await freshDbs(env, `batch-${batchSize}`);
    try {
      await catchUp(env.store, dbs, { batchSize });
      expect(await checkpoints(dbs)).toEqual({
        journal: FIXTURE_HEAD,
        earnings: FIXTURE_HEAD,
        budget: FIXTURE_HEAD,
        report: FIXTURE_HEAD,
        payout: FIXTURE_HEAD,
        webhooks: FIXTURE_HEAD,
      });
      expect(await exportHashes(dbs)).toEqual(reference);
    } finally {
      await closeDbs(dbs);
    }
  });

  // A catch-up batch is read, folded and added page by page (runner.ts catchUpBatch), then committed once.
  it.each([
    [10, 3],
    [1000, 1],
  ])(
    "a clean rebuild with batch size %i read in pages of %i commits whole batches and exports identically",
    async (batchSize, pageSize) => {
      const dbs = await freshDbs(env, `batch-${batchSize}-page-${pageSize}`);
      try {
        const batches: [number, number][] = [];
        await catchUp(env.store, dbs, { batchSize, pageSize, onBatch: (position, events) => batches.push([position, events]) });
        expect(batches).toEqual(
          batchSize === 10
            ? [
                [10, 10],
                [20, 10],
                [30, 10],
                [32, 2],
              ]
            : [[32, 32]],
        );
        expect(await exportHashes(dbs)).toEqual(reference);
      } finally {
        await closeDbs(dbs);
      }
    },
  );

  // What lets a page's outcomes die young (runner.ts CATCH_UP_PAGE_EVENTS): each page goes to every
  // projector as soon as it is folded; the batch is committed once, at its last event.
  it("a catch-up batch reaches each projector a page at a time and is committed once", async () => {
    const calls: string[] = [];
    const recorder: RunnerProjector = {
      ruleVersion: 1,
      position: 0,
      async add(outcomes) {
        calls.push(`add ${outcomes[0]!.position}-${outcomes[outcomes.length - 1]!.position}`);
      },
      async commit(last) {
        calls.push(`commit ${last.position}`);
      },
      async dropReadIndexes() {},
      async createReadIndexes() {},
    };
    const runner = new ProjectionRunner({
      store: env.store,
      projectors: [recorder],
      group: null,
      snapshots: null,
      batchSize: 10,
      pageSize: 4,
    });
    await runner.catchUp();
    expect(calls).toEqual(
      ["1-4", "5-8", "9-10", "c10", "11-14", "15-18", "19-20", "c20", "21-24", "25-28", "29-30", "c30", "31-32", "c32"].map((c) =>
        c.startsWith("c") ? `commit ${c.slice(1)}` : `add ${c}`,
      ),
    );
  });

  it.each([0, 1.5, 10_001])("a page size of %s is refused: a store reads 1..10,000 events at a time", async (pageSize) => {
    const dbs = await freshDbs(env, `page-${pageSize}`);
    try {
      await expect(makeRunner(env.store, dbs, { pageSize })).rejects.toThrow(
        `runner: pageSize must be an integer 1..10000, got ${pageSize}`,
      );
    } finally {
      await closeDbs(dbs);
    }
  });

  it("a read that fails on a batch's second page stops the runner: its engine is past events nobody committed", async () => {
    const dbs = await freshDbs(env, "read-fails");
    try {
      let reads = 0;
      const failing: EventStore = Object.create(env.store, {
        readForward: {
          value: async (after: number, limit: number) => {
            reads += 1;
            if (reads === 2) throw new Error("disk read failed");
            return env.store.readForward(after, limit);
          },
        },
      }) as EventStore;
      const runner = await makeRunner(failing, dbs, { batchSize: 10, pageSize: 3 });
      await expect(runner.catchUp()).rejects.toThrow("disk read failed");
      expect(runner.lastPosition).toBe(0);
      await expect(runner.applyBatch(await env.store.readForward(0, 1))).rejects.toThrow(/stopped by an earlier failure/);
      // Nothing was committed; a fresh runner builds the same read models.
      expect((await checkpoints(dbs)).journal).toBe(0);
      await catchUp(env.store, dbs, { batchSize: 10, pageSize: 3 });
      expect(await exportHashes(dbs)).toEqual(reference);
    } finally {
      await closeDbs(dbs);
    }
  });

  it("rebuilding from position 0 (reset) in the same databases exports identically", async () => {
    const dbs = await freshDbs(env, "reset");
    try {
      await catchUp(env.store, dbs, { batchSize: 5 });
      for (const name of PROJECTION_NAMES) {
        const projector = await Projector.open(dbs[name], DEFINITIONS[name], { ruleVersion: 1 });
        await projector.reset();
        expect(projector.position).toBe(0);
        expect(await canonicalExport(dbs[name], name)).toBe("\n"); // every table empty
      }
      await catchUp(env.store, dbs, { batchSize: 3 });
      expect(await exportHashes(dbs)).toEqual(reference);
    } finally {
      await closeDbs(dbs);
    }
  });

  it("a rebuild into version 2 while version 1 keeps serving exports identically, then is promoted", async () => {
    const dbs = await freshDbs(env, "v2");
    try {
      await catchUp(env.store, dbs, { batchSize: 1000 });
      const projectors: Projector[] = [];
      for (const name of PROJECTION_NAMES)
        projectors.push(await Projector.open(dbs[name], DEFINITIONS[name], { ruleVersion: 1, version: 2 }));
      await new ProjectionRunner({ store: env.store, projectors, group: null, snapshots: null, batchSize: 6 }).catchUp();
      for (const name of PROJECTION_NAMES) {
        expect((await activeVersion(dbs[name], name))?.version, name).toBe(1); // v1 still serves
        expect(sha256(await canonicalExport(dbs[name], name, 2)), name).toBe(reference[name]);
        await promote(dbs[name], name, 2);
        expect((await activeVersion(dbs[name], name))?.version, name).toBe(2);
      }
      expect(await exportHashes(dbs)).toEqual(reference);
    } finally {
      await closeDbs(dbs);
    }
  });

  it("stop midway (snapshot saved), restart with the same snapshot store: resumes there, exports identically", async () => {
    const dbs = await freshDbs(env, "restart");
    const snapshots = openSqliteSnapshotStore(join(env.dir, "restart", "snapshots.db"), { storeId: env.store.storeId });
    try {
      const first = await makeRunner(env.store, dbs, { batchSize: 3, snapshots, snapshotEveryEvents: 4 });
      expect(await first.prepare()).toBe(0);
      await applyUpTo(first, env.store, 17, 3);
      await first.stop(); // keeps a snapshot at 17
      expect((await snapshots.load("all", 1))?.position).toBe(17);

      const second = await makeRunner(env.store, dbs, { batchSize: 3, snapshots, snapshotEveryEvents: 4 });
      expect(await second.prepare()).toBe(17); // resumes from the snapshot, no replay from 0
      expect(await second.catchUp()).toBe(FIXTURE_HEAD);
      expect(await exportHashes(dbs)).toEqual(reference);
    } finally {
      await snapshots.close();
      await closeDbs(dbs);
    }
  });

  it("crash without stop: the snapshot is behind the checkpoints; the gap replays through the engine only", async () => {
    const dbs = await freshDbs(env, "crash");
    const snapshots = openSqliteSnapshotStore(join(env.dir, "crash", "snapshots.db"), { storeId: env.store.storeId });
    try {
      const first = await makeRunner(env.store, dbs, { batchSize: 5, snapshots, snapshotEveryEvents: 10 });
      expect(await first.prepare()).toBe(0);
      await applyUpTo(first, env.store, 19, 5); // batches end at 5, 10, 15, 19; a snapshot at 10 only
      // no stop(): the process "died" here
      const snapshotAt = (await snapshots.load("all", 1))?.position;
      expect(snapshotAt).toBe(10);
      expect(await checkpoints(dbs)).toEqual({ journal: 19, earnings: 19, budget: 19, report: 19, payout: 19, webhooks: 19 });

      await closeDbs(dbs);
      const reopened = await openDbs("sqlite", { dir: join(env.dir, "crash") });
      try {
        const second = await makeRunner(env.store, reopened, { batchSize: 4, snapshots, snapshotEveryEvents: 10 });
        expect(await second.prepare()).toBe(10);
        await second.catchUp();
        expect(await exportHashes(reopened)).toEqual(reference);
      } finally {
        await closeDbs(reopened);
      }
    } finally {
      await snapshots.close();
    }
  });

  it("projectors of one group at different checkpoints: a snapshot ahead of the slowest is not used", async () => {
    const dbs = await freshDbs(env, "mixed");
    const snapshots = openSqliteSnapshotStore(join(env.dir, "mixed", "snapshots.db"), { storeId: env.store.storeId });
    try {
      // earnings and budget alone up to 15, snapshot at 15 under the group "all"
      const first = await makeRunner(env.store, dbs, { batchSize: 4, snapshots, snapshotEveryEvents: 4, names: ["earnings", "budget"] });
      expect(await first.prepare()).toBe(0);
      await applyUpTo(first, env.store, 15, 4);
      await first.stop();
      expect((await snapshots.load("all", 1))?.position).toBe(15);
      expect(await checkpoints(dbs)).toEqual({ journal: 0, earnings: 15, budget: 15, report: 0, payout: 0, webhooks: 0 });

      // all four under the same group: report and payout are at 0, so the engine must start from 0
      const second = await makeRunner(env.store, dbs, { batchSize: 4, snapshots, snapshotEveryEvents: 4 });
      expect(await second.prepare()).toBe(0);
      await second.catchUp();
      expect(await exportHashes(dbs)).toEqual(reference);
    } finally {
      await snapshots.close();
      await closeDbs(dbs);
    }
  });

  it("a snapshot at the slowest checkpoint is used while faster projectors skip what they already have", async () => {
    const dbs = await freshDbs(env, "staggered");
    const snapshots = openSqliteSnapshotStore(join(env.dir, "staggered", "snapshots.db"), { storeId: env.store.storeId });
    try {
      const first = await makeRunner(env.store, dbs, { batchSize: 5, snapshots, snapshotEveryEvents: 1000 });
      expect(await first.prepare()).toBe(0);
      await applyUpTo(first, env.store, 10, 5);
      await first.stop(); // snapshot at 10
      // earnings and budget move on to 21 in another runner without snapshots (engine replays from 0)
      const ahead = await makeRunner(env.store, dbs, { batchSize: 7, names: ["earnings", "budget"] });
      expect(await ahead.prepare()).toBe(0); // no snapshots: the engine starts from 0, projectors skip ≤ 10
      await applyUpTo(ahead, env.store, 21, 7);
      expect(await checkpoints(dbs)).toEqual({ journal: 10, earnings: 21, budget: 21, report: 10, payout: 10, webhooks: 10 });

      const second = await makeRunner(env.store, dbs, { batchSize: 2, snapshots, snapshotEveryEvents: 1000 });
      expect(await second.prepare()).toBe(10);
      await second.catchUp();
      expect(await exportHashes(dbs)).toEqual(reference);
    } finally {
      await snapshots.close();
      await closeDbs(dbs);
    }
  });

  it("a write failure in one projector: a new runner (crash-only restart) recovers, exports identically", async () => {
    const dbs = await freshDbs(env, "failure");
    const snapshots = openSqliteSnapshotStore(join(env.dir, "failure", "snapshots.db"), { storeId: env.store.storeId });
    try {
      // The payout database fails its 3rd transaction (the batch 9..12) once, as a lost connection would.
      const payout = dbs.payout;
      const transaction = payout.transaction.bind(payout);
      let calls = 0;
      payout.transaction = async (fn) => {
        calls += 1;
        if (calls === 3) throw new Error("injected write failure");
        return transaction(fn);
      };
      const first = await makeRunner(env.store, dbs, { batchSize: 4, snapshots, snapshotEveryEvents: 10 });
      await expect(first.catchUp()).rejects.toThrow("injected write failure");
      expect(await checkpoints(dbs)).toEqual({ journal: 12, earnings: 12, budget: 12, report: 12, payout: 8, webhooks: 8 });
      // A failed batch leaves the engine state past the payout checkpoint (and, had an event thrown
      // half-way, half-applied): stopping must not save it, so the restarted runner replays from 0
      // and each projector skips what it has. Nothing was recorded as an anomaly.
      await first.stop();
      expect(await snapshots.load("all", 1)).toBeNull();
      const second = await makeRunner(env.store, dbs, { batchSize: 4, snapshots, snapshotEveryEvents: 10 });
      expect(await second.prepare()).toBe(0);
      await second.catchUp();
      expect(await exportHashes(dbs)).toEqual(reference);
    } finally {
      await snapshots.close();
      await closeDbs(dbs);
    }
  });

  it("a runner started before ingest follows live until every projector reaches the head", async () => {
    const live = await openEnv("sqlite");
    const runner = await makeRunner(live.store, live.dbs, { batchSize: 3 });
    try {
      await runner.start();
      for (let start = 0; start < FIXTURE.length; start += 5) {
        await appendRaw(live.store, FIXTURE.slice(start, start + 5));
        await new Promise((resolve) => setTimeout(resolve, 5 + (start % 3) * 10));
      }
      const head = await live.store.head();
      expect(head).toBe(FIXTURE_HEAD);
      await waitUntil(() => runner.projectors.every((x) => x.position === head), 15_000, "the live runner to reach the head");
      expect(await checkpoints(live.dbs)).toEqual({
        journal: head,
        earnings: head,
        budget: head,
        report: head,
        payout: head,
        webhooks: head,
      });
      expect(await exportHashes(live.dbs)).toEqual(reference);
    } finally {
      await runner.stop();
      await live.close();
    }
  });

  it("SQLite and PostgreSQL read models export identically", async () => {
    const pg = await openEnv("postgres");
    try {
      await appendRaw(pg.store, FIXTURE);
      await catchUp(pg.store, pg.dbs, { batchSize: 7 });
      expect(await exportHashes(pg.dbs)).toEqual(reference);
    } finally {
      await pg.close();
    }
  });
});

describe("replay determinism over 3000 generated events", () => {
  const EVENTS = 3000;
  let env: ProjectionEnv;
  let reference: Hashes;

  beforeAll(async () => {
    env = await openEnv("sqlite");
    expect((await appendRaw(env.store, generateEvents(11, EVENTS))).lastPosition).toBe(EVENTS);
    await catchUp(env.store, env.dbs, { batchSize: 1000 });
    const all = await exportAll(env.dbs);
    nonTrivial(all);
    reference = Object.fromEntries(PROJECTION_NAMES.map((n) => [n, all[n].hash])) as Hashes;
  });

  afterAll(async () => {
    await env?.close();
  });

  it("batch size 7 exports identically to batch size 1000", async () => {
    const dbs = await freshDbs(env, "batch-7");
    try {
      await catchUp(env.store, dbs, { batchSize: 7 });
      expect(await exportHashes(dbs)).toEqual(reference);
    } finally {
      await closeDbs(dbs);
    }
  });

  it("three restarts from snapshots (every 500 events) export identically", async () => {
    const dbs = await freshDbs(env, "restarts");
    const snapshots = openSqliteSnapshotStore(join(env.dir, "restarts", "snapshots.db"), { storeId: env.store.storeId });
    try {
      // Resume points: 0 (no snapshot yet); 777 (stop() saved one); 1277 (the crashed runner's last
      // periodic snapshot: 500 events after 777), while the checkpoints are at 1500.
      const resumedAt: number[] = [];
      for (const upTo of [777, 1500, 2222]) {
        const runner = await makeRunner(env.store, dbs, { batchSize: 50, snapshots, snapshotEveryEvents: 500 });
        resumedAt.push(await runner.prepare());
        await applyUpTo(runner, env.store, upTo, 50);
        // every other restart is a "crash" (no stop, the snapshot lags); the others stop cleanly
        if (upTo !== 1500) await runner.stop();
      }
      expect(resumedAt).toEqual([0, 777, 1277]);
      await catchUp(env.store, dbs, { batchSize: 50, snapshots, snapshotEveryEvents: 500 });
      expect(await exportHashes(dbs)).toEqual(reference);
    } finally {
      await snapshots.close();
      await closeDbs(dbs);
    }
  });
});
