// `ledger ingest <file.ndjson>`: streams a file of any size in batches through the one write path
// (services/ingest.ts). Each batch is all or nothing; a refused batch is reported line by line and
// the file goes on, so re-running after a fix appends only what was refused (ids make it safe).
import fs from "node:fs";
import readline from "node:readline";
import { parseBoundedJson } from "../domain/events/jsonScan.ts";
import { NDJSON_LINE_MAX_CHARS } from "../domain/events/limits.ts";
import { validateBatch } from "../domain/events/validate.ts";
import type { EventStore } from "../infra/eventStore/port.ts";
import { ingestBatch } from "./ingest.ts";

export const INGEST_REASONS_MAX = 50;

export interface IngestSummary {
  appended: number;
  duplicates: number;
  refusedBatches: number;
  refusedEvents: number;
  /** The first INGEST_REASONS_MAX reasons, each naming its line. */
  reasons: string[];
}

type Item = { line: number; value: unknown } | { line: number; parseError: string };

export async function ingestFile(
  store: EventStore,
  file: string,
  options: { batch: number; onProgress?: (bytesRead: number, events: number) => void },
): Promise<IngestSummary> {
  const summary: IngestSummary = { appended: 0, duplicates: 0, refusedBatches: 0, refusedEvents: 0, reasons: [] };
  let batch: Item[] = [];
  let bytes = 0;
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
    options.onProgress?.(bytes, events);
  };
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    bytes += Buffer.byteLength(line) + 1;
    if (line.trim() === "") continue;
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
