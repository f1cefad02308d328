// Valid events for store tests, built as raw JSON and passed through the real validation.
import type { LedgerEvent } from "../../domain/events/envelope.ts";
import { validateBatch } from "../../domain/events/validate.ts";

export function validated(raws: readonly unknown[]): LedgerEvent[] {
  const result = validateBatch(raws);
  if (!result.ok) throw new Error(`test fixture is invalid: ${JSON.stringify(result.problems)}`);
  return result.events;
}

/** A raw ClickRecorded: its stream is `tracking-<trackingId>`. */
export function rawClick(id: string, trackingId = "t-1", occurredAt = "2026-03-01T10:00:00Z", asin?: string): unknown {
  return { id, type: "ClickRecorded", occurredAt, data: asin === undefined ? { trackingId } : { trackingId, asin } };
}

export function clicks(ids: readonly string[], trackingId = "t-1"): LedgerEvent[] {
  return validated(ids.map((id) => rawClick(id, trackingId)));
}

/** ids prefix-from .. prefix-(from+count-1) */
export function idRange(prefix: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${from + i}`);
}

/** A raw ShipmentRecorded with one line; used to check that content is compared after normalization. */
export function rawShipment(id: string, unitPrice: string, occurredAt: string): unknown {
  return {
    id,
    type: "ShipmentRecorded",
    occurredAt,
    data: {
      shipmentId: "s-1",
      orderId: "o-1",
      trackingId: "t-1",
      orderedAt: "2026-03-01T09:00:00Z",
      lines: [{ asin: "A1", category: "toys", quantity: 2, unitPrice }],
    },
  };
}
