// Read models written on a thread of their own (threadGroups.ts): the engine's thread hands each
// batch's outcomes to a writer thread (writerWorker.ts) as it folds them, a page at a time while
// catching up, and goes on folding the next batch while the writer commits this one. At most
// WRITER_BATCHES_IN_FLIGHT batches wait for a writer: past that, the engine waits (a bounded queue,
// so memory is bounded whatever the writer's speed).
//
// Nothing about the guarantees changes: each projector on the writer commits its checkpoint with its
// writes, exactly as on the engine's thread; the engine saves its state only once every batch before
// it is committed (ProjectionRunner.snapshot settles first), so a restart resumes from a state at or
// before every checkpoint; a failure on the writer stops the whole host (crash-only: the process
// exits and resumes from the checkpoints).
import type { Outcome } from "../../domain/engine/outcome.ts";
import type { ProjectionName } from "../../projections/projection.ts";
import type { RunnerProjector } from "../../projections/runner.ts";
import type { LedgerConfig } from "../config.ts";
import { startServiceWorker, workerStop } from "./workerThread.ts";

/**
 * Batches handed to a writer and not yet committed, at most, per rule version it writes (one lane of
 * the runner each: in practice one). Two keep the writer busy while the engine folds the next one;
 * more would only hold more in memory (each batch of 5,000 events is a few MB of outcomes, in flight
 * or as what the writer's folds made of them). A batch's adds wait for room as its commit does, so
 * while two are pending the engine folds one page of the next batch and waits.
 */
export const WRITER_BATCHES_IN_FLIGHT = 2;

/**
 * A writer thread's V8 heap: it holds the batches in flight and little else (its read models' pages
 * are SQLite's, outside the heap), so it is capped well below the engine thread's (README, Benchmark).
 */
export const WRITER_OLD_SPACE_MB = 64;
export const WRITER_YOUNG_SPACE_MB = 8;

export interface WriterInput {
  config: LedgerConfig;
  names: ProjectionName[];
}

/** A projector's place as the writer opened it. */
export interface WriterProjectorInfo {
  name: ProjectionName;
  version: number;
  ruleVersion: number;
  position: number;
}

export type ToWriter =
  | { type: "add"; ruleVersion: number; outcomes: readonly Outcome[] }
  | { type: "commit"; id: number; ruleVersion: number; last: { position: number; eventId: string } }
  | { type: "dropReadIndexes" | "createReadIndexes"; id: number; ruleVersion: number }
  | { type: "stop" };
export type FromWriter =
  | { type: "ready"; projectors: WriterProjectorInfo[] }
  | { type: "done"; id: number }
  | { type: "failed"; message: string }
  | { type: "stopped" };

export interface WriterThread {
  /** One RunnerProjector per rule version of the projectors on the thread (the runner's lanes). */
  readonly lanes: RunnerProjector[];
  readonly projectors: readonly WriterProjectorInfo[];
  stop(): Promise<void>;
}

/**
 * Starts a writer thread for `names`; `onFailure` hears of a write that failed after it started
 * (a failure before it is ready rejects the start instead).
 */
export async function startWriterThread(
  config: LedgerConfig,
  names: readonly ProjectionName[],
  onFailure: (error: Error) => void,
): Promise<WriterThread> {
  const worker = startServiceWorker("writerWorker", { config, names: [...names] } satisfies WriterInput, {
    maxOldGenerationSizeMb: WRITER_OLD_SPACE_MB,
    maxYoungGenerationSizeMb: WRITER_YOUNG_SPACE_MB,
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let failure: Error | null = null;
  const stopper = workerStop(worker);
  let started = false;
  const fail = (error: Error) => {
    if (failure !== null) return;
    failure = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
    // Before "ready" the start itself rejects (the caller hears it); while stopping, stop() ends it.
    if (started && !stopper.stopping) onFailure(error);
  };
  /** Sends a request; the promise settles when the writer has done it (requests are done in order). */
  const request = (message: ToWriter & { id: number }): Promise<void> => {
    if (failure !== null) return Promise.reject(failure);
    const done = new Promise<void>((resolve, reject) => waiting.set(message.id, { resolve, reject }));
    worker.postMessage(message);
    return done;
  };

  const ready = new Promise<WriterProjectorInfo[]>((resolve, reject) => {
    worker.on("message", (message: FromWriter) => {
      switch (message.type) {
        case "ready":
          resolve(message.projectors);
          break;
        case "done": {
          const w = waiting.get(message.id);
          waiting.delete(message.id);
          w?.resolve();
          break;
        }
        case "failed":
          reject(new Error(message.message));
          fail(new Error(message.message));
          break;
        case "stopped":
          break; // workerStop hears it
      }
    });
    worker.on("error", (error) => {
      reject(error);
      fail(error);
    });
    worker.on("exit", (code) => {
      const error = new Error(`the writer thread of ${names.join(", ")} exited with code ${code}`);
      reject(error);
      fail(error); // also with code 0: a writer thread ends only when told to stop
    });
  });
  let projectors: WriterProjectorInfo[];
  try {
    projectors = await ready;
    started = true;
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  const lane = (ruleVersion: number): RunnerProjector => {
    /** Requests of this lane not yet done, oldest first. */
    const inFlight: Promise<void>[] = [];
    const track = (done: Promise<void>) => {
      inFlight.push(done);
      void done.then(
        () => inFlight.splice(inFlight.indexOf(done), 1),
        () => undefined,
      );
      return done;
    };
    /** Waits while WRITER_BATCHES_IN_FLIGHT batches are pending (a failed one rejects). */
    const room = async () => {
      while (inFlight.length >= WRITER_BATCHES_IN_FLIGHT) await inFlight[0];
    };
    const own = projectors.filter((p) => p.ruleVersion === ruleVersion);
    let position = Math.min(...own.map((p) => p.position));
    return {
      ruleVersion,
      get position() {
        return position;
      },
      // A batch's outcomes go over as the engine adds them (a page at a time while catching up), so
      // neither thread holds them whole; the writer folds each as it comes and commits at `commit`.
      async add(outcomes) {
        await room();
        if (failure !== null) throw failure;
        worker.postMessage({ type: "add", ruleVersion, outcomes } satisfies ToWriter);
      },
      async commit(last) {
        await room();
        const done = track(request({ type: "commit", id: nextId++, ruleVersion, last }));
        void done.then(
          () => (position = Math.max(position, last.position)),
          () => undefined,
        );
        if (failure !== null) throw failure;
      },
      dropReadIndexes: () => track(request({ type: "dropReadIndexes", id: nextId++, ruleVersion })),
      createReadIndexes: () => track(request({ type: "createReadIndexes", id: nextId++, ruleVersion })),
      async settled() {
        await Promise.all(inFlight);
        if (failure !== null) throw failure;
      },
    };
  };

  return {
    lanes: [...new Set(projectors.map((p) => p.ruleVersion))].map(lane),
    projectors,
    stop: () => stopper.stop(),
  };
}
