// SPEC §12 over real sockets: holds, the creator's own thresholds and write-offs, as the payout read,
// GET /v1/holds and payout runs show them; a hold that lands between a run's decision and its
// append; hostile inputs (400, never 500). Every expected value is worked out by hand below. Run on
// the SQLite store and read models, and on the PostgreSQL store and read models.
//
// The fixture (tests/e2e/fixture.ts, positions 1-18), K1 in the US: earning months
//   2026-01: 6.00 + 1.12 + 10.00 − 3.00 + 40.00 confirmed = 54.12, payable on 2026-04-02;
//   2026-02: 0.90, payable on 2026-04-30;  2026-03: −3.00 − 10.00 = −13.00, payable on 2026-05-31;
//   total 42.02; tax info and direct_deposit (threshold 10.00) on file, no bonus pending.
// K2: 3.00 payable from 2026-04-02, no tax info, no payment method. K3: nothing earned.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateBatch } from "../../domain/events/validate.ts";
import {
  expectErrorShape,
  expectNo5xxAndErrorShapes,
  get,
  postEvents,
  postJson,
  startE2eServer,
  usPayout,
  usRunAnswer,
  waitForProjections,
  type E2eServer,
} from "../support/e2eServer.ts";
import { dropLedgerSchemas, postgresLedgerEnv, randomSchema } from "../support/pgTest.ts";
import { ALL_EVENTS, K1_PAYOUT_2026_04_02, K2_PAYOUT_2026_04_02 } from "./fixture.ts";

const HEAD = ALL_EVENTS.length; // 18

const held = (id: string, occurredAt: string, data: Record<string, unknown>) => ({ id, type: "PayoutsHeld", occurredAt, data });
const released = (id: string, occurredAt: string, data: Record<string, unknown>) => ({ id, type: "PayoutsReleased", occurredAt, data });
const threshold = (id: string, creatorId: string, marketplace: string, amount: string | null) => ({
  id,
  type: "PayoutThresholdSet",
  occurredAt: "2026-04-01T12:00:00Z",
  data: { creatorId, marketplace, amount },
});
const writeOff = (id: string, amount: string) => ({
  id,
  type: "BalanceWrittenOff",
  occurredAt: "2026-06-05T12:00:00-07:00", // LA date 2026-06-05: month 2026-06, payable on 2026-08-30
  data: { creatorId: "K1", marketplace: "US", amount, reasonCode: "uncollectible", note: "return after payout", actor: "finance:alice" },
});

/** K1's US payout line as of 2026-04-02 with everything of the fixture: 54.12 payable, February and March locked. */
const K1_APRIL = K1_PAYOUT_2026_04_02;

const ALL_HOLD = { reasonCode: "compliance", note: "KYC documents expired", actor: "compliance:lee", since: "2026-02-15T00:00:00Z" };
const US_HOLD = {
  reasonCode: "fraud_review",
  note: "chargeback spike under review",
  actor: "risk:maria",
  since: "2026-03-01T09:00:00-08:00",
};

