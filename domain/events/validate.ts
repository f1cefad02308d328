// Validation of a batch (SPEC §2, §5): every problem is reported with index, id, path and message.
import type { z } from "zod";
import { instantMs } from "../calendar.ts";
import type { LedgerEvent } from "./envelope.ts";
import { fastAccept } from "./fastAccept.ts";
import { BATCH_EVENTS_MAX, PROBLEMS_MAX } from "./limits.ts";
import { dataSchemas, envelopeSchema, INTERNAL_EVENT_TYPES, type EventType } from "./schemas.ts";

export interface Problem {
  index: number;
  id: string | null;
  path: string;
  message: string;
}

export type BatchValidation = { ok: true; events: LedgerEvent[] } | { ok: false; problems: Problem[] };

export interface ValidateOptions {
  /** Accept the types only the ledger appends (INTERNAL_EVENT_TYPES); ingestion never does. */
  internal?: boolean;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function issuesToProblems(index: number, id: string | null, prefix: readonly PropertyKey[], issues: z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => {
    let message = issue.message;
    if (issue.code === "unrecognized_keys") message = `unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`;
    return { index, id, path: formatPath([...prefix, ...issue.path]), message };
  });
}

function unknownVersion(index: number, id: string | null, type: EventType, version: number): Problem {
  const known = Object.keys(dataSchemas[type]).join(", ");
  return { index, id, path: "schemaVersion", message: `${type} has no schema version ${version}; known: ${known}` };
}

/** Validates one raw event; returns the event or its problems. */
export function validateEvent(
  raw: unknown,
  index: number,
  options: ValidateOptions = {},
): { event: LedgerEvent } | { problems: Problem[] } {
  const fast = fastAccept(raw);
  return fast !== null ? { event: fast } : validateBySchemas(raw, index, options);
}

/** validateEvent through the zod schemas alone (what the fast path is checked against). */
export function validateBySchemas(
  raw: unknown,
  index: number,
  options: ValidateOptions = {},
): { event: LedgerEvent } | { problems: Problem[] } {
  const rawId =
    typeof raw === "object" && raw !== null && typeof (raw as { id?: unknown }).id === "string"
      ? (raw as { id: string }).id.slice(0, 200)
      : null;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { problems: [{ index, id: null, path: "", message: "must be a JSON object (an event envelope)" }] };
  }
  const rawType = (raw as { type?: unknown }).type;
  if (!options.internal && typeof rawType === "string" && INTERNAL_EVENT_TYPES.has(rawType as EventType)) {
    return {
      problems: [
        {
          index,
          id: rawId,
          path: "type",
          message: `${rawType} is appended by the ledger itself (POST /v1/webhooks, scope webhooks), never ingested`,
        },
      ],
    };
  }
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) {
    const problems = issuesToProblems(index, rawId, [], envelope.error.issues);
    // Still check the payload when the type is known, so one pass reports everything.
    const type = (raw as { type?: unknown }).type;
    const version = (raw as { schemaVersion?: unknown }).schemaVersion ?? 1;
    const hasDataProblem = problems.some((p) => p.path === "data");
    if (!hasDataProblem && typeof type === "string" && type in dataSchemas && typeof version === "number") {
      const schema = (dataSchemas[type as EventType] as Record<number, z.ZodType>)[version];
      if (schema) {
        const data = schema.safeParse((raw as { data?: unknown }).data);
        if (!data.success) problems.push(...issuesToProblems(index, rawId, ["data"], data.error.issues));
      } else if (Number.isInteger(version) && version >= 1) {
        problems.push(unknownVersion(index, rawId, type as EventType, version));
      }
    }
    return { problems };
  }
  const { id, type, occurredAt } = envelope.data;
  const schemaVersion = envelope.data.schemaVersion ?? 1;
  const schema = (dataSchemas[type] as Record<number, z.ZodType>)[schemaVersion];
  if (!schema) return { problems: [unknownVersion(index, id, type, schemaVersion)] };
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) return { problems: issuesToProblems(index, id, ["data"], data.error.issues) };
  return { event: { id, type, schemaVersion, occurredAt, occurredAtMs: instantMs(occurredAt), data: data.data } };
}

/** Validates a whole batch: all events or every problem (capped at PROBLEMS_MAX). */
export function validateBatch(raws: readonly unknown[], options: ValidateOptions = {}): BatchValidation {
  return collectBatch(raws, (raw, index) => validateEvent(raw, index, options));
}

/** A batch through `validateOne`: every event, or every problem (capped at PROBLEMS_MAX); at most BATCH_EVENTS_MAX events. */
export function collectBatch(
  raws: readonly unknown[],
  validateOne: (raw: unknown, index: number) => { event: LedgerEvent } | { problems: Problem[] },
): BatchValidation {
  if (raws.length > BATCH_EVENTS_MAX) {
    return {
      ok: false,
      problems: [
        { index: BATCH_EVENTS_MAX, id: null, path: "", message: `a batch holds at most ${BATCH_EVENTS_MAX} events; got ${raws.length}` },
      ],
    };
  }
  const events: LedgerEvent[] = [];
  const problems: Problem[] = [];
  raws.forEach((raw, index) => {
    const result = validateOne(raw, index);
    if ("event" in result) events.push(result.event);
    else if (problems.length < PROBLEMS_MAX) problems.push(...result.problems.slice(0, PROBLEMS_MAX - problems.length));
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, events };
}
