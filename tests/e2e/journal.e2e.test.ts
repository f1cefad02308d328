// The auditor's journal over real sockets (SPEC §8): accounts, the trial balance, the event log,
// point-in-time and read-your-writes reads, adjustments, a failed payout paid again by the next run,
// and payout statements — every amount worked out by hand below from the fixture (fixture.ts).
//
// After the fixture (P1..P18), K1 in the US (fixture.ts, reads.e2e.test.ts):
//   January 54.12 (payable 2026-04-02), February 0.90 (2026-04-30), March −13.00 (2026-05-31).
// P19 payout run as of 2026-04-02: payout:K1:US:2026-04-02 of 54.12 (January).
// P20 PayoutFailed (account_closed): the 54.12 goes back to creator:K1:US:earned; paid 0.00.
// P21 payout run as of 2026-04-10: K1 is owed 54.12 again → payout:K1:US:2026-04-10 of 54.12.
// P22 CommissionAdjusted −60.00 (chargeback), 2026-04-20 in LA → earning month 2026-04, payable
//     2026-06-30. As of 2026-06-30: due 54.12 + 0.90 − 13.00 − 60.00 = −17.98, paid 54.12
//     → payable −72.10: nothing_due, carried over.
// P23 a May shipment of K1 (campaign ended: standard only), electronics 1 × 4000.00 × 0.025 = 100.00,
//     month 2026-05, payable 2026-07-31. As of 2026-07-31: due −17.98 + 100.00 = 82.02, paid 54.12
//     → payable 27.90 ≥ 10.00: ready (the negative balance was carried: 100.00 − 72.10).
// P24 payout run as of 2026-07-31: payout:K1:US:2026-07-31 of 27.90.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectErrorShape,
  expectNo5xxAndErrorShapes,
  get,
  postEvents,
  postJson,
  startE2eServer,
  waitForProjections,
  usPayout,
  usRunAnswer,
  type E2eServer,
} from "../support/e2eServer.ts";
import { ALL_EVENTS, CAMPAIGN, FORMULA_CAMPAIGN } from "./fixture.ts";

const HEAD = ALL_EVENTS.length; // 18
const FIRST = "payout:K1:US:2026-04-02";
const SECOND = "payout:K1:US:2026-04-10";
const THIRD = "payout:K1:US:2026-07-31";

const failure = {
  id: "pf-1",
  type: "PayoutFailed",
  occurredAt: "2026-04-05T16:00:00Z",
  data: { payoutId: FIRST, reason: "account_closed" },
};
const adjustment = {
  id: "adj-1",
  type: "CommissionAdjusted",
  occurredAt: "2026-04-20T12:00:00Z",
  data: {
    creatorId: "K1",
    marketplace: "US",
    amount: "-60.00",
    reasonCode: "chargeback",
    note: "order O2 charged back",
    actor: "finance:jo",
  },
};
const mayShipment = {
  id: "shp-may",
  type: "ShipmentRecorded",
  occurredAt: "2026-05-10T18:00:00Z",
  data: {
    shipmentId: "S9",
    orderId: "O9",
    trackingId: "T1",
    orderedAt: "2026-05-09T18:00:00Z",
    lines: [{ asin: "E1", category: "electronics", quantity: 1, unitPrice: "4000.00" }],
  },
};

