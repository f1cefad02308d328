// Webhooks over real sockets (SPEC §11): the ledger's API on 127.0.0.1 and receivers on 127.0.0.1
// (LEDGER_WEBHOOK_ALLOW_PRIVATE=1, as the operator of a private network would set it). Retry delays,
// timeouts and the give-up span are configured in milliseconds so the suite runs in seconds; no
// assertion depends on how long anything took (the delays' growth is tested in webhooks.unit).
import fs from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "../../infra/webhooks/signature.ts";
import {
  accepted,
  balanceWrittenOff,
  campaignCreated,
  campaignEnded,
  click,
  line,
  payoutFailed,
  payoutIssued,
  payoutsHeld,
  payoutsReleased,
  payoutThresholdSet,
  returned,
  shipped,
  webhookRegistered,
  type RawEvent,
} from "../support/domainFixtures.ts";
import {
  expectErrorShape,
  get,
  head,
  postEvents,
  postJson,
  startE2eServer,
  waitForProjections,
  type E2eServer,
} from "../support/e2eServer.ts";
import { dropSchema, PG_URL, randomSchema } from "../support/pgTest.ts";
import { signatureVerifies, startWebhookReceiver, type WebhookReceiver } from "../support/webhookReceiver.ts";

const KEY = "test-webhook-key-0123456789abcdef-0123456789";
/** Fast retries (first ≤ 20 ms, at most 200 ms apart), a 500 ms request timeout, a give-up span nobody reaches. */
const FAST_RETRIES = {
  LEDGER_WEBHOOK_KEY: KEY,
  LEDGER_WEBHOOK_ALLOW_PRIVATE: "1",
  LEDGER_WEBHOOK_POLL_MS: "10",
  LEDGER_WEBHOOK_RETRY_BASE_MS: "20",
  LEDGER_WEBHOOK_RETRY_MAX_MS: "200",
  LEDGER_WEBHOOK_TIMEOUT_MS: "500",
  LEDGER_WEBHOOK_GIVE_UP_MS: "600000",
};
const DELIVERED_WITHIN_MS = 30_000;

