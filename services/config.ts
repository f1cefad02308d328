// Configuration from the environment (SPEC §7). The only module that reads process.env.
import { Duration } from "luxon";
import path from "node:path";
import { isProjectionName, PROJECTION_NAMES, type ProjectionName } from "../projections/projection.ts";
import type { MismatchPolicy } from "../projections/projector.ts";
import { CLOUDEVENT_TYPE_PREFIX_MAX_CHARS } from "../domain/events/cloudEvents.ts";
import type { RetryPolicy } from "../domain/webhooks/retrySchedule.ts";

export interface LedgerConfig {
  port: number;
  host: string;
  dataDir: string;
  demo: boolean;
  scheduler: boolean;
  campaignEndGraceMs: number;
  schedulerIntervalMs: number;
  store:
    | { kind: "sqlite"; file: string }
    | { kind: "postgres"; connectionString: string; schema: string }
    | { kind: "kurrent"; connectionString: string; logStream: string };
  /** LEDGER_KAFKA_*: used by `ledger kafka-ingest` (services/kafkaIngest.ts). */
  kafka: KafkaSettings;
  readModels: { kind: "sqlite"; dir: string } | { kind: "postgres"; connectionString: string; schema: string };
  /** Projectors that run inside this process. */
  projectors: ProjectionName[];
  /** LEDGER_PROJECTOR_THREADS: the engine's thread and the writer threads of `serve`'s projectors (services/workers/threadGroups.ts). */
  projectorThreads: number;
  ruleVersion: number;
  bodyLimitBytes: number;
  batchEventsMax: number;
  logLevel: string;
  /** `token:scope,scope;…` (services/http/auth.ts); unset or empty = no access control; set, it must hold a token. */
  tokens: string;
  /** Start without tokens outside demo mode only when this is set (LEDGER_ALLOW_OPEN=1). */
  allowOpen: boolean;
  /** Read models that do not match the event store (rolled back, replaced): refuse to start, or rebuild them. */
  onStoreMismatch: MismatchPolicy;
  /** LEDGER_WEBHOOK_*: registration and delivery of webhooks (SPEC §11). */
  webhooks: WebhookSettings;
  /** When /v1/health calls a projection degraded (services/ledger.ts health). */
  health: HealthSettings;
  /** Stripped from a CloudEvent's `type` (LEDGER_CLOUDEVENTS_TYPE_PREFIX, e.g. `com.example.ledger.`); "" = none. */
  cloudEventsTypePrefix: string;
}

/** The LEDGER_KAFKA_* settings of `ledger kafka-ingest` (services/kafkaIngest.ts). */
export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  groupId: string;
  topic: string;
  deadLetterTopic: string;
  fromBeginning: boolean;
  appendBatchMax: number;
  /** LEDGER_CLOUDEVENTS_TYPE_PREFIX: stripped from the type of CloudEvents (SPEC §11). */
  cloudEventsTypePrefix: string;
}

export interface HealthSettings {
  /** LEDGER_HEALTH_LAG_MAX_EVENTS: behind the store's head by more than this: degraded. */
  lagMaxEvents: number;
  /** LEDGER_HEALTH_STALL_MS: behind, and no checkpoint progress for this long (no projector running?): degraded. */
  stallMs: number;
}

export interface WebhookSettings {
  /** LEDGER_WEBHOOK_KEY: every endpoint's signing secret is derived from it; null: webhooks cannot be registered or signed. */
  key: string | null;
  /** LEDGER_WEBHOOK_ALLOW_PRIVATE=1: endpoints may resolve to loopback and private addresses (tests, private networks). */
  allowPrivate: boolean;
  /** One request's deadline (DNS, connect, the receiver's status line). */
  timeoutMs: number;
  retry: RetryPolicy;
  /** How often the delivery worker looks for due deliveries and retries. */
  pollMs: number;
  /** LEDGER_WEBHOOK_BACKLOG_MAX_EVENTS: an active endpoint with more deliveries pending than this degrades /v1/health. */
  backlogMaxEvents: number;
  /** LEDGER_WEBHOOK_BACKLOG_MAX_AGE_MS: a pending delivery whose event was recorded longer ago than this degrades /v1/health. */
  backlogMaxAgeMs: number;
}

/** A webhook key shorter than this is a slip (it signs every endpoint's secret). */
export const WEBHOOK_KEY_MIN_CHARS = 32;

