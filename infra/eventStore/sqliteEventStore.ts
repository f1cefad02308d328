// SQLite event store (the default). One file, WAL, synchronous=FULL: an acknowledged append has
// been fsynced to the WAL, so it survives SIGKILL (and power loss as far as SQLite guarantees).
//
// Group commit: better-sqlite3 is synchronous, so an fsync blocks the event loop. Appends are
// queued and flushed on setImmediate: every batch that arrived meanwhile shares one transaction
// (one fsync), each inside its own SAVEPOINT so a conflict refuses only its own batch.
//
// Positions are assigned by us (max + 1) under the write lock (BEGIN IMMEDIATE), so they are
// gap-free and in commit order even with another process writing to the same file; a rolled-back
// savepoint gives its positions back because nothing was committed.
//
// Streams (since format 2): no index over (stream, revision). Every event row links to the previous
// event of its stream (`prev_position`), and the `streams` table holds the streams' tails (last
// revision and position; since format 3, up to `streams_through`). Why: an index keyed by stream takes each insert to its stream's tail, a
// different B-tree page for almost every event (clicks spread over thousands of tracking streams),
// and every page a commit dirties is written to the WAL, while the tails of the busy streams fit in
// a few hundred pages (docs/scaling.md has the page counts). Streams are read rarely and are short
// (a creator's payouts, a campaign's life: services/ingest/streamHead.ts), so readStream walks the
// links back from the tail. Format 3 (issue 28): `streams` is written every 20,000 events and on
// close, not in every commit; the tails past it are read from the events (streamTails.ts).
//
// Issue 27: GET /v1/search finds ids by their first characters, ignoring case, through the UNIQUE
// index on id (code-point order) that every insert maintains anyway: one range read per way of
// writing the prefix's letters in upper or lower case (idsStartingWith). A second index on lower(id)
// did it in one read but cost every append a second random B-tree insert: durable ingest fell from
// 0.33-0.38x to 0.25-0.26x the raw insert (issue 25's target is 0.32x; README, Benchmark); an
// existing file's index from that build is dropped on open.
// recordedAt is read under the write lock and never before the previous event's (positionAt.ts).
//
// Hot path (one INSERT per event; the tails in memory):
//  - Stream tails come from streamTails.ts: those moved since `streams` was last written, and a
//    cache of its rows, filled on a miss. Under the write lock, at the start of every group commit,
//    the events other connections committed since this one's last look (the head moved) are read
//    (stream and revision) before anything is appended; a failed commit forgets it all. Writing the
//    tails refuses a commit when a stored tail is ahead of the one written (a row written by
//    something that does not take revisions from the events). Releases before format 3 are not
//    guarded against: one of format 1 or 2 still appending to the file beside this one would assign
//    revisions from `streams` alone; one of format 2, which trusts `streams` as whole, may open the
//    file only after this one closed it (whichever connection closes writes the tails).
//  - Duplicate vs conflict: the insert is `ON CONFLICT (id) DO NOTHING`; only when the id is
//    already taken are the canonical contents compared, the stored one rebuilt from its columns.
//    The `content` column is no longer filled ('' in new rows; older rows hold a digest nobody
//    reads any more).
import { asError } from "../../domain/assert.ts";
import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import type { LedgerEvent, StoredEvent } from "../../domain/events/envelope.ts";
import type { EventType } from "../../domain/events/schemas.ts";
import { streamIdOf } from "../../domain/events/streams.ts";
import { hasDamageCode, permissionProblem } from "../sqliteFileProblems.ts";
import { storedCanonicalContent } from "./contentHash.ts";
import { canonicalJson } from "../../domain/events/jcs.ts";
import { chainHash, GENESIS_HASH, type LogHead } from "./hashChain.ts";
import { PollingSubscriptions } from "./pollingSubscription.ts";
import { lastPositionRecordedBy, type PositionAt } from "./positionAt.ts";
import { checkIdSearch, checkReadLimit, ConflictError, idPrefixRange, READ_PAGE_MAX, WrongExpectedRevisionError } from "./port.ts";
import { STORED_EVENT_COLUMNS } from "./sqlColumns.ts";
import { STREAMS_THROUGH_KEY, StreamTails, type StreamTail } from "./streamTails.ts";
import type { AppendOptions, AppendOutcome, AppendResult, EventStore, IdHit, SubscribeOptions, Subscription } from "./port.ts";

