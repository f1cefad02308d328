// Every page of the console on the demo data set (workload/demoStory.ts; with a closed period,
// consoleBrowser.ts CLOSED_PERIOD_EVENTS), as the browser tests open them and `npm run screenshots`
// pictures them: the README's walk-through, in pages.
import type { Page } from "playwright-core";
import { openQuietly, settle } from "./consoleBrowser.ts";
import { DEMO_EVENTS } from "./serverChild.ts";

export interface TourStop {
  /** The screenshot's file name (docs/console/NAME.png). */
  name: string;
  /** What the page shows, for the README. */
  title: string;
  path: string;
  /** What to do on the page before it is checked or pictured. */
  act?: "openFirstSourceEvent" | "verifyLog" | "trueUpDryRun" | "suggest" | "asOfDate";
}

export const TOUR: readonly TourStop[] = [
  { name: "home", title: "Start: search and the latest events", path: "/" },
  { name: "search-suggestions", title: "Search: suggestions as you type, any case, every kind of id", path: "/", act: "suggest" },
  { name: "search", title: "Search results: a payout and the event that issued it share an id", path: "/search?q=payout:cr-00003" },
  { name: "creators", title: "Every creator, by id, paged", path: "/creators" },
  { name: "campaigns", title: "Campaigns of a brand in a state (brand-000, ended)", path: "/campaigns?brandId=brand-000&state=ended" },
  { name: "brands", title: "Every brand and its number of campaigns", path: "/brands" },
  {
    name: "creator",
    title: "Creator: earnings per marketplace, month and campaign; payout status",
    path: "/creators/cr-00003?asOf=2026-06-10",
  },
  {
    name: "creator-ledger",
    title: "Creator ledger, with an entry's source event opened in place",
    path: "/creators/cr-00003/ledger?after=406",
    act: "openFirstSourceEvent",
  },
  { name: "creator-payouts", title: "Creator payouts (a failed one)", path: "/creators/cr-00003/payouts" },
  { name: "payout", title: "Payout statement: why 10.08 was paid", path: "/payouts/payout:cr-00003:US:2026-06-01" },
  {
    name: "creator-report",
    title: "Creator daily report: chart, table, CSV",
    path: "/creators/cr-00003/report?from=2026-06-01&to=2026-08-29",
  },
  { name: "brand", title: "Brand: its campaigns", path: "/brands/brand-000" },
  { name: "campaign", title: "Campaign: its history, budget, daily spend, creators", path: "/campaigns/cmp-0006" },
  {
    name: "campaign-report",
    title: "Campaign daily report (the brand's view)",
    path: "/campaigns/cmp-0006/report?from=2026-08-01&to=2026-08-31",
  },
  { name: "event", title: "Event by id", path: "/events/story-sale-1" },
  {
    name: "audit",
    title: "Audit: event lookup, projection health, promotions and scheduled rule versions, anomalies",
    path: "/audit",
  },
  { name: "replay", title: "Replay: projection versions (earnings v2 being rebuilt)", path: "/replay" },
  { name: "replay-diff", title: "Replay diff: earnings v2 (rule version 2) against v1", path: "/replay/earnings/2" },
  {
    name: "trueups",
    title: "True-up: the dry run of rule version 2 over US 2025-01 to 2026-12, before anyone applies it (admin scope)",
    path: "/trueups?ruleVersion=2&marketplace=US&from=2025-01&to=2026-12&actor=finance%3Aana",
    act: "trueUpDryRun",
  },
  {
    name: "account",
    title: "Account: its entries, each with the balance it left",
    path: "/accounts/creator%3Acr-00003%3AUS%3Aearned",
  },
  { name: "trial-balance", title: "Trial balance of USD: every account, summing to 0.00", path: "/trial-balance?currency=USD" },
  { name: "holds", title: "Holds standing and what each holds back", path: "/holds?asOf=2026-09-30" },
  {
    name: "creator-held",
    title: "A held creator: the hold banner; the payout lifecycle, pending → locked → payable → paid",
    path: "/creators/cr-00004?asOf=2026-09-30",
  },
  { name: "periods", title: "Periods of US: closed through 2025-12", path: "/periods?marketplace=US" },
  {
    name: "closing-statement",
    title: "Closing statement of US 2025-12: the close, its log hash, totals, late entries, trial balance",
    path: "/periods/US/2025-12",
  },
  { name: "log", title: "The log's hash chain: its head, and the check (admin scope)", path: "/log", act: "verifyLog" },
  {
    name: "tax-summaries",
    title: "Tax summaries: the filing list of DE 2026, with its CSV",
    path: "/tax-summaries?year=2026&marketplace=DE&minimum=0",
  },
  { name: "creator-tax", title: "A creator's tax summary for 2026", path: "/creators/cr-00001/tax-summary?year=2026" },
  {
    name: "as-of-position",
    title: "Any page as of a position: cr-00003 at position 400",
    path: "/creators/cr-00003?asOf=2026-06-10&at=400",
  },
  {
    name: "as-of-date",
    title: "Any page as of a date and time (UTC or the browser's zone): the last position recorded by then",
    path: "/creators/cr-00003?asOf=2026-06-10",
    act: "asOfDate",
  },
];

/** Opens a stop's page on the server at `baseUrl` and does its action, ready to be checked or pictured. */
export async function visitStop(page: Page, baseUrl: string, stop: TourStop): Promise<void> {
  await openQuietly(page, baseUrl + stop.path);
  if (stop.act === "openFirstSourceEvent") {
    await page.locator("tbody button[aria-expanded]").first().click();
    await settle(page);
  }
  if (stop.act === "verifyLog") {
    // The tour's servers run open (every scope): the check answers.
    await page.getByRole("button", { name: "Verify the log" }).click();
    await page.getByText(/^Verified events$/).waitFor();
  }
  if (stop.act === "suggest") {
    // Typed into the header's search box: one /v1/search after a pause; ↓ marks the second suggestion.
    const box = page.getByRole("combobox", { name: /first characters of its id/ }).first();
    await box.pressSequentially("CMP-000");
    await page.getByRole("listbox", { name: "Suggestions" }).getByRole("option").nth(1).waitFor();
    await box.press("ArrowDown");
    await box.press("ArrowDown");
    await settle(page);
  }
  if (stop.act === "asOfDate") {
    // The demo's own events were recorded when the server loaded them: the time of its last one (in UTC) leads to it.
    const answer = (await (await fetch(`${baseUrl}/v1/events?after=${DEMO_EVENTS - 1}&limit=1`)).json()) as {
      events: { recordedAt: string }[];
    };
    const form = page.getByRole("form", { name: "As of a date" });
    await form.getByLabel("Zone").selectOption("UTC");
    await form.getByLabel("As of date").fill(answer.events[0]!.recordedAt.replace("T", " ").replace("Z", ""));
    await form.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/[?&]at=\d+/);
    await settle(page);
  }
  if (stop.act === "trueUpDryRun") {
    // The page asks nothing on opening; the dry run appends nothing (the tour's servers run open).
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByRole("button", { name: /^Apply: append/ }).waitFor();
  }
}
