// How the API process serves the console (SPEC §10, services/http/console.ts) over real HTTP: each
// console page answers index.html, with no token even when tokens are on (the page asks for one),
// under a content security policy; the build's files are immutable; a browser opening any other path
// gets the console's not-found page (index.html, as a 404); everything else keeps the API's JSON 404
// (no fallback for /v1/*, /metrics, the files, or a client that does not ask for HTML), and /v1
// stays behind its token.
import Fastify from "fastify";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleDir, registerConsole } from "../../services/http/console.ts";
import { CONSOLE_PAGES } from "../../services/http/consoleRoutes.ts";
import { ensureConsoleBuilt } from "../support/consoleBrowser.ts";
import { expectErrorShape, get, startE2eServer, type E2eServer } from "../support/e2eServer.ts";

const TOKEN = "console-serving-token-0001";
/** A value for each page parameter. */
const SAMPLE: Record<string, string> = {
  creatorId: "cr-00003",
  payoutId: "payout%3Acr-00003%3AUS%3A2026-06-01",
  brandId: "brand-000",
  campaignId: "cmp-0006",
  eventId: "story-sale-1",
  projection: "earnings",
  version: "2",
  account: "creator%3Acr-00003%3AUS%3Aearned",
  marketplace: "US",
  month: "2026-07",
};

describe("the console as the API process serves it", () => {
  let open: E2eServer;
  let guarded: E2eServer;
  let indexHtml: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    indexHtml = fs.readFileSync(path.join(consoleDir(), "index.html"), "utf8");
    [open, guarded] = await Promise.all([startE2eServer(), startE2eServer({ env: { LEDGER_TOKENS: `${TOKEN}:read` } })]);
  });
  afterAll(async () => {
    await open?.destroy();
    await guarded?.destroy();
  });

  it("answers every console page with index.html, without a token, under a content security policy", async () => {
    for (const page of Object.values(CONSOLE_PAGES)) {
      const url = page.replace(/:(\w+)/g, (_, name: string) => SAMPLE[name]!);
      const answer = await get(guarded.baseUrl, `${url}?at=12`);
      expect({ url, status: answer.status }).toEqual({ url, status: 200 });
      expect(answer.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(answer.text).toBe(indexHtml);
      expect(answer.headers.get("content-security-policy")).toContain("default-src 'self'; script-src 'self'");
      expect(answer.headers.get("cache-control")).toBe("no-cache");
    }
    expect((await fetch(`${guarded.baseUrl}/`, { method: "HEAD" })).status).toBe(200);
  });

  it("serves the build's files as immutable; a missing file or a path out of the build is a JSON 404", async () => {
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(indexHtml)![1]!;
    const answer = await get(guarded.baseUrl, script);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("javascript");
    expect(answer.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expectErrorShape(await get(open.baseUrl, "/assets/nope.js"), 404, "not_found");
    for (const escape of ["/assets/..%2Fpackage.json", "/assets/%2e%2e/%2e%2e/package.json", "/assets/..%2F..%2Fpackage.json"]) {
      const out = await get(open.baseUrl, escape);
      expect({ escape, status: out.status }).toEqual({ escape, status: 404 });
      expect(out.text).not.toContain("commission-ledger");
    }
  });

  it("keeps the API's own answers: /v1 needs its token, unknown paths are JSON 404s, not the console", async () => {
    expectErrorShape(await get(guarded.baseUrl, "/v1/creators/cr-00003/earnings"), 401, "unauthorized");
    expectErrorShape(await get(guarded.baseUrl, "/v1/projections"), 401, "unauthorized");
    for (const unknown of [
      "/v1/nope",
      "/v1/creators/cr-00003/nope", // (GET /v1/creators is a list now: issue 27)
      "/metricsx",
      "/payouts", // (GET /creators is a page now, the list of creators: issue 27)
      "/creators/cr-00003/nope",
      "/index.html",
      "/favicon.ico",
    ]) {
      const answer = await get(open.baseUrl, unknown);
      expectErrorShape(answer, 404, "not_found");
    }
    expectErrorShape(await get(open.baseUrl, "/v1/creators/nobody/earnings"), 404, "not_found");
    const post = await fetch(`${open.baseUrl}/`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(post.status).toBe(404);
  });

  it("answers a browser opening an unknown page with the console (its not-found page) as a 404, without a token", async () => {
    const html = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
    for (const unknown of ["/payouts", "/creators/cr-00003/nope", "/index.html", "/nowhere?at=3"]) {
      const answer = await fetch(guarded.baseUrl + unknown, { headers: html });
      expect({ unknown, status: answer.status }).toEqual({ unknown, status: 404 });
      expect(answer.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(answer.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(await answer.text()).toBe(indexHtml);
    }
    // The API, /metrics and the build's files keep their own answers, for a browser too.
    expect((await fetch(`${guarded.baseUrl}/v1/nope`, { headers: html })).status).toBe(401);
    for (const unknown of ["/v1/nope", "/metricsx", "/assets/nope.js"]) {
      const answer = await fetch(open.baseUrl + unknown, { headers: html });
      expect({ unknown, status: answer.status, type: answer.headers.get("content-type") }).toEqual({
        unknown,
        status: 404,
        type: "application/json; charset=utf-8",
      });
    }
  });

  it("says how to build the console when there is none", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-no-console-"));
    const app = Fastify();
    await registerConsole(app, empty);
    const answer = await app.inject({ method: "GET", url: "/creators/cr-00003" });
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toEqual({
      error: { code: "not_found", message: "the console is not built: run `npm run build` (or `npm start`, which builds it)", details: [] },
    });
    await app.close();
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
