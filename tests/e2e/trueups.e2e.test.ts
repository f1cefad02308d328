// Rule versions with effective dates and true-ups (SPEC §14) over real sockets, on SQLite and
// PostgreSQL read models. March is closed; a rule version 2 (toys 0.04 instead of 0.03) is scheduled
// from May on, so a May shipment earns by version 2 and names it; unknown and retroactive schedules
// are anomalies. Then POST /v1/trueups recomputes March and April under version 2: the dry run
// answers the rows, applying appends one CommissionAdjusted (rule_change) per nonzero row, booked in
// the open month, and a second run stores nothing (every id is there with the same amount).
// Every expected amount is worked out by hand beside the events (US: America/Los_Angeles).
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trueUpAnswerSchema } from "../../services/http/trueupBody.ts";
import { accepted, campaignCreated, line, periodClosed, returned, ruleVersionScheduled, shipped } from "../support/domainFixtures.ts";
import { expectErrorShape, get, head, postJson, startWithEvents, waitForProjections, type E2eServer } from "../support/e2eServer.ts";
import { dropSchema, randomSchema } from "../support/pgTest.ts";

// Position = index + 1.
const EVENTS = [
  /* 1 */ campaignCreated({ id: "tu-cc", campaignId: "C1", budget: "500.00" }),
  /* 2 */ accepted({ id: "tu-acc-1", campaignId: "C1", creatorId: "K1", trackingId: "T1" }),
  /* 3 */ accepted({ id: "tu-acc-2", campaignId: "C1", creatorId: "K2", trackingId: "T2" }),
  // K1, March: toys 1 × 100.00: v1 3.00, v2 4.00.
  /* 4 */ shipped({ id: "tu-shp-4", shipmentId: "S-4", trackingId: "T1", lines: [line("X9", "toys", 1, "100.00")] }),
  // K2, March: toys 2 × 50.00 (v1 3.00, v2 4.00) + kitchen 1 × 20.00 (0.90 in both): v1 3.90, v2 4.90.
  /* 5 */ shipped({
    id: "tu-shp-5",
    shipmentId: "S-5",
    trackingId: "T2",
    lines: [line("X9", "toys", 2, "50.00"), line("X8", "kitchen", 1, "20.00")],
  }),
  /* 6 */ periodClosed({ id: "tu-close", month: "2026-03", occurredAt: "2026-04-05T12:00:00Z" }),
  // K1, April: toys 3 × 10.00: v1 0.90, v2 1.20.
  /* 7 */ shipped({
    id: "tu-shp-7",
    shipmentId: "S-7",
    trackingId: "T1",
    occurredAt: "2026-04-10T18:00:00Z",
    lines: [line("X9", "toys", 3, "10.00")],
  }),
  // One of its three units back in April (rule 8): v1 −round(0.90 / 3) = −0.30, v2 −0.40.
  /* 8 */ returned({ id: "tu-ret-8", shipmentId: "S-7", occurredAt: "2026-04-12T18:00:00Z", lines: [{ asin: "X9", quantity: 1 }] }),
  // Version 2 from May 1 (LA midnight), scheduled on April 20: not retroactive.
  /* 9 */ ruleVersionScheduled({ id: "tu-rv-9", occurredAt: "2026-04-20T12:00:00Z", effectiveFrom: "2026-05-01T00:00:00-07:00" }),
  /* 10 */ ruleVersionScheduled({
    id: "tu-rv-10",
    ruleVersion: 7,
    occurredAt: "2026-04-21T12:00:00Z",
    effectiveFrom: "2026-06-01T00:00:00Z",
  }),
  /* 11 */ ruleVersionScheduled({ id: "tu-rv-11", occurredAt: "2026-04-22T12:00:00Z", effectiveFrom: "2026-04-01T00:00:00Z" }),
  // K1, May 2: toys 1 × 100.00 by version 2: 4.00.
  /* 12 */ shipped({
    id: "tu-shp-12",
    shipmentId: "S-12",
    trackingId: "T1",
    occurredAt: "2026-05-02T18:00:00Z",
    lines: [line("X9", "toys", 1, "100.00")],
  }),
];
const HEAD = EVENTS.length;

const body = (dryRun: boolean, extra: Record<string, unknown> = {}) => ({
  ruleVersion: 2,
  marketplace: "US",
  from: "2026-03",
  to: "2026-04",
  actor: "finance:ana",
  dryRun,
  ...extra,
});

