// `ledger replay` (SPEC §6): rebuild one projection, or the money projections as one set, at a new
// version while the active one keeps serving, print the diff, promote; list and drop versions. The
// operations themselves are services/replay.ts; this is how the command line asks for them and
// shows what they did.
import { InvalidArgumentError } from "commander";
import { isProjectionName, MONEY_PROJECTIONS, PROJECTION_NAMES, type ProjectionName } from "../../projections/projection.ts";
import { activeVersion, listVersions } from "../../projections/projector.ts";
import { loadConfig, type LedgerConfig } from "../config.ts";
import { Ledger } from "../ledger.ts";
import { openProjectionDb, openSnapshots } from "../ledgerFiles.ts";
import { createLogger } from "../logger.ts";
import { projectionVersions } from "../reads/replayReads.ts";
import {
  currentVersion,
  diffChange,
  diffVersions,
  dropVersion,
  lonePromotionProblem,
  promote,
  promoteSet,
  rebuild,
  RebuildRefused,
  rebuildSet,
  targetRuleVersion,
  type DiffRow,
} from "../replay.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { ingestValidated } from "../ingest/ingest.ts";
import { positionProgress } from "./progress.ts";
import { textTable, type Cell } from "./textTable.ts";

export type ReplayOptions = { rules?: number; version?: number; diff?: boolean | string; promote?: boolean; actor?: string };

/**
 * SPEC §14: every promotion is recorded in the log as `ProjectionPromoted` (who changed how history
 * is read, and when), appended once the switch is committed, one event per promoted projection.
 */
async function recordPromotions(
  ledger: Ledger,
  actor: string,
  promoted: readonly { name: ProjectionName; version: number; ruleVersion: number }[],
) {
  const now = new Date();
  const events = promoted.map((p) => ({
    id: `projection-promoted:${p.name}:v${p.version}:${now.getTime()}`,
    type: "ProjectionPromoted",
    occurredAt: now.toISOString(),
    data: { projection: p.name, version: p.version, ruleVersion: p.ruleVersion, actor },
  }));
  const result = await ingestValidated(ledger.store, validateBatch(events, { internal: true }));
  if (result.kind !== "appended") throw new Error(`recording the promotion in the log failed: ${JSON.stringify(result).slice(0, 300)}`);
  process.stderr.write(`recorded in the log at position ${result.lastPosition} (ProjectionPromoted, actor ${actor})\n`);
}

/** Who promotes: --actor, else the operating system's user. */
function actorOf(opts: ReplayOptions): string {
  return opts.actor ?? process.env.USER ?? "cli";
}

/** `ledger replay <projection|money|list|drop> [projection]`: what the command's arguments ask for. */
export async function replay(what: string, projection: string | undefined, opts: ReplayOptions): Promise<void> {
  const config = loadConfig();
  if (what === "list") return replayList(config, projection === undefined ? [...PROJECTION_NAMES] : [projectionName(projection)]);
  if (what === "drop") {
    if (projection === undefined || opts.version === undefined)
      throw new InvalidArgumentError("drop needs a projection and --version N, e.g. ledger replay drop earnings --version 3");
    const name = projectionName(projection);
    const db = await openProjectionDb(config, name);
    try {
      await dropVersion(db, name, opts.version);
    } finally {
      await db.close();
    }
    process.stderr.write(`dropped ${name} v${opts.version}\n`);
    return;
  }
  if (projection !== undefined) throw new InvalidArgumentError(`unexpected argument '${projection}'`);
  if (what === "money") return replayMoney(config, opts);
  await replayBuild(config, projectionName(what), opts);
}

function projectionName(text: string): ProjectionName {
  if (!isProjectionName(text))
    throw new InvalidArgumentError(`'${text}' is not a projection: one of ${PROJECTION_NAMES.join(", ")} (or money, list, drop)`);
  return text;
}

