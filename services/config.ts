// Configuration from the environment (SPEC §7). The only module that reads process.env.
import { Duration } from "luxon";
import path from "node:path";
import { PROJECTION_NAMES, type ProjectionName } from "../projections/projection.ts";
import type { MismatchPolicy } from "../projections/projector.ts";
import { CLOUDEVENT_TYPE_PREFIX_MAX_CHARS } from "../domain/events/cloudEvents.ts";
import type { RetryPolicy } from "../domain/webhooks/retrySchedule.ts";
import type { KafkaSettings } from "./kafkaIngestor.ts";

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
  /** LEDGER_KAFKA_*: used by `ledger kafka-ingest` (services/kafkaIngestor.ts). */
  kafka: KafkaSettings;
  readModels: { kind: "sqlite"; dir: string } | { kind: "postgres"; connectionString: string; schema: string };
  /** Projectors that run inside this process. */
  projectors: ProjectionName[];
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
}

/** A webhook key shorter than this is a slip (it signs every endpoint's secret). */
export const WEBHOOK_KEY_MIN_CHARS = 32;

function webhookKey(value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  if (value.length < WEBHOOK_KEY_MIN_CHARS) throw new Error(`LEDGER_WEBHOOK_KEY must be at least ${WEBHOOK_KEY_MIN_CHARS} characters (e.g. openssl rand -hex 32)`);
  return value;
}

function typePrefix(value: string | undefined): string {
  const prefix = value ?? "";
  if (prefix.length > CLOUDEVENT_TYPE_PREFIX_MAX_CHARS || /[\s\p{Cc}]/u.test(prefix)) {
    throw new Error(`LEDGER_CLOUDEVENTS_TYPE_PREFIX must be at most ${CLOUDEVENT_TYPE_PREFIX_MAX_CHARS} characters without spaces, got '${prefix.slice(0, 200)}'`);
  }
  return prefix;
}

/** A duration in milliseconds that must be ≥ 1 (a 0 would retry in a busy loop or never wait). */
function durationMs(name: string, value: string | undefined, fallback: number): number {
  const ms = positiveInt(name, value, fallback);
  if (ms < 1) throw new Error(`${name} must be at least 1 (milliseconds), got '${value}'`);
  return ms;
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

function mismatchPolicy(value: string | undefined): MismatchPolicy {
  if (value === undefined || value === "" || value === "refuse") return "refuse";
  if (value === "rebuild") return "rebuild";
  throw new Error(`LEDGER_ON_STORE_MISMATCH must be refuse or rebuild, got '${value}'`);
}

export function parseProjectorList(value: string | undefined): ProjectionName[] {
  if (value === undefined || value === "" || value === "all") return [...PROJECTION_NAMES];
  if (value === "none") return [];
  const names = value.split(",").map((s) => s.trim());
  for (const n of names) if (!(PROJECTION_NAMES as readonly string[]).includes(n)) throw new Error(`LEDGER_PROJECTORS: unknown projection '${n}'`);
  return names as ProjectionName[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const dataDir = path.resolve(env.LEDGER_DATA_DIR || "./data");
  const grace = Duration.fromISO(env.LEDGER_CAMPAIGN_END_GRACE || "P1D");
  if (!grace.isValid) throw new Error(`LEDGER_CAMPAIGN_END_GRACE must be an ISO-8601 duration, got '${env.LEDGER_CAMPAIGN_END_GRACE}'`);
  const storeKind = env.LEDGER_STORE || "sqlite";
  const readKind = env.LEDGER_READ_MODELS || "sqlite";
  if (storeKind !== "sqlite" && storeKind !== "postgres" && storeKind !== "kurrent") throw new Error(`LEDGER_STORE must be sqlite, postgres or kurrent, got '${storeKind}'`);
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
          : { kind: "kurrent", connectionString: env.LEDGER_STORE_URL || "esdb://127.0.0.1:2113?tls=false", logStream: env.LEDGER_KURRENT_LOG_STREAM || "ledger-log" },
    kafka: {
      brokers: (env.LEDGER_KAFKA_BROKERS || "127.0.0.1:9092").split(",").map((b) => b.trim()).filter((b) => b !== ""),
      clientId: env.LEDGER_KAFKA_CLIENT_ID || "ledger-kafka-ingestor",
      groupId: env.LEDGER_KAFKA_GROUP || "ledger-ingestor",
      topic: env.LEDGER_KAFKA_TOPIC || "ledger-events",
      deadLetterTopic: env.LEDGER_KAFKA_DLQ_TOPIC || "ledger-events-dlq",
      fromBeginning: flag(env.LEDGER_KAFKA_FROM_BEGINNING, true),
      appendBatchMax: positiveInt("LEDGER_KAFKA_BATCH", env.LEDGER_KAFKA_BATCH, 1_000),
      cloudEventsTypePrefix,
    },
    readModels: readKind === "sqlite" ? { kind: "sqlite", dir: dataDir } : { kind: "postgres", connectionString: env.LEDGER_READ_MODELS_URL || pgUrl, schema: env.LEDGER_READ_MODELS_SCHEMA || "ledger_read" },
    projectors: parseProjectorList(env.LEDGER_PROJECTORS),
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
    },
    health: {
      lagMaxEvents: positiveInt("LEDGER_HEALTH_LAG_MAX_EVENTS", env.LEDGER_HEALTH_LAG_MAX_EVENTS, 100_000),
      stallMs: durationMs("LEDGER_HEALTH_STALL_MS", env.LEDGER_HEALTH_STALL_MS, 30_000),
    },
    cloudEventsTypePrefix,
  };
}
