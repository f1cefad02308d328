// What a caller who gets a request slightly wrong is told (issue 16.2): an unknown query parameter
// is a 400 naming it (never silently ignored: `?asOfPositon=100` would otherwise answer "now"), on
// every route; a missing one says that it is required and its format. Nothing changes either way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepted, campaignCreated } from "../support/domainFixtures.ts";
import { get, head, postJson, startE2eServer, waitForProjections, type E2eServer } from "../support/e2eServer.ts";

let server: E2eServer;
beforeAll(async () => {
  server = await startE2eServer();
  await postJson(server.baseUrl, "/v1/events", [
    campaignCreated({ id: "re-cc", campaignId: "CR" }),
    accepted({ id: "re-acc", campaignId: "CR", creatorId: "KR", trackingId: "TR" }),
  ]);
  await waitForProjections(server.baseUrl);
});
afterAll(async () => {
  await server.destroy();
});

describe("unknown query parameters", () => {
  it("a read names the misspelt parameter and the ones it takes", async () => {
    const answer = await get(server.baseUrl, "/v1/creators/KR/earnings?asOfPositon=1");
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        code: "invalid_request",
        message: "invalid query: asOfPositon",
        details: [{ path: "asOfPositon", message: "unknown query parameter; this route takes asOfPosition, minPosition" }],
      },
    });
  });

  it("a route that takes no query refuses one, and appends nothing", async () => {
    const before = await head(server.baseUrl);
    const answer = await postJson(server.baseUrl, "/v1/events?dryRun=1", [campaignCreated({ id: "re-cc-2", campaignId: "CR2" })]);
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      { path: "dryRun", message: "unknown query parameter; this route takes no query parameters" },
    ]);
    expect(await head(server.baseUrl)).toBe(before);
    expect((await get(server.baseUrl, "/v1/health?verbose=1")).status).toBe(400);
  });
});

describe("missing parameters", () => {
  it("say which one is required and its format", async () => {
    const answer = await get(server.baseUrl, "/v1/creators/KR/report?to=2026-03-31");
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe("invalid query: from");
    expect(answer.body.error.details).toEqual([{ path: "from", message: "required query parameter: local date YYYY-MM-DD" }]);
  });

  it("in a body too", async () => {
    const answer = await postJson(server.baseUrl, "/v1/payouts/run", { marketplace: "US" });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      { path: "asOf", message: "required field: local date YYYY-MM-DD: pay what is payable on this day" },
    ]);
    const bad = await postJson(server.baseUrl, "/v1/payouts/run", { marketplace: "XX", asOf: "2026-01-01" });
    expect(bad.body.error.details).toEqual([{ path: "marketplace", message: "must be one of US, CA, UK, DE, IN, JP" }]);
  });
});
