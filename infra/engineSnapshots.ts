// The engine's state on disk (DESIGN: the engine's state lives where its checkpoint lives, so a
// restart resumes instead of replaying from zero, and memory stays bounded as the log grows).
//
// Two parts, always saved together in one SQLite transaction at one position:
//  - shipments (the part that grows with the log) as rows, one per shipment, read back on demand
//    through a bounded cache (DiskShipmentMap);
//  - everything else (campaigns, acceptances, budgets, strikes, pending bonuses: bounded by the
//    program's size, not the log's) as one structured-clone blob.
// A saved state is a cache, never the truth: it is used only when it was saved from the same store
// (store id), in this code's state format, at a position at or before every checkpoint it feeds;
// otherwise the engine starts fresh and replays from position 0. A damaged file is deleted and
// made anew (sqliteCacheFile.ts).
import type Database from "better-sqlite3";
import { deserialize, serialize } from "node:v8";
import type { EngineState, ShipmentMap, ShipmentState } from "../domain/engine/state.ts";
import { emptyState } from "../domain/engine/state.ts";
import { decodeShipment, encodeShipment } from "./shipmentCodec.ts";
import { openCacheFile, type CacheFileLog } from "./sqliteCacheFile.ts";

/**
 * The layout of a saved state: raise it with every change of EngineState or ShipmentState (and of
 * the tables below). A file saved in another format is emptied on open.
 */
export const SNAPSHOT_FORMAT = 6; // 4: holds and creator:earned balances (SPEC §12); 5: rule schedule, shipment rule versions (§14); 6: shipments as tuples (shipmentCodec.ts)

/** Shipments kept in memory beyond the ones changed since the last save. */
export const SHIPMENT_CACHE_MAX = 5_000;

export interface SnapshotStore {
  /** The saved state of a group's lane, its shipments read through a bounded cache; null when none. */
  load(group: string, ruleVersion: number): Promise<EngineState | null>;
  /** An empty state whose shipments live on disk; forgets what was saved for this lane. */
  fresh(group: string, ruleVersion: number): Promise<EngineState>;
  /** Saves the state (changed shipments and the rest) at its position, atomically: capture, then write. */
  save(group: string, ruleVersion: number, state: EngineState): Promise<void>;
  /**
   * Takes the state as it is now (its changed shipments and the rest, encoded) to be written later:
   * the engine goes on folding while the projectors it feeds commit up to this position, and writes
   * it then (ProjectionRunner.snapshot). Until then the captured shipments stay in memory, so the
   * engine never reads an older copy from disk. Capture again only after the last capture's write.
   */
  capture(group: string, ruleVersion: number, state: EngineState): CapturedState;
  remove(group: string): Promise<void>;
  close(): Promise<void>;
}

/** A state taken at `position`, not yet written. */
export interface CapturedState {
  readonly position: number;
  /** Writes it (its shipments and the rest) in one transaction. */
  write(): Promise<void>;
}

/**
 * Shipments on disk behind a bounded cache. Entries set or read since the last save are "dirty"
 * (the engine mutates what it reads) and stay in memory until `flush` writes them; after a flush
 * they join the clean cache, which keeps the newest SHIPMENT_CACHE_MAX.
 */
export class DiskShipmentMap implements ShipmentMap {
  private readonly dirty = new Map<string, ShipmentState>();
  /** Taken by `capture` and not yet written: newer than what the disk holds. */
  private readonly captured = new Map<string, ShipmentState>();
  private readonly clean = new Map<string, ShipmentState>();
  private readonly select: Database.Statement<[string, number, string], { state: string }>;
  private readonly upsert: Database.Statement<[string, number, string, string]>;
  private readonly ids: Database.Statement<[string, number], string>;
  /**
   * 30-bit hashes of the ids on disk: most shipments the engine asks about are new, and a hash that
   * is not here answers "not on disk" without a query (a hash that is may still be a stranger's).
   * Filled from the table on first use, then as flushes write.
   */
  private onDisk: Set<number> | null;

