// CloudEvents 1.0 structured mode on POST /v1/events (SPEC §11): application/cloudevents+json (one)
// and application/cloudevents-batch+json (a batch), with the configured type prefix. The same
// batch sent plain and as CloudEvents is stored identically, and each form's resend is a duplicate
// of the other; every rule of §2 holds (all or nothing, problems naming the CloudEvent's fields).
// §12's types are taken the same way; the ledger's own types stay refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accepted,
  balanceWrittenOff,
  campaignCreated,
  click,
  cloudEventOf,
  line,
  payoutIssued,
  payoutsHeld,
  payoutsReleased,
  payoutThresholdSet,
  returned,
  shipped,
  webhookDeleted,
  webhookRegistered,
  type RawEvent,
} from "../support/domainFixtures.ts";
import { expectErrorShape, get, head, postEvents, postRaw, startE2eServer, type E2eServer } from "../support/e2eServer.ts";

const PREFIX = "com.example.ledger.";
const CE_BATCH = "application/cloudevents-batch+json";
const CE_ONE = "application/cloudevents+json";

const BATCH: RawEvent[] = [
  campaignCreated({ id: "ce-cc", campaignId: "C1" }),
  campaignCreated({ id: "ce-cc-v2", campaignId: "C2", schemaVersion: 2, currency: "USD" }),
  accepted({ id: "ce-acc", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
  shipped({ id: "ce-ship", shipmentId: "S1", trackingId: "T1", lines: [line("A1", "toys", 2, "9.99")] }),
  click({ id: "ce-click", trackingId: "T1", asin: "A1" }),
];

/** The stored events as GET /v1/events shows them, without the commit time (which differs between two stores). */
async function stored(server: E2eServer) {
  const answer = await get(server.baseUrl, "/v1/events?limit=1000");
  expect(answer.status).toBe(200);
  return answer.body.events.map(({ recordedAt: _recordedAt, ...rest }: { recordedAt: string }) => rest);
}

describe("CloudEvents on POST /v1/events", () => {
  let plainFirst: E2eServer;
  let cloudFirst: E2eServer;

  beforeAll(async () => {
    const env = { LEDGER_CLOUDEVENTS_TYPE_PREFIX: PREFIX };
    plainFirst = await startE2eServer({ env });
    cloudFirst = await startE2eServer({ env });
  });
  afterAll(async () => {
    await plainFirst?.destroy();
    await cloudFirst?.destroy();
  });

  it("the same batch plain and as CloudEvents stores the same events; each form's resend is a duplicate of the other", async () => {
    const cloudBatch = JSON.stringify(BATCH.map((e) => cloudEventOf(e, PREFIX)));
    expect((await postEvents(plainFirst.baseUrl, BATCH)).body).toEqual({ appended: 5, duplicates: 0, lastPosition: 5 });
    expect((await postRaw(plainFirst.baseUrl, "/v1/events", cloudBatch, CE_BATCH)).body).toEqual({
      appended: 0,
      duplicates: 5,
      lastPosition: 5,
    });

    expect((await postRaw(cloudFirst.baseUrl, "/v1/events", cloudBatch, CE_BATCH)).body).toEqual({
      appended: 5,
      duplicates: 0,
      lastPosition: 5,
    });
    expect((await postEvents(cloudFirst.baseUrl, BATCH)).body).toEqual({ appended: 0, duplicates: 5, lastPosition: 5 });

    const [a, b] = [await stored(plainFirst), await stored(cloudFirst)];
    expect(b).toEqual(a);
    expect(a.map((e: { id: string; position: number }) => [e.position, e.id])).toEqual([
      [1, "ce-cc"],
      [2, "ce-cc-v2"],
      [3, "ce-acc"],
      [4, "ce-ship"],
      [5, "ce-click"],
    ]);
  });

  it("one CloudEvent as application/cloudevents+json (with a charset) is a batch of one", async () => {
    const one = cloudEventOf(click({ id: "ce-one", trackingId: "T1" }), PREFIX);
    const answer = await postRaw(cloudFirst.baseUrl, "/v1/events", JSON.stringify(one), `${CE_ONE}; charset=utf-8`);
    expect(answer.body).toEqual({ appended: 1, duplicates: 0, lastPosition: 6 });
    expect((await get(cloudFirst.baseUrl, "/v1/events/ce-one")).body).toMatchObject({
      type: "ClickRecorded",
      occurredAt: one.time,
      data: { trackingId: "T1" },
    });
  });

  it("time missing, specversion wrong, type unknown or unprefixed: 400 naming each CloudEvent field at its index; nothing appended", async () => {
    const before = await head(cloudFirst.baseUrl);
    const { time: _time, ...noTime } = cloudEventOf(click({ id: "ce-bad-1" }), PREFIX);
    const batch = [
      noTime,
      { ...cloudEventOf(click({ id: "ce-bad-2" }), PREFIX), specversion: "0.3" },
      { ...cloudEventOf(click({ id: "ce-bad-3" }), PREFIX), type: `${PREFIX}OrderShipped` },
      { ...cloudEventOf(click({ id: "ce-bad-4" }), PREFIX), type: "ClickRecorded" },
      cloudEventOf(click({ id: "ce-fine" }), PREFIX),
    ];
    const answer = await postRaw(cloudFirst.baseUrl, "/v1/events", JSON.stringify(batch), CE_BATCH);
    expectErrorShape(answer, 400, "invalid_request");
    expect(answer.body.error.details.map((p: { index: number; id: string; path: string }) => [p.index, p.id, p.path])).toEqual([
      [0, "ce-bad-1", "time"],
      [1, "ce-bad-2", "specversion"],
      [2, "ce-bad-3", "type"],
      [3, "ce-bad-4", "type"],
    ]);
    expect(answer.body.error.details[3].message).toBe(`must start with the configured prefix ${PREFIX}`);
    expect(await head(cloudFirst.baseUrl)).toBe(before);
  });

  it("one CloudEvent sent as an array, or a batch sent as one object, is a 400 saying which media type fits", async () => {
    const ce = cloudEventOf(click({ id: "ce-shape" }), PREFIX);
    const asArray = await postRaw(cloudFirst.baseUrl, "/v1/events", JSON.stringify([ce]), CE_ONE);
    expectErrorShape(asArray, 400, "invalid_request");
    expect(asArray.body.error.message).toBe(`${CE_ONE} is one CloudEvent (a JSON object); send a batch as ${CE_BATCH}`);
    const asObject = await postRaw(cloudFirst.baseUrl, "/v1/events", JSON.stringify(ce), CE_BATCH);
    expect(asObject.body.error.message).toBe(`${CE_BATCH} is a JSON array of CloudEvents`);
  });
});

describe("SPEC §12's types as CloudEvents on POST /v1/events", () => {
  let server: E2eServer;
  /** K1 earns 7.50, is paid it, and the return after the payout leaves K1 owing 7.50 (positions 1..5). */
  const BEFORE: RawEvent[] = [
    campaignCreated({ id: "ce12-cc", campaignId: "C1" }),
    accepted({ id: "ce12-acc", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
    shipped({ id: "ce12-ship", shipmentId: "S1", trackingId: "T1", lines: [line("A1", "toys", 1, "250.00")] }),
    payoutIssued({ id: "ce12-pay", payoutId: "P1", creatorId: "K1", amount: "7.50", occurredAt: "2026-06-01T07:00:00Z" }),
    returned({ id: "ce12-ret", shipmentId: "S1", occurredAt: "2026-06-10T18:00:00Z" }),
  ];
  /** Positions 6..10. */
  const PAYOUT_CONTROLS: RawEvent[] = [
    payoutsHeld({ id: "ce12-hold", creatorId: "K1", marketplace: "US" }),
    payoutsReleased({ id: "ce12-release", creatorId: "K1", marketplace: "US" }),
    payoutThresholdSet({ id: "ce12-threshold", creatorId: "K1", amount: "50.00" }),
    payoutThresholdSet({ id: "ce12-threshold-off", creatorId: "K1", amount: null }),
    balanceWrittenOff({ id: "ce12-writeoff", creatorId: "K1", amount: "5.00" }),
  ];

  beforeAll(async () => {
    server = await startE2eServer({ env: { LEDGER_CLOUDEVENTS_TYPE_PREFIX: PREFIX } });
    expect((await postEvents(server.baseUrl, BEFORE)).body).toEqual({ appended: 5, duplicates: 0, lastPosition: 5 });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("PayoutsHeld, PayoutsReleased, PayoutThresholdSet and BalanceWrittenOff with the prefix are stored as their plain forms; a plain resend is a duplicate", async () => {
    const batch = JSON.stringify(PAYOUT_CONTROLS.map((e) => cloudEventOf(e, PREFIX)));
    expect((await postRaw(server.baseUrl, "/v1/events", batch, CE_BATCH)).body).toEqual({ appended: 5, duplicates: 0, lastPosition: 10 });
    expect((await postEvents(server.baseUrl, PAYOUT_CONTROLS)).body).toEqual({ appended: 0, duplicates: 5, lastPosition: 10 });
    for (const [i, e] of PAYOUT_CONTROLS.entries()) {
      expect((await get(server.baseUrl, `/v1/events/${e.id}`)).body).toMatchObject({
        position: 6 + i,
        id: e.id,
        type: e.type,
        schemaVersion: 1,
        occurredAt: e.occurredAt,
        data: e.data,
      });
    }
  });

  it("the write-off is booked: a writeoff entry from program:US:writeoffs in K1's ledger, the debt down to 2.50", async () => {
    const ledger = await get(server.baseUrl, "/v1/creators/K1/ledger?after=9&minPosition=10");
    expect(ledger.status, ledger.text).toBe(200);
    expect(ledger.body.entries).toMatchObject([
      {
        entryId: "10:0",
        kind: "writeoff",
        source: "program:US:writeoffs",
        destination: "creator:K1:US:earned",
        amount: "5.00",
        sourceEventId: "ce12-writeoff",
      },
    ]);
    expect((await get(server.baseUrl, "/v1/accounts/creator:K1:US:earned")).body.balance).toBe("-2.50");
  });

  it("the ledger's own types stay refused with the prefix: 400 naming index, id, type; nothing appended", async () => {
    const own = [webhookRegistered({ webhookId: "wh_ce" }), webhookDeleted({ id: "ce12-wh-del", webhookId: "wh_ce" })];
    const answer = await postRaw(server.baseUrl, "/v1/events", JSON.stringify(own.map((e) => cloudEventOf(e, PREFIX))), CE_BATCH);
    expectErrorShape(answer, 400, "invalid_request");
    expect(answer.body.error.details).toEqual([
      {
        index: 0,
        id: "webhook-registered:wh_ce",
        path: "type",
        message: "WebhookRegistered is appended by the ledger itself (POST /v1/webhooks, scope webhooks), never ingested",
      },
      {
        index: 1,
        id: "ce12-wh-del",
        path: "type",
        message: "WebhookDeleted is appended by the ledger itself (POST /v1/webhooks, scope webhooks), never ingested",
      },
    ]);
    expect(await head(server.baseUrl)).toBe(10);
  });
});
