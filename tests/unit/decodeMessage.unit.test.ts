// The Kafka ingestor's decoder (infra/kafka/decodeMessage.ts) takes every event type, Part II's
// too, with the same validation as HTTP and file ingest; a bad one names its field.
import { describe, expect, it } from "vitest";
import { decodeMessage } from "../../infra/kafka/decodeMessage.ts";
import { PART_TWO_EVENTS } from "../support/newEventTypes.ts";

describe("decodeMessage", () => {
  it.each(PART_TWO_EVENTS.map((e) => [e.type, e] as const))("decodes %s", (type, event) => {
    const decoded = decodeMessage(Buffer.from(JSON.stringify(event)));
    expect(decoded).toMatchObject({ ok: true, event: { id: event.id, type, schemaVersion: 1, occurredAt: event.occurredAt, data: event.data } });
  });

  it("a CommissionAdjusted of zero, or with an unknown reason, goes to the dead-letter topic naming the fields", () => {
    const bad = { ...PART_TWO_EVENTS[5], data: { ...PART_TWO_EVENTS[5].data, amount: "0.00", reasonCode: "whim" } };
    const decoded = decodeMessage(Buffer.from(JSON.stringify(bad)));
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.reason.code).toBe("invalid_event");
    expect(decoded.reason.problems?.map((p) => [p.path, p.message])).toEqual([
      ["data.amount", "must not be zero"],
      ["data.reasonCode", "must be one of fraud, chargeback, goodwill, correction, other"],
    ]);
  });
});
