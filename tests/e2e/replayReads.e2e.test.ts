// The replay reads over HTTP (SPEC §6, §10): each projection's versions, and the diff of a version
// being rebuilt against the active one, paged, before anyone promotes it. The rebuild runs as
// `ledger replay` runs it (services/replay.ts rebuild), over the server's own read-model files.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReadModelDb } from "../../infra/readModel/port.ts";
import type { ProjectionName } from "../../projections/projection.ts";
import { openProjectionDb } from "../../services/ledgerFiles.ts";
import { promote, promoteSet, rebuild, rebuildSet } from "../../services/replay.ts";
import { accepted, campaignCreated, line, shipped } from "../support/domainFixtures.ts";
import { expectErrorShape, get, postEvents, startE2eServer, waitForProjections, type E2eServer } from "../support/e2eServer.ts";

const EVENTS = [
  campaignCreated({ id: "cc-1", campaignId: "C1", asins: ["A-OTHER"] }),
  accepted({ id: "acc-1", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
  accepted({ id: "acc-2", campaignId: "C1", creatorId: "K2", trackingId: "T2" }),
  // toys 3 × 9.99 = 29.97: rule version 1 × 0.03 = 0.90; rule version 2 × 0.04 = 1.20
  shipped({ id: "shp-1", shipmentId: "S1", orderId: "O1", trackingId: "T1", lines: [line("A1", "toys", 3, "9.99")] }),
  // kitchen 2 × 20.00 × 0.045 = 1.80 under both (K1 in C1: 2.70 → 3.00)
  shipped({ id: "shp-2", shipmentId: "S2", orderId: "O2", trackingId: "T1", lines: [line("A2", "kitchen", 2, "20.00")] }),
  // toys 1 × 10.00: 0.30 → 0.40
  shipped({ id: "shp-3", shipmentId: "S3", orderId: "O3", trackingId: "T2", lines: [line("A1", "toys", 1, "10.00")] }),
];
const HEAD = EVENTS.length;

describe("GET /v1/projections and /v1/projections/{name}/diff", () => {
  let server: E2eServer;
  const writers: ReadModelDb[] = [];

  /** `ledger replay NAME --rules 2`: a building version beside the active one. */
  async function rebuildAtRules2(name: ProjectionName) {
    const db = await openProjectionDb(server.ledger.config, name, { writer: true });
    writers.push(db);
    return (await rebuild(server.ledger.store, db, name, { ruleVersion: 2, defaultRuleVersion: 1 })).projector;
  }

  beforeAll(async () => {
    server = await startE2eServer();
    expect((await postEvents(server.baseUrl, EVENTS)).status).toBe(200);
    await waitForProjections(server.baseUrl);
  });
  afterAll(async () => {
    for (const db of writers) await db.close();
    await server?.destroy();
  });

  it("lists each projection's versions with rule version, status, position and lag", async () => {
    const answer = await get(server.baseUrl, "/v1/projections");
    expect(answer.status).toBe(200);
    const active = (name: string) => ({
      name,
      versions: [{ version: 1, ruleVersion: 1, status: "active", position: HEAD, lag: 0, createdAt: expect.any(String) }],
    });
    expect(answer.body).toEqual({ head: HEAD, projections: ["journal", "earnings", "budget", "report", "payout", "webhooks"].map(active) });
  });

  it("shows a version being rebuilt and its diff against the active one, money per marketplace", async () => {
    expect((await rebuildAtRules2("earnings")).version).toBe(2);
    const list = await get(server.baseUrl, "/v1/projections");
    expect(list.body.projections[1]).toEqual({
      name: "earnings",
      versions: [
        { version: 1, ruleVersion: 1, status: "active", position: HEAD, lag: 0, createdAt: expect.any(String) },
        { version: 2, ruleVersion: 2, status: "building", position: HEAD, lag: 0, createdAt: expect.any(String) },
      ],
    });
    const diff = await get(server.baseUrl, "/v1/projections/earnings/diff?version=2");
    expect(diff.status).toBe(200);
    expect(diff.body).toEqual({
      projection: "earnings",
      version: 2,
      ruleVersion: 2,
      status: "building",
      position: HEAD,
      activeVersion: 1,
      activeRuleVersion: 1,
      activePosition: HEAD,
      changed: 2,
      changes: [
        {
          creatorId: "K1",
          campaignId: "C1",
          marketplace: "US",
          currency: "USD",
          field: "standard",
          old: "2.70",
          new: "3.00",
          difference: "0.30",
        },
        {
          creatorId: "K2",
          campaignId: "C1",
          marketplace: "US",
          currency: "USD",
          field: "standard",
          old: "0.30",
          new: "0.40",
          difference: "0.10",
        },
      ],
      next: null,
    });
  });

  it("pages a diff with after and limit", async () => {
    const first = await get(server.baseUrl, "/v1/projections/earnings/diff?version=2&limit=1");
    expect(first.body.changes.map((c: { creatorId: string }) => c.creatorId)).toEqual(["K1"]);
    expect(first.body.next).toBe(1);
    const second = await get(server.baseUrl, `/v1/projections/earnings/diff?version=2&limit=1&after=${first.body.next}`);
    expect(second.body.changes.map((c: { creatorId: string }) => c.creatorId)).toEqual(["K2"]);
    expect(second.body).toMatchObject({ changed: 2, next: null });
  });

  it("names the journal's changes by account, balances as money", async () => {
    expect((await rebuildAtRules2("journal")).version).toBe(2);
    const diff = await get(server.baseUrl, "/v1/projections/journal/diff?version=2");
    expect(diff.body.changes).toEqual([
      {
        account: "creator:K1:US:earned",
        marketplace: "US",
        currency: "USD",
        field: "balance",
        old: "2.70",
        new: "3.00",
        difference: "0.30",
      },
      {
        account: "creator:K2:US:earned",
        marketplace: "US",
        currency: "USD",
        field: "balance",
        old: "0.30",
        new: "0.40",
        difference: "0.10",
      },
      {
        account: "program:US:standard",
        marketplace: "US",
        currency: "USD",
        field: "balance",
        old: "-3.00",
        new: "-3.40",
        difference: "-0.40",
      },
    ]);
  });

  it("the active version against itself changes nothing", async () => {
    const diff = await get(server.baseUrl, "/v1/projections/budget/diff?version=1");
    expect(diff.body).toMatchObject({ version: 1, activeVersion: 1, changed: 0, changes: [], next: null });
  });

  it("an unknown projection or version is 404; a bad version or limit is 400", async () => {
    expectErrorShape(await get(server.baseUrl, "/v1/projections/nope/diff?version=1"), 404, "not_found");
    expectErrorShape(await get(server.baseUrl, "/v1/projections/earnings/diff?version=9"), 404, "not_found");
    expectErrorShape(await get(server.baseUrl, "/v1/projections/earnings/diff?version=0"), 400, "invalid_request");
    expectErrorShape(await get(server.baseUrl, "/v1/projections/earnings/diff"), 400, "invalid_request");
    expectErrorShape(await get(server.baseUrl, "/v1/projections/earnings/diff?version=2&limit=1001"), 400, "invalid_request");
  });

  // Issue 22.1. A money projection active at another rule version than the others (a set promotion
  // killed between two of its commits, or an older release's lone promotion) makes the creator's
  // earnings total disagree with the journal: health says so, on each money projection, until the
  // rest of the set is promoted.
  it("health is degraded while the money projections are active at different rule versions; the set promoted makes it ok", async () => {
    const earningsDb = writers[0]!;
    await promote(earningsDb, "earnings", 2); // earnings alone at rule version 2 (the journal was rebuilt at 2, not promoted)
    const earnings = await get(server.baseUrl, "/v1/creators/K1/earnings");
    const journal = await get(server.baseUrl, `/v1/creators/K1/earnings?asOfPosition=${HEAD}`); // read from the journal
    expect([earnings.body.marketplaces[0].totals.total, journal.body.marketplaces[0].totals.total]).toEqual(["3.00", "2.70"]);
    const mixed = await get(server.baseUrl, "/v1/health");
    expect(mixed.status).toBe(200);
    expect(mixed.body.status).toBe("degraded");
    const reason =
      "the money projections are active at different rule versions (journal 1, earnings 2, budget 1, report 1, payout 1): their figures disagree; " +
      "rebuild and promote them as one set (ledger replay money --rules N --promote)";
    expect(
      mixed.body.projections.map((p: { name: string; status: string; reason?: string }) => [p.name, p.status, p.reason ?? null]),
    ).toEqual([
      ["journal", "degraded", reason],
      ["earnings", "degraded", reason],
      ["budget", "degraded", reason],
      ["report", "degraded", reason],
      ["payout", "degraded", reason],
      ["webhooks", "ok", null],
    ]);
    // The rest of the set built at rule version 2 (the journal's v2 resumes) and promoted together.
    const dbs = new Map<ProjectionName, ReadModelDb>();
    for (const name of ["journal", "budget", "report", "payout"] as const) {
      const db = await openProjectionDb(server.ledger.config, name, { writer: true });
      writers.push(db);
      dbs.set(name, db);
    }
    const built = await rebuildSet(server.ledger.store, dbs, { ruleVersion: 2, defaultRuleVersion: 1 });
    expect(built.map((b) => [b.projector.name, b.projector.version, b.resumed])).toEqual([
      ["journal", 2, true],
      ["budget", 2, false],
      ["report", 2, false],
      ["payout", 2, false],
    ]);
    await promoteSet(dbs, new Map(built.map((b) => [b.projector.name, b.projector.version])));
    const healed = await get(server.baseUrl, "/v1/health");
    expect(healed.body.status).toBe("ok");
    expect(healed.body.projections.map((p: { ruleVersion: number }) => p.ruleVersion)).toEqual([2, 2, 2, 2, 2, 1]);
    const after = await get(server.baseUrl, `/v1/creators/K1/earnings?asOfPosition=${HEAD}`);
    expect(after.body.marketplaces[0].totals.total).toBe("3.00");
  });
});
