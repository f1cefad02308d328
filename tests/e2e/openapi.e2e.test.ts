// The OpenAPI document is a contract a generator can rely on: it validates as OpenAPI 3.1, names
// every route the server has, and every real answer of every route (on the demo data set, which
// holds every event type) matches the schema the document declares for it (JSON Schema 2020-12,
// checked with ajv, so the generated document itself is what is tested, not the zod source).
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_EVENTS } from "../../domain/webhooks/webhookEvents.ts";
import { demoDataset } from "../../workload/demoDataset.ts";
import { periodClosed } from "../support/domainFixtures.ts";
import { get, postEvents, postJson, startE2eServer, waitForProjections, type E2eServer, type HttpAnswer } from "../support/e2eServer.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhookReceiver.ts";

/** A value for each path parameter, all of them known in the demo data set. */
const PATH_VALUES: Record<string, string> = {
  creatorId: "cr-00003",
  campaignId: "cmp-0006",
  brandId: "brand-000",
  payoutId: "payout:cr-00003:US:2026-06-01",
  account: "creator:cr-00003:US:earned",
  id: "story-raise",
  webhookId: "", // registered in beforeAll
  name: "earnings",
  marketplace: "US",
  month: "2026-08", // closed in beforeAll
};
/** A value of a path parameter that names nothing (404), where "unknown-id" is not even well formed (400). */
const UNKNOWN_VALUES: Record<string, string> = { marketplace: "US", month: "2999-12" };
/** A value for each required query parameter. */
const QUERY_VALUES: Record<string, string> = {
  from: "2026-08-01",
  to: "2026-08-31",
  asOf: "2026-09-30",
  currency: "USD",
  version: "1",
  year: "2026",
  marketplace: "US",
  minimum: "0.00",
  q: "cr-0000", // GET /v1/search (issue 27)
  at: "2026-09-01T00:00:00Z", // GET /v1/log/position (issue 27)
};

type Parameter = { name: string; in: string; required: boolean; schema: { type?: string; pattern?: string } };
type Operation = {
  operationId: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
type Document = {
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation }>;
  components: { schemas: Record<string, unknown> };
};

