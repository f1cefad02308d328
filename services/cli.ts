#!/usr/bin/env node
// The ledger's command line (commander): serve, ingest, replay, payouts run, trueup, verify, demo, projectors. The
// entry point of every process (package.json, bin/ledger.js, the Dockerfile); its helpers (file
// ingest, progress bars, the replay commands) are in services/cli/.
import { asError } from "../domain/assert.ts";
import { Command, InvalidArgumentError } from "commander";
import fs from "node:fs";
import { parseLocalDate, YEAR_MAX, YEAR_MIN } from "../domain/calendar.ts";
import { isMarketplaceCode, MARKETPLACE_CODES, type MarketplaceCode } from "../domain/marketplaces.ts";
import { MONEY_PROJECTIONS, PROJECTION_NAMES } from "../projections/projection.ts";
import { demoDataset } from "../workload/demoDataset.ts";
import { countEventLines, ingestNdjson } from "./cli/ingestFile.ts";
import { packageVersion } from "./cli/packageVersion.ts";
import { ingestProgress, positionProgress } from "./cli/progress.ts";
import { verifyChain } from "../infra/eventStore/hashChain.ts";
import { openEventStore } from "../infra/eventStore/openEventStore.ts";
import { replay } from "./cli/replayCommands.ts";
import { runTrueUpCommand, TRUEUP_FORMATS, type TrueUpFormat, type TrueUpOptions } from "./cli/trueupCommand.ts";
import { environmentHelp, loadConfig, parseProjectorList } from "./config.ts";
import { Ledger } from "./ledger.ts";
import { isProjected } from "./ledgerFiles.ts";
import { createLogger } from "./logger.ts";
import { runPayouts } from "./payoutRun.ts";
import { serve } from "./serve.ts";
import { onStopRequest } from "./stopSignals.ts";

const INGEST_BATCH_DEFAULT = 1_000;

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be an integer ≥ 1");
  return n;
}

// Positional options: `--version` before a command is the package's version; after one it is that
// command's own option (`ledger replay earnings --version 2`).
const program = new Command("ledger")
  .description("Event-sourced commission ledger")
  .version(packageVersion(import.meta.url), "-V, --version", "print the package version")
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
  .option(
    "--keep-going",
    "go on past a refused batch instead of stopping there (later facts may depend on refused ones: see the summary's warning)",
  )
  .option(
    "--reject-file <path>",
    "with --keep-going: write each refused line there (line number, line, reasons) and append the rest of its batch",
  )
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
      throw new InvalidArgumentError(
        "--reject-file appends the rest of a batch past its refused lines and goes on: add --keep-going to say so",
      );
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
    const { runKafkaIngest } = await import("./kafkaIngest.ts");
    const running = await runKafkaIngest(config, config.kafka, log);
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
  .argument(
    "<projection|money|list|drop>",
    `a projection to rebuild (${PROJECTION_NAMES.join(", ")}); money: ${MONEY_PROJECTIONS.join(", ")} as one set; or list / drop`,
  )
  .argument("[projection]", "list: only this projection; drop: the projection whose version to drop")
  .description("rebuild a projection at a new version from position 0 while the active one keeps serving; list or drop versions")
  .option("--rules <version>", "rule version of a new copy (default LEDGER_RULE_VERSION)", int)
  .option("--version <n>", "build into (or, with drop, drop) this version; an existing copy resumes at its own rule version", int)
  .option("--diff [format]", "print what changes against the active version: table (default), csv or json")
  .option("--promote", "make the copy the active version once built (recorded in the log as ProjectionPromoted)")
  .option("--actor <who>", "who promotes, recorded with the promotion (default: $USER)")
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
  .action(replay);

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

/** An earning month YYYY-MM of the ledger's years. */
function monthArgument(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value) || Number(value.slice(0, 4)) < YEAR_MIN || Number(value.slice(0, 4)) > YEAR_MAX) {
    throw new InvalidArgumentError(`not a month: expected YYYY-MM, e.g. 2026-06 (years ${YEAR_MIN}-${YEAR_MAX})`);
  }
  return value;
}

function trueUpFormat(value: string): TrueUpFormat {
  if (!(TRUEUP_FORMATS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${TRUEUP_FORMATS.join(", ")}`);
  return value as TrueUpFormat;
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
      throw new Error(
        "no process projects the payout projection (no server or `ledger projectors` runs it over this data); run again with --project to project it in this process",
      );
    }
    const ledger = await Ledger.open(config, createLogger("warn"), { projects: opts.project ? ["payout"] : [] });
    if (opts.project) await ledger.startProjectors(["payout"]);
    const result = await runPayouts(ledger, opts.marketplace, opts.asOf);
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    await ledger.close();
  });

program
  .command("trueup")
  .description(
    "SPEC §14: recompute the standard commission of booked months under a rule version and book the difference as adjustments (reason rule_change) in the open period",
  )
  .requiredOption("--rules <n>", "the rule version to recompute by", int)
  .requiredOption("--marketplace <code>", `marketplace: ${MARKETPLACE_CODES.join(", ")}`, marketplaceCode)
  .requiredOption("--from <month>", "first booked month YYYY-MM", monthArgument)
  .requiredOption("--to <month>", "last booked month YYYY-MM (included)", monthArgument)
  .option("--dry-run", "show the rows only; append nothing")
  .option("--actor <who>", "who applies it (default: the operating system's user)")
  .option("--format <format>", `output: ${TRUEUP_FORMATS.join(", ")}`, trueUpFormat, "table")
  .option("--project", "also run the journal projector in this process (when no server or projector process runs it)")
  .action((opts: TrueUpOptions) => runTrueUpCommand(opts));

program
  .command("verify")
  .description(
    "recompute the event log's hash chain (SPEC §13): exit 0 with the count and head, or exit 1 naming the first bad position and why",
  )
  .option("--from <position>", "verify from this position on (its predecessor's stored hash is taken as given)", int)
  .action(async (opts: { from?: number }) => {
    const store = await openEventStore(loadConfig().store);
    try {
      const progress = positionProgress("verify", await store.head());
      const verdict = await verifyChain(store, { fromPosition: opts.from ?? 1, onProgress: progress.onProgress }).finally(progress.stop);
      if (verdict.ok) {
        process.stdout.write(`verified ${verdict.verified} events, head position ${verdict.head.position} hash ${verdict.head.hash}\n`);
        return;
      }
      process.stdout.write(
        `verification failed at position ${verdict.firstBadPosition}: ${verdict.reason}\n` +
          `(${verdict.verified} events verified before it; the last good one is position ${verdict.head.position} hash ${verdict.head.hash})\n`,
      );
      process.exitCode = 1;
    } finally {
      await store.close();
    }
  });

program
  .command("demo")
  .description("write the deterministic demo data set as NDJSON to stdout")
  .action(() => {
    for (const event of demoDataset()) process.stdout.write(JSON.stringify(event) + "\n");
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`ledger: ${asError(error).message}\n`);
  process.exit(1);
});
