// The engine's state on disk (DESIGN: the engine's state lives where its checkpoint lives, so a
// restart resumes instead of replaying from zero, and memory stays bounded as the log grows).
//
// Two kinds of part, always saved together in one SQLite transaction at one position:
//  - the parts that grow with the log (GROWING_PARTS: shipments, acceptances, content links,
//    subscriptions, creator balances, payouts) as rows, one per entry, read back on demand through
//    bounded caches (engineStateMaps.ts);
//  - everything else (campaigns, budgets, strikes, holds, pending bonuses, the rule schedule: sized
//    by the program, not the log) as one structured-clone blob.
// A saved state is a cache, never the truth: it is used only when it was saved from the same store
// (store id), in this code's state format, at a position at or before every checkpoint it feeds;
// otherwise the engine starts fresh and replays from position 0. A damaged file is deleted and
// made anew (sqliteCacheFile.ts).
import { deserialize, serialize } from "node:v8";
import { emptyState, GROWING_PARTS, type EngineState, type GrowingPart, type PartValue } from "../domain/engine/state.ts";
import { DiskStateMap, ENGINE_ENTRIES_TABLE } from "./engineStateMaps.ts";
import { openCacheFile, type CacheFileLog } from "./sqliteCacheFile.ts";

/**
 * The layout of a saved state: raise it with every change of EngineState or ShipmentState (and of
 * the tables below and the codecs of engineStateMaps.ts). A file saved in another format is emptied on open.
 */
export const SNAPSHOT_FORMAT = 7; // 4: holds and creator:earned balances (SPEC §12); 5: rule schedule, shipment rule versions (§14); 6: shipments as tuples (shipmentCodec.ts); 7: every growing part as rows (engine_entries)

export interface SnapshotStore {
  /** The saved state of a group's lane, its growing parts read through bounded caches; null when none. */
  load(group: string, ruleVersion: number): Promise<EngineState | null>;
  /** An empty state whose growing parts live on disk; forgets what was saved for this lane. */
  fresh(group: string, ruleVersion: number): Promise<EngineState>;
  /** Saves the state (changed entries and the rest) at its position, atomically: capture, then write. */
  save(group: string, ruleVersion: number, state: EngineState): Promise<void>;
  /**
   * Takes the state as it is now (its changed entries and the rest, encoded) to be written later:
   * the engine goes on folding while the projectors it feeds commit up to this position, and writes
   * it then (ProjectionRunner.snapshot). Until then the captured entries stay in memory, so the
   * engine never reads an older copy from disk. Capture again only after the last capture's write.
   */
  capture(group: string, ruleVersion: number, state: EngineState): CapturedState;
  remove(group: string): Promise<void>;
  close(): Promise<void>;
}

/** A state taken at `position`, not yet written. */
export interface CapturedState {
  readonly position: number;
  /** Writes it (its entries and the rest) in one transaction. */
  write(): Promise<void>;
}

export interface SnapshotStoreOptions {
  /** The event store the states are folded from: states saved from another store are not used. */
  storeId: string;
  /** Overrides every growing part's cache size (tests make it tiny, so reads go to disk). */
  cacheMax?: number;
  log?: CacheFileLog;
}

type DiskParts = { [P in GrowingPart]: DiskStateMap<PartValue<P>> };

