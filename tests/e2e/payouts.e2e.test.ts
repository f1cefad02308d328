// POST /v1/payouts/run over real sockets (SPEC §4 rule 11, §5): one PayoutIssued per ready
// creator, id payout:{creatorId}:{marketplace}:{asOf}, never twice, also when runs race and
// across a restart over the same data directory.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectNo5xxAndErrorShapes,
  get,
  head,
  postEvents,
  postJson,
  startE2eServer,
  usPayout,
  usRunAnswer,
  waitForProjections,
  type E2eServer,
} from "../support/e2eServer.ts";
import { ALL_EVENTS, CAMPAIGN, PART1, PART2 } from "./fixture.ts";

const HEAD = ALL_EVENTS.length; // 18
const RUN = { marketplace: "US", asOf: "2026-04-02" };
// K1 as of 2026-04-02: January is payable (payableOn 2026-04-02):
// standard 6.00 + 1.12 + 10.00 − 3.00 reversed + 40.00 confirmed bonus = 54.12 ≥ 10.00 (direct_deposit), tax info on file → ready.
// K2 (3.00, no tax info) and K3 (nothing earned) are not ready.
const K1_PAYOUT = usPayout("payout:K1:US:2026-04-02", "K1", "54.12");

/** Every read answer the restart must leave unchanged. */
const READS = [
  "/v1/creators/K1/earnings",
  "/v1/creators/K2/earnings",
  "/v1/creators/K3/earnings",
  `/v1/campaigns/${CAMPAIGN}/budget`,
  "/v1/creators/K1/report?from=2026-01-01&to=2026-03-31",
  "/v1/creators/K1/report?from=2026-01-01&to=2026-03-31&format=csv",
  "/v1/creators/K1/payout?asOf=2026-04-02",
  "/v1/creators/K1/payout?asOf=2026-05-31",
  "/v1/creators/K2/payout?asOf=2026-04-02",
  "/v1/creators/K1/ledger",
  "/v1/creators/K1/ledger?limit=5",
  "/v1/health",
];

async function snapshot(url: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of READS) {
    const answer = await get(url, path);
    expect(answer.status, path).toBe(200);
    out[path] = answer.body === undefined ? answer.text : JSON.stringify(answer.body);
  }
  return out;
}

