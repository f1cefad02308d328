// Access control (issue 7): bearer tokens with scopes from LEDGER_TOKENS. Without a token: 401;
// with a token lacking the route's scope: 403; either way nothing changes. Health stays open.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../services/config.ts";
import { serve } from "../../services/serve.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { demoDataset } from "../../workload/demoDataset.ts";
import { accepted, campaignCreated } from "../support/domainFixtures.ts";
import { head, startE2eServer, type E2eServer } from "../support/e2eServer.ts";
import { DEMO_EVENTS, startServer } from "../support/serverChild.ts";

const INGEST = "ingest-token-0123456789";
const READ = "read-token-0123456789ab";
const PAYOUTS = "payouts-token-0123456789";
const TOKENS = `${INGEST}:ingest;${READ}:read;${PAYOUTS}:payouts`;

let server: E2eServer;
beforeAll(async () => {
  server = await startE2eServer({ env: { LEDGER_TOKENS: TOKENS } });
});
afterAll(async () => {
  await server.destroy();
});

async function call(method: string, path: string, token: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
}

const batch = [
  campaignCreated({ id: "auth-cc-1", campaignId: "CA1" }),
  accepted({ id: "auth-acc-1", campaignId: "CA1", creatorId: "KA", trackingId: "TA" }),
];

describe("tokens and scopes", () => {
  it("POST /v1/events: 401 without a token, 401 with an unknown one, 403 without the ingest scope; nothing appended", async () => {
    expect((await call("POST", "/v1/events", null, batch)).status).toBe(401);
    expect((await call("POST", "/v1/events", "not-a-real-token-at-all", batch)).status).toBe(401);
    const forbidden = await call("POST", "/v1/events", READ, batch);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error?.code).toBe("forbidden");
    expect(await head(server.baseUrl)).toBe(0);
    const ok = await call("POST", "/v1/events", INGEST, batch);
    expect(ok.status).toBe(200);
    expect(await head(server.baseUrl)).toBe(2);
  });

  it("reads need the read scope", async () => {
    expect((await call("GET", "/v1/campaigns/CA1/budget", null)).status).toBe(401);
    expect((await call("GET", "/v1/campaigns/CA1/budget", INGEST)).status).toBe(403);
    expect((await call("GET", "/v1/creators/KA/earnings", PAYOUTS)).status).toBe(403);
    const deadline = Date.now() + 5_000;
    let answer = await call("GET", "/v1/campaigns/CA1/budget", READ);
    while (answer.status === 404 && Date.now() < deadline) answer = await call("GET", "/v1/campaigns/CA1/budget", READ);
    expect(answer.status).toBe(200);
  });

  it("payout runs need the payouts scope; a refused run appends nothing", async () => {
    const before = await head(server.baseUrl);
    expect((await call("POST", "/v1/payouts/run", READ, { marketplace: "US", asOf: "2026-06-01" })).status).toBe(403);
    expect((await call("POST", "/v1/payouts/run", null, { marketplace: "US", asOf: "2026-06-01" })).status).toBe(401);
    expect(await head(server.baseUrl)).toBe(before);
    expect((await call("POST", "/v1/payouts/run", PAYOUTS, { marketplace: "US", asOf: "2026-06-01" })).status).toBe(200);
  });

  it("health stays open", async () => {
    expect((await call("GET", "/v1/health", null)).status).toBe(200);
  });
});

