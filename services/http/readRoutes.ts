// The read routes of the API (SPEC §5, §8, §9): parse the path and query with zod (400 naming the
// field), ask services/reads.ts, answer 404 for what is unknown. Every read takes asOfPosition and
// minPosition (§8.2).
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { parseLocalDate } from "../../domain/calendar.ts";
import { EVENT_TYPES, refId, type EventType } from "../../domain/events/schemas.ts";
import { DEFAULT_MARKETPLACES } from "../../domain/marketplaces.ts";
import { ANOMALIES_PAGE_MAX } from "../../projections/anomalyQueries.ts";
import { LEDGER_PAGE_MAX, type Cursor } from "../../projections/journal/journalQueries.ts";
import type { Ledger } from "../ledger.ts";
import { Reads, type ReadAt } from "../reads.ts";
import { campaignReportCsv, reportCsv } from "./csv.ts";
import { badRequest, notFound } from "./errors.ts";

export const EVENTS_PAGE_MAX = 1_000;
export const EVENTS_PAGE_DEFAULT = 100;
export const PAGE_DEFAULT = 100;

/** Parses with zod; a failure is a 400 naming each field. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw badRequest(
      `invalid ${where}`,
      result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return result.data;
}

/** A position in the store: a whole number ≥ 0 (the store's head is checked by services/reads.ts). */
const position = z
  .string()
  .regex(/^\d{1,15}$/, "must be an integer ≥ 0 (a position in the store)")
  .transform(Number);
/** Every read takes these (SPEC §8.2). */
const at = { asOfPosition: position.optional(), minPosition: position.optional() };

function readAt(query: { asOfPosition?: number | undefined; minPosition?: number | undefined }): ReadAt {
  return { asOfPosition: query.asOfPosition ?? null, minPosition: query.minPosition ?? null };
}

export const localDate = z.string().refine((s) => parseLocalDate(s) !== null, "must be a date YYYY-MM-DD in the years 1970-2999");
const limit = (max: number) => z.coerce.number({ error: `must be an integer 1..${max}` }).int(`must be an integer 1..${max}`).min(1, `must be an integer 1..${max}`).max(max, `must be an integer 1..${max}`);
/** A paging cursor: a position (skip all of it) or `position.seq` (resume inside it), from nextAfter. */
const cursor = z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, "must be a position, or position.seq from nextAfter");

function parseCursor(text: string | undefined): Cursor {
  if (text === undefined) return { position: 0, seq: -1 };
  const [p = "0", seq] = text.split(".");
  return { position: Number(p), seq: seq === undefined ? Number.MAX_SAFE_INTEGER : Number(seq) };
}

const creatorParams = z.strictObject({ creatorId: refId });
const campaignParams = z.strictObject({ campaignId: refId });
const readQuery = z.strictObject({ ...at });
const reportQuery = z.strictObject({ from: localDate, to: localDate, campaignId: refId.optional(), format: z.enum(["json", "csv"]).optional(), ...at });
const campaignReportQuery = z.strictObject({ from: localDate, to: localDate, format: z.enum(["json", "csv"]).optional(), ...at });
const payoutQuery = z.strictObject({ asOf: localDate, ...at });
const pageQuery = (max: number) => z.strictObject({ after: cursor.optional(), limit: limit(max).optional(), ...at });
const eventsQuery = z.strictObject({
  after: position.optional(),
  limit: limit(EVENTS_PAGE_MAX).optional(),
  type: z.enum(EVENT_TYPES as [EventType, ...EventType[]], { error: `must be one of ${EVENT_TYPES.join(", ")}` }).optional(),
  ...at,
});
const CURRENCIES = [...new Set(Object.values(DEFAULT_MARKETPLACES).map((m) => m.currency))] as [string, ...string[]];
const trialBalanceQuery = z.strictObject({ currency: z.enum(CURRENCIES, { error: `must be one of ${CURRENCIES.join(", ")}` }), ...at });
/** Account names: the id characters of SPEC §2 plus '%' (an id's ':' is written %3A inside a name). */
const accountParams = z.strictObject({
  account: z.string().min(1).max(300).regex(/^[A-Za-z0-9._:%-]+$/, "must be an account name such as creator:K9:US:earned"),
});
const eventParams = z.strictObject({ id: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, "may contain only A-Z a-z 0-9 . _ : -") });
const payoutParams = z.strictObject({ payoutId: refId });
const brandParams = z.strictObject({ brandId: refId });

function found<T>(value: T | null, what: string): T {
  if (value === null) throw notFound(what);
  return value;
}

function csv(reply: FastifyReply, body: string, name: string, asOfPosition: number) {
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${name}"`)
    .header("x-as-of-position", String(asOfPosition))
    .send(body);
}