  constructor(
    db: Database.Database,
    private readonly group: string,
    private readonly ruleVersion: number,
    private readonly cacheMax = SHIPMENT_CACHE_MAX,
    fresh = false,
  ) {
    this.select = db.prepare("SELECT state FROM engine_shipments WHERE grp = ? AND rule_version = ? AND shipment_id = ?");
    this.upsert = db.prepare(`INSERT INTO engine_shipments (grp, rule_version, shipment_id, state) VALUES (?, ?, ?, ?)
      ON CONFLICT (grp, rule_version, shipment_id) DO UPDATE SET state = excluded.state`);
    this.ids = db.prepare<[string, number], string>("SELECT shipment_id FROM engine_shipments WHERE grp = ? AND rule_version = ?").pluck();
    this.onDisk = fresh ? new Set() : null;
  }

  private mayBeOnDisk(shipmentId: string): boolean {
    if (this.onDisk === null) {
      this.onDisk = new Set();
      for (const id of this.ids.iterate(this.group, this.ruleVersion)) this.onDisk.add(idHash(id));
    }
    return this.onDisk.has(idHash(shipmentId));
  }

  get(shipmentId: string): ShipmentState | undefined {
    let shipment = this.dirty.get(shipmentId) ?? this.captured.get(shipmentId) ?? this.clean.get(shipmentId);
    if (shipment === undefined) {
      if (!this.mayBeOnDisk(shipmentId)) return undefined;
      const row = this.select.get(this.group, this.ruleVersion, shipmentId);
      if (row === undefined) return undefined;
      shipment = decodeShipment(shipmentId, row.state);
    }
    // The caller may change it: keep it until the next capture.
    this.set(shipmentId, shipment);
    return shipment;
  }

  has(shipmentId: string): boolean {
    return (
      this.dirty.has(shipmentId) ||
      this.captured.has(shipmentId) ||
      this.clean.has(shipmentId) ||
      (this.mayBeOnDisk(shipmentId) && this.select.get(this.group, this.ruleVersion, shipmentId) !== undefined)
    );
  }

  set(shipmentId: string, shipment: ShipmentState): this {
    this.clean.delete(shipmentId);
    this.captured.delete(shipmentId); // its captured text is taken; from here on the dirty copy is the newer one
    this.dirty.set(shipmentId, shipment);
    return this;
  }

  /** Every shipment changed since the last capture, as [id, stored text]; they stay in memory until `written`. */
  capture(): [string, string][] {
    if (this.captured.size > 0) throw new Error("engine snapshot: a capture was not written before the next one");
    const rows: [string, string][] = [];
    for (const [id, shipment] of this.dirty) {
      rows.push([id, encodeShipment(shipment)]);
      this.captured.set(id, shipment);
    }
    this.dirty.clear();
    return rows;
  }

  /** Writes captured rows; call inside the transaction that saves the rest of the state. */
  writeRows(rows: readonly [string, string][]): void {
    for (const [id, text] of rows) {
      this.upsert.run(this.group, this.ruleVersion, id, text);
      this.onDisk?.add(idHash(id));
    }
  }

  /** The last capture is on disk: its shipments join the clean cache, which keeps the newest cacheMax. */
  written(): void {
    for (const [id, shipment] of this.captured) this.clean.set(id, shipment);
    this.captured.clear();
    for (const id of this.clean.keys()) {
      if (this.clean.size <= this.cacheMax) break;
      this.clean.delete(id); // oldest first
    }
  }
}

export interface SnapshotStoreOptions {
  /** The event store the states are folded from: states saved from another store are not used. */
  storeId: string;
  shipmentCacheMax?: number;
  log?: CacheFileLog;
}

/**
 * FNV-1a over the UTF-16 code units of an id, cut to 30 bits for DiskShipmentMap's filter: a 30-bit
 * number is a V8 small integer, stored in the Set without a heap box.
 */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff;
}

