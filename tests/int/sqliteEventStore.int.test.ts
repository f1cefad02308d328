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

describe("sqlite event store: streams as linked tails (format 2)", () => {
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

  it("keeps every stream's revisions in order when two appenders on one file take turns (a stale cached tail is dropped)", async () => {
    // Two appenders (two connections) on one file, taking turns: each batch names streams the other
    // one made or moved since its own last append (its cached tails are stale: PRAGMA data_version),
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
    const rows = new Database(file, { readonly: true });
    const tails = rows
      .prepare(
        "SELECT stream_id, revision, last_position FROM streams WHERE stream_id IN ('tracking-t-3', 'tracking-t-5-0', 'tracking-t-0-39') ORDER BY stream_id",
      )
      .all();
    rows.close();
    expect(tails).toEqual([
      { stream_id: "tracking-t-0-39", revision: 0, last_position: 50 },
      { stream_id: "tracking-t-3", revision: 5, last_position: 5 * 51 + 4 },
      { stream_id: "tracking-t-5-0", revision: 1, last_position: 6 * 51 },
    ]);
    await a.close();
    await b.close();
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
