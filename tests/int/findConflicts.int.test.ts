// findConflicts (services/ingest/ingest.ts), which lets `ledger ingest` report every conflict of a
// batch with its schema errors, against a real SQLite store: it must call conflict and duplicate
// exactly as the store does (SPEC §2).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, type EventStore } from "../../infra/eventStore/port.ts";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { findConflicts } from "../../services/ingest/ingest.ts";
import { click } from "../support/domainFixtures.ts";
import { validated } from "../support/testEvents.ts";

describe("findConflicts", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-conflicts-"));
  let store: EventStore;
  beforeAll(async () => {
    store = await openSqliteEventStore({ file: path.join(dir, "events.db") });
    await store.append(validated([click({ id: "A", trackingId: "T1", occurredAt: "2026-03-09T17:00:00Z" })]));
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("names every conflict of a batch: with the stored event, and with an earlier copy of an id not stored", async () => {
    const batch = validated([
      click({ id: "A", trackingId: "T2" }), // 0: stored with T1
      click({ id: "B", trackingId: "T1" }), // 1: new
      click({ id: "B", trackingId: "T2" }), // 2: index 1 has T1
      click({ id: "A", trackingId: "T1", occurredAt: "2026-03-09T09:00:00-08:00" }), // 3: the stored instant in another offset: a duplicate
      click({ id: "B", trackingId: "T1" }), // 4: equal to index 1
    ]);
    expect(await findConflicts(store, batch)).toEqual([
      { index: 0, eventId: "A", earlierIndex: null },
      { index: 2, eventId: "B", earlierIndex: 1 },
    ]);
  });

  it("agrees with the store: without the conflicting events the batch appends, with one the store names it", async () => {
    const batch = validated([
      click({ id: "B", trackingId: "T1" }),
      click({ id: "A", trackingId: "T1", occurredAt: "2026-03-09T09:00:00-08:00" }),
      click({ id: "C" }),
    ]);
    expect(await findConflicts(store, batch)).toEqual([]);
    const conflicting = validated([click({ id: "D" }), click({ id: "A", trackingId: "T3" })]);
    expect(await findConflicts(store, conflicting)).toEqual([{ index: 1, eventId: "A", earlierIndex: null }]);
    await expect(store.append(conflicting)).rejects.toEqual(new ConflictError("A", 1));
    expect(await store.append(batch)).toMatchObject({ appended: 2, duplicates: 1 });
  });
});
