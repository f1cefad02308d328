// Payout runs racing across two processes (hardening issue, D1): `ledger serve` with every projector
// beside a second `ledger serve` with none (a documented topology), both over one store. Round
// after round, new earnings make every creator ready, then the two processes run payouts at the
// same moment for different dates. Each creator must be paid exactly once per round, and no payout
// may leave a creator's payable balance negative. Run on the SQLite store (one data directory) and
// on the PostgreSQL store and read models.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropLedgerSchemas, postgresLedgerEnv, randomSchema } from "../support/pgTest.ts";
import { tempDir } from "../support/projectionHarness.ts";
import { startServer, type ServerChild } from "../support/serverChild.ts";

const CREATORS = ["P1", "P2", "P3", "P4", "P5", "P6"];
const ROUNDS = 8;

async function post(url: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function getJson(url: string, path: string): Promise<any> {
  const response = await fetch(url + path);
  expect(response.status, path).toBe(200);
  return response.json();
}

async function caughtUp(url: string): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const health = await getJson(url, "/v1/health");
    if (health.projections.every((p: { lag: number }) => p.lag === 0)) return health.store.head as number;
    if (Date.now() > deadline) throw new Error(`projections did not catch up: ${JSON.stringify(health)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The campaign, one acceptance, tax info and a payment method per creator. */
function setup() {
  const events: unknown[] = [
    {
      id: "race-cc",
      type: "CampaignCreated",
      occurredAt: "2025-12-01T00:00:00Z",
      data: {
        campaignId: "RACE",
        brandId: "B",
        marketplace: "US",
        bonusRate: "0.10",
        budget: "1000.00",
        startsAt: "2026-01-01T00:00:00Z",
        endsAt: "2026-02-01T00:00:00Z",
        asins: ["Z1"],
      },
    },
  ];
  for (const c of CREATORS) {
    events.push({
      id: `race-acc-${c}`,
      type: "CampaignAccepted",
      occurredAt: "2026-01-01T00:00:00Z",
      data: { campaignId: "RACE", creatorId: c, trackingId: `T-${c}` },
    });
    events.push({
      id: `race-tax-${c}`,
      type: "TaxInfoSubmitted",
      occurredAt: "2026-01-01T00:00:00Z",
      data: { creatorId: c, marketplace: "US" },
    });
    events.push({
      id: `race-pm-${c}`,
      type: "PaymentMethodChanged",
      occurredAt: "2026-01-01T00:00:00Z",
      data: { creatorId: c, marketplace: "US", method: "direct_deposit" },
    });
  }
  return events;
}

/** Round r: one January shipment per creator, electronics 1 × 1000.00 → standard 25.00 (payable from 2026-04-02). */
function roundShipments(round: number) {
  return CREATORS.map((c) => ({
    id: `race-shp-${round}-${c}`,
    type: "ShipmentRecorded",
    occurredAt: "2026-01-10T18:00:00Z",
    data: {
      shipmentId: `S-${round}-${c}`,
      orderId: `O-${round}-${c}`,
      trackingId: `T-${c}`,
      orderedAt: "2026-01-09T18:00:00Z",
      lines: [{ asin: "Q1", category: "electronics", quantity: 1, unitPrice: "1000.00" }],
    },
  }));
}

function raceSuite(label: string, env: () => Record<string, string>) {
  describe(`payout runs racing in two processes (${label})`, () => {
    let dir: string;
    let projecting: ServerChild;
    let apiOnly: ServerChild;

    beforeAll(async () => {
      dir = tempDir("ledger-race-");
      projecting = await startServer({ dataDir: dir, env: env() });
      apiOnly = await startServer({ dataDir: dir, env: { ...env(), LEDGER_PROJECTORS: "none" } });
    });
    afterAll(async () => {
      await apiOnly?.stop();
      await projecting?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`pays each creator once per round over ${ROUNDS} rounds, never below zero`, async () => {
      expect((await post(projecting.url, "/v1/events", setup())).status).toBe(200);
      for (let round = 1; round <= ROUNDS; round += 1) {
        expect((await post(projecting.url, "/v1/events", roundShipments(round))).status).toBe(200);
        await caughtUp(projecting.url);
        // Different dates, different processes, at the same moment.
        const dates = [`2026-05-${String(round).padStart(2, "0")}`, `2026-06-${String(round).padStart(2, "0")}`];
        const [a, b] = await Promise.all([
          post(projecting.url, "/v1/payouts/run", { marketplace: "US", asOf: dates[0] }),
          post(apiOnly.url, "/v1/payouts/run", { marketplace: "US", asOf: dates[1] }),
        ]);
        expect([a.status, b.status]).toEqual([200, 200]);
        const issued = [...a.body.issued, ...b.body.issued] as { creatorId: string; amount: string }[];
        // Every creator earned 25.00 this round and is paid exactly that, once.
        expect(issued.map((p) => p.creatorId).sort(), `round ${round}`).toEqual(CREATORS);
        expect(new Set(issued.map((p) => p.amount))).toEqual(new Set(["25.00"]));
        await caughtUp(projecting.url);
        for (const c of CREATORS) {
          const payout = await getJson(apiOnly.url, `/v1/creators/${c}/payout?asOf=2026-11-01`);
          expect(payout.marketplaces[0], `${c} after round ${round}`).toMatchObject({
            payable: "0.00",
            paid: `${25 * round}.00`,
            status: "nothing_due",
          });
        }
      }
    });
  });
}

raceSuite("SQLite store", () => ({}));

const schema = randomSchema("race");
raceSuite("PostgreSQL store and read models", () => postgresLedgerEnv(schema));

afterAll(() => dropLedgerSchemas(schema));
