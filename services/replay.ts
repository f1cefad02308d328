// Replay (SPEC §6): rebuild one projection at a new version from position 0 into a fresh copy while
// the active copy keeps serving; diff the two per creator and campaign; promote atomically.
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../domain/marketplaces.ts";
import { formatMinor } from "../domain/money.ts";
import type { ReadModelDb } from "../infra/readModel/port.ts";
import { minor } from "../infra/readModel/port.ts";
import { BUCKET_COLUMNS } from "../projections/bucketColumns.ts";
import { isMoneyProjection, MONEY_PROJECTIONS, tablePrefix, type ProjectionName } from "../projections/projection.ts";
import { assert } from "../domain/assert.ts";
import {
  activeVersion,
  ensureVersionsTable,
  listVersions,
  promote,
  promoteIn,
  Projector,
  type VersionInfo,
} from "../projections/projector.ts";
import { ProjectionRunner } from "../projections/runner.ts";
import type { EventStore } from "../infra/eventStore/port.ts";
import type { SnapshotStore } from "../infra/engineSnapshots.ts";
import { DEFINITIONS } from "../projections/definitions.ts";
import { ruleVersion } from "../domain/rules.ts";

const CATCH_UP_ROUNDS_MAX = 10;

export interface RebuildOptions {
  /** Build into this version: an existing one that is not active resumes at its own rule version. */
  version?: number;
  /** Rule version of a new copy (--rules); an existing copy keeps its own (a different one is refused). */
  ruleVersion?: number;
  /** Rule version of a new copy when `ruleVersion` is not given (LEDGER_RULE_VERSION). */
  defaultRuleVersion: number;
  /** Where the engine keeps its shipments while rebuilding (bounded memory); in memory when absent. */
  snapshots?: SnapshotStore;
  batchSize?: number;
  onProgress?: (position: number, head: number) => void;
}

/** A rebuild that cannot start as asked (nothing was created or changed). */
export class RebuildRefused extends Error {}

/**
 * Which version a rebuild builds into: the one asked for (`--version`), else a copy still being
 * built at the same rule version (a re-run resumes it instead of leaving it behind), else a new one.
 */
function target(
  versions: readonly VersionInfo[],
  name: ProjectionName,
  options: RebuildOptions,
): { version: number; ruleVersion: number; existing: boolean } {
  if (options.version !== undefined) {
    const existing = versions.find((v) => v.version === options.version);
    if (existing?.status === "active")
      throw new RebuildRefused(`${name} v${existing.version} is the active version; rebuild into another version`);
    if (existing && options.ruleVersion !== undefined && options.ruleVersion !== existing.ruleVersion) {
      throw new RebuildRefused(
        `${name} v${existing.version} is built at rule version ${existing.ruleVersion}, not ${options.ruleVersion}: drop it first (ledger replay drop ${name} --version ${existing.version}) or choose another --version`,
      );
    }
    if (existing) return { version: existing.version, ruleVersion: existing.ruleVersion, existing: true };
    return { version: options.version, ruleVersion: options.ruleVersion ?? options.defaultRuleVersion, existing: false };
  }
  const rules = options.ruleVersion ?? options.defaultRuleVersion;
  const building = versions.filter((v) => v.status === "building" && v.ruleVersion === rules).at(-1);
  if (building) return { version: building.version, ruleVersion: rules, existing: true };
  return { version: Math.max(0, ...versions.map((v) => v.version)) + 1, ruleVersion: rules, existing: false };
}

/**
 * Builds `name` from position 0 into a copy the active one does not see (SPEC §6): a new version,
 * or one already there (it resumes from its checkpoint). A copy this call created and could not
 * build is dropped again: a failed rebuild leaves nothing behind.
 */
export async function rebuild(
  store: EventStore,
  db: ReadModelDb,
  name: ProjectionName,
  options: RebuildOptions,
): Promise<{ projector: Projector; resumed: boolean }> {
  const [built] = await rebuildSet(store, new Map([[name, db]]), options);
  return built!;
}

/**
 * Builds several projections as one set: each into its own copy (as `rebuild` does), all at one
 * rule version, folded by one engine in one pass, so they stand at the same position when caught up
 * (`ledger replay money`: the money projections rebuilt together before promoteSet).
 */
