// One batch of `POST /v1/events`, as the HTTP body readers left it, validated and appended: in the
// calling thread (tests that build the app over a Ledger, the CLI) or on the ingest thread of
// `serve` (services/workers/ingestThread.ts). It knows nothing of HTTP: a JSON text that is no batch
// comes back as a refusal value (domain/events/jsonBatch.ts), which the API turns into its answer
// (services/http/bodies.ts jsonTextRefused), so no HTTP error crosses the thread.
import { validateCloudEvents } from "../../domain/events/cloudEvents.ts";
import { eventsOfJsonText, type JsonTextRefusal } from "../../domain/events/jsonBatch.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import type { EventStore } from "../../infra/eventStore/port.ts";
import type { LedgerConfig } from "../config.ts";
import { ingestValidated, type UnconditionalIngestResult } from "./ingest.ts";

/**
 * A batch as the HTTP body readers left it: envelopes, or CloudEvents to map first (SPEC §11), or
 * an application/json body of envelopes still as text (`json`: parsed where it is ingested).
 */
export type IngestRequest = { form: "envelopes" | "cloudevents"; values: unknown[] } | { form: "json"; text: string };

/** The write path's result, or a JSON text refused before validation (nothing was appended). */
export type IngestRequestResult = UnconditionalIngestResult | { kind: "refused"; refusal: JsonTextRefusal };

export type Ingest = (request: IngestRequest) => Promise<IngestRequestResult>;

/** Validates and appends one batch (the one write path, ingest.ts). */
export async function ingestRequest(
  store: EventStore,
  config: Pick<LedgerConfig, "cloudEventsTypePrefix" | "batchEventsMax">,
  request: IngestRequest,
): Promise<IngestRequestResult> {
  if (request.form === "cloudevents")
    return ingestValidated(store, validateCloudEvents(request.values, { typePrefix: config.cloudEventsTypePrefix }));
  if (request.form !== "json") return ingestValidated(store, validateBatch(request.values));
  const events = eventsOfJsonText(request.text, config.batchEventsMax);
  if (!events.ok) return { kind: "refused", refusal: events.refusal };
  return ingestValidated(store, validateBatch(events.value));
}
