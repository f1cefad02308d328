// The 20-endpoint cap under concurrency (issue 22.7: 24 concurrent registrations from 8 clients left
// 23 endpoints). Eight clients, each on connections of its own, send three registrations at once:
// 24 concurrent POST /v1/webhooks over real sockets, alternately to `ledger serve` with every
// projector and to a second `ledger serve` with none (a documented topology), both over one store.
// Exactly 20 are registered and 4 refused with 409 too_many_webhooks, and both processes list the
// same 20. Then one is deleted and 24 race for its slot: each process's first registration counts
// 19 at the same moment, and only the store's expected revision lets exactly one of them in. On
// the SQLite store (one data directory) and on PostgreSQL store and read models.
import { rmSync } from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_ENDPOINTS_MAX } from "../../services/webhooks/registration.ts";
import { dropLedgerSchemas, postgresLedgerEnv, randomSchema } from "../support/pgTest.ts";
import { tempDir } from "../support/projectionHarness.ts";
import { startServer, type ServerChild } from "../support/serverChild.ts";

const CLIENTS = 8;
const REGISTRATIONS_PER_CLIENT = 3;
const ENV = { LEDGER_WEBHOOK_KEY: "cap-webhook-key-0123456789abcdef-0123456789", LEDGER_WEBHOOK_ALLOW_PRIVATE: "1" };

type Answer = { status: number; body: any };

/** One request on `agent` (a client's own keep-alive connections). */
function request(agent: http.Agent, url: string, method: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: text === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) },
      },
      (res) => {
        let answer = "";
        res
          .setEncoding("utf8")
          .on("data", (chunk: string) => (answer += chunk))
          .on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(answer) }));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

const TOO_MANY = {
  status: 409,
  body: { error: { code: "too_many_webhooks", message: "at most 20 endpoints may be registered; delete one first", details: [] } },
};

/** CLIENTS clients send REGISTRATIONS_PER_CLIENT registrations each, all at once, alternately to the two servers. */
async function registerAtOnce(
  servers: readonly [ServerChild, ServerChild],
  round: string,
): Promise<{ registered: Answer[]; refused: Answer[] }> {
  const clients = Array.from({ length: CLIENTS }, () => new http.Agent({ keepAlive: true }));
  const answers = await Promise.all(
    clients.flatMap((agent, c) =>
      Array.from({ length: REGISTRATIONS_PER_CLIENT }, (_, n) => {
        const server = servers[(c * REGISTRATIONS_PER_CLIENT + n) % 2]!;
        return request(agent, `${server.url}/v1/webhooks`, "POST", {
          url: `http://127.0.0.1:9/hooks/${round}-${c}-${n}`,
          events: ["posting.created"],
        });
      }),
    ),
  );
  for (const agent of clients) agent.destroy();
  return { registered: answers.filter((a) => a.status === 201), refused: answers.filter((a) => a.status !== 201) };
}

async function caughtUp(url: string): Promise<void> {
  const agent = new http.Agent();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const health = await request(agent, `${url}/v1/health`, "GET");
    if (health.body.projections.every((p: { lag: number }) => p.lag === 0)) return;
    if (Date.now() > deadline) throw new Error(`projections did not catch up: ${JSON.stringify(health.body)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function capSuite(label: string, env: () => Record<string, string>) {
  describe(`24 concurrent registrations in two processes (${label})`, () => {
    let dir: string;
    let projecting: ServerChild;
    let apiOnly: ServerChild;

    beforeAll(async () => {
      dir = tempDir("ledger-webhook-cap-");
      projecting = await startServer({ dataDir: dir, env: { ...ENV, ...env() } });
      apiOnly = await startServer({ dataDir: dir, env: { ...ENV, ...env(), LEDGER_PROJECTORS: "none" } });
    });
    afterAll(async () => {
      await apiOnly?.stop();
      await projecting?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Both processes list exactly `ids` once the projections caught up. */
    async function expectListed(ids: readonly string[]): Promise<void> {
      await caughtUp(projecting.url);
      const agent = new http.Agent();
      for (const server of [projecting, apiOnly]) {
        const list = await request(agent, `${server.url}/v1/webhooks`, "GET");
        expect(
          list.body.webhooks.map((w: { webhookId: string }) => w.webhookId).sort(),
          server === projecting ? "projecting" : "api only",
        ).toEqual([...ids].sort());
      }
    }

    let ids: string[] = [];

    it("register exactly 20 endpoints; the other 4 are refused with 409 too_many_webhooks", async () => {
      const { registered, refused } = await registerAtOnce([projecting, apiOnly], "first");
      expect([registered.length, refused.length]).toEqual([WEBHOOK_ENDPOINTS_MAX, 4]);
      for (const a of refused) expect(a).toEqual(TOO_MANY);
      ids = registered.map((a) => a.body.webhookId as string);
      await expectListed(ids);
    });

    it("with one slot left (one deleted), exactly one of 24 concurrent registrations gets it", async () => {
      const [gone, ...kept] = ids;
      expect((await request(new http.Agent(), `${apiOnly.url}/v1/webhooks/${gone}`, "DELETE")).status).toBe(200);
      const { registered, refused } = await registerAtOnce([projecting, apiOnly], "second");
      expect([registered.length, refused.length]).toEqual([1, 23]);
      for (const a of refused) expect(a).toEqual(TOO_MANY);
      await expectListed([...kept, registered[0]!.body.webhookId as string]);
    });
  });
}

capSuite("SQLite store", () => ({}));

const schema = randomSchema("hookcap");
capSuite("PostgreSQL store and read models", () => postgresLedgerEnv(schema));

afterAll(() => dropLedgerSchemas(schema));
