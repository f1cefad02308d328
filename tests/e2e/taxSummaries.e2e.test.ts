// Year-end tax summaries (SPEC §15, "Part III, read precisely") over real sockets: a creator's
// year per marketplace (payouts by their local date, not failed, whenever the failure came;
// adjustments and write-offs by their booked month) and the filing list of a marketplace (paid ≥
// minimum, by creatorId, JSON and CSV), now and as of a position; 400 for a bad year, minimum or
// marketplace, 404 for an unknown creator; the `read` scope. On SQLite and PostgreSQL read models. Every expected value is worked out
// by hand in the comments beside the events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { balanceWrittenOff, commissionAdjusted, payoutFailed, payoutIssued } from "../support/domainFixtures.ts";
import { expectErrorShape, expectNo5xxAndErrorShapes, get, startE2eServer, startWithEvents, type E2eServer } from "../support/e2eServer.ts";
import { dropSchema, randomSchema } from "../support/pgTest.ts";

const payout = (n: number, payoutId: string, creatorId: string, marketplace: string, amount: string, occurredAt: string) =>
  payoutIssued({ id: `tax-po-${n}`, payoutId, creatorId, marketplace, amount, occurredAt });

// Position = index + 1. US is America/Los_Angeles (PST = UTC−8 in winter), JP is Asia/Tokyo (UTC+9).
const EVENTS = [
  /* 1 */ payout(1, "P-K1-2025", "K1", "US", "700.00", "2025-06-15T19:00:00Z"), // LA 2025-06-15: 2025
  /* 2 */ commissionAdjusted({ id: "tax-adj-2", creatorId: "K1", amount: "1.00", occurredAt: "2025-12-31T20:00:00Z" }), // LA 2025-12-31 12:00: booked 2025-12
  /* 3 */ payout(3, "P-K1-MAR", "K1", "US", "400.00", "2026-03-31T19:00:00Z"), // 2026
  /* 4 */ commissionAdjusted({ id: "tax-adj-4", creatorId: "K1", amount: "5.00", occurredAt: "2026-03-15T12:00:00Z" }), // booked 2026-03
  /* 5 */ payout(5, "P-K1-JP-AUG", "K1", "JP", "12000", "2026-08-01T03:00:00Z"), // Tokyo 2026-08-01 12:00: 2026
  // Dec 31 late evening in Los Angeles is already 2027 in UTC: the payout's local date, 2026-12-31, is what counts.
  /* 6 */ payout(6, "P-K1-DEC", "K1", "US", "250.00", "2027-01-01T06:30:00Z"), // LA 2026-12-31 22:30: 2026
  /* 7 */ commissionAdjusted({ id: "tax-adj-7", creatorId: "K1", amount: "-50.00", occurredAt: "2027-01-01T07:00:00Z" }), // LA 2026-12-31 23:00: booked 2026-12
  // K1's US debt here: −(−700 + 1 − 400 + 5 − 250 − 50) = 1394.00 ≥ 2.00, so the write-off is booked (2026-07).
  /* 8 */ balanceWrittenOff({ id: "tax-wo-8", creatorId: "K1", amount: "2.00", occurredAt: "2026-07-01T12:00:00Z" }),
  // And the other way round: Dec 31 in UTC is already Jan 1 in Tokyo.
  /* 9 */ payout(9, "P-K1-JP-NYE", "K1", "JP", "70000", "2026-12-31T15:30:00Z"), // Tokyo 2027-01-01 00:30: 2027
  /* 10 */ payout(10, "P-K1-JAN", "K1", "US", "30.00", "2027-01-01T08:30:00Z"), // LA 2027-01-01 00:30: 2027
  /* 11 */ payout(11, "P-K2-MAY", "K2", "US", "800.00", "2026-05-01T19:00:00Z"),
  /* 12 */ payout(12, "P-K2-JUN", "K2", "US", "599.99", "2026-06-01T19:00:00Z"),
  /* 13 */ payout(13, "P-K3-JUL", "K3", "US", "900.00", "2026-07-01T19:00:00Z"),
  /* 14 */ payoutFailed({ id: "tax-pf-14", payoutId: "P-K3-JUL", occurredAt: "2026-07-05T12:00:00Z" }), // K3's only payout of 2026 failed
  /* 15 */ payout(15, "P-K4-SEP", "K4", "US", "600.00", "2026-09-01T19:00:00Z"), // exactly the minimum
  /* 16 */ payout(16, "P-K5-OCT", "-K5", "US", "1000.00", "2026-10-01T19:00:00Z"), // an id a spreadsheet would read as a formula
  // A 2026 payout that fails in 2027 is not counted in 2026 from then on.
  /* 17 */ payoutFailed({ id: "tax-pf-17", payoutId: "P-K2-MAY", occurredAt: "2027-02-01T12:00:00Z" }),
];
const HEAD = EVENTS.length; // 17
const BEFORE_K2_FAILED = 16;