export async function rebuildSet(
  store: EventStore,
  dbs: ReadonlyMap<ProjectionName, ReadModelDb>,
  options: RebuildOptions,
): Promise<{ projector: Projector; resumed: boolean }[]> {
  const targets: { name: ProjectionName; db: ReadModelDb; version: number; ruleVersion: number; existing: boolean }[] = [];
  for (const [name, db] of dbs) {
    await ensureVersionsTable(db);
    targets.push({ name, db, ...target(await listVersions(db, name), name, options) });
  }
  // An unknown rule version, or a set that would be built at two, is refused before anything is created.
  for (const t of targets) ruleVersion(t.ruleVersion);
  const rules = new Set(targets.map((t) => t.ruleVersion));
  if (rules.size > 1)
    throw new RebuildRefused(`a set is built at one rule version, not ${targets.map((t) => `${t.name} at ${t.ruleVersion}`).join(", ")}`);
  const built: { projector: Projector; resumed: boolean }[] = [];
  try {
    for (const t of targets) {
      const projector = await Projector.open(t.db, DEFINITIONS[t.name], {
        version: t.version,
        ruleVersion: t.ruleVersion,
        status: "building",
      });
      built.push({ projector, resumed: t.existing });
      await projector.verifyStore(store, "refuse"); // records which store it is built from (at 0), or checks it
    }
    const projectors = built.map((b) => b.projector);
    const head = await store.head();
    const group = `rebuild:${projectors.map((p) => `${p.name}:v${p.version}`).join("+")}`;
    const runner = new ProjectionRunner({
      store,
      projectors,
      group: options.snapshots ? group : null,
      snapshots: options.snapshots ?? null,
      batchSize: options.batchSize,
      onBatch: (position) => options.onProgress?.(position, head),
    });
    // The active copies keep following the store meanwhile: catch up at least to where they are
    // now, so a diff compares the same events and shows only what the rules change.
    await runner.catchUp();
    for (let round = 0; round < CATCH_UP_ROUNDS_MAX; round += 1) {
      let behind = false;
      for (const { projector } of built) {
        const active = await activeVersion(projector.db, projector.name);
        if (active && active.version !== projector.version && active.position > projector.position) behind = true;
      }
      if (!behind) break;
      await runner.catchUp();
    }
    await options.snapshots?.remove(group);
    return built;
  } catch (error) {
    for (const t of targets) if (!t.existing) await dropVersion(t.db, t.name, t.version).catch(() => undefined);
    throw error;
  }
}

/**
 * Why promoting `name` at `rules` alone would leave the money projections at different rule
 * versions (issue 22.1: an earnings total the journal does not have), or null. `activeRules`: the
 * rule version each money projection is active at now.
 */
export function lonePromotionProblem(name: ProjectionName, rules: number, activeRules: ReadonlyMap<ProjectionName, number>): string | null {
  if (!isMoneyProjection(name)) return null;
  const others = MONEY_PROJECTIONS.filter((other) => other !== name && activeRules.get(other) !== rules);
  if (others.length === 0) return null;
  return (
    `promoting ${name} at rule version ${rules} alone would leave ${others.map((o) => `${o} at rule version ${activeRules.get(o) ?? "none"}`).join(", ")}: ` +
    `their figures would disagree (an earnings total the journal and the payout status do not have). Rebuild and promote them as one set: ledger replay money --rules ${rules} --promote`
  );
}

/** The rule version of the copy a rebuild of `name` would build into (what `target` picks), without building it. */
export async function targetRuleVersion(db: ReadModelDb, name: ProjectionName, options: RebuildOptions): Promise<number> {
  await ensureVersionsTable(db);
  return target(await listVersions(db, name), name, options).ruleVersion;
}

/**
 * Makes each built copy of a set the active version of its projection (SPEC §6), all or nothing as
 * far as the databases allow. On PostgreSQL every projection's row is in one table of one schema:
 * one transaction switches them all. SQLite read models are one file per projection: a write
 * transaction is opened on every file and every switch made before the first commits, so the
 * commits follow one another within microseconds; a process killed between two of them leaves the
 * set mixed, which /v1/health reports (degraded) until the promotion is run again.
 */