/** Events merged into one transaction at most; the rest waits for the next flush. */
export const GROUP_EVENTS_MAX = 100_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position        INTEGER PRIMARY KEY,  -- rowid alias; assigned max + 1 under the write lock
  id              TEXT    NOT NULL UNIQUE,
  type            TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL,
  occurred_at     TEXT    NOT NULL,     -- as received, with its offset
  occurred_at_ms  INTEGER NOT NULL,
  data            TEXT    NOT NULL,     -- JSON
  content         TEXT    NOT NULL,     -- unused ('' ; files written before held a digest)
  stream_id       TEXT    NOT NULL,
  stream_revision INTEGER NOT NULL,
  recorded_at     TEXT    NOT NULL,     -- commit time, ISO UTC
  prev_position   INTEGER,              -- the stream's previous event; NULL at revision 0
  hash            TEXT                  -- SPEC §13: the log's hash chain (hashChain.ts); NULL only before an upgrade chains it
);
CREATE TABLE IF NOT EXISTS streams (
  stream_id     TEXT    PRIMARY KEY,
  revision      INTEGER NOT NULL,       -- of the stream's last event
  last_position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
DROP INDEX IF EXISTS events_id_lower;
`;

/**
 * The letters of an id prefix whose case an id search varies (2^n range reads at most); letters past
 * them are matched ignoring case while the range is read (rows that share the varied part in that
 * case and differ later are read and skipped: few, since ids that share 8 letters share a lot).
 */
const ID_SEARCH_CASE_LETTERS_MAX = 8;

/**
 * Rows an id search reads per case variant at most. A variant's range is in code-point order of the
 * ids as written, not lower-cased ('aZ' < 'a_' < 'ab', but 'a_' < 'ab' < 'az'), so the whole range is
 * read and sorted here; past this many rows in one range (a prefix of a character or two over a large
 * store) the hits are the first ones of each range, still all matches, and more than any page shows
 * (GET /v1/search answers truncated): typing more of the id narrows it.
 */
const ID_SEARCH_RANGE_ROWS_MAX = 5_000;

/** Every way of writing `prefix` with its first letters (up to ID_SEARCH_CASE_LETTERS_MAX) in upper or lower case. */
function caseVariants(prefix: string): string[] {
  let variants = [""];
  let letters = 0;
  for (const ch of prefix) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower === upper || letters >= ID_SEARCH_CASE_LETTERS_MAX) {
      variants = variants.map((v) => v + ch);
      continue;
    }
    letters += 1;
    variants = variants.flatMap((v) => [v + upper, v + lower]);
  }
  return variants;
}

/**
 * Every link and every tail made from the rows, and format 1's index dropped. Run on open when the
 * file needs it: format 1 (before 2026-11-28) indexed (stream_id, stream_revision) and had no
 * links; a format-2 file that a format-1 release opened again has the index back and rows
 * appended without links; a file cut back by hand (rows deleted past some position) has tails past
 * its head. One transaction, under the write lock, so a second process opening the file at the
 * same time waits and finds it done.
 */
/** `streams` holds every tail up to the head (format 3's marker; streamTails.ts). */
const STREAMS_WHOLE_TO_HEAD = `INSERT INTO store_meta (key, value) VALUES ('${STREAMS_THROUGH_KEY}', (SELECT coalesce(max(position), 0) FROM events))
  ON CONFLICT (key) DO UPDATE SET value = excluded.value`;

const MAKE_STREAMS_WHOLE = `
UPDATE events SET prev_position = chain.prev
  FROM (SELECT position, lag(position) OVER (PARTITION BY stream_id ORDER BY stream_revision) AS prev FROM events) AS chain
  WHERE events.position = chain.position AND events.prev_position IS NOT chain.prev;
DELETE FROM streams;
INSERT INTO streams (stream_id, revision, last_position)
  SELECT stream_id, max(stream_revision), max(position) FROM events GROUP BY stream_id;
${STREAMS_WHOLE_TO_HEAD};
DROP INDEX IF EXISTS events_stream;
`;

/**
 * 1 when the last row has no hash: the open's whole check for rows to chain (SPEC §13). Every append
 * writes its rows' hashes and refuses to go on after a row without one (hashOf), so rows without a
 * hash are a store from before the chain or what a release without it appended last: in both the
 * last row has none. Asking for the first row without a hash instead read every row of a chained
 * store on each open: 139–227 ms at 1M events (docs/scaling.md, "Figures behind code comments").
 */
const UNCHAINED_AT_END = "SELECT hash IS NULL FROM events ORDER BY position DESC LIMIT 1";

/** How long opening waits for the write lock: another process may be making the streams whole (minutes at millions of events). */
const OPEN_BUSY_TIMEOUT_MS = 600_000;
/** How long an append waits for it (another process, e.g. a CLI ingest next to the server, may hold it briefly). */
const APPEND_BUSY_TIMEOUT_MS = 5_000;

interface Row {
  position: number;
  id: string;
  type: string;
  schema_version: number;
  occurred_at: string;
  occurred_at_ms: number;
  data: string;
  stream_id: string;
  stream_revision: number;
  recorded_at: string;
  hash: string | null;
}

interface Pending {
  events: readonly LedgerEvent[];
  options: AppendOptions | undefined;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

const COLUMNS = STORED_EVENT_COLUMNS;

function toStored(row: Row): StoredEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    schemaVersion: row.schema_version,
    occurredAt: row.occurred_at,
    occurredAtMs: row.occurred_at_ms,
    data: JSON.parse(row.data) as unknown,
    position: row.position,
    streamId: row.stream_id,
    streamRevision: row.stream_revision,
    recordedAt: row.recorded_at,
    hash: row.hash,
  };
}

/** A row of COLUMNS as an array, in COLUMNS' order. */
type RawRow = [
  position: number,
  id: string,
  type: string,
  schemaVersion: number,
  occurredAt: string,
  occurredAtMs: number,
  data: string,
  streamId: string,
  streamRevision: number,
  recordedAt: string,
  hash: string | null,
];

function rawToStored(row: RawRow): StoredEvent {
  const [position, id, type, schemaVersion, occurredAt, occurredAtMs, data, streamId, streamRevision, recordedAt, hash] = row;
  return {
    id,
    type: type as EventType,
    schemaVersion,
    occurredAt,
    occurredAtMs,
    data: JSON.parse(data) as unknown,
    position,
    streamId,
    streamRevision,
    recordedAt,
    hash,
  };
}

export class SqliteEventStore implements EventStore {
  readonly kind = "sqlite";
  readonly storeId: string;
  private readonly db: Database.Database;
  private readonly stmt;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly subscriptions = new PollingSubscriptions(
    (after, limit) => this.readForward(after, limit),
    () => this.head(),
  );
  /** Every stream's tail: `streams` and the events past what it holds (streamTails.ts). */
  private readonly tails: StreamTails;
  private readonly readTail: (streamId: string) => StreamTail;
  /** The last committed event's position and hash, as this appender left it; null: read it again. */
  private lastLink: LogHead | null = null;

  constructor(file: string, tailsWriteEvents?: number) {
    this.db = new Database(file);
    try {
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = FULL");
      this.db.pragma(`busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`);
      this.db.exec(SCHEMA);
      this.makeStreamsWholeIfNeeded();
      this.chainIfNeeded();
      this.db.prepare("INSERT INTO store_meta (key, value) VALUES ('store_id', ?) ON CONFLICT DO NOTHING").run(randomUUID());
      this.storeId = this.db.prepare<[], string>("SELECT value FROM store_meta WHERE key = 'store_id'").pluck().get()!;
      this.db.pragma(`busy_timeout = ${APPEND_BUSY_TIMEOUT_MS}`);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.stmt = {
      head: this.db.prepare<[], { head: number | null }>("SELECT max(position) AS head FROM events"),
      insert: this.db.prepare<[number, string, string, number, string, number, string, string, number, string, number | null, string]>(
        `INSERT INTO events (position, id, type, schema_version, occurred_at, occurred_at_ms, data, content, stream_id, stream_revision, recorded_at, prev_position, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      ),
      hashAt: this.db.prepare<[number], string | null>("SELECT hash FROM events WHERE position = ?").pluck(),
      recordedAt: this.db.prepare<[number], string>("SELECT recorded_at FROM events WHERE position = ?").pluck(),
      // One range of the UNIQUE index on id (BINARY: code points), filtered by the whole prefix ignoring case.
      idsFrom: this.db.prepare<[string, string, string, string, number, number], { id: string; position: number; type: string }>(
        "SELECT id, position, type FROM events WHERE id >= ? AND id < ? AND lower(id) >= ? AND lower(id) < ? AND position <= ? ORDER BY id LIMIT ?",
      ),
      byId: this.db.prepare<[string], { position: number; type: string; schema_version: number; occurred_at_ms: number; data: string }>(
        "SELECT position, type, schema_version, occurred_at_ms, data FROM events WHERE id = ?",
      ),
      one: this.db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM events WHERE id = ?`),
      // Rows as arrays (raw): the fold reads every event, and better-sqlite3 builds an array faster than an object per row.
      forward: this.db
        .prepare<[number, number], RawRow>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`)
        .raw(true),
      link: this.db.prepare<[number], Row & { prev_position: number | null }>(
        `SELECT ${COLUMNS}, prev_position FROM events WHERE position = ?`,
      ),
      begin: this.db.prepare("BEGIN IMMEDIATE"),
      commit: this.db.prepare("COMMIT"),
      rollback: this.db.prepare("ROLLBACK"),
      savepoint: this.db.prepare("SAVEPOINT batch"),
      release: this.db.prepare("RELEASE batch"),
      rollbackTo: this.db.prepare("ROLLBACK TO batch"),
    };
    this.tails = new StreamTails(this.db, tailsWriteEvents);
    // One read transaction: the head and the events past `streams` as of one commit.
    this.readTail = this.db.transaction((streamId: string) => {
      this.tails.sync(this.headNow());
      return this.tails.get(streamId);
    });
  }

  /**
   * SPEC §13: a store written before the hash chain gains it once, on open: every row from the
   * first without a hash on, in position order, under the write lock (a second process opening the
   * file meanwhile waits and finds it done). Whether it is needed is read off the last row alone
   * (UNCHAINED_AT_END).
   */
  private chainIfNeeded(): void {
    const hasColumn = () => this.db.prepare<[], string>("SELECT name FROM pragma_table_info('events')").pluck().all().includes("hash");
    const firstUnchained = () => this.db.prepare<[], number | null>("SELECT min(position) FROM events WHERE hash IS NULL").pluck().get();
    if (hasColumn() && this.db.prepare<[], number>(UNCHAINED_AT_END).pluck().get() !== 1) return;
    this.db.exec("BEGIN IMMEDIATE");
    try {
      if (!hasColumn()) this.db.exec("ALTER TABLE events ADD COLUMN hash TEXT");
      const first = firstUnchained();
      if (first !== null && first !== undefined) {
        let prev =
          first === 1
            ? GENESIS_HASH
            : this.db
                .prepare<[number], string | null>("SELECT hash FROM events WHERE position = ?")
                .pluck()
                .get(first - 1);
        if (prev === null || prev === undefined)
          throw new Error(`event store: position ${first - 1} has no hash to chain position ${first} to`);
        const rows = this.db.prepare<[number, number], Row>(`SELECT ${COLUMNS} FROM events WHERE position >= ? ORDER BY position LIMIT ?`);
        const update = this.db.prepare<[string, number]>("UPDATE events SET hash = ? WHERE position = ?");
        for (let from = first; ;) {
          const page = rows.all(from, READ_PAGE_MAX);
          if (page.length === 0) break;
          for (const row of page) {
            prev = chainHash(prev, row.position, {
              id: row.id,
              type: row.type as EventType,
              schemaVersion: row.schema_version,
              occurredAt: row.occurred_at,
              data: JSON.parse(row.data),
            });
            update.run(prev, row.position);
          }
          from = page[page.length - 1]!.position + 1;
        }
      }
      this.db.exec("COMMIT");
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  private makeStreamsWholeIfNeeded(): void {
    const formatOne = this.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'events_stream'").pluck();
    const tailsPastHead = this.db
      .prepare<[], number>("SELECT (SELECT coalesce(max(last_position), 0) FROM streams) > (SELECT coalesce(max(position), 0) FROM events)")
      .pluck();
    // Missing (undefined): a format-2 file, whose `streams` every commit kept whole. Past the head
    // (above 0): cut back by hand.
    const throughPastHead = this.db
      .prepare<[], number | null>(
        `SELECT CAST(value AS INTEGER) - (SELECT coalesce(max(position), 0) FROM events) FROM store_meta WHERE key = '${STREAMS_THROUGH_KEY}'`,
      )
      .pluck();
    const remake = () => formatOne.get() !== undefined || tailsPastHead.get() === 1 || (throughPastHead.get() ?? 0) > 0;
    const needed = () => remake() || throughPastHead.get() === undefined;
    if (!needed()) return;
    this.db.exec("BEGIN IMMEDIATE");
    try {
      if (remake()) {
        const columns = this.db.prepare<[], string>("SELECT name FROM pragma_table_info('events')").pluck().all();
        if (!columns.includes("prev_position")) this.db.exec("ALTER TABLE events ADD COLUMN prev_position INTEGER");
        this.db.exec(MAKE_STREAMS_WHOLE);
      } else if (throughPastHead.get() === undefined) {
        this.db.exec(STREAMS_WHOLE_TO_HEAD);
      }
      this.db.exec("COMMIT");
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  append(events: readonly LedgerEvent[], options?: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error("event store is closed"));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ events, options, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every queued batch (up to GROUP_EVENTS_MAX events) in one transaction. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    let count = 0;
    let take = 0;
    while (take < this.queue.length && (take === 0 || count + this.queue[take]!.events.length <= GROUP_EVENTS_MAX)) {
      count += this.queue[take]!.events.length;
      take += 1;
    }
    const group = this.queue.splice(0, take);
    if (this.queue.length > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }

    const settled: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    try {
      this.stmt.begin.run();
      let head = this.headNow();
      // Under the write lock: whatever another connection committed since our last look is read.
      this.tails.sync(head);
      const recordedAt = this.commitTime(head);
      // The chain's last link, carried from commit to commit: positions only grow, so a link at the
      // head is the head's (another connection's commits moved the head).
      if (this.lastLink?.position !== head) this.lastLink = { position: head, hash: this.hashOf(head) };
      for (const pending of group) {
        this.stmt.savepoint.run();
        const staged = new Map<string, StreamTail>();
        try {
          const { result, link } = this.appendOne(pending, this.lastLink, recordedAt, staged);
          this.stmt.release.run();
          head = result.lastPosition;
          this.lastLink = link;
          // Known before COMMIT: should the commit fail, the catch below forgets it.
          this.tails.moved(staged, head);
          settled.push({ ok: true, result });
        } catch (error) {
          this.stmt.rollbackTo.run();
          this.stmt.release.run();
          settled.push({ ok: false, error });
        }
      }
      this.tails.writeIfDue(head);
      this.stmt.commit.run();
      // lastPosition is the head once the whole group is committed (port: "head after the append").
      for (const s of settled) if (s.ok) s.result.lastPosition = head;
    } catch (error) {
      this.tails.reset();
      this.lastLink = null;
      if (this.db.inTransaction) this.stmt.rollback.run();
      for (const pending of group) pending.reject(error);
      return;
    }
    group.forEach((pending, i) => {
      const s = settled[i]!;
      if (s.ok) pending.resolve(s.result);
      else pending.reject(s.error);
    });
  }

  /**
   * Leaves `streams` whole (on close, whichever connection closes first): an older release, which
   * trusts it, can then open the file, and the next open reads no events to know the tails. Best
   * effort: should another connection hold the write lock past the busy timeout, or the file be
   * read-only, the tails stay in the events, where the next open finds them.
   */
  private writeTails(): void {
    if (this.tails.storedThrough() >= this.headNow()) return;
    try {
      this.stmt.begin.run();
      const head = this.headNow();
      this.tails.sync(head);
      this.tails.write(head);
      this.stmt.commit.run();
    } catch {
      if (this.db.inTransaction) this.stmt.rollback.run();
    }
  }

  /** Now, under the write lock; never before the head's recordedAt, so recordedAt stays monotone in position (positionAt.ts). */
  private commitTime(head: number): string {
    const now = new Date().toISOString();
    const previous = head === 0 ? undefined : this.stmt.recordedAt.get(head);
    return previous !== undefined && previous > now ? previous : now;
  }

  /** One batch inside its savepoint, chained after `linkBefore`; throws to refuse it. `staged` collects the tails it moved. */
  private appendOne(
    pending: Pending,
    linkBefore: LogHead,
    recordedAt: string,
    staged: Map<string, StreamTail>,
  ): { result: AppendResult; link: LogHead } {
    const headBefore = linkBefore.position;
    let link = linkBefore;
    const tailOf = (stream: string): StreamTail => staged.get(stream) ?? this.tails.get(stream);
    const expectedRevisions = pending.options?.expectedRevisions;
    if (expectedRevisions) {
      for (const [stream, expected] of Object.entries(expectedRevisions)) {
        const actual = tailOf(stream).revision;
        if (actual !== expected) throw new WrongExpectedRevisionError(stream, expected, actual);
      }
    }
    const insert = this.stmt.insert;
    const events = pending.events;
    let head = headBefore;
    let duplicates = 0;
    const outcomes: AppendOutcome[] = [];
    for (let index = 0; index < events.length; index += 1) {
      const event = events[index]!;
      // Stored as its RFC 8785 text: valid JSON, and the very text the hash chain hashes (one serialisation, not two).
      const data = canonicalJson(event.data);
      const streamId = streamIdOf(event.type, event.data);
      const tail = tailOf(streamId);
      const revision = tail.revision + 1;
      const position = head + 1;
      const prevPosition = tail.revision < 0 ? null : tail.lastPosition;
      const hash = chainHash(link.hash, position, event, data); // computed before the insert knows it is new: a duplicate discards it
      const { changes } = insert.run(
        position,
        event.id,
        event.type,
        event.schemaVersion,
        event.occurredAt,
        event.occurredAtMs,
        data,
        streamId,
        revision,
        recordedAt,
        prevPosition,
        hash,
      );
      if (changes === 1) {
        head = position;
        link = { position, hash };
        staged.set(streamId, { revision, lastPosition: position });
        outcomes.push({ id: event.id, position, duplicate: false });
        continue;
      }
      // The id is taken: stored earlier, or earlier in this very batch (same lookup either way).
      // Compare canonical contents, both taken through the stored JSON text.
      const existing = this.stmt.byId.get(event.id)!;
      const stored = storedCanonicalContent(existing.type, existing.schema_version, existing.occurred_at_ms, existing.data);
      if (stored !== storedCanonicalContent(event.type, event.schemaVersion, event.occurredAtMs, data)) {
        // A position past headBefore was taken by this batch: outcomes hold one entry per event in
        // batch order, so the first copy's index is where its outcome is (a rare path: no index kept).
        const earlierIndex =
          existing.position > headBefore ? outcomes.findIndex((o) => !o.duplicate && o.position === existing.position) : null;
        throw new ConflictError(event.id, index, earlierIndex);
      }
      duplicates += 1;
      outcomes.push({ id: event.id, position: existing.position, duplicate: true });
    }
    return { result: { appended: head - headBefore, duplicates, lastPosition: head, outcomes }, link };
  }

  /**
   * The stored hash at `position` (64 zeros at 0). A row without one was appended after this file
   * gained its chain by a release that keeps none: chaining on from it would hash a wrong link, so
   * the append is refused (reopening the store chains what is missing).
   */
  private hashOf(position: number): string {
    if (position === 0) return GENESIS_HASH;
    const hash = this.stmt.hashAt.get(position);
    if (hash === null || hash === undefined) {
      throw new Error(
        `event store: position ${position} has no hash (appended by a release without the hash chain?); reopen the store to chain it`,
      );
    }
    return hash;
  }

  /** The position of the last committed event (0 when empty). */
  private headNow(): number {
    return this.stmt.head.get()?.head ?? 0;
  }

  /** SPEC §13: the position and hash of the latest event (0 and 64 zeros when empty). */
  async logHead(): Promise<LogHead> {
    const head = this.headNow();
    return { position: head, hash: this.hashOf(head) };
  }

  async readForward(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    checkReadLimit(limit);
    return this.stmt.forward.all(afterPosition, limit).map(rawToStored);
  }

  /** Walks the stream's links back from its tail to `afterRevision` (streams read are short: see the header). */
  async readStream(streamId: string, afterRevision: number, limit: number): Promise<StoredEvent[]> {
    checkReadLimit(limit);
    const tail = this.readTail(streamId);
    if (tail.revision <= afterRevision) return [];
    const newestFirst: Row[] = [];
    // Each step back is exactly one revision lower, and only revision 0 has no link.
    let position: number | null = tail.lastPosition;
    for (let revision = tail.revision; revision > afterRevision; revision -= 1) {
      const row: (Row & { prev_position: number | null }) | undefined = position === null ? undefined : this.stmt.link.get(position);
      if (row === undefined || row.stream_id !== streamId || row.stream_revision !== revision) {
        throw new Error(
          `stream ${streamId}: revision ${revision} is not where its links lead (position ${position}): the store is damaged`,
        );
      }
      newestFirst.push(row);
      position = row.prev_position;
    }
    // Revisions afterRevision+1 … afterRevision+limit: the oldest `limit` of those walked.
    const page = newestFirst.slice(Math.max(0, newestFirst.length - limit)).reverse();
    return page.map(toStored);
  }

  async readById(id: string): Promise<StoredEvent | null> {
    const row = this.stmt.one.get(id);
    return row === undefined ? null : toStored(row);
  }

  async head(): Promise<number> {
    return this.headNow();
  }

  async positionAt(instantMs: number, upTo: number): Promise<PositionAt> {
    const last = Math.min(upTo, this.headNow());
    return lastPositionRecordedBy(last, instantMs, async (position) => {
      const recordedAt = this.stmt.recordedAt.get(position);
      if (recordedAt === undefined) throw new Error(`event store: no event at position ${position} (the store is damaged)`);
      return recordedAt;
    });
  }

  async idsStartingWith(prefix: string, upTo: number, limit: number): Promise<IdHit[]> {
    checkIdSearch(prefix, upTo, limit);
    const { from, to } = idPrefixRange(prefix);
    const hits: IdHit[] = [];
    // Each variant's range holds ids starting with it in that case; `{` (0x7b) is above every id character.
    for (const variant of caseVariants(prefix)) {
      for (const r of this.stmt.idsFrom.all(variant, `${variant}{`, from, to, upTo, Math.max(limit, ID_SEARCH_RANGE_ROWS_MAX))) {
        hits.push({ id: r.id, position: r.position, type: r.type as EventType });
      }
    }
    // The order every store answers in: by the lower-cased id (code points), then position.
    const key = (hit: IdHit) => hit.id.toLowerCase(); // ASCII ids: code units are code points
    return hits.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.position - b.position)).slice(0, limit);
  }

  subscribe(afterPosition: number, handler: (events: StoredEvent[]) => Promise<void>, options?: SubscribeOptions): Subscription {
    return this.subscriptions.subscribe(afterPosition, handler, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.stopAll();
    // Whatever is queued was promised an answer: commit it before closing.
    while (this.queue.length > 0) this.flush();
    this.writeTails();
    this.db.close();
  }
}

/**
 * The store is the ledger's only source of truth: unlike the read models it is never rebuilt, so a
 * file that cannot be opened (damaged, not a database, not writable) refuses to start, named, with
 * the remedy its cause calls for: fixing permissions, or — for damage only — restoring a backup.
 */
export async function openSqliteEventStore(options: { file: string; tailsWriteEvents?: number }): Promise<SqliteEventStore> {
  try {
    return new SqliteEventStore(options.file, options.tailsWriteEvents);
  } catch (error) {
    const permissions = permissionProblem(options.file, error);
    const remedy =
      permissions !== null
        ? ` — ${permissions}`
        : hasDamageCode(error)
          ? " (the store is the source of truth and is never rebuilt: restore it from a backup)"
          : "";
    throw new Error(`event store ${options.file}: ${asError(error).message}${remedy}`);
  }
}