describe("the OpenAPI document", () => {
  let server: E2eServer;
  let receiver: WebhookReceiver;
  let doc: Document;
  let registered: HttpAnswer;
  const ajv = new Ajv2020({ strict: false, allErrors: true });

  beforeAll(async () => {
    server = await startE2eServer({
      env: { LEDGER_WEBHOOK_KEY: "openapi-webhook-key-0123456789abcdef", LEDGER_WEBHOOK_ALLOW_PRIVATE: "1", LEDGER_WEBHOOK_POLL_MS: "10" },
    });
    // A webhook endpoint (on a local receiver) subscribed to every event: the webhook routes have
    // something to show, and each documented webhook body is checked against real deliveries.
    receiver = await startWebhookReceiver();
    registered = await postJson(server.baseUrl, "/v1/webhooks", { url: receiver.url, events: [...WEBHOOK_EVENTS] });
    expect(registered.status, registered.text).toBe(201);
    PATH_VALUES.webhookId = registered.body.webhookId;
    expect((await postEvents(server.baseUrl, demoDataset())).status).toBe(200);
    // SPEC §13: a close, so a closing statement has something to show.
    expect(
      (await postEvents(server.baseUrl, [periodClosed({ id: "openapi-close", month: "2026-08", occurredAt: "2026-09-10T12:00:00Z" })]))
        .status,
    ).toBe(200);
    await waitForProjections(server.baseUrl, 20_000);
    await receiver.waitUntil(() => receiver.received.length > 0, 20_000, "a first delivery");
    doc = (await get(server.baseUrl, "/v1/openapi.json")).body as Document;
    ajv.addSchema({ $id: "doc", components: doc.components }, "doc");
  });
  afterAll(async () => {
    await server?.destroy();
    await receiver?.close();
  });

  /** Validates `body` against the schema the document declares for this operation and status. */
  function expectDeclared(operation: Operation, status: number, answer: HttpAnswer): void {
    const content = operation.responses[String(status)]?.content;
    expect(content, `${operation.operationId} declares ${status}`).toBeDefined();
    const schema = content!["application/json"]!.schema as { $ref?: string };
    const validate = ajv.compile({ $ref: `doc${schema.$ref ?? ""}` });
    const ok = validate(answer.body);
    expect(ok ? [] : validate.errors, `${operation.operationId} ${status}: ${answer.text.slice(0, 300)}`).toEqual([]);
  }

  it("is valid OpenAPI 3.1 with bearer security, operationIds and servers", async () => {
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect((doc as unknown as { components: { securitySchemes: unknown } }).components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: "http", scheme: "bearer" }),
    });
    const ids = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("every read route answers its declared 200 schema on the demo data, and 404 with the Error schema", async () => {
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      const get200 = methods.get;
      if (!get200 || path === "/v1/openapi.json" || path === "/metrics") continue;
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(PATH_VALUES[name]!));
      const query = (get200.parameters ?? []).filter((p) => p.in === "query" && p.required).map((p) => `${p.name}=${QUERY_VALUES[p.name]}`);
      const answer = await get(server.baseUrl, `${url}${query.length > 0 ? `?${query.join("&")}` : ""}`);
      expect(answer.status, `${path}: ${answer.text.slice(0, 300)}`).toBe(200);
      expectDeclared(get200, 200, answer);
      if (path.includes("{")) {
        const unknown = path.replace(/\{(\w+)\}/g, (_, name: string) => UNKNOWN_VALUES[name] ?? "unknown-id");
        const missing = await get(server.baseUrl, `${unknown}${query.length > 0 ? `?${query.join("&")}` : ""}`);
        expect(missing.status, unknown).toBe(404);
        expectDeclared(get200, 404, missing);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(23);
  });

  it("text/csv is declared where CSV is served", async () => {
    for (const path of ["/v1/creators/{creatorId}/report", "/v1/campaigns/{campaignId}/report", "/v1/tax-summaries"]) {
      expect(Object.keys(doc.paths[path]!.get!.responses["200"]!.content!)).toEqual(["application/json", "text/csv"]);
    }
    const csv = await get(server.baseUrl, "/v1/campaigns/cmp-0006/report?from=2026-08-01&to=2026-08-31&format=csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
  });

  it("the writes answer their declared schemas: append, payout run, a refused batch, webhook registration (and its refusal) and deletion", async () => {
    const appended = await postEvents(server.baseUrl, [demoDataset()[0]]);
    expectDeclared(doc.paths["/v1/events"]!.post!, 200, appended);
    const refused = await postEvents(server.baseUrl, [{ id: "x", type: "Nope" }]);
    expectDeclared(doc.paths["/v1/events"]!.post!, 400, refused);
    const run = await postJson(server.baseUrl, "/v1/payouts/run", { marketplace: "US", asOf: "2026-06-10" });
    expectDeclared(doc.paths["/v1/payouts/run"]!.post!, 200, run);
    expectDeclared(doc.paths["/v1/webhooks"]!.post!, 201, registered);
    const refusedHook = await postJson(server.baseUrl, "/v1/webhooks", { url: "file:///etc/passwd", events: ["posting.created"] });
    expectDeclared(doc.paths["/v1/webhooks"]!.post!, 400, refusedHook);
    const other = await postJson(server.baseUrl, "/v1/webhooks", { url: receiver.url, events: ["campaign.ended"] });
    const deleted = await fetch(`${server.baseUrl}/v1/webhooks/${other.body.webhookId}`, { method: "DELETE" });
    const deletedAnswer = { status: deleted.status, text: "", body: await deleted.json() } as HttpAnswer;
    expectDeclared(doc.paths["/v1/webhooks/{webhookId}"]!.delete!, 200, deletedAnswer);
  });

  // Issue 22.9f: grouped, positions typed as what a client sends, webhook bodies described, and no
  // pointer to a file that is not in a clone.
  it("puts every operation, the webhooks' too, under exactly one of its declared tags, each described", () => {
    const declared = doc.tags.map((t) => t.name);
    expect(new Set(declared).size).toBe(declared.length);
    expect(doc.tags.every((t) => t.description.length > 0)).toBe(true);
    const operations = [...Object.values(doc.paths).flatMap((p) => Object.values(p)), ...Object.values(doc.webhooks).map((w) => w.post)];
    const untagged = operations.filter((o) => o.tags?.length !== 1 || !declared.includes(o.tags[0]!)).map((o) => o.operationId);
    expect(untagged).toEqual([]);
    expect(doc.paths["/v1/creators/{creatorId}/earnings"]!.get!.tags).toEqual(["creators"]);
    expect(doc.paths["/v1/events"]!.post!.tags).toEqual(["events"]);
    expect(doc.paths["/v1/trial-balance"]!.get!.tags).toEqual(["journal"]);
    expect(doc.paths["/v1/health"]!.get!.tags).toEqual(["operations"]);
    // Each group holds something.
    expect([...new Set(operations.map((o) => o.tags![0]))].sort()).toEqual([...declared].sort());
  });

  it("types every position parameter as an integer, as a client sends it", () => {
    const positions = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.values(methods).flatMap((o) =>
        (o.parameters ?? [])
          .filter((p) => /Position$/.test(p.name) || (path === "/v1/events" && p.name === "after"))
          .map((p) => ({ path, ...p })),
      ),
    );
    expect(positions.length).toBeGreaterThanOrEqual(30); // asOfPosition and minPosition of every read (38 today)
    expect(positions.filter((p) => p.schema.type !== "integer" || p.schema.pattern !== undefined)).toEqual([]);
    expect(doc.paths["/v1/projections/{name}/diff"]!.get!.parameters!.map((p) => [p.name, p.schema.type])).toEqual([
      ["name", "string"],
      ["version", "integer"],
      ["after", "integer"],
      ["limit", "integer"],
    ]);
  });

  it("the §12 answers match their schemas with a hold, an own threshold and a write-off standing", async () => {
    const events = [
      {
        id: "oa-hold",
        type: "PayoutsHeld",
        occurredAt: "2026-09-01T00:00:00Z",
        data: { creatorId: "cr-00003", marketplace: "US", reasonCode: "dispute", note: "n", actor: "a" },
      },
      {
        id: "oa-hold-all",
        type: "PayoutsHeld",
        occurredAt: "2026-09-02T00:00:00Z",
        data: { creatorId: "cr-unknown", reasonCode: "other", note: "n", actor: "a" },
      },
      {
        id: "oa-threshold",
        type: "PayoutThresholdSet",
        occurredAt: "2026-09-01T00:00:00Z",
        data: { creatorId: "cr-00003", marketplace: "US", amount: "50.00" },
      },
    ];
    expect((await postEvents(server.baseUrl, events)).status).toBe(200);
    await waitForProjections(server.baseUrl, 20_000);
    const holds = await get(server.baseUrl, "/v1/holds?asOf=2026-09-30");
    expect(holds.body.holds.map((h: { creatorId: string }) => h.creatorId)).toEqual(expect.arrayContaining(["cr-00003", "cr-unknown"]));
    expectDeclared(doc.paths["/v1/holds"]!.get!, 200, holds);
    const payout = await get(server.baseUrl, "/v1/creators/cr-00003/payout?asOf=2026-09-30");
    expect(payout.body.marketplaces[0].hold).not.toBeNull();
    expectDeclared(doc.paths["/v1/creators/{creatorId}/payout"]!.get!, 200, payout);
  });

  it("names no file outside the repository", async () => {
    const text = (await get(server.baseUrl, "/v1/openapi.json")).text;
    expect(text).not.toContain("../shared");
    expect(text).not.toContain("SPEC.md");
  });

  it("describes the request each webhook event sends, and every delivery matches the one of its type, signature header included", async () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENTS].sort());
    for (const [event, { post }] of Object.entries(doc.webhooks)) {
      expect(
        post.parameters!.filter((p) => p.in === "header" && p.required).map((p) => p.name),
        event,
      ).toEqual(["Ledger-Signature", "Ledger-Webhook-Id", "Ledger-Entry-Id", "Ledger-Delivery-Attempt"]);
    }
    // The demo has every kind of item; the endpoint gets each once, as its most specific event.
    await receiver.waitUntil(
      () => WEBHOOK_EVENTS.every((e) => receiver.received.some((r) => r.json.type === e)),
      60_000,
      "a delivery of every event type",
    );
    const signature = new RegExp(
      doc.webhooks["posting.created"]!.post.parameters!.find((p) => p.name === "Ledger-Signature")!.schema.pattern!,
    );
    const mismatches: unknown[] = [];
    for (const delivery of receiver.received) {
      const schema = doc.webhooks[delivery.json.type]!.post.requestBody!.content["application/json"]!.schema;
      const validate = ajv.compile({ $ref: `doc${schema.$ref}` });
      if (!validate(delivery.json)) mismatches.push({ body: delivery.body.slice(0, 300), errors: validate.errors });
      if (!signature.test(String(delivery.headers["ledger-signature"])))
        mismatches.push({ signature: delivery.headers["ledger-signature"] });
    }
    expect(mismatches).toEqual([]);
  });
});