function webhookKey(value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  if (value.length < WEBHOOK_KEY_MIN_CHARS)
    throw new Error(`LEDGER_WEBHOOK_KEY must be at least ${WEBHOOK_KEY_MIN_CHARS} characters (e.g. openssl rand -hex 32)`);
  return value;
}

function typePrefix(value: string | undefined): string {
  const prefix = value ?? "";
  if (prefix.length > CLOUDEVENT_TYPE_PREFIX_MAX_CHARS || /[\s\p{Cc}]/u.test(prefix)) {
    throw new Error(
      `LEDGER_CLOUDEVENTS_TYPE_PREFIX must be at most ${CLOUDEVENT_TYPE_PREFIX_MAX_CHARS} characters without spaces, got '${prefix.slice(0, 200)}'`,
    );
  }
  return prefix;
}

/** A duration in milliseconds that must be ≥ 1 (a 0 would retry in a busy loop or never wait). */
function durationMs(name: string, value: string | undefined, fallback: number): number {
  const ms = positiveInt(name, value, fallback);
  if (ms < 1) throw new Error(`${name} must be at least 1 (milliseconds), got '${value}'`);
  return ms;
}

/** One setting: its variable, its default as one would write it, and what it does (Markdown). */
export interface EnvironmentVariable {
  name: string;
  /** What loadConfig uses when the variable is unset or empty; `$NAME` = that variable's value. */
  default: string;
  meaning: string;
}

/**
 * Every variable loadConfig reads, in the order `ledger serve --help` and README's "Running it"
 * table list them (tests/unit/environment.unit.test.ts holds the three together: the names are
 * exactly those loadConfig reads, each default is the one it uses, and README's table is this).
 */
