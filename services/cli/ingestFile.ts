// `ledger ingest <file.ndjson | ->`: streams NDJSON of any size (a file or stdin) in batches through
// the one write path (services/ingest/ingest.ts). Every problem of a batch is found in one pass:
// lines that are not JSON, invalid events, and conflicts (an id stored, or earlier in the batch, with other
// content), so one fix is enough. What happens to a batch with a problem:
//  - by default it is refused whole (all or nothing per batch), reported line by line, and the
//    ingest STOPS there: nothing from that batch's first line on is appended, because a later fact
//    may depend on a refused one (clicks on a campaign whose CampaignCreated was refused would be
//    stored for good as unknown_tracking_id anomalies). The summary names the line to resume from
//    (`--from-line`); re-running the whole file is safe too (ids make earlier lines duplicates);
//  - only with `keepGoing` (`--keep-going`) does the input go on past a refused batch, and its
//    summary warns that later facts may depend on refused ones; with a reject file as well, each
//    refused line goes there (its number, its text, its reasons) and the other events of the batch
//    are appended.
// A clean batch costs one append and nothing more: the line-by-line search (one readById per event
// for conflicts) runs only for a batch the write path refused or that has a line that is not JSON.
// NDJSON only: input whose first non-blank character is `[` (a JSON array) is refused before
// anything is appended. Reading an array would mean holding it whole, or a second parser for one
// input shape; `jq -c '.[]'` turns it into NDJSON in one step.
import { asError } from "../../domain/assert.ts";
import fs from "node:fs";
import readline from "node:readline";
import type { Readable } from "node:stream";
import type { LedgerEvent } from "../../domain/events/envelope.ts";
import { parseBoundedJson } from "../../domain/events/jsonScan.ts";
import { NDJSON_LINE_MAX_CHARS } from "../../domain/events/limits.ts";
import { validateEvent, type Problem } from "../../domain/events/validate.ts";
import { ConflictError, type EventStore } from "../../infra/eventStore/port.ts";
import { findConflicts, ingestBatch, type UnconditionalIngestResult } from "../ingest/ingest.ts";

export const INGEST_REASONS_MAX = 50;
/** Read size of the event pre-count (countEventLines). */
const COUNT_CHUNK_BYTES = 1024 * 1024;

export interface IngestSummary {
  appended: number;
  duplicates: number;
  /** Batches refused whole (without a reject file). */
  refusedBatches: number;
  /** Events not appended because of a refusal: every line of a refused batch, each rejected line. */
  refusedEvents: number;
  /** With a reject file: the lines written there, and where. */
  rejectedLines?: number;
  rejectFile?: string;
  /** The first INGEST_REASONS_MAX reasons, each naming its line. */
  reasons: string[];
  /** Lines before `fromLine` that were skipped unread (only when `fromLine` was given). */
  skippedLines?: number;
  /** Stopped at a refused batch (the default): its first line; nothing from it on was appended. Resume with `--from-line` this. */
  stoppedAtLine?: number;
  /** With keepGoing and refusals: later facts were appended although they may depend on refused ones. */
  warning?: string;
}

export interface IngestOptions {
  batch: number;
  /** After each batch: the events (non-blank lines) read so far, refused ones included. */
  onProgress?: (events: number) => void;
  /** Go on past a refused batch (the default stops there, having appended nothing from it on). */
  keepGoing?: boolean;
  /** Refused lines go to this file (created or emptied first) and the rest of their batch is appended; needs keepGoing. */
  rejectFile?: string;
  /** Skip the lines before this one (1-based): resuming after a stop (IngestSummary.stoppedAtLine). */
  fromLine?: number;
}

/** One line of the reject file: `jq -r .line` gives back the lines to fix. */
export interface RejectedLine {
  lineNumber: number;
  line: string;
  reasons: string[];
}

/** Input that is a JSON array, not NDJSON; nothing was appended. */
export class NdjsonExpectedError extends Error {
  constructor(readonly line: number) {
    super(`NDJSON expected; try \`jq -c '.[]'\` (line ${line} starts a JSON array; nothing was appended)`);
  }
}

