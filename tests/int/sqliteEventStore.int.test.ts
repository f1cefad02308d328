import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventStore } from "../../infra/eventStore/port.ts";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { clicks, idRange } from "../support/testEvents.ts";
import { eventStoreContract } from "./eventStoreContract.ts";

eventStoreContract("sqlite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ledger-es-"));
  const file = join(dir, "events.sqlite");
  let current: EventStore = await openSqliteEventStore({ file });
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await openSqliteEventStore({ file });
      return current;
    },
    async cleanup() {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** What `streams` holds and the position it is whole up to, read from the file by a connection of its own. */
function storedTails(file: string, streamIds?: string[]): { through: unknown; tails: unknown[] } {
  const db = new Database(file, { readonly: true });
  const through = db.prepare("SELECT value FROM store_meta WHERE key = 'streams_through'").pluck().get();
  const tails = db.prepare("SELECT stream_id, revision, last_position FROM streams ORDER BY stream_id").raw().all() as [
    string,
    ...number[],
  ][];
  db.close();
  return { through, tails: streamIds === undefined ? tails : tails.filter(([id]) => streamIds.includes(id)) };
}

/** `streams` whole after two clicks on tracking t-1 and then one on t-2 (positions 1–3). */
const TWO_STREAMS_WHOLE = {
  through: "3",
  tails: [
    ["tracking-t-1", 1, 2],
    ["tracking-t-2", 0, 3],
  ],
};

describe("sqlite event store: streams as linked tails (formats 2 and 3)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ledger-es-streams-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("pages a long stream from any revision, interleaved with other streams", async () => {
    const store = await openSqliteEventStore({ file: join(dir, "events.sqlite") });
    // 300 events of t-1 with one of t-2 after every third: t-1 revisions 0..299 at scattered positions.
    for (let k = 0; k < 100; k += 1) await store.append([...clicks(idRange(`a${k}`, 0, 3), "t-1"), ...clicks([`b${k}`], "t-2")]);
    const page = await store.readStream("tracking-t-1", 149, 100);
    expect(page.map((e) => e.streamRevision)).toEqual(Array.from({ length: 100 }, (_, i) => 150 + i));
    expect(page[0]).toMatchObject({ id: "a50-0", position: 201, streamId: "tracking-t-1" });
    expect((await store.readStream("tracking-t-1", 297, 100)).map((e) => e.id)).toEqual(["a99-1", "a99-2"]);
    expect((await store.readStream("tracking-t-2", 97, 5)).map((e) => [e.id, e.position])).toEqual([
      ["b98", 396],
      ["b99", 400],
    ]);
    await store.close();
  });

  it("keeps every stream's revisions in order when two appenders on one file take turns (each reads the other's events first)", async () => {
    // Two appenders (two connections) on one file, taking turns: each batch names streams the other
    // one made or moved since its own last append (the head moved: it reads those events' streams first),
    // streams new to both, and a stream twice; revisions must run 0, 1, 2 … in position order.
    const file = join(dir, "two.sqlite");
    const a = await openSqliteEventStore({ file });
    const b = await openSqliteEventStore({ file });
    for (let round = 0; round < 6; round += 1) {
      const writer = round % 2 === 0 ? a : b;
      // t-0..t-9 every round (existing after round 0), t-r-0..t-r-39 new this round, t-r-0 twice.
      const batch = [
        ...Array.from({ length: 10 }, (_, k) => clicks([`r${round}-old${k}`], `t-${k}`)).flat(),
        ...Array.from({ length: 40 }, (_, k) => clicks([`r${round}-new${k}`], `t-${round}-${k}`)).flat(),
        ...clicks([`r${round}-again`], `t-${round}-0`),
      ];
      const result = await writer.append(batch, round === 0 ? undefined : { expectedRevisions: { "tracking-t-3": round - 1 } });
      expect(result.appended).toBe(51);
    }
    // An expected revision the other appender has moved past is refused.
    await expect(a.append(clicks(["late"], "t-3"), { expectedRevisions: { "tracking-t-3": 4 } })).rejects.toMatchObject({
      code: "wrong_expected_revision",
      streamId: "tracking-t-3",
      expected: 4,
      actual: 5,
    });
    for (const store of [a, b]) {
      expect((await store.readStream("tracking-t-3", -1, 100)).map((e) => e.streamRevision)).toEqual([0, 1, 2, 3, 4, 5]);
      expect((await store.readStream("tracking-t-5-0", -1, 100)).map((e) => [e.id, e.streamRevision])).toEqual([
        ["r5-new0", 0],
        ["r5-again", 1],
      ]);
    }
    // 306 events, fewer than an appender goes before writing its tails: they are only in the events
    // until an appender closes, and then all of them, the other appender's included, are in `streams`.
    const tailsOf = () => storedTails(file, ["tracking-t-3", "tracking-t-5-0", "tracking-t-0-39"]);
    expect(tailsOf()).toEqual({ tails: [], through: "0" });
    await a.close();
    expect(tailsOf()).toEqual({
      tails: [
        ["tracking-t-0-39", 0, 50],
        ["tracking-t-3", 5, 5 * 51 + 4],
        ["tracking-t-5-0", 1, 6 * 51],
      ],
      through: "306",
    });
    await b.close();
  });

  it("writes the tails every tailsWriteEvents events; a reader on another connection and a reopen after a crash find the rest in the events", async () => {
    const file = join(dir, "tails.sqlite");
    const writer = await openSqliteEventStore({ file, tailsWriteEvents: 10 });
    const reader = await openSqliteEventStore({ file });
    await writer.append([...clicks(idRange("a", 0, 6), "t-1"), ...clicks(["b0"], "t-2")]); // positions 1-7: under 10, nothing written
    expect(storedTails(file)).toEqual({ through: "0", tails: [] });
    expect((await reader.readStream("tracking-t-1", 3, 10)).map((e) => [e.id, e.streamRevision])).toEqual([
      ["a-4", 4],
      ["a-5", 5],
    ]);
    await writer.append([...clicks(["b1", "b2"], "t-2"), ...clicks(["c0"], "t-3")]); // 8-10: written with this commit
    expect(storedTails(file)).toEqual({
      through: "10",
      tails: [
        ["tracking-t-1", 5, 6],
        ["tracking-t-2", 2, 9],
        ["tracking-t-3", 0, 10],
      ],
    });
    await writer.append(clicks(["a-6"], "t-1")); // 11: past `streams`, in the events only
    expect((await reader.readStream("tracking-t-1", 4, 10)).map((e) => [e.id, e.position, e.streamRevision])).toEqual([
      ["a-5", 6, 5],
      ["a-6", 11, 6],
    ]);
    // The reader appends after the writer's appends it read, and after one it did not.
    await writer.append(clicks(["c1"], "t-3")); // 12
    expect(
      (await reader.append([...clicks(["a-7"], "t-1"), ...clicks(["c2"], "t-3")], { expectedRevisions: { "tracking-t-1": 6 } })).outcomes,
    ).toEqual([
      { id: "a-7", position: 13, duplicate: false },
      { id: "c2", position: 14, duplicate: false },
    ]);
    // A crash: neither closes (nothing written since position 10); a new connection reads 11-14 from the events.
    const restarted = await openSqliteEventStore({ file });
    expect((await restarted.readStream("tracking-t-3", -1, 10)).map((e) => [e.id, e.streamRevision])).toEqual([
      ["c0", 0],
      ["c1", 1],
      ["c2", 2],
    ]);
    await expect(restarted.append(clicks(["a-8"], "t-1"), { expectedRevisions: { "tracking-t-1": 6 } })).rejects.toMatchObject({
      code: "wrong_expected_revision",
      actual: 7,
    });
    expect((await restarted.append(clicks(["a-8"], "t-1"))).outcomes).toEqual([{ id: "a-8", position: 15, duplicate: false }]);
    expect((await restarted.readStream("tracking-t-1", 6, 10)).map((e) => [e.id, e.streamRevision])).toEqual([
      ["a-7", 7],
      ["a-8", 8],
    ]);
    await restarted.close();
    expect(storedTails(file)).toEqual({
      through: "15",
      tails: [
        ["tracking-t-1", 8, 15],
        ["tracking-t-2", 2, 9],
        ["tracking-t-3", 2, 14],
      ],
    });
    await writer.close();
    await reader.close();
  });

  it("forgets what it knew when a commit fails: a tail it had moved is read again from the events", async () => {
    // The commit fails when writing the tails meets a row ahead of them (a hand edit here); meanwhile
    // another appender takes the position the failed commit had used. Had the first kept what it
    // knew, it would count t-1's refused event and give the next one revision 3.
    const file = join(dir, "failed.sqlite");
    const a = await openSqliteEventStore({ file, tailsWriteEvents: 3 });
    const b = await openSqliteEventStore({ file });
    await a.append(clicks(["x1", "x2"], "t-1"));
    const edit = new Database(file);
    edit.exec("INSERT INTO streams VALUES ('tracking-t-1', 99, 1)");
    await expect(a.append(clicks(["x3"], "t-1"))).rejects.toThrow(
      "stream tracking-t-1: its stored tail is past revision 2, which this appender believed last; nothing appended",
    );
    edit.exec("DELETE FROM streams WHERE stream_id = 'tracking-t-1'");
    edit.close();
    expect(await a.head()).toBe(2);
    expect((await b.append(clicks(["y1"], "t-2"))).outcomes).toEqual([{ id: "y1", position: 3, duplicate: false }]);
    expect((await a.append(clicks(["x3"], "t-1"), { expectedRevisions: { "tracking-t-1": 1 } })).outcomes).toEqual([
      { id: "x3", position: 4, duplicate: false },
    ]);
    expect((await a.readStream("tracking-t-1", -1, 10)).map((e) => [e.id, e.position, e.streamRevision])).toEqual([
      ["x1", 1, 0],
      ["x2", 2, 1],
      ["x3", 4, 2],
    ]);
    await a.close();
    await b.close();
  });

  it("leaves `streams` whole when any connection closes, one that only read included", async () => {
    const file = join(dir, "close.sqlite");
    const writer = await openSqliteEventStore({ file });
    await writer.append([...clicks(["k1", "k2"], "t-1"), ...clicks(["m1"], "t-2")]);
    expect(storedTails(file)).toEqual({ through: "0", tails: [] });
    const reader = await openSqliteEventStore({ file });
    await reader.close(); // the writer is still open (or crashed): the reader's close writes what the events say
    expect(storedTails(file)).toEqual(TWO_STREAMS_WHOLE);
    expect((await writer.append(clicks(["k3"], "t-1"), { expectedRevisions: { "tracking-t-1": 1 } })).outcomes).toEqual([
      { id: "k3", position: 4, duplicate: false },
    ]);
    await writer.close();
    expect(storedTails(file).through).toBe("4");
  });

  it("opens a format-2 file (every tail in `streams`, no streams_through): the tails are taken as whole up to the head", async () => {
    const file = join(dir, "format2.sqlite");
    const store = await openSqliteEventStore({ file });
    await store.append([...clicks(["x1", "x2"], "t-1"), ...clicks(["y1"], "t-2")]);
    await store.close();
    const asFormat2 = new Database(file);
    asFormat2.exec("DELETE FROM store_meta WHERE key = 'streams_through'");
    asFormat2.close();
    const reopened = await openSqliteEventStore({ file });
    expect(storedTails(file)).toEqual(TWO_STREAMS_WHOLE);
    expect((await reopened.append(clicks(["x3"], "t-1"), { expectedRevisions: { "tracking-t-1": 1 } })).outcomes).toEqual([
      { id: "x3", position: 4, duplicate: false },
    ]);
    await reopened.close();
    expect(storedTails(file)).toEqual({
      through: "4",
      tails: [
        ["tracking-t-1", 2, 4],
        ["tracking-t-2", 0, 3],
      ],
    });
  });

  it("remakes links and tails on open when rows were cut back by hand, and calls a broken chain damage", async () => {
    const file = join(dir, "cut.sqlite");
    const store = await openSqliteEventStore({ file });
    await store.append([...clicks(["c1", "c2"], "t-1"), ...clicks(["d1"], "t-2"), ...clicks(["c3"], "t-1"), ...clicks(["d2"], "t-3")]);
    await store.close();
    const cut = new Database(file);
    cut.exec("DELETE FROM events WHERE position > 3"); // t-1 keeps c1, c2; t-2 keeps d1; t-3 is gone
    cut.close();

    const reopened = await openSqliteEventStore({ file });
    expect((await reopened.readStream("tracking-t-1", -1, 10)).map((e) => [e.id, e.streamRevision])).toEqual([
      ["c1", 0],
      ["c2", 1],
    ]);
    expect(await reopened.readStream("tracking-t-3", -1, 10)).toEqual([]);
    const next = await reopened.append([...clicks(["c4"], "t-1"), ...clicks(["d3"], "t-3")], {
      expectedRevisions: { "tracking-t-1": 1, "tracking-t-3": -1 },
    });
    expect(next.outcomes.map((o) => o.position)).toEqual([4, 5]);
    await reopened.close();

    const damage = new Database(file);
    damage.exec("UPDATE events SET prev_position = NULL WHERE id = 'c4'");
    damage.close();
    const damaged = await openSqliteEventStore({ file });
    await expect(damaged.readStream("tracking-t-1", -1, 10)).rejects.toThrow(
      "stream tracking-t-1: revision 1 is not where its links lead (position null): the store is damaged",
    );
    await damaged.close();
  });

  it("opens a format-1 file (stream index, no links): links and tails are made, the index dropped, revisions go on", async () => {
    const file = join(dir, "old.sqlite");
    const old = new Database(file);
    old.exec(`
      CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
        occurred_at TEXT NOT NULL, occurred_at_ms INTEGER NOT NULL, data TEXT NOT NULL, content TEXT NOT NULL, stream_id TEXT NOT NULL,
        stream_revision INTEGER NOT NULL, recorded_at TEXT NOT NULL);
      CREATE UNIQUE INDEX events_stream ON events (stream_id, stream_revision);
      CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO store_meta VALUES ('store_id', 'old-store');`);
    const insert = old.prepare(
      "INSERT INTO events VALUES (?, ?, 'ClickRecorded', 1, '2026-03-01T10:00:00Z', 1772359200000, ?, 'digest', ?, ?, '2026-03-01T10:00:01.000Z')",
    );
    const rows: Array<[string, string, number]> = [
      ["o1", "t-1", 0],
      ["o2", "t-2", 0],
      ["o3", "t-1", 1],
      ["o4", "t-1", 2],
    ];
    rows.forEach(([id, t, rev], i) => insert.run(i + 1, id, JSON.stringify({ trackingId: t }), `tracking-${t}`, rev));
    old.close();

    const store = await openSqliteEventStore({ file });
    expect(store.storeId).toBe("old-store");
    expect((await store.readStream("tracking-t-1", -1, 10)).map((e) => [e.id, e.position, e.streamRevision])).toEqual([
      ["o1", 1, 0],
      ["o3", 3, 1],
      ["o4", 4, 2],
    ]);
    const next = await store.append(clicks(["n1"], "t-1"), { expectedRevisions: { "tracking-t-1": 2, "tracking-t-2": 0 } });
    expect(next.outcomes).toEqual([{ id: "n1", position: 5, duplicate: false }]);
    expect((await store.readStream("tracking-t-1", 1, 10)).map((e) => [e.id, e.streamRevision])).toEqual([
      ["o4", 2],
      ["n1", 3],
    ]);
    expect((await store.append(clicks(["o2"], "t-2"))).duplicates).toBe(1);
    await store.close();

    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_schema WHERE name = 'events_stream'").all()).toEqual([]);
    expect(check.prepare("SELECT stream_id, revision, last_position FROM streams ORDER BY stream_id").all()).toEqual([
      { stream_id: "tracking-t-1", revision: 3, last_position: 5 },
      { stream_id: "tracking-t-2", revision: 0, last_position: 2 },
    ]);
    expect(check.prepare("SELECT position, prev_position FROM events ORDER BY position").all()).toEqual([
      { position: 1, prev_position: null },
      { position: 2, prev_position: null },
      { position: 3, prev_position: 1 },
      { position: 4, prev_position: 3 },
      { position: 5, prev_position: 4 },
    ]);
    check.close();

    // A format-1 release opens it again: the index is back, and it appends a row without a link.
    const older = new Database(file);
    older.exec("CREATE UNIQUE INDEX events_stream ON events (stream_id, stream_revision)");
    older
      .prepare(
        "INSERT INTO events (position, id, type, schema_version, occurred_at, occurred_at_ms, data, content, stream_id, stream_revision, recorded_at) VALUES (6, 'o5', 'ClickRecorded', 1, '2026-03-01T10:00:00Z', 1772359200000, ?, '', 'tracking-t-1', 4, '2026-03-01T10:00:02.000Z')",
      )
      .run(JSON.stringify({ trackingId: "t-1" }));
    older.close();
    const again = await openSqliteEventStore({ file });
    expect((await again.readStream("tracking-t-1", 2, 10)).map((e) => [e.id, e.position, e.streamRevision])).toEqual([
      ["n1", 5, 3],
      ["o5", 6, 4],
    ]);
    expect((await again.append(clicks(["n2"], "t-1"), { expectedRevisions: { "tracking-t-1": 4 } })).outcomes).toEqual([
      { id: "n2", position: 7, duplicate: false },
    ]);
    await again.close();
  });
});

