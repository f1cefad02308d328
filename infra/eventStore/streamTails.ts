// Each stream's tail (its last revision and position) for the SQLite event store, format 3.
//
// The `streams` table holds every stream's tail as of one position, `streams_through` in
// store_meta; the tails the events after it moved are known only from those events (each row keeps
// its stream_id and stream_revision), and a connection that needs them reads them from there
// (`sync`): at most TAILS_WRITE_EVENTS events and one group commit past that position, since an
// appender writes its tails back whenever it is that far ahead (`writeIfDue`), and a connection that
// closes writes what is past it (SqliteEventStore.close).
//
// Why not upsert the tails in every commit, as format 2 did: a batch's events fall in hundreds of
// streams spread over the table (clicks over thousands of tracking streams, every shipment a stream
// of its own), so every commit dirtied hundreds of its pages, each written to the WAL; upserting the
// tails of 20,000 events at once dirties each page once for all of them. Measured at 1M events:
// README, Benchmark (issue 28, the stream tails).
//
// Correctness rests on two facts: the events are the truth (a tail is the last event of its stream),
// and positions are given out once, max + 1 under the write lock, so a connection that finds the head
// where it last saw it knows every event up to it, and one that finds it further reads the events in
// between. (A release before format 3 appending meanwhile leaves `streams_through` where it was: the
// next connection then reads every event that release appended, more than the bound above.)
import type Database from "better-sqlite3";

/** An appender writes its tails to `streams` once it is this many events past `streams_through`. */
export const TAILS_WRITE_EVENTS = 20_000;

/** Rows of `streams` kept in memory at most (oldest forgotten first; a miss costs one seek). */
const ROW_CACHE_MAX = 65_536;

/** A stream's last event; revision -1 (and position 0): no such stream. */
export interface StreamTail {
  revision: number;
  lastPosition: number;
}

const NO_STREAM: StreamTail = { revision: -1, lastPosition: 0 };

/** store_meta's key for the position `streams` is whole up to. */
export const STREAMS_THROUGH_KEY = "streams_through";

export class StreamTails {
  /** Tails moved by the events in (through, seenHead], every one of them; emptied when written to `streams`. */
  private readonly recent = new Map<string, StreamTail>();
  /** Rows of `streams` as this connection read or wrote them (valid for every stream not in `recent`). */
  private readonly rows = new Map<string, StreamTail>();
  /** `streams` is whole up to here, as this connection last read or wrote it; events after it are in `recent`. */
  private through = 0;
  /** `recent` holds every event up to here; -1: nothing known (sync reads it all again). */
  private seenHead = -1;
  private readonly stmt;

  /** @param writeEvents how far past `streams_through` an appender goes before writing its tails (tests make it small). */
  constructor(
    db: Database.Database,
    private readonly writeEvents = TAILS_WRITE_EVENTS,
  ) {
    if (!Number.isSafeInteger(writeEvents) || writeEvents < 1)
      throw new Error(`tailsWriteEvents must be a positive integer, got ${writeEvents}`);
    this.stmt = {
      through: db.prepare<[], string | undefined>(`SELECT value FROM store_meta WHERE key = '${STREAMS_THROUGH_KEY}'`).pluck(),
      setThrough: db.prepare<[string]>(`UPDATE store_meta SET value = ? WHERE key = '${STREAMS_THROUGH_KEY}'`),
      row: db.prepare<[string], { revision: number; last_position: number }>(
        "SELECT revision, last_position FROM streams WHERE stream_id = ?",
      ),
      // Moves a tail forward only: a row already at this revision was written by another connection.
      write: db.prepare<[string, number, number]>(
        `INSERT INTO streams (stream_id, revision, last_position) VALUES (?, ?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_position = excluded.last_position
         WHERE streams.revision <= excluded.revision`,
      ),
      after: db
        .prepare<[number], [streamId: string, revision: number, position: number]>(
          "SELECT stream_id, stream_revision, position FROM events WHERE position > ? ORDER BY position",
        )
        .raw(true),
    };
  }

