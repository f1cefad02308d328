// The Kafka ingest process (`ledger kafka-ingest`): the event store from configuration (LEDGER_STORE)
// plus a consumer group on LEDGER_KAFKA_TOPIC (the adapter: infra/kafka/kafkaIngestor.ts). It needs
// no read models and runs no projectors.
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { openEventStore } from "../infra/eventStore/openEventStore.ts";
import type { KafkaIngestor } from "../infra/kafka/kafkaIngestor.ts";
import type { KafkaSettings, LedgerConfig } from "./config.ts";

export interface RunningIngestor {
  ingestor: KafkaIngestor;
  /** Stops consuming, then closes the store. */
  stop(): Promise<void>;
}

export async function runKafkaIngest(config: Pick<LedgerConfig, "store">, kafka: KafkaSettings, log: Logger): Promise<RunningIngestor> {
  if (config.store.kind === "sqlite") fs.mkdirSync(path.dirname(config.store.file), { recursive: true });
  const store = await openEventStore(config.store);
  // Loaded on demand: only this process pays for kafkajs.
  const { startKafkaIngestor } = await import("../infra/kafka/kafkaIngestor.ts");
  let ingestor: KafkaIngestor;
  try {
    ingestor = await startKafkaIngestor({ ...kafka, store, log });
  } catch (error) {
    await store.close();
    throw error;
  }
  log.info(
    { store: store.kind, brokers: kafka.brokers, topic: kafka.topic, deadLetterTopic: kafka.deadLetterTopic, groupId: kafka.groupId },
    "kafka ingestor started",
  );
  return {
    ingestor,
    async stop() {
      await ingestor.stop();
      await store.close();
      log.info({ ...ingestor.stats }, "kafka ingestor stopped");
    },
  };
}
