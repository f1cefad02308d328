// The console's true-up page and the audit view's rule changes (SPEC §14), in Chromium, on the demo
// data with tokens on: the page asks the API nothing on opening; a read-only token, and the demo
// that runs open for reading only, are told the true-up needs the admin scope; an admin's dry run
// shows the API's rows and totals to the digit, Apply appears only for the parameters of that dry
// run, and applying shows each adjustment with its status and the last position, as the API
// answers them. The audit view lists the promotions (`ledger replay money --promote`, run on the
// data before the server starts) and the scheduled rule versions, a refused one as not applied.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiJson,
  browserAvailable,
  ensureConsoleBuilt,
  factsOf,
  launchChromium,
  newContext,
  openQuietly,
  plain,
  seriousViolations,
  startDemoServer,
  tableByCaption,
  watchedPage,
} from "../support/consoleBrowser.ts";
import { REPO_ROOT, startServer, type ServerChild } from "../support/serverChild.ts";

const READ_TOKEN = "trueup-read-only-token-0001";
const INGEST_TOKEN = "trueup-ingest-token-0000001";
const ADMIN_TOKEN = "trueup-admin-token-00000001";
const TOKENS = `${READ_TOKEN}:read;${INGEST_TOKEN}:ingest,read;${ADMIN_TOKEN}:read,admin`;

/** The demo's US sales of toys (0.03 by rule version 1, 0.04 by 2): three rows of the range differ, one of them negative (a return). */
const TRUE_UP = { ruleVersion: 2, marketplace: "US", from: "2025-01", to: "2026-12", actor: "finance:ana" } as const;
const PAGE = `/trueups?ruleVersion=2&marketplace=US&from=2025-01&to=2026-12&actor=${encodeURIComponent(TRUE_UP.actor)}`;
const ROWS_CAPTION = "Standard commission per creator and booked month, US 2025-01 to 2026-12: booked, and recomputed by rule version 2";
const ADJUSTMENTS_CAPTION = "Adjustments of the true-up to rule version 2, US 2025-01 to 2026-12";

type TrueUpAnswer = {
  asOfPosition: number;
  bookedRuleVersion: number;
  rows: { creatorId: string; month: string; booked: string; recomputed: string; difference: string }[];
  totals: { booked: string; recomputed: string; difference: string };
  adjustments: { id: string; creatorId: string; month: string; amount: string; status: string; storedAmount: string | null }[];
  lastPosition: number | null;
};

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function caughtUp(url: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${url}/v1/health`)).json()) as { store: { head: number }; projections: { lag: number }[] };
    if (health.store.head > 0 && health.projections.every((p) => p.lag === 0)) return health.store.head;
    if (Date.now() > deadline) throw new Error(`projections did not catch up within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The demo data with tokens, its money projections rebuilt and promoted by the CLI while the server
 * is stopped (five ProjectionPromoted events, by eng:kim), then served again.
 */
async function startPromoted(): Promise<{ url: string; stop(): Promise<void> }> {
  const demo = await startDemoServer({ tokens: TOKENS });
  await demo.child.stop();
  const promote = spawnSync(
    process.execPath,
    ["--import", "tsx", "services/cli.ts", "replay", "money", "--rules", "1", "--promote", "--actor", "eng:kim"],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LEDGER_DATA_DIR: demo.dataDir, LEDGER_LOG_LEVEL: "silent", LEDGER_DEMO: "0" },
    },
  );
  if (promote.status !== 0) throw new Error(`ledger replay money --promote failed:\n${promote.stderr}`);
  const child = await startServer({ dataDir: demo.dataDir, env: { LEDGER_DEMO: "1", LEDGER_TOKENS: TOKENS } });
  await caughtUp(child.url);
  return {
    url: child.url,
    async stop() {
      await child.stop();
      fs.rmSync(demo.dataDir, { recursive: true, force: true });
    },
  };
}

/** The demo as `npm start` runs it: no tokens, open for reading only. */
async function startReadOnlyDemo(): Promise<{ child: ServerChild; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-console-demo-"));
  const child = await startServer({ dataDir, env: { LEDGER_DEMO: "1", LEDGER_ALLOW_OPEN: "0" } });
  await caughtUp(child.url);
  return { child, dataDir };
}

