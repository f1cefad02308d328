// End-to-end harness: a real Fastify server on 127.0.0.1 (port 0) over a fresh temporary data
// directory, with every projector running in-process, reached over real sockets with fetch.
// A server can be restarted over the same data directory (close, then reopen store and read models).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import { NOT_PAID_REASONS, type NotPaidReason } from "../../domain/payout.ts";
import { loadConfig } from "../../services/config.ts";
import { buildApp } from "../../services/http/app.ts";
import { Ledger } from "../../services/ledger.ts";
import { createLogger } from "../../services/logger.ts";
import { PG_URL } from "./pgTest.ts";

export interface E2eServer {
  baseUrl: string;
  dataDir: string;
  ledger: Ledger;
  app: FastifyInstance;
  /** Closes the server and the ledger; keeps the data directory. */
  stop(): Promise<void>;
  /** Stops, then starts a new server (new port) over the same data directory and settings. */
  restart(): Promise<E2eServer>;
  /** Stops and deletes the data directory. */
  destroy(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment (e.g. LEDGER_BODY_LIMIT_BYTES, LEDGER_BATCH_MAX). */
  env?: Record<string, string>;
  /** Reuse an existing data directory (restart); default: a fresh temporary one. */
  dataDir?: string;
}

export async function startE2eServer(options: StartOptions = {}): Promise<E2eServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "ledger-e2e-"));
  const env: Record<string, string> = {
    LEDGER_DATA_DIR: dataDir,
    LEDGER_DEMO: "0",
    LEDGER_SCHEDULER: "0",
    PORT: "0",
    LEDGER_LOG_LEVEL: "silent",
    ...options.env,
  };
  const config = loadConfig(env);
  const ledger = await Ledger.open(config, createLogger(config.logLevel, "ledger-e2e"), { projects: config.projectors });
  await ledger.startProjectors();
  const app = await buildApp(ledger);
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
    await ledger.close();
  };
  return {
    baseUrl: address,
    dataDir,
    ledger,
    app,
    stop,
    async restart() {
      await stop();
      return startE2eServer({ ...options, dataDir });
    },
    async destroy() {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers. Every answer is recorded so a suite can check that none was a 5xx and that every
// error answer has the SPEC §5 error shape.
// ---------------------------------------------------------------------------------------------

export interface HttpAnswer {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON when the answer is JSON, else undefined. */
  body: any;
}

export const answers: HttpAnswer[] = [];

async function send(method: string, url: string, init: { body?: string; contentType?: string } = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (init.contentType !== undefined) headers["content-type"] = init.contentType;
  const response = await fetch(url, { method, headers, body: init.body });
  const text = await response.text();
  let body: unknown;
  if ((response.headers.get("content-type") ?? "").includes("json")) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  const answer: HttpAnswer = { method, url, status: response.status, headers: response.headers, text, body };
  answers.push(answer);
  return answer;
}

export function get(baseUrl: string, pathAndQuery: string): Promise<HttpAnswer> {
  return send("GET", baseUrl + pathAndQuery);
}

export function postJson(baseUrl: string, pathAndQuery: string, value: unknown): Promise<HttpAnswer> {
  return send("POST", baseUrl + pathAndQuery, { body: JSON.stringify(value), contentType: "application/json" });
}

export function postRaw(baseUrl: string, pathAndQuery: string, body: string, contentType?: string): Promise<HttpAnswer> {
  return send("POST", baseUrl + pathAndQuery, contentType === undefined ? { body } : { body, contentType });
}

export function toNdjson(events: readonly unknown[]): string {
  return events.map((e) => JSON.stringify(e)).join("\n") + "\n";
}

export function postEvents(baseUrl: string, events: readonly unknown[]): Promise<HttpAnswer> {
  return postJson(baseUrl, "/v1/events", events);
}

export function postNdjson(baseUrl: string, events: readonly unknown[]): Promise<HttpAnswer> {
  return postRaw(baseUrl, "/v1/events", toNdjson(events), "application/x-ndjson");
}

/** Store head from /v1/health. */
export async function head(baseUrl: string): Promise<number> {
  const health = await get(baseUrl, "/v1/health");
  if (health.status !== 200) throw new Error(`health answered ${health.status}: ${health.text}`);
  return health.body.store.head as number;
}

/** Polls /v1/health until every projection's lag is 0 (and its position has reached the head). */
export async function waitForProjections(baseUrl: string, timeoutMs = 5_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await send("GET", `${baseUrl}/v1/health`);
    if (health.status === 200) {
      const storeHead = health.body.store.head as number;
      const projections = health.body.projections as { lag: number; position: number }[];
      if (projections.length > 0 && projections.every((p) => p.lag === 0 && p.position >= storeHead)) return storeHead;
    }
    if (Date.now() > deadline) throw new Error(`projections did not catch up within ${timeoutMs} ms: ${health.text}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/**
 * A server on SQLite read models (schema null) or on PostgreSQL ones in `schema`, that has stored
 * `events` — all new, at positions 1..n — and projected them.
 */
export async function startWithEvents(schema: string | null, events: readonly unknown[]): Promise<E2eServer> {
  const server = await startE2eServer(
    schema === null ? {} : { env: { LEDGER_READ_MODELS: "postgres", LEDGER_READ_MODELS_URL: PG_URL, LEDGER_READ_MODELS_SCHEMA: schema } },
  );
  const appended = await postEvents(server.baseUrl, events);
  expect(appended.body).toEqual({ appended: events.length, duplicates: 0, lastPosition: events.length });
  await waitForProjections(server.baseUrl);
  return server;
}

/** The SPEC §5 error shape, exactly: {"error": {"code", "message", "details": [...]}}. */
export function expectErrorShape(answer: HttpAnswer, status: number, code?: string): void {
  expect({ status: answer.status, text: answer.text }).toMatchObject({ status });
  expect(answer.headers.get("content-type") ?? "").toContain("application/json");
  expect(Object.keys(answer.body)).toEqual(["error"]);
  expect(Object.keys(answer.body.error).sort()).toEqual(["code", "details", "message"]);
  expect(typeof answer.body.error.code).toBe("string");
  expect(typeof answer.body.error.message).toBe("string");
  expect(answer.body.error.message.length).toBeGreaterThan(0);
  expect(Array.isArray(answer.body.error.details)).toBe(true);
  expect(answer.text).not.toMatch(/\n\s+at /); // no stack trace
  if (code !== undefined) expect(answer.body.error.code).toBe(code);
}

/** No answer recorded so far was a 5xx, and every error answer has the SPEC error shape. */
export function expectNo5xxAndErrorShapes(): void {
  const offenders: string[] = [];
  for (const a of answers) {
    if (a.status < 400) continue;
    const b = a.body;
    const shaped =
      b !== undefined &&
      b !== null &&
      Object.keys(b).length === 1 &&
      typeof b.error?.code === "string" &&
      typeof b.error?.message === "string" &&
      Array.isArray(b.error?.details) &&
      Object.keys(b.error).length === 3;
    if (a.status >= 500 || !shaped)
      offenders.push(`${a.method} ${a.url.replace(/^http:\/\/[^/]+/, "")} → ${a.status} ${a.text.slice(0, 200)}`);
  }
  expect(offenders).toEqual([]);
}

/** An issued payout in a POST /v1/payouts/run answer, in US dollars. */
export function usPayout(payoutId: string, creatorId: string, amount: string) {
  return { payoutId, creatorId, marketplace: "US", currency: "USD", amount };
}

/** The whole answer of a US payout run (issue 16.4): every not-paid reason is counted, 0 when none. */
export function usRunAnswer(
  asOf: string,
  asOfPosition: number,
  issued: ReturnType<typeof usPayout>[],
  notPaid: Partial<Record<NotPaidReason, number>> = {},
) {
  const counts = Object.fromEntries(NOT_PAID_REASONS.map((reason) => [reason, notPaid[reason] ?? 0]));
  return { asOfPosition, marketplace: "US", currency: "USD", asOf, issued, notPaid: counts };
}
