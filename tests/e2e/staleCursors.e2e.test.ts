// Issue 22.8: a paging cursor past the store's head — one kept by a consumer from before the store
// was restored from a backup, or from another store — answers 400 like an asOfPosition past the
// head, instead of 200 with an empty page forever; so does one past asOfPosition (SPEC §8.2: as a
// ledger holding only the events up to it answers). A cursor at either is an empty page. Every
// paged read with a position cursor: the feed, a creator's ledger, anomalies, an account's entries,
// the event log, an endpoint's deliveries. Over real sockets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectErrorShape, get, postEvents, postJson, startE2eServer, waitForProjections, type E2eServer } from "../support/e2eServer.ts";
import { ALL_EVENTS } from "./fixture.ts";

/** The fixture's 18 events, then one webhook registration. */
const HEAD = ALL_EVENTS.length + 1;

function pastTheHead(afterPosition: number): string {
  return `after ${afterPosition} is beyond the store's head (${HEAD}): a cursor this store never handed out (kept from before a restore, or from another store); page from a position ≤ ${HEAD}`;
}

describe("cursors past the store's head (issue 22.8)", () => {
  let server: E2eServer;
  let url: string;
  let routes: string[];

  beforeAll(async () => {
    server = await startE2eServer({
      env: { LEDGER_WEBHOOK_KEY: "test-webhook-key-0123456789abcdef-0123456789", LEDGER_WEBHOOK_ALLOW_PRIVATE: "1" },
    });
    url = server.baseUrl;
    expect((await postEvents(url, ALL_EVENTS)).status).toBe(200);
    // Port 9 (discard) for campaign.ended after position 19: nothing is ever delivered to it.
    const registered = await postJson(url, "/v1/webhooks", { url: "http://127.0.0.1:9/hook", events: ["campaign.ended"] });
    expect(registered.body.position).toBe(HEAD);
    expect(await waitForProjections(url)).toBe(HEAD);
    routes = [
      "/v1/feed",
      "/v1/creators/K1/ledger",
      "/v1/anomalies",
      "/v1/accounts/creator:K1:US:earned/entries",
      "/v1/events",
      `/v1/webhooks/${registered.body.webhookId}/deliveries`,
    ];
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("a cursor past the head is 400 invalid_request naming the cursor and the head, on every paged read", async () => {
    for (const route of routes) {
      const answer = await get(url, `${route}?after=${HEAD + 1}`);
      expectErrorShape(answer, 400, "invalid_request");
      expect({ route, message: answer.body.error.message }).toEqual({ route, message: pastTheHead(HEAD + 1) });
    }
  });

  it("the feed's cursor as issue 22 found it (position.seq far past the head) is 400 too", async () => {
    for (const route of routes.filter((r) => r !== "/v1/events")) {
      const answer = await get(url, `${route}?after=999999999999.99`);
      expectErrorShape(answer, 400, "invalid_request");
      expect({ route, message: answer.body.error.message }).toEqual({ route, message: pastTheHead(999_999_999_999) });
    }
    expect((await get(url, "/v1/events?after=999999999999")).body.error.message).toBe(pastTheHead(999_999_999_999));
  });

  it("a cursor at the head is an empty page, 200", async () => {
    const feed = await get(url, `/v1/feed?after=${HEAD}`);
    expect(feed.body).toEqual({ asOfPosition: HEAD, items: [], nextAfter: String(HEAD) });
    expect((await get(url, `/v1/feed?after=${HEAD}.5`)).body).toEqual({ asOfPosition: HEAD, items: [], nextAfter: String(HEAD) });
    expect((await get(url, `/v1/events?after=${HEAD}`)).body).toEqual({ asOfPosition: HEAD, events: [], next: null });
    for (const route of routes) {
      const answer = await get(url, `${route}?after=${HEAD}`);
      expect({ route, status: answer.status }).toEqual({ route, status: 200 });
    }
  });

  it("a cursor past asOfPosition is 400 too, as on a ledger that stored only the events up to it (SPEC §8.2); at asOfPosition it is an empty page", async () => {
    for (const route of routes.filter((r) => !r.endsWith("/deliveries"))) {
      const answer = await get(url, `${route}?after=6&asOfPosition=5`);
      expectErrorShape(answer, 400, "invalid_request");
      expect({ route, message: answer.body.error.message }).toEqual({
        route,
        message: "after 6 is beyond asOfPosition 5: a read as of 5 holds nothing after it",
      });
    }
    expect((await get(url, "/v1/feed?after=5&asOfPosition=5")).body).toEqual({ asOfPosition: 5, items: [], nextAfter: "5" });
    expect((await get(url, "/v1/events?after=5&asOfPosition=5")).body).toEqual({ asOfPosition: 5, events: [], next: null });
  });
});
