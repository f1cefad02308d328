// One endpoint's kept-alive connection (issue 22.4, infra/webhooks/postWebhook.ts) against real
// receivers on 127.0.0.1: deliveries share one connection, a connection the agent opens still goes
// only to a vetted address, and a kept connection the receiver closed is replaced once, at once.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { endpointAgent, postWebhook, type EndpointAgent } from "../../infra/webhooks/postWebhook.ts";

interface Receiver {
  url: URL;
  connections: number;
  requests: number;
  close(): Promise<void>;
}

/** A receiver answering 204; `dropNth` = n: the n-th request on each connection is not answered, its connection is closed. */
async function receiver(dropNth?: number): Promise<Receiver> {
  const r = { connections: 0, requests: 0 } as Receiver;
  const perSocket = new WeakMap<object, number>();
  const server = http.createServer((request, response) => {
    request.resume().on("end", () => {
      r.requests += 1;
      const n = (perSocket.get(request.socket) ?? 0) + 1;
      perSocket.set(request.socket, n);
      if (n === dropNth) request.socket.destroy();
      else response.writeHead(204).end();
    });
  });
  server.on("connection", () => (r.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  r.url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`);
  r.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return r;
}

const open: { receivers: Receiver[]; agents: EndpointAgent[] } = { receivers: [], agents: [] };
afterEach(async () => {
  for (const agent of open.agents.splice(0)) agent.destroy();
  for (const r of open.receivers.splice(0)) await r.close();
});

async function setUp(options: { dropNth?: number; allowPrivate: boolean; host?: string }) {
  const r = await receiver(options.dropNth);
  open.receivers.push(r);
  const url = new URL(r.url);
  if (options.host !== undefined) url.hostname = options.host;
  const agent = endpointAgent(url, options.allowPrivate);
  open.agents.push(agent);
  const post = (body: string) =>
    postWebhook(
      url,
      body,
      { "content-type": "application/json" },
      { timeoutMs: 2_000, allowPrivate: options.allowPrivate, signal: new AbortController().signal, agent },
    );
  return { r, post };
}

describe("an endpoint's agent", () => {
  it("sends five deliveries one after another over one connection", async () => {
    const { r, post } = await setUp({ allowPrivate: true });
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await post(`{"entryId":"${i}:0"}`));
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ statusCode: 204 })));
    expect([r.requests, r.connections]).toEqual([5, 1]);
  });

  it("opens connections only to vetted addresses: localhost is refused without LEDGER_WEBHOOK_ALLOW_PRIVATE, and nothing connects", async () => {
    const { r, post } = await setUp({ allowPrivate: false, host: "localhost" });
    const result = await post("{}");
    expect(result).toEqual({
      error: expect.stringMatching(/^ENONPUBLIC: localhost resolves to the non-public address (127\.0\.0\.1|::1)$/),
    });
    expect([r.requests, r.connections]).toEqual([0, 0]);
  });

  it("replaces a kept connection the receiver closed, once: the delivery is sent again on a new one", async () => {
    const { r, post } = await setUp({ allowPrivate: true, dropNth: 2 });
    expect(await post('{"entryId":"1:0"}')).toEqual({ statusCode: 204 });
    // The second request on the kept connection finds it closed; it is sent again on a second connection.
    expect(await post('{"entryId":"2:0"}')).toEqual({ statusCode: 204 });
    expect([r.requests, r.connections]).toEqual([3, 2]);
  });
});