/** `ledger replay list`: each version of each projection, as the API's GET /v1/projections has them. */
async function replayList(config: LedgerConfig, names: readonly ProjectionName[]) {
  const ledger = await Ledger.open(config, createLogger("warn"));
  try {
    const rows: Cell[][] = [];
    for (const { name, versions } of (await projectionVersions(ledger)).projections) {
      if (!names.includes(name)) continue;
      for (const v of versions) rows.push([name, v.version, v.ruleVersion, v.status, v.position, v.lag, v.createdAt]);
    }
    process.stdout.write(textTable(["projection", "version", "rules", "status", "position", "lag", "created"], rows));
  } finally {
    await ledger.close();
  }
}

function diffFormat(diff: boolean | string | undefined): string | null {
  const format = diff === undefined || diff === false ? null : diff === true ? "table" : diff;
  if (format !== null && !["table", "csv", "json"].includes(format))
    throw new InvalidArgumentError(`--diff takes table, csv or json, not '${format}'`);
  return format;
}

/** The rule version each money projection is active at now. */
async function activeRuleVersions(ledger: Ledger): Promise<Map<ProjectionName, number>> {
  const rules = new Map<ProjectionName, number>();
  for (const name of MONEY_PROJECTIONS) {
    const active = await activeVersion(ledger.reads[name].db, name);
    if (active) rules.set(name, active.ruleVersion);
  }
  return rules;
}

async function replayBuild(config: LedgerConfig, name: ProjectionName, opts: ReplayOptions) {
  const format = diffFormat(opts.diff);
  const ledger = await Ledger.open(config, createLogger("warn"));
  const db = await openProjectionDb(config, name);
  const snapshots = openSnapshots(config, ledger.store, ledger.log);
  try {
    const rebuildOptions = { snapshots, version: opts.version, ruleVersion: opts.rules, defaultRuleVersion: config.ruleVersion };
    // Refused before anything is built: one money projection promoted alone at another rule version.
    if (opts.promote) {
      const problem = lonePromotionProblem(name, await targetRuleVersion(db, name, rebuildOptions), await activeRuleVersions(ledger));
      if (problem !== null) throw new RebuildRefused(problem);
    }
    const oldVersion = await currentVersion(db, name);
    const progress = positionProgress(`replay ${name}`, await ledger.store.head());
    const { projector, resumed } = await rebuild(ledger.store, db, name, { ...rebuildOptions, onProgress: progress.onProgress }).finally(
      progress.stop,
    );
    process.stderr.write(
      `${resumed ? "caught up" : "built"} ${name} v${projector.version} (rule version ${projector.ruleVersion}) at position ${projector.position}\n`,
    );
    if (format !== null) {
      const old = (await listVersions(db, name)).find((v) => v.version === oldVersion);
      process.stderr.write(
        `diff: ${name} v${oldVersion} at position ${old?.position ?? "?"} against v${projector.version} at position ${projector.position}\n`,
      );
      printDiff(await diffVersions(db, name, oldVersion, projector.version), format, name, oldVersion, projector.version);
    }
    if (opts.promote) {
      await promote(db, name, projector.version);
      process.stderr.write(`promoted ${name} v${projector.version}; v${oldVersion} retired\n`);
      await recordPromotions(ledger, actorOf(opts), [{ name, version: projector.version, ruleVersion: projector.ruleVersion }]);
    }
  } finally {
    await snapshots.close();
    await db.close();
    await ledger.close();
  }
}

/**
 * `ledger replay money`: the money projections rebuilt as one set at one rule version (one engine,
 * one pass), each one's diff, and with --promote the set promoted together (services/replay.ts
 * promoteSet), so no read model is ever active at another rule version than the others.
 */
