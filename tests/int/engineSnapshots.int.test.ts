// The engine's disk-backed state (infra/engineSnapshots.ts): with tiny caches for its growing parts, saves every
// few events and reloads from disk in between, the engine's outcomes equal an in-memory fold.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyEvent } from "../../domain/engine/engine.ts";
import type { Outcome } from "../../domain/engine/outcome.ts";
import { emptyState, GROWING_PARTS, type EngineState, type InMemoryState, type StateMap } from "../../domain/engine/state.ts";
import { toCurrentEvent } from "../../domain/events/current.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { RULES_V1 } from "../../domain/rules.ts";
import { openSqliteSnapshotStore, type SnapshotStore } from "../../infra/engineSnapshots.ts";
import { generateEvents } from "../support/projectionHarness.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-engine-state-"));
let store: SnapshotStore | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

function events() {
  const validation = validateBatch(generateEvents(20261125, 3_000));
  if (!validation.ok) throw new Error("generated events are invalid");
  return validation.events.map((e, i) => toCurrentEvent({ ...e, position: i + 1 }));
}

/** Every entry of every growing part of the in-memory state reads back the same from disk. */
function expectSameGrowingParts(disk: EngineState, memory: InMemoryState): void {
  for (const part of GROWING_PARTS) {
    const entries = [...(memory[part] as Map<string, unknown>)];
    for (const [key, value] of entries) expect((disk[part] as StateMap<unknown>).get(key), `${part} ${key}`).toEqual(value);
  }
  expect(memory.acceptances.size).toBeGreaterThan(0);
  expect(memory.earnedMinor.size).toBeGreaterThan(0);
}

describe("disk-backed engine state", () => {
  it("3-entry caches, saves every 50 events and reloads every 400 give the in-memory outcomes", async () => {
    const all = events();
    const memory = emptyState();
    const expected: Outcome[] = all.map((e) => applyEvent(memory, RULES_V1, e));

    store = openSqliteSnapshotStore(path.join(dir, "a.db"), { storeId: "store-under-test", cacheMax: 3 });
    let state: EngineState = await store.fresh("g", 1);
    const actual: Outcome[] = [];
    for (const event of all) {
      actual.push(applyEvent(state, RULES_V1, event));
      if (event.position % 50 === 0) await store.save("g", 1, state);
      if (event.position % 400 === 0) state = (await store.load("g", 1))!; // as after a restart
    }
    expect(actual).toEqual(expected);
    expect(state.position).toBe(3_000);
  });

  it("what was not saved is not there after a reload; fresh forgets the lane", async () => {
    const all = events().slice(0, 200);
    store = openSqliteSnapshotStore(path.join(dir, "b.db"), { storeId: "store-under-test", cacheMax: 2 });
    const state = await store.fresh("g", 1);
    for (const event of all.slice(0, 100)) applyEvent(state, RULES_V1, event);
    await store.save("g", 1, state);
    for (const event of all.slice(100)) applyEvent(state, RULES_V1, event);
    const reloaded = (await store.load("g", 1))!;
    expect(reloaded.position).toBe(100);
    const memory = emptyState();
    for (const event of all.slice(0, 100)) applyEvent(memory, RULES_V1, event);
    expectSameGrowingParts(reloaded, memory);
    await store.fresh("g", 1);
    expect(await store.load("g", 1)).toBeNull();
  });

  it("a capture written after more events were folded holds the state at its own position, and the fold reads no older copy", async () => {
    const all = events();
    const memory = emptyState();
    const expected: Outcome[] = all.map((e) => applyEvent(memory, RULES_V1, e));
    const atThousand = emptyState();
    for (const event of all.slice(0, 1_000)) applyEvent(atThousand, RULES_V1, event);

    store = openSqliteSnapshotStore(path.join(dir, "c.db"), { storeId: "store-under-test", cacheMax: 3 });
    const state = await store.fresh("g", 1);
    const actual: Outcome[] = [];
    let captured = null;
    for (const event of all) {
      actual.push(applyEvent(state, RULES_V1, event));
      if (event.position === 1_000) captured = store.capture("g", 1, state);
      if (event.position === 1_500) {
        expect(() => store!.capture("g", 1, state)).toThrow(/was not written before the next one/);
        await captured!.write(); // as a writer thread commits 1,000 while the engine is at 1,500
      }
      if (event.position === 2_000) await store.save("g", 1, state);
    }
    expect(actual).toEqual(expected);
    const reloaded = (await store.load("g", 1))!;
    expect(reloaded.position).toBe(2_000);
    await store.close();

    store = openSqliteSnapshotStore(path.join(dir, "d.db"), { storeId: "store-under-test", cacheMax: 3 });
    const second = await store.fresh("g", 1);
    for (const event of all.slice(0, 1_000)) applyEvent(second, RULES_V1, event);
    const early = store.capture("g", 1, second);
    for (const event of all.slice(1_000, 1_600)) applyEvent(second, RULES_V1, event);
    await early.write();
    const atCapture = (await store.load("g", 1))!;
    expect(atCapture.position).toBe(1_000);
    expectSameGrowingParts(atCapture, atThousand);
  });
});
