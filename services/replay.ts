// Replay (SPEC §6): rebuild one projection at a new version from position 0 into a fresh copy while
// the active copy keeps serving; diff the two per creator and campaign; promote atomically.
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../domain/marketplaces.ts";
import { formatMinor } from "../domain/money.ts";
import type { ReadModelDb } from "../infra/readModel/port.ts";
import { minor } from "../infra/readModel/port.ts";
import { BUCKET_COLUMNS } from "../projections/bucketColumns.ts";
import { tablePrefix, type ProjectionName } from "../projections/projection.ts";
import { activeVersion, ensureVersionsTable, listVersions, promote, Projector } from "../projections/projector.ts";
import { ProjectionRunner } from "../projections/runner.ts";
import type { EventStore } from "../infra/eventStore/port.ts";
import type { SnapshotStore } from "../infra/engineSnapshots.ts";
import { DEFINITIONS } from "../projections/definitions.ts";

const CATCH_UP_ROUNDS_MAX = 10;

export interface RebuildOptions {
  version?: number;
  ruleVersion: number;
  /** Where the engine keeps its shipments while rebuilding (bounded memory); in memory when absent. */
  snapshots?: SnapshotStore;
  batchSize?: number;
  onProgress?: (position: number, head: number) => void;
}

/** Builds `name` at a new (or given) version from position 0; returns that version. */
export async function rebuild(store: EventStore, db: ReadModelDb, name: ProjectionName, options: RebuildOptions): Promise<Projector> {
  await ensureVersionsTable(db);
  const versions = await listVersions(db, name);
  const version = options.version ?? Math.max(0, ...versions.map((v) => v.version)) + 1;
  const existing = versions.find((v) => v.version === version);
  if (existing?.status === "active") throw new Error(`${name} v${version} is the active version; rebuild into a new version`);
  const projector = await Projector.open(db, DEFINITIONS[name], { version, ruleVersion: options.ruleVersion, status: "building" });
  await projector.reset();
  await projector.verifyStore(store, "refuse"); // at position 0: records which store it is built from
  const head = await store.head();
  const group = `rebuild:${name}:v${version}`;
  const runner = new ProjectionRunner({
    store,
    projectors: [projector],
    group: options.snapshots ? group : null,
    snapshots: options.snapshots ?? null,
    batchSize: options.batchSize,
    onBatch: (position) => options.onProgress?.(position, head),
  });
  // The active copy keeps following the store meanwhile: catch up at least to where it is now, so a
  // diff compares the same events and shows only what the rules change.
  await runner.catchUp();
  for (let round = 0; round < CATCH_UP_ROUNDS_MAX; round += 1) {
    const active = await activeVersion(db, name);
    if (!active || active.version === projector.version || active.position <= projector.position) break;
    await runner.catchUp();
  }
  await options.snapshots?.remove(group);
  return projector;
}

/** What a diff compares, per projection: one row per key with a few amounts (minor units). */
const DIFF_VIEWS: Record<ProjectionName, { keys: string[]; values: readonly string[]; sql: (p: string) => string }> = {
  // Every view keys on the marketplace too: it says how many minor digits the amounts have.
  journal: { keys: ["account", "marketplace"], values: ["balance_minor"], sql: (p) => `SELECT account, marketplace, balance_minor FROM ${p}accounts` },
  earnings: {
    keys: ["creator_id", "campaign_id", "marketplace"],
    values: BUCKET_COLUMNS,
    sql: (p) => `SELECT creator_id, campaign_id, marketplace, ${BUCKET_COLUMNS.join(", ")} FROM ${p}campaigns`,
  },
  budget: { keys: ["campaign_id", "marketplace"], values: ["budget", "spent", "released"], sql: (p) => `SELECT campaign_id, marketplace, budget, spent, released FROM ${p}campaigns` },
  report: {
    keys: ["creator_id", "campaign_id", "marketplace"],
    values: ["units", "revenue", "earnings", "spend"],
    sql: (p) => `SELECT creator_id, campaign_id, marketplace, SUM(units) AS units, SUM(revenue) AS revenue, SUM(earnings) AS earnings, SUM(spend) AS spend
      FROM ${p}days GROUP BY creator_id, campaign_id, marketplace`,
  },
  payout: {
    keys: ["creator_id", "marketplace"],
    values: ["payable"],
    sql: (p) => `SELECT creator_id, marketplace, SUM(payable) AS payable FROM ${p}months GROUP BY creator_id, marketplace`,
  },
  // Endpoints and their deliveries hold no amounts a rule version could change: the diff is empty.
  webhooks: { keys: ["webhook_id"], values: [], sql: (p) => `SELECT webhook_id FROM ${p}endpoints` },
};

export interface DiffRow {
  key: Record<string, string>;
  field: string;
  oldMinor: bigint;
  newMinor: bigint;
  differenceMinor: bigint;
}

export async function diffVersions(db: ReadModelDb, name: ProjectionName, oldVersion: number, newVersion: number): Promise<DiffRow[]> {
  const view = DIFF_VIEWS[name];
  const load = async (version: number) => {
    const rows = await db.query<Record<string, unknown>>(view.sql(tablePrefix(name, version)));
    return new Map(rows.map((r) => [JSON.stringify(view.keys.map((k) => r[k])), r]));
  };
  const before = await load(oldVersion);
  const after = await load(newVersion);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: DiffRow[] = [];
  for (const key of keys) {
    const keyValues = JSON.parse(key) as string[];
    for (const field of view.values) {
      const oldMinor = minor(before.get(key)?.[field] ?? 0);
      const newMinor = minor(after.get(key)?.[field] ?? 0);
      if (oldMinor !== newMinor) {
        out.push({ key: Object.fromEntries(view.keys.map((k, i) => [k, keyValues[i]!])), field, oldMinor, newMinor, differenceMinor: newMinor - oldMinor });
      }
    }
  }
  return out;
}

/** A diff row's amounts as text: money with its marketplace's minor digits; units are a count. */
export function diffAmounts(row: DiffRow): { old: string; new: string; difference: string } {
  const digits = row.field === "units" ? 0 : DEFAULT_MARKETPLACES[row.key.marketplace as MarketplaceCode].minorDigits;
  return { old: formatMinor(row.oldMinor, digits), new: formatMinor(row.newMinor, digits), difference: formatMinor(row.differenceMinor, digits) };
}

export async function currentVersion(db: ReadModelDb, name: ProjectionName): Promise<number> {
  const active = await activeVersion(db, name);
  if (!active) throw new Error(`${name} has no active version`);
  return active.version;
}

export { promote };
