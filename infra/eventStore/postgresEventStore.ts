// PostgreSQL event store. Same contract as SQLite (port.ts); one transaction per append call.
//
// Gap-free positions in commit order under concurrent writers. A SEQUENCE is not enough: it hands
// out numbers outside the transaction, so a reader can see 11 committed while 10 is still in
// flight (it would skip 10 forever), and a rollback burns numbers (gaps). Instead every append
// locks the one-row `head` table first (SELECT ... FOR UPDATE) and writes head + n before commit.
// The row lock serializes writers until commit, and PostgreSQL makes a transaction visible before
// it releases its locks, so when position p is visible every position < p is too. Cost: appends
// are serialized (one WAL flush each); batches amortize it.
//
// recorded_at is the database's clock read under that lock (clock_timestamp(), to the millisecond
// as the API shows it), never before the previous event's: so it never decreases with position,
// whichever host appends, and GET /v1/log/position can binary-search it (positionAt.ts).
// Issue 27: `events_id_lower` indexes lower(id) in code-point order (COLLATE "C", whatever the
// database's locale) for GET /v1/search.
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { LedgerEvent, StoredEvent } from "../../domain/events/envelope.ts";
import type { EventType } from "../../domain/events/schemas.ts";
import { streamIdOf } from "../../domain/events/streams.ts";
import { contentHash } from "./contentHash.ts";
import { chainHash, GENESIS_HASH, type LogHead } from "./hashChain.ts";
import { PollingSubscriptions } from "./pollingSubscription.ts";
import { lastPositionRecordedBy, type PositionAt } from "./positionAt.ts";
import { checkIdSearch, checkReadLimit, ConflictError, idPrefixRange, READ_PAGE_MAX, WrongExpectedRevisionError } from "./port.ts";
import { STORED_EVENT_COLUMNS } from "./sqlColumns.ts";
import type { AppendOptions, AppendOutcome, AppendResult, EventStore, IdHit, SubscribeOptions, Subscription } from "./port.ts";

export const PG_POOL_MAX = 10;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** Schema holding the tables (created if missing); default "ledger". */
  schema?: string;
}

interface Row {
  position: string;
  id: string;
  type: string;
  schema_version: number;
  occurred_at: string;
  occurred_at_ms: string;
  data: unknown;
  stream_id: string;
  stream_revision: number;
  recorded_at: Date;
  hash: string | null;
}

const COLUMNS = STORED_EVENT_COLUMNS;

/**
 * One commit time for the whole batch (an uncorrelated sub-select runs once): the database's clock
 * now, under the head's lock, to the millisecond, and never before the recordedAt of the head the
 * batch starts from ($11). See the header.
 */
const COMMIT_TIME_OF = (s: string) =>
  `SELECT greatest(date_trunc('milliseconds', clock_timestamp()), coalesce((SELECT recorded_at FROM ${s}.events WHERE position = $11::bigint), '-infinity'::timestamptz))`;

function toStored(row: Row): StoredEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    schemaVersion: row.schema_version,
    occurredAt: row.occurred_at,
    occurredAtMs: Number(row.occurred_at_ms),
    data: row.data,
    position: Number(row.position),
    streamId: row.stream_id,
    streamRevision: row.stream_revision,
    recordedAt: row.recorded_at.toISOString(),
    hash: row.hash,
  };
}

/**
 * True when every table, column and index of this release is there. Opening a store that is current
 * then runs no DDL: `ALTER TABLE … ADD COLUMN IF NOT EXISTS` and `CREATE INDEX IF NOT EXISTS` take
 * their table's lock before they find there is nothing to do, so every process start stalled the
 * appends of the processes already running, and could deadlock with one in flight (seen in the crash
 * suite: a killed appender's transaction holding the head's row while the reopen's DDL held `events`).
 * The index is made last, in the same transaction as the rest (createOrUpgradeSchema).
 */
async function schemaIsCurrent(pool: pg.Pool, s: string): Promise<boolean> {
  const { rows } = await pool.query<{ current: boolean }>(
    `SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL
       AND (SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass($3) AND attname = 'hash' AND NOT attisdropped) = 1
       AND (SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass($4) AND attname = 'hash' AND NOT attisdropped) = 1 AS current`,
    [`${s}.events_id_lower`, `${s}.store_meta`, `${s}.events`, `${s}.head`],
  );
  return rows[0]!.current;
}