export function openSqliteSnapshotStore(file: string, options: SnapshotStoreOptions): SnapshotStore {
  // Projector processes share this file, each under its own group (busy timeout set on open).
  const db = openCacheFile(file, "engine snapshot file", options.log);
  db.pragma("synchronous = NORMAL"); // a cache: losing the last save only means replaying further
  if (Number(db.pragma("user_version", { simple: true })) !== SNAPSHOT_FORMAT) {
    db.exec(`BEGIN IMMEDIATE; DROP TABLE IF EXISTS engine_snapshots; DROP TABLE IF EXISTS engine_shipments;
      DROP TABLE IF EXISTS engine_entries; PRAGMA user_version = ${SNAPSHOT_FORMAT}; COMMIT`);
  }
  db.exec(`CREATE TABLE IF NOT EXISTS engine_snapshots (grp TEXT NOT NULL, rule_version INTEGER NOT NULL, position INTEGER NOT NULL,
      store_id TEXT NOT NULL, state BLOB NOT NULL, PRIMARY KEY (grp, rule_version));
    ${ENGINE_ENTRIES_TABLE};`);
  const select = db.prepare("SELECT position, state FROM engine_snapshots WHERE grp = ? AND rule_version = ? AND store_id = ?");
  const upsert = db.prepare(`INSERT INTO engine_snapshots (grp, rule_version, position, store_id, state) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (grp, rule_version) DO UPDATE SET position = excluded.position, store_id = excluded.store_id, state = excluded.state`);
  const forget = db.transaction((group: string, ruleVersion: number) => {
    db.prepare("DELETE FROM engine_snapshots WHERE grp = ? AND rule_version = ?").run(group, ruleVersion);
    db.prepare("DELETE FROM engine_entries WHERE grp = ? AND rule_version = ?").run(group, ruleVersion);
  });
  const removeGroup = db.transaction((group: string) => {
    db.prepare("DELETE FROM engine_snapshots WHERE grp = ?").run(group);
    db.prepare("DELETE FROM engine_entries WHERE grp = ?").run(group);
  });
  const diskParts = (group: string, ruleVersion: number, fresh: boolean): DiskParts =>
    Object.fromEntries(
      GROWING_PARTS.map((part) => [part, new DiskStateMap(db, group, ruleVersion, part, options.cacheMax, fresh)]),
    ) as unknown as DiskParts;
  /** The state's growing parts on disk: a state that kept them in memory (Maps) has them copied over. */
  const onDisk = (group: string, ruleVersion: number, state: EngineState): DiskStateMap<unknown>[] => {
    if (GROWING_PARTS.every((part) => state[part] instanceof DiskStateMap))
      return GROWING_PARTS.map((part) => state[part] as DiskStateMap<unknown>);
    const parts = diskParts(group, ruleVersion, false);
    return GROWING_PARTS.map((part) => {
      const disk = parts[part] as DiskStateMap<unknown>;
      for (const [key, value] of state[part] as Map<string, unknown>) disk.set(key, value);
      return disk;
    });
  };
  const writeAll = db.transaction((group: string, ruleVersion: number, parts: DiskStateMap<unknown>[], position: number, rest: Buffer) => {
    for (const part of parts) part.writeCaptured();
    upsert.run(group, ruleVersion, position, options.storeId, rest);
  });
  const capture = (group: string, ruleVersion: number, state: EngineState): CapturedState => {
    const parts = onDisk(group, ruleVersion, state);
    for (const part of parts) part.capture();
    const rest: Record<string, unknown> = { ...state };
    for (const part of GROWING_PARTS) delete rest[part];
    const blob = serialize(rest);
    const position = state.position;
    return {
      position,
      async write() {
        writeAll(group, ruleVersion, parts, position, blob);
        for (const part of parts) part.written();
      },
    };
  };
  return {
    async load(group, ruleVersion) {
      const row = select.get(group, ruleVersion, options.storeId) as { position: number; state: Buffer } | undefined;
      if (!row) return null;
      const rest = deserialize(row.state) as Omit<EngineState, GrowingPart>;
      if (rest.position !== row.position)
        throw new Error(`engine snapshot ${group}: position ${row.position} does not match its state (${rest.position})`);
      return { ...rest, ...diskParts(group, ruleVersion, false) };
    },
    async fresh(group, ruleVersion) {
      forget(group, ruleVersion);
      return { ...emptyState(), ...diskParts(group, ruleVersion, true) };
    },
    async save(group, ruleVersion, state) {
      await capture(group, ruleVersion, state).write();
    },
    capture,
    async remove(group) {
      removeGroup(group);
    },
    async close() {
      db.close();
    },
  };
}
