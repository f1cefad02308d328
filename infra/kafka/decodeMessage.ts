// One Kafka message → one validated event, or the reason it goes to the dead-letter topic.
// A message holds ONE envelope (SPEC §2) as UTF-8 JSON — or one CloudEvent in structured mode
// (SPEC §11: its content-type header says application/cloudevents+json, or it has a `specversion`),
// mapped as HTTP maps it (domain/events/cloudEvents.ts); batching is Kafka's job, not the payload's.
import { asError } from "../../domain/assert.ts";
import { CLOUDEVENTS_MEDIA_TYPE, looksLikeCloudEvent, validateCloudEvents } from "../../domain/events/cloudEvents.ts";
import type { LedgerEvent } from "../../domain/events/envelope.ts";
import { parseBoundedJson } from "../../domain/events/jsonScan.ts";
import { validateBatch, type Problem } from "../../domain/events/validate.ts";

/** Largest message value the ingestor parses (Kafka's own default message.max.bytes is ~1 MB). */
export const MESSAGE_VALUE_MAX_BYTES = 1_048_576;

export type DeadLetterCode = "empty_message" | "too_large" | "invalid_json" | "invalid_event" | "conflict";

export interface DeadLetterReason {
  code: DeadLetterCode;
  message: string;
  /** Validation problems (SPEC §5 shape: index, id, path, message) for `invalid_event`. */
  problems?: Problem[];
  /** The refused event id, when the message had one. */
  eventId?: string | null;
}

export type Decoded = { ok: true; event: LedgerEvent } | { ok: false; reason: DeadLetterReason };

export interface DecodeOptions {
  /** The message's content-type header, if any. */
  contentType?: string | null;
  /** Stripped from a CloudEvent's type (LEDGER_CLOUDEVENTS_TYPE_PREFIX). */
  cloudEventsTypePrefix?: string;
}

export function decodeMessage(value: Buffer | null, options: DecodeOptions = {}): Decoded {
  if (value === null || value.length === 0)
    return { ok: false, reason: { code: "empty_message", message: "message has no value (tombstone or empty)" } };
  if (value.length > MESSAGE_VALUE_MAX_BYTES) {
    return {
      ok: false,
      reason: { code: "too_large", message: `message value is ${value.length} bytes; at most ${MESSAGE_VALUE_MAX_BYTES}` },
    };
  }
  let raw: unknown;
  try {
    raw = parseBoundedJson(value.toString("utf8"));
  } catch (error) {
    return { ok: false, reason: { code: "invalid_json", message: `not valid JSON: ${asError(error).message}` } };
  }
  // A batch of one: the same validation (and problem format) as HTTP and file ingest.
  const cloudEvent = (options.contentType ?? "").toLowerCase().startsWith(CLOUDEVENTS_MEDIA_TYPE) || looksLikeCloudEvent(raw);
  const validation = cloudEvent ? validateCloudEvents([raw], { typePrefix: options.cloudEventsTypePrefix ?? "" }) : validateBatch([raw]);
  if (!validation.ok) {
    const first = validation.problems[0];
    return {
      ok: false,
      reason: {
        code: "invalid_event",
        message: validation.problems.map((p) => `${p.path || "(envelope)"}: ${p.message}`).join("; "),
        problems: validation.problems,
        eventId: first?.id ?? null,
      },
    };
  }
  const event = validation.events[0];
  if (!event) throw new Error("validateBatch returned ok without the event");
  return { ok: true, event };
}
