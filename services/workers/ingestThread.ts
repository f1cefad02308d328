// Where `POST /v1/events` validates and appends in `serve`: on a thread of its own
// (startIngestThread), so the API's event loop never waits for a batch's validation or for the
// store's synchronous, fsync'd commit (better-sqlite3 blocks the thread that calls it), and a JSON
// batch reaches this thread as the text it came as and is scanned and parsed here (copying the text
// across costs far less than parsing on the API thread and copying the objects: docs/scaling.md),
// so reads are answered between batches,
// and receiving the next request overlaps appending this one. Elsewhere
// (tests that build the app over a Ledger, the CLI) the same function (services/ingest/
// ingestRequest.ts) runs in the calling thread. What crosses back is a plain value: the result, a
// refusal of the JSON text (the API says it as HTTP), or a failure's message.
import type { LedgerConfig } from "../config.ts";
import type { Ingest, IngestRequest, IngestRequestResult } from "../ingest/ingestRequest.ts";
import { startServiceWorker } from "./workerThread.ts";

/** The ingest thread's V8 old space: a batch of LEDGER_BATCH_MAX events a few times over. */
export const INGEST_THREAD_OLD_SPACE_MB = 96;
export const INGEST_THREAD_YOUNG_SPACE_MB = 8;

export type ToIngestThread = { type: "ingest"; id: number; request: IngestRequest } | { type: "stop" };
export type FromIngestThread =
  | { type: "started" }
  /** The batch's result: appended, or refused (invalid, a conflict, JSON text that is no batch). */
  | { type: "done"; id: number; result: IngestRequestResult }
  /** The batch failed (an I/O error, a bug): its message. */
  | { type: "failed"; id: number; message: string }
  | { type: "stopped" };

export interface IngestThread {
  ingest: Ingest;
  /** False once the thread has ended on its own (out of memory, an uncaught error): every batch then fails at once. */
  alive(): boolean;
  stop(): Promise<void>;
  /** Ends the thread at once, as a crash would (tests of what follows one). */
  kill(): Promise<void>;
}

export async function startIngestThread(config: LedgerConfig): Promise<IngestThread> {
  const worker = startServiceWorker(
    "ingestWorker",
    { config },
    {
      maxOldGenerationSizeMb: INGEST_THREAD_OLD_SPACE_MB,
      maxYoungGenerationSizeMb: INGEST_THREAD_YOUNG_SPACE_MB,
    },
  );
  const waiting = new Map<number, { resolve: (result: IngestRequestResult) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let stopped: () => void = () => undefined;
  let failure: Error | null = null;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  await new Promise<void>((resolve, reject) => {
    worker.on("message", (message: FromIngestThread) => {
      switch (message.type) {
        case "started":
          resolve();
          break;
        case "done":
          waiting.get(message.id)?.resolve(message.result);
          waiting.delete(message.id);
          break;
        case "failed":
          waiting.get(message.id)?.reject(new Error(message.message));
          waiting.delete(message.id);
          break;
        case "stopped":
          stopped();
          break;
      }
    });
    worker.once("error", (error) => {
      failAll(error);
      reject(error);
    });
    worker.once("exit", (code) => {
      stopped();
      failAll(new Error(`the ingest thread exited (code ${code})`));
      reject(new Error(`the ingest thread exited before it started (code ${code})`));
    });
  });
  return {
    alive: () => failure === null,
    ingest(request) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ type: "ingest", id, request } satisfies ToIngestThread);
      });
    },
    async stop() {
      // A thread that has ended already would never answer "stop".
      if (failure === null) {
        await new Promise<void>((resolve) => {
          stopped = resolve;
          worker.postMessage({ type: "stop" } satisfies ToIngestThread);
        });
      }
      await worker.terminate();
    },
    async kill() {
      await worker.terminate();
    },
  };
}
