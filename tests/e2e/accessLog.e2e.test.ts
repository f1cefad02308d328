// What an operator sees of each request (issue 16.10): one JSON access-log line at info with the
// request id (the caller's x-request-id, or a new one, answered back in x-request-id), the route
// pattern, status and time; and a latency histogram per route in /metrics.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type ServerChild } from "../support/serverChild.ts";

let server: ServerChild;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-access-"));
beforeAll(async () => {
  server = await startServer({ dataDir: dir, env: { LEDGER_LOG_LEVEL: "info", LEDGER_PROJECTORS: "none" } });
});
afterAll(async () => {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The access-log lines the server printed so far. */
function accessLines(): Record<string, unknown>[] {
  return server
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === "request");
}

async function until<T>(find: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not logged:\n${server.output().slice(-2_000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("access log", () => {
  it("logs each request with the caller's request id, its route pattern, status and time, and answers the id back", async () => {
    const answer = await fetch(`${server.url}/v1/creators/cr-nobody/earnings?asOfPosition=0`, {
      headers: { "x-request-id": "trace-42.a" },
    });
    expect(answer.status).toBe(404);
    expect(answer.headers.get("x-request-id")).toBe("trace-42.a");
    const line = await until(() => accessLines().find((l) => l.reqId === "trace-42.a"));
    expect(line).toMatchObject({
      level: 30,
      method: "GET",
      route: "/v1/creators/:creatorId/earnings",
      url: "/v1/creators/cr-nobody/earnings?asOfPosition=0",
      status: 404,
    });
    expect(typeof line.ms).toBe("number");
  });

  it("makes up an id when none (or no plain one) is given", async () => {
    for (const headers of [{}, { "x-request-id": "has spaces and \u00e9" }] as Record<string, string>[]) {
      const answer = await fetch(`${server.url}/v1/health`, { headers });
      const id = answer.headers.get("x-request-id");
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      await until(() => accessLines().find((l) => l.reqId === id && l.route === "/v1/health" && l.status === 200));
    }
  });

  it("refused requests are logged too (401 before any route code runs)", async () => {
    const answer = await fetch(`${server.url}/v1/nothing-here`, { headers: { "x-request-id": "trace-404" } });
    expect(answer.status).toBe(404);
    expect(answer.headers.get("x-request-id")).toBe("trace-404");
    expect(await until(() => accessLines().find((l) => l.reqId === "trace-404"))).toMatchObject({ route: "unmatched", status: 404 });
  });
});

describe("/metrics", () => {
  it("has a latency histogram per route pattern, method and status", async () => {
    for (let i = 0; i < 3; i += 1) await fetch(`${server.url}/v1/events?limit=1`);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain("# TYPE ledger_http_request_duration_seconds histogram");
    expect(text).toMatch(/ledger_http_request_duration_seconds_count\{method="GET",route="\/v1\/events",status="200"\} 3\n/);
    expect(text).toMatch(/ledger_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/events",status="200"\} \d+\n/);
  });
});
