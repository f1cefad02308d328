// The one write path for facts (HTTP, NDJSON file, Kafka): validate the whole batch, then one
// atomic append. Invalid → every problem, nothing appended. Same id, other content → conflict.
import { validateBatch, type BatchValidation, type Problem } from "../domain/events/validate.ts";
import { ConflictError, WrongExpectedRevisionError, type AppendOptions, type EventStore } from "../infra/eventStore/port.ts";

export type IngestResult =
  | { kind: "appended"; appended: number; duplicates: number; lastPosition: number }
  | { kind: "invalid"; problems: Problem[] }
  | { kind: "conflict"; eventId: string; index: number; message: string }
  /** Only with expectedRevisions: a stream moved since the caller decided; nothing was appended. */
  | { kind: "stale"; streamId: string; message: string };

/** Without expected revisions nothing can be stale. */
export type UnconditionalIngestResult = Exclude<IngestResult, { kind: "stale" }>;

export async function ingestBatch(store: EventStore, raws: readonly unknown[]): Promise<UnconditionalIngestResult>;
export async function ingestBatch(store: EventStore, raws: readonly unknown[], options: AppendOptions): Promise<IngestResult>;
export async function ingestBatch(store: EventStore, raws: readonly unknown[], options?: AppendOptions): Promise<IngestResult> {
  return ingestValidated(store, validateBatch(raws), options ?? {});
}

/** The append half of ingestBatch, for batches validated another way (CloudEvents, internal types). */
export async function ingestValidated(store: EventStore, validation: BatchValidation): Promise<UnconditionalIngestResult>;
export async function ingestValidated(store: EventStore, validation: BatchValidation, options: AppendOptions): Promise<IngestResult>;
export async function ingestValidated(store: EventStore, validation: BatchValidation, options?: AppendOptions): Promise<IngestResult> {
  if (!validation.ok) return { kind: "invalid", problems: validation.problems };
  if (validation.events.length === 0) return { kind: "appended", appended: 0, duplicates: 0, lastPosition: await store.head() };
  try {
    const result = await store.append(validation.events, options);
    return { kind: "appended", appended: result.appended, duplicates: result.duplicates, lastPosition: result.lastPosition };
  } catch (error) {
    if (error instanceof ConflictError) return { kind: "conflict", eventId: error.eventId, index: error.index, message: error.message };
    if (error instanceof WrongExpectedRevisionError) return { kind: "stale", streamId: error.streamId, message: error.message };
    throw error;
  }
}