async function replayMoney(config: LedgerConfig, opts: ReplayOptions) {
  if (opts.version !== undefined)
    throw new InvalidArgumentError(
      "--version names one projection's copy; a set is built into each projection's next version (drop --version)",
    );
  const format = diffFormat(opts.diff);
  if (format === "csv")
    throw new InvalidArgumentError(
      "--diff csv is one table per projection: diff the set as table or json, or one projection as csv (ledger replay earnings --rules N --diff csv)",
    );
  const ledger = await Ledger.open(config, createLogger("warn"));
  const dbs = new Map<ProjectionName, Awaited<ReturnType<typeof openProjectionDb>>>();
  const snapshots = openSnapshots(config, ledger.store, ledger.log);
  try {
    for (const name of MONEY_PROJECTIONS) dbs.set(name, await openProjectionDb(config, name));
    const oldVersions = new Map<ProjectionName, number>();
    for (const [name, db] of dbs) oldVersions.set(name, await currentVersion(db, name));
    const progress = positionProgress(`replay ${MONEY_PROJECTIONS.join("+")}`, await ledger.store.head());
    const built = await rebuildSet(ledger.store, dbs, {
      snapshots,
      ruleVersion: opts.rules,
      defaultRuleVersion: config.ruleVersion,
      onProgress: progress.onProgress,
    }).finally(progress.stop);
    for (const { projector, resumed } of built) {
      process.stderr.write(
        `${resumed ? "caught up" : "built"} ${projector.name} v${projector.version} (rule version ${projector.ruleVersion}) at position ${projector.position}\n`,
      );
    }
    if (format === "json") {
      const projections = [];
      for (const { projector } of built) {
        const oldVersion = oldVersions.get(projector.name)!;
        const changes = (await diffVersions(projector.db, projector.name, oldVersion, projector.version)).map(diffChange);
        projections.push({ projection: projector.name, oldVersion, newVersion: projector.version, changed: changes.length, changes });
      }
      process.stdout.write(JSON.stringify({ ruleVersion: built[0]!.projector.ruleVersion, projections }, null, 2) + "\n");
    } else if (format === "table") {
      for (const { projector } of built) {
        const oldVersion = oldVersions.get(projector.name)!;
        printDiff(
          await diffVersions(projector.db, projector.name, oldVersion, projector.version),
          "table",
          projector.name,
          oldVersion,
          projector.version,
        );
      }
    }
    if (opts.promote) {
      await promoteSet(dbs, new Map(built.map(({ projector }) => [projector.name, projector.version])));
      const moved = built
        .map(({ projector }) => `${projector.name} v${oldVersions.get(projector.name)} → v${projector.version}`)
        .join(", ");
      process.stderr.write(`promoted as one set at rule version ${built[0]!.projector.ruleVersion}: ${moved}\n`);
      await recordPromotions(
        ledger,
        actorOf(opts),
        built.map(({ projector }) => ({ name: projector.name, version: projector.version, ruleVersion: projector.ruleVersion })),
      );
    }
  } finally {
    await snapshots.close();
    for (const db of dbs.values()) await db.close();
    await ledger.close();
  }
}

/** The diff in the API's names (camelCase keys, currency, amounts as text): a table, CSV or JSON. */
function printDiff(rows: DiffRow[], format: string, name: string, oldVersion: number, newVersion: number) {
  const changes = rows.map(diffChange);
  if (format === "json")
    return void process.stdout.write(
      JSON.stringify({ projection: name, oldVersion, newVersion, changed: changes.length, changes }, null, 2) + "\n",
    );
  const header = changes.length > 0 ? Object.keys(changes[0]!) : ["field", "old", "new", "difference"];
  const cells = changes.map((c) => header.map((h) => (c as Record<string, Cell>)[h] ?? null));
  if (format === "csv") {
    const csvCell = (v: Cell) => (v === null ? "" : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
    return void process.stdout.write([header.join(","), ...cells.map((row) => row.map(csvCell).join(","))].join("\n") + "\n");
  }
  process.stdout.write(`${name}: v${oldVersion} → v${newVersion}: ${changes.length} changed amount(s)\n`);
  if (changes.length > 0) process.stdout.write(textTable(header, cells));
}
