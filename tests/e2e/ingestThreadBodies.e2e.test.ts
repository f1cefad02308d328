// In `serve`, a POST /v1/events application/json body crosses to the ingest thread as text and is
// scanned, parsed, validated and appended there (services/workers/ingestThread.ts); elsewhere (the
// in-process app the other e2e suites start) the same function runs on the API's thread. The same
// bodies, sent in the same order to a real `ledger serve` child and to the in-process app over
// fresh stores, must get the same answers: status, error code, message and details, byte for byte.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postRaw, startE2eServer, type E2eServer } from "../support/e2eServer.ts";
import { startServer, type ServerChild } from "../support/serverChild.ts";

const LIMITS = { LEDGER_BATCH_MAX: "3", LEDGER_BODY_LIMIT_BYTES: "4096" };

const click = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: "ClickRecorded",
  schemaVersion: 1,
  occurredAt: "2026-01-05T17:00:00Z",
  data: { trackingId: "T-X" },
  ...extra,
});

/** Each body in turn: refusals of every kind before and after parsing, then appends and duplicates. */
const BODIES: { name: string; body: string; status: number }[] = [
  { name: "an empty body", body: "", status: 400 },
  { name: "blanks only", body: "  \n ", status: 400 },
  { name: "not JSON", body: "[{", status: 400 },
  { name: "a number", body: "42", status: 400 },
  { name: "null", body: "null", status: 400 },
  { name: "nesting over the depth limit", body: "[".repeat(70) + "]".repeat(70), status: 400 },
  {
    name: "more events than LEDGER_BATCH_MAX",
    body: JSON.stringify([click("m-1"), click("m-2"), click("m-3"), click("m-4")]),
    status: 413,
  },
  {
    name: "an event that fails validation",
    body: JSON.stringify([click("v-1"), { id: "v-2", type: "ClickRecorded", occurredAt: "yesterday", data: {} }]),
    status: 400,
  },
  {
    name: "a __proto__ key",
    body: '[{"id":"p-1","type":"ClickRecorded","occurredAt":"2026-01-05T17:00:00Z","data":{"trackingId":"T","__proto__":{"x":1}}}]',
    status: 400,
  },
  { name: "one event on its own", body: JSON.stringify(click("a-1")), status: 200 },
  { name: "a batch with a byte order mark", body: "\ufeff" + JSON.stringify([click("a-2"), click("a-3")]), status: 200 },
  { name: "the same batch again (duplicates)", body: JSON.stringify([click("a-2"), click("a-3")]), status: 200 },
  {
    name: "an id seen before with other content",
    body: JSON.stringify([click("a-1", { occurredAt: "2026-01-06T17:00:00Z" })]),
    status: 409,
  },
];

describe("POST /v1/events application/json on the ingest thread (serve) answers as in process", () => {
  let child: ServerChild;
  let inProcess: E2eServer;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-ingest-thread-"));

  beforeAll(async () => {
    [child, inProcess] = await Promise.all([startServer({ dataDir, env: LIMITS }), startE2eServer({ env: LIMITS })]);
  });
  afterAll(async () => {
    await child?.stop();
    await inProcess?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("every body gets the same status and the same answer from both", async () => {
    for (const { name, body, status } of BODIES) {
      const threaded = await postRaw(child.url, "/v1/events", body, "application/json");
      const direct = await postRaw(inProcess.baseUrl, "/v1/events", body, "application/json");
      expect({ name, status: threaded.status }).toEqual({ name, status });
      expect({ name, body: threaded.body }).toEqual({ name, body: direct.body });
    }
  });
});
