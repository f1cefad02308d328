// From a stored event to what the engine reads: upcast to the newest schema version.
import type { CurrentEvent, StoredEvent } from "./envelope.ts";
import { upcast } from "./upcast.ts";

export function toCurrentEvent(
  stored: Pick<StoredEvent, "id" | "type" | "schemaVersion" | "position" | "occurredAt" | "occurredAtMs" | "data">,
): CurrentEvent {
  return {
    id: stored.id,
    type: stored.type,
    position: stored.position,
    occurredAt: stored.occurredAt,
    occurredAtMs: stored.occurredAtMs,
    data: upcast(stored.type, stored.schemaVersion, stored.data),
  } as CurrentEvent;
}
