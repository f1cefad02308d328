// SPEC §13's verifiable log on the real stores: five clicks appended, the store closed, one kind of
// tampering done with SQL behind the ledger's back, the store opened again, and verifyChain (what
// `ledger verify` and GET /v1/log/verify run) must name the first bad position and why. A store
// written before the chain existed gains it on open, with the very hashes an append makes.
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { verifyChain } from "../../infra/eventStore/hashChain.ts";
import type { EventStore } from "../../infra/eventStore/port.ts";
import { openPostgresEventStore } from "../../infra/eventStore/postgresEventStore.ts";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { clicks } from "../support/testEvents.ts";
import { PG_URL, dropSchema, randomSchema } from "../support/pgTest.ts";

interface Backend {
  open(): Promise<EventStore>;
  /** Runs SQL on the store's tables with the store closed (`events` names the events table). */
  sql(statements: string): Promise<void>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), "ledger-chain-"));
  const file = join(dir, "events.db");
  return {
    open: () => openSqliteEventStore({ file }),
    async sql(statements) {
      const db = new Database(file);
      db.exec(statements.replaceAll("{events}", "events"));
      db.close();
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(): Backend {
  const schema = randomSchema("chain");
  return {
    open: () => openPostgresEventStore({ connectionString: PG_URL, schema }),
    async sql(statements) {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(statements.replaceAll("{events}", `"${schema}".events`).replaceAll("{head}", `"${schema}".head`));
      } finally {
        await client.end();
      }
    },
    cleanup: () => dropSchema(schema),
  };
}

describe.each([
  ["sqlite", sqliteBackend],
  ["postgres", postgresBackend],
] as const)("the hash chain on %s", (_name, makeBackend) => {
  let backend: Backend;
  let store: EventStore | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
    await backend.cleanup();
  });

  /** Five clicks a..e in two batches, the store closed; the head's hash before any tampering. */
  async function fiveClicks(): Promise<string> {
    backend = makeBackend();
    const s = await backend.open();
    await s.append(clicks(["a", "b"]));
    await s.append(clicks(["c", "d", "e"]));
    const head = await s.logHead();
    await s.close();
    return head.hash!;
  }

  async function verdictAfter(tampering: string) {
    await backend.sql(tampering);
    store = await backend.open();
    return verifyChain(store);
  }

  it("untouched: all five verify, ending at the head", async () => {
    const headHash = await fiveClicks();
    store = await backend.open();
    expect(await verifyChain(store)).toEqual({
      ok: true,
      verified: 5,
      head: { position: 5, hash: headHash },
      firstBadPosition: null,
      reason: null,
    });
  });

  it("a row edited with SQL: its position, and why", async () => {
    await fiveClicks();
    const verdict = await verdictAfter(`UPDATE {events} SET data = '{"trackingId":"t-9"}' WHERE position = 3`);
    expect(verdict).toMatchObject({ ok: false, verified: 2, firstBadPosition: 3, head: { position: 2 } });
    expect(verdict.reason).toBe(
      "the event at position 3 (c) does not hash to its stored hash: its content, its position or its hash was changed",
    );
  });

  it("a stored hash edited: that position", async () => {
    await fiveClicks();
    expect(await verdictAfter(`UPDATE {events} SET hash = '${"ab".repeat(32)}' WHERE position = 4`)).toMatchObject({
      ok: false,
      verified: 3,
      firstBadPosition: 4,
    });
  });

  it("a row deleted: the missing position", async () => {
    await fiveClicks();
    const verdict = await verdictAfter("DELETE FROM {events} WHERE position = 3");
    expect(verdict).toMatchObject({ ok: false, verified: 2, firstBadPosition: 3 });
    expect(verdict.reason).toBe("position 3 is missing: the next stored event is at 4 (a deleted or re-numbered event)");
  });

  it("positions re-numbered to close the gap of a deleted row: the first moved one does not hash", async () => {
    await fiveClicks();
    const verdict = await verdictAfter(
      "DELETE FROM {events} WHERE position = 3; UPDATE {events} SET position = 3 WHERE position = 4; UPDATE {events} SET position = 4 WHERE position = 5;",
    );
    expect(verdict).toMatchObject({ ok: false, verified: 2, firstBadPosition: 3 });
    expect(verdict.reason).toContain("(d) does not hash to its stored hash");
  });

  it("data re-serialised with other spacing and key order still verifies: the chain hashes RFC 8785 canonical JSON, not the stored text", async () => {
    const headHash = await fiveClicks();
    const spaced = `{ "trackingId" : "t-1" }`;
    expect(await verdictAfter(`UPDATE {events} SET data = '${spaced}' WHERE position = 2`)).toEqual({
      ok: true,
      verified: 5,
      head: { position: 5, hash: headHash },
      firstBadPosition: null,
      reason: null,
    });
  });

  it("a store written before the chain gains it on open, the same hashes an append makes, and goes on from there", async () => {
    const headHash = await fiveClicks();
    await backend.sql(`UPDATE {events} SET hash = NULL${_name === "postgres" ? "; UPDATE {head} SET hash = NULL" : ""}`);
    store = await backend.open();
    expect(await store.logHead()).toEqual({ position: 5, hash: headHash });
    await store.append(clicks(["f"]));
    expect(await verifyChain(store)).toMatchObject({ ok: true, verified: 6, firstBadPosition: null });
    expect(await verifyChain(store, { fromPosition: 6 })).toMatchObject({ ok: true, verified: 1, head: { position: 6 } });
  });
});

