// POST /v1/events over real sockets (SPEC §2 idempotency, §5 POST /v1/events and error shape).
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectErrorShape,
  expectNo5xxAndErrorShapes,
  get,
  head,
  postEvents,
  postJson,
  postNdjson,
  postRaw,
  startE2eServer,
  toNdjson,
  waitForProjections,
  usRunAnswer,
  type E2eServer,
} from "../support/e2eServer.ts";

// Clicks on a tracking id nobody accepted: schema-valid, stored, anomalies only (SPEC §3).
const click = (id: string, trackingId = "T-X", occurredAt = "2026-01-05T17:00:00Z") => ({
  id,
  type: "ClickRecorded",
  schemaVersion: 1,
  occurredAt,
  data: { trackingId },
});

describe("POST /v1/events", () => {
  let server: E2eServer;
  let url: string;

  beforeAll(async () => {
    server = await startE2eServer();
    url = server.baseUrl;
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("appends a JSON array and answers {appended, duplicates, lastPosition}", async () => {
    const answer = await postEvents(url, [click("a-1"), click("a-2")]);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ appended: 2, duplicates: 0, lastPosition: 2 });
    expect(await head(url)).toBe(2);
  });

  it("appends NDJSON (application/x-ndjson), blank lines and CRLF tolerated", async () => {
    const body = [click("n-1"), click("n-2"), click("n-3")].map((e) => JSON.stringify(e)).join("\r\n") + "\r\n\r\n";
    const answer = await postRaw(url, "/v1/events", body, "application/x-ndjson");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ appended: 3, duplicates: 0, lastPosition: 5 });
  });

  it("resending a batch gives all duplicates and appends nothing (JSON and NDJSON)", async () => {
    expect((await postEvents(url, [click("a-1"), click("a-2")])).body).toEqual({ appended: 0, duplicates: 2, lastPosition: 5 });
    expect((await postNdjson(url, [click("n-1"), click("n-2"), click("n-3")])).body).toEqual({
      appended: 0,
      duplicates: 3,
      lastPosition: 5,
    });
    expect(await head(url)).toBe(5);
  });

  it("counts new and duplicate events of one batch separately", async () => {
    const answer = await postEvents(url, [click("a-1"), click("a-3")]);
    expect(answer.body).toEqual({ appended: 1, duplicates: 1, lastPosition: 6 });
  });

  it("treats the same instant in another offset and the same data in another key order as a duplicate", async () => {
    // 2026-01-05T17:00:00Z == 2026-01-05T09:00:00-08:00; SPEC §2 compares the occurredAt instant and parsed data.
    const same = { data: { trackingId: "T-X" }, occurredAt: "2026-01-05T09:00:00-08:00", type: "ClickRecorded", id: "a-1" };
    const answer = await postEvents(url, [same]);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ appended: 0, duplicates: 1, lastPosition: 6 });
  });

  it("same id with other content: 409 naming the id, and the whole batch (with its new events) is refused", async () => {
    const before = await head(url);
    const answer = await postEvents(url, [click("c-new"), click("a-2", "T-OTHER")]);
    expectErrorShape(answer, 409);
    expect(answer.body.error.message).toContain("a-2");
    expect(JSON.stringify(answer.body.error.details)).toContain("a-2");
    expect(await head(url)).toBe(before);
    // c-new was not stored: sending it alone now appends it.
    expect((await postEvents(url, [click("c-new")])).body).toEqual({ appended: 1, duplicates: 0, lastPosition: before + 1 });
  });

  it("same id with other content over NDJSON: 409 naming the id, nothing appended", async () => {
    const before = await head(url);
    const answer = await postNdjson(url, [click("c-new-2"), click("n-3", "T-X", "2026-01-05T17:00:01Z")]);
    expectErrorShape(answer, 409);
    expect(answer.body.error.message).toContain("n-3");
    expect(await head(url)).toBe(before);
  });

  it("the same id twice in one batch with different content: 409 naming the id and both indexes, not 'already stored'; nothing appended", async () => {
    const before = await head(url);
    const answer = await postEvents(url, [click("d-0"), click("d-1"), click("d-1", "T-OTHER")]);
    expectErrorShape(answer, 409);
    const message = "event id 'd-1' appears twice in the batch, at indexes 1 and 2, with different content";
    expect(answer.body.error).toEqual({ code: "conflict", message, details: [{ index: 2, id: "d-1", path: "id", message }] });
    expect(await head(url)).toBe(before);
  });

  it("the same id twice in one batch with the same content: the second copy is a duplicate acknowledgement, stored once", async () => {
    const before = await head(url);
    const answer = await postEvents(url, [click("d-2"), click("d-3"), click("d-2")]);
    expect(answer.body).toEqual({ appended: 2, duplicates: 1, lastPosition: before + 2 });
  });

  it("an invalid batch: 400 with one details entry per problem (index, id, path, message), nothing appended", async () => {
    const before = await head(url);
    const batch = [
      click("v-1"), // 0: valid
      {
        id: "shp-bad",
        type: "ShipmentRecorded",
        occurredAt: "2026-01-06T18:00:00Z", // 1: money as a JSON number
        data: {
          shipmentId: "S",
          orderId: "O",
          trackingId: "T-X",
          orderedAt: "2026-01-05T18:00:00Z",
          lines: [{ asin: "A1", category: "toys", quantity: 1, unitPrice: 19.99 }],
        },
      },
      click("v-2"), // 2: valid
      { id: "clk-bad", type: "ClickRecorded", occurredAt: "2026-01-05T17:00:00", data: { trackingId: "T-X", color: "red" } }, // 3: no offset + unknown field
      { ...click("x"), id: "bad id!" }, // 4: id with characters outside A-Z a-z 0-9 . _ : -
      42, // 5: not an object
    ];
    const answer = await postEvents(url, batch);
    expectErrorShape(answer, 400);
    const details = answer.body.error.details as { index: number; id: string | null; path: string; message: string }[];
    for (const d of details) {
      expect(Object.keys(d).sort()).toEqual(["id", "index", "message", "path"]);
      expect(typeof d.message).toBe("string");
      expect(d.message.length).toBeGreaterThan(0);
    }
    expect(details.map(({ index, id, path }) => ({ index, id, path }))).toEqual([
      { index: 1, id: "shp-bad", path: "data.lines[0].unitPrice" },
      { index: 3, id: "clk-bad", path: "occurredAt" },
      { index: 3, id: "clk-bad", path: "data" },
      { index: 4, id: "bad id!", path: "id" },
      { index: 5, id: null, path: "" },
    ]);
    expect(details[2]!.message).toContain("color");
    expect(await head(url)).toBe(before);
    // The valid events of the refused batch were not stored.
    expect((await postEvents(url, [click("v-1"), click("v-2")])).body).toEqual({ appended: 2, duplicates: 0, lastPosition: before + 2 });
  });

  it("an NDJSON batch with one line that is not JSON: 400 naming the line, nothing appended", async () => {
    const before = await head(url);
    const body = `${JSON.stringify(click("w-1"))}\n{"id": "w-2", \n${JSON.stringify(click("w-3"))}\n`;
    const answer = await postRaw(url, "/v1/events", body, "application/x-ndjson");
    expectErrorShape(answer, 400);
    expect(answer.body.error.details).toHaveLength(1);
    expect(answer.body.error.details[0]).toMatchObject({ index: 1, id: null, path: "" });
    expect(answer.body.error.details[0].message).toContain("line 2");
    expect(await head(url)).toBe(before);
  });

  it("an NDJSON batch with several lines that are not JSON: 400 with one details entry per bad line, nothing appended", async () => {
    const before = await head(url);
    const notJson = (text: string) => {
      try {
        return JSON.parse(text) as never;
      } catch (error) {
        return `not valid JSON: ${(error as Error).message}`;
      }
    };
    const body = [JSON.stringify(click("u-1")), "{not json", JSON.stringify(click("u-2")), "", "[1,", "}"].join("\n") + "\n";
    const answer = await postRaw(url, "/v1/events", body, "application/x-ndjson");
    expectErrorShape(answer, 400);
    // `index` counts events (non-blank lines); the message names the line.
    expect(answer.body.error.details).toEqual([
      { index: 1, id: null, path: "", message: `line 2: ${notJson("{not json")}` },
      { index: 3, id: null, path: "", message: `line 5: ${notJson("[1,")}` },
      { index: 4, id: null, path: "", message: `line 6: ${notJson("}")}` },
    ]);
    expect(await head(url)).toBe(before);
  });

  it("NDJSON sent as application/json: 400 naming NDJSON and the Content-Type to send, nothing appended", async () => {
    const before = await head(url);
    const body = toNdjson([click("nj-1"), click("nj-2")]);
    const answer = await postRaw(url, "/v1/events", body, "application/json");
    expectErrorShape(answer, 400);
    expect(answer.body.error.message).toBe(
      "the body looks like NDJSON; send it as Content-Type: application/x-ndjson " +
        `(as application/json it is not valid JSON: Unexpected non-whitespace character after JSON at position ${JSON.stringify(click("nj-1")).length + 1})`, // after line 1 and its newline
    );
    expect(await head(url)).toBe(before);
  });

  it("malformed JSON: 400 in the SPEC error shape", async () => {
    const before = await head(url);
    expectErrorShape(await postRaw(url, "/v1/events", '[{"id": "m-1", ', "application/json"), 400);
    expectErrorShape(await postRaw(url, "/v1/events", "", "application/json"), 400);
    expectErrorShape(await postRaw(url, "/v1/events", "null", "application/json"), 400);
    expectErrorShape(await postRaw(url, "/v1/events", '"text"', "application/json"), 400);
    expect(await head(url)).toBe(before);
  });

  it("a prototype-polluting key is refused with 400 naming the key and where it is (D8)", async () => {
    const before = await head(url);
    const event = `{"id":"p-1","type":"ClickRecorded","occurredAt":"2026-01-05T17:00:00Z","data":{"trackingId":"T","__proto__":{"x":1}}}`;
    const envelope = `{"__proto__":{"x":1},"id":"p-2","type":"ClickRecorded","occurredAt":"2026-01-05T17:00:00Z","data":{"trackingId":"T"}}`;
    const constructor = `{"id":"p-3","type":"ClickRecorded","occurredAt":"2026-01-05T17:00:00Z","data":{"trackingId":"T","constructor":{"prototype":{"x":1}}}}`;
    const expected = [
      { index: 0, id: "p-1", path: "data", message: "unknown field: __proto__" },
      { index: 1, id: "p-2", path: "", message: "unknown field: __proto__" },
      { index: 2, id: "p-3", path: "data", message: "unknown field: constructor" },
    ];
    const json = await postRaw(url, "/v1/events", `[${event},${envelope},${constructor}]`, "application/json");
    expectErrorShape(json, 400);
    expect(json.body.error.details).toEqual(expected);
    const ndjson = await postRaw(url, "/v1/events", `${event}\n${envelope}\n${constructor}\n`, "application/x-ndjson");
    expectErrorShape(ndjson, 400);
    expect(ndjson.body.error.details).toEqual(expected);
    const payoutRun = await postRaw(
      url,
      "/v1/payouts/run",
      `{"marketplace":"US","asOf":"2026-04-02","__proto__":{"x":1}}`,
      "application/json",
    );
    expectErrorShape(payoutRun, 400);
    expect(payoutRun.body.error.details).toEqual([{ path: "__proto__", message: "unknown field; this route takes marketplace, asOf" }]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(await head(url)).toBe(before);
  });

  it("wrong content type: 415 in the SPEC error shape, nothing appended", async () => {
    const before = await head(url);
    const ndjson = toNdjson([click("ct-1")]);
    expectErrorShape(await postRaw(url, "/v1/events", ndjson, "application/xml"), 415);
    expectErrorShape(await postRaw(url, "/v1/events", ndjson, "application/x-www-form-urlencoded"), 415);
    expect(await head(url)).toBe(before);
  });

  it("only JSON and NDJSON bodies, in UTF-8 and uncompressed, are read: anything else is 415 before parsing (D2, D8)", async () => {
    const before = await head(url);
    const json = JSON.stringify([click("enc-1")]);
    const refused = async (headers: Record<string, string>, body: string | Blob, message: RegExp) => {
      const response = await fetch(`${url}/v1/events`, { method: "POST", headers, body });
      const answer = {
        status: response.status,
        headers: response.headers,
        text: await response.text(),
        body: undefined as any,
        method: "POST",
        url,
      };
      answer.body = JSON.parse(answer.text);
      expectErrorShape(answer, 415, "unsupported_media_type");
      expect(answer.body.error.message).toMatch(message);
    };
    await refused(
      { "content-type": "application/json", "content-encoding": "gzip" },
      new Blob([gzipSync(json)]),
      /Content-Encoding gzip is not supported: send the body uncompressed/,
    );
    await refused({ "content-type": "application/x-ndjson", "content-encoding": "br" }, json, /send the body uncompressed/);
    await refused({ "content-type": "application/json; charset=latin1" }, json, /charset latin1 is not supported: send UTF-8/);
    await refused({ "content-type": "application/x-ndjson; charset=utf-16" }, json, /charset utf-16/);
    await refused(
      { "content-type": "application/vnd.api+json" },
      json,
      /Content-Type application\/vnd.api\+json is not supported: send application\/json or application\/x-ndjson or application\/ndjson/,
    );
    await refused({}, new Blob([json]), /a body needs a Content-Type/); // (fetch labels a string text/plain)
    expect(await head(url)).toBe(before);
    // UTF-8 in any spelling of the name, identity encoding, and application/ndjson are read.
    expect((await postRaw(url, "/v1/events", json, 'application/json; charset="UTF-8"')).body).toEqual({
      appended: 1,
      duplicates: 0,
      lastPosition: before + 1,
    });
    const response = await fetch(`${url}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/ndjson; charset=utf-8", "content-encoding": "identity" },
      body: toNdjson([click("enc-1"), click("enc-2")]),
    });
    expect(await response.json()).toEqual({ appended: 1, duplicates: 1, lastPosition: before + 2 });
  });

  it("text/plain is not one of the SPEC's formats (JSON array, NDJSON as application/x-ndjson): 415", async () => {
    const before = await head(url);
    const answer = await postRaw(url, "/v1/events", toNdjson([click("ct-2")]), "text/plain");
    expectErrorShape(answer, 415);
    expect(await head(url)).toBe(before);
  });

  it("two identical batches sent concurrently: each event stored once, the other answer counts duplicates", async () => {
    const before = await head(url);
    const batch = [click("r-1"), click("r-2"), click("r-3")];
    const [a, b] = await Promise.all([postEvents(url, batch), postNdjson(url, batch)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.appended + b.body.appended).toBe(3);
    expect(a.body.duplicates + b.body.duplicates).toBe(3);
    expect(await head(url)).toBe(before + 3);
  });

  it("two conflicting batches sent concurrently: one is stored, the other is refused with 409", async () => {
    const before = await head(url);
    const [a, b] = await Promise.all([postEvents(url, [click("q-1", "T-A")]), postEvents(url, [click("q-1", "T-B")])]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const refused = a.status === 409 ? a : b;
    expectErrorShape(refused, 409);
    expect(refused.body.error.message).toContain("q-1");
    expect(await head(url)).toBe(before + 1);
  });

  it("an empty batch appends nothing", async () => {
    const before = await head(url);
    expect((await postEvents(url, [])).body).toEqual({ appended: 0, duplicates: 0, lastPosition: before });
  });

  const acceptance = (id: string, creatorId: string) => ({
    id,
    type: "CampaignAccepted",
    occurredAt: "2026-01-05T17:00:00Z",
    data: { campaignId: "C-ids", creatorId, trackingId: `T-${id}` },
  });
  // Lone surrogates, right-to-left override, zero-width space, a non-character, space, a letter outside ASCII, a slash, NUL.
  const BAD = ["K\ud800", "K\udfff", "K\u202e1", "K\u200b", "K\uffff", "K 1", "Kü", "K/1", "K\u0000"];

  it("an id with a character outside A-Z a-z 0-9 . _ : - is refused with 400 naming the allowed characters, in a body and in a URL (D8)", async () => {
    const before = await head(url);
    const answer = await postEvents(
      url,
      BAD.map((creatorId, i) => acceptance(`id-bad-${i}`, creatorId)),
    );
    expectErrorShape(answer, 400);
    expect(answer.body.error.details).toEqual(
      BAD.map((_, i) => ({ index: i, id: `id-bad-${i}`, path: "data.creatorId", message: "may contain only A-Z a-z 0-9 . _ : -" })),
    );
    for (const bad of BAD.filter((b) => !/[\ud800-\udfff]/.test(b))) {
      const read = await get(url, `/v1/creators/${encodeURIComponent(bad)}/earnings`);
      expectErrorShape(read, 400);
      expect(read.body.error.details).toEqual([{ path: "creatorId", message: "may contain only A-Z a-z 0-9 . _ : -" }]);
    }
    expect(await head(url)).toBe(before);
  });

  it("ids of every allowed character, 1 and 128 long, are stored and read back by their URL; 129 is refused (D8)", async () => {
    const ids = ["AZaz09._:-", "k", "k".repeat(128)];
    expect(
      (
        await postEvents(
          url,
          ids.map((creatorId, i) => acceptance(`id-ok-${i}`, creatorId)),
        )
      ).body,
    ).toMatchObject({ appended: 3 });
    await waitForProjections(url);
    for (const creatorId of ids) expect((await get(url, `/v1/creators/${encodeURIComponent(creatorId)}/earnings`)).status).toBe(200);
    expectErrorShape(await postEvents(url, [acceptance("id-long", "k".repeat(129))]), 400);
    expectErrorShape(await get(url, `/v1/creators/${"k".repeat(129)}/earnings`), 400);
  });

  it("no answer was a 5xx and every error had the SPEC shape", () => {
    expectNo5xxAndErrorShapes();
  });
});

describe("POST /v1/events limits (LEDGER_BODY_LIMIT_BYTES=2048, LEDGER_BATCH_MAX=3)", () => {
  let server: E2eServer;
  let url: string;

  beforeAll(async () => {
    server = await startE2eServer({ env: { LEDGER_BODY_LIMIT_BYTES: "2048", LEDGER_BATCH_MAX: "3" } });
    url = server.baseUrl;
  });
  afterAll(async () => {
    await server?.destroy();
  });

  const bigContent = (id: string) => ({
    id,
    type: "ContentLinkSubmitted",
    occurredAt: "2026-01-02T12:00:00Z",
    data: { campaignId: "C", creatorId: "K", url: "https://example.com/x", disclosure: `#ad ${"x".repeat(1500)}` },
  });

  it("more events than LEDGER_BATCH_MAX: 413, nothing appended (JSON and NDJSON)", async () => {
    const four = [click("l-1"), click("l-2"), click("l-3"), click("l-4")];
    expect(JSON.stringify(four).length).toBeLessThan(2048);
    const json = await postEvents(url, four);
    expectErrorShape(json, 413);
    const nd = await postNdjson(url, four);
    expectErrorShape(nd, 413);
    expect(await head(url)).toBe(0);
  });

  it("a body larger than LEDGER_BODY_LIMIT_BYTES: 413, nothing appended (JSON and NDJSON)", async () => {
    const two = [bigContent("b-1"), bigContent("b-2")];
    expect(JSON.stringify(two).length).toBeGreaterThan(2048);
    expectErrorShape(await postEvents(url, two), 413);
    expectErrorShape(await postNdjson(url, two), 413);
    expect(await head(url)).toBe(0);
  });

  it("a batch at the limits is accepted", async () => {
    const three = [click("l-1"), click("l-2"), click("l-3")];
    expect((await postEvents(url, three)).body).toEqual({ appended: 3, duplicates: 0, lastPosition: 3 });
    expect((await postEvents(url, [bigContent("b-1")])).body).toEqual({ appended: 1, duplicates: 0, lastPosition: 4 });
  });

  it("no answer was a 5xx and every error had the SPEC shape", async () => {
    expect((await get(url, "/v1/health")).status).toBe(200);
    expectNo5xxAndErrorShapes();
  });
});

describe("POST /v1/payouts/run input errors", () => {
  let server: E2eServer;
  beforeAll(async () => {
    server = await startE2eServer();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("refuses bad bodies with 400 in the SPEC error shape", async () => {
    const url = server.baseUrl;
    expectErrorShape(await postJson(url, "/v1/payouts/run", { marketplace: "XX", asOf: "2026-04-02" }), 400);
    expectErrorShape(await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-02-30" }), 400);
    expectErrorShape(await postJson(url, "/v1/payouts/run", { marketplace: "US" }), 400);
    expectErrorShape(await postJson(url, "/v1/payouts/run", []), 400);
    expectErrorShape(await postRaw(url, "/v1/payouts/run", "{", "application/json"), 400);
    expect((await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-02" })).body).toEqual(
      usRunAnswer("2026-04-02", 0, []),
    );
    expectNo5xxAndErrorShapes();
  });
});
