// KurrentDB (EventStoreDB) event store, through @eventstore/db-client. Same contract as SQLite and
// PostgreSQL (port.ts); tests/int/kurrentEventStore.int.test.ts runs the shared suite against a real
// KurrentDB in a testcontainer.
//
// Design: one log stream is the ledger.
//  - KurrentDB appends are atomic per stream only, and `$all` commit positions are not gap-free (they
//    are byte offsets in the transaction file, shared with system and other streams). The port needs
//    both an all-or-nothing multi-stream batch and gap-free positions, so every ledger event is written
//    to ONE stream, `ledger-log` (LOG_STREAM): a batch is one appendToStream call (atomic), and
//    position = revision in that stream + 1 (revisions are gap-free by construction).
//  - Writers serialize through optimistic concurrency on that stream: each append names the revision
//    it read (expectedRevision); a concurrent writer makes it fail with WrongExpectedVersion, and it
//    re-reads the tail and re-plans. Inside one process appends also queue behind a mutex, so local
//    writers never race each other.
//  - Envelope id → KurrentDB event id as a deterministic UUID (v5 layout over sha1 of the envelope
//    id); the envelope id itself stays in the metadata. KurrentDB's own dedup by event id is
//    best-effort (only for retries at the same expected revision), so the ledger does its own
//    idempotency check (SPEC §2) against the content hash stored in the metadata.
//  - The domain streams of domain/events/streams.ts are logical: each log event carries its streamId
//    and streamRevision in the metadata, and this adapter keeps an index (id → position + content
//    hash, streamId → positions) that it builds from the log on open and brings up to date from the
//    log tail before each append and readStream. Memory is O(events) (~100 bytes each); the index is
//    a cache of the log, never a second source of truth.
//  - subscribe is a KurrentDB catch-up subscription on the log stream from the checkpoint: it reads
//    history, then follows live by push (no polling), and hands the handler batches in position order.
//  - recordedAt is KurrentDB's own commit timestamp of the event (`created`). Appends to the one log
//    stream are serialized (expected revisions), so it follows position as long as the leader's
//    clock does not step back; positionAt binary-searches it (positionAt.ts), log2(head) reads.
//  - idsStartingWith (GET /v1/search) looks through the index's ids in memory: no range index on
//    the server to ask, so it is linear in the ledger's events (in memory, no log read), then reads
//    the events it found.
import { createHash, randomUUID } from "node:crypto";
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  jsonEvent,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type JSONType,
  type ResolvedEvent,
  type StreamSubscription,
} from "@eventstore/db-client";
import { asError } from "../../domain/assert.ts";
import type { LedgerEvent, StoredEvent } from "../../domain/events/envelope.ts";
import type { EventType } from "../../domain/events/schemas.ts";
import { streamIdOf } from "../../domain/events/streams.ts";
import { contentHash } from "./contentHash.ts";
import { lastPositionRecordedBy, type PositionAt } from "./positionAt.ts";
import { checkIdSearch, checkReadLimit, ConflictError, idPrefixRange, READ_PAGE_MAX, WrongExpectedRevisionError } from "./port.ts";
import type { AppendOptions, AppendOutcome, AppendResult, EventStore, IdHit, SubscribeOptions, Subscription } from "./port.ts";

/** The one stream holding every ledger event (default name); revision + 1 is the ledger position. */
export const LOG_STREAM = "ledger-log";
// Not `$ledger-log`: `$`-prefixed names are KurrentDB's system streams (reserved, admin-only ACLs).
const STREAM_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
/** Attempts of one append when other processes keep winning the race for the log's next revision. */
export const APPEND_ATTEMPTS_MAX = 100;
/** Events buffered ahead of a slow subscription handler before the subscription stream is paused. */
export const SUBSCRIPTION_BUFFER_MAX = 10_000;
/** Concurrent range reads when readStream fetches the (scattered) positions of one domain stream. */
const RANGE_READS_PARALLEL = 16;
const SUBSCRIBE_BATCH_DEFAULT = 1_000;

