// Where `POST /v1/events` validates and appends: on a thread of its own in `serve`
// (startIngestThread), so the API's event loop never waits for a batch's validation or for the
// store's synchronous, fsync'd commit (better-sqlite3 blocks the thread that calls it), and a JSON
// batch reaches this thread as the text it came as and is scanned and parsed here (on the API thread,
// scanning, parsing and copying the parsed objects across took ~3 ms per 1,000 events; copying the
// text takes ~0.1 ms: README, *Benchmark*): reads are answered between batches,
// and receiving the next request overlaps appending this one. Elsewhere
// (tests that build the app over a Ledger, the CLI) the same function runs in the calling thread.
import { validateCloudEvents } from "../domain/events/cloudEvents.ts";
import { validateBatch } from "../domain/events/validate.ts";
import type { EventStore } from "../infra/eventStore/port.ts";
import type { LedgerConfig } from "./config.ts";
import { eventsOfJsonBody } from "./http/bodies.ts";
import { HttpError } from "./http/errors.ts";
import { ingestValidated, type UnconditionalIngestResult } from "./ingest.ts";
import { startServiceWorker } from "./workerThread.ts";

/**
 * A batch as the HTTP body readers left it: envelopes, or CloudEvents to map first (SPEC §11), or
 * an application/json body of envelopes still as text (`json`: parsed where it is ingested).
 */
export type IngestRequest = { form: "envelopes" | "cloudevents"; values: unknown[] } | { form: "json"; text: string };

export type Ingest = (request: IngestRequest) => Promise<UnconditionalIngestResult>;

/** Validates and appends one batch (the one write path, services/ingest.ts). */
export async function ingestRequest(store: EventStore, config: LedgerConfig, request: IngestRequest): Promise<UnconditionalIngestResult> {
  if (request.form === "cloudevents") return ingestValidated(store, validateCloudEvents(request.values, { typePrefix: config.cloudEventsTypePrefix }));
  const envelopes = request.form === "json" ? eventsOfJsonBody(request.text, config.batchEventsMax) : request.values;
  return ingestValidated(store, validateBatch(envelopes));
}

/** The ingest thread's V8 old space: a batch of LEDGER_BATCH_MAX events a few times over. */
export const INGEST_THREAD_OLD_SPACE_MB = 96;
export const INGEST_THREAD_YOUNG_SPACE_MB = 8;

export type ToIngestThread = { type: "ingest"; id: number; request: IngestRequest } | { type: "stop" };
export type FromIngestThread =
  | { type: "started" }
  | { type: "done"; id: number; result: UnconditionalIngestResult }
  | { type: "failed"; id: number; message: string }
  /** The body was refused before validation (not JSON, too deep, too many events): the HTTP error as it was thrown. */
  | { type: "refused"; id: number; statusCode: number; code: string; message: string; details: unknown[]; headers: Record<string, string> }
  | { type: "stopped" };

/** What the ingest thread sends back when a batch fails: an HttpError keeps its answer across the thread. */
export function failureMessage(id: number, error: unknown): FromIngestThread {
  if (error instanceof HttpError) return { type: "refused", id, statusCode: error.statusCode, code: error.code, message: error.message, details: error.details, headers: { ...error.headers } };
  return { type: "failed", id, message: error instanceof Error ? error.message : String(error) };
}

export interface IngestThread {
  ingest: Ingest;
  /** False once the thread has ended on its own (out of memory, an uncaught error): every batch then fails at once. */
  alive(): boolean;
  stop(): Promise<void>;
  /** Ends the thread at once, as a crash would (tests of what follows one). */
  kill(): Promise<void>;
}

export async function startIngestThread(config: LedgerConfig): Promise<IngestThread> {
  const worker = startServiceWorker("ingestWorker", { config }, {
    maxOldGenerationSizeMb: INGEST_THREAD_OLD_SPACE_MB,
    maxYoungGenerationSizeMb: INGEST_THREAD_YOUNG_SPACE_MB,
  });
  const waiting = new Map<number, { resolve: (result: UnconditionalIngestResult) => void; reject: (error: Error) => void }>();
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
        case "refused":
          waiting.get(message.id)?.reject(new HttpError(message.statusCode, message.code, message.message, message.details, message.headers));
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
