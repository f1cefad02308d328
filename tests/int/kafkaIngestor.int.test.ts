// Kafka ingestion against a real Kafka (KRaft, testcontainers) and a real SQLite event store.
// Where no container runtime exists the whole suite is skipped with one line saying so
// (tests/support/containers.ts); there is no mock Kafka. Expected values are written out by hand.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel, type Admin, type KafkaMessage, type Producer } from "kafkajs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LedgerEvent } from "../../domain/events/envelope.ts";
import type { AppendOptions, AppendResult, EventStore } from "../../infra/eventStore/port.ts";
import { openSqliteEventStore } from "../../infra/eventStore/sqliteEventStore.ts";
import { DLQ_HEADERS } from "../../infra/kafka/deadLetter.ts";
import { startKafkaIngestor, type KafkaIngestor } from "../../infra/kafka/kafkaIngestor.ts";
import { runtimeOrSkipNotice, SERVER_READY_TIMEOUT_MS, startKafka, type StartedServer } from "../support/containers.ts";
import { rawClick, validated } from "../support/testEvents.ts";

const runtime = await runtimeOrSkipNotice("Kafka ingestor suite (tests/int/kafkaIngestor.int.test.ts)");

async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const json = (value: unknown) => JSON.stringify(value);

describe.skipIf(!runtime.available)("Kafka ingestor (testcontainers)", () => {
  let server: StartedServer | undefined;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    server = await startKafka();
    kafka = new Kafka({ clientId: "ledger-test", brokers: [server.address], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
  }, SERVER_READY_TIMEOUT_MS * 2);

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await server?.stop();
  });

  let dir: string;
  let store: EventStore;
  let topic: string;
  let deadLetterTopic: string;
  const ingestors: KafkaIngestor[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "ledger-kafka-"));
    store = await openSqliteEventStore({ file: join(dir, "events.sqlite") });
    const suffix = randomBytes(4).toString("hex");
    topic = `ledger-events-${suffix}`;
    deadLetterTopic = `ledger-events-dlq-${suffix}`;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: 1 },
        { topic: deadLetterTopic, numPartitions: 1 },
      ],
    });
  });

  afterEach(async () => {
    for (const ingestor of ingestors.splice(0)) await ingestor.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(groupId: string, target: EventStore = store): Promise<KafkaIngestor> {
    const ingestor = await startKafkaIngestor({ brokers: [server!.address], groupId, topic, deadLetterTopic, store: target });
    ingestors.push(ingestor);
    return ingestor;
  }

  async function produce(values: (string | null)[]): Promise<void> {
    await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
  }

  /** The group's committed offset on partition 0 (-1: nothing committed yet). */
  async function committed(groupId: string): Promise<number> {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Number(entry?.partitions.find((p) => p.partition === 0)?.offset ?? -1);
  }

  async function readDeadLetters(count: number): Promise<KafkaMessage[]> {
    const consumer = kafka.consumer({ groupId: `dlq-reader-${randomBytes(4).toString("hex")}` });
    const out: KafkaMessage[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [deadLetterTopic], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void out.push(message) });
      await waitFor(`${count} dead letters`, () => out.length >= count);
    } finally {
      await consumer.disconnect();
    }
    return out;
  }

  async function storedIds(): Promise<string[]> {
    return (await store.readForward(0, 100)).map((e) => e.id);
  }

  it("stores each valid message once, even when it is sent twice or the topic is read again", async () => {
    await produce([json(rawClick("c-1")), json(rawClick("c-2")), json(rawClick("c-3")), json(rawClick("c-2"))]);
    const first = await start("group-once");
    await waitFor("offsets 0..3 committed", async () => (await committed("group-once")) === 4);
    expect(await storedIds()).toEqual(["c-1", "c-2", "c-3"]);
    expect(await store.head()).toBe(3);
    expect(first.stats).toMatchObject({ appended: 3, duplicates: 1, deadLettered: 0 });

    // Another group reads the whole topic again: every message is redelivered, nothing is stored twice.
    const second = await start("group-replay");
    await waitFor("replay committed", async () => (await committed("group-replay")) === 4);
    expect(second.stats).toMatchObject({ appended: 0, duplicates: 4, deadLettered: 0 });
    expect(await store.head()).toBe(3);
  });

  it("commits offsets only after the durable append, and redelivers a batch whose append was not acknowledged", async () => {
    let appendCalls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The real SQLite store, with two test hooks around it: the first append waits for the gate,
    // then commits and fails as if the process died between the durable append and the offset commit.
    const hooked: EventStore = {
      kind: "sqlite-hooked",
      storeId: store.storeId,
      append: async (events: readonly LedgerEvent[], options?: AppendOptions): Promise<AppendResult> => {
        appendCalls += 1;
        if (appendCalls === 1) {
          await gate;
          await store.append(events, options);
          throw new Error("simulated crash after the append, before the offset commit");
        }
        return store.append(events, options);
      },
      readForward: (a, l) => store.readForward(a, l),
      readStream: (s, a, l) => store.readStream(s, a, l),
      readById: (id) => store.readById(id),
      head: () => store.head(),
      logHead: () => store.logHead(),
      positionAt: (ms, upTo) => store.positionAt(ms, upTo),
      idsStartingWith: (prefix, upTo, limit) => store.idsStartingWith(prefix, upTo, limit),
      subscribe: (a, h, o) => store.subscribe(a, h, o),
      close: async () => {},
    };
    await produce([json(rawClick("g-1")), json(rawClick("g-2"))]);
    const ingestor = await start("group-gated", hooked);

    await waitFor("the first append to start", () => appendCalls === 1);
    // The append is in flight and not yet durable: nothing may be committed.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await committed("group-gated")).toBe(-1);
    expect(await store.head()).toBe(0);

    release();
    // The batch comes again after the failure; its events are duplicates now; then the offsets commit.
    await waitFor("offsets committed after the redelivery", async () => (await committed("group-gated")) === 2);
    expect(appendCalls).toBe(2);
    expect(await storedIds()).toEqual(["g-1", "g-2"]);
    expect(ingestor.stats).toMatchObject({ appended: 0, duplicates: 2, deadLettered: 0, commits: 1 });
  });

  it("sends unparseable, invalid, conflicting and empty messages with their error to the dead-letter topic", async () => {
    await store.append(validated([rawClick("taken", "t-1")]));
    const notJson = '{"id":"broken",';
    const invalid = json({ id: "bad-1", type: "ClickRecorded", occurredAt: "2026-03-01T10:00:00", data: { trackingId: "t-1" } });
    const conflicting = json(rawClick("taken", "t-2"));
    await produce([json(rawClick("ok-1")), notJson, invalid, conflicting, null, json(rawClick("ok-2"))]);
    const ingestor = await start("group-dlq");

    await waitFor("all six offsets committed", async () => (await committed("group-dlq")) === 6);
    expect(await storedIds()).toEqual(["taken", "ok-1", "ok-2"]);
    expect(ingestor.stats).toMatchObject({ appended: 2, duplicates: 0, deadLettered: 4 });

    const letters = await readDeadLetters(4);
    const header = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();
    expect(
      letters.map((m) => [m.key?.toString(), header(m, DLQ_HEADERS.code), header(m, DLQ_HEADERS.offset), header(m, DLQ_HEADERS.topic)]),
    ).toEqual([
      ["k1", "invalid_json", "1", topic],
      ["k2", "invalid_event", "2", topic],
      ["k3", "conflict", "3", topic],
      ["k4", "empty_message", "4", topic],
    ]);
    // The original value travels unchanged, so it can be fixed and re-published.
    expect(letters.map((m) => m.value?.toString() ?? null)).toEqual([notJson, invalid, conflicting, null]);
    const invalidError = JSON.parse(header(letters[1]!, DLQ_HEADERS.error)!);
    expect(invalidError).toMatchObject({
      code: "invalid_event",
      eventId: "bad-1",
      problems: [{ index: 0, id: "bad-1", path: "occurredAt" }],
    });
    const conflictError = JSON.parse(header(letters[2]!, DLQ_HEADERS.error)!);
    expect(conflictError).toMatchObject({ code: "conflict", eventId: "taken" });
    expect(conflictError.message).toContain("'taken'");
  });
});
