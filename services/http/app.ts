// The HTTP API (SPEC §5), Fastify. Every answer is JSON (or CSV for the report); every error has
// the SPEC's shape; no request can produce a stack trace.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { CLOUDEVENTS_BATCH_MEDIA_TYPE } from "../../domain/events/cloudEvents.ts";
import type { IngestRequest } from "../ingest/ingestRequest.ts";
import { ProjectionLagError, ProjectionNotBuiltError, type Ledger } from "../ledger.ts";
import { PayoutRunRefused, runPayouts } from "../payoutRun.ts";
import { trueUp, TrueUpConflict, TrueUpRefused } from "../trueup.ts";
import { trueUpBody } from "./trueupBody.ts";
import { PositionOutOfRange, ReadRefused } from "../reads/reads.ts";
import { authorize, parseTokens, scopesOf, type OpenMode } from "./auth.ts";
import { registerConsole } from "./console.ts";
import {
  BODY_MEDIA_TYPES,
  checkBodyHeaders,
  CLOUDEVENTS_MEDIA_TYPES,
  jsonTextRefused,
  NDJSON_MEDIA_TYPES,
  notABatch,
  parseJsonBody,
  readNdjson,
  tooLarge,
} from "./bodies.ts";
import { badRequest, clientErrorAnswer, errorBody, HttpError } from "./errors.ts";
import { createMetrics } from "./metrics.ts";
import { openApiDocument } from "./openapi.ts";
import { payoutRunBody } from "./payoutRunBody.ts";
import { parse, READ_ROUTES, registerReadRoutes } from "./readRoutes.ts";
import { registerWebhookRoutes } from "./webhookRoutes.ts";

/** A caller's request id is used as given when it is a plain token of at most 128 characters. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What a 503 for a projection still behind the asked position tells the client to wait (SPEC §8.2). */
const RETRY_AFTER_SECONDS = 1;

const noRoute = (request: FastifyRequest) =>
  new HttpError(404, "not_found", `no route ${request.method} ${request.url.split("?")[0]!.slice(0, 200)}`);
/** API routes that validate their own query (the read routes' strict schemas); every other API route takes none. */
const QUERY_ROUTES = new Set(READ_ROUTES.map((r) => `GET ${r.path}`));

/** A query parameter on a route that takes none is a mistake to name, not to ignore. */
function refuseUnknownQuery(request: FastifyRequest): void {
  const route = request.routeOptions.url;
  // The API's routes only: the console's pages keep their own query (?at=, ?q=, …) for the browser.
  if (route === undefined || !(route.startsWith("/v1/") || route === "/metrics")) return;
  const method = request.method === "HEAD" ? "GET" : request.method; // Fastify answers HEAD on every GET route
  if (QUERY_ROUTES.has(`${method} ${route}`)) return;
  const keys = Object.keys(request.query as object);
  if (keys.length === 0) return;
  throw badRequest(
    `invalid query: ${keys.join(", ")}`,
    keys.map((key) => ({ path: key, message: "unknown query parameter; this route takes no query parameters" })),
  );
}

/** Answers to POST /v1/events that refuse a batch as invalid (ledger_batches_refused_total). */
const REFUSED_STATUSES = new Set([400, 413, 415]);

/** A POST /v1/events application/json body, left as text: the ingest thread parses it (domain/events/jsonBatch.ts eventsOfJsonText). */
class JsonEventsText {
  constructor(readonly text: string) {}
}

/** The events of an NDJSON body, already parsed line by line (services/http/bodies.ts). */
class NdjsonEvents {
  constructor(readonly values: unknown[]) {}
}

/** A CloudEvents body (SPEC §11): one CloudEvent, or a batch (a JSON array of them). */
class CloudEventsBody {
  constructor(
    readonly value: unknown,
    readonly batch: boolean,
  ) {}

