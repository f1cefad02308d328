// The read routes of the API (SPEC §5, §8, §9, §11) as one table: each route's path, its path and query
// schemas (zod: a 400 names the field), its answer's schema (services/http/apiSchemas.ts) and what
// it asks services/reads/reads.ts. Fastify registers the table (registerReadRoutes) and the OpenAPI
// document is generated from it (openapi.ts), so the two cannot disagree. Every read takes
// asOfPosition and minPosition (§8.2), except the webhook routes (§11: an endpoint's delivery state
// is now, not as of a position), which take minPosition only; an unknown id is a 404. The event
// log shows a webhook's URL only to callers holding the `webhooks` scope (webhookUrlRedaction.ts).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { parseInstant, parseLocalDate, YEAR_MAX, YEAR_MIN } from "../../domain/calendar.ts";
import { EVENT_TYPES, marketplace, refId, type EventType } from "../../domain/events/schemas.ts";
import { DEFAULT_MARKETPLACES } from "../../domain/marketplaces.ts";
import { Dec, fractionDigits, MONEY_MAX } from "../../domain/money.ts";
import { ANOMALIES_PAGE_MAX } from "../../projections/anomalies.ts";
import { BRANDS_PAGE_MAX, CAMPAIGN_STATES, CAMPAIGNS_PAGE_MAX } from "../../projections/budget/campaignLists.ts";
import { CREATORS_PAGE_MAX } from "../../projections/earnings/creatorList.ts";
import { FIRST_ID_PAGE } from "../../projections/idPages.ts";
import { FEED_PAGE_MAX } from "../../projections/journal/feedQueries.ts";
import { LEDGER_PAGE_MAX, WHOLE_POSITION_SEQ, type Cursor } from "../../projections/journal/journalQueries.ts";
import { DELIVERIES_PAGE_MAX } from "../../projections/webhooks/webhookQueries.ts";
import type { Ledger } from "../ledger.ts";
import { Reads, type ReadAt } from "../reads/reads.ts";
import { DIFF_PAGE_MAX } from "../reads/replayReads.ts";
import * as api from "./apiSchemas.ts";
import type { Scope } from "./auth.ts";
import {
  CAMPAIGN_REPORT_CSV_HEADER,
  campaignReportCsv,
  REPORT_CSV_HEADER,
  reportCsv,
  TAX_SUMMARIES_CSV_HEADER,
  taxSummariesCsv,
} from "./csv.ts";
import { badRequest, notFound } from "./errors.ts";
import { eventShownTo } from "./webhookUrlRedaction.ts";

export const EVENTS_PAGE_MAX = 1_000;
export const PAGE_DEFAULT = 100;
/** GET /v1/search (issue 27): hits one answer holds at most, and without `limit`. */
export const SEARCH_LIMIT_MAX = 50;
export const SEARCH_LIMIT_DEFAULT = 20;

/** What a 400 calls one key of `where`: a query parameter, a field of a body. */
function keyNoun(where: string): string {
  return where === "query" ? "query parameter" : "field";
}

/** The description of a top-level field of an object schema (its format), if it has one. */
function fieldDescription(schema: z.ZodType, key: PropertyKey | undefined): string | undefined {
  return schema instanceof z.ZodObject && typeof key === "string" ? (schema.shape[key] as z.ZodType | undefined)?.description : undefined;
}

/**
 * Parses with zod; a failure is a 400 with one detail per field: an unknown key is named with the
 * keys the route takes, a missing one says it is required and its format.
 */
export function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const allowed = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const details = result.error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      const takes = allowed.length > 0 ? `; this route takes ${allowed.join(", ")}` : `; this route takes no ${keyNoun(where)}s`;
      return issue.keys.map((key) => ({ path: [...issue.path, key].join("."), message: `unknown ${keyNoun(where)}${takes}` }));
    }
    if (issue.code === "invalid_type" && issue.input === undefined) {
      const format = fieldDescription(schema, issue.path[0]);
      return [{ path: issue.path.join("."), message: `required ${keyNoun(where)}${format ? `: ${format}` : ""}` }];
    }
    return [{ path: issue.path.join("."), message: issue.message }];
  });
  const summary = details.map((d) => d.path || where).join(", ");
  throw badRequest(`invalid ${where}: ${summary}`, details);
}

