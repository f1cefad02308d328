// Dead-letter format. The DLQ message keeps the original key and value byte for byte (so an operator
// can fix the producer and re-publish it as is) and carries the reason in headers:
//   ledger-error-code      empty_message | too_large | invalid_json | invalid_event | conflict
//   ledger-error           JSON {code, message, problems?, eventId?} (capped at ERROR_HEADER_MAX_CHARS)
//   ledger-source-topic / ledger-source-partition / ledger-source-offset   where it was read
// Original headers are kept too. Dead letters are at-least-once: a crash between the DLQ send and
// the offset commit sends the same dead letter again (same source coordinates: deduplicate on them).
import type { IHeaders, KafkaMessage, Message } from "kafkajs";
import type { DeadLetterReason } from "./decodeMessage.ts";

export const ERROR_HEADER_MAX_CHARS = 16_384;

export const DLQ_HEADERS = {
  code: "ledger-error-code",
  error: "ledger-error",
  topic: "ledger-source-topic",
  partition: "ledger-source-partition",
  offset: "ledger-source-offset",
} as const;

function errorHeader(reason: DeadLetterReason): string {
  const full = JSON.stringify(reason);
  if (full.length <= ERROR_HEADER_MAX_CHARS) return full;
  // Too many problems to carry: keep the code, a truncated message and the first problems.
  const slim: DeadLetterReason = { code: reason.code, message: reason.message.slice(0, 1_000), eventId: reason.eventId ?? null };
  if (reason.problems) slim.problems = reason.problems.slice(0, 10);
  return JSON.stringify(slim).slice(0, ERROR_HEADER_MAX_CHARS);
}

export function deadLetterMessage(source: { topic: string; partition: number; message: KafkaMessage }, reason: DeadLetterReason): Message {
  const headers: IHeaders = { ...(source.message.headers ?? {}) };
  headers[DLQ_HEADERS.code] = reason.code;
  headers[DLQ_HEADERS.error] = errorHeader(reason);
  headers[DLQ_HEADERS.topic] = source.topic;
  headers[DLQ_HEADERS.partition] = String(source.partition);
  headers[DLQ_HEADERS.offset] = source.message.offset;
  return { key: source.message.key, value: source.message.value, headers };
}
