// Idempotency compares normalized content (SPEC §2): type, schemaVersion, occurredAt instant and
// parsed data. Money and rates compare by value ("10.0" equals "10.00"), instants inside the data by
// instant ("…18:00:00Z" equals "…10:00:00-08:00"); object keys are sorted. Instants compare to the
// millisecond. Which keys are money or instants comes from the payload schemas (canonicalKeys).
import { parseInstant } from "../calendar.ts";
import { Dec } from "../money.ts";
import type { LedgerEvent } from "./envelope.ts";
import { canonicalKeys } from "./schemas.ts";

const { decimals: DECIMAL_KEYS, instants: INSTANT_KEYS } = canonicalKeys();

function canonicalValue(value: unknown, key: string | null): unknown {
  if (Array.isArray(value)) return value.map((v) => canonicalValue(v, null));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonicalValue(v, k);
    }
    return out;
  }
  if (typeof value === "string" && key !== null && DECIMAL_KEYS.has(key)) return new Dec(value).toFixed();
  if (typeof value === "string" && key !== null && INSTANT_KEYS.has(key)) return parseInstant(value) ?? value;
  return value;
}

/** Canonical JSON of an event's content; two events are duplicates iff these strings are equal. */
export function canonicalContent(event: Pick<LedgerEvent, "type" | "schemaVersion" | "occurredAtMs" | "data">): string {
  return JSON.stringify([event.type, event.schemaVersion, event.occurredAtMs, canonicalValue(event.data, null)]);
}