/** A campaign whose budget the first sale exhausts, an anomaly, a payout that fails, the campaign's end. */
function story(): RawEvent[] {
  return [
    campaignCreated({ id: "s-cc", campaignId: "C1", budget: "20.00" }),
    accepted({ id: "s-acc", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
    // toys: 250.00 × 0.03 = 7.50 standard; bonus 25.00 capped at the 20.00 left: the budget is exhausted
    shipped({ id: "s-ship", trackingId: "T1", lines: [line("A1", "toys", 1, "250.00")] }),
    click({ id: "s-click", trackingId: "T-unknown" }), // unknown_tracking_id
    payoutIssued({ id: "s-pay", payoutId: "P1", creatorId: "K1", marketplace: "US", amount: "7.50", occurredAt: "2026-06-01T07:00:00Z" }),
    payoutFailed({ id: "s-fail", payoutId: "P1", reason: "returned", occurredAt: "2026-06-03T07:00:00Z" }),
    campaignEnded({ id: "s-end", campaignId: "C1", occurredAt: "2026-04-01T00:00:00-07:00" }), // no content: the bonus is forfeited
  ];
}

/** The registration is position 1, the story 2..8: its entries and its anomaly, in position order. */
const FEED_ENTRY_IDS = ["2:0", "4:0", "4:1", "5:0", "6:0", "7:0", "8:0"];

async function call(baseUrl: string, method: string, pathAndQuery: string, options: { body?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(baseUrl + pathAndQuery, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, text, body: text === "" ? undefined : (JSON.parse(text) as any) };
}

async function register(server: E2eServer, url: string, events: string[]) {
  const answer = await call(server.baseUrl, "POST", "/v1/webhooks", { body: { url, events } });
  expect(answer.status, answer.text).toBe(201);
  return answer.body as { webhookId: string; secret: string; position: number; url: string; events: string[]; createdAt: string };
}

/** Polls `check` every 20 ms until it holds; fails naming `what` after DELIVERED_WITHIN_MS. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + DELIVERED_WITHIN_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${DELIVERED_WITHIN_MS} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until the endpoint has nothing pending: the worker records a page of deliveries after the
 * page (deliveryWorker.ts), so the delivery log may trail what the receiver has seen by one page.
 */
function allRecorded(server: E2eServer, webhookId: string): Promise<void> {
  return until(
    async () => (await get(server.baseUrl, `/v1/webhooks/${webhookId}`)).body.pendingDeliveries === 0,
    `webhook ${webhookId} to have nothing pending`,
  );
}

/** Every feed item (GET /v1/feed, paged from 0) once the projections have caught up. */
async function wholeFeed(server: E2eServer): Promise<{ entryId: string; type: string; kind?: string }[]> {
  await waitForProjections(server.baseUrl, 20_000);
  const items = [];
  let after = "0";
  for (;;) {
    const page = await get(server.baseUrl, `/v1/feed?after=${after}&limit=3`);
    expect(page.status, page.text).toBe(200);
    items.push(...page.body.items);
    if (page.body.items.length < 3) return items;
    after = page.body.nextAfter;
  }
}

describe("a receiver that fails, answers too slowly, then closes the connection", () => {
  let server: E2eServer;
  let receiver: WebhookReceiver;
  let registration: Awaited<ReturnType<typeof register>>;

  beforeAll(async () => {
    server = await startE2eServer({ env: FAST_RETRIES });
    receiver = await startWebhookReceiver();
    // The first delivery: three 500s, an answer after the 500 ms timeout, a closed connection, then 200s.
    receiver.plan = (ordinal) =>
      ordinal < 3 ? { status: 500 } : ordinal === 3 ? { status: 200, delayMs: 1_500 } : ordinal === 4 ? { close: true } : { status: 200 };
    registration = await register(server, receiver.url, ["posting.created", "anomaly.recorded"]);
    expect((await postEvents(server.baseUrl, story())).status).toBe(200);
  });
  afterAll(async () => {
    await server?.destroy();
    await receiver?.close();
  });

  it("every feed item arrives, first in position order, each retried until a 2xx, every body signed", async () => {
    const feed = await wholeFeed(server);
    await receiver.waitUntil(
      () => receiver.firstArrivals().length === feed.length && receiver.received.length >= feed.length + 5,
      DELIVERED_WITHIN_MS,
      "every feed item",
    );
    expect(receiver.firstArrivals()).toEqual(FEED_ENTRY_IDS);
    // The first delivery was attempted six times, every other one once: nothing skipped ahead of a failure.
    expect(receiver.received.map((r) => r.json.entryId)).toEqual(["2:0", "2:0", "2:0", "2:0", "2:0", ...FEED_ENTRY_IDS]);
    for (const r of receiver.received) {
      expect(signatureVerifies(r, registration.secret), `signature of request ${r.ordinal}`).toBe(true);
      expect(
        verifySignature(`${registration.secret}x`, r.body, r.headers["ledger-signature"] as string, Math.floor(Date.now() / 1000)),
      ).toBe(false);
      expect(r.headers["ledger-entry-id"]).toBe(r.json.entryId);
      expect(r.headers["ledger-webhook-id"]).toBe(registration.webhookId);
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.path).toBe("/hooks/ledger");
    }
    expect(receiver.received.map((r) => r.headers["ledger-delivery-attempt"]).slice(0, 7)).toEqual(["1", "2", "3", "4", "5", "6", "1"]);
    // Each body is the feed item itself, under the event type the endpoint subscribed to.
    const firstBodies = new Map(receiver.received.map((r) => [r.json.entryId, r.json]));
    for (const item of feed) expect(firstBodies.get(item.entryId)).toEqual({ entryId: item.entryId, type: item.type, data: item });
  });

  it("the feed holds the story's entries and anomaly, with their entryIds, in position order", async () => {
    const feed = await wholeFeed(server);
    expect(feed.map((i) => [i.entryId, i.type, i.kind ?? null])).toEqual([
      ["2:0", "posting.created", "budget_funding"],
      ["4:0", "posting.created", "standard"],
      ["4:1", "posting.created", "bonus_pending"],
      ["5:0", "anomaly.recorded", null],
      ["6:0", "posting.created", "payout"],
      ["7:0", "posting.created", "payout_failed"],
      ["8:0", "posting.created", "bonus_forfeit"],
    ]);
  });

  it("the delivery log lists every attempt of the first delivery: statuses, the timeout, the closed connection", async () => {
    await allRecorded(server, registration.webhookId);
    const log = await get(server.baseUrl, `/v1/webhooks/${registration.webhookId}/deliveries?limit=2`);
    expect(log.status, log.text).toBe(200);
    const [first, second] = log.body.deliveries;
    expect(first).toMatchObject({
      entryId: "2:0",
      position: 2,
      seq: 0,
      type: "posting.created",
      status: "delivered",
      attempts: 6,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(first.log.map((a: { attempt: number; statusCode: number | null }) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, null],
      [5, null],
      [6, 200],
    ]);
    expect(first.log[3].error).toBe("no answer within 500 ms");
    expect(first.log[4].error).toMatch(/ECONNRESET|socket hang up/);
    expect(second).toMatchObject({ entryId: "4:0", status: "delivered", attempts: 1 });
    expect(log.body.nextAfter).toBe("4.0");
    const endpoint = await get(server.baseUrl, `/v1/webhooks/${registration.webhookId}`);
    expect(endpoint.body).toMatchObject({
      webhookId: registration.webhookId,
      url: receiver.url,
      events: ["posting.created", "anomaly.recorded"],
      status: "active",
      pendingDeliveries: 0,
    });
    expect((await get(server.baseUrl, "/v1/health")).body.status).toBe("ok");
  });
});

describe("on PostgreSQL read models", () => {
  const schema = randomSchema("hooks_e2e");
  let server: E2eServer;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    server = await startE2eServer({
      env: { ...FAST_RETRIES, LEDGER_READ_MODELS: "postgres", LEDGER_READ_MODELS_URL: PG_URL, LEDGER_READ_MODELS_SCHEMA: schema },
    });
    receiver = await startWebhookReceiver();
    receiver.plan = (ordinal) => (ordinal < 2 ? { status: 502 } : { status: 200 });
  });
  afterAll(async () => {
    await server?.destroy();
    await receiver?.close();
    await dropSchema(schema);
  });

  it("delivers in order with retries and keeps the same delivery log", async () => {
    const registration = await register(server, receiver.url, ["posting.created", "anomaly.recorded"]);
    expect((await postEvents(server.baseUrl, story())).status).toBe(200);
    await receiver.waitUntil(() => receiver.firstArrivals().length === FEED_ENTRY_IDS.length, DELIVERED_WITHIN_MS, "every feed item");
    expect(receiver.received.map((r) => r.json.entryId)).toEqual(["2:0", "2:0", ...FEED_ENTRY_IDS]);
    expect(receiver.received.every((r) => signatureVerifies(r, registration.secret))).toBe(true);
    await allRecorded(server, registration.webhookId);
    const log = await get(server.baseUrl, `/v1/webhooks/${registration.webhookId}/deliveries?limit=1`);
    expect(log.body.deliveries[0].log.map((a: { attempt: number; statusCode: number }) => [a.attempt, a.statusCode])).toEqual([
      [1, 502],
      [2, 502],
      [3, 200],
    ]);
    expect((await get(server.baseUrl, `/v1/feed?after=4.0&limit=2`)).body.items.map((i: { entryId: string }) => i.entryId)).toEqual([
      "4:1",
      "5:0",
    ]);
  });
});

describe("what each endpoint receives: the events it subscribed to, each item once, as its most specific type", () => {
  let server: E2eServer;
  let receiver: WebhookReceiver;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startE2eServer({ env: FAST_RETRIES });
    receiver = await startWebhookReceiver();
    // Positions 1-3; the story is 4..10: cc 4, acc 5, ship 6, click 7, pay 8, fail 9, end 10.
    ids.payouts = (await register(server, `${receiver.url}?e=payouts`, ["payout.issued"])).webhookId;
    ids.postings = (await register(server, `${receiver.url}?e=postings`, ["posting.created", "payout.issued", "payout.failed"])).webhookId;
    ids.campaigns = (await register(server, `${receiver.url}?e=campaigns`, ["budget.exhausted", "campaign.ended"])).webhookId;
    expect((await postEvents(server.baseUrl, story())).status).toBe(200);
    await receiver.waitUntil(() => receiver.received.length >= 9, DELIVERED_WITHIN_MS, "nine deliveries");
  });
  afterAll(async () => {
    await server?.destroy();
    await receiver?.close();
  });

  const arrivals = (query: string) =>
    receiver.received.filter((r) => r.path === `/hooks/ledger?e=${query}`).map((r) => [r.json.entryId, r.json.type]);

  it("payout.issued only: the payout entry", () => {
    expect(arrivals("payouts")).toEqual([["8:0", "payout.issued"]]);
  });

  it("posting.created with the payout events: every entry once, payouts as payout.issued and payout.failed", () => {
    expect(arrivals("postings")).toEqual([
      ["4:0", "posting.created"],
      ["6:0", "posting.created"],
      ["6:1", "posting.created"],
      ["8:0", "payout.issued"],
      ["9:0", "payout.failed"],
      ["10:0", "posting.created"],
    ]);
  });

  it("budget.exhausted and campaign.ended: after the entries (and anomalies) of their event, naming the campaign", () => {
    expect(arrivals("campaigns")).toEqual([
      ["6:2", "budget.exhausted"],
      ["10:1", "campaign.ended"],
    ]);
    const [exhausted, ended] = receiver.received.filter((r) => r.path.endsWith("e=campaigns")).map((r) => r.json.data);
    expect(exhausted).toEqual({
      type: "budget.exhausted",
      entryId: "6:2",
      position: 6,
      seq: 2,
      eventId: "s-ship",
      eventType: "ShipmentRecorded",
      occurredAt: "2026-03-10T18:00:00Z",
      campaignId: "C1",
      exhaustedAt: "2026-03-10T18:00:00Z",
    });
    expect(ended).toEqual({
      type: "campaign.ended",
      entryId: "10:1",
      position: 10,
      seq: 1,
      eventId: "s-end",
      eventType: "CampaignEnded",
      occurredAt: "2026-04-01T00:00:00-07:00",
      campaignId: "C1",
    });
  });

  it("GET /v1/webhooks lists the three in registration order, without secrets", async () => {
    const list = await get(server.baseUrl, "/v1/webhooks");
    expect(list.status).toBe(200);
    expect(
      list.body.webhooks.map((w: { webhookId: string; position: number; status: string }) => [w.webhookId, w.position, w.status]),
    ).toEqual([
      [ids.payouts, 1, "active"],
      [ids.postings, 2, "active"],
      [ids.campaigns, 3, "active"],
    ]);
    expect(list.text).not.toContain("whsec_");
  });
});

