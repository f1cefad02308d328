// CloudEvents 1.0 structured mode (SPEC §11, domain/events/cloudEvents.ts): the mapping onto the
// envelope of §2, then §2's validation unchanged; every problem names the CloudEvent's own field.
import { describe, expect, it } from "vitest";
import { canonicalContent } from "../../domain/events/canonical.ts";
import { looksLikeCloudEvent, validateCloudEvents } from "../../domain/events/cloudEvents.ts";
import { INGESTIBLE_EVENT_TYPES } from "../../domain/events/schemas.ts";
import { validateBatch, type Problem } from "../../domain/events/validate.ts";
import {
  campaignCreated,
  cloudEventOf as asCloudEvent,
  line,
  shipped,
  webhookDeleted,
  webhookRegistered,
} from "../support/domainFixtures.ts";
import { PAYOUT_CONTROL_EVENTS } from "../support/newEventTypes.ts";

function problemsOf(raws: unknown[], typePrefix = ""): Problem[] {
  const result = validateCloudEvents(raws, { typePrefix });
  if (result.ok) throw new Error("expected the batch to be refused");
  return result.problems;
}

const SHIPMENT = shipped({ id: "ce-ship-1", shipmentId: "S1", lines: [line("A1", "toys", 2, "9.99")] });
const CAMPAIGN_V2 = campaignCreated({ id: "ce-cc-2", schemaVersion: 2, currency: "USD" });

describe("a valid CloudEvent maps onto the same event as its plain envelope", () => {
  it.each([
    ["a shipment", SHIPMENT, ""],
    ["schemaversion 2 (an extension attribute)", CAMPAIGN_V2, ""],
    ["a type with the configured prefix", SHIPMENT, "com.example.ledger."],
  ])("%s", (_label, raw, prefix) => {
    const plain = validateBatch([raw]);
    const cloud = validateCloudEvents([asCloudEvent(raw, prefix)], { typePrefix: prefix });
    expect(cloud).toEqual(plain);
    if (!cloud.ok || !plain.ok) return;
    expect(canonicalContent(cloud.events[0]!)).toBe(canonicalContent(plain.events[0]!));
  });

  it.each(PAYOUT_CONTROL_EVENTS.map((e) => [e.id, e] as const))("§12's %s, with the configured prefix", (_id, raw) => {
    const prefix = "com.example.ledger.";
    const plain = validateBatch([raw]);
    expect(plain.ok).toBe(true);
    expect(validateCloudEvents([asCloudEvent(raw, prefix)], { typePrefix: prefix })).toEqual(plain);
  });

  it("accepts schemaversion as a string, a datacontenttype with parameters, subject, dataschema and extensions (not kept)", () => {
    const ce = {
      ...asCloudEvent(CAMPAIGN_V2),
      schemaversion: "2",
      datacontenttype: "application/json; charset=utf-8",
      subject: "C1",
      dataschema: "https://example.com/s",
      traceparent: "00-abc-def-01",
    };
    expect(validateCloudEvents([ce], { typePrefix: "" })).toEqual(validateBatch([CAMPAIGN_V2]));
  });

  it("recognises a CloudEvent by its specversion", () => {
    expect(looksLikeCloudEvent(asCloudEvent(SHIPMENT))).toBe(true);
    expect(looksLikeCloudEvent(SHIPMENT)).toBe(false);
    expect(looksLikeCloudEvent([asCloudEvent(SHIPMENT)])).toBe(false);
  });
});

