// A webhook receiver for the tests: a real HTTP server on 127.0.0.1 (port 0) that records every
// request (headers, raw body) and answers each as its plan says: a status, after a delay (longer
// than the sender's timeout: "answers slowly"), or by closing the connection without an answer.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "../../infra/webhooks/signature.ts";

export type Answer = { status: number; delayMs?: number } | { close: true };

export interface ReceivedRequest {
  /** 0, 1, 2, … in the order the requests arrived. */
  ordinal: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { entryId: string; type: string; data: Record<string, unknown> };
  answer: Answer;
}

export interface WebhookReceiver {
  url: string;
  readonly received: ReceivedRequest[];
  /** TCP connections the sender opened so far (kept alive: one per endpoint while it keeps sending). */
  readonly connections: number;
  /** How to answer the request with this ordinal (default: 200 at once). */
  plan: (ordinal: number, entryId: string) => Answer;
  /** Polls until `check` holds (10 ms), or throws naming `what` after timeoutMs. */
  waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void>;
  /** entryIds in the order each first arrived (however it was answered): what "in position order" is about. */
  firstArrivals(): string[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  let connections = 0;
  const receiver = {
    url: "",
    received,
    get connections() {
      return connections;
    },
    plan: (() => ({ status: 200 })) as WebhookReceiver["plan"],
  } as WebhookReceiver;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const json = JSON.parse(body) as ReceivedRequest["json"];
      const ordinal = received.length;
      const answer = receiver.plan(ordinal, json.entryId);
      received.push({ ordinal, path: request.url ?? "", headers: request.headers, body, json, answer });
      if ("close" in answer) {
        request.socket.destroy();
        return;
      }
      const reply = () => {
        if (!response.destroyed) response.writeHead(answer.status, { "content-type": "text/plain" }).end("ok");
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs).unref();
      else reply();
    });
  });
  server.on("connection", (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/ledger`;
  receiver.waitUntil = async (check, timeoutMs, what) => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${received.length} requests received)`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  receiver.firstArrivals = () => [...new Set(received.map((r) => r.json.entryId))];
  receiver.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

/** Whether a recorded request's Ledger-Signature verifies with `secret` (now, within the default tolerance). */
export function signatureVerifies(request: ReceivedRequest, secret: string): boolean {
  const header = request.headers["ledger-signature"];
  return typeof header === "string" && verifySignature(secret, request.body, header, Math.floor(Date.now() / 1000));
}
