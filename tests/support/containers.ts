// Container runtime detection for the testcontainers suites (KurrentDB, Kafka), done once per test
// file. Where no runtime answers (this dev machine has the docker CLI but no engine), the suites
// skip with one line saying what and why; where one exists they run in full against real servers.
// Never a mock: a suite that claims to test a server either talks to that server or is skipped.
import { GenericContainer, getContainerRuntimeClient, Wait, type ContainerRuntimeClient } from "testcontainers";

/** How long to wait for the runtime to answer before declaring it absent. */
export const RUNTIME_PROBE_TIMEOUT_MS = 5_000;

export type ContainerRuntime = { available: true; client: ContainerRuntimeClient; host: string } | { available: false; reason: string };

async function probe(): Promise<ContainerRuntime> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${RUNTIME_PROBE_TIMEOUT_MS} ms`)), RUNTIME_PROBE_TIMEOUT_MS);
  });
  try {
    // testcontainers' own detection: tries TESTCONTAINERS_HOST_OVERRIDE/DOCKER_HOST, ~/.testcontainers.properties,
    // the Docker socket, rootless sockets; it rejects when none of them answers.
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    return { available: true, client, host: client.info.containerRuntime.host };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

let cached: Promise<ContainerRuntime> | null = null;

/** The container runtime, probed once per process (vitest forks a process per file). */
export function containerRuntime(): Promise<ContainerRuntime> {
  cached ??= probe();
  return cached;
}

/**
 * For `describe.skipIf(!runtime.available)`: resolves the runtime and, when it is absent, prints the
 * one line that says which suite is skipped and why.
 */
export async function runtimeOrSkipNotice(suite: string): Promise<ContainerRuntime> {
  const runtime = await containerRuntime();
  if (!runtime.available)
    console.warn(
      `[skipped] ${suite}: no container runtime found by testcontainers (${runtime.reason}); it runs in full where Docker is available.`,
    );
  return runtime;
}

// ---- Servers (only started when a runtime exists) ----------------------------------------------

/** EventStoreDB 24.10 LTS, the last release before the KurrentDB rename; set to a KurrentDB image to test that. */
export const KURRENT_IMAGE = process.env.LEDGER_TEST_KURRENT_IMAGE || "eventstore/eventstore:24.10";
/** Apache Kafka's own image (KRaft, no ZooKeeper). */
export const KAFKA_IMAGE = process.env.LEDGER_TEST_KAFKA_IMAGE || "apache/kafka:3.9.0";
export const SERVER_READY_TIMEOUT_MS = 120_000;

const KURRENT_PORT = 2113;

async function retryUntil<T>(what: string, attempt: () => Promise<T>, timeoutMs = SERVER_READY_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export interface StartedServer {
  /** esdb:// connection string, or Kafka bootstrap `host:port`. */
  address: string;
  stop(): Promise<void>;
}

/** A single in-memory KurrentDB node, insecure (no TLS, no auth), ready to accept writes. */
export async function startKurrent(): Promise<StartedServer> {
  const { EventStoreDBClient, jsonEvent } = await import("@eventstore/db-client");
  // Command-line options work for the EventStoreDB and the KurrentDB images alike (their environment
  // prefixes differ: EVENTSTORE_ vs KURRENTDB_).
  const container = await new GenericContainer(KURRENT_IMAGE)
    .withCommand(["--insecure", "--mem-db", "--run-projections=None"])
    .withExposedPorts(KURRENT_PORT)
    .withWaitStrategy(Wait.forHttp("/health/live", KURRENT_PORT).forStatusCode(204))
    .withStartupTimeout(SERVER_READY_TIMEOUT_MS)
    .start();
  const address = `esdb://${container.getHost()}:${container.getMappedPort(KURRENT_PORT)}?tls=false`;
  // Live is not yet leader: wait until the node accepts a write.
  const client = EventStoreDBClient.connectionString(address);
  try {
    await retryUntil("KurrentDB", () => client.appendToStream("ledger-test-warmup", jsonEvent({ type: "Warmup", data: {} })));
  } finally {
    await client.dispose();
  }
  return { address, stop: async () => void (await container.stop()) };
}

const KAFKA_EXTERNAL_PORT = 9092;
const KAFKA_STARTER = "/tmp/ledger-kafka-start.sh";

/**
 * A single-node Kafka in KRaft mode (broker and controller in one process). Kafka must advertise the
 * host port Docker maps, which is known only after the container starts, so the container first
 * waits for a starter script (the same trick as testcontainers' own Kafka modules), then runs the
 * image's /etc/kafka/docker/run with KAFKA_ADVERTISED_LISTENERS exported.
 */
export async function startKafka(): Promise<StartedServer> {
  const { Kafka, logLevel } = await import("kafkajs");
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withEnvironment({
      KAFKA_NODE_ID: "1",
      KAFKA_PROCESS_ROLES: "broker,controller",
      KAFKA_LISTENERS: "PLAINTEXT://0.0.0.0:9092,BROKER://0.0.0.0:9093,CONTROLLER://0.0.0.0:9094",
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: "PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT",
      KAFKA_INTER_BROKER_LISTENER_NAME: "BROKER",
      KAFKA_CONTROLLER_LISTENER_NAMES: "CONTROLLER",
      KAFKA_CONTROLLER_QUORUM_VOTERS: "1@localhost:9094",
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: "1",
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: "1",
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: "1",
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: "0",
      KAFKA_NUM_PARTITIONS: "1",
    })
    // The image's entrypoint execs its arguments, so only the command is replaced.
    .withCommand([
      "sh",
      "-c",
      `echo 'waiting for ${KAFKA_STARTER}'; while [ ! -f ${KAFKA_STARTER} ]; do sleep 0.1; done; . ${KAFKA_STARTER}; exec /etc/kafka/docker/run`,
    ])
    .withExposedPorts(KAFKA_EXTERNAL_PORT)
    .withWaitStrategy(Wait.forLogMessage(`waiting for ${KAFKA_STARTER}`))
    .withStartupTimeout(SERVER_READY_TIMEOUT_MS)
    .start();
  const address = `${container.getHost()}:${container.getMappedPort(KAFKA_EXTERNAL_PORT)}`;
  await container.copyContentToContainer([
    { content: `export KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://${address},BROKER://localhost:9093\n`, target: KAFKA_STARTER, mode: 0o644 },
  ]);
  const admin = new Kafka({ clientId: "ledger-test-probe", brokers: [address], logLevel: logLevel.NOTHING }).admin();
  await retryUntil("Kafka", async () => {
    await admin.connect();
    await admin.listTopics();
  });
  await admin.disconnect();
  return { address, stop: async () => void (await container.stop()) };
}