const us = (paid: string, payouts: number, adjusted: string) => ({ marketplace: "US", currency: "USD", paid, payouts, adjusted });
const jp = (paid: string, payouts: number, adjusted: string) => ({ marketplace: "JP", currency: "JPY", paid, payouts, adjusted });
const filer = (creatorId: string, paid: string, payouts: number) => ({ creatorId, marketplace: "US", currency: "USD", paid, payouts });

describe.each(["sqlite", "postgres"] as const)("year-end tax summaries (SPEC §15, %s read models)", (kind) => {
  let server: E2eServer;
  let url: string;
  const schema = kind === "postgres" ? randomSchema("tax_e2e") : null;

  beforeAll(async () => {
    server = await startWithEvents(schema, EVENTS);
    url = server.baseUrl;
    // Every event applied as intended: no anomaly (the write-off was within the debt).
    expect((await get(url, "/v1/anomalies")).body.anomalies).toEqual([]);
  });
  afterAll(async () => {
    await server?.destroy();
    if (schema !== null) await dropSchema(schema);
  });

  it("a creator's year per marketplace: payouts by local date, failures excluded, adjustments and write-offs by booked month", async () => {
    // 2026: JP 12000 (P5; P9 is 2027 in Tokyo). US 400.00 + 250.00 = 650.00 (P3, P6: Dec 31 in LA);
    // adjusted 5.00 (P4) − 50.00 (P7, booked 2026-12) + 2.00 (P8, write-off) = −43.00. Marketplaces in code-point order.
    expect((await get(url, "/v1/creators/K1/tax-summary?year=2026")).body).toEqual({
      creatorId: "K1",
      year: 2026,
      asOfPosition: HEAD,
      marketplaces: [jp("12000", 1, "0"), us("650.00", 2, "-43.00")],
    });
    // 2025: 700.00 (P1) and the 1.00 adjustment (P2).
    expect((await get(url, "/v1/creators/K1/tax-summary?year=2025")).body).toEqual({
      creatorId: "K1",
      year: 2025,
      asOfPosition: HEAD,
      marketplaces: [us("700.00", 1, "1.00")],
    });
    // 2027: JP 70000 (P9, Jan 1 in Tokyo), US 30.00 (P10, Jan 1 in LA); nothing booked in 2027.
    expect((await get(url, "/v1/creators/K1/tax-summary?year=2027")).body.marketplaces).toEqual([
      jp("70000", 1, "0"),
      us("30.00", 1, "0.00"),
    ]);
    // K2: P11 failed in 2027 (P17), so 2026 counts P12 alone.
    expect((await get(url, "/v1/creators/K2/tax-summary?year=2026")).body.marketplaces).toEqual([us("599.99", 1, "0.00")]);
    // K3: its only payout failed: the marketplace shows, with nothing paid.
    expect((await get(url, "/v1/creators/K3/tax-summary?year=2026")).body.marketplaces).toEqual([us("0.00", 0, "0.00")]);
    // A known creator with nothing in the year: no marketplace.
    expect((await get(url, "/v1/creators/K3/tax-summary?year=2025")).body).toEqual({
      creatorId: "K3",
      year: 2025,
      asOfPosition: HEAD,
      marketplaces: [],
    });
  });

  it("the filing list: paid ≥ minimum (non-failed payouts only), by creatorId, in JSON", async () => {
    // 2026 US: -K5 1000.00, K1 650.00 (2 payouts), K4 600.00 (= minimum); K2 599.99 and K3 0.00 (failed) are below.
    expect((await get(url, "/v1/tax-summaries?year=2026&marketplace=US&minimum=600.00")).body).toEqual({
      year: 2026,
      marketplace: "US",
      currency: "USD",
      minimum: "600.00",
      asOfPosition: HEAD,
      creators: [filer("-K5", "1000.00", 1), filer("K1", "650.00", 2), filer("K4", "600.00", 1)],
    });
    // A minimum of 599.99 (written "599.99") takes K2 in; a minimum of 0 (written "0") lists every creator
    // paid anything, and still not K3, whose only payout failed. The minimum is answered with the currency's digits.
    const everyone = [filer("-K5", "1000.00", 1), filer("K1", "650.00", 2), filer("K2", "599.99", 1), filer("K4", "600.00", 1)];
    expect((await get(url, "/v1/tax-summaries?year=2026&marketplace=US&minimum=599.99")).body.creators).toEqual(everyone);
    const zero = (await get(url, "/v1/tax-summaries?year=2026&marketplace=US&minimum=0")).body;
    expect(zero.minimum).toBe("0.00");
    expect(zero.creators).toEqual(everyone);
    // Other years and JPY (no minor digits).
    expect((await get(url, "/v1/tax-summaries?year=2025&marketplace=US&minimum=600")).body.creators).toEqual([filer("K1", "700.00", 1)]);
    expect((await get(url, "/v1/tax-summaries?year=2027&marketplace=US&minimum=0.01")).body.creators).toEqual([filer("K1", "30.00", 1)]);
    const jp2026 = (await get(url, "/v1/tax-summaries?year=2026&marketplace=JP&minimum=600")).body;
    expect(jp2026).toEqual({
      year: 2026,
      marketplace: "JP",
      currency: "JPY",
      minimum: "600",
      asOfPosition: HEAD,
      creators: [{ creatorId: "K1", marketplace: "JP", currency: "JPY", paid: "12000", payouts: 1 }],
    });
    expect((await get(url, "/v1/tax-summaries?year=2027&marketplace=JP&minimum=70000")).body.creators).toEqual([
      { creatorId: "K1", marketplace: "JP", currency: "JPY", paid: "70000", payouts: 1 },
    ]);
    expect((await get(url, "/v1/tax-summaries?year=2027&marketplace=JP&minimum=70001")).body.creators).toEqual([]);
    expect((await get(url, "/v1/tax-summaries?year=2026&marketplace=DE&minimum=0")).body.creators).toEqual([]);
  });

  it("the filing list in CSV, byte for byte, a formula-like id neutralised", async () => {
    const csv = await get(url, "/v1/tax-summaries?year=2026&marketplace=US&minimum=600.00&format=csv");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="tax-summaries-US-2026.csv"');
    expect(csv.headers.get("x-as-of-position")).toBe(String(HEAD));
    expect(csv.text).toBe(
      "creator_id,marketplace,currency,paid,payouts\n" + "'-K5,US,USD,1000.00,1\n" + "K1,US,USD,650.00,2\n" + "K4,US,USD,600.00,1\n",
    );
    const none = await get(url, "/v1/tax-summaries?year=2024&marketplace=US&minimum=0&format=csv");
    expect(none.text).toBe("creator_id,marketplace,currency,paid,payouts\n");
  });

  it("as of a position: a payout counts until its failure is applied; before its payout, it is not there", async () => {
    // As of P16 K2's May payout has not failed yet: 800.00 + 599.99 = 1399.99 in 2 payouts.
    expect((await get(url, `/v1/creators/K2/tax-summary?year=2026&asOfPosition=${BEFORE_K2_FAILED}`)).body).toEqual({
      creatorId: "K2",
      year: 2026,
      asOfPosition: BEFORE_K2_FAILED,
      marketplaces: [us("1399.99", 2, "0.00")],
    });
    expect((await get(url, `/v1/tax-summaries?year=2026&marketplace=US&minimum=600.00&asOfPosition=${BEFORE_K2_FAILED}`)).body).toEqual({
      year: 2026,
      marketplace: "US",
      currency: "USD",
      minimum: "600.00",
      asOfPosition: BEFORE_K2_FAILED,
      creators: [filer("-K5", "1000.00", 1), filer("K1", "650.00", 2), filer("K2", "1399.99", 2), filer("K4", "600.00", 1)],
    });
    // As of P13 K3's payout has not failed yet (P14); -K5 (P16) and K4 (P15) are not paid yet.
    expect((await get(url, "/v1/creators/K3/tax-summary?year=2026&asOfPosition=13")).body.marketplaces).toEqual([us("900.00", 1, "0.00")]);
    expect((await get(url, "/v1/tax-summaries?year=2026&marketplace=US&minimum=600.00&asOfPosition=13")).body.creators).toEqual([
      filer("K1", "650.00", 2),
      filer("K2", "1399.99", 2),
      filer("K3", "900.00", 1),
    ]);
    // As of P5: K1's US 2026 is P3 and P4 only (P6 to P8 not yet stored).
    expect((await get(url, "/v1/creators/K1/tax-summary?year=2026&asOfPosition=5")).body.marketplaces).toEqual([
      jp("12000", 1, "0"),
      us("400.00", 1, "5.00"),
    ]);
    // As of P0 nobody is known, and nobody was paid.
    expectErrorShape(await get(url, "/v1/creators/K1/tax-summary?year=2026&asOfPosition=0"), 404, "not_found");
    expect((await get(url, "/v1/tax-summaries?year=2026&marketplace=US&minimum=0&asOfPosition=0")).body.creators).toEqual([]);
    // minPosition: answered once the head is applied, as now.
    const waited = await get(url, `/v1/creators/K2/tax-summary?year=2026&minPosition=${HEAD}`);
    expect(waited.body.asOfPosition).toBe(HEAD);
    expect(waited.body.marketplaces).toEqual([us("599.99", 1, "0.00")]);
  });

  it("400 for a bad year, minimum or marketplace, or a position past the head; 404 for an unknown creator", async () => {
    for (const query of ["year=26", "year=1969", "year=3000", "year=2026.0", "year=abcd", "", "year=2026&month=1"]) {
      const answer = await get(url, `/v1/creators/K1/tax-summary${query ? `?${query}` : ""}`);
      expectErrorShape(answer, 400, "invalid_request");
    }
    const bad = await get(url, "/v1/creators/K1/tax-summary?year=1969");
    expect(bad.body.error.details).toEqual([{ path: "year", message: "must be a year YYYY in 1970-2999" }]);
    const cases: [string, string][] = [
      ["year=2026&marketplace=US&minimum=600.001", "minimum"], // USD has 2 minor digits
      ["year=2026&marketplace=JP&minimum=600.5", "minimum"], // JPY has none
      ["year=2026&marketplace=US&minimum=-1.00", "minimum"],
      ["year=2026&marketplace=US&minimum=1e3", "minimum"],
      ["year=2026&marketplace=US&minimum=1000000000000.01", "minimum"], // over 10^12
      ["year=2026&marketplace=US&minimum=10000000000000", "minimum"],
      ["year=2026&marketplace=US&minimum=", "minimum"],
      ["year=2026&marketplace=US", "minimum"],
      ["year=2026&marketplace=XX&minimum=600.00", "marketplace"],
      ["year=2026&marketplace=us&minimum=600.00", "marketplace"],
      ["year=2026&minimum=600.00", "marketplace"],
      ["year=1969&marketplace=US&minimum=600.00", "year"],
      ["marketplace=US&minimum=600.00", "year"],
      ["year=2026&marketplace=US&minimum=600.00&format=xml", "format"],
    ];
    for (const [query, path] of cases) {
      const answer = await get(url, `/v1/tax-summaries?${query}`);
      expectErrorShape(answer, 400, "invalid_request");
      expect(
        answer.body.error.details.map((d: { path: string }) => d.path),
        query,
      ).toEqual([path]);
    }
    const digits = await get(url, "/v1/tax-summaries?year=2026&marketplace=JP&minimum=600.5");
    expect(digits.body.error.details[0].message).toBe("has more fraction digits than JPY allows (0)");
    expectErrorShape(await get(url, `/v1/creators/K1/tax-summary?year=2026&asOfPosition=${HEAD + 1}`), 400);
    expectErrorShape(await get(url, `/v1/tax-summaries?year=2026&marketplace=US&minimum=0&asOfPosition=${HEAD + 1}`), 400);
    const unknown = await get(url, "/v1/creators/K-nobody/tax-summary?year=2026");
    expectErrorShape(unknown, 404, "not_found");
    expect(unknown.body.error.message).toContain("K-nobody");
  });

  it("no answer was a 5xx and every error had the SPEC shape", () => {
    expectNo5xxAndErrorShapes();
  });
});

describe("tax summaries need the read scope", () => {
  const READ = "tax-read-token-0123456789";
  const INGEST = "tax-ingest-token-0123456789";
  let server: E2eServer;

  beforeAll(async () => {
    server = await startE2eServer({ env: { LEDGER_TOKENS: `${READ}:read;${INGEST}:ingest` } });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("401 without a token, 403 with a token lacking `read`, 200 with `read`", async () => {
    for (const path of ["/v1/tax-summaries?year=2026&marketplace=US&minimum=600.00", "/v1/creators/K1/tax-summary?year=2026"]) {
      const status = async (token: string | null) =>
        (await fetch(`${server.baseUrl}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } })).status;
      expect(await status(null), path).toBe(401);
      expect(await status(INGEST), path).toBe(403);
    }
    const list = await fetch(`${server.baseUrl}/v1/tax-summaries?year=2026&marketplace=US&minimum=600.00`, {
      headers: { authorization: `Bearer ${READ}` },
    });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ year: 2026, marketplace: "US", currency: "USD", minimum: "600.00", asOfPosition: 0, creators: [] });
  });
});