/**
 * SPEC §12 on the feed and the webhooks: a write-off is a journal entry of kind `writeoff`, and a
 * second hold, a payout while held and a write-off of more than the debt are anomalies. Positions:
 * the registration 1, then cc 2, acc 3, ship 4, hold 5, hold again 6, payout 7, return 8,
 * write-off too large 9, write-off 10, threshold 11, release 12, release again 13.
 */
function payoutControlsStory(): RawEvent[] {
  return [
    campaignCreated({ id: "h-cc", campaignId: "C1", budget: "20.00" }),
    accepted({ id: "h-acc", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
    // toys: 250.00 × 0.03 = 7.50 standard; bonus 25.00 capped at 20.00, pending
    shipped({ id: "h-ship", shipmentId: "S1", trackingId: "T1", lines: [line("A1", "toys", 1, "250.00")] }),
    payoutsHeld({ id: "h-hold", creatorId: "K1" }),
    payoutsHeld({ id: "h-hold-again", creatorId: "K1", occurredAt: "2026-05-02T12:00:00Z" }), // invalid_state
    // Applied (creator:K1:US:earned 7.50 → 0.00) and listed as paid_while_held.
    payoutIssued({ id: "h-pay", payoutId: "P1", creatorId: "K1", amount: "7.50", occurredAt: "2026-06-01T07:00:00Z" }),
    // The return after the payout takes the 7.50 back: earned -7.50, the creator owes it.
    returned({ id: "h-ret", shipmentId: "S1", occurredAt: "2026-06-10T18:00:00Z" }),
    balanceWrittenOff({ id: "h-wo-big", creatorId: "K1", amount: "10.00" }), // exceeds_receivable: owes 7.50
    balanceWrittenOff({ id: "h-wo", creatorId: "K1", amount: "7.50", occurredAt: "2026-07-02T12:00:00Z" }),
    payoutThresholdSet({ id: "h-thr", creatorId: "K1", amount: "50.00", occurredAt: "2026-07-03T12:00:00Z" }),
    payoutsReleased({ id: "h-rel", creatorId: "K1", occurredAt: "2026-07-04T12:00:00Z" }),
    payoutsReleased({ id: "h-rel-again", creatorId: "K1", occurredAt: "2026-07-05T12:00:00Z" }), // invalid_state
  ];
}

describe("SPEC §12 facts on the change feed and as webhooks: the writeoff entry, the new anomaly codes", () => {
  let server: E2eServer;
  let receiver: WebhookReceiver;
  let registration: Awaited<ReturnType<typeof register>>;
  let feed: Awaited<ReturnType<typeof wholeFeed>>;

  beforeAll(async () => {
    server = await startE2eServer({ env: FAST_RETRIES });
    receiver = await startWebhookReceiver();
    registration = await register(server, receiver.url, ["posting.created", "anomaly.recorded"]);
    expect((await postEvents(server.baseUrl, payoutControlsStory())).status).toBe(200);
    feed = await wholeFeed(server);
    await receiver.waitUntil(() => receiver.firstArrivals().length === feed.length, DELIVERED_WITHIN_MS, "every feed item");
  });
  afterAll(async () => {
    await server?.destroy();
    await receiver?.close();
  });

  it("the feed holds the writeoff entry and the anomalies invalid_state, paid_while_held, exceeds_receivable; holds, releases and thresholds add no item", () => {
    expect(feed.map((i) => [i.entryId, i.type, i.kind ?? (i as { code?: string }).code])).toEqual([
      ["2:0", "posting.created", "budget_funding"],
      ["4:0", "posting.created", "standard"],
      ["4:1", "posting.created", "bonus_pending"],
      ["6:0", "anomaly.recorded", "invalid_state"],
      ["7:0", "posting.created", "payout"],
      ["7:1", "anomaly.recorded", "paid_while_held"],
      ["8:0", "posting.created", "standard_reversal"],
      ["8:1", "posting.created", "bonus_pending_return"],
      ["9:0", "anomaly.recorded", "exceeds_receivable"],
      ["10:0", "posting.created", "writeoff"],
      ["13:0", "anomaly.recorded", "invalid_state"],
    ]);
    expect(feed.find((i) => i.entryId === "10:0")).toEqual({
      type: "posting.created",
      entryId: "10:0",
      position: 10,
      seq: 0,
      sourceEventId: "h-wo",
      eventType: "BalanceWrittenOff",
      occurredAt: "2026-07-02T12:00:00Z",
      kind: "writeoff",
      source: "program:US:writeoffs",
      destination: "creator:K1:US:earned",
      creatorId: "K1",
      campaignId: null,
      shipmentId: null,
      asin: null,
      amount: "7.50",
      currency: "USD",
      marketplace: "US",
      earningMonth: "2026-07",
      originalMonth: "2026-07",
      rate: null,
      ruleVersion: 1,
      note: "uncollectible by finance:ana: creator left the program",
    });
    expect(feed.find((i) => i.entryId === "9:0")).toMatchObject({
      eventId: "h-wo-big",
      eventType: "BalanceWrittenOff",
      code: "exceeds_receivable",
      creatorId: "K1",
      message: "write-off of 10.00 USD for K1 in US, who owes 7.50; nothing is booked",
    });
    expect(feed.find((i) => i.entryId === "7:1")).toMatchObject({ eventId: "h-pay", eventType: "PayoutIssued", creatorId: "K1" });
  });

  it("the receiver gets each of them once, in position order, as the feed shows it, signed", async () => {
    expect(receiver.firstArrivals()).toEqual(feed.map((i) => i.entryId));
    const bodies = new Map(receiver.received.map((r) => [r.json.entryId, r.json]));
    for (const item of feed) expect(bodies.get(item.entryId)).toEqual({ entryId: item.entryId, type: item.type, data: item });
    expect(receiver.received.every((r) => signatureVerifies(r, registration.secret))).toBe(true);
  });

  it("every body matches the OpenAPI document's webhook schema of its type (its entry kind and anomaly code enums name the new ones)", async () => {
    const doc = (await get(server.baseUrl, "/v1/openapi.json")).body as { components: unknown };
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: "doc", components: doc.components }, "doc");
    const schemaOf = { "posting.created": "WebhookPostingCreatedBody", "anomaly.recorded": "WebhookAnomalyRecordedBody" } as const;
    const mismatches = receiver.received.flatMap((r) => {
      const { entryId, type } = r.json;
      const validate = ajv.compile({ $ref: `doc#/components/schemas/${schemaOf[type as keyof typeof schemaOf]}` });
      return validate(r.json) ? [] : [{ entryId, errors: validate.errors }];
    });
    expect(mismatches).toEqual([]);
    // And the same schemas refuse what they do not name: a sign that the enums are checked at all.
    const writeoff = receiver.received.find((r) => r.json.entryId === "10:0")!.json;
    const posting = ajv.compile({ $ref: "doc#/components/schemas/WebhookPostingCreatedBody" });
    expect(posting({ ...writeoff, data: { ...writeoff.data, kind: "write_off" } })).toBe(false);
  });
});

