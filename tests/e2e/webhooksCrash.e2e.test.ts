// Webhook deliveries survive SIGKILL (SPEC §11: at least once, in position order per endpoint).
// A real `ledger serve` process (tests/support/serverChild.ts) delivers to a receiver on
// 127.0.0.1; the demo data set arrives in batches, and after each batch the process is SIGKILLed
// once deliveries of that batch have started arriving, then started again over the same data
// directory. In the end every feed item has reached the receiver at least once, their first
// arrivals are exactly the feed in position order (none skipped, none out of order), and every
// body's signature verifies. Repeats (what was in flight at a kill) are allowed and counted.
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { demoDataset } from "../../workload/demoDataset.ts";
import { postJson, waitForProjections } from "../support/e2eServer.ts";
import { tempDir } from "../support/projectionHarness.ts";
import { startServer, type ServerChild } from "../support/serverChild.ts";
import { signatureVerifies, startWebhookReceiver, type WebhookReceiver } from "../support/webhookReceiver.ts";

const KILLS = 4;
const SETTLE_TIMEOUT_MS = 60_000;
const ENV = {
  LEDGER_WEBHOOK_KEY: "crash-webhook-key-0123456789abcdef-0123456789",
  LEDGER_WEBHOOK_ALLOW_PRIVATE: "1",
  LEDGER_WEBHOOK_POLL_MS: "10",
  LEDGER_WEBHOOK_RETRY_BASE_MS: "20",
  LEDGER_WEBHOOK_RETRY_MAX_MS: "100",
};

/** Every feed item, paged from 0, once every projection has reached the store's head. */
async function wholeFeed(baseUrl: string): Promise<{ entryId: string }[]> {
  await waitForProjections(baseUrl, SETTLE_TIMEOUT_MS);
  const items: { entryId: string }[] = [];
  let after = "0";
  for (;;) {
    const page = (await (await fetch(`${baseUrl}/v1/feed?after=${after}&limit=1000`)).json()) as {
      items: { entryId: string }[];
      nextAfter: string;
    };
    items.push(...page.items);
    if (page.items.length < 1000) return items;
    after = page.nextAfter;
  }
}

describe("webhook deliveries under SIGKILL", () => {
  const dir = tempDir("ledger-webhook-crash-");
  let server: ServerChild | null = null;
  let receiver: WebhookReceiver | null = null;

  afterAll(async () => {
    await server?.kill();
    await receiver?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`every entry reaches the receiver at least once and in order across ${KILLS} kills during deliveries`, async () => {
    receiver = await startWebhookReceiver();
    receiver.plan = () => ({ status: 200, delayMs: 3 }); // a little time in flight, so kills land inside requests
    server = await startServer({ dataDir: dir, env: ENV });
    const registration = await postJson(server.url, "/v1/webhooks", { url: receiver.url, events: ["posting.created", "anomaly.recorded"] });
    expect(registration.status).toBe(201);

    const events = demoDataset();
    const batchSize = Math.ceil(events.length / (KILLS + 1));
    const killedWith: { received: number }[] = [];
    for (let k = 0; k <= KILLS; k += 1) {
      const appended = await postJson(server.url, "/v1/events", events.slice(k * batchSize, (k + 1) * batchSize));
      expect(appended.status).toBe(200);
      if (k === KILLS) break;
      // Kill once this batch's deliveries are arriving (the process is mid-stream).
      const before = receiver.received.length;
      await receiver.waitUntil(() => receiver!.received.length >= before + 3, SETTLE_TIMEOUT_MS, `deliveries after batch ${k}`);
      await server.kill();
      killedWith.push({ received: receiver.received.length });
      server = await startServer({ dataDir: dir, env: ENV });
    }

    const feed = await wholeFeed(server.url);
    expect(feed.length).toBeGreaterThan(200); // the demo data set: 296 entries and anomalies
    await receiver.waitUntil(() => receiver!.firstArrivals().length >= feed.length, SETTLE_TIMEOUT_MS, "every feed item");
    // None skipped, none out of order: the first arrival of each entryId is the feed, in position order.
    expect(receiver.firstArrivals()).toEqual(feed.map((i) => i.entryId));
    // Every kill interrupted the stream: more was still to come when it landed.
    for (const kill of killedWith) expect(kill.received).toBeLessThan(feed.length);
    for (const r of receiver.received) expect(signatureVerifies(r, registration.body.secret), `request ${r.ordinal}`).toBe(true);
    const repeats = receiver.received.length - feed.length;
    process.stdout.write(
      `webhook crash: ${JSON.stringify({ kills: KILLS, feedItems: feed.length, requests: receiver.received.length, repeats })}\n`,
    );
  });
});
