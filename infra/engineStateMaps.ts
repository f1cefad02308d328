// The engine's growing state on disk: each of its GROWING_PARTS (shipments, acceptances, content
// links, subscriptions, creator balances, payouts) as rows of one table, read back on demand through
// a bounded cache, so the engine's memory does not grow with the log (README, Benchmark, "Issue 28,
// measured 2026-12-05 (evening)").
// engineSnapshots.ts saves these rows and the rest of the state in one transaction.
import type Database from "better-sqlite3";
import type { AcceptanceState, GrowingPart, PartValue, PayoutState, StateMap } from "../domain/engine/state.ts";
import { decodeShipment, encodeShipment } from "./shipmentCodec.ts";

/** How one part's values are stored: as text, without their key (the row's key). */
interface Codec<V> {
  encode(value: V): string;
  decode(key: string, text: string): V;
}

interface PartLayout<V> {
  codec: Codec<V>;
  /** Entries kept in memory beyond the ones changed since the last save. */
  cacheMax: number;
  /** Bits of the part's key filter (KeyFilter): its memory, fixed whatever the number of keys. */
  filterBits: number;
}

const presence: Codec<true> = { encode: () => "", decode: () => true };

/**
 * Per part: its codec, its cache (sized to what one busy stretch of the log touches: the live
 * campaigns' acceptances, content links and creators; shipments are the largest values) and its
 * filter (shipments: one new id per shipment event; the rest are asked about far less often).
 */
export const PART_LAYOUTS: { readonly [P in GrowingPart]: PartLayout<PartValue<P>> } = {
  shipments: { codec: { encode: encodeShipment, decode: decodeShipment }, cacheMax: 5_000, filterBits: 2 ** 26 },
  acceptances: {
    codec: {
      encode: (a: AcceptanceState) => JSON.stringify([a.creatorId, a.campaignId]),
      decode: (_key: string, text: string) => {
        const [creatorId, campaignId] = JSON.parse(text) as [string, string];
        return { creatorId, campaignId };
      },
    },
    cacheMax: 50_000,
    filterBits: 2 ** 22,
  },
  accepted: { codec: presence, cacheMax: 50_000, filterBits: 2 ** 22 },
  contentAtMs: { codec: { encode: String, decode: (_key: string, text: string) => Number(text) }, cacheMax: 50_000, filterBits: 2 ** 22 },
  subscriptions: { codec: presence, cacheMax: 5_000, filterBits: 2 ** 22 },
  earnedMinor: { codec: { encode: String, decode: (_key: string, text: string) => BigInt(text) }, cacheMax: 50_000, filterBits: 2 ** 22 },
  payouts: {
    codec: {
      encode: (p: PayoutState) => JSON.stringify([p.creatorId, p.marketplace, p.amountMinor, p.failed]),
      decode: (_key: string, text: string) => {
        const [creatorId, marketplace, amountMinor, failed] = JSON.parse(text) as [string, PayoutState["marketplace"], number, boolean];
        return { creatorId, marketplace, amountMinor, failed };
      },
    },
    cacheMax: 5_000,
    filterBits: 2 ** 22,
  },
};

export const ENGINE_ENTRIES_TABLE = `CREATE TABLE IF NOT EXISTS engine_entries (grp TEXT NOT NULL, rule_version INTEGER NOT NULL,
  part TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (grp, rule_version, part, key))`;

/**
 * Which keys may be on disk: a Bloom filter with two probes over a fixed number of bits. Most keys
 * the engine asks about are new (a shipment id, a subscription, a first acceptance), and a key
 * the filter has not seen answers "not on disk" without a query; one it has may still be a
 * stranger's (at 2.5 million shipments in 2^26 bits, about 1 in 200 new ids costs a query).
 */
class KeyFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  constructor(bitCount: number) {
    if (!Number.isInteger(Math.log2(bitCount)) || bitCount < 32) throw new Error(`key filter: ${bitCount} bits is not a power of two ≥ 32`);
    this.bits = new Uint32Array(bitCount / 32);
    this.mask = bitCount - 1;
  }

  add(key: string): void {
    const [a, b] = this.probes(key);
    this.bits[a >>> 5]! |= 1 << (a & 31);
    this.bits[b >>> 5]! |= 1 << (b & 31);
  }

  mayHave(key: string): boolean {
    const [a, b] = this.probes(key);
    return (this.bits[a >>> 5]! & (1 << (a & 31))) !== 0 && (this.bits[b >>> 5]! & (1 << (b & 31))) !== 0;
  }

  /** Two bit positions from FNV-1a over the key's UTF-16 code units, the second from a remix of the hash. */
  private probes(key: string): [number, number] {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i += 1) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    const g = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    return [h & this.mask, (g ^ (g >>> 12)) & this.mask];
  }
}

/**
 * One part of the engine's state on disk behind a bounded cache. Entries set or read since the last
 * save are "dirty" (the engine may mutate what it reads) and stay in memory until a capture takes
 * them; once written they join the clean cache, which keeps the newest `cacheMax`.
 */