const ROWS = [
  { creatorId: "K1", month: "2026-03", booked: "3.00", recomputed: "4.00", difference: "1.00" },
  { creatorId: "K1", month: "2026-04", booked: "0.60", recomputed: "0.80", difference: "0.20" },
  { creatorId: "K2", month: "2026-03", booked: "3.90", recomputed: "4.90", difference: "1.00" },
];
const TOTALS = { booked: "7.50", recomputed: "9.70", difference: "2.20" };
const IDS = ["trueup:2:K1:US:2026-03", "trueup:2:K1:US:2026-04", "trueup:2:K2:US:2026-03"];

type Entry = {
  kind: string;
  amount: string;
  ruleVersion: number;
  earningMonth: string;
  originalMonth: string;
  sourceEventId: string;
  note: string;
};

describe.each(["sqlite", "postgres"] as const)("rule versions and true-ups (SPEC §14, %s read models)", (kind) => {
  let server: E2eServer;
  let url: string;
  const schema = kind === "postgres" ? randomSchema("trueups_e2e") : null;

  beforeAll(async () => {
    server = await startWithEvents(schema, EVENTS);
    url = server.baseUrl;
  });
  afterAll(async () => {
    await server?.destroy();
    if (schema !== null) await dropSchema(schema);
  });

  it("an unknown version, then a retroactive one, are anomalies that schedule nothing", async () => {
    const anomalies = (await get(url, "/v1/anomalies")).body.anomalies as { position: number; code: string }[];
    expect(anomalies.map((a) => [a.position, a.code])).toEqual([
      [10, "unknown_rule_version"],
      [11, "retroactive_rule_change"],
    ]);
  });

  it("every standard entry names the rule version it was computed by: version 1 before May, 2 from May on", async () => {
    const entries = (await get(url, "/v1/creators/K1/ledger")).body.entries as Entry[];
    expect(entries.filter((e) => e.kind.startsWith("standard")).map((e) => [e.sourceEventId, e.kind, e.amount, e.ruleVersion])).toEqual([
      ["tu-shp-4", "standard", "3.00", 1],
      ["tu-shp-7", "standard", "0.90", 1],
      ["tu-ret-8", "standard_reversal", "-0.30", 1],
      ["tu-shp-12", "standard", "4.00", 2],
    ]);
  });

  it("the dry run answers the rows and totals, and appends nothing", async () => {
    const answer = await postJson(url, "/v1/trueups", body(true));
    expect(answer.status, answer.text).toBe(200);
    expect(trueUpAnswerSchema.parse(answer.body)).toEqual({
      ruleVersion: 2,
      marketplace: "US",
      currency: "USD",
      from: "2026-03",
      to: "2026-04",
      dryRun: true,
      asOfPosition: HEAD,
      bookedRuleVersion: 1,
      rows: ROWS,
      totals: TOTALS,
      adjustments: [],
      lastPosition: null,
    });
    expect(await head(url)).toBe(HEAD);
    // May is booked by version 2 already: its row is there with a difference of 0.
    const may = await postJson(url, "/v1/trueups", body(true, { from: "2026-05", to: "2026-05" }));
    expect(may.body.rows).toEqual([{ creatorId: "K1", month: "2026-05", booked: "4.00", recomputed: "4.00", difference: "0.00" }]);
  });

  it("applying appends one rule_change adjustment per nonzero row, booked in the open month; a second run stores nothing", async () => {
    const applied = await postJson(url, "/v1/trueups", body(false));
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body).toMatchObject({ dryRun: false, rows: ROWS, totals: TOTALS, lastPosition: HEAD + 3 });
    expect(applied.body.adjustments).toEqual([
      { id: IDS[0], creatorId: "K1", month: "2026-03", amount: "1.00", status: "appended", storedAmount: null },
      { id: IDS[1], creatorId: "K1", month: "2026-04", amount: "0.20", status: "appended", storedAmount: null },
      { id: IDS[2], creatorId: "K2", month: "2026-03", amount: "1.00", status: "appended", storedAmount: null },
    ]);
    await waitForProjections(url);

    const event = await get(url, `/v1/events/${encodeURIComponent(IDS[0]!)}`);
    expect(event.body).toMatchObject({
      type: "CommissionAdjusted",
      data: {
        creatorId: "K1",
        marketplace: "US",
        amount: "1.00",
        reasonCode: "rule_change",
        note: "true-up to rule version 2 of 2026-03: booked 3.00, recomputed 4.00",
        actor: "finance:ana",
      },
    });
    // Booked where the adjustment's occurredAt falls (now, in Los Angeles): an open month, never the closed March.
    const nowMonth = DateTime.fromISO(event.body.occurredAt as string, { zone: "America/Los_Angeles" }).toFormat("yyyy-MM");
    const entries = (await get(url, "/v1/creators/K1/ledger")).body.entries as Entry[];
    expect(entries.filter((e) => e.kind === "adjustment").map((e) => [e.sourceEventId, e.amount, e.earningMonth])).toEqual([
      [IDS[0], "1.00", nowMonth],
      [IDS[1], "0.20", nowMonth],
    ]);

    // The standard entries are as they were, so the rows are the same; every id is stored with its amount.
    const again = await postJson(url, "/v1/trueups", body(false));
    expect(again.body.rows).toEqual(ROWS);
    expect(again.body.adjustments.map((a: { status: string }) => a.status)).toEqual(["duplicate", "duplicate", "duplicate"]);
    expect(again.body.lastPosition).toBe(HEAD + 3);
    expect(await head(url)).toBe(HEAD + 3);
  });

  it("an unknown rule version, a range the wrong way round or a bad month is a 400 naming it", async () => {
    const unknown = await postJson(url, "/v1/trueups", body(true, { ruleVersion: 9 }));
    expectErrorShape(unknown, 400, "invalid_request");
    expect(unknown.body.error.message).toBe("rule version 9 is not known to this ledger (known: 1, 2)");
    const backwards = await postJson(url, "/v1/trueups", body(true, { from: "2026-04", to: "2026-03" }));
    expectErrorShape(backwards, 400, "invalid_request");
    expect(backwards.body.error.message).toBe("from 2026-04 is after to 2026-03");
    const month = await postJson(url, "/v1/trueups", body(true, { from: "2026-13" }));
    expectErrorShape(month, 400);
    expect(month.body.error.details).toEqual([{ path: "from", message: "must be a month YYYY-MM in 1970-2999" }]);
  });
});