export function registerReadRoutes(app: FastifyInstance, ledger: Ledger): void {
  const reads = new Reads(ledger);

  // --- creators ---------------------------------------------------------------------------------
  app.get("/v1/creators/:creatorId/earnings", async (request) => {
    const { creatorId } = parse(creatorParams, request.params, "path");
    const query = parse(readQuery, request.query, "query");
    return found(await reads.earnings(creatorId, readAt(query)), `creator ${creatorId}`);
  });

  app.get("/v1/creators/:creatorId/ledger", async (request) => {
    const { creatorId } = parse(creatorParams, request.params, "path");
    const query = parse(pageQuery(LEDGER_PAGE_MAX), request.query, "query");
    return found(await reads.ledgerEntries(creatorId, parseCursor(query.after), query.limit ?? PAGE_DEFAULT, readAt(query)), `creator ${creatorId}`);
  });

  app.get("/v1/creators/:creatorId/report", async (request, reply) => {
    const { creatorId } = parse(creatorParams, request.params, "path");
    const query = parse(reportQuery, request.query, "query");
    const report = found(await reads.creatorReport(creatorId, query.campaignId ?? null, query.from, query.to, readAt(query)), `creator ${creatorId}`);
    if (query.format === "csv") return csv(reply, reportCsv(report.rows), `report-${query.from}-${query.to}.csv`, report.asOfPosition);
    return report;
  });

  app.get("/v1/creators/:creatorId/payout", async (request) => {
    const { creatorId } = parse(creatorParams, request.params, "path");
    const query = parse(payoutQuery, request.query, "query");
    return found(await reads.payout(creatorId, query.asOf, readAt(query)), `creator ${creatorId}`);
  });

  app.get("/v1/creators/:creatorId/payouts", async (request) => {
    const { creatorId } = parse(creatorParams, request.params, "path");
    const query = parse(readQuery, request.query, "query");
    return found(await reads.payoutsOf(creatorId, readAt(query)), `creator ${creatorId}`);
  });

  app.get("/v1/payouts/:payoutId", async (request) => {
    const { payoutId } = parse(payoutParams, request.params, "path");
    const query = parse(readQuery, request.query, "query");
    return found(await reads.payoutStatement(payoutId, readAt(query)), `payout ${payoutId}`);
  });

  // --- campaigns and brands -----------------------------------------------------------------------
  app.get("/v1/campaigns/:campaignId/budget", async (request) => {
    const { campaignId } = parse(campaignParams, request.params, "path");
    const query = parse(readQuery, request.query, "query");
    return found(await reads.budget(campaignId, readAt(query)), `campaign ${campaignId}`);
  });

  app.get("/v1/campaigns/:campaignId", async (request) => {
    const { campaignId } = parse(campaignParams, request.params, "path");
    const query = parse(readQuery, request.query, "query");
    return found(await reads.campaignDetails(campaignId, readAt(query)), `campaign ${campaignId}`);
  });

  app.get("/v1/campaigns/:campaignId/report", async (request, reply) => {
    const { campaignId } = parse(campaignParams, request.params, "path");
    const query = parse(campaignReportQuery, request.query, "query");
    const report = found(await reads.campaignReport(campaignId, query.from, query.to, readAt(query)), `campaign ${campaignId}`);
    if (query.format === "csv") return csv(reply, campaignReportCsv(report.rows), `campaign-report-${query.from}-${query.to}.csv`, report.asOfPosition);
    return report;
  });

  app.get("/v1/brands/:brandId/campaigns", async (request) => {
    const { brandId } = parse(brandParams, request.params, "path");
    const query = parse(readQuery, request.query, "query");
    return found(await reads.brandCampaigns(brandId, readAt(query)), `brand ${brandId}`);
  });

  // --- the journal --------------------------------------------------------------------------------
  // Every anomaly, also those no creator owns (a click on an unknown tracking id), for finance.
  // Paged like the ledger: `after=P` skips position P, `after=P.I` (nextAfter) resumes inside it.
  app.get("/v1/anomalies", async (request) => {
    const query = parse(pageQuery(ANOMALIES_PAGE_MAX), request.query, "query");
    const after = parseCursor(query.after);
    return reads.anomalies({ position: after.position, idx: after.seq }, query.limit ?? PAGE_DEFAULT, readAt(query));
  });

  app.get("/v1/accounts/:account", async (request) => {
    const { account } = parse(accountParams, request.params, "path");
    const query = parse(readQuery, request.query, "query");
    return found(await reads.account(account, readAt(query)), `account ${account}`);
  });

  app.get("/v1/accounts/:account/entries", async (request) => {
    const { account } = parse(accountParams, request.params, "path");
    const query = parse(pageQuery(LEDGER_PAGE_MAX), request.query, "query");
    return found(await reads.accountEntries(account, parseCursor(query.after), query.limit ?? PAGE_DEFAULT, readAt(query)), `account ${account}`);
  });

  app.get("/v1/trial-balance", async (request) => {
    const query = parse(trialBalanceQuery, request.query, "query");
    return reads.trialBalance(query.currency, readAt(query));
  });

  // --- the event log ------------------------------------------------------------------------------
  app.get("/v1/events/:id", async (request) => {
    const { id } = parse(eventParams, request.params, "path");
    const query = parse(readQuery, request.query, "query");
    return found(await reads.event(id, readAt(query)), `event ${id}`);
  });

  app.get("/v1/events", async (request) => {
    const query = parse(eventsQuery, request.query, "query");
    return reads.events(query.after ?? 0, query.limit ?? EVENTS_PAGE_DEFAULT, query.type ?? null, readAt(query));
  });
}
