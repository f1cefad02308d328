// Kafka ingestion (kafkajs): a consumer group reads one envelope per message from a topic, validates
// it, appends the valid ones of each fetched batch with ONE store.append, sends the invalid ones with
// their error to a dead-letter topic, and only then commits the offsets.
//
// Delivery: at least once + idempotent ids = applied once. Offsets are committed after the append is
// durable (and after the dead letters are acknowledged by Kafka, acks=all), never before; a crash in
// between redelivers the batch, and the store acknowledges the events it already holds as duplicates
// (SPEC §2). autoCommit is off, so kafkajs never commits on its own, not even on errors.
//
// A conflict (an id already stored with other content) refuses the store's whole batch and names
// the event; that message goes to the dead-letter topic and the rest of the batch is appended again,
// so one bad message never blocks a partition. Any other store error (store down) is thrown: kafkajs
// retries the batch from the last committed offset, and restarts the consumer when retries run out.
import {
  Kafka,
  logLevel,
  type Consumer,
  type EachBatchPayload,
  type KafkaMessage,
  type LogEntry,
  type Message,
  type Producer,
} from "kafkajs";
import type { LedgerEvent } from "../../domain/events/envelope.ts";
import { BATCH_EVENTS_MAX } from "../../domain/events/limits.ts";
import { ConflictError, type EventStore } from "../eventStore/port.ts";
import { deadLetterMessage } from "./deadLetter.ts";
import { decodeMessage, type DeadLetterReason } from "./decodeMessage.ts";

export const APPEND_BATCH_DEFAULT = 1_000;

/** pino-compatible. */
export interface IngestorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface KafkaIngestorOptions {
  brokers: string[];
  clientId?: string;
  groupId: string;
  topic: string;
  deadLetterTopic: string;
  /** Where a new consumer group starts: the beginning (default; facts are never skipped) or the end. */
  fromBeginning?: boolean;
  /** Largest append (events); a fetched batch is appended in chunks of this size. */
  appendBatchMax?: number;
  /** Create the topic and the dead-letter topic when missing (broker default partitions). Default true. */
  createTopics?: boolean;
  /** Stripped from the type of a CloudEvent in structured mode (SPEC §11); default none. */
  cloudEventsTypePrefix?: string;
  store: EventStore;
  log?: IngestorLog;
}

export interface KafkaIngestorStats {
  appended: number;
  duplicates: number;
  deadLettered: number;
  /** Offset commits done (one per appended chunk). */
  commits: number;
}

const silentLog: IngestorLog = { info() {}, warn() {}, error() {} };

function kafkaLogCreator(log: IngestorLog) {
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, ...extra } = entry;
      const obj = { kafka: namespace, ...extra };
      if (level <= logLevel.ERROR) log.error(obj, message);
      else if (level <= logLevel.WARN) log.warn(obj, message);
      else log.info(obj, message);
    };
}

interface DeadLetter {
  offset: bigint;
  message: Message;
}

export class KafkaIngestor {
  readonly stats: KafkaIngestorStats = { appended: 0, duplicates: 0, deadLettered: 0, commits: 0 };
  /** Resolves when the consumer crashed and kafkajs will not restart it (the process should exit). */
  readonly crashed: Promise<Error>;
  private reportCrash!: (error: Error) => void;
  private stopped = false;

  private constructor(
    private readonly options: Required<Omit<KafkaIngestorOptions, "log">> & { log: IngestorLog },
    private readonly consumer: Consumer,
    private readonly producer: Producer,
  ) {
    this.crashed = new Promise((resolve) => (this.reportCrash = resolve));
  }

