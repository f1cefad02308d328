// Honest health (issue 16.9): /v1/health says `degraded` (still HTTP 200) with a reason per
// projection when one is behind by more than LEDGER_HEALTH_LAG_MAX_EVENTS, or makes no progress
// for LEDGER_HEALTH_STALL_MS while behind (no projector running); and a read of a projection that
// has not applied the events it needs answers 503 with Retry-After instead of a wrong 404.
import { afterAll, describe, expect, it } from "vitest";
import { accepted, campaignCreated } from "../support/domainFixtures.ts";
import { get, postEvents, startE2eServer, waitForProjections, type E2eServer } from "../support/e2eServer.ts";

const servers: E2eServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.destroy();
});

async function start(env: Record<string, string>): Promise<E2eServer> {
  const server = await startE2eServer({ env });
  servers.push(server);
  return server;
}

const events = [
  campaignCreated({ id: "h-cc", campaignId: "CH" }),
  accepted({ id: "h-acc", campaignId: "CH", creatorId: "KH", trackingId: "TH" }),
];
const PROJECTIONS = ["journal", "earnings", "budget", "report", "payout", "webhooks"];

describe("/v1/health", () => {
  it("without projectors: ok at first sight, degraded once no progress was seen for LEDGER_HEALTH_STALL_MS", async () => {
    const server = await start({ LEDGER_PROJECTORS: "none", LEDGER_HEALTH_STALL_MS: "300" });
    expect((await postEvents(server.baseUrl, events)).status).toBe(200);
    const first = await get(server.baseUrl, "/v1/health");
    expect(first.status).toBe(200);
    expect(first.body.status).toBe("ok");
    expect(first.body.projections.map((p: { lag: number; status: string }) => [p.lag, p.status])).toEqual(PROJECTIONS.map(() => [2, "ok"]));
    await new Promise((r) => setTimeout(r, 400));
    const later = await get(server.baseUrl, "/v1/health");
    expect(later.status).toBe(200);
    expect(later.body.status).toBe("degraded");
    for (const p of later.body.projections) {
      expect(p.status).toBe("degraded");
      expect(p.reason).toMatch(
        /^no progress for \d+ s while 2 event\(s\) behind: is a projector running\? \(LEDGER_PROJECTORS, ledger projectors\)$/,
      );
    }
  });

  it("degraded at once when behind by more than LEDGER_HEALTH_LAG_MAX_EVENTS", async () => {
    const server = await start({ LEDGER_PROJECTORS: "none", LEDGER_HEALTH_LAG_MAX_EVENTS: "1" });
    await postEvents(server.baseUrl, events);
    const health = await get(server.baseUrl, "/v1/health");
    expect(health.body.status).toBe("degraded");
    expect(health.body.projections[1]).toEqual({
      name: "earnings",
      version: 1,
      ruleVersion: 1,
      position: 0,
      lag: 2,
      status: "degraded",
      reason: "2 events behind the store's head (more than LEDGER_HEALTH_LAG_MAX_EVENTS=1)",
    });
  });

  it("ok, with every projection ok, when projectors run and are caught up", async () => {
    const server = await start({ LEDGER_HEALTH_STALL_MS: "1", LEDGER_HEALTH_LAG_MAX_EVENTS: "0" });
    await postEvents(server.baseUrl, events);
    await waitForProjections(server.baseUrl);
    const health = await get(server.baseUrl, "/v1/health");
    expect(health.body.status).toBe("ok");
    expect(health.body.projections.map((p: { status: string }) => p.status)).toEqual(PROJECTIONS.map(() => "ok"));
    // Unknown to a caught-up read model: a 404 at once.
    expect((await get(server.baseUrl, "/v1/creators/NOBODY/earnings")).status).toBe(404);
  });
});

describe("reads of events a projection has not applied", () => {
  it("answer 503 with Retry-After, never 404 for a creator the store holds", async () => {
    const server = await start({ LEDGER_PROJECTORS: "none" });
    await postEvents(server.baseUrl, events);
    const answer = await get(server.baseUrl, "/v1/creators/KH/earnings");
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("1");
    expect(answer.body.error.code).toBe("projection_lagging");
    expect(answer.body.error.message).toBe(
      "projections earnings have not reached position 2 yet (not found in what the earnings projection has applied; it may be in the store's events up to 2); is a projector running? see LEDGER_PROJECTORS",
    );
  });
});
