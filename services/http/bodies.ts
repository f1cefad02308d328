// Request bodies (SPEC §2, §5): which ones the API reads, and reading them with bounded work.
// A body under the byte limit can still exhaust the heap when parsed whole: 5 M nested arrays, or
// millions of tiny NDJSON lines (hardening issue D2). So, before any JSON.parse, an O(n) scan
// bounds the nesting depth and counts the events, and NDJSON is read line by line from the
// request stream and refused as soon as it holds more events than a batch may.
import { asError } from "../../domain/assert.ts";
import type { Readable } from "node:stream";
import type { FastifyRequest } from "fastify";
import { NDJSON_LINE_MAX_CHARS, PROBLEMS_MAX } from "../../domain/events/limits.ts";
import type { Problem } from "../../domain/events/validate.ts";
import { badRequest, HttpError } from "./errors.ts";
import { readJsonText, type JsonTextRefusal } from "../../domain/events/jsonBatch.ts";
import { JSON_DEPTH_MAX, scanJson, tooDeepMessage } from "../../domain/events/jsonScan.ts";
import { CLOUDEVENTS_BATCH_MEDIA_TYPE, CLOUDEVENTS_MEDIA_TYPE } from "../../domain/events/cloudEvents.ts";

/** The body formats (SPEC §5, §11): a JSON array (or one object), NDJSON under either name, CloudEvents (one, or a batch). */
export const NDJSON_MEDIA_TYPES = ["application/x-ndjson", "application/ndjson"];
export const CLOUDEVENTS_MEDIA_TYPES = [CLOUDEVENTS_MEDIA_TYPE, CLOUDEVENTS_BATCH_MEDIA_TYPE];
export const BODY_MEDIA_TYPES = ["application/json", ...NDJSON_MEDIA_TYPES, ...CLOUDEVENTS_MEDIA_TYPES];

/** Methods whose bodies Fastify never parses. */
const BODYLESS_METHODS = new Set(["GET", "HEAD", "TRACE"]);

const unsupported = (message: string) => new HttpError(415, "unsupported_media_type", message);

export const tooLarge = (bodyLimitBytes: number) => new HttpError(413, "too_large", `request body is larger than ${bodyLimitBytes} bytes`);

export const tooManyEvents = (eventsMax: number, got: string) =>
  new HttpError(413, "too_large", `a batch holds at most ${eventsMax} events; got ${got}`);

/**
 * Refuses, from the headers alone, a body the API would not read: a media type outside the
 * allow list, a charset other than UTF-8, a compressed body (we never inflate: a small gzip body
 * can expand past every limit). Runs before the body is read.
 */
export function checkBodyHeaders(request: FastifyRequest): void {
  const headers = request.headers;
  const hasBody =
    headers["transfer-encoding"] !== undefined || (headers["content-length"] !== undefined && headers["content-length"] !== "0");
  if (BODYLESS_METHODS.has(request.method) || !hasBody) return;
  const encoding = headers["content-encoding"]?.trim().toLowerCase();
  if (encoding && encoding !== "identity")
    throw unsupported(`Content-Encoding ${encoding.slice(0, 40)} is not supported: send the body uncompressed`);
  const contentType = headers["content-type"];
  const [mediaType = "", ...parameters] = (contentType ?? "").split(";");
  const media = mediaType.trim().toLowerCase();
  if (!BODY_MEDIA_TYPES.includes(media)) {
    throw unsupported(
      `${contentType === undefined ? "a body needs a Content-Type" : `Content-Type ${media.slice(0, 80)} is not supported`}: send ${BODY_MEDIA_TYPES.join(" or ")}`,
    );
  }
  for (const parameter of parameters) {
    const [name = "", value = ""] = parameter.split("=");
    const charset = value
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
    if (name.trim().toLowerCase() === "charset" && charset !== "utf-8") {
      throw unsupported(`charset ${charset.slice(0, 40)} is not supported: send UTF-8 (charset=utf-8 or none)`);
    }
  }
}

/** The answer to JSON text refused before validation (domain/events/jsonBatch.ts), for each reason. */
export function jsonTextRefused(refusal: JsonTextRefusal): HttpError {
  switch (refusal.kind) {
    case "empty":
      return badRequest("the body is empty: send a JSON array of events or NDJSON");
    case "too_deep": {
      const message = tooDeepMessage(`line ${refusal.line}, column ${refusal.column}`);
      return badRequest(`the body is refused: ${message}`, [{ index: refusal.element, id: null, path: "", message } satisfies Problem]);
    }
    case "too_many_events":
      return tooManyEvents(refusal.eventsMax, String(refusal.events));
    case "not_json":
      return badRequest(`the body is not valid JSON: ${refusal.reason}`);
    case "ndjson_as_json":
      // A batch of events that is not JSON may be NDJSON under the wrong Content-Type: then say so.
      return badRequest(
        `the body looks like NDJSON; send it as Content-Type: ${NDJSON_MEDIA_TYPES[0]} (as application/json it is not valid JSON: ${refusal.reason})`,
      );
    case "not_a_batch":
      return notABatch();
  }
}

