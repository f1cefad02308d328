// `ledger trueup` (SPEC §14): the true-up of a month range under a rule version, as a dry run (the
// rows as a table, CSV or JSON) or applied (the adjustments appended, then the same answer). The work
// is services/trueup.ts, the same as POST /v1/trueups.
import { stringify } from "csv-stringify/sync";
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { loadConfig } from "../config.ts";
import { neutralise } from "../http/csv.ts";
import { Ledger } from "../ledger.ts";
import { isProjected } from "../ledgerFiles.ts";
import { createLogger } from "../logger.ts";
import { trueUp, type TrueUpAnswer } from "../trueup.ts";
import { positionProgress } from "./progress.ts";
import { textTable } from "./textTable.ts";

export const TRUEUP_FORMATS = ["table", "csv", "json"] as const;
export type TrueUpFormat = (typeof TRUEUP_FORMATS)[number];

export interface TrueUpOptions {
  rules: number;
  marketplace: MarketplaceCode;
  from: string;
  to: string;
  dryRun?: boolean;
  actor?: string;
  format: TrueUpFormat;
  project?: boolean;
}

export const TRUEUP_CSV_HEADER = ["creator_id", "month", "currency", "booked", "recomputed", "difference"];

export function trueUpText(answer: TrueUpAnswer, format: TrueUpFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(answer, null, 2) + "\n";
    case "csv":
      // The rows, then the totals as a last row (creator_id "total", no month), as the table shows them.
      return stringify(
        [
          ...answer.rows.map((r) => [neutralise(r.creatorId), r.month, answer.currency, r.booked, r.recomputed, r.difference]),
          ["total", "", answer.currency, answer.totals.booked, answer.totals.recomputed, answer.totals.difference],
        ],
        { header: true, columns: TRUEUP_CSV_HEADER, record_delimiter: "\n" },
      );
    case "table": {
      const rows = answer.rows.map((r) => [r.creatorId, r.month, r.booked, r.recomputed, r.difference]);
      const { booked, recomputed, difference } = answer.totals;
      const head =
        `true-up of ${answer.marketplace} ${answer.from}..${answer.to} to rule version ${answer.ruleVersion} ` +
        `(${answer.currency}; journal at position ${answer.asOfPosition}, built with rule version ${answer.bookedRuleVersion})\n`;
      const table = textTable(
        ["creator", "month", "booked", "recomputed", "difference"],
        [...rows, ["total", "", booked, recomputed, difference]],
      );
      const applied = answer.dryRun
        ? "dry run: nothing appended\n"
        : answer.adjustments
            .map(
              (a) =>
                `${a.status.padEnd(9)} ${a.id} ${a.amount}${a.storedAmount !== null && a.status === "conflict" ? ` (stored: ${a.storedAmount})` : ""}`,
            )
            .join("\n") +
          `\n${answer.adjustments.filter((a) => a.status === "appended").length} adjustment(s) appended; last position ${answer.lastPosition}\n`;
      return head + table + applied;
    }
  }
}

export async function runTrueUpCommand(opts: TrueUpOptions): Promise<void> {
  const config = loadConfig();
  // The rows are read from the journal once it has caught up: without a projector it would wait in vain.
  if (!opts.project && !(await isProjected(config, "journal"))) {
    throw new Error(
      "no process projects the journal (no server or `ledger projectors` runs it over this data); run again with --project to project it in this process",
    );
  }
  const ledger = await Ledger.open(config, createLogger("warn"), { projects: opts.project ? ["journal"] : [] });
  try {
    if (opts.project) await ledger.startProjectors(["journal"]);
    const progress = positionProgress("true-up", await ledger.store.head());
    const answer = await trueUp(
      ledger,
      {
        ruleVersion: opts.rules,
        marketplace: opts.marketplace,
        from: opts.from,
        to: opts.to,
        actor: opts.actor ?? process.env.USER ?? "cli",
        dryRun: opts.dryRun ?? false,
      },
      { onProgress: progress.onProgress },
    ).finally(progress.stop);
    process.stdout.write(trueUpText(answer, opts.format));
    // CSV carries the rows only: what was appended goes to stderr, so it is never lost from sight.
    if (opts.format === "csv" && !answer.dryRun) {
      const appended = answer.adjustments.filter((a) => a.status === "appended").length;
      process.stderr.write(`${appended} adjustment(s) appended of ${answer.adjustments.length}; last position ${answer.lastPosition}\n`);
    }
  } finally {
    await ledger.close();
  }
}
