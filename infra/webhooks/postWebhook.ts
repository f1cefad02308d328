// One webhook request (SPEC §11): POST the body with its headers and wait for the status line, at
// most `timeoutMs` in all (DNS, connect, TLS, the receiver's answer). Redirects are not followed
// (a 3xx is a failure: following one could lead to an address nobody vetted). Connections go only
// to the addresses the lookup vetted (addressPolicy.ts).
//
// Connections are kept alive, one per endpoint (endpointAgent): a new connection per delivery
// bounds an endpoint's rate by connection setup (issue 22.4; docs/scaling.md). A kept connection was
// opened through the vetted lookup, so it still reaches only a vetted address.
import http from "node:http";
import https from "node:https";
import { vettedLookup } from "./addressPolicy.ts";

export type PostResult = { statusCode: number } | { error: string };

/** Longest error text kept in the delivery log. */
const ERROR_MAX_CHARS = 300;
/** An answer's body is read (so its connection can carry the next delivery) up to this; a longer one closes the connection. */
const ANSWER_BODY_MAX_BYTES = 64 * 1024;
/**
 * An idle kept connection is closed after this (sooner when the receiver's Keep-Alive header says
 * so): under Node's default server keep-alive of 5 s, so the receiver rarely closes it first.
 */
const IDLE_CONNECTION_MS = 4_000;
/** Errors of a kept connection the receiver closed while it was idle: the request never reached it. */
const STALE_CONNECTION_CODES = new Set(["ECONNRESET", "EPIPE"]);

export type EndpointAgent = http.Agent;

/** The agent of one endpoint: one kept-alive connection, opened only to vetted addresses. */
export function endpointAgent(url: URL, allowPrivate: boolean): EndpointAgent {
  const options = { keepAlive: true, maxSockets: 1, maxFreeSockets: 1, timeout: IDLE_CONNECTION_MS, lookup: vettedLookup(allowPrivate) };
  return url.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
}

export interface PostOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  signal: AbortSignal;
  /** The endpoint's agent (endpointAgent); without one, a connection of its own that is closed after. */
  agent?: EndpointAgent;
}

/** What one send got; `stale`: a kept connection the receiver had closed (the error's text). */
type Sent = PostResult | { stale: string };

export async function postWebhook(
  url: URL,
  body: string,
  headers: Readonly<Record<string, string>>,
  options: PostOptions,
): Promise<PostResult> {
  const deadlineMs = Date.now() + options.timeoutMs;
  const first = await send(url, body, headers, options, options.timeoutMs);
  if (!("stale" in first)) return first;
  // Sent once more, on a new connection: the receiver closed the kept one just as it was reused.
  // Once more at most; a receiver that did get the first one de-duplicates it (at least once).
  const again = await send(url, body, headers, options, Math.max(1, deadlineMs - Date.now()));
  return "stale" in again ? { error: again.stale.slice(0, ERROR_MAX_CHARS) } : again;
}

function send(url: URL, body: string, headers: Readonly<Record<string, string>>, options: PostOptions, timeoutMs: number): Promise<Sent> {
  return new Promise((resolve) => {
    let settled = false;
    let statusCode: number | null = null;
    const finish = (result: Sent) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal.removeEventListener("abort", onAbort);
      resolve(result);
    };
    const transport = url.protocol === "https:" ? https : http;
    const request = transport.request(url, {
      method: "POST",
      agent: options.agent ?? false,
      lookup: vettedLookup(options.allowPrivate),
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
    });
    // Once the status line is in, it is the answer, whatever becomes of the rest of the body.
    const fail = (message: string) => {
      finish(statusCode !== null ? { statusCode } : { error: message.slice(0, ERROR_MAX_CHARS) });
      request.destroy();
    };
    const deadline = setTimeout(() => fail(`no answer within ${options.timeoutMs} ms`), timeoutMs);
    const onAbort = () => fail("stopped: the process is shutting down");
    options.signal.addEventListener("abort", onAbort);
    request.on("response", (response) => {
      const status = (statusCode = response.statusCode ?? 0);
      let bytes = 0;
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > ANSWER_BODY_MAX_BYTES) fail("answer body too long");
      });
      response.on("end", () => finish({ statusCode: status }));
      response.on("error", () => finish({ statusCode: status }));
      response.on("close", () => finish({ statusCode: status }));
    });
    request.on("error", (error: Error & { code?: string }) => {
      if (statusCode === null && request.reusedSocket && error.code !== undefined && STALE_CONNECTION_CODES.has(error.code)) {
        finish({ stale: `${error.code}: ${error.message}` });
        return;
      }
      fail(error.code ? `${error.code}: ${error.message}` : error.message);
    });
    request.end(body);
  });
}
