// Projector crash safety (DESIGN: each projector keeps its checkpoint in the same transaction as its
// writes; the engine's state is snapshotted so a restart resumes): a child process runs a runner
// over a pre-filled store (tests/support/projectorChild.ts) with small batches and a snapshot every
// 500 events; it is SIGKILLed at random moments at least 10 times and restarted each time until it
// has caught up. Then every projection's canonical export must equal a clean rebuild elsewhere.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { PROJECTION_NAMES, type ProjectionName } from "../../projections/projection.ts";
import {
  appendRaw,
  catchUp,
  checkpoints,
  closeDbs,
  expectSameExports,
  generateEvents,
  openDbs,
  openEnv,
  prng,
  storeFile,
  tempDir,
} from "../support/projectionHarness.ts";

const CHILD = fileURLToPath(new URL("../support/projectorChild.ts", import.meta.url));
const EVENTS = 4000;
const SEED = 2026;
const KILLS_MIN = 10;
const RUNS_MAX = 40;
/** A kill lands after the child reports a batch at or past a random target no further than this ahead. */
const KILL_WINDOW_EVENTS = 250;
/** ... plus a random delay of up to this, so it lands anywhere inside the next batches or a snapshot. */
const KILL_DELAY_MS_MAX = 15;

interface Run {
  resumedAfter: number | null;
  lastReported: number;
  killed: boolean;
  done: boolean;
}

/** Runs the child once; with `killTarget`, SIGKILLs it once it reported a batch at or past that position. */
function runChild(dir: string, killTarget: number | null, rand: () => number): Promise<Run & { stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir], { stdio: ["ignore", "pipe", "pipe"] });
    const run: Run = { resumedAfter: null, lastReported: -1, killed: false, done: false };
    let buffer = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        const [word, value] = line.split(" ");
        const n = Number(value);
        if (word === "ready") run.resumedAfter = n;
        else if (word === "at") run.lastReported = n;
        else if (word === "done") run.done = true;
        if (killTarget !== null && word === "at" && n >= killTarget && !timer) {
          timer = setTimeout(
            () => {
              run.killed = child.kill("SIGKILL");
            },
            Math.floor(rand() * KILL_DELAY_MS_MAX),
          );
        }
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ ...run, killed: signal === "SIGKILL", stderr, code });
    });
  });
}

describe("projector crash safety", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it(`survives ≥ ${KILLS_MIN} SIGKILLs mid-run and ends identical to a clean rebuild`, async () => {
    const raws = generateEvents(SEED, EVENTS);
    const dir = tempDir("ledger-projcrash-");
    dirs.push(dir);
    const store = await openSqliteEventStore({ file: storeFile(dir) });
    expect((await appendRaw(store, raws)).lastPosition).toBe(EVENTS);
    await store.close();

    const rand = prng(SEED);
    const runs: (Run & { checkpointsAfter: Record<ProjectionName, number> })[] = [];
    let kills = 0;
    let previous = { journal: 0, earnings: 0, budget: 0, report: 0, payout: 0, webhooks: 0 } as Record<ProjectionName, number>;
    for (let i = 0; i < RUNS_MAX; i += 1) {
      const minCheckpoint = Math.min(...Object.values(previous));
      const killTarget = kills < KILLS_MIN ? minCheckpoint + 1 + Math.floor(rand() * KILL_WINDOW_EVENTS) : null;
      const run = await runChild(dir, killTarget, rand);
      if (!run.killed && run.code !== 0) throw new Error(`child failed (code ${run.code}): ${run.stderr}`);
      const dbs = await openDbs("sqlite", { dir });
      const after = await checkpoints(dbs);
      await closeDbs(dbs);
      // Checkpoints never move back; a killed run loses at most its uncommitted batch.
      for (const name of PROJECTION_NAMES) {
        expect(after[name], `${name} after run ${i}`).toBeGreaterThanOrEqual(previous[name]);
        if (run.lastReported >= 0) expect(after[name], `${name} after run ${i}`).toBeGreaterThanOrEqual(run.lastReported);
      }
      runs.push({ ...run, checkpointsAfter: after });
      previous = after;
      if (run.killed && run.resumedAfter !== null && !run.done) kills += 1;
      if (run.done) break;
    }

    const last = runs[runs.length - 1]!;
    expect(last.done, "the child finally caught up").toBe(true);
    expect(kills).toBeGreaterThanOrEqual(KILLS_MIN);
    expect(last.checkpointsAfter).toEqual({
      journal: EVENTS,
      earnings: EVENTS,
      budget: EVENTS,
      report: EVENTS,
      payout: EVENTS,
      webhooks: EVENTS,
    });
    // Restarts resumed from engine snapshots rather than replaying from 0 every time.
    expect(runs.filter((r) => (r.resumedAfter ?? 0) > 0).length).toBeGreaterThan(0);

    const crashed = await openDbs("sqlite", { dir });
    const clean = await openEnv("sqlite");
    dirs.push(clean.dir);
    try {
      await appendRaw(clean.store, raws);
      await catchUp(clean.store, clean.dbs, { batchSize: 1000 });
      await expectSameExports(crashed, clean.dbs);
    } finally {
      await closeDbs(crashed);
      await clean.close();
    }
  }, 120_000);
});
