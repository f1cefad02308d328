// The projector thread of a `serve` process (projectorHost.ts startWorkerHost): its own
// store connection, its own read-model writers and engine; it tells the thread that started it when
// it runs, when a projector stopped on an error, and when a requested stop is done.
import { parentPort, workerData } from "node:worker_threads";
import { asError } from "../../domain/assert.ts";
import { openEventStore } from "../../infra/eventStore/openEventStore.ts";
import { createLogger } from "../logger.ts";
import { runProjectors, WORKER_LIVE_BATCH_EVENTS, type FromWorker, type ToWorker, type WorkerInput } from "./projectorHost.ts";

const port = parentPort;
if (port === null) throw new Error("projectorWorker.ts runs as a worker thread (projectorHost.ts)");
const { config, names } = workerData as WorkerInput;
const log = createLogger(config.logLevel, `projectors:${names.join("+")}`);
const tell = (message: FromWorker) => port.postMessage(message);

try {
  const store = await openEventStore(config.store);
  const host = await runProjectors(config, store, names, log, (error) => tell({ type: "failed", message: error.message }), {
    liveBatchEvents: WORKER_LIVE_BATCH_EVENTS,
    threads: config.projectorThreads,
  });
  port.on("message", (message: ToWorker) => {
    if (message.type !== "stop") return;
    void (async () => {
      try {
        await host.stop();
        await store.close();
      } catch (error) {
        tell({ type: "failed", message: asError(error).message });
      } finally {
        // Whatever the stop did, the thread ends and says so: the host waits for this (as a writer thread does).
        tell({ type: "stopped" });
        port.close();
      }
    })();
  });
  tell({ type: "started", versions: [...host.versions] });
} catch (error) {
  tell({ type: "failed", message: asError(error).message });
  port.close();
}