describe("payout runs", () => {
  let server: E2eServer;
  // A payout run waits up to 30 s for the payout projection; when the projectors are not running at
  // all, the first test fails fast and the rest are skipped instead of each waiting 30 s.
  let projectorsAlive = false;

  beforeAll(async () => {
    server = await startE2eServer();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("a run right after the events waits for the payout projection, then issues K1's payout once", async () => {
    const url = server.baseUrl;
    expect((await postEvents(url, PART1)).body).toEqual({ appended: PART1.length, duplicates: 0, lastPosition: PART1.length });
    await waitForProjections(url);
    projectorsAlive = true;
    // K1's tax info and payment method are in part 2: a run that did not wait would find K1 not ready.
    expect((await postEvents(url, PART2)).body).toEqual({ appended: PART2.length, duplicates: 0, lastPosition: HEAD });
    // Two runs race, straight after the append (no wait for the projections).
    const [a, b] = await Promise.all([postJson(url, "/v1/payouts/run", RUN), postJson(url, "/v1/payouts/run", RUN)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const issued = [...a.body.issued, ...b.body.issued];
    expect(issued).toEqual([K1_PAYOUT]);
    // The run that issued answers with the position of its PayoutIssued; the other issued nothing.
    const [winner, loser] = a.body.issued.length === 1 ? [a, b] : [b, a];
    expect(winner.body).toEqual(usRunAnswer("2026-04-02", HEAD + 1, [K1_PAYOUT], { nothing_due: 1, tax_info_missing: 1 }));
    expect(loser.body.issued).toEqual([]);
    expect(await waitForProjections(url)).toBe(HEAD + 1);
  });

  it("after the run K1 is paid and nothing is payable", async ({ skip }) => {
    if (!projectorsAlive) skip();
    const url = server.baseUrl;
    expect((await get(url, "/v1/creators/K1/payout?asOf=2026-04-02")).body).toEqual({
      creatorId: "K1",
      asOf: "2026-04-02",
      asOfPosition: HEAD + 1,
      marketplaces: [
        {
          marketplace: "US",
          currency: "USD",
          payable: "0.00",
          pending: "-12.10",
          paid: "54.12",
          threshold: "10.00",
          status: "nothing_due",
          nextPayableOn: "2026-04-30",
          taxInfoOnFile: true,
          paymentMethod: "direct_deposit",
          // §12: −12.10 locked (February and March) + 0.00 payable + 54.12 paid = 42.02, the total.
          hold: null,
          receivable: "0.00",
          lifecycle: { pending: "0.00", locked: "-12.10", payable: "0.00", paid: "54.12" },
        },
      ],
    });
    // 2026-05-31: 54.12 + 0.90 − 13.00 − 54.12 paid = −12.10 → nothing_due (the negative balance carries over)
    expect((await get(url, "/v1/creators/K1/payout?asOf=2026-05-31")).body.marketplaces[0]).toMatchObject({
      payable: "-12.10",
      pending: "0.00",
      paid: "54.12",
      status: "nothing_due",
    });
  });

  it("the stored PayoutIssued has the SPEC id and amount (resending it is a duplicate)", async ({ skip }) => {
    if (!projectorsAlive) skip();
    const url = server.baseUrl;
    // occurredAt: the implementation writes the start of asOf in the marketplace zone; the duplicate
    // check compares instants, so this identical event must be acknowledged as a duplicate.
    const payout = {
      id: K1_PAYOUT.payoutId,
      type: "PayoutIssued",
      occurredAt: "2026-04-02T00:00:00-07:00",
      data: { payoutId: K1_PAYOUT.payoutId, creatorId: "K1", marketplace: "US", amount: "54.12" },
    };
    expect((await postEvents(url, [payout])).body).toEqual({ appended: 0, duplicates: 1, lastPosition: HEAD + 1 });
  });

  it("running again (same date, later date) issues nothing", async ({ skip }) => {
    if (!projectorsAlive) skip();
    const url = server.baseUrl;
    expect((await postJson(url, "/v1/payouts/run", RUN)).body).toEqual(
      usRunAnswer("2026-04-02", HEAD + 1, [], { nothing_due: 2, tax_info_missing: 1 }),
    );
    expect((await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-03" })).body).toEqual(
      usRunAnswer("2026-04-03", HEAD + 1, [], { nothing_due: 2, tax_info_missing: 1 }),
    );
    expect(await head(url)).toBe(HEAD + 1);
  });

  it("after a restart over the same data directory the read answers are identical and a run issues nothing", async ({ skip }) => {
    if (!projectorsAlive) skip();
    const before = await snapshot(server.baseUrl);
    server = await server.restart();
    await waitForProjections(server.baseUrl);
    const after = await snapshot(server.baseUrl);
    expect(after).toEqual(before);
    expect((await postJson(server.baseUrl, "/v1/payouts/run", RUN)).body).toEqual(
      usRunAnswer("2026-04-02", HEAD + 1, [], { nothing_due: 2, tax_info_missing: 1 }),
    );
    expect((await postJson(server.baseUrl, "/v1/payouts/run", { marketplace: "US", asOf: "2026-06-30" })).body).toEqual(
      usRunAnswer("2026-06-30", HEAD + 1, [], { nothing_due: 2, tax_info_missing: 1 }),
    );
    expect(await head(server.baseUrl)).toBe(HEAD + 1);
  });

  it("resending the whole fixture after the restart gives all duplicates", async ({ skip }) => {
    if (!projectorsAlive) skip();
    expect((await postEvents(server.baseUrl, ALL_EVENTS)).body).toEqual({ appended: 0, duplicates: HEAD, lastPosition: HEAD + 1 });
  });

  it("no answer was a 5xx", () => {
    expectNo5xxAndErrorShapes();
  });
});

describe("payout runs for two different dates racing", () => {
  let server: E2eServer;

  beforeAll(async () => {
    server = await startE2eServer();
    await postEvents(server.baseUrl, ALL_EVENTS);
    await waitForProjections(server.baseUrl);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("pay K1's balance once, not once per date", async () => {
    const url = server.baseUrl;
    // Both dates see January payable (54.12); only one PayoutIssued may pay it (rule 11: payable minus PayoutIssued amounts).
    const [a, b] = await Promise.all([
      postJson(url, "/v1/payouts/run", RUN),
      postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-03" }),
    ]);
    const issued = [...a.body.issued, ...b.body.issued];
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ creatorId: "K1", amount: "54.12" });
    await waitForProjections(url);
    expect(await head(url)).toBe(HEAD + 1);
    expect((await get(url, "/v1/creators/K1/payout?asOf=2026-04-03")).body.marketplaces[0]).toMatchObject({
      payable: "0.00",
      paid: "54.12",
      status: "nothing_due",
    });
  });

  it("a restart straight after a payout (before anyone waits for the projections) does not pay again", async () => {
    // K2 becomes ready: tax info, gift_card (threshold 10.00), and a second January shipment:
    // A5 toys 3 × 100.00 × 0.03 = 9.00 → payable as of 2026-04-10: 3.00 + 9.00 = 12.00 ≥ 10.00.
    const url = server.baseUrl;
    expect(
      (
        await postEvents(url, [
          { id: "tax-2", type: "TaxInfoSubmitted", occurredAt: "2026-01-01T00:00:00Z", data: { creatorId: "K2", marketplace: "US" } },
          {
            id: "pm-2",
            type: "PaymentMethodChanged",
            occurredAt: "2026-01-01T00:00:00Z",
            data: { creatorId: "K2", marketplace: "US", method: "gift_card" },
          },
          {
            id: "shp-k2b",
            type: "ShipmentRecorded",
            occurredAt: "2026-01-20T18:00:00Z",
            data: {
              shipmentId: "S5",
              orderId: "O5",
              trackingId: "T2",
              orderedAt: "2026-01-19T18:00:00Z",
              lines: [{ asin: "A5", category: "toys", quantity: 3, unitPrice: "100.00" }],
            },
          },
        ])
      ).status,
    ).toBe(200);
    const run = await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-10" });
    expect(run.body).toEqual(usRunAnswer("2026-04-10", HEAD + 5, [usPayout("payout:K2:US:2026-04-10", "K2", "12.00")], { nothing_due: 2 }));
    server = await server.restart();
    // No wait: the runs themselves must wait for the payout projection to apply K2's PayoutIssued.
    const again = await Promise.all([
      postJson(server.baseUrl, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-10" }),
      postJson(server.baseUrl, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-11" }),
    ]);
    expect(again.map((a) => a.body)).toEqual([
      usRunAnswer("2026-04-10", HEAD + 5, [], { nothing_due: 3 }),
      usRunAnswer("2026-04-11", HEAD + 5, [], { nothing_due: 3 }),
    ]);
    expect(await head(server.baseUrl)).toBe(HEAD + 5);
    expectNo5xxAndErrorShapes();
  });
});
