// Starts one of the worker modules beside this file (services/workers/<name>.ts) on a thread of this
// process: from the TypeScript sources (tsx, the tests) through tsx's loader (tsWorker.mjs), from the
// compiled build (dist/services/workers/<name>.js) as the compiled module itself. Both are resolved
// against this module's own URL, so this file, tsWorker.mjs and the workers stay in one folder.
import { fileURLToPath } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

export function startServiceWorker(moduleName: string, workerData: Record<string, unknown>, resourceLimits: ResourceLimits): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(`./${moduleName}.${fromSource ? "ts" : "js"}`, import.meta.url);
  return new Worker(fromSource ? fileURLToPath(new URL("./tsWorker.mjs", import.meta.url)) : fileURLToPath(entry), {
    workerData: { ...workerData, entry: entry.href },
    resourceLimits,
  });
}