/** A non-blank line; its text is kept only when it may go to a reject file. */
type Item = { line: number; text: string | null } & ({ value: unknown } | { parseError: string });
type ParsedItem = Item & { value: unknown };
interface LineProblem {
  item: Item;
  reasons: string[];
}

const isParsed = (item: Item): item is ParsedItem => "value" in item;
const problemText = (p: Problem) => `${p.id ?? "?"} ${p.path} ${p.message}`;

/** Every problem of a batch, line by line, in line order: not JSON, invalid, conflicting. */
async function lineProblems(store: EventStore, items: readonly Item[]): Promise<LineProblem[]> {
  const reasons = new Map<number, string[]>();
  const valid: { at: number; event: LedgerEvent }[] = [];
  items.forEach((item, at) => {
    if (isParsed(item)) {
      const result = validateEvent(item.value, at);
      if ("event" in result) valid.push({ at, event: result.event });
      else reasons.set(at, result.problems.map(problemText));
    } else {
      reasons.set(at, [`not valid JSON: ${item.parseError}`]);
    }
  });
  for (const conflict of await findConflicts(
    store,
    valid.map((v) => v.event),
  )) {
    const earlier = conflict.earlierIndex === null ? null : items[valid[conflict.earlierIndex]!.at]!.line;
    reasons.set(valid[conflict.index]!.at, [
      earlier === null
        ? new ConflictError(conflict.eventId, conflict.index).message
        : `event id '${conflict.eventId}' is also on line ${earlier}, with different content`,
    ]);
  }
  return items.flatMap((item, at) => (reasons.has(at) ? [{ item, reasons: reasons.get(at)! }] : []));
}

/** The write path's own reasons for refusing a batch, each naming its line. */
function refusalReasons(result: Exclude<UnconditionalIngestResult, { kind: "appended" }>, items: readonly Item[]): string[] {
  const lineOf = (index: number) => items[index]?.line ?? "?";
  if (result.kind === "invalid") return result.problems.map((p) => `line ${lineOf(p.index)}: ${problemText(p)}`);
  return [`line ${lineOf(result.index)}: ${result.message}`];
}

/** What a keep-going summary says when it appended past refused lines. */
export function keepGoingWarning(refusedEvents: number): string {
  return (
    `${refusedEvents} event(s) were refused and later events were appended anyway (--keep-going): a later fact may depend on a refused one ` +
    "(a click or shipment on a campaign or acceptance that was refused) and is then stored for good as an anomaly such as unknown_tracking_id; " +
    "fix the refused lines before any later fact depends on them"
  );
}