/** A position in the store: a whole number ≥ 0 (the store's head is checked by services/reads/reads.ts). */
/**
 * A whole number in a query string: zod reads it as text (a pattern, then a number), so the OpenAPI
 * document would call it a string; this says what a client sends (openapi.ts drops the pattern).
 */
const integerParameter = (minimum: number, maximum: number) => ({ type: "integer", minimum, maximum }) as const;

const position = z
  .string()
  .regex(/^\d{1,15}$/, "must be an integer ≥ 0 (a position in the store)")
  .transform(Number)
  .meta(integerParameter(0, 999_999_999_999_999))
  .describe("a position in the store");
/** Every read takes these (SPEC §8.2). */
const at = {
  asOfPosition: position.optional().describe("answer as of this position: what a ledger holding only events 1..P answers (SPEC §8.2)"),
  minPosition: position
    .optional()
    .describe("answer once the read model has applied this position (read-your-writes); waits ≤ 5 s, then 503"),
};

function readAt(query: { asOfPosition?: number | undefined; minPosition?: number | undefined }): ReadAt {
  return { asOfPosition: query.asOfPosition ?? null, minPosition: query.minPosition ?? null };
}

export const localDate = z
  .string()
  .refine((s) => parseLocalDate(s) !== null, "must be a date YYYY-MM-DD in the years 1970-2999")
  .describe("local date YYYY-MM-DD");
const limit = (max: number) =>
  z.coerce
    .number({ error: `must be an integer 1..${max}` })
    .int(`must be an integer 1..${max}`)
    .min(1, `must be an integer 1..${max}`)
    .max(max, `must be an integer 1..${max}`);
/** A paging cursor: a position (skip all of it) or `position.seq` (resume inside it), from nextAfter. */
const cursor = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,6})?$/, "must be a position, or position.seq from nextAfter")
  .describe("a position, or position.seq from nextAfter");

export function parseCursor(text: string | undefined): Cursor {
  if (text === undefined) return { position: 0, seq: -1 };
  const [p = "0", seq] = text.split(".");
  return { position: Number(p), seq: seq === undefined ? WHOLE_POSITION_SEQ : Number(seq) };
}

const format = z.enum(["json", "csv"]).optional();
const readQuery = z.strictObject({ ...at });
const pageQuery = (max: number) => z.strictObject({ after: cursor.optional(), limit: limit(max).optional(), ...at });
const CURRENCIES = [...new Set(Object.values(DEFAULT_MARKETPLACES).map((m) => m.currency))] as [string, ...string[]];
/** Account names: the id characters of SPEC §2 plus '%' (an id's ':' is written %3A inside a name). */
const accountName = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[A-Za-z0-9._:%-]+$/, "must be an account name such as creator:K9:US:earned");
/** SPEC §15: a calendar year of the ledger's business years (a payout's local date, an entry's booked month). */
const year = z
  .string()
  .regex(/^\d{4}$/, `must be a year YYYY in ${YEAR_MIN}-${YEAR_MAX}`)
  .transform(Number)
  .refine((y) => y >= YEAR_MIN && y <= YEAR_MAX, `must be a year YYYY in ${YEAR_MIN}-${YEAR_MAX}`)
  .meta(integerParameter(YEAR_MIN, YEAR_MAX))
  .describe("calendar year YYYY");
const MINIMUM = /^(0|[1-9]\d{0,12})(\.\d{1,12})?$/;
/** SPEC §15: the filing list's minimum, at most the marketplace currency's minor digits (checked with the marketplace: taxSummariesQuery). */
const minimum = z
  .string()
  .regex(MINIMUM, 'must be an amount ≥ 0 in plain decimal notation, e.g. "600.00"')
  .refine((s) => !MINIMUM.test(s) || new Dec(s).lte(MONEY_MAX), `must be at most ${MONEY_MAX.toString()}`)
  .describe("money ≥ 0 with at most the currency's minor digits, e.g. 600.00 (JPY 600)");