function holdsSuite(label: string, env: () => Record<string, string>) {
  describe(`holds, own thresholds and write-offs (SPEC §12, ${label})`, () => {
    let server: E2eServer;
    let url: string;

    beforeAll(async () => {
      server = await startE2eServer({ env: env() });
      url = server.baseUrl;
      expect((await postEvents(url, ALL_EVENTS)).status).toBe(200);
    });
    afterAll(async () => {
      await server?.destroy();
    });

    async function post(events: unknown[]): Promise<number> {
      const answer = await postEvents(url, events);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.appended).toBe(events.length);
      return waitForProjections(url);
    }

    const k1 = async (query: string) => {
      const answer = await get(url, `/v1/creators/K1/payout?${query}`);
      expect(answer.status, answer.text).toBe(200);
      return answer.body.marketplaces[0];
    };

    it("a held creator is on_hold right after nothing_due; with both scopes held, the hold that began first shows", async () => {
      expect(
        await post([
          // P19: K1 in the US; began 2026-03-01 17:00 UTC.
          held("hold-us", US_HOLD.since, {
            creatorId: "K1",
            marketplace: "US",
            reasonCode: US_HOLD.reasonCode,
            note: US_HOLD.note,
            actor: US_HOLD.actor,
          }),
          // P20: K1 in every marketplace; recorded later, but began earlier (2026-02-15).
          held("hold-all", ALL_HOLD.since, {
            creatorId: "K1",
            reasonCode: ALL_HOLD.reasonCode,
            note: ALL_HOLD.note,
            actor: ALL_HOLD.actor,
          }),
          // P21: a creator nobody knows: a fine fact, stored and standing (see GET /v1/holds).
          held("hold-ghost", "2026-03-10T12:00:00Z", {
            creatorId: "K-nobody",
            marketplace: "US",
            reasonCode: "dispute",
            note: "bank dispute",
            actor: "ops",
          }),
          // P22: the US scope of K1 again: anomaly invalid_state, nothing changes.
          held("hold-us-again", "2026-03-11T12:00:00Z", {
            creatorId: "K1",
            marketplace: "US",
            reasonCode: "other",
            note: "again",
            actor: "ops",
          }),
        ]),
      ).toBe(HEAD + 4);
      expect(await k1("asOf=2026-04-02")).toEqual({ ...K1_APRIL, status: "on_hold", hold: ALL_HOLD });
      // Nothing payable on 2026-04-01 (January's payable date is 2026-04-02): nothing_due comes first.
      expect(await k1("asOf=2026-04-01")).toMatchObject({ payable: "0.00", status: "nothing_due", hold: ALL_HOLD });
      // As of P19 only the US hold stood.
      expect(await k1("asOf=2026-04-02&asOfPosition=19")).toEqual({ ...K1_APRIL, status: "on_hold", hold: US_HOLD });
      expect(await k1("asOf=2026-04-02&asOfPosition=18")).toEqual(K1_APRIL);
      const anomalies = (await get(url, "/v1/creators/K1/earnings")).body.anomalies as { eventId: string; code: string }[];
      expect(anomalies.filter((a) => a.eventId.startsWith("hold-")).map((a) => [a.eventId, a.code])).toEqual([
        ["hold-us-again", "invalid_state"],
      ]);
      // A creator known by a hold alone has no payout account: 404, as any unknown creator.
      expectErrorShape(await get(url, "/v1/creators/K-nobody/payout?asOf=2026-04-02"), 404);
    });

    it("GET /v1/holds lists every hold standing with rule 11's payable it holds back; by marketplace; as of a position", async () => {
      const k1Payable = [{ marketplace: "US", currency: "USD", asOf: "2026-04-02", amount: "54.12" }];
      // By creatorId ("K-nobody" < "K1": '-' is U+002D), then the all-marketplaces hold first.
      expect((await get(url, "/v1/holds?asOf=2026-04-02")).body).toEqual({
        asOfPosition: HEAD + 4,
        holds: [
          {
            creatorId: "K-nobody",
            marketplace: "US",
            reasonCode: "dispute",
            note: "bank dispute",
            actor: "ops",
            since: "2026-03-10T12:00:00Z",
            payable: [],
          },
          { creatorId: "K1", marketplace: null, ...ALL_HOLD, payable: k1Payable },
          { creatorId: "K1", marketplace: "US", ...US_HOLD, payable: k1Payable },
        ],
      });
      // In JP only the all-marketplaces hold holds K1, who has no JP account: nothing held back there.
      expect((await get(url, "/v1/holds?marketplace=JP&asOf=2026-04-02")).body).toEqual({
        asOfPosition: HEAD + 4,
        holds: [{ creatorId: "K1", marketplace: null, ...ALL_HOLD, payable: [] }],
      });
      // As of P20: the ghost's hold (P21) is not there yet.
      expect((await get(url, "/v1/holds?asOf=2026-04-02&asOfPosition=20")).body).toEqual({
        asOfPosition: 20,
        holds: [
          { creatorId: "K1", marketplace: null, ...ALL_HOLD, payable: k1Payable },
          { creatorId: "K1", marketplace: "US", ...US_HOLD, payable: k1Payable },
        ],
      });
      // Without asOf: today in the marketplace's zone (after 2026-05-31: 54.12 + 0.90 − 13.00 = 42.02).
      const today = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Los_Angeles" }).format(new Date());
      const now = (await get(url, "/v1/holds?marketplace=US")).body;
      expect(now.holds[1].payable).toEqual([{ marketplace: "US", currency: "USD", asOf: today, amount: "42.02" }]);
    });

    it("a payout run pays no held creator and counts it under notPaid.on_hold; releases end the hold of their scope", async () => {
      const run = await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-02" });
      expect(run.body).toEqual(usRunAnswer("2026-04-02", HEAD + 4, [], { on_hold: 1, nothing_due: 1, tax_info_missing: 1 }));
      // P23: the all-marketplaces hold ends; the US hold still holds K1.
      await post([
        released("release-all", "2026-04-03T00:00:00Z", { creatorId: "K1", note: "documents renewed", actor: "compliance:lee" }),
      ]);
      expect(await k1("asOf=2026-04-02")).toEqual({ ...K1_APRIL, status: "on_hold", hold: US_HOLD });
      // P24, P25: the US hold ends; a second release of it is an anomaly (invalid_state).
      await post([
        released("release-us", "2026-04-03T01:00:00Z", { creatorId: "K1", marketplace: "US", note: "cleared", actor: "risk:maria" }),
        released("release-us-again", "2026-04-03T02:00:00Z", { creatorId: "K1", marketplace: "US", note: "cleared", actor: "risk:maria" }),
      ]);
      expect(await k1("asOf=2026-04-02")).toEqual(K1_APRIL);
      expect((await get(url, "/v1/holds?asOf=2026-04-02")).body.holds.map((h: { creatorId: string }) => h.creatorId)).toEqual(["K-nobody"]);
    });

    it("the creator's own threshold: max(method's, own); the own one alone without a method; null removes it", async () => {
      await post([threshold("thr-k1-60", "K1", "US", "60.00")]); // P26
      expect(await k1("asOf=2026-04-02")).toEqual({ ...K1_APRIL, threshold: "60.00", status: "below_threshold" }); // 54.12 < 60.00
      await post([threshold("thr-k1-5", "K1", "US", "5.00")]); // P27: 10.00 (direct deposit) is the larger
      expect(await k1("asOf=2026-04-02")).toEqual(K1_APRIL);
      await post([threshold("thr-k1-60b", "K1", "US", "60.00"), threshold("thr-k1-null", "K1", "US", null)]); // P28, P29: removed
      expect(await k1("asOf=2026-04-02")).toEqual(K1_APRIL);
      // P30, P31: K2 has no payment method: the own threshold shows; a threshold opens a JP account (all zero).
      await post([threshold("thr-k2-us", "K2", "US", "20.00"), threshold("thr-k2-jp", "K2", "JP", "700")]);
      const k2 = await get(url, "/v1/creators/K2/payout?asOf=2026-04-02");
      expect(k2.body.marketplaces).toEqual([
        {
          marketplace: "JP",
          currency: "JPY",
          payable: "0",
          pending: "0",
          paid: "0",
          threshold: "700",
          status: "nothing_due",
          nextPayableOn: "2026-04-30",
          taxInfoOnFile: false,
          paymentMethod: null,
          hold: null,
          receivable: "0",
          lifecycle: { pending: "0", locked: "0", payable: "0", paid: "0" },
        },
        { ...K2_PAYOUT_2026_04_02, threshold: "20.00" },
      ]);
    });

    it("a hold stored between a run's decision and its append refuses the append: the creator is decided again, on_hold", async () => {
      const head = HEAD + 13; // P31
      // The hold is appended by "another process" the moment the run appends K1's payout (P32).
      const lateHold = held("hold-late", "2026-04-02T15:00:00Z", {
        creatorId: "K1",
        reasonCode: "dispute",
        note: "bank recall",
        actor: "ops",
      });
      const store = server.ledger.store;
      const append = store.append.bind(store);
      const attempts: string[] = [];
      store.append = async (events, options) => {
        if (events.some((e) => e.type === "PayoutIssued")) {
          attempts.push(events.map((e) => e.id).join(","));
          if (attempts.length === 1) {
            const validated = validateBatch([lateHold]);
            if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
            await append(validated.events); // between the decision (K1 ready at P31) and the payout's append
          }
        }
        return append(events, options);
      };
      try {
        const run = await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-02" });
        expect(run.body).toEqual(usRunAnswer("2026-04-02", head, [], { on_hold: 1, nothing_due: 1, tax_info_missing: 1 }));
      } finally {
        store.append = append;
      }
      // One append of the payout was tried, and refused (the holds stream moved): nothing was paid.
      expect(attempts).toEqual(["payout:K1:US:2026-04-02"]);
      expect((await get(url, "/v1/events?type=PayoutIssued")).body.events).toEqual([]);
      expect(await waitForProjections(url)).toBe(head + 1);
      const lateView = { reasonCode: "dispute", note: "bank recall", actor: "ops", since: "2026-04-02T15:00:00Z" };
      expect(await k1("asOf=2026-04-02")).toEqual({ ...K1_APRIL, status: "on_hold", hold: lateView });
      const anomalies = (await get(url, "/v1/creators/K1/earnings")).body.anomalies as { code: string }[];
      expect(anomalies.map((a) => a.code)).not.toContain("paid_while_held");
      // P33: released; the next run pays K1 (P34).
      await post([released("release-late", "2026-04-02T16:00:00Z", { creatorId: "K1", note: "recall withdrawn", actor: "ops" })]);
      const paid = await postJson(url, "/v1/payouts/run", { marketplace: "US", asOf: "2026-04-02" });
      expect(paid.body).toEqual(
        usRunAnswer("2026-04-02", head + 3, [usPayout("payout:K1:US:2026-04-02", "K1", "54.12")], { nothing_due: 1, tax_info_missing: 1 }),
      );
      expect(await waitForProjections(url)).toBe(head + 3);
    });

    it("a write-off of at most the debt books kind writeoff as adjusted; more than the debt is exceeds_receivable", async () => {
      // After the payout of 54.12, as of 2026-05-31: 54.12 + 0.90 − 13.00 − 54.12 = −12.10: a receivable.
      // creator:K1:US:earned = total 42.02 − paid 54.12 = −12.10: K1 owes 12.10.
      expect(await k1("asOf=2026-05-31")).toMatchObject({
        payable: "-12.10",
        status: "nothing_due",
        receivable: "12.10",
        lifecycle: { pending: "0.00", locked: "0.00", payable: "-12.10", paid: "54.12" },
      });
      // P35: 12.11 > 12.10: nothing booked. P36: exactly the debt. P37: K1 owes nothing any more.
      expect(await post([writeOff("wo-too-much", "12.11"), writeOff("wo-debt", "12.10"), writeOff("wo-none", "0.01")])).toBe(HEAD + 19);
      const earnings = (await get(url, "/v1/creators/K1/earnings")).body;
      expect(
        earnings.anomalies
          .filter((a: { eventId: string }) => a.eventId.startsWith("wo-"))
          .map((a: { eventId: string; code: string }) => [a.eventId, a.code]),
      ).toEqual([
        ["wo-too-much", "exceeds_receivable"],
        ["wo-none", "exceeds_receivable"],
      ]);
      expect(earnings.marketplaces[0].totals).toMatchObject({ adjusted: "12.10", total: "54.12" }); // 42.02 + 12.10
      expect(earnings.marketplaces[0].months.find((m: { month: string }) => m.month === "2026-06")).toMatchObject({
        payableOn: "2026-08-30",
        adjusted: "12.10",
        total: "12.10",
      });
      const ledger = (await get(url, "/v1/creators/K1/ledger")).body.entries as Record<string, unknown>[];
      expect(ledger.at(-1)).toMatchObject({
        position: HEAD + 18,
        sourceEventId: "wo-debt",
        kind: "writeoff",
        amount: "12.10",
        source: "program:US:writeoffs",
        destination: "creator:K1:US:earned",
        earningMonth: "2026-06",
        campaignId: null,
      });
      expect((await get(url, "/v1/accounts/creator:K1:US:earned")).body.balance).toBe("0.00");
      expect((await get(url, "/v1/accounts/program:US:writeoffs")).body.balance).toBe("-12.10");
      // The write-off's month is payable on 2026-08-30 (rules 10-11): until then the receivable stands, locked beside it.
      expect(await k1("asOf=2026-06-30")).toMatchObject({
        payable: "-12.10",
        receivable: "12.10",
        lifecycle: { pending: "0.00", locked: "12.10", payable: "-12.10", paid: "54.12" }, // = 54.12, the total
      });
      expect(await k1("asOf=2026-08-30")).toMatchObject({
        payable: "0.00",
        receivable: "0.00",
        status: "nothing_due",
        lifecycle: { pending: "0.00", locked: "0.00", payable: "0.00", paid: "54.12" },
      });
    });

    it("hostile inputs are 400 naming the field, never 500", async () => {
      const refused = async (event: Record<string, unknown>, path: string) => {
        const answer = await postEvents(url, [{ id: "hostile", occurredAt: "2026-04-01T00:00:00Z", ...event }]);
        expectErrorShape(answer, 400);
        expect(
          answer.body.error.details.map((d: { path: string }) => d.path),
          JSON.stringify(answer.body),
        ).toContain(path);
      };
      const wo = { type: "BalanceWrittenOff" };
      const woData = { creatorId: "K1", marketplace: "US", reasonCode: "goodwill", note: "n", actor: "a" };
      for (const amount of ["0.00", "0", "-1.00", "1.001", "1e3", 5]) await refused({ ...wo, data: { ...woData, amount } }, "data.amount");
      await refused({ ...wo, data: { ...woData, amount: "1.00", reasonCode: "fraud" } }, "data.reasonCode");
      const thr = { type: "PayoutThresholdSet" };
      for (const amount of ["10.001", "-1.00", "ten", 10])
        await refused({ ...thr, data: { creatorId: "K1", marketplace: "US", amount } }, "data.amount");
      await refused({ ...thr, data: { creatorId: "K1", marketplace: "JP", amount: "10.5" } }, "data.amount"); // JPY has no minor digits
      await refused({ ...thr, data: { creatorId: "K1", marketplace: "US" } }, "data.amount"); // null removes; absent is not allowed
      const hold = { type: "PayoutsHeld" };
      const holdData = { creatorId: "K1", reasonCode: "dispute", note: "n", actor: "a" };
      await refused({ ...hold, data: { ...holdData, reasonCode: "vacation" } }, "data.reasonCode");
      await refused({ ...hold, data: { ...holdData, note: "" } }, "data.note");
      await refused({ ...hold, data: { ...holdData, note: "x".repeat(501) } }, "data.note");
      await refused({ ...hold, data: { ...holdData, actor: "a".repeat(129) } }, "data.actor");
      await refused({ ...hold, data: { ...holdData, marketplace: "XX" } }, "data.marketplace");
      await refused({ ...hold, data: { ...holdData, marketplace: null } }, "data.marketplace"); // absent means every marketplace
      await refused({ type: "PayoutsReleased", data: { creatorId: "K1", note: "n", actor: "a", reasonCode: "dispute" } }, "data"); // unknown field: reasonCode
      for (const query of ["marketplace=XX", "asOf=2026-02-30", "asOfPosition=999999", "minPosition=x", "creatorId=K1"])
        expectErrorShape(await get(url, `/v1/holds?${query}`), 400);
      expectNo5xxAndErrorShapes();
    });
  });
}

holdsSuite("SQLite", () => ({}));

const schema = randomSchema("holds");
holdsSuite("PostgreSQL", () => postgresLedgerEnv(schema));

afterAll(() => dropLedgerSchemas(schema));
