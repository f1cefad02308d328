// Campaign-end scheduler (SPEC §3 CampaignEnded, §7 LEDGER_CAMPAIGN_END_GRACE): appends
// `campaign-ended:{campaignId}` once endsAt + grace has passed, once, even when two passes race.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REF_ID_MAX_CHARS } from "../../domain/events/limits.ts";
import { endDueCampaigns } from "../../services/scheduler.ts";
import {
  expectNo5xxAndErrorShapes,
  get,
  head,
  postEvents,
  startE2eServer,
  waitForProjections,
  type E2eServer,
} from "../support/e2eServer.ts";

const campaign = (campaignId: string, endsAt: string) => ({
  id: `cc-${campaignId}`,
  type: "CampaignCreated",
  occurredAt: "2026-01-01T00:00:00Z",
  data: {
    campaignId,
    brandId: "B",
    marketplace: "US",
    bonusRate: "0.10",
    budget: "100.00",
    startsAt: "2026-02-01T00:00:00Z",
    endsAt,
    asins: ["A1"],
  },
});

describe("endDueCampaigns (default grace P1D)", () => {
  let server: E2eServer;
  const ENDS_AT = "2026-03-01T00:00:00Z";
  const endsAtMs = Date.parse(ENDS_AT);
  const DAY = 24 * 60 * 60 * 1000;

  beforeAll(async () => {
    server = await startE2eServer();
    await postEvents(server.baseUrl, [
      campaign("SCH-1", ENDS_AT),
      campaign("SCH-2", ENDS_AT),
      {
        id: "acc-s",
        type: "CampaignAccepted",
        occurredAt: "2026-02-01T12:00:00Z",
        data: { campaignId: "SCH-1", creatorId: "K9", trackingId: "T9" },
      },
      // A1 toys 1 × 50.00: standard 1.50; bonus 5.00 pending (no content → forfeited at the end)
      {
        id: "shp-s",
        type: "ShipmentRecorded",
        occurredAt: "2026-02-10T18:00:00Z",
        data: {
          shipmentId: "S9",
          orderId: "O9",
          trackingId: "T9",
          orderedAt: "2026-02-09T18:00:00Z",
          lines: [{ asin: "A1", category: "toys", quantity: 1, unitPrice: "50.00" }],
        },
      },
    ]);
    await waitForProjections(server.baseUrl);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("does nothing before endsAt + grace", async () => {
    expect(await endDueCampaigns(server.ledger, endsAtMs + DAY - 1)).toBe(0);
    expect(await head(server.baseUrl)).toBe(4);
  });

  it("two concurrent passes at endsAt + grace append one CampaignEnded per campaign", async () => {
    const counts = await Promise.all([endDueCampaigns(server.ledger, endsAtMs + DAY), endDueCampaigns(server.ledger, endsAtMs + DAY)]);
    expect(counts[0]! + counts[1]!).toBe(2); // SCH-1 and SCH-2, once each
    expect(await head(server.baseUrl)).toBe(6);
    await waitForProjections(server.baseUrl);
  });

  it("a later pass appends nothing", async () => {
    expect(await endDueCampaigns(server.ledger, endsAtMs + 10 * DAY)).toBe(0);
    expect(await head(server.baseUrl)).toBe(6);
  });

  it("the stored events are campaign-ended:{id} with occurredAt = endsAt (resending them is a duplicate)", async () => {
    const ended = ["SCH-1", "SCH-2"].map((id) => ({
      id: `campaign-ended:${id}`,
      type: "CampaignEnded",
      occurredAt: ENDS_AT,
      data: { campaignId: id },
    }));
    expect((await postEvents(server.baseUrl, ended)).body).toEqual({ appended: 0, duplicates: 2, lastPosition: 6 });
  });

  it("the campaigns have ended: K9's pending bonus is forfeited and goes back to the budget", async () => {
    const budget = await get(server.baseUrl, "/v1/campaigns/SCH-1/budget");
    expect(budget.body).toEqual({
      campaignId: "SCH-1",
      asOfPosition: 6,
      currency: "USD",
      budget: "100.00",
      spent: "0.00",
      released: "5.00",
      remaining: "100.00",
      exhausted: false,
      exhaustedAt: null,
      ended: true,
    });
    expect((await get(server.baseUrl, "/v1/campaigns/SCH-2/budget")).body).toMatchObject({ spent: "0.00", released: "0.00", ended: true });
    const earnings = await get(server.baseUrl, "/v1/creators/K9/earnings");
    expect(earnings.body.marketplaces[0].totals).toEqual({
      standard: "1.50",
      bonusPending: "0.00",
      bonusConfirmed: "0.00",
      bonusForfeited: "5.00",
      reversed: "0.00",
      adjusted: "0.00",
      total: "1.50",
    });
    expectNo5xxAndErrorShapes();
  });
});

describe("endDueCampaigns with LEDGER_CAMPAIGN_END_GRACE=PT2H, after campaign management already ended one", () => {
  let server: E2eServer;

  beforeAll(async () => {
    server = await startE2eServer({ env: { LEDGER_CAMPAIGN_END_GRACE: "PT2H" } });
    await postEvents(server.baseUrl, [
      campaign("G-1", "2026-03-01T00:00:00Z"),
      campaign("G-2", "2026-03-01T00:00:00Z"),
      // campaign management ends G-2 itself, with the same id the scheduler would use
      { id: "campaign-ended:G-2", type: "CampaignEnded", occurredAt: "2026-03-01T00:00:00Z", data: { campaignId: "G-2" } },
    ]);
    await waitForProjections(server.baseUrl);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("ends only G-1, exactly at endsAt + 2 h", async () => {
    const endsAtMs = Date.parse("2026-03-01T00:00:00Z");
    expect(await endDueCampaigns(server.ledger, endsAtMs + 2 * 3600_000 - 1)).toBe(0);
    expect(await endDueCampaigns(server.ledger, endsAtMs + 2 * 3600_000)).toBe(1);
    await waitForProjections(server.baseUrl);
    expect(await endDueCampaigns(server.ledger, endsAtMs + 3 * 3600_000)).toBe(0);
    expect(await head(server.baseUrl)).toBe(4);
    // G-2 has no second CampaignEnded (that would be an anomaly)
    expect((await get(server.baseUrl, "/v1/campaigns/G-1/budget")).body.ended).toBe(true);
  });
});

describe("a campaign whose id cannot form an event id", () => {
  const LONG_ID = "L".repeat(REF_ID_MAX_CHARS);
  let server: E2eServer;
  beforeAll(async () => {
    server = await startE2eServer();
    // A campaign id of 128 characters is valid, but `campaign-ended:` + 128 characters is too long for an event id.
    const answer = await postEvents(server.baseUrl, [
      { ...campaign(LONG_ID, "2026-03-01T00:00:00Z"), id: "cc-long-id" },
      campaign("C-OK", "2026-03-01T00:00:00Z"),
    ]);
    expect(answer.status).toBe(200);
    await waitForProjections(server.baseUrl);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("is skipped (and logged) without holding the other due campaigns back", async () => {
    const afterGrace = Date.parse("2026-03-02T00:00:00Z");
    expect(await endDueCampaigns(server.ledger, afterGrace)).toBe(1);
    await waitForProjections(server.baseUrl);
    expect((await get(server.baseUrl, "/v1/campaigns/C-OK/budget")).body.ended).toBe(true);
    expect((await get(server.baseUrl, `/v1/campaigns/${LONG_ID}/budget`)).body.ended).toBe(false);
  });
});

describe("the scheduler follows end changes (SPEC §9 CampaignEndChanged)", () => {
  let server: E2eServer;
  const endChanged = (id: string, campaignId: string, endsAt: string, occurredAt: string) => ({
    id,
    type: "CampaignEndChanged",
    occurredAt,
    data: { campaignId, endsAt },
  });
  const storedEnd = async (campaignId: string) => (await get(server.baseUrl, `/v1/events/campaign-ended:${campaignId}`)).body;

  beforeAll(async () => {
    server = await startE2eServer();
    await postEvents(server.baseUrl, [campaign("MOVE-LATER", "2026-03-01T00:00:00Z"), campaign("MOVE-EARLIER", "2026-06-01T00:00:00Z")]);
    await waitForProjections(server.baseUrl);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("an end moved later after the old end passed, before the scheduler ran: it ends at the new end", async () => {
    // The old end + grace (2026-03-02) has passed when the change arrives; the scheduler has not run.
    await postEvents(server.baseUrl, [endChanged("ec-later", "MOVE-LATER", "2026-04-01T00:00:00Z", "2026-03-05T00:00:00Z")]);
    await waitForProjections(server.baseUrl);
    expect(await endDueCampaigns(server.ledger, Date.parse("2026-03-10T00:00:00Z"))).toBe(0);
    expect(await endDueCampaigns(server.ledger, Date.parse("2026-04-02T00:00:00Z"))).toBe(1);
    expect(await storedEnd("MOVE-LATER")).toMatchObject({ type: "CampaignEnded", occurredAt: "2026-04-01T00:00:00Z" });
    await waitForProjections(server.baseUrl);
  });

  it("an end moved into the past ends the campaign at the next tick, at the new end", async () => {
    const now = Date.parse("2026-04-10T00:00:00Z");
    await postEvents(server.baseUrl, [endChanged("ec-earlier", "MOVE-EARLIER", "2026-04-05T00:00:00Z", "2026-04-09T00:00:00Z")]);
    await waitForProjections(server.baseUrl);
    expect(await endDueCampaigns(server.ledger, now)).toBe(1);
    expect(await storedEnd("MOVE-EARLIER")).toMatchObject({ type: "CampaignEnded", occurredAt: "2026-04-05T00:00:00Z" });
  });

  it("a change that lands between the scheduler's read and its append refuses the append; the next tick uses the new end", async () => {
    const fresh = await startE2eServer();
    try {
      await postEvents(fresh.baseUrl, [campaign("RACE2", "2026-03-01T00:00:00Z")]);
      await waitForProjections(fresh.baseUrl);
      // The end change is appended right after the scheduler read the campaign read model.
      const store = fresh.ledger.store;
      const readStream = store.readStream.bind(store);
      let injected = false;
      store.readStream = async (streamId, afterRevision, limit) => {
        if (!injected && streamId === "campaign-RACE2") {
          injected = true;
          const appended = await postEvents(fresh.baseUrl, [
            endChanged("ec-race", "RACE2", "2026-05-01T00:00:00Z", "2026-03-03T00:00:00Z"),
          ]);
          expect(appended.status).toBe(200);
        }
        return readStream(streamId, afterRevision, limit);
      };
      expect(await endDueCampaigns(fresh.ledger, Date.parse("2026-03-10T00:00:00Z"))).toBe(0);
      await waitForProjections(fresh.baseUrl);
      expect(await endDueCampaigns(fresh.ledger, Date.parse("2026-03-10T00:00:00Z"))).toBe(0); // the new end has not passed
      expect(await endDueCampaigns(fresh.ledger, Date.parse("2026-05-03T00:00:00Z"))).toBe(1);
      expect((await get(fresh.baseUrl, "/v1/events/campaign-ended:RACE2")).body).toMatchObject({ occurredAt: "2026-05-01T00:00:00Z" });
    } finally {
      await fresh.destroy();
    }
  });

  it("no answer was a 5xx", () => {
    expectNo5xxAndErrorShapes();
  });
});
