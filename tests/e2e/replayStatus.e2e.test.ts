// A projection version nobody builds is not shown as `building` (issue 22.9e): GET /v1/projections,
// its diff and `ledger replay list` call a version not yet promoted `building` only while some
// process moves its checkpoint (within LEDGER_HEALTH_STALL_MS), else `idle` at the store's head or
// `stalled` behind it. The rebuild runs as `ledger replay` runs it (services/replay.ts rebuild).
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReadModelDb } from "../../infra/readModel/port.ts";
import { openProjectionDb } from "../../services/ledgerFiles.ts";
import { rebuild } from "../../services/replay.ts";
import { accepted, campaignCreated, line, shipped } from "../support/domainFixtures.ts";
import { get, postEvents, startE2eServer, waitForProjections, type E2eServer } from "../support/e2eServer.ts";

/** Short, so the test waits little; the default is 30 s. */
const STALL_MS = 1_500;
const EVENTS = [
  campaignCreated({ id: "cc-1", campaignId: "C1", asins: ["A-OTHER"] }),
  accepted({ id: "acc-1", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
  shipped({ id: "shp-1", shipmentId: "S1", orderId: "O1", trackingId: "T1", lines: [line("A1", "toys", 3, "9.99")] }),
];
const LATER = shipped({ id: "shp-2", shipmentId: "S2", orderId: "O2", trackingId: "T1", lines: [line("A1", "toys", 1, "10.00")] });

describe("the status of a projection version nobody builds", () => {
  let server: E2eServer;
  let db: ReadModelDb;

  /** Earnings v2 as GET /v1/projections shows it. */
  async function earningsV2(): Promise<{ status: string; position: number; lag: number }> {
    const answer = await get(server.baseUrl, "/v1/projections");
    const earnings = answer.body.projections.find((p: { name: string }) => p.name === "earnings");
    const { status, position, lag } = earnings.versions.find((v: { version: number }) => v.version === 2);
    return { status, position, lag };
  }

  /** `ledger replay list earnings` over the server's data directory: version 2's row. */
  function listedV2(): string {
    const result = spawnSync(process.execPath, ["--import", "tsx", "services/cli.ts", "replay", "list", "earnings"], {
      encoding: "utf8",
      env: {
        ...process.env,
        LEDGER_DATA_DIR: server.dataDir,
        LEDGER_LOG_LEVEL: "silent",
        LEDGER_DEMO: "0",
        LEDGER_HEALTH_STALL_MS: String(STALL_MS),
      },
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const row = result.stdout.split("\n").find((l) => /^earnings +2 /.test(l)) ?? "";
    return row.split(/ {2,}/).slice(0, 6).join(" ");
  }

  const pastTheStall = () => new Promise((resolve) => setTimeout(resolve, STALL_MS + 200));

  beforeAll(async () => {
    server = await startE2eServer({ env: { LEDGER_HEALTH_STALL_MS: String(STALL_MS) } });
    expect((await postEvents(server.baseUrl, EVENTS)).status).toBe(200);
    await waitForProjections(server.baseUrl);
    db = await openProjectionDb(server.ledger.config, "earnings", { writer: true });
  });
  afterAll(async () => {
    await db?.close();
    await server?.destroy();
  });

  it("building right after its rebuild moved it; idle once nothing moved it for LEDGER_HEALTH_STALL_MS at the head", async () => {
    await rebuild(server.ledger.store, db, "earnings", { ruleVersion: 2, defaultRuleVersion: 1 });
    expect(await earningsV2()).toEqual({ status: "building", position: 3, lag: 0 });
    await pastTheStall();
    expect(await earningsV2()).toEqual({ status: "idle", position: 3, lag: 0 });
    expect((await get(server.baseUrl, "/v1/projections/earnings/diff?version=2")).body.status).toBe("idle");
    expect(listedV2()).toBe("earnings 2 2 idle 3 0");
  });

  it("stalled once the store moved on and nothing follows it; building again when a rebuild resumes it", async () => {
    expect((await postEvents(server.baseUrl, [LATER])).status).toBe(200);
    await waitForProjections(server.baseUrl);
    expect(await earningsV2()).toEqual({ status: "stalled", position: 3, lag: 1 });
    expect(listedV2()).toBe("earnings 2 2 stalled 3 1");
    // The active version is served and followed: its status is never derived.
    const active = (await get(server.baseUrl, "/v1/projections")).body.projections[1].versions[0];
    expect(active).toMatchObject({ version: 1, status: "active", position: 4, lag: 0 });
    await rebuild(server.ledger.store, db, "earnings", { version: 2, defaultRuleVersion: 1 });
    expect(await earningsV2()).toEqual({ status: "building", position: 4, lag: 0 });
  });
});
