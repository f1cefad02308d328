// The OpenAPI document's tags (issue 22.9f): every operation is in one group, by its path, so a
// generated client and a documentation viewer show the routes grouped the way the README does.

export const OPENAPI_TAGS = [
  { name: "search", description: "Find any creator, campaign, brand, payout or event by the first characters of its id (issue 27)" },
  {
    name: "events",
    description: "Facts in (SPEC §2, §5, §11: JSON, NDJSON, CloudEvents), the stored event log (§8.3) and its hash chain (§13)",
  },
  {
    name: "creators",
    description: "Every creator; a creator's earnings, journal entries, daily report, payout status, payouts and tax summary (§5, §8, §15)",
  },
  {
    name: "payouts",
    description: "Payout runs, a payout's statement, the holds standing and the year-end tax filing list (§5, §8.5, §12, §15)",
  },
  {
    name: "campaigns",
    description: "Every campaign and brand; campaigns as managed, their history, budgets and reports; a brand's campaigns (§5, §9)",
  },
  { name: "journal", description: "Accounts, the trial balance, anomalies, the change feed and closed periods (§3, §8.1, §11, §13)" },
  { name: "webhooks", description: "Endpoints, their delivery logs, and the bodies a receiver gets (§11)" },
  {
    name: "replay",
    description:
      "Projection versions, a rebuild's diff against the active one, and true-ups of booked months under another rule version (§6, §14)",
  },
  { name: "operations", description: "Health, Prometheus metrics and this document" },
] as const;

export type OpenApiTag = (typeof OPENAPI_TAGS)[number]["name"];

/** First match wins: `/v1/creators/…` before anything else a creator's route could look like. */
const TAG_OF_PATH: readonly [RegExp, OpenApiTag][] = [
  [/^\/v1\/search$/, "search"],
  [/^\/v1\/creators(\/|$)/, "creators"],
  [/^\/v1\/payouts(\/|$)/, "payouts"],
  [/^\/v1\/holds$/, "payouts"],
  [/^\/v1\/tax-summaries$/, "payouts"],
  [/^\/v1\/(campaigns|brands)(\/|$)/, "campaigns"],
  [/^\/v1\/(accounts\/|trial-balance$|anomalies$|feed$|periods(\/|$))/, "journal"],
  [/^\/v1\/events(\/|$)/, "events"],
  [/^\/v1\/log\//, "events"],
  [/^\/v1\/webhooks(\/|$)/, "webhooks"],
  [/^\/v1\/projections(\/|$)/, "replay"],
  [/^\/v1\/trueups$/, "replay"],
  [/^\/(v1\/health|metrics|v1\/openapi\.json)$/, "operations"],
];

export function tagOfPath(path: string): OpenApiTag {
  const tag = TAG_OF_PATH.find(([pattern]) => pattern.test(path))?.[1];
  // A new route fails here, at the first request of the document (and in its test), until it has a group.
  if (tag === undefined) throw new Error(`openapi: no tag for ${path}; add it to TAG_OF_PATH`);
  return tag;
}