describe("the hash chain on sqlite, written to by a release that keeps none", () => {
  it("an append after a row without a hash is refused, naming it, instead of chaining on from a wrong link; a reopen chains it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ledger-chain-old-writer-"));
    const file = join(dir, "events.db");
    let store = await openSqliteEventStore({ file });
    try {
      await store.append(clicks(["a"]));
      // Another process of an older release appends position 2 with no hash while this store is open.
      const old = new Database(file);
      old
        .prepare(
          `INSERT INTO events (position, id, type, schema_version, occurred_at, occurred_at_ms, data, content, stream_id, stream_revision, recorded_at)
           VALUES (2, 'old-1', 'ClickRecorded', 1, '2026-03-01T10:00:00Z', 1772359200000, '{"trackingId":"t-9"}', '', 'tracking-t-9', 0, '2026-03-01T10:00:01.000Z')`,
        )
        .run();
      old.close();
      await expect(store.append(clicks(["b"]))).rejects.toThrow(
        "event store: position 2 has no hash (appended by a release without the hash chain?); reopen the store to chain it",
      );
      expect(await store.head()).toBe(2);
      await store.close();
      store = await openSqliteEventStore({ file }); // its last row has no hash: the open chains it
      await store.append(clicks(["b"]));
      expect(await verifyChain(store)).toMatchObject({ ok: true, verified: 3, firstBadPosition: null });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the hash chain on postgres, written to by a release that keeps none", () => {
  it("events it appended (no hash, the head moved without one) are chained by the next open, and appends go on", async () => {
    const schema = randomSchema("chain_old_writer");
    let store = await openPostgresEventStore({ connectionString: PG_URL, schema });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await store.append(clicks(["a"]));
      await store.close();
      // An older release appends position 2: its row and the head's position, no hash on either.
      await client.query(
        `INSERT INTO "${schema}".events (position, id, type, schema_version, occurred_at, occurred_at_ms, data, content, stream_id, stream_revision, recorded_at)
         VALUES (2, 'old-1', 'ClickRecorded', 1, '2026-03-01T10:00:00Z', 1772359200000, '{"trackingId":"t-9"}', '', 'tracking-t-9', 0, now())`,
      );
      await client.query(`UPDATE "${schema}".head SET position = 2`);
      store = await openPostgresEventStore({ connectionString: PG_URL, schema });
      await store.append(clicks(["b"]));
      expect(await verifyChain(store)).toMatchObject({ ok: true, verified: 3, firstBadPosition: null });
    } finally {
      await client.end();
      await store.close();
      await dropSchema(schema);
    }
  });
});
