// Starts one of the worker modules beside this file (services/workers/<name>.ts) on a thread of this
// process: from the TypeScript sources (tsx, the tests) through tsx's loader (tsWorker.mjs), from the
// compiled build (dist/services/workers/<name>.js) as the compiled module itself. Both are resolved
// against this module's own URL, so this file, tsWorker.mjs and the workers stay in one folder.
import { fileURLToPath } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

/** A projector thread's V8 old space (the default limits; a writer thread has its own, writerThread.ts), a cap toward the process's 300 MB budget (what it holds: README, Benchmark). */
export const WORKER_OLD_SPACE_MB = 160;
/** Its young generation: V8 would size it for a machine-wide heap; small, it costs RSS only while used. */
export const WORKER_YOUNG_SPACE_MB = 16;

export function startServiceWorker(
  moduleName: string,
  workerData: Record<string, unknown>,
  resourceLimits: ResourceLimits = { maxOldGenerationSizeMb: WORKER_OLD_SPACE_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_SPACE_MB },
): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(`./${moduleName}.${fromSource ? "ts" : "js"}`, import.meta.url);
  return new Worker(fromSource ? fileURLToPath(new URL("./tsWorker.mjs", import.meta.url)) : fileURLToPath(entry), {
    workerData: { ...workerData, entry: entry.href },
    resourceLimits,
  });
}

/**
 * The stop of a service worker thread that answers `{ type: "stop" }` with `{ type: "stopped" }`:
 * asks it and waits for the answer or its exit, then terminates it. A thread that already exited (it
 * crashed) has nothing to stop and would never answer. `stopping` is true from the first stop() on;
 * a second stop() returns at once.
 */
export function workerStop(worker: Worker): { readonly stopping: boolean; stop(): Promise<void> } {
  let exited = false;
  let stopping = false;
  let ended: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (ended = resolve));
  worker.on("exit", () => {
    exited = true;
    ended();
  });
  worker.on("message", (message: { type?: unknown }) => {
    if (message.type === "stopped") ended();
  });
  return {
    get stopping() {
      return stopping;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      if (!exited) {
        worker.postMessage({ type: "stop" });
        await answered;
      }
      await worker.terminate();
    },
  };
}
