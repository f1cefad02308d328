// D2 (hardening issue): one request must not kill the server. Each body below is under the 10 MiB
// body limit and, parsed whole, exhausts a 256 MB heap (`Reached heap limit`): the process dies.
// Each is sent to a real `ledger serve` child started as `npm start` runs it
// (`node --max-old-space-size=256 --v8-pool-size=0`), on the events route, on an unknown route, with a read-only
// token and in open mode. Each must get a 4xx in the SPEC §5 error shape, and /v1/health must
// still answer afterwards. The last tests prove the order of the work: authentication and routing
// answer before the body is read, and NDJSON stops being read once it holds too many events.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type ServerChild } from "../support/serverChild.ts";

/** As `npm start` runs the server (package.json). */
const NODE_FLAGS = ["--max-old-space-size=256", "--v8-pool-size=0"];
const BODY_LIMIT = 10 * 1024 * 1024; // the default LEDGER_BODY_LIMIT_BYTES
const BATCH_MAX = 10_000; // the default LEDGER_BATCH_MAX
const INGEST = "ingest-token-0123456789";
const READ = "read-token-0123456789ab";
/** How long an answer may take to arrive while the body is still incomplete. */
const EARLY_ANSWER_MS = 5_000;

interface Hostile {
  name: string;
  contentType: string;
  body: string;
  /** What POST /v1/events answers with the ingest scope (or in open mode). */
  status: number;
  code: string;
}

// Generated once: each is 10-10.5 MB of text, under the body limit.
const HOSTILE: Hostile[] = [
  {
    name: "a JSON array nested 5,000,000 deep",
    contentType: "application/json",
    body: "[".repeat(5e6) + "]".repeat(5e6),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "NDJSON of 3.5 M `{}` lines",
    contentType: "application/x-ndjson",
    body: "{}\n".repeat(Math.floor((BODY_LIMIT - 1) / 3)),
    status: 413,
    code: "too_large",
  },
  // 500,000 deep is 1,000,000 characters a line: the deepest line the line limit lets through.
  {
    name: "NDJSON lines nested 500,000 deep",
    contentType: "application/x-ndjson",
    body: ("[".repeat(5e5) + "]".repeat(5e5) + "\n").repeat(10),
    status: 400,
    code: "invalid_request",
  },
];

interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: any;
}

/**
 * Keep-alive, as browsers and fetch send: a server that answers before reading the body then
 * discards the rest, where with `Connection: close` it would close on a client still writing,
 * and the reset can lose the answer on the client's side.
 */
const agent = new http.Agent({ keepAlive: true });

/**
 * Answers that a reset can lose: a server that answers a 413 mid-body closes the connection with
 * the rest of the body unread, and the client's kernel may see the reset (EPIPE on its next write,
 * or ECONNRESET) before the answer is read, so node:http reports the error and never the answer
 * (seen once in CI, 2026-12-06, on the 3.5 M-line NDJSON body). Only then is the request sent
 * again, at most this many times in all; the answer is held to the same expectations.
 */
const ANSWER_LOST_TRIES_MAX = 3;

async function request(url: string, method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await requestOnce(url, method, pathname, headers, body);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (tries >= ANSWER_LOST_TRIES_MAX || (code !== "EPIPE" && code !== "ECONNRESET")) throw error;
    }
  }
}

/** One request over node:http (any body, any headers); resolves on the answer even if the server stops reading early. */
function requestOnce(url: string, method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body, "utf8");
    const all: Record<string, string | number> = { ...headers };
    if (payload !== undefined) all["content-length"] = payload.length;
    const req = http.request(`${url}${pathname}`, { method, headers: all, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(answerOf(res, Buffer.concat(chunks).toString("utf8"))));
      res.on("error", reject);
    });
    let answered = false;
    req.on("response", () => (answered = true));
    // Once the server has answered it may close the connection before the body is written.
    req.on("error", (error) => (answered ? undefined : reject(error)));
    req.end(payload);
  });
}

function answerOf(res: http.IncomingMessage, text: string): Answer {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), text, body };
}

/**
 * Sends the headers (declaring `declaredLength` bytes) and `firstPart` of a body, never the rest,
 * and resolves with the answer. An answer proves the server decided without the whole body.
 */
function answerBeforeBodyEnds(
  url: string,
  pathname: string,
  headers: Record<string, string>,
  firstPart: string,
  declaredLength: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${pathname}`, {
      method: "POST",
      headers: { ...headers, "content-length": declaredLength },
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${EARLY_ANSWER_MS} ms while the body was incomplete: the server waited for the body`));
    }, EARLY_ANSWER_MS);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        clearTimeout(timer);
        req.destroy();
        resolve(answerOf(res, Buffer.concat(chunks).toString("utf8")));
      });
    });
    req.on("error", () => undefined); // the server may close the connection after answering
    req.write(firstPart);
  });
}

function expectError(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, text: answer.text.slice(0, 300) }).toMatchObject({ status });
  expect(answer.contentType).toContain("application/json");
  expect(Object.keys(answer.body)).toEqual(["error"]);
  expect(Object.keys(answer.body.error).sort()).toEqual(["code", "details", "message"]);
  expect(answer.body.error.code).toBe(code);
  expect(Array.isArray(answer.body.error.details)).toBe(true);
}

