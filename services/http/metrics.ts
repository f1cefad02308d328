// Prometheus metrics (prom-client): ingestion counters, projection lag, the webhook backlog, and HTTP
// latency per route. /metrics is open, so webhook figures are totals: no endpoint is named (issue 22.5).
import client from "prom-client";

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const appended = new client.Counter({
    name: "ledger_events_appended_total",
    help: "Events appended to the store",
    registers: [registry],
  });
  const duplicates = new client.Counter({
    name: "ledger_events_duplicate_total",
    help: "Events acknowledged as duplicates",
    registers: [registry],
  });
  const conflicts = new client.Counter({
    name: "ledger_batches_conflict_total",
    help: "Batches refused for an id conflict",
    registers: [registry],
  });
  const refused = new client.Counter({ name: "ledger_batches_refused_total", help: "Batches refused as invalid", registers: [registry] });
  const lag = new client.Gauge({
    name: "ledger_projection_lag_events",
    help: "Events the projection has not applied yet",
    labelNames: ["projection"],
    registers: [registry],
  });
  const head = new client.Gauge({
    name: "ledger_store_head_position",
    help: "Last committed position of the event store",
    registers: [registry],
  });
  const webhookBacklog = new client.Gauge({
    name: "ledger_webhook_backlog_events",
    help: "Webhook deliveries pending at the active endpoints, all together",
    registers: [registry],
  });
  const webhookOldestAge = new client.Gauge({
    name: "ledger_webhook_backlog_oldest_age_seconds",
    help: "Since the event of the oldest pending webhook delivery was recorded (0 when none is pending)",
    registers: [registry],
  });
  const webhooksDisabled = new client.Gauge({
    name: "ledger_webhook_endpoints_disabled",
    help: "Webhook endpoints disabled after their deliveries kept failing",
    registers: [registry],
  });
  const httpDuration = new client.Histogram({
    name: "ledger_http_request_duration_seconds",
    help: "Time from a request's arrival to its answer, per route pattern (never the raw URL: bounded labels)",
    labelNames: ["method", "route", "status"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    appended,
    duplicates,
    conflicts,
    refused,
    lag,
    head,
    webhookBacklog,
    webhookOldestAge,
    webhooksDisabled,
    httpDuration,
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