describe.skipIf(!browserAvailable())("the console's true-ups and rule changes (SPEC §14)", () => {
  let server: { url: string; stop(): Promise<void> };
  let demo: { child: ServerChild; dataDir: string };
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, demo, browser] = await Promise.all([startPromoted(), startReadOnlyDemo(), launchChromium()]);
    context = await newContext(browser);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await demo?.child.stop();
    if (demo !== undefined) fs.rmSync(demo.dataDir, { recursive: true, force: true });
  });

  /** A page of a tab signed in with `token`, and each POST /v1/trueups it sends (its dryRun). */
  async function signedInPage(token: string | null) {
    const watched = await watchedPage(context);
    if (token !== null) await watched.page.addInitScript((t) => sessionStorage.setItem("ledger-console.token", t), token);
    const trueUps: boolean[] = [];
    watched.page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/v1/trueups")
        trueUps.push((JSON.parse(request.postData() ?? "{}") as { dryRun: boolean }).dryRun);
    });
    return { ...watched, trueUps };
  }

  const postTrueUp = (dryRun: boolean) =>
    apiJson<TrueUpAnswer>(`${server.url}/v1/trueups`, {
      method: "POST",
      headers: { ...bearer(ADMIN_TOKEN), "content-type": "application/json" },
      body: JSON.stringify({ ...TRUE_UP, dryRun }),
    });
  const head = async () => (await apiJson(`${server.url}/v1/log/head`, { headers: bearer(READ_TOKEN) })).position as number;

  it("opens with the form filled in from its URL and asks the API nothing: no true-up, no 4xx", async () => {
    const { page, problems, trueUps } = await signedInPage(READ_TOKEN);
    await openQuietly(page, server.url + PAGE);
    expect(await page.locator("h1").textContent()).toBe("True-ups");
    expect(await page.getByLabel("Rule version").inputValue()).toBe("2");
    expect(await page.getByLabel("Marketplace").inputValue()).toBe("US");
    expect(await page.getByLabel("From month").inputValue()).toBe("2025-01");
    expect(await page.getByLabel("To month").inputValue()).toBe("2026-12");
    expect(await page.getByLabel("Actor").inputValue()).toBe("finance:ana");
    expect(await page.getByRole("button", { name: /^Apply/ }).count()).toBe(0);
    expect(trueUps).toEqual([]);
    expect(problems).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("a read-only token is told the dry run needs the admin scope", async () => {
    const { page, problems, trueUps } = await signedInPage(READ_TOKEN);
    await openQuietly(page, server.url + PAGE);
    await page.getByRole("button", { name: "Dry run" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.locator(".state-title").textContent()).toBe("A true-up needs the admin scope");
    expect(await alert.locator("p").nth(1).textContent()).toBe("this token lacks the 'admin' scope");
    expect(await alert.textContent()).toContain("npx ledger trueup --rules 2 --marketplace US --from 2025-01 --to 2026-12 --dry-run");
    expect(trueUps).toEqual([true]);
    expect(await page.getByRole("button", { name: /^Apply/ }).count()).toBe(0);
    expect(problems.filter((p) => !p.includes("403"))).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("the demo, open for reading only, says so (demo_read_only) and names the CLI", async () => {
    const { page, problems } = await signedInPage(null);
    await openQuietly(page, demo.child.url + PAGE);
    expect(problems).toEqual([]);
    await page.getByRole("button", { name: "Dry run" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.locator(".state-title").textContent()).toBe("A true-up needs the admin scope");
    expect(await alert.locator(".state-hint").textContent()).toContain("This ledger runs open on the demo data, for reading only");
    expect(problems.filter((p) => !p.includes("403"))).toEqual([]);
    await page.close();
  });

  it("an admin's dry run shows the API's rows, totals, position and rule version exactly, appends nothing, and offers Apply only for its parameters", async () => {
    const before = await head();
    const api = await postTrueUp(true);
    expect(api.rows.filter((r) => !/^-?0\.00$/.test(r.difference)).length).toBe(3); // the fixture is what this test says it is
    const { page, problems, trueUps } = await signedInPage(ADMIN_TOKEN);
    await openQuietly(page, server.url + PAGE);
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByRole("table", { name: ROWS_CAPTION }).waitFor();

    const table = await tableByCaption(page, ROWS_CAPTION);
    expect(
      table.body.map(([creator, month, booked, recomputed, difference]) => [
        creator,
        month,
        plain(booked),
        plain(recomputed),
        plain(difference),
      ]),
    ).toEqual(api.rows.map((r) => [r.creatorId, r.month, r.booked, r.recomputed, r.difference]));
    expect(table.foot.map(([label, ...amounts]) => [label, ...amounts.map(plain)])).toEqual([
      [`Total of ${api.rows.length} rows`, api.totals.booked, api.totals.recomputed, api.totals.difference],
    ]);
    // And what the numbers mean, worked out here: each difference is recomputed − booked, the totals the rows' sums (in cents).
    const cents = (amount: string) => Math.round(Number(amount) * 100);
    for (const [, , booked, recomputed, difference] of table.body)
      expect(cents(plain(difference))).toBe(cents(plain(recomputed)) - cents(plain(booked)));
    const sum = (i: number) => table.body.reduce((total, row) => total + cents(plain(row[i])), 0);
    expect([sum(2), sum(3), sum(4)]).toEqual([api.totals.booked, api.totals.recomputed, api.totals.difference].map(cents));
    const facts = await factsOf(page, "Dry run");
    expect([facts["Computed at position"], facts["Journal built by rule version"], plain(facts["Total difference"])]).toEqual([
      String(api.asOfPosition),
      String(api.bookedRuleVersion),
      api.totals.difference,
    ]);
    // The money as the console writes it: in the browser's language, the minus marked.
    const negative = api.rows.find((r) => r.difference.startsWith("-"))!;
    expect(table.body.find((r) => r[0] === negative.creatorId && r[1] === negative.month)![4]).toBe(`-${negative.difference.slice(1)}`);
    expect(await head()).toBe(before);

    const apply = page.getByRole("button", { name: "Apply: append 3 adjustments" });
    expect(await apply.count()).toBe(1);
    await page.getByLabel("To month").fill("2026-11");
    expect(await apply.count()).toBe(0);
    expect(await page.getByRole("note").textContent()).toBe("The form differs from this dry run: run the dry run again to apply it.");
    await page.getByLabel("To month").fill("2026-12");
    expect(await apply.count()).toBe(1);
    expect(trueUps).toEqual([true]);
    expect(problems).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("Apply appends one adjustment per nonzero row; the page shows each with its status and the last position, as the API answers them", async () => {
    const before = await head();
    const { page, problems, trueUps } = await signedInPage(ADMIN_TOKEN);
    await openQuietly(page, server.url + PAGE);
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByRole("button", { name: "Apply: append 3 adjustments" }).click();
    await page.getByRole("table", { name: ADJUSTMENTS_CAPTION }).waitFor();
    expect(trueUps).toEqual([true, false]);

    // The same true-up again over the API: the page's appends are there, each with the same amount.
    const again = await postTrueUp(false);
    expect(again.adjustments.map((a) => a.status)).toEqual(["duplicate", "duplicate", "duplicate"]);
    expect(again.lastPosition).toBe(before + 3);
    const table = await tableByCaption(page, ADJUSTMENTS_CAPTION);
    expect(table.body.map(([id, creator, month, amount, status, stored]) => [id, creator, month, plain(amount), status, stored])).toEqual(
      again.adjustments.map((a) => [a.id, a.creatorId, a.month, a.amount, "Appended", "—"]),
    );
    const facts = await factsOf(page, "Applied");
    expect([facts["Last position"], facts.Appended, facts["Stored before"], facts.Conflicts]).toEqual([
      String(again.lastPosition),
      "3",
      "0",
      "0",
    ]);
    for (const a of again.adjustments) {
      const event = await apiJson(`${server.url}/v1/events/${encodeURIComponent(a.id)}`, { headers: bearer(READ_TOKEN) });
      expect([event.type, event.data.creatorId, event.data.amount, event.data.reasonCode, event.data.actor]).toEqual([
        "CommissionAdjusted",
        a.creatorId,
        a.amount,
        "rule_change",
        TRUE_UP.actor,
      ]);
    }
    // Each adjustment links to its event and its creator's ledger.
    const region = page.getByRole("table", { name: ADJUSTMENTS_CAPTION });
    const first = again.adjustments[0]!;
    expect(await region.getByRole("link", { name: first.id, exact: true }).getAttribute("href")).toBe(
      `/events/${encodeURIComponent(first.id)}`,
    );
    expect(await region.getByRole("link", { name: first.creatorId, exact: true }).getAttribute("href")).toBe(
      `/creators/${first.creatorId}/ledger`,
    );
    expect(await page.getByRole("button", { name: /^Apply/ }).count()).toBe(0);

    // From the page again: the dry run shows the same rows (the standard entries are as they were), and applying stores nothing.
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByRole("button", { name: "Apply: append 3 adjustments" }).click();
    await page.getByRole("table", { name: ADJUSTMENTS_CAPTION }).waitFor();
    const rerun = await tableByCaption(page, ADJUSTMENTS_CAPTION);
    expect(rerun.body.map((row) => row[4])).toEqual([
      "Stored before (same amount)",
      "Stored before (same amount)",
      "Stored before (same amount)",
    ]);
    expect((await factsOf(page, "Applied"))["Last position"]).toBe(String(before + 3));
    expect(await head()).toBe(before + 3);
    expect(problems).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("the audit view lists the promotions and the scheduled rule versions, a refused one as not applied", async () => {
    const now = new Date();
    const nextYear = `${now.getUTCFullYear() + 1}-01-01T00:00:00-08:00`;
    const appended = await fetch(`${server.url}/v1/events`, {
      method: "POST",
      headers: { ...bearer(INGEST_TOKEN), "content-type": "application/json" },
      body: JSON.stringify([
        {
          id: "console-rules-next-year",
          type: "RuleVersionScheduled",
          occurredAt: now.toISOString(),
          data: { ruleVersion: 2, effectiveFrom: nextYear, actor: "finance:ana", note: "toys 4 %" },
        },
        {
          // Before its own occurredAt: retroactive_rule_change, schedules nothing.
          id: "console-rules-retroactive",
          type: "RuleVersionScheduled",
          occurredAt: now.toISOString(),
          data: { ruleVersion: 2, effectiveFrom: "2025-01-01T00:00:00Z", actor: "finance:ben", note: "too late" },
        },
      ]),
    });
    expect(appended.status, await appended.text()).toBe(200);
    await caughtUp(server.url);

    const { page, problems } = await signedInPage(READ_TOKEN);
    await openQuietly(page, `${server.url}/audit`);
    const promoted = (await apiJson(`${server.url}/v1/events?type=ProjectionPromoted`, { headers: bearer(READ_TOKEN) })).events as {
      id: string;
      position: number;
      occurredAt: string;
      data: { projection: string; version: number; ruleVersion: number; actor: string };
    }[];
    expect(promoted.map((e) => e.data.projection)).toEqual(["journal", "earnings", "budget", "report", "payout"]);
    const promotions = await tableByCaption(page, "Projection versions promoted, oldest first");
    expect(promotions.body.map(([when, ...rest]) => [when!.slice(0, 10), ...rest])).toEqual(
      promoted.map((e) => [
        e.occurredAt.slice(0, 10),
        e.data.projection,
        String(e.data.version),
        String(e.data.ruleVersion),
        "eng:kim",
        String(e.position),
        e.id,
      ]),
    );

    const scheduled = (await apiJson(`${server.url}/v1/events?type=RuleVersionScheduled`, { headers: bearer(READ_TOKEN) })).events as {
      id: string;
      position: number;
    }[];
    const anomalies = (
      await apiJson(`${server.url}/v1/anomalies?after=${scheduled[0]!.position - 1}&limit=5`, { headers: bearer(READ_TOKEN) })
    ).anomalies as { position: number; eventId: string; code: string }[];
    expect(anomalies.filter((a) => a.eventId.startsWith("console-rules-")).map((a) => [a.eventId, a.code])).toEqual([
      ["console-rules-retroactive", "retroactive_rule_change"],
    ]);
    const table = await tableByCaption(page, "Rule versions scheduled, oldest first");
    expect(
      table.body.map(([effective, version, actor, note, , outcome, position, id]) => [
        effective,
        version,
        actor,
        note,
        outcome,
        position,
        id,
      ]),
    ).toEqual([
      [
        `${now.getUTCFullYear() + 1}-01-01 00:00 UTC−08:00`,
        "2",
        "finance:ana",
        "toys 4 %",
        "Applies from its date",
        String(scheduled[0]!.position),
        "console-rules-next-year",
      ],
      [
        "2025-01-01 00:00 UTC",
        "2",
        "finance:ben",
        "too late",
        "Not applied: Retroactive rule change",
        String(scheduled[1]!.position),
        "console-rules-retroactive",
      ],
    ]);
    expect(problems).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