const taxSummariesQuery = z.strictObject({ year, marketplace, minimum, format, ...at }).superRefine((q, ctx) => {
  const market = DEFAULT_MARKETPLACES[q.marketplace];
  if (market && typeof q.minimum === "string" && fractionDigits(q.minimum) > market.minorDigits)
    ctx.addIssue({
      code: "custom",
      path: ["minimum"],
      message: `has more fraction digits than ${market.currency} allows (${market.minorDigits})`,
    });
});
/** SPEC §13: an earning month YYYY-MM of the ledger's business years. */
export const earningMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, `must be a month YYYY-MM in ${YEAR_MIN}-${YEAR_MAX}`)
  .refine(
    (m) => Number(m.slice(0, 4)) >= YEAR_MIN && Number(m.slice(0, 4)) <= YEAR_MAX,
    `must be a month YYYY-MM in ${YEAR_MIN}-${YEAR_MAX}`,
  )
  .describe("earning month YYYY-MM");
const eventId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, "may contain only A-Z a-z 0-9 . _ : -");
/** Issue 27: what GET /v1/search looks for: the first characters of an id (SPEC §2's characters), any case. */
const searchText = z
  .string()
  .min(1, "must not be empty: give the first characters of a creator, campaign, brand, payout or event id")
  .max(128, "must be at most 128 characters (an id's length)")
  // `*`, not `+`: an empty q is told once, by min(1).
  .regex(/^[A-Za-z0-9._:-]*$/, "may contain only the characters of an id: A-Z a-z 0-9 . _ : -")
  .describe("the first characters of an id (creator, campaign, brand, payout or event), any case");
/** Issue 27: a page of a list by id starts after this id (the previous page's nextAfter). */
const idCursor = refId.optional().describe("the previous page's nextAfter (its last id); absent: from the first id");
/** Issue 27: an instant with an offset or Z (SPEC §2's grammar). */
const instantQuery = z
  .string()
  .max(40, "must be at most 40 characters")
  .refine(
    (s) => parseInstant(s) !== null,
    "must be an ISO-8601 instant with an offset or Z, e.g. 2026-06-30T23:59:59-07:00 or 2026-07-01T00:00:00Z (in a URL, + is %2B), in the years 1970-2999",
  )
  .describe("an ISO-8601 instant with an offset or Z, e.g. 2026-06-30T23:59:59-07:00");

/** One read route; `run` answers null for an unknown id (404, naming `what`). */
export interface ReadRoute {
  path: string;
  operationId: string;
  summary: string;
  params: z.ZodObject;
  query: z.ZodObject;
  response: z.ZodType;
  /** The CSV header when `format=csv` is served too. */
  csvHeader?: readonly string[];
  /** `scopes`: what the caller holds, for the routes that show some fields to some callers only. */
  handle(
    reads: Reads,
    params: unknown,
    query: unknown,
    scopes: ReadonlySet<Scope>,
  ): Promise<{ answer: unknown; csv: string | null; name: string }>;
}

/** Builds a route, keeping the types of its schemas for `run`. */
function route<P extends z.ZodObject, Q extends z.ZodObject, R>(def: {
  path: string;
  operationId: string;
  summary: string;
  params: P;
  query: Q;
  response: z.ZodType<R>;
  csv?: {
    header: readonly string[];
    body: (answer: NoInfer<R>, query: z.output<Q>) => string;
    /** The download's file name: names whose report it is (issue 27.6), so two downloads never share one. */
    name: (query: z.output<Q>, params: z.output<P>) => string;
  };
  what: (params: z.output<P>) => string;
  run: (reads: Reads, params: z.output<P>, query: z.output<Q>, scopes: ReadonlySet<Scope>) => Promise<NoInfer<R> | null>;
}): ReadRoute {
  return {
    path: def.path,
    operationId: def.operationId,
    summary: def.summary,
    params: def.params,
    query: def.query,
    response: def.response,
    ...(def.csv ? { csvHeader: def.csv.header } : {}),
    async handle(reads, rawParams, rawQuery, scopes) {
      const params = parse(def.params, rawParams, "path") as z.output<P>;
      const query = parse(def.query, rawQuery, "query") as z.output<Q>;
      const answer = await def.run(reads, params, query, scopes);
      if (answer === null) throw notFound(def.what(params));
      const wantsCsv = def.csv !== undefined && (query as { format?: string }).format === "csv";
      return { answer, csv: wantsCsv ? def.csv!.body(answer, query) : null, name: wantsCsv ? def.csv!.name(query, params) : "" };
    },
  };
}

