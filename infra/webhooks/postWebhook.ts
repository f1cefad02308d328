// One webhook request (SPEC §11): POST the body with its headers and wait for the status line, at
// most `timeoutMs` in all (DNS, connect, TLS, the receiver's answer). Redirects are not followed
// (a 3xx is a failure: following one could lead to an address nobody vetted). Connections go only
// to the addresses the lookup vetted (addressPolicy.ts) and are not kept alive.
import http from "node:http";
import https from "node:https";
import { vettedLookup } from "./addressPolicy.ts";

export type PostResult = { statusCode: number } | { error: string };

/** Longest error text kept in the delivery log. */
const ERROR_MAX_CHARS = 300;

export function postWebhook(
  url: URL,
  body: string,
  headers: Readonly<Record<string, string>>,
  options: { timeoutMs: number; allowPrivate: boolean; signal: AbortSignal },
): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal.removeEventListener("abort", onAbort);
      resolve(result);
    };
    const transport = url.protocol === "https:" ? https : http;
    const request = transport.request(url, {
      method: "POST",
      agent: false,
      lookup: vettedLookup(options.allowPrivate),
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
    });
    const fail = (message: string) => {
      finish({ error: message.slice(0, ERROR_MAX_CHARS) });
      request.destroy();
    };
    const deadline = setTimeout(() => fail(`no answer within ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = () => fail("stopped: the process is shutting down");
    options.signal.addEventListener("abort", onAbort);
    request.on("response", (response) => {
      finish({ statusCode: response.statusCode ?? 0 });
      response.destroy(); // the answer's body is not read: only its status counts
    });
    request.on("error", (error: Error & { code?: string }) => fail(error.code ? `${error.code}: ${error.message}` : error.message));
    request.end(body);
  });
}
