// SPEC §2 (envelope: id, type, schemaVersion, occurredAt with offset, unknown fields rejected;
// money as strings; quantities integers ≥ 1; idempotency compares normalized content), SPEC §3
// (payload of every type; budget in the marketplace currency) and SPEC §5 POST /v1/events (every
// problem reported with index, id, path and message).
import { describe, expect, it } from "vitest";
import { canonicalContent } from "../../domain/events/canonical.ts";
import type { LedgerEvent } from "../../domain/events/envelope.ts";
import { validateBatch, type Problem } from "../../domain/events/validate.ts";
import {
  accepted,
  campaignCreated,
  campaignEnded,
  click,
  contentLink,
  line,
  paymentMethod,
  payoutIssued,
  returned,
  shipped,
  snsFirst,
  strike,
  taxInfo,
  type RawEvent,
} from "../support/domainFixtures.ts";

function problemsOf(raws: unknown[]): Problem[] {
  const result = validateBatch(raws);
  if (result.ok) throw new Error("expected the batch to be refused");
  return result.problems;
}

function only(raw: RawEvent): LedgerEvent {
  const result = validateBatch([raw]);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.events[0]!;
}

describe("valid events of every type (SPEC §3)", () => {
  it("accepts one of each type and keeps the order", () => {
    const raws = [
      campaignCreated(),
      accepted(),
      contentLink(),
      click({ asin: "A1" }),
      click(),
      shipped({ shipmentId: "S1" }),
      snsFirst({ shipmentId: "S2" }),
      returned({ shipmentId: "S1" }),
      strike({ reason: "no_content", campaignId: "C1" }),
      strike({ reason: "missing_disclosure" }),
      campaignEnded(),
      taxInfo(),
      paymentMethod({ method: "check" }),
      payoutIssued(),
    ];
    const result = validateBatch(raws);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events.map((e) => e.type)).toEqual(raws.map((r) => r.type));
    expect(result.events.map((e) => e.id)).toEqual(raws.map((r) => r.id));
  });

  it("schemaVersion defaults to 1 and occurredAtMs is the instant", () => {
    const event = only(shipped({ id: "shp-x", occurredAt: "2026-01-31T23:30:00-08:00" }));
    expect(event.schemaVersion).toBe(1);
    expect(event.occurredAt).toBe("2026-01-31T23:30:00-08:00"); // kept as received
    expect(event.occurredAtMs).toBe(Date.UTC(2026, 1, 1, 7, 30));
  });

  it("an empty disclosure is valid (it just does not qualify)", () => {
    expect(validateBatch([contentLink({ disclosure: "" })]).ok).toBe(true);
  });

  it("an id of 128 allowed characters is valid", () => {
    expect(validateBatch([click({ id: "a.B_9:-".padEnd(128, "x") })]).ok).toBe(true);
  });

  it("a JPY budget without fraction digits and a USD budget with one are valid", () => {
    expect(validateBatch([campaignCreated({ marketplace: "JP", budget: "10" })]).ok).toBe(true);
    expect(validateBatch([campaignCreated({ marketplace: "US", budget: "10.5" })]).ok).toBe(true);
  });
});

