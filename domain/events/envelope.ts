// The event as the ledger handles it after validation (SPEC §2).
import type { EventDataMap, EventType } from "./schemas.ts";

/** A validated event as received (its own schemaVersion), ready to append. */
export interface LedgerEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  schemaVersion: number;
  /** As received, with its offset (kept for audit); compare instants with `occurredAtMs`. */
  occurredAt: string;
  occurredAtMs: number;
  data: unknown;
}

/** What the store adds (SPEC §2). */
export interface StoredEvent extends LedgerEvent {
  position: number;
  streamId: string;
  streamRevision: number;
  recordedAt: string;
  /** SPEC §13: its link in the log's hash chain; null in a store that keeps no chain (KurrentDB). */
  hash: string | null;
}

/** A stored event upcast to the newest schema version of its type: what the engine reads. */
export type CurrentEvent = {
  [T in EventType]: {
    id: string;
    type: T;
    position: number;
    occurredAt: string;
    occurredAtMs: number;
    data: EventDataMap[T];
  };
}[EventType];

export type CurrentEventOf<T extends EventType> = Extract<CurrentEvent, { type: T }>;
