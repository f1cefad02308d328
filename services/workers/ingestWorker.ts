// The ingest thread of a `serve` process (ingestThread.ts): its own connection to the event store;
// each batch it is sent is validated and appended there (services/ingest/ingestRequest.ts), and the
// result sent back.
import { parentPort, workerData } from "node:worker_threads";
import { asError } from "../../domain/assert.ts";
import { openEventStore } from "../../infra/eventStore/openEventStore.ts";
import type { LedgerConfig } from "../config.ts";
import { ingestRequest } from "../ingest/ingestRequest.ts";
import type { FromIngestThread, ToIngestThread } from "./ingestThread.ts";

const port = parentPort;
if (port === null) throw new Error("ingestWorker.ts runs as a worker thread (ingestThread.ts)");
const { config } = workerData as { config: LedgerConfig };
const tell = (message: FromIngestThread) => port.postMessage(message);

const store = await openEventStore(config.store);
const inFlight = new Set<Promise<void>>();
port.on("message", (message: ToIngestThread) => {
  switch (message.type) {
    case "ingest": {
      // Not awaited in turn: batches in flight meet in the store's queue and commit together. The
      // callbacks keep the id only, not the message: a batch's text is not held until its commit.
      const id = message.id;
      const done: Promise<void> = ingestRequest(store, config, message.request)
        .then(
          (result) => tell({ type: "done", id, result }),
          (error: unknown) => tell({ type: "failed", id, message: asError(error).message }),
        )
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
      break;
    }
    case "stop":
      void Promise.allSettled([...inFlight]).then(async () => {
        await store.close();
        tell({ type: "stopped" });
        port.close();
      });
      break;
  }
});
tell({ type: "started" });