export class DiskStateMap<V> implements StateMap<V> {
  private readonly dirty = new Map<string, V>();
  /** Taken by `capture` and not yet written: newer than what the disk holds. */
  private readonly captured = new Map<string, V>();
  /** The captured entries as [key, stored text]: encoded when taken, written later. */
  private capturedRows: [string, string][] = [];
  private readonly clean = new Map<string, V>();
  private readonly select: Database.Statement<[string, number, string, string], { state: string }>;
  private readonly exists: Database.Statement<[string, number, string, string], number>;
  private readonly upsert: Database.Statement<[string, number, string, string, string]>;
  private readonly keys: Database.Statement<[string, number, string], string>;
  private readonly layout: PartLayout<V>;
  /** Filled from the table on first use (all at once), then as writes add keys; null until then. */
  private filter: KeyFilter | null;

  constructor(
    db: Database.Database,
    private readonly group: string,
    private readonly ruleVersion: number,
    private readonly part: GrowingPart,
    /** Overrides the part's cache size (tests make it tiny, so every read goes to disk). */
    cacheMax?: number,
    /** The lane was just emptied: nothing of it is on disk. */
    fresh = false,
  ) {
    const layout = PART_LAYOUTS[part] as PartLayout<unknown> as PartLayout<V>;
    this.layout = cacheMax === undefined ? layout : { ...layout, cacheMax };
    this.select = db.prepare("SELECT state FROM engine_entries WHERE grp = ? AND rule_version = ? AND part = ? AND key = ?");
    this.exists = db
      .prepare<[string, number, string, string], number>(
        "SELECT 1 FROM engine_entries WHERE grp = ? AND rule_version = ? AND part = ? AND key = ?",
      )
      .pluck();
    this.upsert = db.prepare(`INSERT INTO engine_entries (grp, rule_version, part, key, state) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (grp, rule_version, part, key) DO UPDATE SET state = excluded.state`);
    this.keys = db
      .prepare<[string, number, string], string>("SELECT key FROM engine_entries WHERE grp = ? AND rule_version = ? AND part = ?")
      .pluck();
    this.filter = fresh ? new KeyFilter(this.layout.filterBits) : null;
  }

  private mayBeOnDisk(key: string): boolean {
    if (this.filter === null) {
      this.filter = new KeyFilter(this.layout.filterBits);
      for (const onDisk of this.keys.iterate(this.group, this.ruleVersion, this.part)) this.filter.add(onDisk);
    }
    return this.filter.mayHave(key);
  }

  private fromDisk(key: string): V | undefined {
    if (!this.mayBeOnDisk(key)) return undefined;
    const row = this.select.get(this.group, this.ruleVersion, this.part, key);
    return row === undefined ? undefined : this.layout.codec.decode(key, row.state);
  }

  get(key: string): V | undefined {
    const dirty = this.dirty.get(key);
    if (dirty !== undefined) return dirty; // the common case: already kept until the next capture
    const value = this.captured.get(key) ?? this.clean.get(key) ?? this.fromDisk(key);
    if (value !== undefined) this.set(key, value); // the caller may change it: keep it until the next capture
    return value;
  }

  /** Without decoding: a key on disk is answered by the primary key's index alone. */
  has(key: string): boolean {
    return (
      this.dirty.has(key) ||
      this.captured.has(key) ||
      this.clean.has(key) ||
      (this.mayBeOnDisk(key) && this.exists.get(this.group, this.ruleVersion, this.part, key) !== undefined)
    );
  }

  set(key: string, value: V): this {
    this.clean.delete(key);
    this.captured.delete(key); // its captured text is taken; from here on the dirty copy is the newer one
    this.dirty.set(key, value);
    return this;
  }

  /** Encodes every entry changed since the last capture, as it is now; they stay in memory until `written`. */
  capture(): void {
    if (this.capturedRows.length > 0) throw new Error(`engine snapshot: a capture of ${this.part} was not written before the next one`);
    for (const [key, value] of this.dirty) {
      this.capturedRows.push([key, this.layout.codec.encode(value)]);
      this.captured.set(key, value);
    }
    this.dirty.clear();
  }

  /** Writes the last capture's rows; call inside the transaction that saves the rest of the state. */
  writeCaptured(): void {
    for (const [key, text] of this.capturedRows) {
      this.upsert.run(this.group, this.ruleVersion, this.part, key, text);
      this.filter?.add(key);
    }
  }

  /** The last capture is on disk: its entries join the clean cache, which keeps the newest cacheMax. */
  written(): void {
    for (const [key, value] of this.captured) this.clean.set(key, value);
    this.captured.clear();
    this.capturedRows = [];
    for (const key of this.clean.keys()) {
      if (this.clean.size <= this.layout.cacheMax) break;
      this.clean.delete(key); // oldest first
    }
  }
}