describe("sqlite event store: recordedAt and ids for issue 27 (GET /v1/log/position, GET /v1/search)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ledger-es-27-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("never records a time before the head's: a clock behind it records the head's time again", async () => {
    const file = join(dir, "events.sqlite");
    const store = await openSqliteEventStore({ file });
    await store.append(clicks(["a1", "a2"]));
    await store.close();
    // The head's recordedAt an hour ahead of this clock (as if the clock stepped back an hour since).
    const ahead = new Date(Date.now() + 3_600_000).toISOString();
    const edit = new Database(file);
    edit.prepare("UPDATE events SET recorded_at = ? WHERE position = 2").run(ahead);
    edit.close();
    const reopened = await openSqliteEventStore({ file });
    await reopened.append(clicks(["b1"]));
    const [, , b1] = await reopened.readForward(0, 10);
    expect(b1!.recordedAt).toBe(ahead);
    expect(await reopened.positionAt(Date.parse(ahead), 3)).toEqual({ position: 3, recordedAt: ahead });
    await reopened.close();
  });

  it("answers an id search from the UNIQUE index on id, one range per case variant (no scan, no second index to maintain on append)", async () => {
    const file = join(dir, "events.sqlite");
    const store = await openSqliteEventStore({ file });
    await store.close();
    const db = new Database(file, { readonly: true });
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT id, position, type FROM events WHERE id >= ? AND id < ? AND lower(id) >= ? AND lower(id) < ? AND position <= ? ORDER BY id LIMIT ?",
      )
      .all("Shp", "Shp{", "shp", "shp{", 10, 10) as { detail: string }[];
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL").all();
    db.close();
    expect(plan.map((p) => p.detail)).toEqual(["SEARCH events USING INDEX sqlite_autoindex_events_1 (id>? AND id<?)"]);
    expect(indexes).toEqual([]); // only the UNIQUE constraint's own index: an append maintains nothing more
  });
});