export function openSqliteSnapshotStore(file: string, options: SnapshotStoreOptions): SnapshotStore {
  const cacheMax = options.shipmentCacheMax ?? SHIPMENT_CACHE_MAX;
  // Projector processes share this file, each under its own group (busy timeout set on open).
  const db = openCacheFile(file, "engine snapshot file", options.log);
  db.pragma("synchronous = NORMAL"); // a cache: losing the last save only means replaying further
  if (Number(db.pragma("user_version", { simple: true })) !== SNAPSHOT_FORMAT) {
    db.exec(
      `BEGIN IMMEDIATE; DROP TABLE IF EXISTS engine_snapshots; DROP TABLE IF EXISTS engine_shipments; PRAGMA user_version = ${SNAPSHOT_FORMAT}; COMMIT`,
    );
  }
  db.exec(`CREATE TABLE IF NOT EXISTS engine_snapshots (grp TEXT NOT NULL, rule_version INTEGER NOT NULL, position INTEGER NOT NULL,
      store_id TEXT NOT NULL, state BLOB NOT NULL, PRIMARY KEY (grp, rule_version));
    CREATE TABLE IF NOT EXISTS engine_shipments (grp TEXT NOT NULL, rule_version INTEGER NOT NULL, shipment_id TEXT NOT NULL,
      state TEXT NOT NULL, PRIMARY KEY (grp, rule_version, shipment_id));`);
  const select = db.prepare("SELECT position, state FROM engine_snapshots WHERE grp = ? AND rule_version = ? AND store_id = ?");
  const upsert = db.prepare(`INSERT INTO engine_snapshots (grp, rule_version, position, store_id, state) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (grp, rule_version) DO UPDATE SET position = excluded.position, store_id = excluded.store_id, state = excluded.state`);
  const forget = db.transaction((group: string, ruleVersion: number) => {
    db.prepare("DELETE FROM engine_snapshots WHERE grp = ? AND rule_version = ?").run(group, ruleVersion);
    db.prepare("DELETE FROM engine_shipments WHERE grp = ? AND rule_version = ?").run(group, ruleVersion);
  });
  const removeGroup = db.transaction((group: string) => {
    db.prepare("DELETE FROM engine_snapshots WHERE grp = ?").run(group);
    db.prepare("DELETE FROM engine_shipments WHERE grp = ?").run(group);
  });
  const writeAll = db.transaction(
    (group: string, ruleVersion: number, disk: DiskShipmentMap, rows: [string, string][], position: number, rest: Buffer) => {
      disk.writeRows(rows);
      upsert.run(group, ruleVersion, position, options.storeId, rest);
    },
  );
  /** A state that kept its shipments in memory (a Map) writes them all through a disk map. */
  const diskCopy = (group: string, ruleVersion: number, shipments: Map<string, ShipmentState>): DiskShipmentMap => {
    const disk = new DiskShipmentMap(db, group, ruleVersion, cacheMax);
    for (const [id, shipment] of shipments) disk.set(id, shipment);
    return disk;
  };
  const capture = (group: string, ruleVersion: number, state: EngineState): CapturedState => {
    const { shipments, ...rest } = state;
    const disk = shipments instanceof DiskShipmentMap ? shipments : diskCopy(group, ruleVersion, shipments as Map<string, ShipmentState>);
    const rows = disk.capture();
    const blob = serialize(rest);
    const position = state.position;
    return {
      position,
      async write() {
        writeAll(group, ruleVersion, disk, rows, position, blob);
        disk.written();
      },
    };
  };
  return {
    async load(group, ruleVersion) {
      const row = select.get(group, ruleVersion, options.storeId) as { position: number; state: Buffer } | undefined;
      if (!row) return null;
      const rest = deserialize(row.state) as Omit<EngineState, "shipments">;
      if (rest.position !== row.position)
        throw new Error(`engine snapshot ${group}: position ${row.position} does not match its state (${rest.position})`);
      return { ...rest, shipments: new DiskShipmentMap(db, group, ruleVersion, cacheMax) };
    },
    async fresh(group, ruleVersion) {
      forget(group, ruleVersion);
      return { ...emptyState(), shipments: new DiskShipmentMap(db, group, ruleVersion, cacheMax, true) };
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