describe("a true-up whose SPEC id would be too long (SPEC §14 id, 128-character event ids)", () => {
  let server: E2eServer;
  const longCreator = `K${"x".repeat(119)}`; // trueup:2:{120 characters}:US:2026-03 = 140 characters
  beforeAll(async () => {
    server = await startWithEvents(null, [
      campaignCreated({ id: "long-cc", campaignId: "C1" }),
      accepted({ id: "long-acc", campaignId: "C1", creatorId: longCreator, trackingId: "T1" }),
      shipped({ id: "long-shp", shipmentId: "S-1", trackingId: "T1", lines: [line("X9", "toys", 1, "100.00")] }),
    ]);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("is refused before anything is appended, naming the creator and what to do; the dry run still answers", async () => {
    const dry = await postJson(server.baseUrl, "/v1/trueups", body(true, { to: "2026-03" }));
    expect(dry.body.rows).toEqual([{ creatorId: longCreator, month: "2026-03", booked: "3.00", recomputed: "4.00", difference: "1.00" }]);
    const applied = await postJson(server.baseUrl, "/v1/trueups", body(false, { to: "2026-03" }));
    expectErrorShape(applied, 400, "invalid_request");
    expect(applied.body.error.message).toBe(
      `the true-up id trueup:{N}:{creatorId}:{m}:{month} would be longer than 128 characters for 1 row(s) (creator ${longCreator.slice(0, 40)}…, 2026-03); nothing was appended: book those with a CommissionAdjusted of your own`,
    );
    expect(await head(server.baseUrl)).toBe(3);
  });

  it("a RuleVersionScheduled without a note is refused (SPEC §14 lists actor, note)", async () => {
    const refused = await postJson(server.baseUrl, "/v1/events", [
      {
        id: "rv-no-note",
        type: "RuleVersionScheduled",
        occurredAt: "2026-04-01T00:00:00Z",
        data: { ruleVersion: 2, effectiveFrom: "2026-05-01T00:00:00Z", actor: "finance:ana" },
      },
    ]);
    expectErrorShape(refused, 400);
    expect(refused.body.error.details).toEqual([{ index: 0, id: "rv-no-note", path: "data.note", message: "is required" }]);
  });
});
