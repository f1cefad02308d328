// The benchmark workload (issue 6): deterministic, SPEC-valid (SPEC §2-3), causally ordered, with the
// target mix (~70 % clicks, ~25 % shipments), and the demo data set that `npm start` loads.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { instantMs } from "../../domain/calendar.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { demoDataset } from "../../workload/demoDataset.ts";
import { BENCH_PROFILE, generateWorkload } from "../../workload/generator.ts";
import type { RawWireEvent } from "../../workload/wireEvent.ts";

function take(iterable: Iterable<RawWireEvent>, n: number): RawWireEvent[] {
  const out: RawWireEvent[] = [];
  for (const e of iterable) {
    if (out.length >= n) break;
    out.push(e);
  }
  return out;
}

function hashOf(events: readonly RawWireEvent[]): string {
  const h = createHash("sha256");
  for (const e of events) h.update(JSON.stringify(e)).update("\n");
  return h.digest("hex");
}

const isShipment = (type: string) => type === "ShipmentRecorded" || type === "SubscribeAndSaveFirstShipment";

describe("generateWorkload", () => {
  it("is deterministic: the same seed gives the same first 1,000 events, another seed others", () => {
    const a = take(generateWorkload({ seed: 7, events: 1_000_000 }), 1_000);
    const b = take(generateWorkload({ seed: 7, events: 1_000_000 }), 1_000);
    const c = take(generateWorkload({ seed: 8, events: 1_000_000 }), 1_000);
    expect(a).toHaveLength(1_000);
    expect(hashOf(a)).toBe(hashOf(b));
    expect(hashOf(c)).not.toBe(hashOf(a));
  });

  it("streams exactly the requested number of events", () => {
    let n = 0;
    for (const _ of generateWorkload({ seed: 1, events: 1_234 })) n += 1;
    expect(n).toBe(1_234);
    expect([...generateWorkload({ seed: 1, events: 0 })]).toEqual([]);
  });

  describe("a 20,000-event sample", () => {
    const sample = [...generateWorkload({ seed: 42, events: 20_000 })];

    it("passes validateBatch, event by event, in batches of 1,000", () => {
      for (let i = 0; i < sample.length; i += 1_000) {
        const result = validateBatch(sample.slice(i, i + 1_000));
        expect(result.ok ? [] : result.problems.slice(0, 5)).toEqual([]);
      }
    });

    it("has unique event ids", () => {
      expect(new Set(sample.map((e) => e.id)).size).toBe(sample.length);
    });

    it("has the target mix within ±5 points", () => {
      const clicks = sample.filter((e) => e.type === "ClickRecorded").length / sample.length;
      const shipments = sample.filter((e) => isShipment(e.type)).length / sample.length;
      expect(Math.abs(clicks - BENCH_PROFILE.mix.clicks)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(shipments - BENCH_PROFILE.mix.shipments)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(1 - clicks - shipments - (1 - BENCH_PROFILE.mix.clicks - BENCH_PROFILE.mix.shipments))).toBeLessThanOrEqual(0.05);
    });

    it("contains every kind of fact the ledger takes from upstream, and some deliberate anomalies", () => {
      const types = new Set(sample.map((e) => e.type));
      for (const t of [
        "CampaignCreated",
        "CampaignAccepted",
        "ContentLinkSubmitted",
        "ClickRecorded",
        "ShipmentRecorded",
        "SubscribeAndSaveFirstShipment",
        "ShipmentReturned",
        "StrikeIssued",
        "CampaignEnded",
        "TaxInfoSubmitted",
        "PaymentMethodChanged",
      ])
        expect(types, t).toContain(t);
      expect(sample.some((e) => e.id.startsWith("anomaly-"))).toBe(true);
      const lines = sample.filter((e) => isShipment(e.type)).map((e) => (e.data as { lines: unknown[] }).lines.length);
      expect(new Set(lines)).toEqual(new Set([1, 2, 3]));
    });

    it("creates campaigns before their acceptances and accepts before any shipment with the tracking id", () => {
      const campaigns = new Map<string, RawWireEvent>();
      const tracking = new Set<string>();
      const ended = new Set<string>();
      for (const e of sample) {
        const d = e.data as Record<string, string>;
        if (e.type === "CampaignCreated") campaigns.set(d.campaignId!, e);
        if (e.id.startsWith("anomaly-")) continue; // deliberately out of order or unknown
        if (e.type === "CampaignAccepted") {
          expect(campaigns.has(d.campaignId!), e.id).toBe(true);
          tracking.add(d.trackingId!);
        }
        if (e.type === "ClickRecorded" || isShipment(e.type)) expect(tracking.has(d.trackingId!), e.id).toBe(true);
        if (e.type === "ContentLinkSubmitted") expect(ended.has(d.campaignId!), e.id).toBe(false);
        if (e.type === "CampaignEnded") {
          const created = campaigns.get(d.campaignId!);
          expect(e.id).toBe(`campaign-ended:${d.campaignId}`);
          expect(e.occurredAt).toBe((created!.data as { endsAt: string }).endsAt);
          ended.add(d.campaignId!);
        }
      }
    });

    it("writes money as strings with the currency's digits (JPY integers)", () => {
      const marketOf = new Map<string, string>();
      const markets = new Set<string>();
      for (const e of sample) {
        if (e.type !== "CampaignCreated") continue;
        const d = e.data as { campaignId: string; marketplace: string; budget: string };
        marketOf.set(d.campaignId, d.marketplace);
        markets.add(d.marketplace);
        expect(d.budget).toMatch(d.marketplace === "JP" ? /^[1-9][0-9]*$/ : /^[0-9]+\.[0-9]{2}$/);
      }
      expect(markets).toEqual(new Set(["US", "CA", "UK", "DE", "IN", "JP"]));
      for (const e of sample) {
        if (!isShipment(e.type)) continue;
        for (const line of (e.data as { lines: { unitPrice: unknown }[] }).lines) {
          expect(typeof line.unitPrice).toBe("string");
          expect(line.unitPrice).toMatch(/^[0-9]+(\.[0-9]{2})?$/);
        }
      }
    });

    it("is in business-time order, apart from CampaignEnded (dated endsAt, appended after the grace) and shipment order times", () => {
      let last = -Infinity;
      for (const e of sample) {
        if (e.type === "CampaignEnded") continue;
        const t = instantMs(e.occurredAt);
        expect(t, e.id).toBeGreaterThanOrEqual(last - 1_000); // local instants are written to the second
        last = Math.max(last, t);
      }
    });
  });
});

