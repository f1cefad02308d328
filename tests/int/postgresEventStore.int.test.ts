import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventStore } from "../../infra/eventStore/port.ts";
import { openPostgresEventStore } from "../../infra/eventStore/postgresEventStore.ts";
import { PG_URL, dropSchema, randomSchema } from "../support/pgTest.ts";
import { clicks } from "../support/testEvents.ts";
import { eventStoreContract } from "./eventStoreContract.ts";

eventStoreContract("postgres", async () => {
  const schema = randomSchema("es_contract");
  let current: EventStore = await openPostgresEventStore({ connectionString: PG_URL, schema });
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await openPostgresEventStore({ connectionString: PG_URL, schema });
      return current;
    },
    async cleanup() {
      await current.close();
      await dropSchema(schema);
    },
  };
});

describe("postgres event store: recordedAt and ids for issue 27 (GET /v1/log/position, GET /v1/search)", () => {
  let schema: string;
  let store: EventStore;
  let client: pg.Client;
  beforeEach(async () => {
    schema = randomSchema("es_27");
    store = await openPostgresEventStore({ connectionString: PG_URL, schema });
    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
  });
  afterEach(async () => {
    await client.end();
    await store.close();
    await dropSchema(schema);
  });

  it("records the database's time to the millisecond, never before the head's", async () => {
    await store.append(clicks(["a1", "a2"]));
    const [a1] = await store.readForward(0, 1);
    expect(a1!.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const stored = await client.query<{ exact: boolean }>(
      `SELECT recorded_at = date_trunc('milliseconds', recorded_at) AS exact FROM "${schema}".events WHERE position = 1`,
    );
    expect(stored.rows).toEqual([{ exact: true }]);
    // The head's recordedAt an hour ahead of the database's clock (as if the clock stepped back an hour since).
    const ahead = new Date(Date.now() + 3_600_000).toISOString();
    await client.query(`UPDATE "${schema}".events SET recorded_at = $1 WHERE position = 2`, [ahead]);
    await store.append(clicks(["b1", "b2"]));
    const all = await store.readForward(0, 10);
    expect(all.map((e) => e.recordedAt).slice(2)).toEqual([ahead, ahead]);
    expect(await store.positionAt(Date.parse(ahead), 4)).toEqual({ position: 4, recordedAt: ahead });
  });

  it("has an index that answers an id search's range and order in code-point order", async () => {
    await store.append(clicks(["Shp-1", "shp-2"]));
    await client.query("SET enable_seqscan = off");
    const plan = await client.query<{ "QUERY PLAN": string }>(
      `EXPLAIN SELECT id, position, type FROM "${schema}".events
       WHERE lower(id) COLLATE "C" >= 'shp' AND lower(id) COLLATE "C" < 'shp{' AND position <= 10
       ORDER BY lower(id) COLLATE "C", position LIMIT 10`,
    );
    const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(text).toContain("Index Scan using events_id_lower");
    expect(text).not.toContain("Sort");
  });
});

describe("postgres event store: opening a current store runs no DDL", () => {
  it("opens beside an append in flight (its head row and `events` locked) without waiting for it", async () => {
    const schema = randomSchema("es_open");
    const store = await openPostgresEventStore({ connectionString: PG_URL, schema });
    await store.append(clicks(["o1"]));
    const inFlight = new pg.Client({ connectionString: PG_URL });
    await inFlight.connect();
    try {
      // What an append holds until its COMMIT (appendIn): the head's row, and `events` for its inserts.
      await inFlight.query("BEGIN");
      await inFlight.query(`SELECT position FROM "${schema}".head FOR UPDATE`);
      await inFlight.query(`LOCK TABLE "${schema}".events IN ROW EXCLUSIVE MODE`);
      // DDL on open (ALTER TABLE … IF NOT EXISTS wants `events` exclusively) would wait for that COMMIT.
      const second = await Promise.race([
        openPostgresEventStore({ connectionString: PG_URL, schema }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("open waited for the append in flight")), 5_000)),
      ]);
      expect(await second.head()).toBe(1);
      await second.close();
    } finally {
      await inFlight.query("ROLLBACK");
      await inFlight.end();
      await store.close();
      await dropSchema(schema);
    }
  });
});
