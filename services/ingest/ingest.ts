// The one write path for facts (HTTP, NDJSON file, Kafka): validate the whole batch, then one
// atomic append. Invalid → every problem, nothing appended. Same id, other content → conflict.
import type { LedgerEvent } from "../../domain/events/envelope.ts";
import { validateBatch, type BatchValidation, type Problem } from "../../domain/events/validate.ts";
import { storedCanonicalContent } from "../../infra/eventStore/contentHash.ts";
import { ConflictError, WrongExpectedRevisionError, type AppendOptions, type EventStore } from "../../infra/eventStore/port.ts";

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

export interface BatchConflict {
  /** Index in the batch of the event that conflicts. */
  index: number;
  eventId: string;
  /** The event of the batch it conflicts with; null: the stored one. */
  earlierIndex: number | null;
}

/** The stores' rule (sqliteEventStore.ts): canonical content, `data` taken through its JSON text. */
function contentOf(event: LedgerEvent): string {
  return storedCanonicalContent(event.type, event.schemaVersion, event.occurredAtMs, JSON.stringify(event.data));
}

/**
 * Every conflict of a batch of valid events (SPEC §2): an id already stored with other content, or,
 * for an id not stored, earlier in the batch with other content. A store stops at the first one;
 * this names them all, so a caller that reports every problem of a batch in one pass (`ledger
 * ingest`) can add them to the schema errors. One readById per id: meant for batches already
 * refused, not for the append path.
 */
export async function findConflicts(store: EventStore, events: readonly LedgerEvent[]): Promise<BatchConflict[]> {
  // Per id, what its other copies must equal: the stored event when there is one (so a later copy
  // equal to it is a duplicate even when an earlier copy conflicts), else its first copy here.
  const reference = new Map<string, { index: number | null; content: string }>();
  const conflicts: BatchConflict[] = [];
  for (const [index, event] of events.entries()) {
    const content = contentOf(event);
    let known = reference.get(event.id);
    if (known === undefined) {
      const stored = await store.readById(event.id);
      known = stored === null ? { index, content } : { index: null, content: contentOf(stored) };
      reference.set(event.id, known);
    }
    if (known.content !== content) conflicts.push({ index, eventId: event.id, earlierIndex: known.index });
  }
  return conflicts;
}
