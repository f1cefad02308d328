// Every page of the console on the demo data set (workload/demoStory.ts), as the browser tests open
// them and `npm run screenshots` pictures them: the README's walk-through, in pages.
import type { Page } from "playwright-core";
import { openQuietly, settle } from "./consoleBrowser.ts";

export interface TourStop {
  /** The screenshot's file name (docs/console/NAME.png). */
  name: string;
  /** What the page shows, for the README. */
  title: string;
  path: string;
  /** What to do on the page before it is checked or pictured. */
  act?: "openFirstSourceEvent";
}

export const TOUR: readonly TourStop[] = [
  { name: "home", title: "Start: search and the latest events", path: "/" },
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
  { name: "campaign", title: "Campaign: budget, daily spend, creators", path: "/campaigns/cmp-0006" },
  {
    name: "campaign-report",
    title: "Campaign daily report (the brand's view)",
    path: "/campaigns/cmp-0006/report?from=2026-08-01&to=2026-08-31",
  },
  { name: "event", title: "Event by id", path: "/events/story-sale-1" },
  { name: "audit", title: "Audit: event lookup, projection health, anomalies", path: "/audit" },
  { name: "replay", title: "Replay: projection versions (earnings v2 being rebuilt)", path: "/replay" },
  { name: "replay-diff", title: "Replay diff: earnings v2 (rule version 2) against v1", path: "/replay/earnings/2" },
  {
    name: "as-of-position",
    title: "Any page as of a position: cr-00003 at position 400",
    path: "/creators/cr-00003?asOf=2026-06-10&at=400",
  },
];

/** Opens a stop's page on the server at `baseUrl` and does its action, ready to be checked or pictured. */
export async function visitStop(page: Page, baseUrl: string, stop: TourStop): Promise<void> {
  await openQuietly(page, baseUrl + stop.path);
  if (stop.act === "openFirstSourceEvent") {
    await page.locator("tbody button[aria-expanded]").first().click();
    await settle(page);
  }
}