  /**
   * Brings what this connection knows up to `head`; inside a transaction (the write lock for an
   * append), so that `head` and the rows agree.
   */
  sync(head: number): void {
    if (this.seenHead === head) return;
    const storedThrough = this.storedThrough();
    if (!Number.isSafeInteger(storedThrough) || storedThrough < 0 || storedThrough > head) {
      throw new Error(
        `event store: streams_through is ${storedThrough} with the head at ${head}; reopen the store to make its streams whole`,
      );
    }
    // Nothing known, or a head behind what was seen (cut back by hand): start from `streams`. Also when
    // another connection wrote its tails past what this one saw: not needed to be right (the events
    // would say the same), but fewer events to read and `recent` no larger than what is not written.
    if (this.seenHead < 0 || head < this.seenHead || storedThrough > this.seenHead) {
      this.recent.clear();
      this.rows.clear();
      this.through = storedThrough;
      this.seenHead = storedThrough;
    }
    for (const [streamId, revision, position] of this.stmt.after.iterate(this.seenHead)) {
      this.recent.set(streamId, { revision, lastPosition: position });
    }
    this.seenHead = head;
  }

  /** The committed tail of `streamId` (after `sync`). */
  get(streamId: string): StreamTail {
    const known = this.recent.get(streamId) ?? this.rows.get(streamId);
    if (known !== undefined) return known;
    const row = this.stmt.row.get(streamId);
    const tail = row === undefined ? NO_STREAM : { revision: row.revision, lastPosition: row.last_position };
    this.remember(streamId, tail);
    return tail;
  }

  /** Tails a committed (or about to be committed) batch moved, kept as they are; `head` is the last position it took. */
  moved(tails: Iterable<[string, StreamTail]>, head: number): void {
    for (const [streamId, tail] of tails) this.recent.set(streamId, tail);
    this.seenHead = head;
  }

  /** Writes the tails to `streams` when this connection is `writeEvents` past its last write; inside the append's transaction. */
  writeIfDue(head: number): void {
    if (head - this.through >= this.writeEvents) this.write(head);
  }

  /** Writes every tail moved since `through` (in key order: neighbouring keys share pages) and moves `through` to `head`. */
  write(head: number): void {
    if (this.seenHead !== head) throw new Error(`event store: tails known up to ${this.seenHead}, asked to write them up to ${head}`);
    const tails = [...this.recent].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [streamId, tail] of tails) {
      if (this.stmt.write.run(streamId, tail.revision, tail.lastPosition).changes !== 1) {
        // A row ahead of what the events up to the head say: written by something that does not
        // assign revisions from the events (a hand edit, or a bug). The commit is refused.
        throw new Error(
          `stream ${streamId}: its stored tail is past revision ${tail.revision}, which this appender believed last; nothing appended`,
        );
      }
    }
    this.stmt.setThrough.run(String(head));
    for (const [streamId, tail] of tails) this.remember(streamId, tail);
    this.recent.clear();
    this.through = head;
  }

  /** Forgets everything (a commit failed): the next sync reads it again. */
  reset(): void {
    this.recent.clear();
    this.rows.clear();
    this.seenHead = -1;
  }

  /** The position `streams` is whole up to, as stored now. */
  storedThrough(): number {
    return Number(this.stmt.through.get());
  }

  private remember(streamId: string, tail: StreamTail): void {
    const cache = this.rows;
    cache.delete(streamId);
    cache.set(streamId, tail);
    if (cache.size > ROW_CACHE_MAX) {
      // Forget the oldest eighth in one go (Map iterates in insertion order).
      let drop = ROW_CACHE_MAX >>> 3;
      for (const key of cache.keys()) {
        cache.delete(key);
        if (--drop === 0) break;
      }
    }
  }
}
