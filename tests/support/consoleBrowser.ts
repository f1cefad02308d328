// The browser tier's harness (SPEC §10): the console built (dist/console, rebuilt when its sources
// are newer), a real `ledger serve` on the demo data, and Debian's Chromium driven by playwright-core
// (Playwright's own browser download is not reachable here). Without /usr/bin/chromium the browser
// suites skip with one line, unless LEDGER_REQUIRE_BROWSER=1 (CI), which makes that a failure.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page, type Request } from "playwright-core";
import { REPO_ROOT, startServer, type ServerChild } from "./serverChild.ts";

export const CHROMIUM_PATH = "/usr/bin/chromium";
/** As the machine's notes say: headless, no sandbox (root), and no calls home on a closed network. */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Whether the browser suites run; throws when they must (LEDGER_REQUIRE_BROWSER=1) but cannot. */
export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;
  if (process.env.LEDGER_REQUIRE_BROWSER === "1")
    throw new Error(`LEDGER_REQUIRE_BROWSER=1 but ${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  console.warn(
    `skipping the browser tests: no ${CHROMIUM_PATH} (apt-get install -y chromium; LEDGER_REQUIRE_BROWSER=1 makes this a failure)`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/** A browser context as a person in the US would have one (the console formats for its language). */
export function newContext(browser: Browser, options: { acceptDownloads?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    locale: "en-US",
    timezoneId: "Europe/Berlin",
    viewport: { width: 1360, height: 900 },
    acceptDownloads: options.acceptDownloads ?? false,
  });
}

// --- the console's build --------------------------------------------------------------------------

const BUILD_DIR = path.join(REPO_ROOT, "dist", "console");
/** What the build reads: a change to any of these makes dist/console stale (the console bundles parts of domain/). */
const BUILD_INPUTS = ["console", "services/http/consoleRoutes.ts", "domain", "package-lock.json"].map((p) => path.join(REPO_ROOT, p));
const BUILD_LOCK = path.join(REPO_ROOT, "dist", ".console-build.lock");
/** A lock older than this was left by a killed build. */
const STALE_LOCK_MS = 120_000;
const LOCK_POLL_MS = 200;

function newestMtimeMs(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((name) => newestMtimeMs(path.join(file, name))));
}

function builtAndFresh(): boolean {
  const index = path.join(BUILD_DIR, "index.html");
  return fs.existsSync(index) && fs.statSync(index).mtimeMs >= Math.max(...BUILD_INPUTS.map(newestMtimeMs));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds the console when dist/console is missing or older than its sources (a fresh clone, an
 * edit), once: test files in parallel workers wait for the one that holds the lock.
 */
export function ensureConsoleBuilt(): void {
  if (builtAndFresh()) return;
  fs.mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch {
      const lock = fs.statSync(BUILD_LOCK, { throwIfNoEntry: false });
      if (lock !== undefined && Date.now() - lock.mtimeMs > STALE_LOCK_MS) fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      sleepSync(LOCK_POLL_MS);
    }
  }
  try {
    if (builtAndFresh()) return;
    const vite = path.join(REPO_ROOT, "node_modules", "vite", "bin", "vite.js");
    // React's production build: vitest's NODE_ENV=test would make Vite build for development.
    const env = { ...process.env, NODE_ENV: "production" };
    const result = spawnSync(process.execPath, [vite, "build", "--config", "console/vite.config.ts", "--logLevel", "warn"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env,
    });
    if (result.status !== 0) throw new Error(`the console's build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

// --- a ledger on the demo data --------------------------------------------------------------------

export interface DemoServer {
  url: string;
  dataDir: string;
  child: ServerChild;
  stop(): Promise<void>;
}

/** Polls /v1/health (open) until every projection has applied the store's head. */
async function caughtUp(url: string, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${url}/v1/health`)).json()) as { store: { head: number }; projections: { lag: number }[] };
    if (health.store.head > 0 && health.projections.every((p) => p.lag === 0)) return health.store.head;
    if (Date.now() > deadline) throw new Error(`projections did not catch up within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `ledger …` over a data directory, as an operator runs it beside the server. */
function ledgerCli(args: string[], dataDir: string): void {
  const result = spawnSync(process.execPath, ["--import", "tsx", "services/cli.ts", ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LEDGER_DATA_DIR: dataDir, LEDGER_LOG_LEVEL: "silent", LEDGER_DEMO: "0" },
  });
  if (result.status !== 0) throw new Error(`ledger ${args.join(" ")} failed:\n${result.stderr}`);
}

/**
 * What the demo data set lacks for the closed-period pages (SPEC §13): US closed through 2025-12,
 * then an adjustment of a December order that came after the close (booked forward into 2026-01:
 * the statement's late entry). Of cr-00006, whom no walk-through's figures follow.
 */
export const CLOSED_PERIOD_EVENTS = [
  {
    id: "console-close-us-2025-12",
    type: "PeriodClosed",
    occurredAt: "2026-08-31T03:00:00-07:00",
    data: { marketplace: "US", month: "2025-12", actor: "finance:ana", note: "2025 filed" },
  },
  {
    id: "console-late-adjustment",
    type: "CommissionAdjusted",
    occurredAt: "2025-12-20T09:00:00-08:00",
    data: {
      creatorId: "cr-00006",
      marketplace: "US",
      amount: "1.50",
      reasonCode: "correction",
      note: "a December order counted after the close",
      actor: "finance:ben",
    },
  },
] as const;

/**
 * `ledger serve` on the demo data set (workload/demoDataset.ts), the console built. `tokens`: LEDGER_TOKENS.
 * `rebuild`: also `ledger replay earnings --rules 2` while it serves, so the replay pages have a
 * version being rebuilt and a diff (rule version 2 pays toys 0.04 instead of 0.03).
 * `closedPeriod`: also CLOSED_PERIOD_EVENTS, appended first (the harness runs open: it may write).
 */
export async function startDemoServer(options: { tokens?: string; rebuild?: boolean; closedPeriod?: boolean } = {}): Promise<DemoServer> {
  ensureConsoleBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-console-"));
  const child = await startServer({
    dataDir,
    env: { LEDGER_DEMO: "1", ...(options.tokens === undefined ? {} : { LEDGER_TOKENS: options.tokens }) },
  });
  try {
    await caughtUp(child.url);
    if (options.closedPeriod) {
      const answer = await fetch(`${child.url}/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(CLOSED_PERIOD_EVENTS),
      });
      if (!answer.ok) throw new Error(`appending the closed period answered ${answer.status}: ${await answer.text()}`);
      await caughtUp(child.url);
    }
    if (options.rebuild) ledgerCli(["replay", "earnings", "--rules", "2"], dataDir);
  } catch (error) {
    await child.kill();
    throw error;
  }
  return {
    url: child.url,
    dataDir,
    child,
    async stop() {
      await child.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// --- a page and what went wrong on it ------------------------------------------------------------

export interface Watched {
  page: Page;
  /** Console errors, uncaught exceptions, failed requests and answers ≥ 400, each one line. */
  problems: string[];
}

/** Each watched page's requests without an answer yet, so that a page that never settles says why. */
const inFlight = new WeakMap<Page, Set<Request>>();

/** A new page that records every console error, page error, failed request and error answer. */
export async function watchedPage(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const problems: string[] = [];
  const pending = new Set<Request>();
  inFlight.set(page, pending);
  page.on("request", (request) => pending.add(request));
  const answered = (request: Request) => pending.delete(request);
  page.on("requestfinished", answered);
  page.on("requestfailed", answered);
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // A download's blob request ends the navigation it never was; everything else is a failure.
    if (!request.url().startsWith("blob:"))
      problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ""}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`answer ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return { page, problems };
}

/** Opens `url` and waits until every read of the page has answered. */
export async function openQuietly(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await settle(page);
}

/** Waits until the page reads nothing (the console's main is aria-busy while a read is in flight) and shows no "Loading…". */
export async function settle(page: Page): Promise<void> {
  try {
    // Polled on a timer, not on animation frames: a page Chromium deems hidden draws no frames.
    await page.waitForFunction(
      () => document.querySelector("main")?.getAttribute("aria-busy") === "false" && document.querySelector(".loading") === null,
      undefined,
      { polling: 100 },
    );
  } catch (error) {
    // Say what the page was still waiting for: a timeout alone does not tell a slow read from a stuck one.
    const shown = await page
      .evaluate(() => ({
        busy: document.querySelector("main")?.getAttribute("aria-busy"),
        loading: [...document.querySelectorAll(".loading")].map((e) => e.textContent),
      }))
      .catch((e: Error) => e.message);
    const pending = [...(inFlight.get(page) ?? [])].map((request) => `${request.method()} ${request.url()}`);
    throw new Error(`${page.url()} did not settle: ${JSON.stringify(shown)}; requests without an answer: ${JSON.stringify(pending)}`, {
      cause: error,
    });
  }
}

// --- what a page shows ---------------------------------------------------------------------------

/** The serious and critical accessibility violations axe-core finds on the page, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Every rule; legacy mode runs axe in the page itself (the console has no frames) and only
  // violations are collected: a quarter of the time of a default run.
  const results = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .options({ resultTypes: ["violations"] })
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}: ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join("; ")}`,
    );
}

/** A table's cells as text, found by its caption (its accessible name). */
export async function tableByCaption(page: Page, caption: string): Promise<{ body: string[][]; foot: string[][] }> {
  return page.getByRole("table", { name: caption, exact: true }).evaluate((table: HTMLTableElement) => {
    const cells = (rows: HTMLCollectionOf<HTMLTableRowElement>) =>
      [...rows].map((row) => [...row.cells].map((cell) => cell.textContent!.trim()));
    return { body: [...table.tBodies].flatMap((b) => cells(b.rows)), foot: table.tFoot === null ? [] : cells(table.tFoot.rows) };
  });
}

/** The facts (term → value) of the first list of facts in a section, found by its heading. */
export async function factsOf(page: Page, heading: string): Promise<Record<string, string>> {
  return page
    .getByRole("region", { name: heading, exact: true })
    .locator("dl.facts")
    .first()
    .evaluate((list) =>
      Object.fromEntries(
        [...list.children].map((item) => [item.querySelector("dt")!.textContent!.trim(), item.querySelector("dd")!.textContent!.trim()]),
      ),
    );
}

/** An amount as the page shows it ("-$1,234.50", "¥1,230", "1,353.63") as the API writes it ("-1234.50", "1230", "1353.63"). */
export function plain(shown: string | undefined): string {
  return (shown ?? "").replace(/[^0-9.-]/g, "");
}

/** GET an API path of the server as JSON. */
export async function apiJson<T = any>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}