export const ENVIRONMENT_VARIABLES: readonly EnvironmentVariable[] = [
  { name: "PORT", default: "8080", meaning: "HTTP port" },
  { name: "HOST", default: "127.0.0.1", meaning: "address the HTTP server listens on (`0.0.0.0`: every interface)" },
  { name: "LEDGER_DATA_DIR", default: "./data", meaning: "event store, read models and engine snapshots" },
  {
    name: "LEDGER_DEMO",
    default: "on",
    meaning:
      "load the demo data set when the store is empty (and bring an earlier release's demo store up to this one's); `0` turns it off",
  },
  { name: "LEDGER_SCHEDULER", default: "on", meaning: "campaign-end scheduler; `0` turns it off (backfills)" },
  { name: "LEDGER_SCHEDULER_INTERVAL_MS", default: "30000", meaning: "how often the scheduler looks for campaigns past their end" },
  { name: "LEDGER_CAMPAIGN_END_GRACE", default: "P1D", meaning: "ISO-8601 duration after `endsAt` before `CampaignEnded` is appended" },
  {
    name: "LEDGER_PROJECTORS",
    default: "all",
    meaning: "projectors that run inside this process: `all`, `none`, or e.g. `earnings,budget`",
  },
  {
    name: "LEDGER_PROJECTOR_THREADS",
    default: "2",
    meaning:
      "threads `serve`'s projectors use (1–6): the first reads the store and runs the engine once for all, each other one writes the read models it is given (with 2: the journal, the report, earnings and budget); `1`: all on one thread",
  },
  { name: "LEDGER_RULE_VERSION", default: "1", meaning: "rule version of newly created projection versions" },
  { name: "LEDGER_STORE", default: "sqlite", meaning: "event store: `sqlite`, `postgres` or `kurrent` (docs/production.md)" },
  {
    name: "LEDGER_STORE_URL",
    default: "$LEDGER_PG_URL",
    meaning: "connection string of the store (for `kurrent` the default is `esdb://127.0.0.1:2113?tls=false`)",
  },
  { name: "LEDGER_STORE_SCHEMA", default: "ledger_events", meaning: "PostgreSQL schema of the event store" },
  { name: "LEDGER_KURRENT_LOG_STREAM", default: "ledger-log", meaning: "KurrentDB stream that holds the ledger (one name = one ledger)" },
  { name: "LEDGER_READ_MODELS", default: "sqlite", meaning: "read-model database: `sqlite` or `postgres`" },
  { name: "LEDGER_READ_MODELS_URL", default: "$LEDGER_PG_URL", meaning: "connection string of the read-model database" },
  { name: "LEDGER_READ_MODELS_SCHEMA", default: "ledger_read", meaning: "PostgreSQL schema of the read models" },
  {
    name: "LEDGER_PG_URL",
    default: "postgres://postgres@127.0.0.1:5432/postgres",
    meaning: "default of both PostgreSQL connection strings",
  },
  { name: "LEDGER_BODY_LIMIT_BYTES", default: "10485760", meaning: "larger bodies get `413` (10 MiB)" },
  { name: "LEDGER_BATCH_MAX", default: "10000", meaning: "longer batches get `413`" },
  { name: "LEDGER_LOG_LEVEL", default: "info", meaning: "pino level; logs are JSON lines on stdout" },
  {
    name: "LEDGER_TOKENS",
    default: "",
    meaning:
      "bearer tokens with scopes, `token:scope,scope;…`; unset: no access control, refused outside demo mode unless `LEDGER_ALLOW_OPEN=1`",
  },
  { name: "LEDGER_ALLOW_OPEN", default: "off", meaning: "`1`: start without `LEDGER_TOKENS` outside demo mode" },
  {
    name: "LEDGER_ON_STORE_MISMATCH",
    default: "refuse",
    meaning:
      "read models that do not match the event store (it was cut back, replaced or rewritten): `refuse` to start, naming both positions, or `rebuild` them from the store",
  },
  {
    name: "LEDGER_HEALTH_LAG_MAX_EVENTS",
    default: "100000",
    meaning: "`/v1/health` calls a projection degraded when it is further behind the store's head than this",
  },
  {
    name: "LEDGER_HEALTH_STALL_MS",
    default: "30000",
    meaning: "`/v1/health` calls a projection degraded when it is behind and has not moved for this long (no projector running?)",
  },
  {
    name: "LEDGER_WEBHOOK_KEY",
    default: "",
    meaning:
      "at least 32 characters; every webhook endpoint's signing secret is HMAC-SHA256(key, webhook id). Needed to register endpoints (else `409 not_configured`) and, in the process that delivers, to sign",
  },
  {
    name: "LEDGER_WEBHOOK_ALLOW_PRIVATE",
    default: "off",
    meaning: "`1` lets endpoints resolve to loopback and private addresses (tests; receivers inside a private network)",
  },
  {
    name: "LEDGER_WEBHOOK_TIMEOUT_MS",
    default: "10000",
    meaning: "one delivery request's deadline (DNS, connect, the receiver's status line)",
  },
  {
    name: "LEDGER_WEBHOOK_RETRY_BASE_MS",
    default: "10000",
    meaning: "retry n of a failed delivery waits a random time in [0, min(max, base × 2^(n−1))): the first within 10 s",
  },
  { name: "LEDGER_WEBHOOK_RETRY_MAX_MS", default: "3600000", meaning: "the largest wait between retries (1 h)" },
  {
    name: "LEDGER_WEBHOOK_GIVE_UP_MS",
    default: "86400000",
    meaning: "how long one delivery may keep failing before its endpoint is disabled (24 h; health says so)",
  },
  { name: "LEDGER_WEBHOOK_POLL_MS", default: "1000", meaning: "how often the delivery worker looks for due deliveries and retries" },
  {
    name: "LEDGER_WEBHOOK_BACKLOG_MAX_EVENTS",
    default: "10000",
    meaning: "`/v1/health` calls webhooks degraded when an active endpoint has more deliveries pending than this",
  },
  {
    name: "LEDGER_WEBHOOK_BACKLOG_MAX_AGE_MS",
    default: "300000",
    meaning: "`/v1/health` calls webhooks degraded when a pending delivery's event was recorded longer ago than this (5 min)",
  },
  {
    name: "LEDGER_CLOUDEVENTS_TYPE_PREFIX",
    default: "",
    meaning: "stripped from a CloudEvent's `type` (e.g. `com.example.ledger.`): HTTP and Kafka",
  },
  { name: "LEDGER_KAFKA_BROKERS", default: "127.0.0.1:9092", meaning: "`kafka-ingest`: comma-separated bootstrap brokers" },
  { name: "LEDGER_KAFKA_TOPIC", default: "ledger-events", meaning: "`kafka-ingest`: topic with one event envelope (JSON) per message" },
  { name: "LEDGER_KAFKA_DLQ_TOPIC", default: "ledger-events-dlq", meaning: "`kafka-ingest`: dead-letter topic" },
  {
    name: "LEDGER_KAFKA_GROUP",
    default: "ledger-ingestor",
    meaning: "`kafka-ingest`: consumer group (several ingestors in one group spread the partitions)",
  },
  { name: "LEDGER_KAFKA_CLIENT_ID", default: "ledger-kafka-ingestor", meaning: "`kafka-ingest`: Kafka client id" },
  { name: "LEDGER_KAFKA_BATCH", default: "1000", meaning: "`kafka-ingest`: largest `store.append` the ingestor makes (1..10000)" },
  {
    name: "LEDGER_KAFKA_FROM_BEGINNING",
    default: "on",
    meaning: "`kafka-ingest`: where a *new* group starts: the oldest message (on) or only new ones (`0`)",
  },
];