  /** The CloudEvents of the body; a single one that is an array, or a batch that is not, is a 400. */
  events(): unknown[] {
    if (this.batch && Array.isArray(this.value)) return this.value;
    if (!this.batch && !Array.isArray(this.value)) return [this.value];
    throw badRequest(
      this.batch
        ? `${CLOUDEVENTS_BATCH_MEDIA_TYPE} is a JSON array of CloudEvents`
        : `application/cloudevents+json is one CloudEvent (a JSON object); send a batch as ${CLOUDEVENTS_BATCH_MEDIA_TYPE}`,
    );
  }
}

export interface AppOptions {
  /** Without tokens: everything open, or the demo's reads only (services/http/auth.ts). */
  openMode?: OpenMode;
}

export async function buildApp(ledger: Ledger, options: AppOptions = {}): Promise<FastifyInstance> {
  const metrics = createMetrics();
  const app = Fastify({
    logger: false,
    // The caller's x-request-id when it is a plain token, else a new one; answered back, and in the access log.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
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
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    authorize(grants, request, options.openMode);
    if (request.is404) throw noRoute(request);
    refuseUnknownQuery(request);
    checkBodyHeaders(request);
  });

  // The access log and the latency histogram: one line per answered request, labelled by the
  // route pattern Fastify matched (an unmatched URL is "unmatched": labels stay bounded).
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, seconds);
    ledger.log.info(
      {
        reqId: request.id,
        method: request.method,
        route,
        url: request.url.slice(0, 512),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 1000) / 1000,
      },
      "request",
    );
  });

  // Only JSON and NDJSON are body formats (SPEC §5). Fastify's JSON parser (with its
  // prototype-poisoning check) is replaced by one that bounds depth and event count before
  // JSON.parse; a `__proto__` key is then named as an unknown field by the strict schemas.
  const eventsMax = ledger.config.batchEventsMax;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, text, done) =>
    done(
      null,
      request.method === "POST" && request.routeOptions.url === "/v1/events"
        ? new JsonEventsText(text as string)
        : parseJsonBody(text as string, eventsMax),
    ),
  );
  app.addContentTypeParser(CLOUDEVENTS_MEDIA_TYPES, { parseAs: "string" }, (request, text, done) => {
    const batch = (request.headers["content-type"] ?? "").toLowerCase().startsWith(CLOUDEVENTS_BATCH_MEDIA_TYPE);
    done(null, new CloudEventsBody(parseJsonBody(text as string, eventsMax), batch));
  });
  app.addContentTypeParser(NDJSON_MEDIA_TYPES, async (request: FastifyRequest, payload: IncomingMessage) => {
    const { values, problems } = await readNdjson(payload, Number(request.headers["content-length"] ?? 0), {
      bodyLimitBytes: ledger.config.bodyLimitBytes,
      eventsMax,
    });
    if (problems.length > 0) throw refusal(problems);
    return new NdjsonEvents(values);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    // Every refused batch, wherever it was refused (body headers and reader, limits, validation).
    const status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
    if (request.routeOptions.url === "/v1/events" && REFUSED_STATUSES.has(status)) metrics.refused.inc();
    if (error instanceof HttpError)
      return reply
        .code(error.statusCode)
        .headers(error.headers)
        .send(errorBody(error.code, error.message, error.details));
    if (error instanceof TrueUpConflict) return reply.code(409).send(errorBody("conflict", error.message));
    if (error instanceof ProjectionLagError || error instanceof ProjectionNotBuiltError) {
      return reply.code(503).header("retry-after", String(RETRY_AFTER_SECONDS)).send(errorBody("projection_lagging", error.message));
    }
    if (
      error instanceof PayoutRunRefused ||
      error instanceof TrueUpRefused ||
      error instanceof PositionOutOfRange ||
      error instanceof ReadRefused
    ) {
      return reply
        .code(400)
        .send(
          errorBody("invalid_request", error.message, error instanceof ReadRefused ? [{ path: "from,to", message: error.message }] : []),
        );
    }
    if (status === 413) return reply.code(413).send(errorBody("too_large", tooLarge(ledger.config.bodyLimitBytes).message));
    if (status === 415) return reply.code(415).send(errorBody("unsupported_media_type", `send ${BODY_MEDIA_TYPES.join(", ")}`));
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody("invalid_request", error.message));
    ledger.log.error({ err: error.message, url: request.url }, "request failed");
    return reply
      .code(500)
      .send(
        errorBody(
          "internal",
          "internal error; a write may or may not have taken effect: events are stored once by id, so resending a batch is safe",
        ),
      );
  });
  // Unreachable through the onRequest hook above (it answers first); kept so a 404 never falls back to Fastify's own shape.
  app.setNotFoundHandler(async (request) => {
    throw noRoute(request);
  });

  // --- writes ---------------------------------------------------------------------------------
  app.post("/v1/events", async (request, reply) => {
    // NDJSON and CloudEvents bodies are bounded (depth, LEDGER_BATCH_MAX) and parsed already; a JSON
    // body is bounded and parsed where it is ingested (services/ingest/ingestRequest.ts), and a text
    // that is no batch comes back as a refusal, answered here (bodies.ts jsonTextRefused).
    let batch: IngestRequest;
    const body = request.body;
    if (body instanceof JsonEventsText) {
      batch = { form: "json", text: body.text };
    } else if (body instanceof CloudEventsBody) {
      batch = { form: "cloudevents", values: body.events() };
    } else if (body instanceof NdjsonEvents) {
      batch = { form: "envelopes", values: body.values };
    } else {
      throw notABatch();
    }
    const result = await ledger.ingest(batch);
    if (result.kind === "refused") throw jsonTextRefused(result.refusal);
    if (result.kind === "invalid") throw refusal(result.problems);
    if (result.kind === "conflict") {
      metrics.conflicts.inc();
      throw new HttpError(409, "conflict", result.message, [
        { index: result.index, id: result.eventId, path: "id", message: result.message },
      ]);
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

  app.post("/v1/trueups", async (request) => trueUp(ledger, parse(trueUpBody, request.body, "body")));

  registerReadRoutes(app, ledger, (request) => scopesOf(grants, request, options.openMode));
  registerWebhookRoutes(app, ledger);

  /** Store head, projection lag and the webhook backlog, also set on the Prometheus gauges (totals only: /metrics is open). */
  async function healthWithGauges() {
    const health = await ledger.health();
    metrics.head.set(health.head);
    for (const p of health.projections) metrics.lag.set({ projection: p.name }, p.lag);
    metrics.webhookBacklog.set(health.webhooks.summary.backlogEvents);
    metrics.webhookOldestAge.set(health.webhooks.summary.oldestAgeMs / 1000);
    metrics.webhooksDisabled.set(health.webhooks.summary.disabledEndpoints);
    return health;
  }

  // A disabled webhook endpoint or a backlog past its limits degrades the ledger (SPEC §11) without
  // failing it: it still answers 200. Which endpoints, and why, only for the `webhooks` scope (webhookHealth.ts).
  app.get("/v1/health", async (request) => {
    const health = await healthWithGauges();
    const { summary, detail } = health.webhooks;
    const degraded = summary.status === "degraded" || health.projections.some((p) => p.status === "degraded");
    return {
      status: degraded ? "degraded" : "ok",
      store: { head: health.head },
      projections: health.projections,
      webhooks: scopesOf(grants, request, options.openMode).has("webhooks") ? { ...summary, ...detail } : summary,
    };
  });

  app.get("/metrics", async (_request: FastifyRequest, reply: FastifyReply) => {
    await healthWithGauges();
    return reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const openapi = openApiDocument(`http://${ledger.config.host}:${ledger.config.port}`);
  app.get("/v1/openapi.json", async () => openapi);

  await registerConsole(app);

  await app.ready();
  return app;
}
