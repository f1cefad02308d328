#!/usr/bin/env node
// The ledger's command line (commander): serve, ingest, replay, payouts run, demo, projectors.
import { Command, InvalidArgumentError } from "commander";
import cliProgress from "cli-progress";
import fs from "node:fs";
import path from "node:path";
import { parseLocalDate } from "../domain/calendar.ts";
import { isMarketplaceCode, MARKETPLACE_CODES, type MarketplaceCode } from "../domain/marketplaces.ts";
import { isProjectionName, MONEY_PROJECTIONS, PROJECTION_NAMES, type ProjectionName } from "../projections/projection.ts";
import { activeVersion, listVersions } from "../projections/projector.ts";
import { environmentHelp, loadConfig, parseProjectorList, type LedgerConfig } from "./config.ts";
import { countEventLines, ingestNdjson } from "./ingestFile.ts";
import { Ledger } from "./ledger.ts";
import { onStopRequest } from "./stopSignals.ts";
import { isProjected, openProjectionDb, openSnapshots } from "./ledgerFiles.ts";
import { createLogger } from "./logger.ts";
import { packageVersion } from "./packageVersion.ts";
import { runPayouts } from "./payoutRun.ts";
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
} from "./replay.ts";
import { projectionVersions } from "./replayReads.ts";
import { textTable, type Cell } from "./textTable.ts";
import { serve } from "./serve.ts";
import { demoDataset } from "./workload.ts";

const INGEST_BATCH_DEFAULT = 1_000;

function progressBar(label: string) {
  return new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate} events/s | ETA {eta}s`, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
}

/** Off a terminal (a log file, CI) the ingest progress is one line this often, and a last one. */
const INGEST_PROGRESS_LOG_INTERVAL_MS = 10_000;

/**
 * `ledger ingest` counts events. A file is counted first (countEventLines), so it gets a bar, a
 * percentage and an ETA; stdin has no total, so it shows events done and the rate.
 */
function ingestProgress(total: number | null) {
  const format =
    total === null
      ? "ingest {value} events | {rate} events/s | {duration_formatted}"
      : "ingest [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {etaText}";
  const bar = new cliProgress.SingleBar(
    { format, hideCursor: true, stream: process.stderr, noTTYOutput: true, notTTYSchedule: INGEST_PROGRESS_LOG_INTERVAL_MS },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  // The ETA from the average rate so far ("?" before the first batch): steady over a long file.
  const rate = (events: number) => {
    const perSecond = events / Math.max(0.001, (Date.now() - started) / 1000);
    return { rate: Math.round(perSecond), etaText: perSecond > 0 && total !== null ? `${Math.ceil(Math.max(0, total - events) / perSecond)}s` : "?" };
  };
  let events = 0;
  let stopped = false;
  bar.start(total ?? 0, 0, rate(0));
  return {
    update(eventsRead: number) {
      events = eventsRead;
      bar.update(events, rate(events));
    },
    /** All read: the events read are the total (the pre-count may include a line the reader skips). */
    finish() {
      if (total !== null) bar.setTotal(events);
      this.stop();
    },
    /** The last line (once). */
    stop() {
      if (stopped) return;
      stopped = true;
      bar.update(events, rate(events));
      bar.stop();
    },
  };
}

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be an integer ≥ 1");
  return n;
}

// Positional options: `--version` before a command is the package's version; after one it is that
// command's own option (`ledger replay earnings --version 2`).
const program = new Command("ledger")
  .description("Event-sourced commission ledger")
  .version(packageVersion(), "-V, --version", "print the package version")
  .enablePositionalOptions()
  .showHelpAfterError();

program
  .command("serve")
  .description("serve the HTTP API (embedded store by default; configured by the environment below)")
  .addHelpText("after", `\n${environmentHelp()}`)
  .action(async () => {
    await serve(loadConfig());
  });

program
  .command("projectors")
  .description("run projectors without the API, e.g. LEDGER_PROJECTORS=earnings ledger projectors")
  .option("--only <names>", "comma-separated projections (default: LEDGER_PROJECTORS or all)")
  .action(async (opts: { only?: string }) => {
    const config = loadConfig();
    const names = opts.only ? parseProjectorList(opts.only) : config.projectors;
    const log = createLogger(config.logLevel, `projector:${names.join("+")}`);
    const ledger = await Ledger.open(config, log, { projects: names });
    ledger.onProjectorFailure = (error) => {
      log.fatal({ err: error.message }, "a projector stopped; exiting so the supervisor restarts from the checkpoints");
      process.exit(1);
    };
    await ledger.startProjectors(names);
    log.info({ projectors: names }, "projectors running");
    onStopRequest((reason) => {
      log.info({ reason }, "shutting down");
      void ledger.close().then(() => process.exit(0));
    });
  });

program
  .command("ingest <file>")
  .description("append the events of an NDJSON file (`-`: stdin) in batches (idempotent: re-running appends nothing new)")
  .option("--batch <n>", "events per batch", int, INGEST_BATCH_DEFAULT)
  .option("--from-line <n>", "skip the lines before line n (resume where a refused batch stopped an earlier run)", int)
  .option("--keep-going", "go on past a refused batch instead of stopping there (later facts may depend on refused ones: see the summary's warning)")
  .option("--reject-file <path>", "with --keep-going: write each refused line there (line number, line, reasons) and append the rest of its batch")
  .addHelpText(
    "after",
    `