/** `ledger serve --help`: a longer `NAME=default` puts its meaning on the next line. */
const HELP_ASSIGNMENT_MAX_CHARS = 34;
/** `ledger serve --help`: meanings are wrapped at this width. */
const HELP_LINE_MAX_CHARS = 100;

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/** The environment as `ledger serve --help` prints it: `NAME=default  meaning`, plain text. */
export function environmentHelp(): string {
  const indent = " ".repeat(2 + HELP_ASSIGNMENT_MAX_CHARS + 2);
  const rows = ENVIRONMENT_VARIABLES.flatMap((v) => {
    const assignment = `  ${v.name}=${v.default}`;
    const meaning = wrapWords(v.meaning.replaceAll("`", "").replaceAll("*", ""), HELP_LINE_MAX_CHARS - indent.length).map(
      (l) => indent + l,
    );
    if (assignment.length + 2 <= indent.length) meaning[0] = assignment.padEnd(indent.length) + meaning[0]!.slice(indent.length);
    else meaning.unshift(assignment);
    return meaning;
  });
  return ["Environment (unset or empty: the default shown):", ...rows].join("\n");
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  return !["0", "false", "off", "no"].includes(value.toLowerCase());
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'`);
  return n;
}

function projectorThreads(value: string | undefined): number {
  const threads = positiveInt("LEDGER_PROJECTOR_THREADS", value, 2);
  if (threads < 1 || threads > PROJECTION_NAMES.length)
    throw new Error(`LEDGER_PROJECTOR_THREADS must be 1 to ${PROJECTION_NAMES.length}, got '${value}'`);
  return threads;
}

function mismatchPolicy(value: string | undefined): MismatchPolicy {
  if (value === undefined || value === "" || value === "refuse") return "refuse";
  if (value === "rebuild") return "rebuild";
  throw new Error(`LEDGER_ON_STORE_MISMATCH must be refuse or rebuild, got '${value}'`);
}

