// The HTTP API (SPEC §5), Fastify. Every answer is JSON (or CSV for the report); every error has
// the SPEC's shape; no request can produce a stack trace.
import type { IncomingMessage } from "node:http";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { z } from "zod";
import { checkReportRange, parseLocalDate } from "../../domain/calendar.ts";
import { MARKETPLACE_CODES } from "../../domain/marketplaces.ts";
import { refId } from "../../domain/events/schemas.ts";
import { budgetOf } from "../../projections/budget/budgetQueries.ts";
import { anomaliesAfter, ANOMALIES_PAGE_MAX, creatorAnomalies, creatorExists, earningsOf, LEDGER_PAGE_MAX, ledgerOf } from "../../projections/earnings/earningsQueries.ts";
import { payoutOf } from "../../projections/payout/payoutQueries.ts";
import { reportOf } from "../../projections/report/reportQueries.ts";
import { ingestBatch } from "../ingest.ts";
import { ProjectionLagError, type Ledger } from "../ledger.ts";
import { PayoutRunRefused, runPayouts } from "../payoutRun.ts";
import { authorize, parseTokens } from "./auth.ts";
import { checkBodyHeaders, NDJSON_MEDIA_TYPES, parseJsonBody, readNdjson, tooLarge } from "./bodies.ts";
import { reportCsv } from "./csv.ts";
import { badRequest, clientErrorAnswer, errorBody, HttpError, notFound } from "./errors.ts";
import { createMetrics } from "./metrics.ts";
import { openApiDocument } from "./openapi.ts";

export const ANOMALIES_PER_ANSWER_MAX = 1_000;

const noRoute = (request: FastifyRequest) => new HttpError(404, "not_found", `no route ${request.method} ${request.url.split("?")[0]!.slice(0, 200)}`);
/** Answers to POST /v1/events that refuse a batch as invalid (ledger_batches_refused_total). */
const REFUSED_STATUSES = new Set([400, 413, 415]);

/** Parses with zod; a failure is a 400 naming each field. */
function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw badRequest(
      `invalid ${where}`,
      result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return result.data;
}

const creatorParams = z.strictObject({ creatorId: refId });
const campaignParams = z.strictObject({ campaignId: refId });
const localDate = z.string().refine((s) => parseLocalDate(s) !== null, "must be a date YYYY-MM-DD in the years 1970-2999");
const reportQuery = z.strictObject({ from: localDate, to: localDate, campaignId: refId.optional(), format: z.enum(["json", "csv"]).optional() });
const payoutQuery = z.strictObject({ asOf: localDate });
/** A paging cursor: a position (skip all of it) or `position.seq` (resume inside it), from nextAfter. */
const cursor = z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, "must be a position, or position.seq from nextAfter");

function parseCursor(text: string | undefined): { position: number; seq: number } {
  if (text === undefined) return { position: 0, seq: -1 };
  const [position = "0", seq] = text.split(".");
  return { position: Number(position), seq: seq === undefined ? Number.MAX_SAFE_INTEGER : Number(seq) };
}

const ledgerQuery = z.strictObject({
  after: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(LEDGER_PAGE_MAX).optional(),
});
const anomaliesQuery = z.strictObject({
  after: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(ANOMALIES_PAGE_MAX).optional(),
});
const payoutRunBody = z.strictObject({ marketplace: z.enum(MARKETPLACE_CODES), asOf: localDate });

/** The events of an NDJSON body, already parsed line by line (services/http/bodies.ts). */
class NdjsonEvents {
  constructor(readonly values: unknown[]) {}
}

