// The console's pages (SPEC §10): one list for both sides. The server answers each of these paths
// with the console's index.html (/v1/*, /metrics and the files keep their JSON 404; a browser opening
// any other path gets index.html as a 404: the console's not-found page), and the console's router
// (console/src) renders the page for it. A page's URL is what a person bookmarks and shares, so a
// path here is a promise: change one only with a redirect.
// No imports: the browser build reads this file too.

export const CONSOLE_PAGES = {
  home: "/",
  search: "/search",
  creators: "/creators",
  campaigns: "/campaigns",
  brands: "/brands",
  creator: "/creators/:creatorId",
  creatorLedger: "/creators/:creatorId/ledger",
  creatorPayouts: "/creators/:creatorId/payouts",
  creatorReport: "/creators/:creatorId/report",
  creatorTax: "/creators/:creatorId/tax-summary",
  payout: "/payouts/:payoutId",
  brand: "/brands/:brandId",
  campaign: "/campaigns/:campaignId",
  campaignReport: "/campaigns/:campaignId/report",
  event: "/events/:eventId",
  audit: "/audit",
  replay: "/replay",
  replayDiff: "/replay/:projection/:version",
  account: "/accounts/:account",
  trialBalance: "/trial-balance",
  holds: "/holds",
  periods: "/periods",
  closingStatement: "/periods/:marketplace/:month",
  log: "/log",
  taxSummaries: "/tax-summaries",
  trueUps: "/trueups",
} as const;

export type ConsolePage = keyof typeof CONSOLE_PAGES;

/** Where the build puts its hashed files (console/vite.config.ts `assetsDir`). */
export const CONSOLE_ASSETS_PREFIX = "/assets/";

/**
 * Any other path a browser opens (a mistyped or outdated link) answers 404 with index.html, so the
 * console shows its own not-found page. Only for a page request (Accept names text/html) outside
 * /v1, /metrics and the build's files: API clients keep the API's JSON 404.
 */
export const CONSOLE_NOT_FOUND_PATTERN = "/*";

/** Whether a GET of `url` with this Accept header is a browser opening a page (services/http/console.ts). */
export function isPageRequest(url: string, accept: string | undefined): boolean {
  const path = url.split("?")[0]!;
  if (path === "/v1" || path.startsWith("/v1/") || path.startsWith("/metrics") || path.startsWith(CONSOLE_ASSETS_PREFIX)) return false;
  return (accept ?? "").includes("text/html");
}

/** The route patterns the server registers for the console: its pages, its not-found page and its files. */
export const CONSOLE_ROUTE_PATTERNS: readonly string[] = [
  ...Object.values(CONSOLE_PAGES),
  CONSOLE_NOT_FOUND_PATTERN,
  `${CONSOLE_ASSETS_PREFIX}*`,
];

/** Whether a matched route pattern is one of the console's (they need no token: the page asks for one and sends it to /v1). */
export function isConsoleRoute(pattern: string): boolean {
  return CONSOLE_ROUTE_PATTERNS.includes(pattern);
}