export function parseProjectorList(value: string | undefined): ProjectionName[] {
  if (value === undefined || value === "" || value === "all") return [...PROJECTION_NAMES];
  if (value === "none") return [];
  const names = value.split(",").map((s) => s.trim());
  for (const n of names) if (!isProjectionName(n)) throw new Error(`LEDGER_PROJECTORS: unknown projection '${n}'`);
  return names as ProjectionName[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const dataDir = path.resolve(env.LEDGER_DATA_DIR || "./data");
  const grace = Duration.fromISO(env.LEDGER_CAMPAIGN_END_GRACE || "P1D");
  if (!grace.isValid) throw new Error(`LEDGER_CAMPAIGN_END_GRACE must be an ISO-8601 duration, got '${env.LEDGER_CAMPAIGN_END_GRACE}'`);
  const storeKind = env.LEDGER_STORE || "sqlite";
  const readKind = env.LEDGER_READ_MODELS || "sqlite";
  if (storeKind !== "sqlite" && storeKind !== "postgres" && storeKind !== "kurrent")
    throw new Error(`LEDGER_STORE must be sqlite, postgres or kurrent, got '${storeKind}'`);
  if (readKind !== "sqlite" && readKind !== "postgres") throw new Error(`LEDGER_READ_MODELS must be sqlite or postgres, got '${readKind}'`);
  const pgUrl = env.LEDGER_PG_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const cloudEventsTypePrefix = typePrefix(env.LEDGER_CLOUDEVENTS_TYPE_PREFIX);
  return {
    port: positiveInt("PORT", env.PORT, 8080),
    host: env.HOST || "127.0.0.1",
    dataDir,
    demo: flag(env.LEDGER_DEMO, true),
    scheduler: flag(env.LEDGER_SCHEDULER, true),
    campaignEndGraceMs: grace.toMillis(),
    schedulerIntervalMs: positiveInt("LEDGER_SCHEDULER_INTERVAL_MS", env.LEDGER_SCHEDULER_INTERVAL_MS, 30_000),
    store:
      storeKind === "sqlite"
        ? { kind: "sqlite", file: path.join(dataDir, "events.db") }
        : storeKind === "postgres"
          ? { kind: "postgres", connectionString: env.LEDGER_STORE_URL || pgUrl, schema: env.LEDGER_STORE_SCHEMA || "ledger_events" }
          : {
              kind: "kurrent",
              connectionString: env.LEDGER_STORE_URL || "esdb://127.0.0.1:2113?tls=false",
              logStream: env.LEDGER_KURRENT_LOG_STREAM || "ledger-log",
            },
    kafka: {
      brokers: (env.LEDGER_KAFKA_BROKERS || "127.0.0.1:9092")
        .split(",")
        .map((b) => b.trim())
        .filter((b) => b !== ""),
      clientId: env.LEDGER_KAFKA_CLIENT_ID || "ledger-kafka-ingestor",
      groupId: env.LEDGER_KAFKA_GROUP || "ledger-ingestor",
      topic: env.LEDGER_KAFKA_TOPIC || "ledger-events",
      deadLetterTopic: env.LEDGER_KAFKA_DLQ_TOPIC || "ledger-events-dlq",
      fromBeginning: flag(env.LEDGER_KAFKA_FROM_BEGINNING, true),
      appendBatchMax: positiveInt("LEDGER_KAFKA_BATCH", env.LEDGER_KAFKA_BATCH, 1_000),
      cloudEventsTypePrefix,
    },
    readModels:
      readKind === "sqlite"
        ? { kind: "sqlite", dir: dataDir }
        : {
            kind: "postgres",
            connectionString: env.LEDGER_READ_MODELS_URL || pgUrl,
            schema: env.LEDGER_READ_MODELS_SCHEMA || "ledger_read",
          },
    projectors: parseProjectorList(env.LEDGER_PROJECTORS),
    projectorThreads: projectorThreads(env.LEDGER_PROJECTOR_THREADS),
    ruleVersion: positiveInt("LEDGER_RULE_VERSION", env.LEDGER_RULE_VERSION, 1),
    bodyLimitBytes: positiveInt("LEDGER_BODY_LIMIT_BYTES", env.LEDGER_BODY_LIMIT_BYTES, 10 * 1024 * 1024),
    batchEventsMax: positiveInt("LEDGER_BATCH_MAX", env.LEDGER_BATCH_MAX, 10_000),
    logLevel: env.LEDGER_LOG_LEVEL || "info",
    tokens: env.LEDGER_TOKENS || "",
    allowOpen: flag(env.LEDGER_ALLOW_OPEN, false),
    onStoreMismatch: mismatchPolicy(env.LEDGER_ON_STORE_MISMATCH),
    webhooks: {
      key: webhookKey(env.LEDGER_WEBHOOK_KEY),
      allowPrivate: flag(env.LEDGER_WEBHOOK_ALLOW_PRIVATE, false),
      timeoutMs: durationMs("LEDGER_WEBHOOK_TIMEOUT_MS", env.LEDGER_WEBHOOK_TIMEOUT_MS, 10_000),
      retry: {
        baseMs: durationMs("LEDGER_WEBHOOK_RETRY_BASE_MS", env.LEDGER_WEBHOOK_RETRY_BASE_MS, 10_000),
        maxMs: durationMs("LEDGER_WEBHOOK_RETRY_MAX_MS", env.LEDGER_WEBHOOK_RETRY_MAX_MS, 3_600_000),
        giveUpMs: durationMs("LEDGER_WEBHOOK_GIVE_UP_MS", env.LEDGER_WEBHOOK_GIVE_UP_MS, 86_400_000),
      },
      pollMs: durationMs("LEDGER_WEBHOOK_POLL_MS", env.LEDGER_WEBHOOK_POLL_MS, 1_000),
      backlogMaxEvents: positiveInt("LEDGER_WEBHOOK_BACKLOG_MAX_EVENTS", env.LEDGER_WEBHOOK_BACKLOG_MAX_EVENTS, 10_000),
      backlogMaxAgeMs: durationMs("LEDGER_WEBHOOK_BACKLOG_MAX_AGE_MS", env.LEDGER_WEBHOOK_BACKLOG_MAX_AGE_MS, 300_000),
    },
    health: {
      lagMaxEvents: positiveInt("LEDGER_HEALTH_LAG_MAX_EVENTS", env.LEDGER_HEALTH_LAG_MAX_EVENTS, 100_000),
      stallMs: durationMs("LEDGER_HEALTH_STALL_MS", env.LEDGER_HEALTH_STALL_MS, 30_000),
    },
    cloudEventsTypePrefix,
  };
}