describe("a dead endpoint and one that never answers", () => {
  let server: E2eServer;
  let dead: WebhookReceiver;
  let hanging: WebhookReceiver;
  let alive: WebhookReceiver;
  let deadId: string;

  beforeAll(async () => {
    // The span runs out after 300 ms of failing: the endpoint is then disabled.
    server = await startE2eServer({ env: { ...FAST_RETRIES, LEDGER_WEBHOOK_GIVE_UP_MS: "300" } });
    dead = await startWebhookReceiver();
    dead.plan = () => ({ status: 503 });
    hanging = await startWebhookReceiver();
    hanging.plan = () => ({ status: 200, delayMs: 60_000 }); // past every 500 ms timeout
    alive = await startWebhookReceiver();
    deadId = (await register(server, dead.url, ["posting.created"])).webhookId;
    await register(server, hanging.url, ["posting.created"]);
    await register(server, alive.url, ["posting.created"]);
    expect((await postEvents(server.baseUrl, story())).status).toBe(200);
  });
  afterAll(async () => {
    await server?.destroy();
    await dead?.close();
    await hanging?.close();
    await alive?.close();
  });

  it("hold back only themselves: the live endpoint gets everything, the others only ever their first delivery", async () => {
    await alive.waitUntil(() => alive.received.length === 6, DELIVERED_WITHIN_MS, "the live endpoint's six entries");
    expect(alive.firstArrivals()).toEqual(["4:0", "6:0", "6:1", "8:0", "9:0", "10:0"]);
    expect(dead.firstArrivals()).toEqual(["4:0"]);
    expect(hanging.firstArrivals()).toEqual(["4:0"]);
  });

  it("is disabled once its give-up span runs out; health says degraded and why; it gets no new deliveries", async () => {
    const deadline = Date.now() + DELIVERED_WITHIN_MS;
    let endpoint = await get(server.baseUrl, `/v1/webhooks/${deadId}`);
    while (endpoint.body.status !== "disabled" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      endpoint = await get(server.baseUrl, `/v1/webhooks/${deadId}`);
    }
    expect(endpoint.body).toMatchObject({ status: "disabled", pendingDeliveries: 5 });
    expect(endpoint.body.disabledReason).toMatch(
      /^deliveries failed for 300 ms from .*; the last attempt \(entry 4:0, attempt \d+\) got HTTP 503$/,
    );
    const health = await get(server.baseUrl, "/v1/health");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("degraded");
    expect(health.body.webhooks.disabled).toContainEqual({
      webhookId: deadId,
      disabledAt: endpoint.body.disabledAt,
      reason: endpoint.body.disabledReason,
    });
    const log = await get(server.baseUrl, `/v1/webhooks/${deadId}/deliveries?limit=1`);
    expect(log.body.deliveries[0]).toMatchObject({ entryId: "4:0", status: "failed", lastStatusCode: 503, nextAttemptAt: null });
    expect(log.body.deliveries[0].attempts).toBe(dead.received.length);

    const requestsBefore = dead.received.length;
    const appended = await postEvents(server.baseUrl, [campaignCreated({ id: "after-disable", campaignId: "C2", budget: "5.00" })]);
    expect(appended.status).toBe(200);
    await waitForProjections(server.baseUrl);
    expect((await get(server.baseUrl, `/v1/webhooks/${deadId}`)).body.pendingDeliveries).toBe(5);
    await alive.waitUntil(() => alive.received.length === 7, DELIVERED_WITHIN_MS, "the live endpoint's next entry");
    expect(alive.received[6]!.json.entryId).toBe("11:0");
    expect(dead.received.length).toBe(requestsBefore);
  });
});