export async function promoteSet(
  dbs: ReadonlyMap<ProjectionName, ReadModelDb>,
  versions: ReadonlyMap<ProjectionName, number>,
): Promise<void> {
  const entries = [...versions].map(([name, version]) => ({ name, version, db: dbs.get(name)! }));
  assert(
    entries.every((e) => e.db !== undefined),
    "promoteSet: a version without its database",
  );
  if (entries.length === 0) return;
  if (entries.every((e) => e.db.dialect === "postgres")) {
    await entries[0]!.db.transaction(async (tx) => {
      for (const e of entries) await promoteIn(tx, e.name, e.version);
    });
    return;
  }
  const promoteFrom = async (i: number): Promise<void> => {
    if (i === entries.length) return;
    const e = entries[i]!;
    await e.db.transaction(async (tx) => {
      await promoteIn(tx, e.name, e.version);
      await promoteFrom(i + 1); // the inner transactions commit first, all before this one does
    });
  };
  await promoteFrom(0);
}

/** Drops a version that is not active: its tables and its row (`ledger replay drop`). */
export async function dropVersion(db: ReadModelDb, name: ProjectionName, version: number): Promise<void> {
  const info = (await listVersions(db, name)).find((v) => v.version === version);
  if (!info) throw new RebuildRefused(`${name} has no version ${version}`);
  if (info.status === "active")
    throw new RebuildRefused(`${name} v${version} is the active version: promote another one before dropping it`);
  await db.transaction(async (tx) => {
    for (const table of Object.keys(DEFINITIONS[name].tables)) await tx.run(`DROP TABLE IF EXISTS ${tablePrefix(name, version)}${table}`);
    await tx.run("DELETE FROM projections WHERE name = ? AND version = ? AND status <> 'active'", [name, version]);
  });
}

/** What a diff compares, per projection: one row per key with a few amounts (minor units). */
const DIFF_VIEWS: Record<ProjectionName, { keys: string[]; values: readonly string[]; sql: (p: string) => string }> = {
  // Every view keys on the marketplace too: it says how many minor digits the amounts have.
  journal: {
    keys: ["account", "marketplace"],
    values: ["balance_minor"],
    sql: (p) => `SELECT account, marketplace, balance_minor FROM ${p}accounts`,
  },
  earnings: {
    keys: ["creator_id", "campaign_id", "marketplace"],
    values: BUCKET_COLUMNS,
    sql: (p) => `SELECT creator_id, campaign_id, marketplace, ${BUCKET_COLUMNS.join(", ")} FROM ${p}campaigns`,
  },
  budget: {
    keys: ["campaign_id", "marketplace"],
    values: ["budget", "spent", "released"],
    sql: (p) => `SELECT campaign_id, marketplace, budget, spent, released FROM ${p}campaigns`,
  },
  report: {
    keys: ["creator_id", "campaign_id", "marketplace"],
    values: ["units", "revenue", "earnings", "spend"],
    sql: (
      p,
    ) => `SELECT creator_id, campaign_id, marketplace, SUM(units) AS units, SUM(revenue) AS revenue, SUM(earnings) AS earnings, SUM(spend) AS spend
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
        out.push({
          key: Object.fromEntries(view.keys.map((k, i) => [k, keyValues[i]!])),
          field,
          oldMinor,
          newMinor,
          differenceMinor: newMinor - oldMinor,
        });
      }
    }
  }
  return out;
}

/** A diff row's amounts as text: money with its marketplace's minor digits; units are a count. */
export function diffAmounts(row: DiffRow): { old: string; new: string; difference: string } {
  const digits = row.field === "units" ? 0 : DEFAULT_MARKETPLACES[row.key.marketplace as MarketplaceCode].minorDigits;
  return {
    old: formatMinor(row.oldMinor, digits),
    new: formatMinor(row.newMinor, digits),
    difference: formatMinor(row.differenceMinor, digits),
  };
}

/** A read-model column as the API names things: `creator_id` → creatorId, `balance_minor` → balance (formatted money). */
export function apiName(column: string): string {
  return column.replace(/_minor$/, "").replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** One changed amount as the API and the CLI show it: its key in the API's names, the currency, the amounts as text. */
export function diffChange(row: DiffRow) {
  const key = Object.fromEntries(Object.entries(row.key).map(([column, value]) => [apiName(column), value]));
  const currency = row.field === "units" ? null : DEFAULT_MARKETPLACES[row.key.marketplace as MarketplaceCode].currency;
  return { ...key, currency, field: apiName(row.field), ...diffAmounts(row) };
}

export async function currentVersion(db: ReadModelDb, name: ProjectionName): Promise<number> {
  const active = await activeVersion(db, name);
  if (!active) throw new Error(`${name} has no active version`);
  return active.version;
}

export { promote };