describe("problems name the CloudEvent's field, at its index", () => {
  it("time missing, specversion wrong, type unknown: 400 naming each field", () => {
    const { time: _time, ...noTime } = asCloudEvent(SHIPMENT);
    expect(
      problemsOf([noTime, { ...asCloudEvent(SHIPMENT), specversion: "0.3" }, { ...asCloudEvent(SHIPMENT), type: "OrderShipped" }]),
    ).toEqual([
      { index: 0, id: "ce-ship-1", path: "time", message: "is required (it is the event's occurredAt)" },
      { index: 1, id: "ce-ship-1", path: "specversion", message: 'must be "1.0" (CloudEvents 1.0)' },
      {
        index: 2,
        id: "ce-ship-1",
        path: "type",
        // Every type an upstream system sends (the list grows with the SPEC), never the ledger's own.
        message: `unknown type OrderShipped: it must be one of ${INGESTIBLE_EVENT_TYPES.join(", ")}`,
      },
    ]);
    expect(INGESTIBLE_EVENT_TYPES).toEqual(
      expect.arrayContaining(["ShipmentRecorded", "PayoutsHeld", "PayoutsReleased", "PayoutThresholdSet", "BalanceWrittenOff"]),
    );
    expect(INGESTIBLE_EVENT_TYPES).not.toContain("WebhookRegistered");
    expect(INGESTIBLE_EVENT_TYPES).not.toContain("WebhookDeleted");
  });

  it("a time without offset, a bad schemaversion and a bad payload field: named as time, schemaversion, data.…", () => {
    const ce = {
      ...asCloudEvent(SHIPMENT),
      time: "2026-03-10T18:00:00",
      data: { ...SHIPMENT.data, lines: [{ ...line("A1", "toys", 0, "9.99") }] },
    };
    expect(problemsOf([ce]).map((p) => [p.path, p.message])).toEqual([
      ["time", "must be an ISO-8601 instant with an offset or Z, e.g. 2026-01-31T23:30:00-08:00, in the years 1970-2999"],
      ["data.lines[0].quantity", "must be an integer ≥ 1"],
    ]);
    expect(problemsOf([{ ...asCloudEvent(SHIPMENT), schemaversion: 7 }]).map((p) => [p.path, p.message])).toEqual([
      ["schemaversion", "ShipmentRecorded has no schema version 7; known: 1"],
    ]);
  });

  it("source and the prefix are checked; binary data, another datacontenttype and non-CloudEvents attribute names are refused", () => {
    const { source: _source, ...noSource } = asCloudEvent(SHIPMENT);
    expect(problemsOf([noSource]).map((p) => [p.path, p.message])).toEqual([["source", "is required"]]);
    expect(problemsOf([{ ...asCloudEvent(SHIPMENT), source: "" }]).map((p) => p.path)).toEqual(["source"]);
    expect(problemsOf([{ ...asCloudEvent(SHIPMENT), source: "has a space" }]).map((p) => [p.path, p.message])).toEqual([
      ["source", "must be a URI-reference (no spaces or control characters)"],
    ]);
    expect(problemsOf([asCloudEvent(SHIPMENT)], "com.example.ledger.").map((p) => [p.path, p.message])).toEqual([
      ["type", "must start with the configured prefix com.example.ledger."],
    ]);
    expect(problemsOf([{ ...asCloudEvent(SHIPMENT), datacontenttype: "application/xml" }]).map((p) => [p.path, p.message])).toEqual([
      ["datacontenttype", "must be application/json (data is read as JSON)"],
    ]);
    const binary: Record<string, unknown> = { ...asCloudEvent(SHIPMENT), data_base64: "eyJ9" };
    delete binary.data;
    expect(problemsOf([binary]).map((p) => [p.path, p.message])).toEqual([
      ["data_base64", "binary data is not supported: send the payload as JSON in data"],
      ["data", "is required"],
    ]);
    expect(problemsOf([{ ...asCloudEvent(SHIPMENT), occurredAt: SHIPMENT.occurredAt }]).map((p) => [p.path, p.message])).toEqual([
      ["occurredAt", "is not a CloudEvents attribute name (lower-case letters and digits, at most 20)"],
    ]);
    expect(problemsOf(["not an object"]).map((p) => [p.path, p.message])).toEqual([["", "must be a JSON object (a CloudEvent)"]]);
  });

  it("the ledger's own types are refused as CloudEvents too, with or without the prefix", () => {
    expect(
      problemsOf([asCloudEvent(webhookRegistered()), asCloudEvent(webhookDeleted())]).map((p) => [p.index, p.path, p.message]),
    ).toEqual([
      [0, "type", "WebhookRegistered is appended by the ledger itself (POST /v1/webhooks, scope webhooks), never ingested"],
      [1, "type", "WebhookDeleted is appended by the ledger itself (POST /v1/webhooks, scope webhooks), never ingested"],
    ]);
    expect(problemsOf([asCloudEvent(webhookRegistered(), "com.example.ledger.")], "com.example.ledger.").map((p) => p.message)).toEqual([
      "WebhookRegistered is appended by the ledger itself (POST /v1/webhooks, scope webhooks), never ingested",
    ]);
  });

  it("a §12 CloudEvent that breaks its schema names each data field", () => {
    const threshold = PAYOUT_CONTROL_EVENTS[3];
    const ce = { ...asCloudEvent(threshold), data: { ...threshold.data, amount: "5000.5" } };
    const hold = {
      ...asCloudEvent(PAYOUT_CONTROL_EVENTS[0]),
      data: { ...PAYOUT_CONTROL_EVENTS[0].data, reasonCode: "whim", marketplace: "XX" },
    };
    expect(problemsOf([ce, hold])).toEqual([
      { index: 0, id: "p3-threshold", path: "data.amount", message: "has more fraction digits than JPY allows (0)" },
      { index: 1, id: "p3-hold", path: "data.marketplace", message: "must be one of US, CA, UK, DE, IN, JP" },
      { index: 1, id: "p3-hold", path: "data.reasonCode", message: "must be one of fraud_review, compliance, dispute, other" },
    ]);
  });
});
