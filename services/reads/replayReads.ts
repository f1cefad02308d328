// The replay reads of the API (SPEC §6, §10): each projection's versions, and what a version being
// rebuilt changes against the active one, so an engineer reviews a rebuild before anyone promotes it
// (promoting stays a CLI act: `ledger replay … --promote`). Both describe the read models as they are
// now, so they take no asOfPosition.
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { isProjectionName, PROJECTION_NAMES, type ProjectionName } from "../../projections/projection.ts";
import { listVersions, type VersionInfo } from "../../projections/projector.ts";
import { checkpointTimes, shownStatus } from "../../projections/versionProgress.ts";
import type { Ledger } from "../ledger.ts";
import { diffChange, diffVersions } from "../replay.ts";

/** Changed amounts on one page of a diff, at most. */
export const DIFF_PAGE_MAX = 1_000;

/** What a diff row is keyed by, per projection (DIFF_VIEWS in replay.ts); every view keys on the marketplace. */
interface DiffKey {
  marketplace: MarketplaceCode;
  creatorId?: string;
  /** null: an adjustment without a campaign (SPEC §8.4). */
  campaignId?: string | null;
  account?: string;
}

/** Each version of `name` with its lag behind `head` and its shown status (LEDGER_HEALTH_STALL_MS: versionProgress.ts). */
async function shownVersions(ledger: Ledger, name: ProjectionName, head: number) {
  const db = ledger.reads[name].db;
  const versions = await listVersions(db, name);
  const times = await checkpointTimes(db, name);
  const nowMs = Date.now();
  return versions.map((v: VersionInfo) => {
    const lag = Math.max(0, head - v.position);
    return { ...v, lag, shown: shownStatus(v.status, lag, times.get(v.version), nowMs, ledger.config.health.stallMs) };
  });
}

export async function projectionVersions(ledger: Ledger) {
  const head = await ledger.store.head();
  const projections = [];
  for (const name of PROJECTION_NAMES) {
    const versions = await shownVersions(ledger, name, head);
    projections.push({
      name,
      versions: versions.map((v) => ({
        version: v.version,
        ruleVersion: v.ruleVersion,
        status: v.shown,
        position: v.position,
        lag: v.lag,
        createdAt: v.createdAt,
      })),
    });
  }
  return { head, projections };
}

/**
 * `version` against the active version of `name`: each changed amount (old = active, new = version),
 * `limit` of them from the `after`-th on. Null for an unknown projection or version (a 404).
 * Each page compares the two versions' tables whole (DIFF_VIEWS in replay.ts: one row per key).
 */
export async function projectionDiff(ledger: Ledger, name: string, version: number, after: number, limit: number) {
  if (!isProjectionName(name)) return null;
  const db = ledger.reads[name].db;
  const versions = await shownVersions(ledger, name, await ledger.store.head());
  const active = versions.find((v) => v.status === "active");
  const wanted = versions.find((v) => v.version === version);
  if (active === undefined || wanted === undefined) return null;
  const rows = await diffVersions(db, name, active.version, version);
  const changes = rows.slice(after, after + limit).map((row) => diffChange(row) as unknown as DiffKey & ReturnType<typeof diffChange>);
  return {
    projection: name,
    version: wanted.version,
    ruleVersion: wanted.ruleVersion,
    status: wanted.shown,
    position: wanted.position,
    activeVersion: active.version,
    activeRuleVersion: active.ruleVersion,
    activePosition: active.position,
    changed: rows.length,
    changes,
    next: after + limit < rows.length ? after + limit : null,
  };
}
