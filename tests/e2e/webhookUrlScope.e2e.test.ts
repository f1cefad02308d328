// Issue 22.5: a webhook URL is a capability (its path, query or host may be the receiver's secret), so
// the event log (GET /v1/events, GET /v1/events/{id}, and the console pages that read them) shows it
// only to a caller holding the `webhooks` scope; a `read` token sees the registration with its URL
// replaced. Without tokens: a ledger run open (LEDGER_ALLOW_OPEN=1, where anyone may list the
// webhooks anyway) shows it, the demo (reads only) does not. Over real sockets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../services/http/app.ts";
import { startE2eServer, type E2eServer } from "../support/e2eServer.ts";

const KEY = "test-webhook-key-0123456789abcdef-0123456789";
const READ = "read-token-0123456789ab";
const HOOKS = "hooks-token-0123456789ab";
/** A capability URL: whoever knows it can post to the receiver. Port 9 (discard): nothing is delivered to it. */
const SECRET_URL = "http://127.0.0.1:9/hooks/T0KEN-in-the-path?sig=s3cret-in-the-query";
const REDACTED = "[redacted: needs the webhooks scope]";
const WEBHOOK_ENV = { LEDGER_WEBHOOK_KEY: KEY, LEDGER_WEBHOOK_ALLOW_PRIVATE: "1" };

async function call(baseUrl: string, method: string, path: string, token: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as any };
}

/** Registers an endpoint for campaign.ended (nothing in these stores ends a campaign): its id. */
async function register(baseUrl: string, token: string | null): Promise<string> {
  const answer = await call(baseUrl, "POST", "/v1/webhooks", token, { url: SECRET_URL, events: ["campaign.ended"] });
  expect(answer.status, answer.text).toBe(201);
  expect(answer.body.url).toBe(SECRET_URL);
  return answer.body.webhookId as string;
}

/** The registration's data as GET /v1/events?type=WebhookRegistered and GET /v1/events/{id} show it to `token`. */
async function shownData(baseUrl: string, webhookId: string, token: string | null) {
  const list = await call(baseUrl, "GET", "/v1/events?type=WebhookRegistered", token);
  const byId = await call(baseUrl, "GET", `/v1/events/webhook-registered:${webhookId}`, token);
  const all = await call(baseUrl, "GET", "/v1/events", token);
  expect([list.status, byId.status, all.status]).toEqual([200, 200, 200]);
  expect(list.body.events.map((e: { id: string }) => e.id)).toEqual([`webhook-registered:${webhookId}`]);
  expect(all.body.events[0].data).toEqual(list.body.events[0].data);
  return { list: list.body.events[0].data, byId: byId.body.data, texts: [list.text, byId.text, all.text] };
}

describe("with tokens: the event log shows a webhook URL to the webhooks scope only", () => {
  let server: E2eServer;
  let webhookId: string;

  beforeAll(async () => {
    server = await startE2eServer({ env: { LEDGER_TOKENS: `${READ}:read;${HOOKS}:read,webhooks`, ...WEBHOOK_ENV } });
    webhookId = await register(server.baseUrl, HOOKS);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("a read token sees the registration with its URL replaced, and nothing of the URL anywhere in the answers", async () => {
    const shown = await shownData(server.baseUrl, webhookId, READ);
    const redacted = { webhookId, url: REDACTED, events: ["campaign.ended"] };
    expect(shown.list).toEqual(redacted);
    expect(shown.byId).toEqual(redacted);
    for (const text of shown.texts) {
      expect(text).not.toContain("T0KEN-in-the-path");
      expect(text).not.toContain("s3cret-in-the-query");
    }
  });

  it("a token with the webhooks scope sees the URL as registered", async () => {
    const shown = await shownData(server.baseUrl, webhookId, HOOKS);
    expect(shown.list).toEqual({ webhookId, url: SECRET_URL, events: ["campaign.ended"] });
    expect(shown.byId).toEqual({ webhookId, url: SECRET_URL, events: ["campaign.ended"] });
  });

  it("the read token still cannot list the webhooks themselves (403), nor anyone without a token (401)", async () => {
    expect((await call(server.baseUrl, "GET", "/v1/webhooks", READ)).status).toBe(403);
    expect((await call(server.baseUrl, "GET", "/v1/events?type=WebhookRegistered", null)).status).toBe(401);
  });
});

describe("without tokens", () => {
  let server: E2eServer;
  let webhookId: string;

  beforeAll(async () => {
    // The harness runs open, as LEDGER_ALLOW_OPEN=1 does.
    server = await startE2eServer({ env: WEBHOOK_ENV });
    webhookId = await register(server.baseUrl, null);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("open: everyone may list the webhooks, so the event log shows the URL too", async () => {
    expect(
      (await call(server.baseUrl, "GET", "/v1/webhooks?minPosition=1", null)).body.webhooks.map((w: { url: string }) => w.url),
    ).toEqual([SECRET_URL]);
    const shown = await shownData(server.baseUrl, webhookId, null);
    expect([shown.list.url, shown.byId.url]).toEqual([SECRET_URL, SECRET_URL]);
  });

  it("demo: only reads are open (the webhooks routes answer 403), so the event log replaces the URL", async () => {
    const demo = await buildApp(server.ledger, { openMode: "demo" });
    const baseUrl = await demo.listen({ port: 0, host: "127.0.0.1" });
    try {
      expect((await call(baseUrl, "GET", "/v1/webhooks", null)).body.error.code).toBe("demo_read_only");
      const shown = await shownData(baseUrl, webhookId, null);
      expect([shown.list.url, shown.byId.url]).toEqual([REDACTED, REDACTED]);
    } finally {
      await demo.close();
    }
  });
});
