// How fast one webhook endpoint's deliveries go over loopback (issue 22.4): a ledger with every
// projector in this process and one endpoint subscribed to posting.created. `drain`: the receiver
// answers 503 until the whole backlog is queued (the outbox filled by the projector), then 200 at
// once. `live`: it answers 200 from the start while the events are posted as fast as the ledger
// takes them, so deliveries compete with the projector. Prints the deliveries per second from the
// first 2xx to the last delivery, and how many connections the receiver saw meanwhile. Not a test:
// timings are printed, never asserted.
//
//   node --import tsx tests/load/webhookDeliveryRate.ts [shipments=5000] [drain|live]
//
// Each shipment of a toy at 10.00 gives two entries (standard and bonus_pending): 2 × shipments deliveries.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { accepted, campaignCreated, line, shipped } from "../support/domainFixtures.ts";
import { postEvents, startE2eServer, waitForProjections } from "../support/e2eServer.ts";

const SHIPMENTS = Number(process.argv[2] ?? 5_000);
const MODE = process.argv[3] ?? "drain";
const BATCH_EVENTS = 1_000;

let open = MODE === "live";
let delivered = 0;
let connections = 0;
let firstDeliveredMs = 0;
let lastDeliveredMs = 0;
const receiver = http.createServer((request, response) => {
  request.resume().on("end", () => {
    if (!open) return void response.writeHead(503).end();
    if (delivered === 0) firstDeliveredMs = performance.now();
    delivered += 1;
    lastDeliveredMs = performance.now();
    response.writeHead(204).end();
  });
});
receiver.on("connection", () => (connections += 1));
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

const server = await startE2eServer({
  env: {
    LEDGER_WEBHOOK_KEY: "bench-webhook-key-0123456789abcdef-0123456789",
    LEDGER_WEBHOOK_ALLOW_PRIVATE: "1",
    LEDGER_WEBHOOK_POLL_MS: "10",
    LEDGER_WEBHOOK_RETRY_BASE_MS: "20",
    LEDGER_WEBHOOK_RETRY_MAX_MS: "100",
  },
});
try {
  const registered = await fetch(`${server.baseUrl}/v1/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url, events: ["posting.created"] }),
  });
  if (registered.status !== 201) throw new Error(`registration: ${registered.status} ${await registered.text()}`);
  const events = [
    campaignCreated({ id: "b-cc", campaignId: "C1", budget: "1000000.00" }),
    accepted({ id: "b-acc", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
  ];
  for (let i = 0; i < SHIPMENTS; i += 1)
    events.push(shipped({ id: `b-shp-${i}`, trackingId: "T1", lines: [line("A1", "toys", 1, "10.00")] }));
  const connectionsBefore = connections;
  const ingestStartedMs = performance.now();
  for (let i = 0; i < events.length; i += BATCH_EVENTS) {
    const answer = await postEvents(server.baseUrl, events.slice(i, i + BATCH_EVENTS));
    if (answer.status !== 200) throw new Error(`ingest: ${answer.status} ${answer.text}`);
  }
  await waitForProjections(server.baseUrl, 300_000);
  const projectedSeconds = (performance.now() - ingestStartedMs) / 1000;
  const expected = 1 + 2 * SHIPMENTS; // the budget's funding entry, then two per shipment
  open = true;
  const deadline = Date.now() + 600_000;
  while (delivered < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const seconds = (lastDeliveredMs - firstDeliveredMs) / 1000;
  console.log(
    JSON.stringify({
      mode: MODE,
      deliveries: delivered,
      expected,
      seconds: Number(seconds.toFixed(2)),
      deliveriesPerSecond: Math.round(delivered / seconds),
      connections: connections - connectionsBefore,
      ...(MODE === "live" ? { ingestedAndProjectedSeconds: Number(projectedSeconds.toFixed(2)) } : {}),
    }),
  );
} finally {
  await server.destroy();
  receiver.closeAllConnections();
  receiver.close();
}
