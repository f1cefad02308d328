// The one port every event store adapter implements (SQLite, PostgreSQL, KurrentDB).
// Contract (tests/int/eventStoreContract.ts runs it against each adapter):
//  - append(batch) is atomic: every new event of the batch is committed, or none is.
//  - Idempotency by event id (SPEC §2): same id + same canonical content = duplicate (acknowledged,
//    not stored again); same id + other content = conflict (the whole batch is refused). This also
//    holds inside one batch: a second identical copy is a duplicate (a producer that merged a retry
//    into its next batch must not be refused), a second copy with other content a conflict that
//    names both indexes (ConflictError.earlierIndex).
//  - Positions are global, start at 1, have no gaps and follow commit order.
//  - Each event belongs to one stream (streamIdOf); revisions per stream start at 0, no gaps.
//  - expectedRevisions: per stream, the revision its last event must have before the append
//    (-1 = the stream must not exist); a mismatch refuses the whole batch (WrongExpectedRevision).
//  - readForward returns events with position > afterPosition, ascending, at most `limit`.
//  - An acknowledged append is durable (survives SIGKILL of the process).
//  - storeId is a random id made when the store is created, the same on every open: read models
//    keep it with their checkpoints, so another store is never mistaken for theirs.
//  - SPEC §13: SQLite and PostgreSQL chain every event's hash (infra/eventStore/hashChain.ts) in
//    the appending transaction; KurrentDB keeps no chain (hash null).
//  - recordedAt never decreases with position (positionAt.ts says why), so positionAt answers by
//    binary search; idsStartingWith is one indexed range read (SQLite, PostgreSQL).
import type { LedgerEvent, StoredEvent } from "../../domain/events/envelope.ts";
import { EVENT_ID_MAX_CHARS } from "../../domain/events/limits.ts";
import { EVENT_ID, type EventType } from "../../domain/events/schemas.ts";
import type { PositionAt } from "./positionAt.ts";

export const READ_PAGE_MAX = 10_000;

/** Every adapter's read limit check (readForward, readStream). */
export function checkReadLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0 || limit > READ_PAGE_MAX)
    throw new RangeError(`limit must be an integer 0..${READ_PAGE_MAX}, got ${limit}`);
}

/** Event ids one search asks a store for, at most (issue 27 GET /v1/search). */
export const ID_SEARCH_MAX = 100;

/** An event found by the first characters of its id. */
export interface IdHit {
  id: string;
  position: number;
  type: EventType;
}

/**
 * The lower-case bounds of the ids that start with `prefix` ignoring case: [from, to). Ids are ASCII
 * (SPEC §2: A-Z a-z 0-9 . _ : -), so lower-cased they are at most 'z' (0x7a) character by character,
 * and prefix + '{' (0x7b) is above every one of them that starts with the prefix.
 */
export function idPrefixRange(prefix: string): { from: string; to: string } {
  const from = prefix.toLowerCase();
  return { from, to: `${from}{` };
}

/** Every adapter's check of an id search's arguments. */
export function checkIdSearch(prefix: string, upTo: number, limit: number): void {
  if (!EVENT_ID.test(prefix) || prefix.length > EVENT_ID_MAX_CHARS)
    throw new RangeError(`prefix must be 1-${EVENT_ID_MAX_CHARS} id characters, got '${prefix}'`);
  if (!Number.isSafeInteger(upTo) || upTo < 0) throw new RangeError(`upTo must be an integer ≥ 0, got ${upTo}`);
  if (!Number.isInteger(limit) || limit < 0 || limit > ID_SEARCH_MAX)
    throw new RangeError(`limit must be an integer 0..${ID_SEARCH_MAX}, got ${limit}`);
}

export interface AppendOptions {
  expectedRevisions?: Readonly<Record<string, number>>;
}

export interface AppendOutcome {
  id: string;
  position: number;
  duplicate: boolean;
}

export interface AppendResult {
  appended: number;
  duplicates: number;
  /** Store head after the append (the last committed position). */
  lastPosition: number;
  /** One entry per input event, in input order (a duplicate names the stored position). */
  outcomes: AppendOutcome[];
}

export class ConflictError extends Error {
  readonly code = "conflict";
  /**
   * `earlierIndex`: the id is not stored but appears earlier in this batch, at that index, with
   * other content (a batch's own copies are told apart from a stored event: the fix differs).
   */
  constructor(
    readonly eventId: string,
    readonly index: number,
    readonly earlierIndex: number | null = null,
  ) {
    super(
      earlierIndex === null
        ? `event id '${eventId}' is already stored with different content`
        : `event id '${eventId}' appears twice in the batch, at indexes ${earlierIndex} and ${index}, with different content`,
    );
  }
}

export class WrongExpectedRevisionError extends Error {
  readonly code = "wrong_expected_revision";
  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`stream '${streamId}' is at revision ${actual}, expected ${expected}`);
  }
}

export interface Subscription {
  /** Stops delivering; resolves once the handler is no longer running. */
  stop(): Promise<void>;
  /** Resolves when the subscription stopped on its own with an error (it never resolves on stop()). */
  readonly failed: Promise<Error>;
}

export interface SubscribeOptions {
  /** Largest batch handed to the handler. */
  batchSize?: number;
  /** How long to wait between polls when caught up (adapters with push notification may ignore it). */
  idleMs?: number;
}

export interface EventStore {
  readonly kind: string;
  /** Made once, when the store is created (see the contract above). */
  readonly storeId: string;
  append(events: readonly LedgerEvent[], options?: AppendOptions): Promise<AppendResult>;
  readForward(afterPosition: number, limit: number): Promise<StoredEvent[]>;
  readStream(streamId: string, afterRevision: number, limit: number): Promise<StoredEvent[]>;
  /** The stored event with this id (SPEC §8.3), or null. */
  readById(id: string): Promise<StoredEvent | null>;
  /** Last committed position; 0 for an empty store. */
  head(): Promise<number>;
  /**
   * Issue 27 (GET /v1/log/position): the last position ≤ upTo whose recordedAt is at or before
   * `instantMs` (epoch milliseconds), and its recordedAt; position 0 (recordedAt null) when none is.
   * A binary search over positions (positionAt.ts), never a scan.
   */
  positionAt(instantMs: number, upTo: number): Promise<PositionAt>;
  /**
   * Issue 27 (GET /v1/search): up to `limit` events at positions ≤ upTo whose id starts with
   * `prefix` ignoring (ASCII) case, ordered by lower-cased id, then position.
   */
  idsStartingWith(prefix: string, upTo: number, limit: number): Promise<IdHit[]>;
  /**
   * SPEC §13: the latest event's position and its link in the hash chain (0 and 64 zeros when
   * empty; hash null in a store that keeps no chain). Every StoredEvent carries its own `hash`.
   */
  logHead(): Promise<{ position: number; hash: string | null }>;
  /**
   * Catch up from afterPosition, then follow live: the handler receives consecutive batches in
   * position order without gaps or repeats, one at a time (the next waits for the previous).
   */
  subscribe(afterPosition: number, handler: (events: StoredEvent[]) => Promise<void>, options?: SubscribeOptions): Subscription;
  close(): Promise<void>;
}
