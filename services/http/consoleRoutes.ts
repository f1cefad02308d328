// The console's pages (SPEC §10): one list for both sides. The server answers each of these paths
// with the console's index.html (and only these: /v1/*, /metrics and anything else keep their JSON
// 404), and the console's router (console/src) renders the page for it. A page's URL is what a
// person bookmarks and shares, so a path here is a promise: change one only with a redirect.
// No imports: the browser build reads this file too.

export const CONSOLE_PAGES = {
  home: "/",
  search: "/search",
  creator: "/creators/:creatorId",
  creatorLedger: "/creators/:creatorId/ledger",
  creatorPayouts: "/creators/:creatorId/payouts",
  creatorReport: "/creators/:creatorId/report",
  payout: "/payouts/:payoutId",
  brand: "/brands/:brandId",
  campaign: "/campaigns/:campaignId",
  campaignReport: "/campaigns/:campaignId/report",
  event: "/events/:eventId",
  audit: "/audit",
  replay: "/replay",
  replayDiff: "/replay/:projection/:version",
} as const;

export type ConsolePage = keyof typeof CONSOLE_PAGES;

/** Where the build puts its hashed files (console/vite.config.ts `assetsDir`). */
export const CONSOLE_ASSETS_PREFIX = "/assets/";

/** The route patterns the server registers for the console: its pages and its files. */
export const CONSOLE_ROUTE_PATTERNS: readonly string[] = [...Object.values(CONSOLE_PAGES), `${CONSOLE_ASSETS_PREFIX}*`];

/** Whether a matched route pattern is one of the console's (they need no token: the page asks for one and sends it to /v1). */
export function isConsoleRoute(pattern: string): boolean {
  return CONSOLE_ROUTE_PATTERNS.includes(pattern);
}