/** An application/json body: bounded by the scan, then parsed (domain/events/jsonBatch.ts readJsonText). */
export function parseJsonBody(text: string, eventsMax: number): unknown {
  const read = readJsonText(text, eventsMax);
  if (!read.ok) throw jsonTextRefused(read.refusal);
  return read.value;
}

/** A `POST /v1/events` body that is no batch: neither events in an array or NDJSON, nor one event. */
export function notABatch(): HttpError {
  return badRequest("the body must be a JSON array of events or NDJSON");
}

/**
 * NDJSON, one line at a time as the bytes arrive: each non-blank line is an event. A line longer
 * than NDJSON_LINE_MAX_CHARS, too deep or not JSON is a problem naming its line (all of them are
 * reported, up to PROBLEMS_MAX); more than `eventsMax` events is a 413 at once.
 */
export class NdjsonReader {
  readonly values: unknown[] = [];
  readonly problems: Problem[] = [];
  private pending: Buffer[] = [];
  private received = 0;
  private lineNumber = 0;
  private events = 0;

  constructor(private readonly limits: { bodyLimitBytes: number; eventsMax: number }) {}

  /** Takes the next bytes; throws a 413 as soon as the body is too large or holds too many events. */
  push(chunk: Buffer): void {
    this.received += chunk.length;
    if (this.received > this.limits.bodyLimitBytes) throw tooLarge(this.limits.bodyLimitBytes);
    let start = 0;
    // 0x0a never occurs inside a multi-byte UTF-8 sequence, so splitting bytes is safe.
    for (let end = chunk.indexOf(0x0a, start); end >= 0; end = chunk.indexOf(0x0a, start)) {
      if (this.pending.length === 0) this.line(chunk.toString("utf8", start, end));
      else {
        this.pending.push(chunk.subarray(start, end));
        this.line(Buffer.concat(this.pending).toString("utf8"));
        this.pending = [];
      }
      start = end + 1;
    }
    // A copy: the chunk may be a view over a buffer the socket reuses.
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
  }

  /** The last line (without a newline) and the result. */
  end(): { values: unknown[]; problems: Problem[] } {
    if (this.pending.length > 0) this.line(Buffer.concat(this.pending).toString("utf8"));
    this.pending = [];
    return { values: this.values, problems: this.problems };
  }

  private line(raw: string): void {
    this.lineNumber += 1;
    const text = raw.trim();
    if (text === "") return;
    this.events += 1;
    if (this.events > this.limits.eventsMax)
      throw tooManyEvents(this.limits.eventsMax, `more (line ${this.lineNumber} is event ${this.events}; the rest was not read)`);
    const problem = (message: string) => {
      // A refused batch keeps no values: only its problems are answered.
      this.values.length = 0;
      if (this.problems.length < PROBLEMS_MAX)
        this.problems.push({ index: this.events - 1, id: null, path: "", message: `line ${this.lineNumber}: ${message}` });
    };
    if (text.length > NDJSON_LINE_MAX_CHARS) return problem(`longer than ${NDJSON_LINE_MAX_CHARS} characters`);
    const scan = scanJson(text, JSON_DEPTH_MAX);
    if (!scan.ok) return problem(tooDeepMessage(`column ${scan.column}`));
    try {
      const value: unknown = JSON.parse(text);
      if (this.problems.length === 0) this.values.push(value);
    } catch (error) {
      problem(`not valid JSON: ${asError(error).message.slice(0, 200)}`);
    }
  }
}

/** Reads an NDJSON request stream through an NdjsonReader; stops reading at the first 413. */
export function readNdjson(
  payload: Readable,
  declaredLength: number,
  limits: { bodyLimitBytes: number; eventsMax: number },
): Promise<{ values: unknown[]; problems: Problem[] }> {
  if (declaredLength > limits.bodyLimitBytes) return Promise.reject(tooLarge(limits.bodyLimitBytes));
  const reader = new NdjsonReader(limits);
  return new Promise((resolve, reject) => {
    // Like Fastify's own body reader: on an error stop listening; Fastify answers with
    // `Connection: close`, so the unread rest of the body is never parsed.
    const stop = () => {
      payload.removeListener("data", onData);
      payload.removeListener("end", onEnd);
      payload.removeListener("error", onError);
    };
    const onData = (chunk: Buffer | string) => {
      try {
        reader.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
      } catch (error) {
        stop();
        reject(error);
      }
    };
    const onEnd = () => {
      stop();
      try {
        resolve(reader.end());
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: Error) => {
      stop();
      reject(badRequest(`the body could not be read: ${error.message}`));
    };
    payload.on("data", onData);
    payload.on("end", onEnd);
    payload.on("error", onError);
    payload.resume();
  });
}