/** Creates the schema, or brings an older one up to this release's (one transaction: all or nothing). */
async function createOrUpgradeSchema(pool: pg.Pool, s: string): Promise<void> {
  await pool.query(`
    CREATE SCHEMA IF NOT EXISTS ${s};
    CREATE TABLE IF NOT EXISTS ${s}.events (
      position        bigint      PRIMARY KEY,
      id              text        NOT NULL UNIQUE,
      type            text        NOT NULL,
      schema_version  integer     NOT NULL,
      occurred_at     text        NOT NULL,
      occurred_at_ms  bigint      NOT NULL,
      data            jsonb       NOT NULL,
      content         text        NOT NULL,
      stream_id       text        NOT NULL,
      stream_revision integer     NOT NULL,
      recorded_at     timestamptz NOT NULL
    );
    CREATE UNIQUE INDEX IF NOT EXISTS events_stream ON ${s}.events (stream_id, stream_revision);
    CREATE TABLE IF NOT EXISTS ${s}.head (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      position  bigint  NOT NULL
    );
    INSERT INTO ${s}.head (position) VALUES (0) ON CONFLICT DO NOTHING;
    CREATE TABLE IF NOT EXISTS ${s}.store_meta (key text PRIMARY KEY, value text NOT NULL);
    -- SPEC §13: each event's link in the hash chain, and the head's (carried by every append).
    ALTER TABLE ${s}.events ADD COLUMN IF NOT EXISTS hash text;
    ALTER TABLE ${s}.head ADD COLUMN IF NOT EXISTS hash text;
    CREATE INDEX IF NOT EXISTS events_id_lower ON ${s}.events ((lower(id) COLLATE "C"), position);
  `);
}

/**
 * SPEC §13: a store written before the hash chain gains it once, on open: every event from the
 * first without a hash on, in position order, with the head's row locked (appends wait), then the
 * head's hash. Idempotent: a second process opening meanwhile finds nothing left to chain.
 */
