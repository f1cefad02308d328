// CloudEvents 1.0 in structured mode (SPEC §11): one CloudEvent (JSON) carries one ledger event.
// Its attributes map onto the envelope of SPEC §2 — `id` → id, `type` (less a configured prefix)
// → type, `time` → occurredAt, `data` → data, the extension `schemaversion` → schemaVersion — and
// then the ordinary validation (validate.ts) runs on the mapped envelope, so every rule of §2
// holds unchanged and the same event sent plain or as a CloudEvent is stored identically (same id,
// same content: a duplicate across the two forms). Every problem names the CloudEvent's own field.
// HTTP (application/cloudevents+json, application/cloudevents-batch+json) and the Kafka decoder
// both map through here.
import type { LedgerEvent } from "./envelope.ts";
import { URL_MAX_CHARS } from "./limits.ts";
import { EVENT_TYPES, INGESTIBLE_EVENT_TYPES, type EventType } from "./schemas.ts";
import { collectBatch, validateEvent, type BatchValidation, type Problem, type ValidateOptions } from "./validate.ts";

export const CLOUDEVENTS_MEDIA_TYPE = "application/cloudevents+json";
export const CLOUDEVENTS_BATCH_MEDIA_TYPE = "application/cloudevents-batch+json";
export const CLOUDEVENTS_SPEC_VERSION = "1.0";
/** Longest `source` (a URI-reference) and longest configured type prefix. */
export const CLOUDEVENT_SOURCE_MAX_CHARS = URL_MAX_CHARS;
export const CLOUDEVENT_TYPE_PREFIX_MAX_CHARS = 128;

/** CloudEvents attribute names: lower-case ASCII letters and digits (the CloudEvents spec advises ≤ 20). */
const ATTRIBUTE_NAME = /^[a-z0-9]{1,20}$/;
/** Envelope field → the CloudEvent attribute a problem names. */
const ATTRIBUTE_OF: Readonly<Record<string, string>> = {
  id: "id",
  type: "type",
  occurredAt: "time",
  schemaVersion: "schemaversion",
  data: "data",
};

export interface CloudEventOptions extends ValidateOptions {
  /** Stripped from `type` (e.g. `com.example.ledger.`); "" when types are the ledger's own names. */
  typePrefix: string;
}

/** A JSON object with a `specversion` attribute: what a Kafka message in structured mode carries. */
export function looksLikeCloudEvent(raw: unknown): boolean {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw) && Object.hasOwn(raw, "specversion");
}

/** Validates a batch of CloudEvents: all mapped events, or every problem (index, id, CloudEvent field, message). */
export function validateCloudEvents(raws: readonly unknown[], options: CloudEventOptions): BatchValidation {
  return collectBatch(raws, (raw, index) => validateCloudEvent(raw, index, options));
}

export function validateCloudEvent(
  raw: unknown,
  index: number,
  options: CloudEventOptions,
): { event: LedgerEvent } | { problems: Problem[] } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { problems: [{ index, id: null, path: "", message: "must be a JSON object (a CloudEvent)" }] };
  }
  const mapped = toEnvelope(raw as Record<string, unknown>, options.typePrefix);
  const id = typeof mapped.envelope.id === "string" ? mapped.envelope.id.slice(0, 200) : null;
  const problems: Problem[] = mapped.problems.map((p) => ({ index, id, ...p }));
  const validated = validateEvent(mapped.envelope, index, options);
  if ("event" in validated) return problems.length === 0 ? validated : { problems };
  // The envelope's problems, named by the CloudEvent's fields; one the mapping named already is not repeated.
  const named = new Set(problems.map((p) => p.path));
  for (const p of validated.problems) {
    const path = attributePath(p.path);
    if (!named.has(path)) problems.push({ ...p, path });
  }
  return { problems };
}

/** `occurredAt` → `time`, `schemaVersion` → `schemaversion`; a payload path stays as it is. */
function attributePath(envelopePath: string): string {
  const head = /^[^.[]*/.exec(envelopePath)![0];
  const attribute = ATTRIBUTE_OF[head];
  return attribute === undefined ? envelopePath : attribute + envelopePath.slice(head.length);
}

/** The envelope a CloudEvent maps to, with what the CloudEvent itself gets wrong. */
function toEnvelope(
  ce: Record<string, unknown>,
  typePrefix: string,
): { envelope: Record<string, unknown>; problems: { path: string; message: string }[] } {
  const envelope: Record<string, unknown> = {};
  const problems: { path: string; message: string }[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  for (const [name, value] of Object.entries(ce)) {
    switch (name) {
      case "specversion":
        if (value !== CLOUDEVENTS_SPEC_VERSION) problem(name, `must be "${CLOUDEVENTS_SPEC_VERSION}" (CloudEvents 1.0)`);
        break;
      case "source":
        if (typeof value !== "string" || value === "") problem(name, "must be a non-empty URI-reference");
        else if (value.length > CLOUDEVENT_SOURCE_MAX_CHARS) problem(name, `must be at most ${CLOUDEVENT_SOURCE_MAX_CHARS} characters`);
        else if (/[\s\p{Cc}]/u.test(value)) problem(name, "must be a URI-reference (no spaces or control characters)");
        break;
      case "id":
      case "data":
        envelope[name] = value;
        break;
      case "time":
        envelope.occurredAt = value;
        break;
      case "type": {
        const type = ledgerType(value, typePrefix);
        if ("problem" in type) problem(name, type.problem);
        else envelope.type = type.type;
        break;
      }
      case "schemaversion":
        // An extension's value may arrive as a JSON number or as a string (CloudEvents JSON format).
        envelope.schemaVersion = typeof value === "string" && /^[0-9]{1,9}$/.test(value) ? Number(value) : value;
        break;
      case "datacontenttype":
        if (typeof value !== "string" || value.split(";")[0]!.trim().toLowerCase() !== "application/json")
          problem(name, "must be application/json (data is read as JSON)");
        break;
      case "data_base64":
        problem(name, "binary data is not supported: send the payload as JSON in data");
        break;
      default:
        // Other attributes (subject, dataschema) and extensions (traceparent, …) are CloudEvents' own: accepted, not kept.
        if (!ATTRIBUTE_NAME.test(name)) problem(name, "is not a CloudEvents attribute name (lower-case letters and digits, at most 20)");
    }
  }
  for (const required of ["specversion", "source", "type", "time"] as const) {
    if (!Object.hasOwn(ce, required)) problem(required, required === "time" ? "is required (it is the event's occurredAt)" : "is required");
  }
  return { envelope, problems };
}

function ledgerType(value: unknown, typePrefix: string): { type: EventType } | { problem: string } {
  if (typeof value !== "string") return { problem: "must be a string" };
  if (!value.startsWith(typePrefix)) return { problem: `must start with the configured prefix ${typePrefix}` };
  const type = value.slice(typePrefix.length);
  if (!(EVENT_TYPES as readonly string[]).includes(type)) {
    const example = typePrefix === "" ? "" : ` after the prefix ${typePrefix}`;
    return { problem: `unknown type ${value.slice(0, 200)}: it must be one of ${INGESTIBLE_EVENT_TYPES.join(", ")}${example}` };
  }
  return { type: type as EventType };
}