describe("every problem has index, id, path and message (SPEC §5)", () => {
  it("unknown field in the envelope", () => {
    const raw = { ...click({ id: "clk-a" }), color: "red" };
    expect(problemsOf([raw])).toEqual([{ index: 0, id: "clk-a", path: "", message: expect.stringContaining("color") }]);
  });

  it("unknown field in data", () => {
    const raw = accepted({ id: "acc-a" });
    raw.data.note = "hello";
    expect(problemsOf([raw])).toEqual([{ index: 0, id: "acc-a", path: "data", message: expect.stringContaining("note") }]);
  });

  it("money as a JSON number", () => {
    const raw = shipped({
      id: "shp-a",
      lines: [{ asin: "A1", category: "toys", quantity: 1, unitPrice: 9.99 } as unknown as ReturnType<typeof line>],
    });
    expect(problemsOf([raw])).toEqual([{ index: 0, id: "shp-a", path: "data.lines[0].unitPrice", message: expect.any(String) }]);
  });

  it("a budget as a JSON number", () => {
    const raw = campaignCreated({ id: "cc-a" });
    raw.data.budget = 500;
    expect(problemsOf([raw])).toEqual([{ index: 0, id: "cc-a", path: "data.budget", message: expect.any(String) }]);
  });

  it("occurredAt without offset", () => {
    expect(problemsOf([click({ id: "clk-b", occurredAt: "2026-03-10T10:00:00" })])).toEqual([
      { index: 0, id: "clk-b", path: "occurredAt", message: expect.any(String) },
    ]);
  });

  it("orderedAt without offset", () => {
    expect(problemsOf([shipped({ id: "shp-b", orderedAt: "2026-03-09T10:00:00" })])).toEqual([
      { index: 0, id: "shp-b", path: "data.orderedAt", message: expect.any(String) },
    ]);
  });

  it("quantity 0 in a shipment line and in a return line", () => {
    expect(
      problemsOf([
        shipped({ id: "shp-c", lines: [line("A1", "toys", 0, "10.00")] }),
        returned({ id: "ret-c", shipmentId: "S1", lines: [{ asin: "A1", quantity: 0 }] }),
      ]),
    ).toEqual([
      { index: 0, id: "shp-c", path: "data.lines[0].quantity", message: expect.any(String) },
      { index: 1, id: "ret-c", path: "data.lines[0].quantity", message: expect.any(String) },
    ]);
  });

  it("a fractional quantity", () => {
    expect(problemsOf([shipped({ id: "shp-d", lines: [line("A1", "toys", 1.5, "10.00")] })])).toEqual([
      { index: 0, id: "shp-d", path: "data.lines[0].quantity", message: expect.any(String) },
    ]);
  });

  it("an unknown schemaVersion", () => {
    expect(problemsOf([accepted({ id: "acc-b", schemaVersion: 2 })])).toEqual([
      { index: 0, id: "acc-b", path: "schemaVersion", message: expect.any(String) },
    ]);
    expect(problemsOf([campaignCreated({ id: "cc-b", schemaVersion: 3, currency: "USD" })])).toEqual([
      { index: 0, id: "cc-b", path: "schemaVersion", message: expect.any(String) },
    ]);
  });

  it("schemaVersion 0 or not an integer", () => {
    expect(problemsOf([click({ id: "clk-c", schemaVersion: 0 })])).toEqual([
      { index: 0, id: "clk-c", path: "schemaVersion", message: expect.any(String) },
    ]);
    expect(problemsOf([click({ id: "clk-d", schemaVersion: 1.5 })])).toEqual([
      { index: 0, id: "clk-d", path: "schemaVersion", message: expect.any(String) },
    ]);
  });

  it('a budget with more fraction digits than the currency (JPY "10.5", USD "10.001")', () => {
    expect(
      problemsOf([
        campaignCreated({ id: "cc-c", marketplace: "JP", budget: "10.5" }),
        campaignCreated({ id: "cc-d", marketplace: "US", budget: "10.001" }),
      ]),
    ).toEqual([
      { index: 0, id: "cc-c", path: "data.budget", message: expect.stringContaining("JPY") },
      { index: 1, id: "cc-d", path: "data.budget", message: expect.stringContaining("USD") },
    ]);
  });

  it("a payout amount with more fraction digits than the currency", () => {
    expect(problemsOf([payoutIssued({ id: "po-a", marketplace: "JP", amount: "100.5" })])).toEqual([
      { index: 0, id: "po-a", path: "data.amount", message: expect.any(String) },
    ]);
  });

  it.each([
    ["an unknown type", { id: "x-1", type: "ShipmentCancelled", occurredAt: "2026-03-10T10:00:00Z", data: {} }, "type"],
    ["an id with a space", { ...click(), id: "clk 1" }, "id"],
    ["an id of 129 characters", { ...click(), id: "x".repeat(129) }, "id"],
    ["missing data", { id: "x-2", type: "ClickRecorded", occurredAt: "2026-03-10T10:00:00Z" }, "data"],
  ])("%s", (_name, raw, path) => {
    const problems = problemsOf([raw]);
    expect(problems.map((p) => [p.index, p.path])).toEqual([[0, path]]);
  });

  it.each([
    ["an unknown marketplace", () => campaignCreated({ marketplace: "FR" }), "data.marketplace"],
    ["a bonus rate above 1", () => campaignCreated({ bonusRate: "1.5" }), "data.bonusRate"],
    ["a negative budget", () => campaignCreated({ budget: "-1.00" }), "data.budget"],
    ["a budget in exponent notation", () => campaignCreated({ budget: "1e3" }), "data.budget"],
    [
      "endsAt not after startsAt",
      () => campaignCreated({ startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-01T00:00:00Z" }),
      "data.endsAt",
    ],
    ["no ASINs", () => campaignCreated({ asins: [] }), "data.asins"],
    ["a shipment without lines", () => shipped({ lines: [] }), "data.lines"],
    ["a return without lines", () => returned({ shipmentId: "S1", lines: [] }), "data.lines"],
    ["an unknown strike reason", () => strike({ reason: "rude" }), "data.reason"],
    ["an unknown payment method", () => paymentMethod({ method: "bitcoin" }), "data.method"],
    ["a content URL that is not http(s)", () => contentLink({ url: "ftp://x.example.com/a" }), "data.url"],
  ])("%s", (_name, build, path) => {
    const problems = problemsOf([build()]);
    expect(problems.map((p) => p.path)).toEqual([path]);
  });

  it("an empty id is refused", () => {
    const problems = problemsOf([{ ...click(), id: "" }]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.index === 0 && p.path === "id")).toBe(true);
  });

  // A string that is not a decimal at all must come back as a problem (400), not as an exception
  // thrown out of validateBatch (which an HTTP handler would turn into a 500).
  it.each([
    ['a budget "abc"', () => campaignCreated({ budget: "abc" }), "data.budget"],
    ["an empty budget", () => campaignCreated({ budget: "" }), "data.budget"],
    ['a bonus rate "10%"', () => campaignCreated({ bonusRate: "10%" }), "data.bonusRate"],
    ['a unit price "9,99"', () => shipped({ lines: [line("A1", "toys", 1, "9,99")] }), "data.lines[0].unitPrice"],
    ['a payout amount "ten"', () => payoutIssued({ amount: "ten" }), "data.amount"],
  ])("%s is a problem, not an exception", (_name, build, path) => {
    let result: ReturnType<typeof validateBatch> | undefined;
    expect(() => (result = validateBatch([build()]))).not.toThrow();
    expect(result?.ok).toBe(false);
    if (result && !result.ok) {
      expect(result.problems.length).toBeGreaterThan(0);
      expect(result.problems.every((p) => p.index === 0 && p.path === path)).toBe(true);
    }
  });

  it("a missing data field says it is required", () => {
    const raw = accepted({ id: "acc-c" });
    delete raw.data.trackingId;
    expect(problemsOf([raw])).toEqual([{ index: 0, id: "acc-c", path: "data.trackingId", message: "is required" }]);
  });

  it("a batch lists the problems of every invalid event with its index; valid events add none", () => {
    const bad1 = { ...click({ id: "clk-e" }), extra: true };
    const ok1 = click({ id: "clk-f" });
    const bad2 = shipped({ id: "shp-e", occurredAt: "2026-03-10T10:00:00", lines: [line("A1", "toys", 0, "10.00")] });
    const problems = problemsOf([bad1, ok1, bad2]);
    expect(problems).toEqual([
      { index: 0, id: "clk-e", path: "", message: expect.stringContaining("extra") },
      { index: 2, id: "shp-e", path: "occurredAt", message: expect.any(String) },
      { index: 2, id: "shp-e", path: "data.lines[0].quantity", message: expect.any(String) },
    ]);
  });

  it("a non-object entry gets a problem with a null id", () => {
    expect(problemsOf([42])).toEqual([{ index: 0, id: null, path: "", message: expect.any(String) }]);
  });

  it("one event with problems in the envelope and in data reports all of them", () => {
    const raw: RawEvent = { ...campaignCreated({ id: "cc-e", marketplace: "JP", budget: "10.5" }), color: "red" };
    raw.data.colour = "blue";
    expect(problemsOf([raw])).toEqual([
      { index: 0, id: "cc-e", path: "", message: expect.stringContaining("color") },
      { index: 0, id: "cc-e", path: "data", message: expect.stringContaining("colour") },
      { index: 0, id: "cc-e", path: "data.budget", message: expect.stringContaining("JPY") },
    ]);
  });

  // SPEC §5: "one details entry per problem". These two combine a problem that stops a schema
  // early with a second, independent problem of the same event.
  it("an envelope problem and an unknown schemaVersion are both reported", () => {
    const raw = accepted({ id: "acc-d", schemaVersion: 2, occurredAt: "2026-03-10T10:00:00" });
    expect(problemsOf([raw])).toEqual([
      { index: 0, id: "acc-d", path: "occurredAt", message: expect.any(String) },
      { index: 0, id: "acc-d", path: "schemaVersion", message: expect.any(String) },
    ]);
  });

  it("a budget as a JSON number and endsAt before startsAt are both reported", () => {
    const raw = campaignCreated({ id: "cc-f", startsAt: "2026-03-31T00:00:00Z", endsAt: "2026-03-01T00:00:00Z" });
    raw.data.budget = 500;
    expect(problemsOf([raw])).toEqual([
      { index: 0, id: "cc-f", path: "data.budget", message: expect.any(String) },
      { index: 0, id: "cc-f", path: "data.endsAt", message: expect.any(String) },
    ]);
  });
});

describe("canonical content (SPEC §2 idempotency: same type, schemaVersion, instant, parsed data)", () => {
  const base = () =>
    shipped({
      id: "shp-canon",
      shipmentId: "S1",
      orderId: "O1",
      occurredAt: "2026-03-10T18:00:00Z",
      lines: [line("A1", "toys", 2, "10.00")],
    });

  it('"10.0" and "10.00" are the same content', () => {
    const a = base();
    const b = base();
    (b.data.lines as { unitPrice: string }[])[0]!.unitPrice = "10.0";
    expect(canonicalContent(only(a))).toBe(canonicalContent(only(b)));
  });

  it("key order does not matter", () => {
    const a = base();
    const b: RawEvent = { data: Object.fromEntries(Object.entries(a.data).reverse()), occurredAt: a.occurredAt, type: a.type, id: a.id };
    (b.data.lines as Record<string, unknown>[])[0] = { unitPrice: "10.00", quantity: 2, category: "toys", asin: "A1" };
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    expect(canonicalContent(only(a))).toBe(canonicalContent(only(b)));
  });

  it("a different offset for the same instant is the same content", () => {
    const a = base();
    const b = { ...base(), occurredAt: "2026-03-10T11:00:00-07:00" };
    expect(canonicalContent(only(a))).toBe(canonicalContent(only(b)));
  });

  it("an explicit schemaVersion 1 equals the default", () => {
    expect(canonicalContent(only(base()))).toBe(canonicalContent(only({ ...base(), schemaVersion: 1 })));
  });

  it('a budget of "500" equals "500.00" and a bonus rate of "0.1" equals "0.10"', () => {
    const a = campaignCreated({ id: "cc-canon", budget: "500.00", bonusRate: "0.10" });
    const b = campaignCreated({ id: "cc-canon", budget: "500", bonusRate: "0.1" });
    expect(canonicalContent(only(a))).toBe(canonicalContent(only(b)));
  });

  it("a different instant, price, quantity or type is different content", () => {
    const ref = canonicalContent(only(base()));
    const later = { ...base(), occurredAt: "2026-03-10T18:00:01Z" };
    const pricier = base();
    (pricier.data.lines as { unitPrice: string }[])[0]!.unitPrice = "10.01";
    const more = base();
    (more.data.lines as { quantity: number }[])[0]!.quantity = 3;
    const sns = { ...base(), type: "SubscribeAndSaveFirstShipment", data: { ...base().data, subscriptionId: "SUB1" } };
    for (const other of [later, pricier, more, sns]) expect(canonicalContent(only(other))).not.toBe(ref);
  });
});

describe("canonical content compares instants inside the data by instant", () => {
  it("orderedAt written with Z or with -08:00 for the same instant is the same content", () => {
    const base = { type: "ShipmentRecorded" as const, schemaVersion: 1, occurredAtMs: 0 };
    const line = { asin: "A1", category: "toys", quantity: 1, unitPrice: "1.00" };
    const a = canonicalContent({
      ...base,
      data: { shipmentId: "S", orderId: "O", trackingId: "T", orderedAt: "2026-01-05T18:00:00Z", lines: [line] },
    });
    const b = canonicalContent({
      ...base,
      data: { shipmentId: "S", orderId: "O", trackingId: "T", orderedAt: "2026-01-05T10:00:00-08:00", lines: [line] },
    });
    const c = canonicalContent({
      ...base,
      data: { shipmentId: "S", orderId: "O", trackingId: "T", orderedAt: "2026-01-05T10:00:01-08:00", lines: [line] },
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});