export async function buildApp(ledger: Ledger): Promise<FastifyInstance> {
  const metrics = createMetrics();
  const app = Fastify({
    logger: false,
    bodyLimit: ledger.config.bodyLimitBytes,
    // Path parameters are bounded by validation (refId, 128 characters) with a precise 400.
    routerOptions: { maxParamLength: 1_000 },
    clientErrorHandler: (error, socket) => {
      if ((error as { code?: string }).code === "ECONNRESET" || socket.destroyed) return;
      if (socket.writable) socket.write(clientErrorAnswer((error as { code?: string }).code));
      socket.destroy(error);
    },
    // Errors raised by Fastify's router (bad percent-encoding, …) also get the SPEC's shape.
    frameworkErrors: (error, _request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      (reply as FastifyReply).code(status >= 400 && status < 500 ? status : 400).send(errorBody("invalid_request", error.message));
    },
  });
  const grants = parseTokens(ledger.config.tokens);
  // Nothing here reads the body, and no body is read before all of it has passed: who may ask,
  // then whether the route exists (Fastify's not-found route would parse a body too), then
  // whether the body is one the API reads (bodies.ts).
  app.addHook("onRequest", async (request) => {
    authorize(grants, request);
    if (request.is404) throw noRoute(request);
    checkBodyHeaders(request);
  });

  // Only JSON and NDJSON are body formats (SPEC §5). Fastify's JSON parser (with its
  // prototype-poisoning check) is replaced by one that bounds depth and event count before
  // JSON.parse; a `__proto__` key is then named as an unknown field by the strict schemas.
  const eventsMax = ledger.config.batchEventsMax;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, text, done) => done(null, parseJsonBody(text as string, eventsMax)));
  app.addContentTypeParser(NDJSON_MEDIA_TYPES, async (request: FastifyRequest, payload: IncomingMessage) => {
    const { values, problems } = await readNdjson(payload, Number(request.headers["content-length"] ?? 0), { bodyLimitBytes: ledger.config.bodyLimitBytes, eventsMax });
    if (problems.length > 0) throw refusal(problems);
    return new NdjsonEvents(values);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    // Every refused batch, wherever it was refused (body headers and reader, limits, validation).
    const status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
    if (request.routeOptions.url === "/v1/events" && REFUSED_STATUSES.has(status)) metrics.refused.inc();
    if (error instanceof HttpError) return reply.code(error.statusCode).send(errorBody(error.code, error.message, error.details));
    if (error instanceof ProjectionLagError) return reply.code(503).send(errorBody("projection_lagging", error.message));
    if (error instanceof PayoutRunRefused) return reply.code(400).send(errorBody("invalid_request", error.message));
    if (status === 413) return reply.code(413).send(errorBody("too_large", tooLarge(ledger.config.bodyLimitBytes).message));
    if (status === 415) return reply.code(415).send(errorBody("unsupported_media_type", "send application/json or application/x-ndjson"));
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody("invalid_request", error.message));
    ledger.log.error({ err: error.message, url: request.url }, "request failed");
    return reply.code(500).send(errorBody("internal", "internal error; the request changed nothing unless it was acknowledged"));
  });
  // Unreachable through the onRequest hook above (it answers first); kept so a 404 never falls back to Fastify's own shape.
  app.setNotFoundHandler(async (request) => {
    throw noRoute(request);
  });

  // --- writes ---------------------------------------------------------------------------------
  app.post("/v1/events", async (request, reply) => {
    // The body readers (bodies.ts) have bounded depth and event count (LEDGER_BATCH_MAX) already.
    let raws: unknown[];
    const body = request.body;
    if (body instanceof NdjsonEvents) {
      raws = body.values;
    } else if (Array.isArray(body)) {
      raws = body;
    } else if (body !== null && typeof body === "object") {
      raws = [body]; // one event on its own is a batch of one
    } else {
      throw badRequest("the body must be a JSON array of events or NDJSON");
    }
    const result = await ingestBatch(ledger.store, raws);
    if (result.kind === "invalid") throw refusal(result.problems);
    if (result.kind === "conflict") {
      metrics.conflicts.inc();
      throw new HttpError(409, "conflict", result.message, [{ index: result.index, id: result.eventId, path: "id", message: result.message }]);
    }
    metrics.appended.inc(result.appended);
    metrics.duplicates.inc(result.duplicates);
    return reply.code(200).send({ appended: result.appended, duplicates: result.duplicates, lastPosition: result.lastPosition });
  });

  function refusal(problems: unknown[]): HttpError {
    return badRequest(`the batch was refused: ${problems.length} problem(s); nothing was appended`, problems);
  }

  app.post("/v1/payouts/run", async (request) => {
    const body = parse(payoutRunBody, request.body, "body");
    return runPayouts(ledger, body.marketplace, body.asOf);
  });

  // --- reads: each answer comes from one snapshot of its projection, so it matches its asOfPosition ---
  async function creatorKnown(creatorId: string): Promise<boolean> {
    return ledger.reads.earnings.read((tx, a) => creatorExists(tx, a.prefix, creatorId));
  }

  app.get("/v1/creators/:creatorId/earnings", async (request) => {
    const { creatorId } = parse(creatorParams, request.params, "path");
    return ledger.reads.earnings.read(async (tx, a) => {
      if (!(await creatorExists(tx, a.prefix, creatorId))) throw notFound(`creator ${creatorId}`);
      return {
        creatorId,
        asOfPosition: a.position,
        marketplaces: await earningsOf(tx, a.prefix, creatorId),
        anomalies: await creatorAnomalies(tx, a.prefix, creatorId, ANOMALIES_PER_ANSWER_MAX),
      };
    });
  });

  app.get("/v1/creators/:creatorId/ledger", async (request) => {
    const { creatorId } = parse(creatorParams, request.params, "path");
    const query = parse(ledgerQuery, request.query, "query");
    const after = parseCursor(query.after);
    return ledger.reads.earnings.read(async (tx, a) => {
      if (!(await creatorExists(tx, a.prefix, creatorId))) throw notFound(`creator ${creatorId}`);
      return { creatorId, asOfPosition: a.position, ...(await ledgerOf(tx, a.prefix, creatorId, after, query.limit ?? 100)) };
    });
  });

  app.get("/v1/campaigns/:campaignId/budget", async (request) => {
    const { campaignId } = parse(campaignParams, request.params, "path");
    return ledger.reads.budget.read(async (tx, a) => {
      const budget = await budgetOf(tx, a.prefix, campaignId);
      if (!budget) throw notFound(`campaign ${campaignId}`);
      return { campaignId, asOfPosition: a.position, ...budget };
    });
  });

  app.get("/v1/creators/:creatorId/report", async (request, reply: FastifyReply) => {
    const { creatorId } = parse(creatorParams, request.params, "path");
    const query = parse(reportQuery, request.query, "query");
    const range = checkReportRange(query.from, query.to);
    if (!range.ok) throw badRequest(range.message, [{ path: "from,to", message: range.message }]);
    if (!(await creatorKnown(creatorId))) throw notFound(`creator ${creatorId}`);
    const { report, position } = await ledger.reads.report.read(async (tx, a) => ({
      report: await reportOf(tx, a.prefix, creatorId, query.from, query.to, query.campaignId ?? null),
      position: a.position,
    }));
    if (query.format === "csv") {
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="report-${query.from}-${query.to}.csv"`)
        .header("x-as-of-position", String(position))
        .send(reportCsv(report.rows));
    }
    return { creatorId, from: query.from, to: query.to, asOfPosition: position, rows: report.rows, totals: report.totals };
  });

  app.get("/v1/creators/:creatorId/payout", async (request) => {
    const { creatorId } = parse(creatorParams, request.params, "path");
    const { asOf } = parse(payoutQuery, request.query, "query");
    const { lines, position } = await ledger.reads.payout.read(async (tx, a) => ({ lines: await payoutOf(tx, a.prefix, creatorId, asOf, ledger.rules), position: a.position }));
    // A creator with only tax info or a payment method so far is known to the payout projection alone.
    if (lines.length === 0 && !(await creatorKnown(creatorId))) throw notFound(`creator ${creatorId}`);
    return { creatorId, asOf, asOfPosition: position, marketplaces: lines.map((l) => l.body) };
  });

  // Every anomaly, also those no creator owns (a click on an unknown tracking id), for finance.
  // Paged like the ledger: `after=P` skips position P, `after=P.I` (nextAfter) resumes inside it.
  app.get("/v1/anomalies", async (request) => {
    const query = parse(anomaliesQuery, request.query, "query");
    const after = parseCursor(query.after);
    return ledger.reads.earnings.read(async (tx, a) => ({ asOfPosition: a.position, ...(await anomaliesAfter(tx, a.prefix, { position: after.position, idx: after.seq }, query.limit ?? 100)) }));
  });

  /** Store head and projection lag, also set on the Prometheus gauges. */
  async function healthWithGauges() {
    const health = await ledger.health();
    metrics.head.set(health.head);
    for (const p of health.projections) metrics.lag.set({ projection: p.name }, p.lag);
    return health;
  }

  app.get("/v1/health", async () => {
    const health = await healthWithGauges();
    return { status: "ok", store: { head: health.head }, projections: health.projections };
  });

  app.get("/metrics", async (_request: FastifyRequest, reply: FastifyReply) => {
    await healthWithGauges();
    return reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const openapi = openApiDocument();
  app.get("/v1/openapi.json", async () => openapi);

  await app.ready();
  return app;
}
