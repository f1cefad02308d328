// The chain's step (SPEC §13) on envelopes written out by hand: SHA-256 over the previous hash, a
// newline and the RFC 8785 text of {position, id, type, schemaVersion, occurredAt, data}; the
// envelope text chainHash writes is canonicalJson's of the same object, whatever the key order.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../domain/events/jcs.ts";
import { chainHash, GENESIS_HASH } from "../../infra/eventStore/hashChain.ts";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("chainHash", () => {
  it("hashes the previous hash, a newline and the canonical envelope, keys sorted at every level", () => {
    const event = {
      type: "ShipmentRecorded" as const,
      id: "shp-1",
      occurredAt: "2026-03-10T11:00:00-07:00",
      schemaVersion: 1,
      data: {
        trackingId: "T1",
        shipmentId: "S1",
        orderId: "O1",
        orderedAt: "2026-03-09T18:00:00Z",
        lines: [{ unitPrice: "9.99", quantity: 3, category: "toys", asin: "A1" }],
      },
    };
    const text =
      '{"data":{"lines":[{"asin":"A1","category":"toys","quantity":3,"unitPrice":"9.99"}],"orderId":"O1","orderedAt":"2026-03-09T18:00:00Z",' +
      '"shipmentId":"S1","trackingId":"T1"},"id":"shp-1","occurredAt":"2026-03-10T11:00:00-07:00","position":7,"schemaVersion":1,"type":"ShipmentRecorded"}';
    expect(canonicalJson({ position: 7, ...event })).toBe(text);
    expect(chainHash(GENESIS_HASH, 7, event)).toBe(sha256(`${"0".repeat(64)}\n${text}`));
    const next = chainHash("ab".repeat(32), 7, event);
    expect(next).toBe(sha256(`${"ab".repeat(32)}\n${text}`));
    expect(next).toMatch(/^[0-9a-f]{64}$/);
  });

  it("writes strings that need escaping as JSON does (quotes, backslashes, control characters, non-ASCII)", () => {
    const event = {
      id: "e-1",
      type: "CommissionAdjusted" as const,
      schemaVersion: 1,
      occurredAt: "2026-03-01T00:00:00Z",
      data: { note: 'a "b" \\ c\n€' },
    };
    const text =
      '{"data":{"note":"a \\"b\\" \\\\ c\\n€"},"id":"e-1","occurredAt":"2026-03-01T00:00:00Z","position":1,"schemaVersion":1,"type":"CommissionAdjusted"}';
    expect(canonicalJson({ position: 1, ...event })).toBe(text);
    expect(chainHash(GENESIS_HASH, 1, event)).toBe(sha256(`${GENESIS_HASH}\n${text}`));
  });
});