const READ_TOKEN = "read-token-0123456789";
const HOOKS_TOKEN = "hooks-token-0123456789";
const INGEST_TOKEN = "ingest-token-0123456789";
const TOKENS = `${READ_TOKEN}:read;${HOOKS_TOKEN}:webhooks;${INGEST_TOKEN}:ingest`;

/** GET /v1/health as a caller with `token` (none: anyone). */
async function health(server: E2eServer, token?: string) {
  const answer = await call(server.baseUrl, "GET", "/v1/health", token === undefined ? {} : { token });
  expect(answer.status, answer.text).toBe(200);
  return answer;
}

/** The value of an unlabelled gauge in /metrics. */
async function gauge(server: E2eServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no ${name} in /metrics`);
  return Number(line.slice(name.length + 1));
}

describe("a backlog (issue 22.4): counted in health and /metrics, degraded past its limits, sent over one kept-alive connection", () => {
  let server: E2eServer;
  let receiver: WebhookReceiver;
  let webhookId: string;
  let open = false;

  beforeAll(async () => {
    server = await startE2eServer({
      env: { ...FAST_RETRIES, LEDGER_TOKENS: TOKENS, LEDGER_WEBHOOK_BACKLOG_MAX_EVENTS: "5", LEDGER_WEBHOOK_BACKLOG_MAX_AGE_MS: "1" },
    });
    receiver = await startWebhookReceiver();
    receiver.plan = () => ({ status: open ? 200 : 503 }); // the first delivery keeps failing: all seven wait
    const registered = await call(server.baseUrl, "POST", "/v1/webhooks", {
      body: { url: receiver.url, events: ["posting.created", "anomaly.recorded"] },
      token: HOOKS_TOKEN,
    });
    expect(registered.status, registered.text).toBe(201);
    webhookId = registered.body.webhookId;
    expect((await call(server.baseUrl, "POST", "/v1/events", { body: story(), token: INGEST_TOKEN })).status).toBe(200);
    await until(
      async () => (await health(server)).body.webhooks.backlogEvents === FEED_ENTRY_IDS.length,
      "the seven deliveries to be queued",
    );
  });
  afterAll(async () => {
    await server?.destroy();
    await receiver?.close();
  });

  it("health counts the 7 pending deliveries and their age, degraded past 5 and 1 ms, naming no endpoint; /metrics has the totals", async () => {
    const oldest = await call(server.baseUrl, "GET", "/v1/events?after=1&limit=1", { token: READ_TOKEN }); // position 2: the first pending delivery's event
    const recordedMs = Date.parse(oldest.body.events[0].recordedAt);
    const beforeMs = Date.now();
    const open = await health(server);
    const afterMs = Date.now();
    expect(open.body.status).toBe("degraded");
    expect(open.body.webhooks).toEqual({
      status: "degraded",
      reason: expect.any(String),
      disabledEndpoints: 0,
      backlogEvents: 7,
      oldestAgeMs: expect.any(Number),
    });
    expect(open.body.webhooks.reason).toMatch(
      /^7 deliveries pending at one endpoint \(more than LEDGER_WEBHOOK_BACKLOG_MAX_EVENTS=5\); the oldest pending delivery is \d+ s old \(more than LEDGER_WEBHOOK_BACKLOG_MAX_AGE_MS=1\)$/,
    );
    expect(open.body.webhooks.oldestAgeMs).toBeGreaterThanOrEqual(beforeMs - recordedMs);
    expect(open.body.webhooks.oldestAgeMs).toBeLessThanOrEqual(afterMs - recordedMs);
    expect(open.text).not.toContain(webhookId);
    expect(open.text).not.toContain(new URL(receiver.url).port);
    expect(Object.keys((await health(server, READ_TOKEN)).body.webhooks)).toEqual([
      "status",
      "reason",
      "disabledEndpoints",
      "backlogEvents",
      "oldestAgeMs",
    ]);
    const detailed = (await health(server, HOOKS_TOKEN)).body.webhooks;
    expect(detailed.disabled).toEqual([]);
    expect(detailed.backlog).toEqual([{ webhookId, backlogEvents: 7, oldestAgeMs: expect.any(Number) }]);
    expect(await gauge(server, "ledger_webhook_backlog_events")).toBe(7);
    expect(await gauge(server, "ledger_webhook_endpoints_disabled")).toBe(0);
    expect(await gauge(server, "ledger_webhook_backlog_oldest_age_seconds")).toBeGreaterThanOrEqual((beforeMs - recordedMs) / 1000);
  });

  it("once the receiver answers 2xx the backlog drains: health ok, 0 pending, age 0; every request, 503s and 2xx, came over one connection", async () => {
    open = true;
    await receiver.waitUntil(
      () => receiver.firstArrivals().length === FEED_ENTRY_IDS.length && receiver.received.at(-1)!.json.entryId === "8:0",
      DELIVERED_WITHIN_MS,
      "every feed item",
    );
    await until(async () => (await health(server)).body.webhooks.backlogEvents === 0, "the backlog to be recorded as drained");
    const drained = await health(server);
    expect(drained.body.status).toBe("ok");
    expect(drained.body.webhooks).toEqual({ status: "ok", disabledEndpoints: 0, backlogEvents: 0, oldestAgeMs: 0 });
    expect((await health(server, HOOKS_TOKEN)).body.webhooks).toEqual({
      status: "ok",
      disabledEndpoints: 0,
      backlogEvents: 0,
      oldestAgeMs: 0,
      disabled: [],
      backlog: [],
    });
    expect(await gauge(server, "ledger_webhook_backlog_events")).toBe(0);
    expect(await gauge(server, "ledger_webhook_backlog_oldest_age_seconds")).toBe(0);
    expect(receiver.firstArrivals()).toEqual(FEED_ENTRY_IDS);
    expect(receiver.received.length).toBeGreaterThan(FEED_ENTRY_IDS.length); // the 503s before
    expect(receiver.connections).toBe(1);
  });
});

describe("health shows which endpoints were disabled, and why, only to the webhooks scope (issue 22.5)", () => {
  let server: E2eServer;
  let dead: WebhookReceiver;
  let webhookId: string;

  beforeAll(async () => {
    server = await startE2eServer({ env: { ...FAST_RETRIES, LEDGER_TOKENS: TOKENS, LEDGER_WEBHOOK_GIVE_UP_MS: "300" } });
    dead = await startWebhookReceiver();
    dead.plan = () => ({ status: 503 });
    const registered = await call(server.baseUrl, "POST", "/v1/webhooks", {
      body: { url: dead.url, events: ["posting.created"] },
      token: HOOKS_TOKEN,
    });
    expect(registered.status, registered.text).toBe(201);
    webhookId = registered.body.webhookId;
    expect((await call(server.baseUrl, "POST", "/v1/events", { body: story(), token: INGEST_TOKEN })).status).toBe(200);
    await until(async () => (await health(server)).body.webhooks.disabledEndpoints === 1, "the endpoint to be disabled");
  });
  afterAll(async () => {
    await server?.destroy();
    await dead?.close();
  });

  const SUMMARY = {
    status: "degraded",
    reason: "1 endpoint(s) disabled: their deliveries kept failing past LEDGER_WEBHOOK_GIVE_UP_MS",
    disabledEndpoints: 1,
    backlogEvents: 0,
    oldestAgeMs: 0,
  };

  it.each([
    ["no token", undefined],
    ["a token without the webhooks scope", READ_TOKEN],
    ["an unknown token (health stays open: no 401)", "nobody-has-this-token-0123"],
  ])("with %s: degraded with a count and a reason, no webhook id, no receiver address", async (_, token) => {
    const answer = await health(server, token);
    expect(answer.body.status).toBe("degraded");
    expect(answer.body.webhooks).toEqual(SUMMARY);
    expect(answer.text).not.toContain(webhookId);
    expect(answer.text).not.toContain("127.0.0.1");
    expect(answer.text).not.toContain(new URL(dead.url).port);
  });

  it("with the webhooks scope: which endpoint, when and why", async () => {
    const endpoint = await call(server.baseUrl, "GET", `/v1/webhooks/${webhookId}`, { token: HOOKS_TOKEN });
    expect((await health(server, HOOKS_TOKEN)).body.webhooks).toEqual({
      ...SUMMARY,
      disabled: [{ webhookId, disabledAt: endpoint.body.disabledAt, reason: endpoint.body.disabledReason }],
      backlog: [],
    });
    expect(endpoint.body.disabledReason).toMatch(
      /^deliveries failed for 300 ms from .*; the last attempt \(entry 2:0, attempt \d+\) got HTTP 503$/,
    );
    expect(await gauge(server, "ledger_webhook_endpoints_disabled")).toBe(1);
  });
});

describe("registration rules", () => {
  let guarded: E2eServer; // tokens, private addresses refused (the default)
  let keyless: E2eServer; // no LEDGER_WEBHOOK_KEY

  beforeAll(async () => {
    guarded = await startE2eServer({ env: { LEDGER_WEBHOOK_KEY: KEY, LEDGER_TOKENS: TOKENS } });
    keyless = await startE2eServer({ env: { LEDGER_WEBHOOK_ALLOW_PRIVATE: "1" } });
  });
  afterAll(async () => {
    await guarded?.destroy();
    await keyless?.destroy();
  });

  it.each([
    ["http://127.0.0.1:9/hooks", "resolves to 127.0.0.1, a loopback, private or otherwise non-public address"],
    ["http://10.0.0.1/hooks", "resolves to 10.0.0.1, a loopback"],
    ["http://[::1]:8080/hooks", "resolves to ::1, a loopback"],
    ["http://[::ffff:192.168.1.20]/hooks", "resolves to ::ffff:c0a8:114, a loopback"],
    ["http://169.254.169.254/latest/meta-data", "resolves to 169.254.169.254, a loopback"],
    ["http://localhost:8080/hooks", "host localhost resolves to"],
  ])("refuses %s without LEDGER_WEBHOOK_ALLOW_PRIVATE, naming the url; nothing is appended", async (url, reason) => {
    const before = await head(guarded.baseUrl);
    const answer = await call(guarded.baseUrl, "POST", "/v1/webhooks", { body: { url, events: ["posting.created"] }, token: HOOKS_TOKEN });
    expect(answer.status, answer.text).toBe(400);
    expect(answer.body.error.details).toEqual([{ path: "url", message: expect.stringContaining(reason) }]);
    expect(await head(guarded.baseUrl)).toBe(before);
  });

  it.each([
    ["file:///etc/passwd", "must be an http(s) URL"],
    ["ftp://example.com/hooks", "must be an http(s) URL"],
    ["https://user:secret@example.com/hooks", "must not carry a user name or password (the URL is stored in the event log)"],
    ["not a url", "must be an http(s) URL"],
  ])("refuses %s: only http(s) URLs without credentials", async (url, message) => {
    const answer = await call(guarded.baseUrl, "POST", "/v1/webhooks", { body: { url, events: ["posting.created"] }, token: HOOKS_TOKEN });
    expect(answer.status, answer.text).toBe(400);
    expect(answer.body.error.details).toEqual([{ path: "url", message }]);
  });

  it("refuses unknown, repeated or no event types, and unknown fields, naming each", async () => {
    const answer = await call(guarded.baseUrl, "POST", "/v1/webhooks", {
      body: { url: "https://example.com/h", events: ["posting.created", "posting.created", "order.shipped"], secret: "x" },
      token: HOOKS_TOKEN,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      {
        path: "events.2",
        message: "must be one of posting.created, payout.issued, payout.failed, budget.exhausted, campaign.ended, anomaly.recorded",
      },
      { path: "", message: "unknown field: secret" },
    ]);
    const none = await call(guarded.baseUrl, "POST", "/v1/webhooks", {
      body: { url: "https://example.com/h", events: [] },
      token: HOOKS_TOKEN,
    });
    expect(none.body.error.details).toEqual([{ path: "events", message: "must list at least one event type" }]);
    const twice = await call(guarded.baseUrl, "POST", "/v1/webhooks", {
      body: { url: "https://example.com/h", events: ["campaign.ended", "campaign.ended"] },
      token: HOOKS_TOKEN,
    });
    expect(twice.body.error.details).toEqual([{ path: "events", message: "must not list an event type twice" }]);
  });

  it("needs the webhooks scope, for reads too; the feed needs read", async () => {
    const body = { url: "https://example.com/h", events: ["posting.created"] };
    expect((await call(guarded.baseUrl, "POST", "/v1/webhooks", { body })).status).toBe(401);
    expect((await call(guarded.baseUrl, "POST", "/v1/webhooks", { body, token: READ_TOKEN })).status).toBe(403);
    expect((await call(guarded.baseUrl, "GET", "/v1/webhooks", { token: READ_TOKEN })).status).toBe(403);
    expect((await call(guarded.baseUrl, "GET", "/v1/webhooks/wh_x/deliveries", { token: INGEST_TOKEN })).status).toBe(403);
    expect((await call(guarded.baseUrl, "DELETE", "/v1/webhooks/wh_x", { token: READ_TOKEN })).status).toBe(403);
    expect((await call(guarded.baseUrl, "GET", "/v1/webhooks", { token: HOOKS_TOKEN })).status).toBe(200);
    expect((await call(guarded.baseUrl, "GET", "/v1/feed", { token: HOOKS_TOKEN })).status).toBe(403);
    expect((await call(guarded.baseUrl, "GET", "/v1/feed", { token: READ_TOKEN })).status).toBe(200);
  });

  it("POST /v1/events refuses the ledger's own webhook types: registering goes through the checks above", async () => {
    const event = webhookRegistered({ webhookId: "wh_sneaky", url: "http://127.0.0.1:9/x", events: ["posting.created"] });
    const answer = await call(guarded.baseUrl, "POST", "/v1/events", { body: [event], token: INGEST_TOKEN });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      {
        index: 0,
        id: event.id,
        path: "type",
        message: "WebhookRegistered is appended by the ledger itself (POST /v1/webhooks, scope webhooks), never ingested",
      },
    ]);
  });

  it("without LEDGER_WEBHOOK_KEY nothing can be registered (409 not_configured)", async () => {
    const answer = await postJson(keyless.baseUrl, "/v1/webhooks", { url: "http://127.0.0.1:9/x", events: ["posting.created"] });
    expectErrorShape(answer, 409, "not_configured");
    expect(answer.body.error.message).toContain("LEDGER_WEBHOOK_KEY");
  });
});

describe("deletion, and a rebuild of the webhooks read model from position 0", () => {
  let server: E2eServer;
  let receiver: WebhookReceiver;
  let kept: Awaited<ReturnType<typeof register>>;
  let gone: Awaited<ReturnType<typeof register>>;

  beforeAll(async () => {
    server = await startE2eServer({ env: FAST_RETRIES });
    receiver = await startWebhookReceiver();
    kept = await register(server, `${receiver.url}?e=kept`, ["posting.created"]);
    gone = await register(server, `${receiver.url}?e=gone`, ["posting.created"]);
    expect((await postEvents(server.baseUrl, story().slice(0, 3))).status).toBe(200); // positions 3..5: entries 3:0, 5:0, 5:1
    await receiver.waitUntil(() => receiver.received.length === 6, DELIVERED_WITHIN_MS, "both endpoints' three entries");
  });
  afterAll(async () => {
    await server?.destroy();
    await receiver?.close();
  });

  it("DELETE stops the deliveries; the endpoint is then unknown", async () => {
    const deleted = await call(server.baseUrl, "DELETE", `/v1/webhooks/${gone.webhookId}`);
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body).toEqual({ webhookId: gone.webhookId, deleted: true, position: 6 });
    expect((await get(server.baseUrl, `/v1/webhooks/${gone.webhookId}?minPosition=6`)).status).toBe(404);
    expect((await get(server.baseUrl, `/v1/webhooks/${gone.webhookId}/deliveries`)).status).toBe(404);
    expect((await call(server.baseUrl, "DELETE", `/v1/webhooks/${gone.webhookId}`)).status).toBe(404);
    expect((await call(server.baseUrl, "DELETE", "/v1/webhooks/wh_never")).status).toBe(404);
    expect((await postEvents(server.baseUrl, story().slice(3, 5))).status).toBe(200); // click 7 (an anomaly), payout 8: entry 8:0
    await receiver.waitUntil(() => receiver.received.length === 7, DELIVERED_WITHIN_MS, "the kept endpoint's payout entry");
    // Endpoints are sent to side by side: the order holds per endpoint.
    const of = (endpoint: string) => receiver.received.filter((r) => r.path.endsWith(`=${endpoint}`)).map((r) => r.json.entryId);
    expect(of("kept")).toEqual(["3:0", "5:0", "5:1", "8:0"]);
    expect(of("gone")).toEqual(["3:0", "5:0", "5:1"]);
  });

  it("a rebuild from position 0 restores the registration from its event (no secret in the log) and re-sends the same entryIds", async () => {
    const log = await get(server.baseUrl, "/v1/events?type=WebhookRegistered");
    expect(log.body.events.map((e: { data: unknown }) => e.data)).toEqual([
      { webhookId: kept.webhookId, url: `${receiver.url}?e=kept`, events: ["posting.created"] },
      { webhookId: gone.webhookId, url: `${receiver.url}?e=gone`, events: ["posting.created"] },
    ]);
    const everything = await get(server.baseUrl, "/v1/events?limit=1000");
    expect(everything.text).not.toContain(kept.secret);
    expect(everything.text).not.toContain("whsec_");

    await server.stop();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(path.join(server.dataDir, `webhooks.db${suffix}`), { force: true });
    server = await startE2eServer({ env: FAST_RETRIES, dataDir: server.dataDir });
    await waitForProjections(server.baseUrl);
    const restored = await get(server.baseUrl, `/v1/webhooks/${kept.webhookId}`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({
      webhookId: kept.webhookId,
      url: `${receiver.url}?e=kept`,
      events: ["posting.created"],
      createdAt: kept.createdAt,
      position: 1,
      status: "active",
    });
    expect((await get(server.baseUrl, `/v1/webhooks/${gone.webhookId}`)).status).toBe(404);
    // At least once: the rebuilt outbox sends the kept endpoint's entries again, under the same entryIds.
    await receiver.waitUntil(() => receiver.received.length === 11, DELIVERED_WITHIN_MS, "the re-sent entries");
    expect(receiver.received.slice(7).map((r) => [r.path.split("=")[1], r.json.entryId])).toEqual([
      ["kept", "3:0"],
      ["kept", "5:0"],
      ["kept", "5:1"],
      ["kept", "8:0"],
    ]);
    for (const r of receiver.received.filter((x) => x.path.endsWith("=kept"))) expect(signatureVerifies(r, kept.secret)).toBe(true);
  });
});
