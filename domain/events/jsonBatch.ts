// A batch of events sent as JSON text (SPEC §2, §5): bounded by the scan (jsonScan.ts) before
// JSON.parse, then read as events. It says what was wrong with the text as a value, not how a
// transport answers it: `POST /v1/events` reads it on the ingest thread (services/ingest/
// ingestRequest.ts) and the API turns each refusal into its HTTP answer (services/http/bodies.ts).
import { asError } from "../assert.ts";
import { JSON_DEPTH_MAX, scanJson } from "./jsonScan.ts";

/** Why JSON text was not read: each refusal carries what its answer names. */
export type JsonTextRefusal =
  | { kind: "empty" }
  /** A part nests deeper than JSON_DEPTH_MAX: where it starts, and the top-level element it is in (0 when not an array). */
  | { kind: "too_deep"; element: number; line: number; column: number }
  /** A top-level array of more elements than the batch may hold. */
  | { kind: "too_many_events"; eventsMax: number; events: number }
  /** JSON.parse refused it (`reason`: its message, at most 200 characters). */
  | { kind: "not_json"; reason: string }
  /** Not JSON, and it reads as NDJSON (looksLikeNdjson): the likely mistake is how it was labelled. */
  | { kind: "ndjson_as_json"; reason: string }
  /** JSON, but neither an array of events nor one event (an object). */
  | { kind: "not_a_batch" };

export type JsonTextRead<T> = { ok: true; value: T } | { ok: false; refusal: JsonTextRefusal };

const refused = (refusal: JsonTextRefusal): { ok: false; refusal: JsonTextRefusal } => ({ ok: false, refusal });

/** JSON text bounded by the scan (depth, at most `eventsMax` top-level array elements), then parsed. */
export function readJsonText(text: string, eventsMax: number): JsonTextRead<unknown> {
  if (text.trim() === "") return refused({ kind: "empty" });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte order mark is not JSON, but harmless
  const scan = scanJson(text, JSON_DEPTH_MAX);
  if (!scan.ok) return refused({ kind: "too_deep", element: scan.element, line: scan.line, column: scan.column });
  if (scan.arrayElements !== null && scan.arrayElements > eventsMax)
    return refused({ kind: "too_many_events", eventsMax, events: scan.arrayElements });
  try {
    // A `__proto__` key becomes an own property (JSON.parse defines, never assigns), which the
    // strict schemas then report as an unknown field at its path.
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return refused({ kind: "not_json", reason: asError(error).message.slice(0, 200) });
  }
}

/**
 * Whether a text that is not JSON reads as NDJSON: two or more non-blank lines, each starting with
 * `{`. Then the likely mistake is the label (a Content-Type), and JSON.parse's "position 108" does
 * not say so. Walks the text without splitting it (a refused text may hold millions of lines).
 */
export function looksLikeNdjson(text: string): boolean {
  let lines = 0;
  for (let start = 0; start < text.length;) {
    const end = text.indexOf("\n", start);
    const stop = end < 0 ? text.length : end;
    let first = start;
    while (first < stop && /\s/.test(text[first]!)) first += 1;
    if (first < stop) {
      if (text[first] !== "{") return false;
      lines += 1;
    }
    start = stop + 1;
  }
  return lines >= 2;
}

/** The events of a batch sent as JSON text: an array, or one event on its own (a batch of one). */
export function eventsOfJsonText(text: string, eventsMax: number): JsonTextRead<unknown[]> {
  const read = readJsonText(text, eventsMax);
  if (!read.ok) {
    return read.refusal.kind === "not_json" && looksLikeNdjson(text)
      ? refused({ kind: "ndjson_as_json", reason: read.refusal.reason })
      : read;
  }
  const body = read.value;
  if (Array.isArray(body)) return { ok: true, value: body };
  if (body !== null && typeof body === "object") return { ok: true, value: [body] };
  return refused({ kind: "not_a_batch" });
}