describe("starting without tokens", () => {
  it("is refused outside the demo unless LEDGER_ALLOW_OPEN=1", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-open-"));
    try {
      await expect(serve(loadConfig({ LEDGER_DEMO: "0", LEDGER_DATA_DIR: dir, PORT: "0", LEDGER_LOG_LEVEL: "silent" }))).rejects.toThrow(
        /refusing to start without access control/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is refused when LEDGER_TOKENS is set but holds no token (' ', ';', ' ; '), even with LEDGER_ALLOW_OPEN=1 (D4)", async () => {
    for (const tokens of [" ", ";", " ; ", ";;\t;"]) {
      for (const allowOpen of ["0", "1"]) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-blank-tokens-"));
        try {
          // Before the fix this started with no access control: close it again instead of leaking it.
          const outcome = await serve(
            loadConfig({
              LEDGER_DEMO: "0",
              LEDGER_SCHEDULER: "0",
              LEDGER_DATA_DIR: dir,
              PORT: "0",
              LEDGER_LOG_LEVEL: "silent",
              LEDGER_TOKENS: tokens,
              LEDGER_ALLOW_OPEN: allowOpen,
            }),
          ).then(
            async (started) => {
              await started.app.close();
              await started.ledger.close();
              return "started";
            },
            (error: Error) => error.message,
          );
          expect(outcome, JSON.stringify(tokens)).toMatch(/^LEDGER_TOKENS is set but holds no token/);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  });

  it("is refused in demo mode too when the store holds other data than the demo's", async () => {
    // The store of the suite's server holds the auth fixture, not the demo data set.
    await expect(serve(loadConfig({ LEDGER_DATA_DIR: server.dataDir, PORT: "0", LEDGER_LOG_LEVEL: "silent" }))).rejects.toThrow(
      /only a store that holds nothing but the demo data set runs open/,
    );
  });

  it("runs open on the demo data set for reading only, and not at all once the store holds one event more (issue 16.3)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-demo-open-"));
    const env = { LEDGER_DATA_DIR: dir, PORT: "0", LEDGER_LOG_LEVEL: "silent", LEDGER_SCHEDULER: "0" };
    const close = async (started: Awaited<ReturnType<typeof serve>>) => {
      await started.app.close();
      await started.ledger.close();
    };
    try {
      const demo = await serve(loadConfig(env));
      try {
        const post = await fetch(`${demo.url}/v1/events`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(batch),
        });
        expect(post.status).toBe(403);
        expect(((await post.json()) as { error: { code: string } }).error.code).toBe("demo_read_only");
        const run = await fetch(`${demo.url}/v1/payouts/run`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ marketplace: "US", asOf: "2026-06-01" }),
        });
        expect(run.status).toBe(403);
        expect(await head(demo.url)).toBe(DEMO_EVENTS);
        expect((await fetch(`${demo.url}/v1/events?limit=1`)).status).toBe(200);
      } finally {
        await close(demo);
      }
      // Somebody's data after the demo's (here through an open start): no longer the demo.
      const open = await serve(loadConfig({ ...env, LEDGER_ALLOW_OPEN: "1" }));
      try {
        const post = await fetch(`${open.url}/v1/events`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(batch),
        });
        expect(post.status).toBe(200);
        expect(await head(open.url)).toBe(DEMO_EVENTS + 2);
      } finally {
        await close(open);
      }
      await expect(serve(loadConfig(env))).rejects.toThrow(/refusing to start without access control/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("an earlier release's demo data", () => {
  it("a store holding a prefix of today's demo data set gets the rest at start, and runs as the demo", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-demo-upgrade-"));
    const env = { LEDGER_DATA_DIR: dir, PORT: "0", LEDGER_LOG_LEVEL: "silent", LEDGER_SCHEDULER: "0" };
    try {
      // The demo as an earlier release wrote it: its first 417 events (later releases appended to it).
      const store = await openSqliteEventStore({ file: path.join(dir, "events.db") });
      const earlier = validateBatch(demoDataset().slice(0, 417));
      if (!earlier.ok) throw new Error("the demo's first 417 events are invalid");
      await store.append(earlier.events);
      await store.close();
      const demo = await serve(loadConfig(env));
      try {
        expect(await head(demo.url)).toBe(DEMO_EVENTS);
        const post = await fetch(`${demo.url}/v1/events`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(batch),
        });
        expect(post.status).toBe(403); // the demo: open for reading only
      } finally {
        await demo.app.close();
        await demo.ledger.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the Bearer scheme (RFC 7235, RFC 6750)", () => {
  it("is case-insensitive", async () => {
    for (const scheme of ["bearer", "BEARER", "BeArEr"]) {
      const answer = await fetch(`${server.baseUrl}/v1/events?limit=1`, { headers: { authorization: `${scheme} ${READ}` } });
      expect(answer.status, scheme).toBe(200);
    }
  });

  it("a 401 names the scheme in WWW-Authenticate, and says when the token itself was refused", async () => {
    const none = await fetch(`${server.baseUrl}/v1/events?limit=1`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="ledger"');
    const unknown = await fetch(`${server.baseUrl}/v1/events?limit=1`, { headers: { authorization: "Bearer not-a-real-token-at-all" } });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toBe('Bearer realm="ledger", error="invalid_token"');
    expect(
      (await fetch(`${server.baseUrl}/v1/events?limit=1`, { headers: { authorization: `Basic ${READ}` } })).headers.get("www-authenticate"),
    ).toBe('Bearer realm="ledger"');
  });
});

describe("the start-up lines", () => {
  it("show the token header when tokens are on, and say why the demo is open", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-try-"));
    try {
      const guarded = await startServer({ dataDir: dir, env: { LEDGER_TOKENS: TOKENS, LEDGER_ALLOW_OPEN: "0" } });
      await guarded.stop();
      expect(guarded.output()).toContain(`curl -s -H "Authorization: Bearer $LEDGER_TOKEN" ${guarded.url}/v1/creators/cr-00000/earnings`);
      expect(guarded.output()).toContain(`curl -s ${guarded.url}/v1/health\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the scope follows the route Fastify matched, not the raw URL", () => {
  it("a percent-encoded path to /v1/events or /v1/payouts/run still needs its own scope", async () => {
    const before = await head(server.baseUrl);
    const sneaky = [campaignCreated({ id: "auth-cc-sneaky", campaignId: "CS" })];
    expect((await call("POST", "/v1/%65vents", READ, sneaky)).status).toBe(403);
    expect((await call("POST", "/v1/payouts/%72un", READ, { marketplace: "US", asOf: "2026-06-01" })).status).toBe(403);
    expect(await head(server.baseUrl)).toBe(before);
    expect((await call("POST", "/v1/%65vents", INGEST, sneaky)).status).toBe(200);
  });
});