  static async start(options: KafkaIngestorOptions): Promise<KafkaIngestor> {
    const resolved = {
      clientId: "ledger-kafka-ingestor",
      fromBeginning: true,
      appendBatchMax: APPEND_BATCH_DEFAULT,
      createTopics: true,
      cloudEventsTypePrefix: "",
      log: silentLog,
      ...options,
    };
    if (!Number.isInteger(resolved.appendBatchMax) || resolved.appendBatchMax < 1 || resolved.appendBatchMax > BATCH_EVENTS_MAX) {
      throw new RangeError(`appendBatchMax must be 1..${BATCH_EVENTS_MAX}, got ${resolved.appendBatchMax}`);
    }
    if (resolved.brokers.length === 0) throw new Error("at least one Kafka broker is required");
    if (resolved.topic === resolved.deadLetterTopic) throw new Error("the dead-letter topic must differ from the source topic");

    const kafka = new Kafka({
      clientId: resolved.clientId,
      brokers: resolved.brokers,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(resolved.log),
    });
    if (resolved.createTopics) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({ waitForLeaders: true, topics: [{ topic: resolved.topic }, { topic: resolved.deadLetterTopic }] });
      } finally {
        await admin.disconnect();
      }
    }
    // Idempotent producer: a retried send does not duplicate a dead letter inside Kafka.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    const consumer = kafka.consumer({ groupId: resolved.groupId, allowAutoTopicCreation: false });
    const ingestor = new KafkaIngestor(resolved, consumer, producer);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      resolved.log.error({ err: payload.error, restart: payload.restart }, "kafka consumer crashed");
      if (!payload.restart && !ingestor.stopped) ingestor.reportCrash(payload.error);
    });
    try {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: [resolved.topic], fromBeginning: resolved.fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => ingestor.handleBatch(payload),
      });
    } catch (error) {
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
      throw error;
    }
    resolved.log.info(
      { topic: resolved.topic, groupId: resolved.groupId, deadLetterTopic: resolved.deadLetterTopic },
      "kafka ingestor running",
    );
    return ingestor;
  }

  private async handleBatch({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const chunkMax = this.options.appendBatchMax;
    for (let start = 0; start < batch.messages.length; start += chunkMax) {
      // Revoked partition or stopping: leave the rest uncommitted; it is redelivered to its owner.
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + chunkMax);
      const dead: DeadLetter[] = [];
      const toDead = (message: KafkaMessage, reason: DeadLetterReason) =>
        dead.push({ offset: BigInt(message.offset), message: deadLetterMessage({ topic, partition, message }, reason) });

      let pending: { message: KafkaMessage; event: LedgerEvent }[] = [];
      for (const message of chunk) {
        const decoded = decodeMessage(message.value, {
          contentType: headerText(message.headers?.["content-type"]),
          cloudEventsTypePrefix: this.options.cloudEventsTypePrefix,
        });
        if (decoded.ok) pending.push({ message, event: decoded.event });
        else toDead(message, decoded.reason);
      }

      // 1. Durable append of every valid message of the chunk, in one store.append.
      while (pending.length > 0) {
        try {
          const result = await this.options.store.append(pending.map((p) => p.event));
          this.stats.appended += result.appended;
          this.stats.duplicates += result.duplicates;
          break;
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          const refused = pending[error.index];
          if (!refused) throw error;
          toDead(refused.message, { code: "conflict", message: error.message, eventId: error.eventId });
          pending = pending.filter((_, i) => i !== error.index);
        }
      }

      // 2. Dead letters, acknowledged by all in-sync replicas, in source order.
      if (dead.length > 0) {
        dead.sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
        await this.producer.send({ topic: this.options.deadLetterTopic, acks: -1, messages: dead.map((d) => d.message) });
        this.stats.deadLettered += dead.length;
        this.options.log.warn(
          { topic, partition, count: dead.length, codes: [...new Set(dead.map((d) => String(d.message.headers?.["ledger-error-code"])))] },
          "messages sent to the dead-letter topic",
        );
      }

      // 3. Only now: the committed offset is the next message to read.
      const last = chunk[chunk.length - 1]!;
      resolveOffset(last.offset);
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: (BigInt(last.offset) + 1n).toString() }] }] });
      this.stats.commits += 1;
      await heartbeat();
    }
  }

  /** Stops consuming (the batch in hand finishes or is left uncommitted) and disconnects. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }
}

/** A Kafka header's value as text (kafkajs gives a Buffer, a string, or several). */
function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
}

export function startKafkaIngestor(options: KafkaIngestorOptions): Promise<KafkaIngestor> {
  return KafkaIngestor.start(options);
}