export async function ingestNdjson(store: EventStore, input: Readable, options: IngestOptions): Promise<IngestSummary> {
  const rejectFile = options.rejectFile;
  const keepGoing = options.keepGoing ?? false;
  const fromLine = options.fromLine ?? 1;
  // A reject file appends the rest of a batch past its refused lines: that is going on past them.
  if (rejectFile !== undefined && !keepGoing) throw new Error("a reject file appends past refused lines: it needs keepGoing");
  if (!Number.isInteger(fromLine) || fromLine < 1) throw new Error(`fromLine must be an integer ≥ 1, not ${fromLine}`);
  const summary: IngestSummary =
    rejectFile === undefined
      ? { appended: 0, duplicates: 0, refusedBatches: 0, refusedEvents: 0, reasons: [] }
      : { appended: 0, duplicates: 0, refusedBatches: 0, refusedEvents: 0, rejectedLines: 0, rejectFile, reasons: [] };
  if (options.fromLine !== undefined) summary.skippedLines = 0;
  const report = (reasons: string[]) => summary.reasons.push(...reasons.slice(0, Math.max(0, INGEST_REASONS_MAX - summary.reasons.length)));
  const count = (result: { appended: number; duplicates: number }) => {
    summary.appended += result.appended;
    summary.duplicates += result.duplicates;
  };
  /** Set when a batch was refused without keepGoing: reading stops, nothing after it is appended. */
  let stopped = false;
  const refuseBatch = (items: readonly Item[], reasons: string[]) => {
    summary.refusedBatches += 1;
    summary.refusedEvents += items.length;
    report(reasons);
    if (!keepGoing) {
      stopped = true;
      summary.stoppedAtLine = items[0]!.line;
    }
  };
  const rejects = rejectFile === undefined ? null : await fs.promises.open(rejectFile, "w");

  const settle = async (items: Item[]) => {
    let refusal: Exclude<UnconditionalIngestResult, { kind: "appended" }> | null = null;
    if (items.every(isParsed)) {
      const result = await ingestBatch(
        store,
        items.map((i) => i.value),
      );
      if (result.kind === "appended") return count(result);
      refusal = result;
    }
    const problems = await lineProblems(store, items);
    // No line has a problem of its own (a batch over BATCH_EVENTS_MAX): the write path's reasons.
    if (problems.length === 0) return refuseBatch(items, refusal === null ? [] : refusalReasons(refusal, items));
    const reasons = problems.flatMap((p) => p.reasons.map((r) => `line ${p.item.line}: ${r}`));
    if (rejects === null) return refuseBatch(items, reasons);
    // Written before the rest is appended: a crash in between loses no refused line.
    await rejects.write(
      problems
        .map((p) => JSON.stringify({ lineNumber: p.item.line, line: p.item.text ?? "", reasons: p.reasons } satisfies RejectedLine) + "\n")
        .join(""),
    );
    summary.refusedEvents += problems.length;
    summary.rejectedLines! += problems.length;
    report(reasons);
    const refused = new Set(problems.map((p) => p.item));
    const rest = items.filter((i): i is ParsedItem => !refused.has(i));
    const result = await ingestBatch(
      store,
      rest.map((i) => i.value),
    );
    // Refused after all: a writer racing this one stored a conflicting id since the search. The
    // rest is then refused whole and reported; re-running the input appends it (ids make it safe).
    if (result.kind === "appended") count(result);
    else refuseBatch(rest, refusalReasons(result, rest));
  };

  let batch: Item[] = [];
  let events = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    await settle(items);
    events += items.length;
    options.onProgress?.(events);
  };
  try {
    const lines = readline.createInterface({ input, crlfDelay: Infinity });
    let lineNo = 0;
    let seenContent = false;
    for await (const line of lines) {
      lineNo += 1;
      if (lineNo < fromLine) {
        summary.skippedLines! += 1;
        continue;
      }
      if (line.trim() === "") continue;
      if (!seenContent) {
        seenContent = true;
        if (line.trimStart().startsWith("[")) throw new NdjsonExpectedError(lineNo);
      }
      const text = rejects === null ? null : line;
      try {
        if (line.length > NDJSON_LINE_MAX_CHARS) throw new Error(`line is longer than ${NDJSON_LINE_MAX_CHARS} characters`);
        batch.push({ line: lineNo, text, value: parseBoundedJson(line) });
      } catch (error) {
        batch.push({ line: lineNo, text, parseError: asError(error).message });
      }
      if (batch.length >= options.batch) await flush();
      if (stopped) break;
    }
    if (!stopped) await flush();
  } finally {
    await rejects?.close();
  }
  if (keepGoing && summary.refusedEvents > 0) summary.warning = keepGoingWarning(summary.refusedEvents);
  return summary;
}

const isJsonWhitespace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;

/**
 * The events of an NDJSON file (its lines with something other than JSON whitespace), counted
 * before ingesting so the progress shows a total and an ETA. Counting reads bytes at disk speed,
 * far faster than validated appends, so it costs little of a big file's ingest (and warms the page
 * cache for it). A line of other Unicode spaces only counts here but is skipped by
 * the reader: the caller treats the count as the total until the reader says otherwise.
 */
export async function countEventLines(file: string): Promise<number> {
  let events = 0;
  let lineHasContent = false;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: COUNT_CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    // From newline to newline (indexOf is native); a line is looked at only up to its first
    // byte that is not whitespace, which for an event is its first byte, `{`.
    for (let start = 0; start < chunk.length;) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      for (let i = start; i < end && !lineHasContent; i += 1) lineHasContent = !isJsonWhitespace(chunk[i]!);
      if (newline === -1) break;
      if (lineHasContent) events += 1;
      lineHasContent = false;
      start = newline + 1;
    }
  }
  return lineHasContent ? events + 1 : events;
}