By default a batch with a bad line is refused whole and the ingest stops there: nothing from that
batch's first line on is appended, so no later fact lands without a fact it depends on (a click
without its campaign). The summary's stoppedAtLine says where to resume after fixing the lines named:
  ledger ingest events.ndjson --from-line <stoppedAtLine>`,
  )
  .action(async (file: string, opts: { batch: number; fromLine?: number; keepGoing?: boolean; rejectFile?: string }) => {
    const fromStdin = file === "-";
    if (opts.rejectFile !== undefined && !opts.keepGoing) {
      throw new InvalidArgumentError("--reject-file appends the rest of a batch past its refused lines and goes on: add --keep-going to say so");
    }
    // The reject file is emptied first: it must not be the input.
    if (opts.rejectFile !== undefined && !fromStdin && sameFile(file, opts.rejectFile)) {
      throw new InvalidArgumentError(`--reject-file ${opts.rejectFile} is the input file; name another file`);
    }
    // Counted before the store opens, so a missing file is named before anything else happens.
    const total = fromStdin ? null : await countEventLines(file);
    const config = loadConfig();
    const ledger = await Ledger.open(config, createLogger("warn"));
    const progress = ingestProgress(total);
    try {
      const input = fromStdin ? process.stdin : fs.createReadStream(file, { encoding: "utf8" });
      const summary = await ingestNdjson(ledger.store, input, {
        batch: opts.batch,
        keepGoing: opts.keepGoing,
        rejectFile: opts.rejectFile,
        fromLine: opts.fromLine,
        onProgress: (events) => progress.update(events),
      });
      if (summary.stoppedAtLine === undefined) progress.finish();
      else progress.stop();
      process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
      if (summary.stoppedAtLine !== undefined) {
        process.stderr.write(
          `ledger: stopped at line ${summary.stoppedAtLine}: its batch was refused (the summary's reasons name each bad line) and nothing from line ${summary.stoppedAtLine} on was appended; ` +
            `fix those lines, then resume with: ledger ingest ${file} --from-line ${summary.stoppedAtLine}\n`,
        );
      }
      if (summary.warning !== undefined) process.stderr.write(`ledger: warning: ${summary.warning}\n`);
      process.exitCode = summary.refusedEvents > 0 ? 1 : 0;
    } finally {
      progress.stop();
      await ledger.close();
    }
  });

/** Whether two paths name one existing file (through links and relative paths). */
function sameFile(a: string, b: string): boolean {
  const statB = fs.statSync(b, { throwIfNoEntry: false });
  if (statB === undefined) return false;
  const statA = fs.statSync(a);
  return statA.dev === statB.dev && statA.ino === statB.ino;
}

program
  .command("kafka-ingest")
  .description("consume event envelopes from LEDGER_KAFKA_TOPIC into the store; invalid ones go to LEDGER_KAFKA_DLQ_TOPIC")
  .action(async () => {
    const config = loadConfig();
    const log = createLogger(config.logLevel, "kafka-ingestor");
    const { runKafkaIngestor } = await import("./kafkaIngestor.ts");
    const running = await runKafkaIngestor(config, config.kafka, log);
    onStopRequest((reason) => {
      log.info({ reason }, "shutting down");
      void running.stop().then(() => process.exit(0));
    });
    void running.ingestor.crashed.then(async (error) => {
      log.fatal({ err: error.message }, "kafka consumer stopped for good; exiting so the supervisor restarts it");
      await running.stop().catch(() => {});
      process.exit(1);
    });
  });

