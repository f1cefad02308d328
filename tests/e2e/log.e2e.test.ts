// SPEC §13's verifiable log over HTTP and the CLI: every stored event answers its `hash`;
// GET /v1/log/head is the latest event's position and hash (as of P: position P's); GET
// /v1/log/verify needs the `admin` scope and answers {ok, verified, head, firstBadPosition, reason};
// `ledger verify` exits 0 with the count and head, or 1 naming the first bad position and why, on a
// store edited behind the ledger's back.
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { click } from "../support/domainFixtures.ts";
import { startE2eServer, type E2eServer } from "../support/e2eServer.ts";

const READ = "read-token-0123456789ab";
const ADMIN = "admin-token-0123456789ab";
const ZEROS = "0".repeat(64);
const EVENTS = [
  click({ id: "lg-1", trackingId: "T-L", occurredAt: "2026-03-01T10:00:00Z" }),
  click({ id: "lg-2", trackingId: "T-L", occurredAt: "2026-03-01T10:00:00-08:00" }),
];

/** The chain's step, from the RFC 8785 text of the envelope written out by hand. */
function link(prev: string, text: string): string {
  return createHash("sha256").update(`${prev}\n${text}`).digest("hex");
}
const H1 = link(
  ZEROS,
  '{"data":{"trackingId":"T-L"},"id":"lg-1","occurredAt":"2026-03-01T10:00:00Z","position":1,"schemaVersion":1,"type":"ClickRecorded"}',
);
const H2 = link(
  H1,
  '{"data":{"trackingId":"T-L"},"id":"lg-2","occurredAt":"2026-03-01T10:00:00-08:00","position":2,"schemaVersion":1,"type":"ClickRecorded"}',
);

async function get(baseUrl: string, route: string, token: string | null) {
  const response = await fetch(baseUrl + route, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as any };
}

function ledgerCli(args: string[], dataDir: string) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "services/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, LEDGER_LOG_LEVEL: "silent" },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the verifiable log (SPEC §13)", () => {
  let server: E2eServer;
  let dataDir: string;

  beforeAll(async () => {
    server = await startE2eServer({ env: { LEDGER_TOKENS: `${READ}:read,ingest;${ADMIN}:admin` } });
    dataDir = server.ledger.config.dataDir;
    const posted = await fetch(`${server.baseUrl}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${READ}` },
      body: JSON.stringify(EVENTS),
    });
    expect(await posted.json()).toEqual({ appended: 2, duplicates: 0, lastPosition: 2 });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("every event answers its hash, computed over the envelope as received (occurredAt with its offset)", async () => {
    const one = await get(server.baseUrl, "/v1/events/lg-2", READ);
    expect(one.body.hash).toBe(H2);
    const page = await get(server.baseUrl, "/v1/events", READ);
    expect(page.body.events.map((e: { id: string; hash: string }) => [e.id, e.hash])).toEqual([
      ["lg-1", H1],
      ["lg-2", H2],
    ]);
  });

  it("GET /v1/log/head: the latest event; as of a position, that position's; as of 0, zeros", async () => {
    expect((await get(server.baseUrl, "/v1/log/head", READ)).body).toEqual({ position: 2, hash: H2, asOfPosition: 2 });
    expect((await get(server.baseUrl, "/v1/log/head?asOfPosition=1", READ)).body).toEqual({ position: 1, hash: H1, asOfPosition: 1 });
    expect((await get(server.baseUrl, "/v1/log/head?asOfPosition=0", READ)).body).toEqual({ position: 0, hash: ZEROS, asOfPosition: 0 });
    expect((await get(server.baseUrl, "/v1/log/head?asOfPosition=3", READ)).status).toBe(400);
  });

  it("GET /v1/log/verify needs the admin scope, and answers the verdict", async () => {
    expect((await get(server.baseUrl, "/v1/log/verify", null)).status).toBe(401);
    expect((await get(server.baseUrl, "/v1/log/verify", READ)).status).toBe(403);
    expect((await get(server.baseUrl, "/v1/log/verify", ADMIN)).body).toEqual({
      ok: true,
      verified: 2,
      head: { position: 2, hash: H2 },
      firstBadPosition: null,
      reason: null,
    });
    expect((await get(server.baseUrl, "/v1/log/verify?from=2", ADMIN)).body).toMatchObject({ ok: true, verified: 1 });
  });

  it("`ledger verify` exits 0 with the count and head; after a row is edited with SQL, 1 naming the position and why", async () => {
    await server.stop(); // the store is the CLI's now (destroy, after all, removes the directory)
    const clean = ledgerCli(["verify"], dataDir);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe(`verified 2 events, head position 2 hash ${H2}\n`);
    const db = new Database(path.join(dataDir, "events.db"));
    db.prepare("UPDATE events SET data = ? WHERE position = 2").run(JSON.stringify({ trackingId: "T-EDITED" }));
    db.close();
    const tampered = ledgerCli(["verify"], dataDir);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toBe(
      "verification failed at position 2: the event at position 2 (lg-2) does not hash to its stored hash: its content, its position or its hash was changed\n" +
        `(1 events verified before it; the last good one is position 1 hash ${H1})\n`,
    );
  });
});
