// `ledger ingest <file.ndjson | ->`: streams NDJSON of any size (a file or stdin) in batches through
// the one write path (services/ingest.ts). Each batch is all or nothing; a refused batch is reported
// line by line and the input goes on, so re-running after a fix appends only what was refused (ids
// make it safe).
// NDJSON only: input whose first non-blank character is `[` (a JSON array) is refused before
// anything is appended. Reading an array would mean holding it whole, or a second parser for one
// input shape; `jq -c '.[]'` turns it into NDJSON in one step.
import fs from "node:fs";
import readline from "node:readline";
import type { Readable } from "node:stream";
import { parseBoundedJson } from "../domain/events/jsonScan.ts";
import { NDJSON_LINE_MAX_CHARS } from "../domain/events/limits.ts";
import { validateBatch } from "../domain/events/validate.ts";
import type { EventStore } from "../infra/eventStore/port.ts";
import { ingestBatch } from "./ingest.ts";

export const INGEST_REASONS_MAX = 50;
/** Read size of the event pre-count (countEventLines). */
const COUNT_CHUNK_BYTES = 1024 * 1024;

export interface IngestSummary {
  appended: number;
  duplicates: number;
  refusedBatches: number;
  refusedEvents: number;
  /** The first INGEST_REASONS_MAX reasons, each naming its line. */
  reasons: string[];
}

export interface IngestOptions {
  batch: number;
  /** After each batch: the events (non-blank lines) read so far, refused ones included. */
  onProgress?: (events: number) => void;
}

/** Input that is a JSON array, not NDJSON; nothing was appended. */
export class NdjsonExpectedError extends Error {
  constructor(readonly line: number) {
    super(`NDJSON expected; try \`jq -c '.[]'\` (line ${line} starts a JSON array; nothing was appended)`);
  }
}

type Item = { line: number; value: unknown } | { line: number; parseError: string };

export async function ingestNdjson(store: EventStore, input: Readable, options: IngestOptions): Promise<IngestSummary> {
  const summary: IngestSummary = { appended: 0, duplicates: 0, refusedBatches: 0, refusedEvents: 0, reasons: [] };
  let batch: Item[] = [];
  let events = 0;
  const refuse = (reasons: string[]) => {
    summary.refusedBatches += 1;
    summary.refusedEvents += batch.length;
    summary.reasons.push(...reasons.slice(0, Math.max(0, INGEST_REASONS_MAX - summary.reasons.length)));
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const parsed = batch.filter((i): i is { line: number; value: unknown } => "value" in i);
    const badJson = batch.filter((i): i is { line: number; parseError: string } => "parseError" in i);
    if (badJson.length > 0) {
      // Report every problem of the batch at once: the unparseable lines and the invalid events.
      const validation = validateBatch(parsed.map((i) => i.value));
      const problems = validation.ok ? [] : validation.problems.map((p) => `line ${parsed[p.index]!.line}: ${p.id ?? "?"} ${p.path} ${p.message}`);
      refuse([...badJson.map((i) => `line ${i.line}: not valid JSON: ${i.parseError}`), ...problems]);
    } else {
      const result = await ingestBatch(store, parsed.map((i) => i.value));
      if (result.kind === "appended") {
        summary.appended += result.appended;
        summary.duplicates += result.duplicates;
      } else if (result.kind === "invalid") {
        refuse(result.problems.map((p) => `line ${parsed[p.index]?.line ?? "?"}: ${p.id ?? "?"} ${p.path} ${p.message}`));
      } else {
        refuse([`line ${parsed[result.index]?.line ?? "?"}: ${result.message}`]);
      }
    }
    events += batch.length;
    batch = [];
    options.onProgress?.(events);
  };
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let seenContent = false;
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === "") continue;
    if (!seenContent) {
      seenContent = true;
      if (line.trimStart().startsWith("[")) throw new NdjsonExpectedError(lineNo);
    }
    try {
      if (line.length > NDJSON_LINE_MAX_CHARS) throw new Error(`line is longer than ${NDJSON_LINE_MAX_CHARS} characters`);
      batch.push({ line: lineNo, value: parseBoundedJson(line) });
    } catch (error) {
      batch.push({ line: lineNo, parseError: (error as Error).message });
    }
    if (batch.length >= options.batch) await flush();
  }
  await flush();
  return summary;
}

const isJsonWhitespace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;

/**
 * The events of an NDJSON file (its lines with something other than JSON whitespace), counted
 * before ingesting so the progress shows a total and an ETA. Counting reads bytes at disk speed,
 * some 50× faster than validated appends, so it costs a few percent of a big file's ingest (and
 * warms the page cache for it). A line of other Unicode spaces only counts here but is skipped by
 * the reader: the caller treats the count as the total until the reader says otherwise.
 */
export async function countEventLines(file: string): Promise<number> {
  let events = 0;
  let lineHasContent = false;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: COUNT_CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (byte === 0x0a) {
        if (lineHasContent) events += 1;
        lineHasContent = false;
      } else if (!lineHasContent && !isJsonWhitespace(byte)) lineHasContent = true;
    }
  }
  return lineHasContent ? events + 1 : events;
}
