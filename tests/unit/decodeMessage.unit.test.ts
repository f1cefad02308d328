// The Kafka ingestor's decoder (infra/kafka/decodeMessage.ts) takes every event type, Part II's and
// §12's too, with the same validation as HTTP and file ingest; a bad one names its field. A CloudEvent in
// structured mode (SPEC §11: by its content-type header or its specversion) maps as over HTTP.
import { describe, expect, it } from "vitest";
import { decodeMessage } from "../../infra/kafka/decodeMessage.ts";
import { cloudEventOf, webhookRegistered } from "../support/domainFixtures.ts";
import { PART_TWO_EVENTS, PAYOUT_CONTROL_EVENTS } from "../support/newEventTypes.ts";

describe("decodeMessage", () => {
  it.each(PART_TWO_EVENTS.map((e) => [e.type, e] as const))("decodes %s", (type, event) => {
    const decoded = decodeMessage(Buffer.from(JSON.stringify(event)));
    expect(decoded).toMatchObject({
      ok: true,
      event: { id: event.id, type, schemaVersion: 1, occurredAt: event.occurredAt, data: event.data },
    });
  });

  it.each(PAYOUT_CONTROL_EVENTS.map((e) => [e.id, e] as const))(
    "decodes §12's %s, plain and as a CloudEvent with the prefix",
    (_id, event) => {
      const decoded = decodeMessage(Buffer.from(JSON.stringify(event)));
      expect(decoded).toMatchObject({
        ok: true,
        event: { id: event.id, type: event.type, schemaVersion: 1, occurredAt: event.occurredAt, data: event.data },
      });
      const cloudEvent = cloudEventOf({ ...event }, "com.example.ledger.");
      expect(decodeMessage(Buffer.from(JSON.stringify(cloudEvent)), { cloudEventsTypePrefix: "com.example.ledger." })).toEqual(decoded);
    },
  );

  it("a §12 event that breaks its schema goes to the dead-letter topic naming each field", () => {
    const writeOff = PAYOUT_CONTROL_EVENTS[5];
    const bad = { ...writeOff, data: { ...writeOff.data, amount: "0.00", reasonCode: "fraud_review" } };
    const decoded = decodeMessage(Buffer.from(JSON.stringify(bad)));
    expect(decoded).toMatchObject({ ok: false, reason: { code: "invalid_event", eventId: "p3-writeoff" } });
    if (decoded.ok) return;
    expect(decoded.reason.problems?.map((p) => [p.path, p.message])).toEqual([
      ["data.amount", "must be more than zero"],
      ["data.reasonCode", "must be one of uncollectible, goodwill, other"],
    ]);
  });

  it("the ledger's own types go to the dead-letter topic, plain or as a CloudEvent", () => {
    const own = webhookRegistered();
    const message = "WebhookRegistered is appended by the ledger itself (POST /v1/webhooks, scope webhooks), never ingested";
    expect(decodeMessage(Buffer.from(JSON.stringify(own)))).toMatchObject({
      ok: false,
      reason: { code: "invalid_event", message: `type: ${message}` },
    });
    expect(decodeMessage(Buffer.from(JSON.stringify(cloudEventOf(own))))).toMatchObject({
      ok: false,
      reason: { code: "invalid_event", message: `type: ${message}` },
    });
  });

  it("a CommissionAdjusted of zero, or with an unknown reason, goes to the dead-letter topic naming the fields", () => {
    const bad = { ...PART_TWO_EVENTS[5], data: { ...PART_TWO_EVENTS[5].data, amount: "0.00", reasonCode: "whim" } };
    const decoded = decodeMessage(Buffer.from(JSON.stringify(bad)));
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.reason.code).toBe("invalid_event");
    expect(decoded.reason.problems?.map((p) => [p.path, p.message])).toEqual([
      ["data.amount", "must not be zero"],
      ["data.reasonCode", "must be one of fraud, chargeback, goodwill, correction, rule_change, other"],
    ]);
  });

  const event = PART_TWO_EVENTS[1];
  const cloudEvent = {
    specversion: "1.0",
    id: event.id,
    source: "/campaign-management",
    type: `com.example.ledger.${event.type}`,
    time: event.occurredAt,
    data: event.data,
  };

  it("a CloudEvent, recognised by its content-type header or by its specversion, decodes to the same event as its plain envelope", () => {
    const plain = decodeMessage(Buffer.from(JSON.stringify(event)));
    for (const contentType of ["application/cloudevents+json; charset=UTF-8", null]) {
      expect(decodeMessage(Buffer.from(JSON.stringify(cloudEvent)), { contentType, cloudEventsTypePrefix: "com.example.ledger." })).toEqual(
        plain,
      );
    }
  });

  it("a CloudEvent without time goes to the dead-letter topic naming `time`; a prefix other than the configured one names `type`", () => {
    const { time: _time, ...noTime } = cloudEvent;
    const decoded = decodeMessage(Buffer.from(JSON.stringify(noTime)), { cloudEventsTypePrefix: "com.example.ledger." });
    expect(decoded).toMatchObject({
      ok: false,
      reason: { code: "invalid_event", message: "time: is required (it is the event's occurredAt)", eventId: event.id },
    });
    const wrongPrefix = decodeMessage(Buffer.from(JSON.stringify(cloudEvent)), { cloudEventsTypePrefix: "org.other." });
    expect(wrongPrefix).toMatchObject({
      ok: false,
      reason: { code: "invalid_event", message: "type: must start with the configured prefix org.other." },
    });
  });
});
