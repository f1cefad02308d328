// Closed periods (SPEC §13, "Part III, read precisely") over real sockets: GET /v1/periods and a
// closed month's closing statement, now and as of a position. March is closed after a March
// shipment each for two creators and an adjustment; a close of a month not ended and a second close
// of March are anomalies that change nothing; then a late March shipment and a return of March are
// booked in April (the first open month) with originalMonth 2026-03, and the statement lists them as
// late entries while its figures and the earnings rows of March stay as they were at the close.
// On SQLite and PostgreSQL read models. Every expected value is worked out by hand beside the events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepted, campaignCreated, commissionAdjusted, line, periodClosed, returned, shipped } from "../support/domainFixtures.ts";
import { expectErrorShape, get, startE2eServer, startWithEvents, type E2eServer } from "../support/e2eServer.ts";
import { dropSchema, randomSchema } from "../support/pgTest.ts";

// Position = index + 1. US is America/Los_Angeles (PDT = UTC−7 from March 8). "X9" is in no campaign: standard commission only.
const EVENTS = [
  /* 1 */ campaignCreated({ id: "per-cc", campaignId: "C1", budget: "500.00" }), // brand:B1:US → campaign:C1:budget 500.00 (no month)
  /* 2 */ accepted({ id: "per-acc-1", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
  /* 3 */ accepted({ id: "per-acc-2", campaignId: "C1", creatorId: "K2", trackingId: "T2" }),
  // toys 1 × 100.00 × 0.03 = 3.00 for K1, booked 2026-03.
  /* 4 */ shipped({ id: "per-shp-4", shipmentId: "S-4", trackingId: "T1", lines: [line("X9", "toys", 1, "100.00")] }),
  // kitchen 2 × 50.00 × 0.045 = 4.50 for K2, booked 2026-03.
  /* 5 */ shipped({ id: "per-shp-5", shipmentId: "S-5", trackingId: "T2", lines: [line("X9", "kitchen", 2, "50.00")] }),
  /* 6 */ commissionAdjusted({ id: "per-adj-6", creatorId: "K1", amount: "5.00", occurredAt: "2026-03-15T12:00:00Z" }), // adjusted 5.00, 2026-03
  /* 7 */ periodClosed({ id: "per-close-7", month: "2026-03", occurredAt: "2026-04-05T12:00:00Z", note: "Q1 filed" }),
  // April has not ended on April 20 in Los Angeles: period_not_ended, nothing closed.
  /* 8 */ periodClosed({ id: "per-close-8", month: "2026-04", occurredAt: "2026-04-20T12:00:00Z" }),
  // March is closed already: invalid_state, nothing changes.
  /* 9 */ periodClosed({ id: "per-close-9", month: "2026-03", occurredAt: "2026-04-21T12:00:00Z", actor: "finance:bo" }),
  // A late March shipment (LA 2026-03-31 11:00): toys 2 × 10.00 × 0.03 = 0.60 for K1, booked 2026-04, originally 2026-03.
  /* 10 */ shipped({
    id: "per-shp-10",
    shipmentId: "S-10",
    trackingId: "T1",
    occurredAt: "2026-03-31T18:00:00Z",
    lines: [line("X9", "toys", 2, "10.00")],
  }),
  // A March return of S-4, applied after the close: −3.00 for K1, booked 2026-04, originally 2026-03.
  /* 11 */ returned({ id: "per-ret-11", shipmentId: "S-4", occurredAt: "2026-03-20T18:00:00Z", lines: [{ asin: "X9", quantity: 1 }] }),
  // An April adjustment of K2: booked in April, originally April; not a late entry of March.
  /* 12 */ commissionAdjusted({ id: "per-adj-12", creatorId: "K2", amount: "-1.00", occurredAt: "2026-04-10T12:00:00Z" }),
];
const HEAD = EVENTS.length; // 12
const CLOSE = 7;
const BEFORE_LATE = 9;

const march = { closedAtPosition: CLOSE, closedAt: "2026-04-05T12:00:00Z", actor: "finance:ana", note: "Q1 filed" };
const open = (month: string) => ({ month, status: "open", closedAtPosition: null, closedAt: null, actor: null, note: null });

/** A journal entry of K1 moved forward from March to April, as the ledger shows it. */
const lateEntry = (
  position: number,
  eventType: string,
  sourceEventId: string,
  kind: string,
  amount: string,
  source: string,
  destination: string,
) => ({
  entryId: `${position}:0`,
  position,
  seq: 0,
  sourceEventId,
  eventType,
  kind,
  source,
  destination,
  creatorId: "K1",
  campaignId: "C1",
  asin: "X9",
  amount,
  currency: "USD",
  marketplace: "US",
  earningMonth: "2026-04",
  originalMonth: "2026-03",
});

describe.each(["sqlite", "postgres"] as const)("closed periods (SPEC §13, %s read models)", (kind) => {
  let server: E2eServer;
  let url: string;
  const schema = kind === "postgres" ? randomSchema("periods_e2e") : null;

  beforeAll(async () => {
    server = await startWithEvents(schema, EVENTS);
    url = server.baseUrl;
    // The two refused closes, and nothing else.
    const anomalies = (await get(url, "/v1/anomalies")).body.anomalies as { position: number; code: string }[];
    expect(anomalies.map((a) => [a.position, a.code])).toEqual([
      [8, "period_not_ended"],
      [9, "invalid_state"],
    ]);
  });
  afterAll(async () => {
    await server?.destroy();
    if (schema !== null) await dropSchema(schema);
  });

  it("the closing statement of March: its close, the log's hash then, a trial balance summing to 0, totals, creators, late entries", async () => {
    const answer = await get(url, "/v1/periods/US/2026-03");
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({
      marketplace: "US",
      month: "2026-03",
      currency: "USD",
      ...march,
      // At position 7: the budget funded (±500.00); K1 3.00 + 5.00, K2 4.50; the program's sides −7.50 and −5.00.
      trialBalance: {
        accounts: [
          { account: "brand:B1:US", balance: "-500.00" },
          { account: "campaign:C1:budget", balance: "500.00" },
          { account: "creator:K1:US:earned", balance: "8.00" },
          { account: "creator:K2:US:earned", balance: "4.50" },
          { account: "program:US:adjustments", balance: "-5.00" },
          { account: "program:US:standard", balance: "-7.50" },
        ],
        sum: "0.00",
      },
      totals: { standard: "7.50", bonusConfirmed: "0.00", reversed: "0.00", adjusted: "5.00" },
      creators: [
        { creatorId: "K1", earned: "8.00" },
        { creatorId: "K2", earned: "4.50" },
      ],
      asOfPosition: HEAD,
    });
    // What was corrected forward, and where: the late shipment and the return, booked in April (K2's April adjustment is not March's).
    expect(answer.body.lateEntries).toMatchObject([
      lateEntry(10, "ShipmentRecorded", "per-shp-10", "standard", "0.60", "program:US:standard", "creator:K1:US:earned"),
      lateEntry(11, "ShipmentReturned", "per-ret-11", "standard_reversal", "-3.00", "creator:K1:US:earned", "program:US:standard"),
    ]);
    // The statement is bound to the log: the chain's hash at the close is the close event's own hash.
    const close = await get(url, "/v1/events/per-close-7");
    expect(close.body.position).toBe(CLOSE);
    expect(answer.body.logHash).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.body.logHash).toBe(close.body.hash);
    expect((await get(url, `/v1/log/head?asOfPosition=${CLOSE}`)).body.hash).toBe(answer.body.logHash);
  });

  it("as of the close, the same statement with no late entries yet; before the close, and for an open month, 404", async () => {
    const now = (await get(url, "/v1/periods/US/2026-03")).body;
    const atClose = await get(url, `/v1/periods/US/2026-03?asOfPosition=${CLOSE}`);
    expect(atClose.status).toBe(200);
    expect(atClose.body).toEqual({ ...now, lateEntries: [], asOfPosition: CLOSE });
    expectErrorShape(await get(url, `/v1/periods/US/2026-03?asOfPosition=${CLOSE - 1}`), 404);
    expectErrorShape(await get(url, "/v1/periods/US/2026-04"), 404);
    expectErrorShape(await get(url, "/v1/periods/JP/2026-03"), 404); // closes are per marketplace
    // February has no entries, but March's close closed it: its statement is that close's, with nothing booked in it.
    expect((await get(url, "/v1/periods/US/2026-02")).body).toMatchObject({
      month: "2026-02",
      ...march,
      trialBalance: { sum: "0.00" },
      totals: { standard: "0.00", bonusConfirmed: "0.00", reversed: "0.00", adjusted: "0.00" },
      creators: [],
      lateEntries: [],
    });
  });

  it("GET /v1/periods: every month with entries, open or closed, now and as of a position", async () => {
    expect((await get(url, "/v1/periods?marketplace=US")).body).toEqual({
      marketplace: "US",
      closedThrough: "2026-03",
      asOfPosition: HEAD,
      periods: [{ month: "2026-03", status: "closed", ...march }, open("2026-04")],
    });
    expect((await get(url, `/v1/periods?marketplace=US&asOfPosition=${CLOSE - 1}`)).body).toEqual({
      marketplace: "US",
      closedThrough: null,
      asOfPosition: CLOSE - 1,
      periods: [open("2026-03")],
    });
    expect((await get(url, "/v1/periods?marketplace=US&asOfPosition=0")).body.periods).toEqual([]);
    expect((await get(url, "/v1/periods?marketplace=JP")).body).toEqual({
      marketplace: "JP",
      closedThrough: null,
      asOfPosition: HEAD,
      periods: [],
    });
  });

  it("a close of a month not ended and a second close of March change nothing", async () => {
    for (const path of ["/v1/periods?marketplace=US", "/v1/periods/US/2026-03", "/v1/periods/US/2026-04"]) {
      const sep = path.includes("?") ? "&" : "?";
      const at = async (p: number) => {
        const answer = await get(url, `${path}${sep}asOfPosition=${p}`);
        return { status: answer.status, body: answer.status === 200 ? { ...answer.body, asOfPosition: null } : null };
      };
      expect(await at(BEFORE_LATE), path).toEqual(await at(CLOSE));
    }
  });

  it("the earnings rows of March answer the same after the late events as at the close (closed rows never change)", async () => {
    for (const creatorId of ["K1", "K2"]) {
      const marchRow = async (query: string) => {
        const body = (await get(url, `/v1/creators/${creatorId}/earnings${query}`)).body;
        return body.marketplaces[0].months.find((m: { month: string }) => m.month === "2026-03");
      };
      const atClose = await marchRow(`?asOfPosition=${CLOSE}`);
      expect(atClose).toBeDefined();
      expect(await marchRow("")).toEqual(atClose);
    }
    // K1's March row by hand: standard 3.00, adjusted 5.00; the return and the late shipment are April's.
    const k1 = (await get(url, "/v1/creators/K1/earnings")).body.marketplaces[0].months;
    expect(
      k1.map((m: { month: string; standard: string; reversed: string; adjusted: string }) => [m.month, m.standard, m.reversed, m.adjusted]),
    ).toEqual([
      ["2026-03", "3.00", "0.00", "5.00"],
      ["2026-04", "0.60", "-3.00", "0.00"],
    ]);
  });

  it("400 for a bad month or marketplace", async () => {
    for (const path of [
      "/v1/periods/US/2026-13",
      "/v1/periods/US/2026-3",
      "/v1/periods/US/0999-01",
      "/v1/periods/XX/2026-03",
      "/v1/periods?marketplace=XX",
      "/v1/periods",
      "/v1/periods?marketplace=US&asOfPosition=999",
    ])
      expectErrorShape(await get(url, path), 400);
  });
});

describe("periods need the read scope", () => {
  const READ = "periods-read-token-0123456789";
  const INGEST = "periods-ingest-token-0123456789";
  let server: E2eServer;

  beforeAll(async () => {
    server = await startE2eServer({ env: { LEDGER_TOKENS: `${READ}:read;${INGEST}:ingest` } });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("401 without a token, 403 with a token lacking `read`; with `read`, the list (200) and an open month's statement (404)", async () => {
    for (const [path, withRead] of [
      ["/v1/periods?marketplace=US", 200],
      ["/v1/periods/US/2026-03", 404],
    ] as const) {
      const status = async (token: string | null) =>
        (await fetch(`${server.baseUrl}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } })).status;
      expect(await status(null), path).toBe(401);
      expect(await status(INGEST), path).toBe(403);
      expect(await status(READ), path).toBe(withRead);
    }
  });
});
