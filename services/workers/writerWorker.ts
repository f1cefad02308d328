// A writer thread (writerThread.ts): opens its projectors as the engine's thread would (under the
// locks the process holds, checked against the store), then adds the outcomes it is handed to its
// projectors' batches and commits each batch when told, one request after another, and says when
// each commit is done. It runs no engine and reads no events.
import { parentPort, workerData } from "node:worker_threads";
import { asError } from "../../domain/assert.ts";
import { openEventStore } from "../../infra/eventStore/openEventStore.ts";
import type { Projector } from "../../projections/projector.ts";
import { createLogger } from "../logger.ts";
import { openProjectors } from "./projectorHost.ts";
import type { FromWriter, ToWriter, WriterInput } from "./writerThread.ts";

const port = parentPort;
if (port === null) throw new Error("writerWorker.ts runs as a worker thread (writerThread.ts)");
const { config, names } = workerData as WriterInput;
const log = createLogger(config.logLevel, `writers:${names.join("+")}`);
const tell = (message: FromWriter) => port.postMessage(message);

try {
  const store = await openEventStore(config.store);
  const { projectors, close } = await openProjectors(config, store, names, log);
  await store.close(); // only the open's check needed it: the outcomes come from the engine's thread
  const lanes = (ruleVersion: number): Projector[] => projectors.filter((p) => p.ruleVersion === ruleVersion);
  const handle = async (message: ToWriter): Promise<void> => {
    switch (message.type) {
      case "add":
        for (const projector of lanes(message.ruleVersion)) await projector.add(message.outcomes);
        return;
      case "commit":
        for (const projector of lanes(message.ruleVersion)) await projector.commit(message.last);
        return tell({ type: "done", id: message.id });
      case "dropReadIndexes":
        for (const projector of lanes(message.ruleVersion)) if (projector.position === 0) await projector.dropReadIndexes();
        return tell({ type: "done", id: message.id });
      case "createReadIndexes":
        for (const projector of lanes(message.ruleVersion)) await projector.createReadIndexes();
        return tell({ type: "done", id: message.id });
      case "stop":
        try {
          await close();
        } finally {
          // Whatever close did, the thread ends and says so: the host waits for this.
          tell({ type: "stopped" });
          port.close();
        }
        return;
    }
  };
  // One request at a time, in the order sent; after a failure nothing more is written (the host
  // stops), but a stop is still done.
  let chain: Promise<void> = Promise.resolve();
  let failed = false;
  port.on("message", (message: ToWriter) => {
    chain = chain.then(async () => {
      if (failed && message.type !== "stop") return;
      try {
        await handle(message);
      } catch (error) {
        failed = true;
        log.error({ err: asError(error).message }, "a read-model write failed");
        tell({ type: "failed", message: asError(error).message });
      }
    });
  });
  tell({
    type: "ready",
    projectors: projectors.map((p) => ({ name: p.name, version: p.version, ruleVersion: p.ruleVersion, position: p.position })),
  });
} catch (error) {
  tell({ type: "failed", message: asError(error).message });
  port.close();
}