describe("demoDataset", () => {
  const demo = demoDataset();

  it("is a few hundred valid events over several marketplaces", () => {
    expect(demo.length).toBeGreaterThanOrEqual(200);
    expect(demo.length).toBeLessThanOrEqual(1_000);
    expect(validateBatch(demo).ok).toBe(true);
    const markets = new Set(demo.filter((e) => e.type === "CampaignCreated").map((e) => (e.data as { marketplace: string }).marketplace));
    expect(markets.size).toBeGreaterThanOrEqual(4);
  });

  it("ends every campaign, strikes a creator three times, returns, and repeats an S&S subscription", () => {
    const created = demo.filter((e) => e.type === "CampaignCreated").length;
    const endedIds = new Set(demo.filter((e) => e.id.startsWith("campaign-ended:")).map((e) => e.id));
    expect(endedIds.size).toBe(created);
    const strikes = new Map<string, number>();
    for (const e of demo.filter((x) => x.type === "StrikeIssued")) {
      const c = (e.data as { creatorId: string }).creatorId;
      strikes.set(c, (strikes.get(c) ?? 0) + 1);
    }
    expect(Math.max(...strikes.values())).toBeGreaterThanOrEqual(3);
    expect(demo.some((e) => e.type === "ShipmentReturned")).toBe(true);
    const subscriptions = demo
      .filter((e) => e.type === "SubscribeAndSaveFirstShipment")
      .map((e) => (e.data as { subscriptionId: string }).subscriptionId);
    expect(new Set(subscriptions).size).toBeLessThan(subscriptions.length);
    // Some content links fail the disclosure test (forfeits), most pass.
    const disclosures = demo.filter((e) => e.type === "ContentLinkSubmitted").map((e) => (e.data as { disclosure: string }).disclosure);
    expect(disclosures.some((d) => /(^|[^\p{L}\p{N}_])(ad|sponsored|advertisement)([^\p{L}\p{N}_]|$)/iu.test(d))).toBe(true);
  });

  it("is the same every time", () => {
    expect(hashOf(demoDataset())).toBe(hashOf(demo));
  });
});