program
  .command("replay")
  .argument("<projection|money|list|drop>", `a projection to rebuild (${PROJECTION_NAMES.join(", ")}); money: ${MONEY_PROJECTIONS.join(", ")} as one set; or list / drop`)
  .argument("[projection]", "list: only this projection; drop: the projection whose version to drop")
  .description("rebuild a projection at a new version from position 0 while the active one keeps serving; list or drop versions")
  .option("--rules <version>", "rule version of a new copy (default LEDGER_RULE_VERSION)", int)
  .option("--version <n>", "build into (or, with drop, drop) this version; an existing copy resumes at its own rule version", int)
  .option("--diff [format]", "print what changes against the active version: table (default), csv or json")
  .option("--promote", "make the copy the active version once built")
  .addHelpText(
    "after",
    `
Examples:
  ledger replay earnings --rules 2 --diff      build earnings at rule version 2 (or resume that copy) and show the changes
  ledger replay money --rules 2 --diff --promote
                                                build ${MONEY_PROJECTIONS.join(", ")} at rule version 2 as one set,
                                                show each one's changes, and promote the set together
  ledger replay earnings --version 3 --promote  promote v3 once caught up (it is not rebuilt at another rule version)

A rule version is changed for the money projections together: promoting one of them alone at a
rule version the others are not active at is refused (their figures would disagree).
  ledger replay list                            every version of every projection
  ledger replay drop earnings --version 3       drop a version that is not active`,
  )
  .action(async (what: string, projection: string | undefined, opts: { rules?: number; version?: number; diff?: boolean | string; promote?: boolean }) => {
    const config = loadConfig();
    if (what === "list") return replayList(config, projection === undefined ? [...PROJECTION_NAMES] : [projectionName(projection)]);
    if (what === "drop") {
      if (projection === undefined || opts.version === undefined) throw new InvalidArgumentError("drop needs a projection and --version N, e.g. ledger replay drop earnings --version 3");
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
  });

function projectionName(text: string): ProjectionName {
  if (!isProjectionName(text)) throw new InvalidArgumentError(`'${text}' is not a projection: one of ${PROJECTION_NAMES.join(", ")} (or money, list, drop)`);
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
  if (format !== null && !["table", "csv", "json"].includes(format)) throw new InvalidArgumentError(`--diff takes table, csv or json, not '${format}'`);
  return format;
}

/** A progress bar over the store's head while a rebuild runs. */
function rebuildProgress(label: string, head: number) {
  const bar = progressBar(label);
  bar.start(head, 0, { rate: 0 });
  const started = Date.now();
  return {
    onProgress: (position: number) => bar.update(position, { rate: Math.round(position / Math.max(0.001, (Date.now() - started) / 1000)) }),
    stop: () => bar.stop(),
  };
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

type ReplayOptions = { rules?: number; version?: number; diff?: boolean | string; promote?: boolean };

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
    const progress = rebuildProgress(`replay ${name}`, await ledger.store.head());
    const { projector, resumed } = await rebuild(ledger.store, db, name, { ...rebuildOptions, onProgress: progress.onProgress }).finally(progress.stop);
    process.stderr.write(`${resumed ? "caught up" : "built"} ${name} v${projector.version} (rule version ${projector.ruleVersion}) at position ${projector.position}\n`);
    if (format !== null) {
      const old = (await listVersions(db, name)).find((v) => v.version === oldVersion);
      process.stderr.write(`diff: ${name} v${oldVersion} at position ${old?.position ?? "?"} against v${projector.version} at position ${projector.position}\n`);
      printDiff(await diffVersions(db, name, oldVersion, projector.version), format, name, oldVersion, projector.version);
    }
    if (opts.promote) {
      await promote(db, name, projector.version);
      process.stderr.write(`promoted ${name} v${projector.version}; v${oldVersion} retired\n`);
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
  if (opts.version !== undefined) throw new InvalidArgumentError("--version names one projection's copy; a set is built into each projection's next version (drop --version)");
  const format = diffFormat(opts.diff);
  if (format === "csv") throw new InvalidArgumentError("--diff csv is one table per projection: diff the set as table or json, or one projection as csv (ledger replay earnings --rules N --diff csv)");
  const ledger = await Ledger.open(config, createLogger("warn"));
  const dbs = new Map<ProjectionName, Awaited<ReturnType<typeof openProjectionDb>>>();
  const snapshots = openSnapshots(config, ledger.store, ledger.log);
  try {
    for (const name of MONEY_PROJECTIONS) dbs.set(name, await openProjectionDb(config, name));
    const oldVersions = new Map<ProjectionName, number>();
    for (const [name, db] of dbs) oldVersions.set(name, await currentVersion(db, name));
    const progress = rebuildProgress(`replay ${MONEY_PROJECTIONS.join("+")}`, await ledger.store.head());
    const built = await rebuildSet(ledger.store, dbs, { snapshots, ruleVersion: opts.rules, defaultRuleVersion: config.ruleVersion, onProgress: progress.onProgress }).finally(progress.stop);
    for (const { projector, resumed } of built) {
      process.stderr.write(`${resumed ? "caught up" : "built"} ${projector.name} v${projector.version} (rule version ${projector.ruleVersion}) at position ${projector.position}\n`);
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
        printDiff(await diffVersions(projector.db, projector.name, oldVersion, projector.version), "table", projector.name, oldVersion, projector.version);
      }
    }
    if (opts.promote) {
      await promoteSet(dbs, new Map(built.map(({ projector }) => [projector.name, projector.version])));
      const moved = built.map(({ projector }) => `${projector.name} v${oldVersions.get(projector.name)} → v${projector.version}`).join(", ");
      process.stderr.write(`promoted as one set at rule version ${built[0]!.projector.ruleVersion}: ${moved}\n`);
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
  if (format === "json") return void process.stdout.write(JSON.stringify({ projection: name, oldVersion, newVersion, changed: changes.length, changes }, null, 2) + "\n");
  const header = changes.length > 0 ? Object.keys(changes[0]!) : ["field", "old", "new", "difference"];
  const cells = changes.map((c) => header.map((h) => (c as Record<string, Cell>)[h] ?? null));
  if (format === "csv") {
    const csvCell = (v: Cell) => (v === null ? "" : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
    return void process.stdout.write([header.join(","), ...cells.map((row) => row.map(csvCell).join(","))].join("\n") + "\n");
  }
  process.stdout.write(`${name}: v${oldVersion} → v${newVersion}: ${changes.length} changed amount(s)\n`);
  if (changes.length > 0) process.stdout.write(textTable(header, cells));
}

const LOCAL_DATE_EXAMPLE = "YYYY-MM-DD, e.g. 2026-06-01";

function marketplaceCode(value: string): MarketplaceCode {
  if (!isMarketplaceCode(value)) throw new InvalidArgumentError(`unknown marketplace: expected one of ${MARKETPLACE_CODES.join(", ")}`);
  return value;
}

/** A local date as the API takes it; `12/01/2026` would otherwise fail deep in the calendar. */
function localDateArgument(value: string): string {
  if (parseLocalDate(value) === null) throw new InvalidArgumentError(`not a local date: expected ${LOCAL_DATE_EXAMPLE} (years 1970-2999)`);
  return value;
}

const payouts = program.command("payouts").description("payout runs");
payouts
  .command("run")
  .requiredOption("--marketplace <code>", `marketplace: ${MARKETPLACE_CODES.join(", ")}`, marketplaceCode)
  .requiredOption("--as-of <date>", `local date ${LOCAL_DATE_EXAMPLE}`, localDateArgument)
  .option("--project", "also run the payout projector in this process (when no server or projector process runs it)")
  .description("issue PayoutIssued for every creator whose status is ready (waits for the payout projection)")
  .action(async (opts: { marketplace: MarketplaceCode; asOf: string; project?: boolean }) => {
    const config = loadConfig();
    // A run waits for the payout projection to catch up: without a projector it would wait in vain.
    if (!opts.project && !(await isProjected(config, "payout"))) {
      throw new Error("no process projects the payout projection (no server or `ledger projectors` runs it over this data); run again with --project to project it in this process");
    }
    const ledger = await Ledger.open(config, createLogger("warn"), { projects: opts.project ? ["payout"] : [] });
    if (opts.project) await ledger.startProjectors(["payout"]);
    const result = await runPayouts(ledger, opts.marketplace, opts.asOf);
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    await ledger.close();
  });

program
  .command("demo")
  .description("write the deterministic demo data set as NDJSON to stdout")
  .action(() => {
    for (const event of demoDataset()) process.stdout.write(JSON.stringify(event) + "\n");
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`ledger: ${(error as Error).message}\n`);
  process.exit(1);
});