describe("the journal, point in time, payouts and statements (SPEC §8)", () => {
  let server: E2eServer;
  let url: string;

  beforeAll(async () => {
    server = await startE2eServer();
    url = server.baseUrl;
    expect((await postEvents(url, ALL_EVENTS)).status).toBe(200);
    await waitForProjections(url);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("a failed payout is paid again by the next run; a negative adjustment is carried into a later month", async () => {
    expect((await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-02" })).body).toEqual(
      usRunAnswer("2026-04-02", HEAD + 1, [usPayout(FIRST, "K1", "54.12")], { nothing_due: 1, tax_info_missing: 1 }),
    );
    const failed = await postEvents(url, [failure]);
    expect(failed.body).toEqual({ appended: 1, duplicates: 0, lastPosition: HEAD + 2 });
    // Read-your-writes: the payout read answers once the failure is applied.
    const afterFailure = await get(url, `/v1/creators/K1/payout?asOf=2026-04-10&minPosition=${HEAD + 2}`);
    expect(afterFailure.body.marketplaces[0]).toMatchObject({ payable: "54.12", paid: "0.00", status: "ready" });
    expect((await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-10" })).body).toEqual(
      usRunAnswer("2026-04-10", HEAD + 3, [usPayout(SECOND, "K1", "54.12")], { nothing_due: 1, tax_info_missing: 1 }),
    );
    const adjusted = await postEvents(url, [adjustment]);
    expect(adjusted.body.lastPosition).toBe(HEAD + 4);
    const june = await get(url, `/v1/creators/K1/payout?asOf=2026-06-30&minPosition=${HEAD + 4}`);
    expect(june.body.marketplaces[0]).toMatchObject({ payable: "-72.10", paid: "54.12", status: "nothing_due" });
    expect((await postEvents(url, [mayShipment])).body.lastPosition).toBe(HEAD + 5);
    const july = await get(url, `/v1/creators/K1/payout?asOf=2026-07-31&minPosition=${HEAD + 5}`);
    expect(july.body.marketplaces[0]).toMatchObject({ payable: "27.90", paid: "54.12", status: "ready" });
    expect((await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-07-31" })).body).toEqual(
      usRunAnswer("2026-07-31", HEAD + 6, [usPayout(THIRD, "K1", "27.90")], { nothing_due: 1, tax_info_missing: 1 }),
    );
    await waitForProjections(url);
  });

  it("earnings show the adjustment in `adjusted`, in its month and in a campaigns row without a campaign", async () => {
    const k1 = (await get(url, "/v1/creators/K1/earnings")).body.marketplaces[0];
    // total 42.02 (fixture) − 60.00 + 100.00 = 82.02
    expect(k1.totals).toMatchObject({ standard: "118.02", reversed: "-16.00", adjusted: "-60.00", total: "82.02" });
    expect(k1.months.find((m: { month: string }) => m.month === "2026-04")).toMatchObject({
      payableOn: "2026-06-30",
      adjusted: "-60.00",
      total: "-60.00",
    });
    expect(k1.campaigns.map((c: { campaignId: string | null; total: string }) => [c.campaignId, c.total])).toEqual([
      [CAMPAIGN, "142.02"],
      [null, "-60.00"],
    ]);
  });

  it("payouts of K1, newest first, with their status", async () => {
    const answer = await get(url, "/v1/creators/K1/payouts");
    expect(answer.body).toEqual({
      creatorId: "K1",
      asOfPosition: HEAD + 6,
      payouts: [
        {
          payoutId: THIRD,
          creatorId: "K1",
          marketplace: "US",
          currency: "USD",
          amount: "27.90",
          date: "2026-07-31",
          position: HEAD + 6,
          status: "issued",
          failedReason: null,
        },
        {
          payoutId: SECOND,
          creatorId: "K1",
          marketplace: "US",
          currency: "USD",
          amount: "54.12",
          date: "2026-04-10",
          position: HEAD + 3,
          status: "issued",
          failedReason: null,
        },
        {
          payoutId: FIRST,
          creatorId: "K1",
          marketplace: "US",
          currency: "USD",
          amount: "54.12",
          date: "2026-04-02",
          position: HEAD + 1,
          status: "failed",
          failedReason: "account_closed",
        },
      ],
    });
    // As of P19 the first payout had not failed yet.
    expect((await get(url, `/v1/creators/K1/payouts?asOfPosition=${HEAD + 1}`)).body.payouts).toEqual([
      {
        payoutId: FIRST,
        creatorId: "K1",
        marketplace: "US",
        currency: "USD",
        amount: "54.12",
        date: "2026-04-02",
        position: HEAD + 1,
        status: "issued",
        failedReason: null,
      },
    ]);
  });

  it("statements: rule 11 at each payout's own position and date, field by field", async () => {
    const first = await get(url, `/v1/payouts/${FIRST}`);
    expect(first.body).toEqual({
      payoutId: FIRST,
      creatorId: "K1",
      marketplace: "US",
      currency: "USD",
      amount: "54.12",
      date: "2026-04-02",
      position: HEAD + 1,
      status: "failed",
      failedReason: "account_closed",
      asOfPosition: HEAD + 6,
      // January is the only month payable by 2026-04-02.
      statement: { months: [{ month: "2026-01", payableOn: "2026-04-02", earned: "54.12" }], previouslyPaid: "0.00", payable: "54.12" },
    });
    // The second: the first one failed before it, so nothing was previously paid.
    expect((await get(url, `/v1/payouts/${SECOND}`)).body.statement).toEqual({
      months: [{ month: "2026-01", payableOn: "2026-04-02", earned: "54.12" }],
      previouslyPaid: "0.00",
      payable: "54.12",
    });
    // The third: five months payable by 2026-07-31; 54.12 − 54.12 + 54.12 paid before it.
    expect((await get(url, `/v1/payouts/${THIRD}`)).body.statement).toEqual({
      months: [
        { month: "2026-01", payableOn: "2026-04-02", earned: "54.12" },
        { month: "2026-02", payableOn: "2026-04-30", earned: "0.90" },
        { month: "2026-03", payableOn: "2026-05-31", earned: "-13.00" },
        { month: "2026-04", payableOn: "2026-06-30", earned: "-60.00" },
        { month: "2026-05", payableOn: "2026-07-31", earned: "100.00" },
      ],
      previouslyPaid: "54.12",
      payable: "27.90",
    });
  });

  it("accounts reconcile: the trial balance of USD, every balance worked out by hand, sums to 0.00", async () => {
    const trial = await get(url, "/v1/trial-balance?currency=USD");
    expect(trial.body).toEqual({
      asOfPosition: HEAD + 6,
      currency: "USD",
      accounts: [
        { account: "brand:B1:US", balance: "-50.00" }, // funded CMP-1's budget
        { account: "brand:B2:US", balance: "-10.00" },
        { account: `campaign:${FORMULA_CAMPAIGN}:budget`, balance: "10.00" },
        { account: `campaign:${CAMPAIGN}:budget`, balance: "20.00" }, // = remaining: 50.00 − spent 30.00
        { account: `creator:K1:${CAMPAIGN}:pending`, balance: "0.00" },
        { account: "creator:K1:US:earned", balance: "0.00" }, // total 82.02 − pending 0 − paid 82.02
        { account: "creator:K2:US:earned", balance: "3.00" },
        { account: "payouts:US", balance: "82.02" }, // 54.12 − 54.12 + 54.12 + 27.90
        { account: "program:US:adjustments", balance: "60.00" }, // the chargeback came back to the program
        { account: "program:US:standard", balance: "-115.02" }, // −(118.02 + 3.00) + 6.00 reversed
      ],
      sum: "0.00",
    });
    expect((await get(url, `/v1/campaigns/${CAMPAIGN}/budget`)).body).toMatchObject({ remaining: "20.00", spent: "30.00" });
    expect((await get(url, "/v1/accounts/payouts:US")).body).toEqual({
      account: "payouts:US",
      currency: "USD",
      balance: "82.02",
      asOfPosition: HEAD + 6,
    });
  });

  it("an account's entries, paged, each with its change and the balance it left", async () => {
    const all = await get(url, "/v1/accounts/creator:K1:US:earned/entries?limit=1000");
    const last = all.body.entries[all.body.entries.length - 1];
    expect(last).toMatchObject({
      kind: "payout",
      sourceEventId: THIRD,
      change: "-27.90",
      balance: "0.00",
      source: "creator:K1:US:earned",
      destination: "payouts:US",
    });
    const failedBack = all.body.entries.find((e: { kind: string }) => e.kind === "payout_failed");
    expect(failedBack).toMatchObject({
      sourceEventId: "pf-1",
      amount: "54.12",
      change: "54.12",
      source: "payouts:US",
      destination: "creator:K1:US:earned",
    });
    const adjustmentEntry = all.body.entries.find((e: { kind: string }) => e.kind === "adjustment");
    // A negative adjustment reverses the transfer: the creator's earned account pays the program back.
    expect(adjustmentEntry).toMatchObject({
      amount: "-60.00",
      change: "-60.00",
      source: "creator:K1:US:earned",
      destination: "program:US:adjustments",
      earningMonth: "2026-04",
    });
    const paged: unknown[] = [];
    let after: string | null = "0";
    while (after !== null) {
      const page = await get(url, `/v1/accounts/creator:K1:US:earned/entries?limit=3&after=${after}`);
      paged.push(...page.body.entries);
      after = page.body.nextAfter;
    }
    expect(paged).toEqual(all.body.entries);
  });

  it("every sourceEventId of the ledger resolves in the event log, upcast", async () => {
    const ledger = await get(url, "/v1/creators/K1/ledger?limit=1000");
    const ids = [...new Set(ledger.body.entries.map((e: { sourceEventId: string }) => e.sourceEventId))] as string[];
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) {
      const event = await get(url, `/v1/events/${encodeURIComponent(id)}`);
      expect(event.status, id).toBe(200);
      expect(event.body.id).toBe(id);
    }
    // CampaignCreated v1 is shown as the engine reads it: upcast to v2, currency explicit.
    const created = await get(url, "/v1/events/cc-1");
    expect(created.body).toMatchObject({
      position: 1,
      streamId: `campaign-${CAMPAIGN}`,
      streamRevision: 0,
      type: "CampaignCreated",
      schemaVersion: 2,
    });
    expect(created.body.data.currency).toBe("USD");
  });

  it("the event log pages in position order, filtered by type, with next until null", async () => {
    const page = await get(url, "/v1/events?after=17&limit=3");
    expect(page.body.events.map((e: { position: number; id: string }) => [e.position, e.id])).toEqual([
      [18, "clk-3"],
      [19, FIRST],
      [20, "pf-1"],
    ]);
    expect(page.body.next).toBe(20);
    const payouts = await get(url, "/v1/events?type=PayoutIssued");
    expect(payouts.body.events.map((e: { id: string }) => e.id)).toEqual([FIRST, SECOND, THIRD]);
    expect(payouts.body.next).toBeNull();
  });

  it("point in time: earnings, budget and trial balance as of a position", async () => {
    // As of P18 (the fixture alone) K1's earnings are those of reads.e2e.test.ts.
    const then = await get(url, `/v1/creators/K1/earnings?asOfPosition=${HEAD}`);
    expect(then.body.asOfPosition).toBe(HEAD);
    expect(then.body.marketplaces[0].totals).toMatchObject({ standard: "18.02", adjusted: "0.00", total: "42.02" });
    // As of P8 CMP-1 was exhausted by S2.
    expect((await get(url, `/v1/campaigns/${CAMPAIGN}/budget?asOfPosition=8`)).body).toMatchObject({
      asOfPosition: 8,
      remaining: "0.00",
      exhausted: true,
      spent: "50.00",
    });
    expect((await get(url, "/v1/trial-balance?currency=USD&asOfPosition=8")).body.sum).toBe("0.00");
    // As of P0 nothing exists.
    expectErrorShape(await get(url, "/v1/creators/K1/earnings?asOfPosition=0"), 404, "not_found");
  });

  it("404 for an unknown event, account or payout", async () => {
    expectErrorShape(await get(url, "/v1/events/no-such-event"), 404, "not_found");
    expectErrorShape(await get(url, "/v1/accounts/creator:NOBODY:US:earned"), 404, "not_found");
    expectErrorShape(await get(url, "/v1/accounts/creator:NOBODY:US:earned/entries"), 404, "not_found");
    expectErrorShape(await get(url, "/v1/payouts/payout:NOBODY:US:2026-01-01"), 404, "not_found");
    // An event after asOfPosition does not exist yet.
    expectErrorShape(await get(url, `/v1/events/pf-1?asOfPosition=${HEAD + 1}`), 404, "not_found");
  });

  it("400 for a bad asOfPosition, minPosition, limit or after", async () => {
    for (const query of [
      "asOfPosition=abc",
      "asOfPosition=-1",
      "asOfPosition=1.5",
      "asOfPosition=99999",
      "minPosition=x",
      "minPosition=99999",
    ]) {
      expectErrorShape(await get(url, `/v1/creators/K1/earnings?${query}`), 400, "invalid_request");
    }
    for (const path of ["/v1/creators/K1/ledger", "/v1/anomalies", "/v1/accounts/payouts:US/entries", "/v1/events"]) {
      for (const query of ["limit=0", "limit=1001", "limit=abc", "after=x"])
        expectErrorShape(await get(url, `${path}?${query}`), 400, "invalid_request");
    }
    expectErrorShape(await get(url, "/v1/trial-balance"), 400, "invalid_request");
    expectErrorShape(await get(url, "/v1/trial-balance?currency=XYZ"), 400, "invalid_request");
    expectErrorShape(await get(url, "/v1/events?type=NoSuchType"), 400, "invalid_request");
  });

  it("no answer was a 5xx", () => {
    expectNo5xxAndErrorShapes();
  });
});

describe("minPosition past what the projections applied (SPEC §8.2)", () => {
  let server: E2eServer;

  beforeAll(async () => {
    // No projector runs in this process: the read models stay at 0 while the store grows.
    server = await startE2eServer({ env: { LEDGER_PROJECTORS: "none" } });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("waits at most 5 s, then answers 503 with Retry-After", async () => {
    expect((await postEvents(server.baseUrl, ALL_EVENTS.slice(0, 2))).body.lastPosition).toBe(2);
    const started = Date.now();
    const answer = await get(server.baseUrl, "/v1/creators/K1/earnings?minPosition=2");
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expectErrorShape(answer, 503, "projection_lagging");
    expect(answer.headers.get("retry-after")).toBe("1");
  });
});

describe("a failed payout paid again on the same date", () => {
  let server: E2eServer;

  beforeAll(async () => {
    server = await startE2eServer();
    expect((await postEvents(server.baseUrl, ALL_EVENTS)).status).toBe(200);
    await waitForProjections(server.baseUrl);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("gets the suffix :2 (the first id is taken by the failed payout)", async () => {
    const url = server.baseUrl;
    expect((await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-02" })).body.issued).toEqual([
      usPayout(FIRST, "K1", "54.12"),
    ]);
    expect((await postEvents(url, [failure])).status).toBe(200);
    expect((await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-02" })).body.issued).toEqual([
      usPayout(`${FIRST}:2`, "K1", "54.12"),
    ]);
    // Once paid, running the date again pays nothing.
    expect((await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-02" })).body.issued).toEqual([]);
  });
});