const noParams = z.strictObject({});
const creator = z.strictObject({ creatorId: refId });
const campaign = z.strictObject({ campaignId: refId });
/** A webhook endpoint's path (the reads here, DELETE in webhookRoutes.ts). */
export const webhook = z.strictObject({ webhookId: refId });
/** Webhook reads answer now; minPosition reads the registration just made (its POST answered `position`). */
const webhookQuery = z.strictObject({ minPosition: at.minPosition });

export const READ_ROUTES: readonly ReadRoute[] = [
  route({
    path: "/v1/search",
    operationId: "search",
    summary:
      "Ids that start with q, ignoring case: creators, campaigns, brands, payouts and events, each hit with its kind, by lower-cased id (issue 27)",
    params: noParams,
    query: z.strictObject({
      q: searchText,
      limit: limit(SEARCH_LIMIT_MAX).optional().describe(`hits at most (default ${SEARCH_LIMIT_DEFAULT})`),
      ...at,
    }),
    response: api.searchSchema,
    what: () => "search",
    run: (reads, _p, q) => reads.search(q.q, q.limit ?? SEARCH_LIMIT_DEFAULT, readAt(q)),
  }),
  route({
    path: "/v1/creators",
    operationId: "listCreators",
    summary:
      "Every creator the ledger knows (an entry, an acceptance or an anomaly of theirs), by id in code-point order, paged (issue 27)",
    params: noParams,
    query: z.strictObject({ after: idCursor, limit: limit(CREATORS_PAGE_MAX).optional(), ...at }),
    response: api.creatorsSchema,
    what: () => "creators",
    run: (reads, _p, q) => reads.creators(q.after ?? FIRST_ID_PAGE, q.limit ?? PAGE_DEFAULT, readAt(q)),
  }),
  route({
    path: "/v1/creators/:creatorId/earnings",
    operationId: "getCreatorEarnings",
    summary: "A creator's earnings per marketplace, month and campaign (SPEC §5, §8.4)",
    params: creator,
    query: readQuery,
    response: api.earningsSchema,
    what: (p) => `creator ${p.creatorId}`,
    run: (reads, p, q) => reads.earnings(p.creatorId, readAt(q)),
  }),
  route({
    path: "/v1/creators/:creatorId/ledger",
    operationId: "getCreatorLedger",
    summary: "A creator's journal entries, paged: the audit trail of every amount (SPEC §5, §8.1)",
    params: creator,
    query: pageQuery(LEDGER_PAGE_MAX),
    response: api.ledgerSchema,
    what: (p) => `creator ${p.creatorId}`,
    run: (reads, p, q) => reads.ledgerEntries(p.creatorId, parseCursor(q.after), q.limit ?? PAGE_DEFAULT, readAt(q)),
  }),
  route({
    path: "/v1/creators/:creatorId/report",
    operationId: "getCreatorReport",
    summary: "A creator's daily report over at most 90 days (SPEC §5)",
    params: creator,
    query: z.strictObject({ from: localDate, to: localDate, campaignId: refId.optional(), format, ...at }),
    response: api.creatorReportSchema,
    csv: { header: REPORT_CSV_HEADER, body: (a) => reportCsv(a.rows), name: (q, p) => `report-${p.creatorId}-${q.from}-${q.to}.csv` },
    what: (p) => `creator ${p.creatorId}`,
    run: (reads, p, q) => reads.creatorReport(p.creatorId, q.campaignId ?? null, q.from, q.to, readAt(q)),
  }),
  route({
    path: "/v1/creators/:creatorId/payout",
    operationId: "getCreatorPayout",
    summary: "A creator's payout status per marketplace as of a local date (SPEC §4 rule 11, §5)",
    params: creator,
    query: z.strictObject({ asOf: localDate, ...at }),
    response: api.payoutSchema,
    what: (p) => `creator ${p.creatorId}`,
    run: (reads, p, q) => reads.payout(p.creatorId, q.asOf, readAt(q)),
  }),
  route({
    path: "/v1/creators/:creatorId/payouts",
    operationId: "listCreatorPayouts",
    summary: "A creator's payouts, newest first, with their status (SPEC §8.5)",
    params: creator,
    query: readQuery,
    response: api.payoutsSchema,
    what: (p) => `creator ${p.creatorId}`,
    run: (reads, p, q) => reads.payoutsOf(p.creatorId, readAt(q)),
  }),
  route({
    path: "/v1/payouts/:payoutId",
    operationId: "getPayout",
    summary: "One payout and its statement: rule 11 at the payout's own position and date (SPEC §8.5)",
    params: z.strictObject({ payoutId: refId }),
    query: readQuery,
    response: api.payoutStatementSchema,
    what: (p) => `payout ${p.payoutId}`,
    run: (reads, p, q) => reads.payoutStatement(p.payoutId, readAt(q)),
  }),
  route({
    path: "/v1/holds",
    operationId: "listHolds",
    summary:
      "Every hold standing: creator, scope (marketplace null = all), reason, note, actor, since, and rule 11's payable per marketplace it covers, as of asOf (default: today in each marketplace's zone) (SPEC §12)",
    params: noParams,
    query: z.strictObject({
      marketplace: marketplace.optional().describe("only the holds that hold their creator there (its own and the all-marketplaces ones)"),
      asOf: localDate.optional().describe("local date rule 11's payable is evaluated on; default: today in each marketplace's zone"),
      ...at,
    }),
    response: api.holdsSchema,
    what: () => "holds",
    run: (reads, _p, q) => reads.holds(q.marketplace ?? null, q.asOf ?? null, readAt(q)),
  }),
  route({
    path: "/v1/creators/:creatorId/tax-summary",
    operationId: "getCreatorTaxSummary",
    summary:
      "A creator's year-end tax summary per marketplace: payouts dated in the year and not failed (paid, count), adjustments and write-offs booked in it (SPEC §15)",
    params: creator,
    query: z.strictObject({ year, ...at }),
    response: api.taxSummarySchema,
    what: (p) => `creator ${p.creatorId}`,
    run: (reads, p, q) => reads.taxSummary(p.creatorId, q.year, readAt(q)),
  }),
  route({
    path: "/v1/tax-summaries",
    operationId: "listTaxSummaries",
    summary: "Every creator of a marketplace paid at least `minimum` in a year (payouts not failed), by creatorId; JSON or CSV (SPEC §15)",
    params: noParams,
    query: taxSummariesQuery,
    response: api.taxSummariesSchema,
    csv: {
      header: TAX_SUMMARIES_CSV_HEADER,
      body: (a) => taxSummariesCsv(a.creators),
      name: (q) => `tax-summaries-${q.marketplace}-${q.year}.csv`,
    },
    what: () => "tax summaries",
    run: (reads, _p, q) => reads.taxSummaries(q.marketplace, q.year, q.minimum, readAt(q)),
  }),
  route({
    path: "/v1/campaigns/:campaignId/budget",
    operationId: "getCampaignBudget",
    summary: "A campaign's budget: spent, released, remaining, exhausted (SPEC §5)",
    params: campaign,
    query: readQuery,
    response: api.budgetSchema,
    what: (p) => `campaign ${p.campaignId}`,
    run: (reads, p, q) => reads.budget(p.campaignId, readAt(q)),
  }),
  route({
    path: "/v1/campaigns/:campaignId",
    operationId: "getCampaign",
    summary:
      "A campaign as created and managed, with its budget (SPEC §9) and its history: each change of its life with position and time (issue 27)",
    params: campaign,
    query: readQuery,
    response: api.campaignSchema,
    what: (p) => `campaign ${p.campaignId}`,
    run: (reads, p, q) => reads.campaignDetails(p.campaignId, readAt(q)),
  }),
  route({
    path: "/v1/campaigns/:campaignId/report",
    operationId: "getCampaignReport",
    summary: "A campaign's daily report by creator over at most 90 days: the brand's view (SPEC §9)",
    params: campaign,
    query: z.strictObject({ from: localDate, to: localDate, format, ...at }),
    response: api.campaignReportSchema,
    csv: {
      header: CAMPAIGN_REPORT_CSV_HEADER,
      body: (a) => campaignReportCsv(a.rows),
      name: (q, p) => `campaign-report-${p.campaignId}-${q.from}-${q.to}.csv`,
    },
    what: (p) => `campaign ${p.campaignId}`,
    run: (reads, p, q) => reads.campaignReport(p.campaignId, q.from, q.to, readAt(q)),
  }),
  route({
    path: "/v1/campaigns",
    operationId: "listCampaigns",
    summary:
      "Every campaign, each as GET /v1/campaigns/{id} shows it (without history), by id in code-point order, paged; of one brand, in one state (issue 27)",
    params: noParams,
    query: z.strictObject({
      brandId: refId.optional().describe("only this brand's campaigns"),
      state: z
        .enum(CAMPAIGN_STATES, { error: `must be one of ${CAMPAIGN_STATES.join(", ")}` })
        .optional()
        .describe("only campaigns in this state: ended (CampaignEnded applied), paused (a pause standing), running (neither)"),
      after: idCursor,
      limit: limit(CAMPAIGNS_PAGE_MAX).optional(),
      ...at,
    }),
    response: api.campaignsSchema,
    what: () => "campaigns",
    run: (reads, _p, q) =>
      reads.campaigns({ brandId: q.brandId ?? null, state: q.state ?? null }, q.after ?? FIRST_ID_PAGE, q.limit ?? PAGE_DEFAULT, readAt(q)),
  }),
  route({
    path: "/v1/brands",
    operationId: "listBrands",
    summary: "Every brand with a campaign, with its number of campaigns, by id in code-point order, paged (issue 27)",
    params: noParams,
    query: z.strictObject({ after: idCursor, limit: limit(BRANDS_PAGE_MAX).optional(), ...at }),
    response: api.brandsSchema,
    what: () => "brands",
    run: (reads, _p, q) => reads.brands(q.after ?? FIRST_ID_PAGE, q.limit ?? PAGE_DEFAULT, readAt(q)),
  }),
  route({
    path: "/v1/brands/:brandId/campaigns",
    operationId: "listBrandCampaigns",
    summary: "A brand's campaigns (SPEC §9)",
    params: z.strictObject({ brandId: refId }),
    query: readQuery,
    response: api.brandCampaignsSchema,
    what: (p) => `brand ${p.brandId}`,
    run: (reads, p, q) => reads.brandCampaigns(p.brandId, readAt(q)),
  }),
  route({
    path: "/v1/projections",
    operationId: "listProjections",
    summary:
      "Each projection's versions: rule version, status (active, building, idle, stalled, retired), position, lag; as they are now (SPEC §6, §10)",
    params: noParams,
    query: z.strictObject({}),
    response: api.projectionsSchema,
    what: () => "projections",
    run: (reads) => reads.projections(),
  }),
  route({
    path: "/v1/projections/:name/diff",
    operationId: "getProjectionDiff",
    summary:
      "What a version (e.g. one being rebuilt) changes against the active one, per key and amount, paged: review it before promoting (SPEC §6, §10)",
    params: z.strictObject({ name: refId }),
    query: z.strictObject({
      version: z
        .string()
        .regex(/^[1-9]\d{0,3}$/, "must be a version number 1..9999")
        .transform(Number)
        .meta(integerParameter(1, 9999))
        .describe("the version to compare with the active one"),
      after: z
        .string()
        .regex(/^\d{1,9}$/, "must be the `next` of the previous page")
        .transform(Number)
        .meta(integerParameter(0, 999_999_999))
        .optional()
        .describe("`next` of the previous page"),
      limit: limit(DIFF_PAGE_MAX).optional(),
    }),
    response: api.projectionDiffSchema,
    what: (p) => `projection ${p.name} or the version asked`,
    run: (reads, p, q) => reads.projectionDiff(p.name, q.version, q.after ?? 0, q.limit ?? PAGE_DEFAULT),
  }),
  route({
    path: "/v1/anomalies",
    operationId: "listAnomalies",
    summary: "Every anomaly, also those no creator owns, in position order, paged (SPEC §3)",
    params: noParams,
    query: pageQuery(ANOMALIES_PAGE_MAX),
    response: api.anomaliesSchema,
    what: () => "anomalies",
    // Paged like the ledger: `after=P` skips position P, `after=P.I` (nextAfter) resumes inside it.
    run: (reads, _p, q) => {
      const after = parseCursor(q.after);
      return reads.anomalies({ position: after.position, idx: after.seq }, q.limit ?? PAGE_DEFAULT, readAt(q));
    },
  }),
  route({
    path: "/v1/feed",
    operationId: "listFeed",
    summary: "The change feed: every journal entry and every anomaly in position order, each with its stable entryId, paged (SPEC §11)",
    params: noParams,
    query: pageQuery(FEED_PAGE_MAX),
    response: api.feedSchema,
    what: () => "feed",
    run: (reads, _p, q) => reads.feed(parseCursor(q.after), q.limit ?? PAGE_DEFAULT, readAt(q)),
  }),
  route({
    path: "/v1/webhooks",
    operationId: "listWebhooks",
    summary: "Registered webhook endpoints (scope webhooks; SPEC §11)",
    params: noParams,
    query: webhookQuery,
    response: api.webhooksSchema,
    what: () => "webhooks",
    run: (reads, _p, q) => reads.webhooks(readAt(q)),
  }),
  route({
    path: "/v1/webhooks/:webhookId",
    operationId: "getWebhook",
    summary: "One webhook endpoint: its events, status and pending deliveries (scope webhooks; SPEC §11)",
    params: webhook,
    query: webhookQuery,
    response: api.webhookSchema,
    what: (p) => `webhook ${p.webhookId}`,
    run: (reads, p, q) => reads.webhook(p.webhookId, readAt(q)),
  }),
  route({
    path: "/v1/webhooks/:webhookId/deliveries",
    operationId: "listWebhookDeliveries",
    summary: "An endpoint's delivery log in position order: each delivery's status and latest attempts (scope webhooks; SPEC §11)",
    params: webhook,
    query: z.strictObject({ after: cursor.optional(), limit: limit(DELIVERIES_PAGE_MAX).optional(), minPosition: at.minPosition }),
    response: api.deliveriesSchema,
    what: (p) => `webhook ${p.webhookId}`,
    run: (reads, p, q) => reads.webhookDeliveries(p.webhookId, parseCursor(q.after), q.limit ?? PAGE_DEFAULT, readAt(q)),
  }),
  route({
    path: "/v1/accounts/:account",
    operationId: "getAccount",
    summary: "An account's balance (SPEC §8.1); an account that never moved is 404",
    params: z.strictObject({ account: accountName }),
    query: readQuery,
    response: api.accountSchema,
    what: (p) => `account ${p.account}`,
    run: (reads, p, q) => reads.account(p.account, readAt(q)),
  }),
  route({
    path: "/v1/accounts/:account/entries",
    operationId: "listAccountEntries",
    summary: "An account's transfers in position order, each with the balance it left (SPEC §8.1)",
    params: z.strictObject({ account: accountName }),
    query: pageQuery(LEDGER_PAGE_MAX),
    response: api.accountEntriesSchema,
    what: (p) => `account ${p.account}`,
    run: (reads, p, q) => reads.accountEntries(p.account, parseCursor(q.after), q.limit ?? PAGE_DEFAULT, readAt(q)),
  }),
  route({
    path: "/v1/trial-balance",
    operationId: "getTrialBalance",
    summary: "Every account of one currency with its balance; they sum to 0 (SPEC §8.1)",
    params: noParams,
    query: z.strictObject({ currency: z.enum(CURRENCIES, { error: `must be one of ${CURRENCIES.join(", ")}` }), ...at }),
    response: api.trialBalanceSchema,
    what: () => "trial balance",
    run: (reads, _p, q) => reads.trialBalance(q.currency, readAt(q)),
  }),
  route({
    path: "/v1/periods",
    operationId: "listPeriods",
    summary:
      "Every month of a marketplace with entries booked in it (or named by a close), open or closed, with the close that closed it (SPEC §13)",
    params: noParams,
    query: z.strictObject({ marketplace, ...at }),
    response: api.periodsSchema,
    what: () => "periods",
    run: (reads, _p, q) => reads.periods(q.marketplace, readAt(q)),
  }),
  route({
    path: "/v1/periods/:marketplace/:month",
    operationId: "getClosingStatement",
    summary:
      "A closed month's closing statement: the close's position and log hash, the trial balance then, the month's totals and creators, and the entries booked forward since; 404 while open (SPEC §13)",
    params: z.strictObject({ marketplace, month: earningMonth }),
    query: readQuery,
    response: api.closingStatementSchema,
    what: (p) => `closed period ${p.marketplace} ${p.month}`,
    run: (reads, p, q) => reads.closingStatement(p.marketplace, p.month, readAt(q)),
  }),
  route({
    path: "/v1/events/:id",
    operationId: "getEvent",
    summary: "A stored event as the engine reads it, upcast; a WebhookRegistered URL only for the webhooks scope (SPEC §8.3, §11)",
    params: z.strictObject({ id: eventId }),
    query: readQuery,
    response: api.eventSchema,
    what: (p) => `event ${p.id}`,
    run: async (reads, p, q, scopes) => {
      const event = await reads.event(p.id, readAt(q));
      return event === null ? null : eventShownTo(event, scopes);
    },
  }),
  route({
    path: "/v1/log/head",
    operationId: "getLogHead",
    summary: "The latest event's position and hash in the log's hash chain (0 and 64 zeros when empty); as of P, position P's (SPEC §13)",
    params: noParams,
    query: readQuery,
    response: api.logHeadSchema,
    what: () => "log head",
    run: (reads, _p, q) => reads.logHead(readAt(q)),
  }),
  route({
    path: "/v1/log/position",
    operationId: "getLogPosition",
    summary:
      "The last position recorded (the store's commit time, recordedAt) at or before an instant, and its recordedAt; 0 when none; as of P, at most P: the position to read the ledger as it stood then (issue 27)",
    params: noParams,
    query: z.strictObject({ at: instantQuery, ...at }),
    response: api.logPositionSchema,
    what: () => "log position",
    run: (reads, _p, q) => reads.logPosition(q.at, parseInstant(q.at)!, readAt(q)),
  }),
  route({
    path: "/v1/log/verify",
    operationId: "verifyLog",
    summary: "Recomputes the log's hash chain from the store (scope admin): ok, or the first bad position and why (SPEC §13)",
    params: noParams,
    query: z.strictObject({ from: position.optional() }),
    response: api.logVerifySchema,
    what: () => "log",
    run: (reads, _p, q) => reads.verifyLog(Math.max(1, q.from ?? 1)),
  }),
  route({
    path: "/v1/events",
    operationId: "listEvents",
    summary:
      "Stored events in position order; a page looks at ≤ 10,000 events, so follow `next` until null; WebhookRegistered URLs only for the webhooks scope (SPEC §8.3, §11)",
    params: noParams,
    query: z.strictObject({
      after: position.optional(),
      limit: limit(EVENTS_PAGE_MAX).optional(),
      type: z.enum(EVENT_TYPES as [EventType, ...EventType[]], { error: `must be one of ${EVENT_TYPES.join(", ")}` }).optional(),
      ...at,
    }),
    response: api.eventsSchema,
    what: () => "events",
    run: async (reads, _p, q, scopes) => {
      const page = await reads.events(q.after ?? 0, q.limit ?? PAGE_DEFAULT, q.type ?? null, readAt(q));
      return { ...page, events: page.events.map((event) => eventShownTo(event, scopes)) };
    },
  }),
];

/** `scopesOf` tells what a request's caller holds (auth.ts scopesOf). */
export function registerReadRoutes(app: FastifyInstance, ledger: Ledger, scopesOf: (request: FastifyRequest) => ReadonlySet<Scope>): void {
  const reads = new Reads(ledger);
  for (const r of READ_ROUTES) {
    app.get(r.path, async (request, reply) => {
      const { answer, csv, name } = await r.handle(reads, request.params, request.query, scopesOf(request));
      if (csv === null) return answer;
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${name}"`)
        .header("x-as-of-position", String((answer as { asOfPosition: number }).asOfPosition))
        .send(csv);
    });
  }
}