// Fixed namespace of the ledger's UUIDs (random once, never to change: it would change every id).
const LEDGER_UUID_NAMESPACE = Buffer.from("8f0c8a5e7c1d4b6a9a3e2f5d1c4b7a90", "hex");

/** Deterministic UUID (RFC 4122 version 5 layout, sha1) of an envelope id. */
export function eventUuid(envelopeId: string): string {
  const b = createHash("sha1").update(LEDGER_UUID_NAMESPACE).update(envelopeId, "utf8").digest();
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** What each log event carries besides its `data` (the envelope's payload). */
interface LogMetadata {
  envelopeId: string;
  schemaVersion: number;
  occurredAt: string;
  occurredAtMs: number;
  streamId: string;
  streamRevision: number;
  contentHash: string;
}

export interface KurrentEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false` */
  connectionString: string;
  /** Name of the log stream; default LOG_STREAM. One name = one ledger (tests use one per test). */
  logStream?: string;
}

function toStored(resolved: ResolvedEvent): StoredEvent {
  const e = resolved.event;
  if (!e) throw new Error(`ledger log: a resolved event without its event (link to a deleted event?)`);
  if (!e.isJson) throw new Error(`ledger log: event ${e.id} at revision ${e.revision} is not JSON; only the ledger writes this stream`);
  const m = e.metadata as unknown as LogMetadata;
  if (typeof m?.envelopeId !== "string") throw new Error(`ledger log: event ${e.id} at revision ${e.revision} has no ledger metadata`);
  return {
    id: m.envelopeId,
    type: e.type as EventType,
    schemaVersion: m.schemaVersion,
    occurredAt: m.occurredAt,
    occurredAtMs: m.occurredAtMs,
    data: e.data,
    position: Number(e.revision) + 1,
    streamId: m.streamId,
    streamRevision: m.streamRevision,
    recordedAt: e.created.toISOString(),
    // SPEC §13's hash chain is not kept on KurrentDB (its log is append-only on the server side;
    // README, "The verifiable log"): `ledger verify` says so instead of passing.
    hash: null,
  };
}

/** The log's derived lookups; see the header comment. Mutated only under the store's mutex. */
class LogIndex {
  head = 0;
  readonly ids = new Map<string, { position: number; contentHash: string }>();
  readonly streams = new Map<string, number[]>();

  add(position: number, envelopeId: string, hash: string, streamId: string, streamRevision: number): void {
    if (position !== this.head + 1) throw new Error(`log index at ${this.head} cannot take position ${position}`);
    const positions = this.streams.get(streamId) ?? [];
    if (streamRevision !== positions.length)
      throw new Error(`stream '${streamId}' has ${positions.length} events, log event at ${position} claims revision ${streamRevision}`);
    if (this.ids.has(envelopeId))
      throw new Error(
        `event id '${envelopeId}' appears twice in the log stream (positions ${this.ids.get(envelopeId)!.position} and ${position})`,
      );
    positions.push(position);
    this.streams.set(streamId, positions);
    this.ids.set(envelopeId, { position, contentHash: hash });
    this.head = position;
  }

  revision(streamId: string): number {
    return (this.streams.get(streamId)?.length ?? 0) - 1;
  }
}

/** A one-slot wake-up: wait() resolves at the next notify() (or at once if one is pending). */
class Signal {
  private pending = false;
  private waiter: (() => void) | null = null;
  notify(): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w();
    } else this.pending = true;
  }
  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

export class KurrentEventStore implements EventStore {
  readonly kind = "kurrent";
  private readonly index = new LogIndex();
  private readonly subscriptions = new Set<Subscription>();
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  storeId = "";

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly log: string,
  ) {}

  /** The store's id: the one event of the stream `{log}-store`, written by the first open. */
  private async readOrCreateStoreId(): Promise<string> {
    const metaStream = `${this.log}-store`;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        for await (const resolved of this.client.readStream(metaStream, { fromRevision: START, maxCount: 1 })) {
          return (resolved.event!.data as { storeId: string }).storeId;
        }
      } catch (error) {
        if (!(error instanceof StreamNotFoundError)) throw error;
      }
      try {
        await this.client.appendToStream(metaStream, [jsonEvent({ type: "StoreCreated", data: { storeId: randomUUID() } })], {
          expectedRevision: NO_STREAM,
        });
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error; // another process created it: read that one
      }
    }
    throw new Error(`${metaStream}: could not read or create the store id`);
  }

  static async open(options: KurrentEventStoreOptions): Promise<KurrentEventStore> {
    const log = options.logStream ?? LOG_STREAM;
    if (!STREAM_NAME.test(log)) throw new Error(`logStream must match ${STREAM_NAME}, got '${log}'`);
    const client = EventStoreDBClient.connectionString(options.connectionString);
    const store = new KurrentEventStore(client, log);
    try {
      store.storeId = await store.readOrCreateStoreId();
      await store.exclusive(() => store.catchUp());
    } catch (error) {
      await client.dispose();
      throw error;
    }
    return store;
  }

  /** Runs fn after every earlier exclusive section of this process (appends and index updates). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => {});
    return run;
  }

  /** Reads the log from the index head to its end into the index. Call only inside exclusive(). */
  private async catchUp(): Promise<void> {
    try {
      for await (const resolved of this.client.readStream(this.log, { fromRevision: BigInt(this.index.head), resolveLinkTos: false })) {
        const e = toStored(resolved as ResolvedEvent);
        const m = resolved.event!.metadata as unknown as LogMetadata;
        this.index.add(e.position, e.id, m.contentHash, m.streamId, m.streamRevision);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return; // empty ledger: the log is created by the first append
      throw error;
    }
  }

  async append(events: readonly LedgerEvent[], options?: AppendOptions): Promise<AppendResult> {
    if (this.closed) throw new Error("event store is closed");
    const prepared = events.map((event) => ({ event, hash: contentHash(event), streamId: streamIdOf(event.type, event.data) }));
    return this.exclusive(async () => {
      for (let attempt = 1; attempt <= APPEND_ATTEMPTS_MAX; attempt += 1) {
        await this.catchUp();
        const plan = this.plan(prepared, options);
        if (plan.toWrite.length === 0) return plan.result;
        const headBefore = this.index.head;
        try {
          await this.client.appendToStream(
            this.log,
            plan.toWrite.map((w) => w.data),
            { expectedRevision: headBefore === 0 ? NO_STREAM : BigInt(headBefore - 1) },
          );
        } catch (error) {
          // Another process appended since catchUp: read what it wrote and decide again.
          if (error instanceof WrongExpectedVersionError) continue;
          throw error;
        }
        for (const w of plan.toWrite)
          this.index.add(w.position, w.envelopeId, w.metadata.contentHash, w.metadata.streamId, w.metadata.streamRevision);
        return plan.result;
      }
      throw new Error(`append to ${this.log} lost the race ${APPEND_ATTEMPTS_MAX} times in a row`);
    });
  }

  /** Idempotency, conflicts and expected revisions against the (caught-up) index, as in postgresEventStore. */
  private plan(prepared: { event: LedgerEvent; hash: string; streamId: string }[], options?: AppendOptions) {
    for (const [stream, want] of Object.entries(options?.expectedRevisions ?? {})) {
      const actual = this.index.revision(stream);
      if (actual !== want) throw new WrongExpectedRevisionError(stream, want, actual);
    }
    const headBefore = this.index.head;
    let head = headBefore;
    let duplicates = 0;
    const outcomes: AppendOutcome[] = [];
    const inBatch = new Map<string, { position: number; contentHash: string; batchIndex: number }>();
    const revisions = new Map<string, number>();
    const toWrite: { position: number; envelopeId: string; metadata: LogMetadata; data: ReturnType<typeof jsonEvent> }[] = [];
    prepared.forEach(({ event, hash, streamId }, index) => {
      const existing = this.index.ids.get(event.id) ?? inBatch.get(event.id);
      if (existing) {
        if (existing.contentHash !== hash)
          throw new ConflictError(event.id, index, this.index.ids.has(event.id) ? null : inBatch.get(event.id)!.batchIndex);
        duplicates += 1;
        outcomes.push({ id: event.id, position: existing.position, duplicate: true });
        return;
      }
      head += 1;
      const streamRevision = (revisions.get(streamId) ?? this.index.revision(streamId)) + 1;
      revisions.set(streamId, streamRevision);
      inBatch.set(event.id, { position: head, contentHash: hash, batchIndex: index });
      outcomes.push({ id: event.id, position: head, duplicate: false });
      const metadata: LogMetadata = {
        envelopeId: event.id,
        schemaVersion: event.schemaVersion,
        occurredAt: event.occurredAt,
        occurredAtMs: event.occurredAtMs,
        streamId,
        streamRevision,
        contentHash: hash,
      };
      const data = jsonEvent({
        id: eventUuid(event.id),
        type: event.type,
        data: event.data as JSONType,
        metadata: metadata as unknown as JSONType,
      });
      toWrite.push({ position: head, envelopeId: event.id, metadata, data });
    });
    return { toWrite, result: { appended: head - headBefore, duplicates, lastPosition: head, outcomes } satisfies AppendResult };
  }

  async readForward(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    checkReadLimit(limit);
    if (!Number.isInteger(afterPosition) || afterPosition < 0) throw new RangeError("afterPosition must be an integer ≥ 0");
    if (limit === 0) return [];
    return this.readLog(afterPosition, limit);
  }

  /** Up to `count` log events from position from + 1 (revision `from`). */
  private async readLog(from: number, count: number): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(this.log, {
        fromRevision: BigInt(from),
        maxCount: count,
        resolveLinkTos: false,
      })) {
        out.push(toStored(resolved as ResolvedEvent));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async readStream(streamId: string, afterRevision: number, limit: number): Promise<StoredEvent[]> {
    checkReadLimit(limit);
    if (limit === 0) return [];
    // Bring the index up to what other processes wrote, then read the stream's positions from the log.
    const positions = await this.exclusive(async () => {
      await this.catchUp();
      return (this.index.streams.get(streamId) ?? []).slice(Math.max(0, afterRevision + 1), Math.max(0, afterRevision + 1) + limit);
    });
    // Consecutive positions become one range read.
    const ranges: { from: number; count: number }[] = [];
    for (const p of positions) {
      const last = ranges[ranges.length - 1];
      if (last && last.from + last.count + 1 === p) last.count += 1;
      else ranges.push({ from: p - 1, count: 1 });
    }
    const out: StoredEvent[] = [];
    for (let i = 0; i < ranges.length; i += RANGE_READS_PARALLEL) {
      const pages = await Promise.all(ranges.slice(i, i + RANGE_READS_PARALLEL).map((r) => this.readLog(r.from, r.count)));
      for (const page of pages) out.push(...page);
    }
    if (out.length !== positions.length || out.some((e, i) => e.position !== positions[i] || e.streamId !== streamId)) {
      throw new Error(`${this.log}: stream '${streamId}' index and log disagree`);
    }
    return out;
  }

  async readById(id: string): Promise<StoredEvent | null> {
    const position = await this.exclusive(async () => {
      await this.catchUp();
      return this.index.ids.get(id)?.position ?? null;
    });
    if (position === null) return null;
    const [event] = await this.readLog(position - 1, 1);
    if (!event || event.id !== id) throw new Error(`${this.log}: index and log disagree about event '${id}'`);
    return event;
  }

  async positionAt(instantMs: number, upTo: number): Promise<PositionAt> {
    const last = Math.min(upTo, await this.head());
    return lastPositionRecordedBy(last, instantMs, async (position) => {
      const [event] = await this.readLog(position - 1, 1);
      if (!event || event.position !== position) throw new Error(`${this.log}: no event at position ${position}`);
      return event.recordedAt;
    });
  }

  async idsStartingWith(prefix: string, upTo: number, limit: number): Promise<IdHit[]> {
    checkIdSearch(prefix, upTo, limit);
    const { from, to } = idPrefixRange(prefix);
    const found = await this.exclusive(async () => {
      await this.catchUp();
      const matches: { key: string; position: number }[] = [];
      for (const [id, { position }] of this.index.ids) {
        const key = id.toLowerCase();
        if (position <= upTo && key >= from && key < to) matches.push({ key, position });
      }
      return matches.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.position - b.position)).slice(0, limit);
    });
    const events = await Promise.all(found.map((f) => this.readLog(f.position - 1, 1)));
    return events.map((page, i) => {
      const event = page[0];
      if (!event || event.position !== found[i]!.position)
        throw new Error(`${this.log}: index and log disagree at position ${found[i]!.position}`);
      return { id: event.id, position: event.position, type: event.type };
    });
  }

  /** KurrentDB keeps no hash chain (see toStored): the head's position, hash null. */
  async logHead(): Promise<{ position: number; hash: string | null }> {
    return { position: await this.head(), hash: null };
  }

  async head(): Promise<number> {
    try {
      for await (const resolved of this.client.readStream(this.log, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
        return Number(resolved.event!.revision) + 1;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 0;
      throw error;
    }
    return 0;
  }

  subscribe(afterPosition: number, handler: (events: StoredEvent[]) => Promise<void>, options: SubscribeOptions = {}): Subscription {
    const batchSize = options.batchSize ?? SUBSCRIBE_BATCH_DEFAULT;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > READ_PAGE_MAX)
      throw new RangeError(`batchSize must be 1..${READ_PAGE_MAX}`);
    if (!Number.isInteger(afterPosition) || afterPosition < 0) throw new RangeError("afterPosition must be an integer ≥ 0");
    if (this.closed) throw new Error("event store is closed");

    // Start at the checkpoint's own event (revision afterPosition - 1) and drop what was already
    // delivered, so the result is right whether the server treats fromRevision as inclusive or not.
    const source: StreamSubscription = this.client.subscribeToStream(this.log, {
      fromRevision: afterPosition === 0 ? START : BigInt(afterPosition - 1),
      resolveLinkTos: false,
    });
    const queue: StoredEvent[] = [];
    const hasEvents = new Signal();
    const hasRoom = new Signal();
    let stopped = false;
    let reportFailure!: (error: Error) => void;
    const failed = new Promise<Error>((resolve) => (reportFailure = resolve));
    const fail = (error: unknown) => {
      if (stopped) return;
      stopped = true;
      hasEvents.notify();
      hasRoom.notify();
      reportFailure(asError(error));
      void source.unsubscribe().catch(() => {});
    };

    const receive = async () => {
      let received = afterPosition;
      for await (const resolved of source) {
        if (stopped) return;
        const event = toStored(resolved as ResolvedEvent);
        if (event.position <= received) continue;
        // A gap would hand a projector a hole in the log: stop loudly.
        if (event.position !== received + 1)
          throw new Error(`subscription expected position ${received + 1}, ${this.log} delivered ${event.position}`);
        received = event.position;
        queue.push(event);
        hasEvents.notify();
        while (queue.length >= SUBSCRIPTION_BUFFER_MAX && !stopped) await hasRoom.wait();
      }
      // A catch-up subscription never ends by itself: the server or the connection dropped it.
      if (!stopped) throw new Error(`subscription to ${this.log} ended after position ${received}`);
    };
    const deliver = async () => {
      while (!stopped) {
        if (queue.length === 0) {
          await hasEvents.wait();
          continue;
        }
        const batch = queue.splice(0, batchSize);
        hasRoom.notify();
        await handler(batch);
      }
    };
    const done = Promise.all([receive().catch(fail), deliver().catch(fail)]).then(() => {});

    const subscription: Subscription = {
      failed,
      stop: async () => {
        stopped = true;
        hasEvents.notify();
        hasRoom.notify();
        await source.unsubscribe().catch(() => {});
        await done;
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.tail;
    await this.client.dispose();
  }
}

export function openKurrentEventStore(options: KurrentEventStoreOptions): Promise<KurrentEventStore> {
  return KurrentEventStore.open(options);
}