async function expectAlive(server: ServerChild): Promise<void> {
  expect(server.done(), `the server died:\n${server.output().slice(-2_000)}`).toBe(false);
  const health = await request(server.url, "GET", "/v1/health", {});
  expect(health.status).toBe(200);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let open: ServerChild;
let guarded: ServerChild;
const dirs: string[] = [];

beforeAll(async () => {
  const start = (env: Record<string, string>) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-hostile-"));
    dirs.push(dataDir);
    return startServer({ dataDir, env, nodeFlags: NODE_FLAGS });
  };
  // Open mode (LEDGER_ALLOW_OPEN=1), and with tokens.
  [open, guarded] = await Promise.all([
    start({ LEDGER_ALLOW_OPEN: "1" }),
    start({ LEDGER_ALLOW_OPEN: "0", LEDGER_TOKENS: `${INGEST}:ingest;${READ}:read` }),
  ]);
});

afterAll(async () => {
  agent.destroy();
  await Promise.all([open?.stop(), guarded?.stop()]);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("hostile bodies under the body limit against a 256 MB server", () => {
  for (const hostile of HOSTILE) {
    it(`${hostile.name}: a 4xx on every route, with every token; the server lives`, async () => {
      const headers = { "content-type": hostile.contentType };
      const cases: { server: ServerChild; pathname: string; headers: Record<string, string>; status: number; code: string }[] = [
        { server: open, pathname: "/v1/events", headers, status: hostile.status, code: hostile.code },
        { server: open, pathname: "/v1/no-such-route", headers, status: 404, code: "not_found" },
        { server: open, pathname: "/v1/payouts/run", headers, status: hostile.status, code: hostile.code },
        { server: guarded, pathname: "/v1/events", headers: { ...headers, ...bearer(INGEST) }, status: hostile.status, code: hostile.code },
        { server: guarded, pathname: "/v1/events", headers: { ...headers, ...bearer(READ) }, status: 403, code: "forbidden" },
        { server: guarded, pathname: "/v1/no-such-route", headers: { ...headers, ...bearer(READ) }, status: 404, code: "not_found" },
        { server: guarded, pathname: "/v1/events", headers, status: 401, code: "unauthorized" },
      ];
      for (const c of cases) {
        const answer = await request(c.server.url, "POST", c.pathname, c.headers, hostile.body);
        expectError(answer, c.status, c.code);
        await expectAlive(c.server);
      }
    });
  }

  it("a too-deep JSON body is a 400 that says where", async () => {
    const answer = await request(
      open.url,
      "POST",
      "/v1/events",
      { "content-type": "application/json" },
      `[{"id":"a"},\n {"data":${"[".repeat(40)}${"]".repeat(40)}}]`,
    );
    expectError(answer, 400, "invalid_request");
    expect(answer.body.error.details).toEqual([
      { index: 1, id: null, path: "", message: expect.stringMatching(/deeper than 16 levels.*line 2, column 24/) },
    ]);
  });

  it("every too-deep NDJSON line is a problem naming its line", async () => {
    const hostile = HOSTILE[2]!;
    const answer = await request(open.url, "POST", "/v1/events", { "content-type": hostile.contentType }, hostile.body);
    const details = answer.body.error.details as { index: number; id: string | null; path: string; message: string }[];
    expect(details.map((d) => [d.index, d.id, d.path])).toEqual(Array.from({ length: 10 }, (_, i) => [i, null, ""]));
    details.forEach((d, i) => expect(d.message).toMatch(new RegExp(`^line ${i + 1}: .*deeper than 16 levels`)));
  });
});

describe("the work is bounded before the body is read", () => {
  it("an unauthenticated huge body gets 401 before it is read (authentication runs first)", async () => {
    const answer = await answerBeforeBodyEnds(
      guarded.url,
      "/v1/events",
      { "content-type": "application/json" },
      "[".repeat(1_000),
      BODY_LIMIT,
    );
    expectError(answer, 401, "unauthorized");
    await expectAlive(guarded);
  });

  it("a body to an unknown route gets 404 before it is read", async () => {
    const answer = await answerBeforeBodyEnds(
      guarded.url,
      "/v1/no-such-route",
      { "content-type": "application/json", ...bearer(READ) },
      "[".repeat(1_000),
      BODY_LIMIT,
    );
    expectError(answer, 404, "not_found");
    const openAnswer = await answerBeforeBodyEnds(
      open.url,
      "/v1/no-such-route",
      { "content-type": "application/x-ndjson" },
      "{}\n".repeat(1_000),
      BODY_LIMIT,
    );
    expectError(openAnswer, 404, "not_found");
    await expectAlive(guarded);
    await expectAlive(open);
  });

  it(`NDJSON stops being read at event ${BATCH_MAX + 1}: 413 while the body is still arriving`, async () => {
    const answer = await answerBeforeBodyEnds(
      open.url,
      "/v1/events",
      { "content-type": "application/x-ndjson" },
      "{}\n".repeat(BATCH_MAX + 1),
      BODY_LIMIT,
    );
    expectError(answer, 413, "too_large");
    expect(answer.body.error.message).toContain(`at most ${BATCH_MAX} events`);
    await expectAlive(open);
  });
});