async function chainIfNeeded(pool: pg.Pool, s: string): Promise<void> {
  // Read off the head and its event alone, as the SQLite store reads its last row (UNCHAINED_AT_END
  // there): an append refuses to go on after an event without a hash, so a store that needs the
  // chain has none at its head. (Looking for any event without a hash read every row on each open.)
  const head = await pool.query<{ position: string; hash: string | null; event_unchained: boolean }>(
    `SELECT h.position, h.hash, (e.position IS NOT NULL AND e.hash IS NULL) AS event_unchained
       FROM ${s}.head h LEFT JOIN ${s}.events e ON e.position = h.position`,
  );
  const { position, hash, event_unchained } = head.rows[0]!;
  if (Number(position) === 0 || (hash !== null && !event_unchained)) return;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const locked = await client.query<{ position: string }>(`SELECT position FROM ${s}.head FOR UPDATE`);
    const first = await client.query<{ position: string | null }>(`SELECT min(position) AS position FROM ${s}.events WHERE hash IS NULL`);
    let link = GENESIS_HASH;
    let from = first.rows[0]!.position === null ? Number(locked.rows[0]!.position) + 1 : Number(first.rows[0]!.position);
    if (from > 1) {
      const before = await client.query<{ hash: string | null }>(`SELECT hash FROM ${s}.events WHERE position = $1`, [from - 1]);
      if (!before.rows[0]?.hash) throw new Error(`event store: position ${from - 1} has no hash to chain position ${from} to`);
      link = before.rows[0].hash;
    }
    for (;;) {
      const { rows } = await client.query<Row>(`SELECT ${COLUMNS} FROM ${s}.events WHERE position >= $1 ORDER BY position LIMIT $2`, [
        from,
        READ_PAGE_MAX,
      ]);
      if (rows.length === 0) break;
      const positions: number[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        link = chainHash(link, Number(row.position), {
          id: row.id,
          type: row.type as EventType,
          schemaVersion: row.schema_version,
          occurredAt: row.occurred_at,
          data: row.data,
        });
        positions.push(Number(row.position));
        hashes.push(link);
      }
      await client.query(`UPDATE ${s}.events e SET hash = x.h FROM unnest($1::bigint[], $2::text[]) AS x(p, h) WHERE e.position = x.p`, [
        positions,
        hashes,
      ]);
      from = positions[positions.length - 1]! + 1;
    }
    await client.query(`UPDATE ${s}.head SET hash = $1`, [link]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export class PostgresEventStore implements EventStore {
  readonly kind = "postgres";
  private readonly subscriptions = new PollingSubscriptions(
    (after, limit) => this.readForward(after, limit),
    () => this.head(),
  );
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
    readonly storeId: string,
  ) {}

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? "ledger";
    if (!SCHEMA_NAME.test(schema)) throw new Error(`schema must match ${SCHEMA_NAME}, got '${schema}'`);
    const pool = new pg.Pool({ connectionString: options.connectionString, max: PG_POOL_MAX });
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on("error", () => {});
    const s = `"${schema}"`;
    try {
      if (!(await schemaIsCurrent(pool, s))) await createOrUpgradeSchema(pool, s);
      await chainIfNeeded(pool, s);
      await pool.query(`INSERT INTO ${s}.store_meta (key, value) VALUES ('store_id', $1) ON CONFLICT DO NOTHING`, [randomUUID()]);
      const id = await pool.query<{ value: string }>(`SELECT value FROM ${s}.store_meta WHERE key = 'store_id'`);
      return new PostgresEventStore(pool, s, id.rows[0]!.value);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async append(events: readonly LedgerEvent[], options?: AppendOptions): Promise<AppendResult> {
    if (this.closed) throw new Error("event store is closed");
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await this.appendIn(client, events, options);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async appendIn(client: pg.PoolClient, events: readonly LedgerEvent[], options?: AppendOptions): Promise<AppendResult> {
    const s = this.s;
    // From here until COMMIT this transaction is the only writer (see the header comment).
    const locked = await client.query<{ position: string; hash: string | null }>(`SELECT position, hash FROM ${s}.head FOR UPDATE`);
    const headBefore = Number(locked.rows[0]!.position);
    let link = locked.rows[0]!.hash ?? (headBefore === 0 ? GENESIS_HASH : null);
    if (link === null) throw new Error(`event store: the head (position ${headBefore}) has no hash; reopen the store to chain it`);

    const ids = events.map((e) => e.id);
    const known = await client.query<{ id: string; position: string; content: string }>(
      `SELECT id, position, content FROM ${s}.events WHERE id = ANY($1::text[])`,
      [ids],
    );
    // Stored events, then this batch's first copies (batchIndex: where in the batch, for a conflict's message).
    const stored = new Map<string, { position: number; content: string; batchIndex?: number }>(
      known.rows.map((r) => [r.id, { position: Number(r.position), content: r.content }]),
    );

    const prepared = events.map((event) => ({ event, content: contentHash(event), streamId: streamIdOf(event.type, event.data) }));
    const expected = options?.expectedRevisions ?? {};
    const streams = [...new Set([...prepared.map((p) => p.streamId), ...Object.keys(expected)])];
    // One backward probe of the stream index per stream (its last entry), not every entry of each
    // stream as max() … GROUP BY read, whose cost grows with the streams' length (docs/scaling.md).
    const revs = await client.query<{ stream_id: string; rev: number | null }>(
      `SELECT w.stream_id, (SELECT e.stream_revision FROM ${s}.events e WHERE e.stream_id = w.stream_id ORDER BY e.stream_revision DESC LIMIT 1) AS rev
       FROM unnest($1::text[]) AS w(stream_id)`,
      [streams],
    );
    const revisions = new Map(revs.rows.flatMap((r) => (r.rev === null ? [] : [[r.stream_id, r.rev] as const])));
    for (const [stream, want] of Object.entries(expected)) {
      const actual = revisions.get(stream) ?? -1;
      if (actual !== want) throw new WrongExpectedRevisionError(stream, want, actual);
    }

    const rows = {
      position: [] as number[],
      id: [] as string[],
      type: [] as string[],
      version: [] as number[],
      occurredAt: [] as string[],
      occurredAtMs: [] as number[],
      data: [] as string[],
      content: [] as string[],
      streamId: [] as string[],
      revision: [] as number[],
      hash: [] as string[],
    };
    let head = headBefore;
    let duplicates = 0;
    const outcomes: AppendOutcome[] = [];
    prepared.forEach(({ event, content, streamId }, index) => {
      const existing = stored.get(event.id);
      if (existing) {
        if (existing.content !== content) throw new ConflictError(event.id, index, existing.batchIndex ?? null);
        duplicates += 1;
        outcomes.push({ id: event.id, position: existing.position, duplicate: true });
        return;
      }
      head += 1;
      const revision = (revisions.get(streamId) ?? -1) + 1;
      revisions.set(streamId, revision);
      // A later copy of the same id in this batch is then a duplicate of this one.
      stored.set(event.id, { position: head, content, batchIndex: index });
      outcomes.push({ id: event.id, position: head, duplicate: false });
      rows.position.push(head);
      rows.id.push(event.id);
      rows.type.push(event.type);
      rows.version.push(event.schemaVersion);
      rows.occurredAt.push(event.occurredAt);
      rows.occurredAtMs.push(event.occurredAtMs);
      rows.data.push(JSON.stringify(event.data));
      rows.content.push(content);
      rows.streamId.push(streamId);
      rows.revision.push(revision);
      link = chainHash(link!, head, event);
      rows.hash.push(link);
    });

    if (head > headBefore) {
      // One statement for the whole batch: unnest turns parallel arrays into rows.
      await client.query(
        `INSERT INTO ${s}.events (position, id, type, schema_version, occurred_at, occurred_at_ms, data, content, stream_id, stream_revision, recorded_at, hash)
         SELECT p, i, t, v, o, om, d::jsonb, c, si, sr, (${COMMIT_TIME_OF(s)}), h
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::int[], $12::text[])
           AS x(p, i, t, v, o, om, d, c, si, sr, h)`,
        [
          rows.position,
          rows.id,
          rows.type,
          rows.version,
          rows.occurredAt,
          rows.occurredAtMs,
          rows.data,
          rows.content,
          rows.streamId,
          rows.revision,
          headBefore,
          rows.hash,
        ],
      );
      await client.query(`UPDATE ${s}.head SET position = $1, hash = $2`, [head, link]);
    }
    return { appended: head - headBefore, duplicates, lastPosition: head, outcomes };
  }

  async readForward(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    checkReadLimit(limit);
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM ${this.s}.events WHERE position > $1 ORDER BY position LIMIT $2`, [
      afterPosition,
      limit,
    ]);
    return rows.map(toStored);
  }

  async readStream(streamId: string, afterRevision: number, limit: number): Promise<StoredEvent[]> {
    checkReadLimit(limit);
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM ${this.s}.events WHERE stream_id = $1 AND stream_revision > $2 ORDER BY stream_revision LIMIT $3`,
      [streamId, afterRevision, limit],
    );
    return rows.map(toStored);
  }

  async readById(id: string): Promise<StoredEvent | null> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM ${this.s}.events WHERE id = $1`, [id]);
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** SPEC §13: the position and hash of the latest event (0 and 64 zeros when empty). */
  async logHead(): Promise<LogHead> {
    const { rows } = await this.pool.query<{ position: string; hash: string | null }>(`SELECT position, hash FROM ${this.s}.head`);
    return { position: Number(rows[0]!.position), hash: rows[0]!.hash ?? GENESIS_HASH };
  }

  async head(): Promise<number> {
    const { rows } = await this.pool.query<{ position: string }>(`SELECT position FROM ${this.s}.head`);
    return Number(rows[0]!.position);
  }

  async positionAt(instantMs: number, upTo: number): Promise<PositionAt> {
    const last = Math.min(upTo, await this.head());
    return lastPositionRecordedBy(last, instantMs, async (position) => {
      const { rows } = await this.pool.query<{ recorded_at: Date }>(`SELECT recorded_at FROM ${this.s}.events WHERE position = $1`, [
        position,
      ]);
      if (!rows[0]) throw new Error(`event store: no event at position ${position} (the store is damaged)`);
      return rows[0].recorded_at.toISOString();
    });
  }

  async idsStartingWith(prefix: string, upTo: number, limit: number): Promise<IdHit[]> {
    checkIdSearch(prefix, upTo, limit);
    const { from, to } = idPrefixRange(prefix);
    // The same expression and collation as events_id_lower, so the index answers the range and the order.
    const { rows } = await this.pool.query<{ id: string; position: string; type: string }>(
      `SELECT id, position, type FROM ${this.s}.events
       WHERE lower(id) COLLATE "C" >= $1 AND lower(id) COLLATE "C" < $2 AND position <= $3
       ORDER BY lower(id) COLLATE "C", position LIMIT $4`,
      [from, to, upTo, limit],
    );
    return rows.map((r) => ({ id: r.id, position: Number(r.position), type: r.type as EventType }));
  }

  subscribe(afterPosition: number, handler: (events: StoredEvent[]) => Promise<void>, options?: SubscribeOptions): Subscription {
    return this.subscriptions.subscribe(afterPosition, handler, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.stopAll();
    await this.pool.end();
  }
}

export function openPostgresEventStore(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  return PostgresEventStore.open(options);
}
