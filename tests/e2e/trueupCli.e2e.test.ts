// `ledger trueup` (SPEC §14) as an operator runs it, each command a real child process over one data
// directory: the dry run as a table, CSV and JSON (appending nothing), then applied, then re-run
// (nothing new stored). K1 has one March toys shipment of 100.00: 3.00 under version 1, 4.00 under 2.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { accepted, campaignCreated, line, shipped } from "../support/domainFixtures.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-trueup-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function ledger(args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "services/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, LEDGER_DATA_DIR: path.join(dir, "data"), LEDGER_LOG_LEVEL: "silent", LEDGER_DEMO: "0" },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ARGS = [
  "trueup",
  "--rules",
  "2",
  "--marketplace",
  "US",
  "--from",
  "2026-03",
  "--to",
  "2026-03",
  "--actor",
  "finance:ana",
  "--project",
];

describe("ledger trueup", () => {
  it("dry run: a table, CSV or JSON of the rows; nothing appended", () => {
    const events = [
      campaignCreated({ id: "cli-cc", campaignId: "C1" }),
      accepted({ id: "cli-acc", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
      shipped({ id: "cli-shp", shipmentId: "S1", trackingId: "T1", lines: [line("X9", "toys", 1, "100.00")] }),
    ];
    const file = path.join(dir, "events.ndjson");
    fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
    expect(ledger(["ingest", file]).code).toBe(0);

    const table = ledger([...ARGS, "--dry-run"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toBe(
      "true-up of US 2026-03..2026-03 to rule version 2 (USD; journal at position 3, built with rule version 1)\n" +
        "creator  month    booked  recomputed  difference\n" +
        "-------  -------  ------  ----------  ----------\n" +
        "K1       2026-03    3.00        4.00        1.00\n" +
        "total               3.00        4.00        1.00\n" +
        "dry run: nothing appended\n",
    );
    const csv = ledger([...ARGS, "--dry-run", "--format", "csv"]);
    expect(csv.stdout).toBe(
      "creator_id,month,currency,booked,recomputed,difference\nK1,2026-03,USD,3.00,4.00,1.00\ntotal,,USD,3.00,4.00,1.00\n",
    );
    const json = JSON.parse(ledger([...ARGS, "--dry-run", "--format", "json"]).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ dryRun: true, asOfPosition: 3, totals: { booked: "3.00", recomputed: "4.00", difference: "1.00" } });
  });

  it("applied: one adjustment appended; run again, it is there already and nothing is appended", () => {
    const applied = ledger(ARGS);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("appended  trueup:2:K1:US:2026-03 1.00\n1 adjustment(s) appended; last position 4\n");
    const again = ledger(ARGS);
    expect(again.stdout).toContain("duplicate trueup:2:K1:US:2026-03 1.00\n0 adjustment(s) appended; last position 4\n");
  });

  it("an unknown rule version or a bad month is refused with the reason", () => {
    const unknown = ledger([
      "trueup",
      "--rules",
      "9",
      "--marketplace",
      "US",
      "--from",
      "2026-03",
      "--to",
      "2026-03",
      "--project",
      "--dry-run",
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("ledger: rule version 9 is not known to this ledger (known: 1, 2)");
    const month = ledger(["trueup", "--rules", "2", "--marketplace", "US", "--from", "2026-3", "--to", "2026-03"]);
    expect(month.code).toBe(1);
    expect(month.stderr).toContain("not a month: expected YYYY-MM, e.g. 2026-06 (years 1970-2999)");
  });
});
