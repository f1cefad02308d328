// The CLI as an operator runs it (issues 5 and 16): demo, ingest (idempotent, precise refusals in one
// pass, progress in events, stdin, reject file), replay with diff, payouts run, --help, --version.
// Each command is a real child process over one data directory.
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ENVIRONMENT_VARIABLES, environmentHelp } from "../../services/config.ts";
import { accepted, campaignCreated, click, line, shipped } from "../support/domainFixtures.ts";
import { usRunAnswer } from "../support/e2eServer.ts";
import { PART_TWO_EVENTS } from "../support/newEventTypes.ts";
import { DEMO_EVENTS } from "../support/serverChild.ts";
import { keepGoingWarning } from "../../services/cli/ingestFile.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function ledger(args: string[], dataDir = path.join(dir, "data"), stdin?: string) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "services/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, LEDGER_LOG_LEVEL: "silent", LEDGER_DEMO: "0" },
    input: stdin,
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The last non-blank line a command wrote to stderr (the progress bar's last state, or the error). */
function lastLine(stderr: string): string {
  return stderr.trimEnd().split("\n").at(-1) ?? "";
}

function writeNdjson(name: string, lines: readonly (string | object)[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return file;
}

describe("ledger CLI", () => {
  it("--help lists the commands", () => {
    const help = ledger(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["serve", "projectors", "ingest", "replay", "payouts", "demo", "kafka-ingest"])
      expect(help.stdout).toContain(command);
  });

  it("serve --help lists every environment variable with its default (services/config.ts ENVIRONMENT_VARIABLES)", () => {
    const help = ledger(["serve", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}PORT=8080 +HTTP port$/m);
    expect(help.stdout).toMatch(/^ {2}LEDGER_DATA_DIR=\.\/data +event store, read models and engine snapshots$/m);
    expect(help.stdout).toMatch(/^ {2}LEDGER_CAMPAIGN_END_GRACE=P1D +ISO-8601 duration after endsAt before CampaignEnded is$/m);
    expect(help.stdout).toContain(`\n${environmentHelp()}\n`);
    for (const { name } of ENVIRONMENT_VARIABLES) expect(help.stdout).toMatch(new RegExp(`^  ${name}=`, "m"));
  });

  it("--version prints the version of package.json; after a command it stays that command's option", () => {
    const { version } = JSON.parse(fs.readFileSync("package.json", "utf8")) as { version: string };
    const result = ledger(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
    const replay = ledger(["replay", "earnings", "--version", "7"], path.join(dir, "version-option"));
    expect(replay.code).toBe(0);
    expect(replay.stderr).toContain("built earnings v7 (rule version 1) at position 0");
  });

  it("demo writes the deterministic data set; ingest appends it once, then only duplicates", () => {
    const demo = ledger(["demo"]);
    expect(demo.code).toBe(0);
    const lines = demo.stdout.trim().split("\n");
    expect(lines).toHaveLength(DEMO_EVENTS);
    expect(ledger(["demo"]).stdout).toBe(demo.stdout); // deterministic
    const file = writeNdjson("demo.ndjson", lines);
    const first = ledger(["ingest", file, "--batch", "150"], path.join(dir, "demo-data"));
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ appended: DEMO_EVENTS, duplicates: 0, refusedBatches: 0, refusedEvents: 0, reasons: [] });
    const again = ledger(["ingest", file], path.join(dir, "demo-data"));
    expect(JSON.parse(again.stdout)).toEqual({ appended: 0, duplicates: DEMO_EVENTS, refusedBatches: 0, refusedEvents: 0, reasons: [] });
  });

  it("ingest counts events: the last progress line names them all, blank lines not counted", () => {
    const file = writeNdjson("counted.ndjson", [click({ id: "cnt-1" }), "", click({ id: "cnt-2" }), "   ", click({ id: "cnt-3" })]);
    const result = ledger(["ingest", file, "--batch", "2"], path.join(dir, "counted"));
    expect(result.code).toBe(0);
    // The total is known before the first batch (the file is counted first).
    expect(result.stderr.split("\n")[0]).toBe(`ingest [${"░".repeat(40)}] 0% | 0/3 events | 0 events/s | ETA ?`);
    expect(lastLine(result.stderr)).toMatch(/^ingest \[█{40}\] 100% \| 3\/3 events \| \d+ events\/s \| ETA 0s$/);
  });

  it("ingest - reads NDJSON from stdin; the progress counts events without a total", () => {
    const stdin = [click({ id: "stdin-1" }), click({ id: "stdin-2" })].map((e) => JSON.stringify(e)).join("\n") + "\n";
    const result = ledger(["ingest", "-"], path.join(dir, "stdin"), stdin);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ appended: 2, duplicates: 0, refusedBatches: 0, refusedEvents: 0, reasons: [] });
    expect(lastLine(result.stderr)).toMatch(/^ingest 2 events \| \d+ events\/s \| \d+s$/);
  });

  it("a JSON array is refused at once, naming the line, and nothing of it is appended", () => {
    const events = [click({ id: "arr-1" }), click({ id: "arr-2" })];
    const file = path.join(dir, "array.json");
    fs.writeFileSync(file, "\n" + JSON.stringify(events, null, 2) + "\n");
    const data = path.join(dir, "array");
    const result = ledger(["ingest", file], data);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(lastLine(result.stderr)).toBe("ledger: NDJSON expected; try `jq -c '.[]'` (line 2 starts a JSON array; nothing was appended)");
    // The same events as NDJSON are all new.
    const ndjson = ledger(["ingest", writeNdjson("array.ndjson", events)], data);
    expect(JSON.parse(ndjson.stdout)).toEqual({ appended: 2, duplicates: 0, refusedBatches: 0, refusedEvents: 0, reasons: [] });
  });

  it("ingest takes the event types of Part II (adjustments, failed payouts, campaign management)", () => {
    const file = writeNdjson("part-two.ndjson", [...PART_TWO_EVENTS]);
    const result = ledger(["ingest", file], path.join(dir, "part-two"));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      appended: PART_TWO_EVENTS.length,
      duplicates: 0,
      refusedBatches: 0,
      refusedEvents: 0,
      reasons: [],
    });
  });

  it("a refused batch names each bad line and appends nothing of that batch; exit code 1", () => {
    const file = writeNdjson("bad.ndjson", [
      campaignCreated({ id: "cli-cc-9", campaignId: "C9" }),
      "{not json",
      "",
      { ...accepted({ id: "cli-acc-9", campaignId: "C9" }), extra: 1 },
    ]);
    const result = ledger(["ingest", file], path.join(dir, "bad-data"));
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary.appended).toBe(0);
    expect(summary.refusedBatches).toBe(1);
    expect(summary.refusedEvents).toBe(3);
    expect(summary.reasons[0]).toMatch(/^line 2: not valid JSON: /);
    expect(summary.reasons[1]).toBe("line 4: cli-acc-9  unknown field: extra");
    expect(summary.stoppedAtLine).toBe(1);
  });

  it("a conflict and a schema error in one batch are reported in the same pass, and nothing of the batch is appended", () => {
    const data = path.join(dir, "conflict-data");
    expect(ledger(["ingest", writeNdjson("conflict-stored.ndjson", [click({ id: "cf-1", trackingId: "T1" })])], data).code).toBe(0);
    const file = writeNdjson("conflict.ndjson", [
      click({ id: "cf-new", trackingId: "T1" }),
      click({ id: "cf-1", trackingId: "T-OTHER" }), // stored with T1
      { ...click({ id: "cf-bad" }), extra: 1 },
      click({ id: "cf-new", trackingId: "T-OTHER" }), // line 1 has T1
    ]);
    const result = ledger(["ingest", file], data);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      appended: 0,
      duplicates: 0,
      refusedBatches: 1,
      refusedEvents: 4,
      reasons: [
        "line 2: event id 'cf-1' is already stored with different content",
        "line 3: cf-bad  unknown field: extra",
        "line 4: event id 'cf-new' is also on line 1, with different content",
      ],
      stoppedAtLine: 1,
    });
  });

  it("--reject-file: refused lines go there (number, line, reasons), the rest is appended, with a warning; exit code 1", () => {
    const data = path.join(dir, "reject-data");
    expect(ledger(["ingest", writeNdjson("reject-stored.ndjson", [click({ id: "rj-1", trackingId: "T1" })])], data).code).toBe(0);
    const conflicting = JSON.stringify(click({ id: "rj-1", trackingId: "T-OTHER" }));
    const invalid = JSON.stringify({ ...click({ id: "rj-3" }), extra: 1 });
    const file = writeNdjson("reject.ndjson", [
      click({ id: "rj-1", trackingId: "T1" }), // duplicate
      click({ id: "rj-2" }),
      "{not json",
      conflicting,
      invalid,
      click({ id: "rj-4" }),
    ]);
    const rejects = path.join(dir, "rejects.ndjson");
    const result = ledger(["ingest", file, "--batch", "3", "--keep-going", "--reject-file", rejects], data);
    expect(result.code).toBe(1);
    const notJson = (() => {
      try {
        return JSON.parse("{not json") as never;
      } catch (error) {
        return `not valid JSON: ${(error as Error).message}`;
      }
    })();
    expect(JSON.parse(result.stdout)).toEqual({
      appended: 2,
      duplicates: 1,
      refusedBatches: 0,
      refusedEvents: 3,
      rejectedLines: 3,
      rejectFile: rejects,
      reasons: [
        `line 3: ${notJson}`,
        "line 4: event id 'rj-1' is already stored with different content",
        "line 5: rj-3  unknown field: extra",
      ],
      warning: keepGoingWarning(3),
    });
    expect(result.stderr).toContain(`ledger: warning: 3 event(s) were refused and later events were appended anyway (--keep-going)`);
    expect(fs.readFileSync(rejects, "utf8")).toBe(
      [
        { lineNumber: 3, line: "{not json", reasons: [notJson] },
        { lineNumber: 4, line: conflicting, reasons: ["event id 'rj-1' is already stored with different content"] },
        { lineNumber: 5, line: invalid, reasons: ["rj-3  unknown field: extra"] },
      ]
        .map((r) => JSON.stringify(r) + "\n")
        .join(""),
    );
  });

  it("--reject-file refuses to be the input file (it is emptied first)", () => {
    const file = writeNdjson("reject-self.ndjson", [click({ id: "self-1" })]);
    const result = ledger(["ingest", file, "--keep-going", "--reject-file", file], path.join(dir, "reject-self"));
    expect(result.code).toBe(1);
    expect(lastLine(result.stderr)).toBe(`ledger: --reject-file ${file} is the input file; name another file`);
    expect(fs.readFileSync(file, "utf8")).toBe(JSON.stringify(click({ id: "self-1" })) + "\n");
  });

  // Issue 22.2: a refused first batch (holding the campaign and its acceptance) must not let the
  // file go on and append clicks and shipments that would be unknown_tracking_id anomalies for good.
  describe("a refused batch stops the ingest: no later fact lands without the facts it depends on", () => {
    const orphanFile = () =>
      writeNdjson("orphans.ndjson", [
        campaignCreated({ id: "or-cc", campaignId: "OC1" }),
        accepted({ id: "or-acc", campaignId: "OC1", creatorId: "OK1", trackingId: "OT1" }),
        { ...click({ id: "or-bad", trackingId: "OT1" }), extra: 1 }, // line 3: the bad line
        click({ id: "or-c1", trackingId: "OT1" }),
        click({ id: "or-c2", trackingId: "OT1" }),
        shipped({ id: "or-s1", shipmentId: "OS1", orderId: "OO1", trackingId: "OT1", lines: [line("A1", "toys", 1, "10.00")] }),
      ]);

    it("by default: nothing from the refused batch on is appended, the summary names the line to resume from; --from-line resumes", () => {
      const data = path.join(dir, "orphans-stop");
      const file = orphanFile();
      const result = ledger(["ingest", file, "--batch", "3"], data);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toEqual({
        appended: 0,
        duplicates: 0,
        refusedBatches: 1,
        refusedEvents: 3,
        reasons: ["line 3: or-bad  unknown field: extra"],
        stoppedAtLine: 1,
      });
      expect(result.stderr).toContain(
        `ledger: stopped at line 1: its batch was refused (the summary's reasons name each bad line) and nothing from line 1 on was appended; fix those lines, then resume with: ledger ingest ${file} --from-line 1\n`,
      );
      expect(result.stderr).not.toContain("warning");
      // Fixed: line 3 without its extra field; resuming from line 1 appends all six, in file order.
      const fixed = fs.readFileSync(file, "utf8").replace(',"extra":1', "");
      fs.writeFileSync(file, fixed);
      const resumed = ledger(["ingest", file, "--batch", "3", "--from-line", "1"], data);
      expect(resumed.code).toBe(0);
      expect(JSON.parse(resumed.stdout)).toEqual({
        appended: 6,
        duplicates: 0,
        refusedBatches: 0,
        refusedEvents: 0,
        reasons: [],
        skippedLines: 0,
      });
    });

    it("a later refused batch stops after the earlier ones were appended; --from-line skips what is in", () => {
      const data = path.join(dir, "orphans-later");
      const file = writeNdjson("later.ndjson", [
        campaignCreated({ id: "lt-cc", campaignId: "LC1" }),
        accepted({ id: "lt-acc", campaignId: "LC1", creatorId: "LK1", trackingId: "LT1" }),
        click({ id: "lt-c1", trackingId: "LT1" }),
        "{not json", // line 4
        click({ id: "lt-c2", trackingId: "LT1" }),
        click({ id: "lt-c3", trackingId: "LT1" }),
      ]);
      const result = ledger(["ingest", file, "--batch", "2"], data);
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout);
      expect([summary.appended, summary.refusedBatches, summary.refusedEvents, summary.stoppedAtLine]).toEqual([2, 1, 2, 3]);
      fs.writeFileSync(
        file,
        fs.readFileSync(file, "utf8").replace("{not json", JSON.stringify(click({ id: "lt-fixed", trackingId: "LT1" }))),
      );
      const resumed = ledger(["ingest", file, "--batch", "2", "--from-line", "3"], data);
      expect(resumed.code).toBe(0);
      expect(JSON.parse(resumed.stdout)).toEqual({
        appended: 4,
        duplicates: 0,
        refusedBatches: 0,
        refusedEvents: 0,
        reasons: [],
        skippedLines: 2,
      });
    });

    it("--keep-going goes on past the refused batch and its summary warns; --reject-file without it is refused", () => {
      const data = path.join(dir, "orphans-keep-going");
      const result = ledger(["ingest", orphanFile(), "--batch", "3", "--keep-going"], data);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toEqual({
        appended: 3,
        duplicates: 0,
        refusedBatches: 1,
        refusedEvents: 3,
        reasons: ["line 3: or-bad  unknown field: extra"],
        warning: keepGoingWarning(3),
      });
      expect(result.stderr).toContain("ledger: warning: 3 event(s) were refused and later events were appended anyway (--keep-going)");
      const noFlag = ledger(["ingest", orphanFile(), "--reject-file", path.join(dir, "r.ndjson")], path.join(dir, "orphans-reject"));
      expect(noFlag.code).toBe(1);
      expect(lastLine(noFlag.stderr)).toBe(
        "ledger: --reject-file appends the rest of a batch past its refused lines and goes on: add --keep-going to say so",
      );
      expect(fs.existsSync(path.join(dir, "orphans-reject", "events.db"))).toBe(false);
    });
  });

  it("replay --rules 2 --diff json lists exactly the amount the changed rate moves; --promote switches", () => {
    const file = writeNdjson("fixture.ndjson", [
      campaignCreated({ id: "cc-1", campaignId: "C1", asins: ["A-OTHER"] }),
      accepted({ id: "acc-1", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
      // toys 3 × 9.99 = 29.97: v1 × 0.03 = 0.8991 → 0.90; v2 × 0.04 = 1.1988 → 1.20
      shipped({ id: "shp-1", shipmentId: "S1", orderId: "O1", trackingId: "T1", lines: [line("A1", "toys", 3, "9.99")] }),
      // kitchen 2 × 20.00 × 0.045 = 1.80 under both versions (same creator and campaign: totals 2.70 → 3.00)
      shipped({ id: "shp-2", shipmentId: "S2", orderId: "O2", trackingId: "T1", lines: [line("A2", "kitchen", 2, "20.00")] }),
    ]);
    const data = path.join(dir, "replay-data");
    expect(ledger(["ingest", file], data).code).toBe(0);
    // Build v1's content first (every money projection's v2 at rule version 1, promoted), then diff
    // rule version 2 against it.
    // Each promoted projection is recorded in the log (SPEC §14 ProjectionPromoted): positions 5-9.
    const first = ledger(["replay", "money", "--rules", "1", "--promote", "--actor", "eng:kim"], data);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("recorded in the log at position 9 (ProjectionPromoted, actor eng:kim)\n");
    const promotions = new Database(path.join(data, "events.db"), { readonly: true });
    expect(
      promotions
        .prepare("SELECT position, id, data FROM events WHERE type = 'ProjectionPromoted' ORDER BY position")
        .all()
        .map((r: any) => [r.position, JSON.parse(r.data)]),
    ).toEqual(
      ["journal", "earnings", "budget", "report", "payout"].map((projection, i) => [
        5 + i,
        { projection, version: 2, ruleVersion: 1, actor: "eng:kim" },
      ]),
    );
    promotions.close();
    const diff = ledger(["replay", "earnings", "--rules", "2", "--diff", "json"], data);
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.stdout)).toEqual({
      projection: "earnings",
      oldVersion: 2,
      newVersion: 3,
      changed: 1,
      changes: [
        {
          creatorId: "K1",
          campaignId: "C1",
          marketplace: "US",
          currency: "USD",
          field: "standard",
          old: "2.70",
          new: "3.00",
          difference: "0.30",
        },
      ],
    });
    expect(diff.stderr).toContain("built earnings v3 (rule version 2) at position 9"); // the promotions are events too (they change no amount)
  });

  it("replay versions leave no debris (issue 16.6): a re-run resumes its copy, a failed one creates nothing, --promote promotes what is there, list and drop", () => {
    const data = path.join(dir, "replay-data");
    const versions = () =>
      ledger(["replay", "list", "earnings"], data)
        .stdout.split("\n")
        .slice(2)
        .filter((l) => l !== "")
        .map((l) => l.split(/ {2,}/).slice(0, 6).join(" "));
    expect(versions()).toEqual(["earnings 1 1 retired 0 9", "earnings 2 1 active 4 5", "earnings 3 2 building 9 0"]);
    // The same rule version again: v3 is resumed (caught up), not a v4 beside it; the diff is a table.
    const again = ledger(["replay", "earnings", "--rules", "2", "--diff"], data);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("caught up earnings v3 (rule version 2) at position 9");
    expect(again.stdout).toBe(
      "earnings: v2 → v3: 1 changed amount(s)\n" +
        "creatorId  campaignId  marketplace  currency  field      old   new  difference\n" +
        "---------  ----------  -----------  --------  --------  ----  ----  ----------\n" +
        "K1         C1          US           USD       standard  2.70  3.00        0.30\n",
    );
    expect(ledger(["replay", "earnings", "--rules", "2", "--diff", "csv"], data).stdout).toBe(
      "creatorId,campaignId,marketplace,currency,field,old,new,difference\nK1,C1,US,USD,standard,2.70,3.00,0.30\n",
    );
    // An unknown rule version: refused before anything is created.
    const unknown = ledger(["replay", "earnings", "--rules", "99"], data);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("ledger: unknown rule version 99; known: 1, 2");
    // v3 exists at rule version 2: asking for it at another one is refused, not silently rebuilt.
    const mismatch = ledger(["replay", "earnings", "--version", "3", "--rules", "1"], data);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain(
      "ledger: earnings v3 is built at rule version 2, not 1: drop it first (ledger replay drop earnings --version 3) or choose another --version",
    );
    expect(versions()).toEqual(["earnings 1 1 retired 0 9", "earnings 2 1 active 4 5", "earnings 3 2 building 9 0"]);
    // Issue 22.1: promoting earnings alone at rule version 2 would leave the journal, budget, report
    // and payout at rule version 1 (a total the journal does not have): refused, naming them, before
    // anything is built or promoted.
    const lone = ledger(["replay", "earnings", "--version", "3", "--promote"], data);
    expect(lone.code).toBe(1);
    expect(lastLine(lone.stderr)).toBe(
      "ledger: promoting earnings at rule version 2 alone would leave journal at rule version 1, budget at rule version 1, report at rule version 1, payout at rule version 1: " +
        "their figures would disagree (an earnings total the journal and the payout status do not have). Rebuild and promote them as one set: ledger replay money --rules 2 --promote",
    );
    expect(versions()).toEqual(["earnings 1 1 retired 0 9", "earnings 2 1 active 4 5", "earnings 3 2 building 9 0"]);
    // The set: every money projection built at rule version 2 in one pass (earnings resumes v3),
    // each one's diff, and all promoted together.
    const set = ledger(["replay", "money", "--rules", "2", "--diff", "json", "--promote"], data);
    expect(set.code).toBe(0);
    expect(set.stderr).toContain("built journal v3 (rule version 2) at position 9\n");
    expect(set.stderr).toContain("caught up earnings v3 (rule version 2) at position 9\n");
    expect(set.stderr).toContain("recorded in the log at position 14 (ProjectionPromoted, actor ");
    expect(set.stderr).toContain(
      "promoted as one set at rule version 2: journal v2 → v3, earnings v2 → v3, budget v2 → v3, report v2 → v3, payout v2 → v3\n",
    );
    const usd = (field: string, old: string, now: string, difference: string) => ({ currency: "USD", field, old, new: now, difference });
    expect(JSON.parse(set.stdout)).toEqual({
      ruleVersion: 2,
      projections: [
        {
          projection: "journal",
          oldVersion: 2,
          newVersion: 3,
          changed: 2,
          changes: [
            { account: "creator:K1:US:earned", marketplace: "US", ...usd("balance", "2.70", "3.00", "0.30") },
            { account: "program:US:standard", marketplace: "US", ...usd("balance", "-2.70", "-3.00", "-0.30") },
          ],
        },
        {
          projection: "earnings",
          oldVersion: 2,
          newVersion: 3,
          changed: 1,
          changes: [{ creatorId: "K1", campaignId: "C1", marketplace: "US", ...usd("standard", "2.70", "3.00", "0.30") }],
        },
        { projection: "budget", oldVersion: 2, newVersion: 3, changed: 0, changes: [] },
        {
          projection: "report",
          oldVersion: 2,
          newVersion: 3,
          changed: 1,
          changes: [{ creatorId: "K1", campaignId: "C1", marketplace: "US", ...usd("earnings", "2.70", "3.00", "0.30") }],
        },
        {
          projection: "payout",
          oldVersion: 2,
          newVersion: 3,
          changed: 1,
          changes: [{ creatorId: "K1", marketplace: "US", ...usd("payable", "2.70", "3.00", "0.30") }],
        },
      ],
    });
    const rulesOf = (name: string) =>
      ledger(["replay", "list", name], data)
        .stdout.split("\n")
        .slice(2)
        .filter((l) => / active /.test(l))
        .map((l) => l.split(/ {2,}/).slice(0, 4).join(" "));
    for (const name of ["journal", "earnings", "budget", "report", "payout"]) expect(rulesOf(name)).toEqual([`${name} 3 2 active`]);
    // Never the active version; any other goes, tables and all.
    const active = ledger(["replay", "drop", "earnings", "--version", "3"], data);
    expect(active.code).toBe(1);
    expect(active.stderr).toBe("ledger: earnings v3 is the active version: promote another one before dropping it\n");
    const drop = ledger(["replay", "drop", "earnings", "--version", "1"], data);
    expect(drop.code).toBe(0);
    expect(drop.stderr).toBe("dropped earnings v1\n");
    expect(versions()).toEqual(["earnings 2 1 retired 4 10", "earnings 3 2 active 9 5"]);
    const list = ledger(["replay", "list"], data).stdout.split("\n");
    expect(list[0]).toMatch(/^projection +version +rules +status +position +lag +created$/);
    expect(list.slice(2).filter((l) => l.startsWith("journal "))).toHaveLength(3);
  });

  it("payouts run answers with what it issued", () => {
    const result = ledger(["payouts", "run", "--marketplace", "US", "--as-of", "2026-06-01", "--project"], path.join(dir, "replay-data"));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(usRunAnswer("2026-06-01", 14, [], { tax_info_missing: 1 }));
  });

  it("payouts run without a payout projector says so at once and suggests --project (issue 16.9)", () => {
    const result = ledger(["payouts", "run", "--marketplace", "US", "--as-of", "2026-06-01"], path.join(dir, "replay-data"));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "ledger: no process projects the payout projection (no server or `ledger projectors` runs it over this data); run again with --project to project it in this process\n",
    );
  });
});
