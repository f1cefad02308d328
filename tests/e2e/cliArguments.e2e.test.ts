// `ledger payouts run` says what it expects when an argument is off (issue 22.9d): a date that is
// not YYYY-MM-DD used to fail deep in the calendar as "not a month: Invalid DateTime", an unknown
// marketplace as "unknown marketplace" without the valid ones. Both are refused before anything is
// opened.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-cli-arguments-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function ledger(args: string[]) {
  const dataDir = path.join(dir, "data");
  const result = spawnSync(process.execPath, ["--import", "tsx", "services/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, LEDGER_LOG_LEVEL: "silent", LEDGER_DEMO: "0" },
    timeout: 60_000,
  });
  return { code: result.status, firstLine: result.stderr.split("\n")[0], stdout: result.stdout, dataDirMade: fs.existsSync(dataDir) };
}

const NOT_A_DATE = "is invalid. not a local date: expected YYYY-MM-DD, e.g. 2026-06-01 (years 1970-2999)";

describe("ledger payouts run: argument errors", () => {
  // The arguments after `payouts run`, and the first line it writes to stderr.
  it.each([
    [["--marketplace", "US", "--as-of", "12/01/2026"], `error: option '--as-of <date>' argument '12/01/2026' ${NOT_A_DATE}`],
    [["--marketplace", "US", "--as-of", "2026-02-30"], `error: option '--as-of <date>' argument '2026-02-30' ${NOT_A_DATE}`],
    [
      ["--marketplace", "us", "--as-of", "2026-06-01"],
      "error: option '--marketplace <code>' argument 'us' is invalid. unknown marketplace: expected one of US, CA, UK, DE, IN, JP",
    ],
  ])("%j: says what it expects, exits 1, opens nothing", (args, firstLine) => {
    expect(ledger(["payouts", "run", ...args])).toEqual({ code: 1, firstLine, stdout: "", dataDirMade: false });
  });
});
