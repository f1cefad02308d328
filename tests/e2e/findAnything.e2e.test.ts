// Issue 27 over real sockets: find anything (GET /v1/search), the lists (GET /v1/creators,
// /v1/campaigns, /v1/brands), "as of a date" (GET /v1/log/position) and a campaign's history (GET
// /v1/campaigns/{id} `history`), now and as of a position. Run on the SQLite store and read models,
// and on the PostgreSQL store and read models. Every expected answer is written out by hand.
//
// The history: the fixture (tests/e2e/fixture.ts, positions 1-18, one batch) — CMP-1 of brand B1
// (created at 1, budget 50.00, ended at 11), -C2 of brand B2 (created at 16, running), creators K1,
// K2 (acceptances at 2, 3) and K3 (acceptance at 17) — then, in a second batch at least 20 ms later
// (so the two batches have two commit times), positions 19-27 below.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectErrorShape,
  expectNo5xxAndErrorShapes,
  get,
  postEvents,
  startE2eServer,
  waitForProjections,
  type E2eServer,
} from "../support/e2eServer.ts";
import { dropLedgerSchemas, postgresLedgerEnv, randomSchema } from "../support/pgTest.ts";
import { ALL_EVENTS } from "./fixture.ts";

const CMP2 = "Cmp-2";
const MORE = [
  // 19 — a second campaign of B1 (its id differs from CMP-1 by case only after the "C")
  {
    id: "cc-3",
    type: "CampaignCreated",
    occurredAt: "2026-02-20T12:00:00Z",
    data: {
      campaignId: CMP2,
      brandId: "B1",
      marketplace: "US",
      bonusRate: "0.05",
      budget: "100.00",
      startsAt: "2026-03-01T00:00:00-08:00",
      endsAt: "2026-06-01T00:00:00-07:00",
      asins: ["A9"],
    },
  },
  // 20 — budget cut to 80.00
  { id: "bud-1", type: "CampaignBudgetChanged", occurredAt: "2026-03-05T12:00:00Z", data: { campaignId: CMP2, budget: "80.00" } },
  // 21 — paused; 22 — paused again: anomaly invalid_state, changes nothing (not in the history)
  { id: "pause-1", type: "CampaignPaused", occurredAt: "2026-03-10T12:00:00Z", data: { campaignId: CMP2 } },
  { id: "pause-2", type: "CampaignPaused", occurredAt: "2026-03-11T12:00:00Z", data: { campaignId: CMP2 } },
  // 23 — resumed; 24 — ends a month earlier
  { id: "resume-1", type: "CampaignResumed", occurredAt: "2026-03-20T12:00:00Z", data: { campaignId: CMP2 } },
  {
    id: "end-1",
    type: "CampaignEndChanged",
    occurredAt: "2026-03-25T12:00:00Z",
    data: { campaignId: CMP2, endsAt: "2026-05-01T00:00:00-07:00" },
  },
  // 25 — CMP-1 has ended: anomaly campaign_already_ended, not in CMP-1's history
  { id: "bud-x", type: "CampaignBudgetChanged", occurredAt: "2026-04-01T12:00:00Z", data: { campaignId: "CMP-1", budget: "70.00" } },
  // 26 — a payout of K1 (its event id is its payout id, as the payout run makes them)
  {
    id: "payout:K1:US:2026-04-02",
    type: "PayoutIssued",
    occurredAt: "2026-04-02T12:00:00-07:00",
    data: { payoutId: "payout:K1:US:2026-04-02", creatorId: "K1", marketplace: "US", amount: "54.12" },
  },
  // 27 — Cmp-2 ends at its new end
  { id: `campaign-ended:${CMP2}`, type: "CampaignEnded", occurredAt: "2026-05-01T00:00:00-07:00", data: { campaignId: CMP2 } },
];
const HEAD = 27;

/** Cmp-2 as it stands at the end (SPEC §9): no creator, nothing spent. */
const CMP2_NOW = {
  campaignId: CMP2,
  brandId: "B1",
  marketplace: "US",
  currency: "USD",
  bonusRate: "0.05",
  startsAt: "2026-03-01T00:00:00-08:00",
  endsAt: "2026-05-01T00:00:00-07:00",
  asins: ["A9"],
  paused: false,
  creators: 0,
  budget: "80.00",
  spent: "0.00",
  released: "0.00",
  remaining: "80.00",
  exhausted: false,
  exhaustedAt: null,
  ended: true,
};

function findAnythingSuite(label: string, env: () => Record<string, string>) {
  describe(`find anything, lists, log position and campaign history (issue 27, ${label})`, () => {
    let server: E2eServer;
    let url: string;
    /** recordedAt of each position, from GET /v1/events. */
    const recordedAt: string[] = [];

    beforeAll(async () => {
      server = await startE2eServer({ env: env() });
      url = server.baseUrl;
      expect((await postEvents(url, ALL_EVENTS)).body).toEqual({ appended: 18, duplicates: 0, lastPosition: 18 });
      await new Promise((r) => setTimeout(r, 20));
      expect((await postEvents(url, MORE)).body).toEqual({ appended: 9, duplicates: 0, lastPosition: HEAD });
      expect(await waitForProjections(url)).toBe(HEAD);
      const events = await get(url, `/v1/events?limit=${HEAD}`);
      for (const e of events.body.events as { recordedAt: string }[]) recordedAt.push(e.recordedAt);
      expect(recordedAt).toHaveLength(HEAD);
    });
    afterAll(async () => {
      await server?.destroy();
    });

    const ok = async (path: string) => {
      const answer = await get(url, path);
      expect(answer.status, answer.text).toBe(200);
      return answer.body;
    };
    const refused = async (path: string) => {
      const answer = await get(url, path);
      expectErrorShape(answer, 400, "invalid_request");
      return answer.body.error;
    };
    const ids = (items: { campaignId: string }[]) => items.map((c) => c.campaignId);

    describe("GET /v1/search", () => {
      it("finds campaigns, creators, brands, payouts and events by the first characters of their id, in any case", async () => {
        expect(await ok("/v1/search?q=cmp")).toEqual({
          q: "cmp",
          asOfPosition: HEAD,
          hits: [
            { kind: "campaign", id: "CMP-1", brandId: "B1", marketplace: "US" },
            { kind: "campaign", id: CMP2, brandId: "B1", marketplace: "US" },
          ],
          truncated: false,
        });
        expect(await ok("/v1/search?q=k")).toEqual({
          q: "k",
          asOfPosition: HEAD,
          hits: [
            { kind: "creator", id: "K1" },
            { kind: "creator", id: "K2" },
            { kind: "creator", id: "K3" },
          ],
          truncated: false,
        });
        expect((await ok("/v1/search?q=b")).hits).toEqual([
          { kind: "brand", id: "B1", campaigns: 2 },
          { kind: "brand", id: "B2", campaigns: 1 },
          { kind: "event", id: "bud-1", type: "CampaignBudgetChanged", position: 20 },
          { kind: "event", id: "bud-x", type: "CampaignBudgetChanged", position: 25 },
        ]);
        // One id, two kinds: the payout and the event that issued it (payout before event).
        expect((await ok("/v1/search?q=PAYOUT%3Ak1")).hits).toEqual([
          { kind: "payout", id: "payout:K1:US:2026-04-02", creatorId: "K1", marketplace: "US" },
          { kind: "event", id: "payout:K1:US:2026-04-02", type: "PayoutIssued", position: 26 },
        ]);
        expect((await ok("/v1/search?q=CC-")).hits).toEqual([
          { kind: "event", id: "cc-1", type: "CampaignCreated", position: 1 },
          { kind: "event", id: "cc-2", type: "CampaignCreated", position: 16 },
          { kind: "event", id: "cc-3", type: "CampaignCreated", position: 19 },
        ]);
        expect(await ok("/v1/search?q=nothing-starts-so")).toEqual({
          q: "nothing-starts-so",
          asOfPosition: HEAD,
          hits: [],
          truncated: false,
        });
      });

      it("keeps the first `limit` hits by lower-cased id and says when there are more", async () => {
        // Everything that starts with c, by lower-cased id: campaign-ended:cmp-1 (11), campaign-ended:cmp-2 (27), cc-1, cc-2,
        // cc-3, cl-1, clk-1, clk-2, clk-3 (events), cmp-1, cmp-2 (campaigns).
        expect(await ok("/v1/search?q=c&limit=3")).toEqual({
          q: "c",
          asOfPosition: HEAD,
          hits: [
            { kind: "event", id: "campaign-ended:CMP-1", type: "CampaignEnded", position: 11 },
            { kind: "event", id: `campaign-ended:${CMP2}`, type: "CampaignEnded", position: 27 },
            { kind: "event", id: "cc-1", type: "CampaignCreated", position: 1 },
          ],
          truncated: true,
        });
        const all = await ok("/v1/search?q=c&limit=11");
        expect(all.truncated).toBe(false);
        expect(all.hits.map((h: { kind: string; id: string }) => `${h.kind} ${h.id}`).slice(8)).toEqual([
          "event clk-3",
          "campaign CMP-1",
          `campaign ${CMP2}`,
        ]);
        expect((await ok("/v1/search?q=c&limit=10")).truncated).toBe(true);
      });

      it("answers as of a position: only what existed then", async () => {
        expect(await ok("/v1/search?q=cmp&asOfPosition=18")).toEqual({
          q: "cmp",
          asOfPosition: 18,
          hits: [{ kind: "campaign", id: "CMP-1", brandId: "B1", marketplace: "US" }],
          truncated: false,
        });
        // At 19 B1 has both campaigns; bud-1 (20) is not stored yet.
        expect((await ok("/v1/search?q=b&asOfPosition=19")).hits).toEqual([
          { kind: "brand", id: "B1", campaigns: 2 },
          { kind: "brand", id: "B2", campaigns: 1 },
        ]);
        expect((await ok("/v1/search?q=k&asOfPosition=2")).hits).toEqual([{ kind: "creator", id: "K1" }]);
        expect((await ok("/v1/search?q=payout&asOfPosition=25")).hits).toEqual([]);
        expect(await ok("/v1/search?q=k&asOfPosition=0")).toEqual({ q: "k", asOfPosition: 0, hits: [], truncated: false });
        expect((await ok(`/v1/search?q=k&minPosition=${HEAD}`)).asOfPosition).toBe(HEAD);
      });

      it("refuses an empty, missing or malformed q and a limit out of range, naming why", async () => {
        expect(await refused("/v1/search?q=")).toEqual({
          code: "invalid_request",
          message: "invalid query: q",
          details: [
            { path: "q", message: "must not be empty: give the first characters of a creator, campaign, brand, payout or event id" },
          ],
        });
        expect(await refused("/v1/search")).toEqual({
          code: "invalid_request",
          message: "invalid query: q",
          details: [
            {
              path: "q",
              message: "required query parameter: the first characters of an id (creator, campaign, brand, payout or event), any case",
            },
          ],
        });
        expect((await refused("/v1/search?q=a%20b")).details).toEqual([
          { path: "q", message: "may contain only the characters of an id: A-Z a-z 0-9 . _ : -" },
        ]);
        expect((await refused("/v1/search?q=k&limit=51")).details).toEqual([{ path: "limit", message: "must be an integer 1..50" }]);
        expect((await refused("/v1/search?q=k&limit=0")).details).toEqual([{ path: "limit", message: "must be an integer 1..50" }]);
        expect((await refused(`/v1/search?q=k&asOfPosition=${HEAD + 1}`)).message).toBe(
          `asOfPosition ${HEAD + 1} is beyond the store's head (${HEAD})`,
        );
      });
    });

    describe("GET /v1/creators, /v1/brands, /v1/campaigns", () => {
      it("lists the creators by id, paged by the last id", async () => {
        expect(await ok("/v1/creators")).toEqual({
          asOfPosition: HEAD,
          creators: [{ creatorId: "K1" }, { creatorId: "K2" }, { creatorId: "K3" }],
          nextAfter: null,
        });
        expect(await ok("/v1/creators?limit=2")).toEqual({
          asOfPosition: HEAD,
          creators: [{ creatorId: "K1" }, { creatorId: "K2" }],
          nextAfter: "K2",
        });
        expect(await ok("/v1/creators?limit=2&after=K2")).toEqual({ asOfPosition: HEAD, creators: [{ creatorId: "K3" }], nextAfter: null });
        expect(await ok("/v1/creators?asOfPosition=2")).toEqual({ asOfPosition: 2, creators: [{ creatorId: "K1" }], nextAfter: null });
        expect(await ok("/v1/creators?asOfPosition=1")).toEqual({ asOfPosition: 1, creators: [], nextAfter: null });
        expect((await refused("/v1/creators?limit=1001")).details).toEqual([{ path: "limit", message: "must be an integer 1..1000" }]);
        expect((await refused("/v1/creators?after=a%20b")).details[0].path).toBe("after");
      });

      it("lists the brands with their campaigns, now and as of a position", async () => {
        expect(await ok("/v1/brands")).toEqual({
          asOfPosition: HEAD,
          brands: [
            { brandId: "B1", campaigns: 2 },
            { brandId: "B2", campaigns: 1 },
          ],
          nextAfter: null,
        });
        expect(await ok("/v1/brands?limit=1")).toEqual({ asOfPosition: HEAD, brands: [{ brandId: "B1", campaigns: 2 }], nextAfter: "B1" });
        expect(await ok("/v1/brands?after=B1")).toEqual({ asOfPosition: HEAD, brands: [{ brandId: "B2", campaigns: 1 }], nextAfter: null });
        expect(await ok("/v1/brands?asOfPosition=18")).toEqual({
          asOfPosition: 18,
          brands: [
            { brandId: "B1", campaigns: 1 },
            { brandId: "B2", campaigns: 1 },
          ],
          nextAfter: null,
        });
      });

      it("lists the campaigns by id in code-point order, of a brand, in a state, paged", async () => {
        const all = await ok("/v1/campaigns");
        // "-" (0x2d) < "CMP-1" < "Cmp-2" ("M" 0x4d < "m" 0x6d)
        expect(ids(all.campaigns)).toEqual(["-C2", "CMP-1", CMP2]);
        expect(all.campaigns[2]).toEqual(CMP2_NOW);
        expect(all.nextAfter).toBeNull();
        expect(all.campaigns[1]).toEqual((await ok("/v1/brands/B1/campaigns")).campaigns[0]);
        expect(ids((await ok("/v1/campaigns?brandId=B1")).campaigns)).toEqual(["CMP-1", CMP2]);
        expect(ids((await ok("/v1/campaigns?state=ended")).campaigns)).toEqual(["CMP-1", CMP2]);
        expect(ids((await ok("/v1/campaigns?state=running")).campaigns)).toEqual(["-C2"]);
        expect(await ok("/v1/campaigns?state=paused")).toEqual({ asOfPosition: HEAD, campaigns: [], nextAfter: null });
        expect(ids((await ok("/v1/campaigns?brandId=B2&state=ended")).campaigns)).toEqual([]);
        const first = await ok("/v1/campaigns?limit=2");
        expect([ids(first.campaigns), first.nextAfter]).toEqual([["-C2", "CMP-1"], "CMP-1"]);
        const second = await ok(`/v1/campaigns?limit=2&after=${first.nextAfter}`);
        expect([ids(second.campaigns), second.nextAfter]).toEqual([[CMP2], null]);
      });

      it("answers the campaigns as they stood at a position", async () => {
        // At 21 Cmp-2 is paused with its budget cut to 80.00; CMP-1 ended at 11.
        expect(await ok("/v1/campaigns?state=paused&asOfPosition=21")).toEqual({
          asOfPosition: 21,
          campaigns: [{ ...CMP2_NOW, endsAt: "2026-06-01T00:00:00-07:00", paused: true, ended: false }],
          nextAfter: null,
        });
        expect(ids((await ok("/v1/campaigns?state=running&asOfPosition=21")).campaigns)).toEqual(["-C2"]);
        expect(ids((await ok("/v1/campaigns?asOfPosition=18")).campaigns)).toEqual(["-C2", "CMP-1"]);
        const atCreation = (await ok("/v1/campaigns?brandId=B1&asOfPosition=19")).campaigns;
        expect(atCreation.map((c: typeof CMP2_NOW) => [c.campaignId, c.budget, c.ended])).toEqual([
          ["CMP-1", "50.00", true],
          [CMP2, "100.00", false],
        ]);
        expect(await ok("/v1/campaigns?asOfPosition=0")).toEqual({ asOfPosition: 0, campaigns: [], nextAfter: null });
        expect((await refused("/v1/campaigns?state=open")).details).toEqual([
          { path: "state", message: "must be one of running, paused, ended" },
        ]);
      });
    });

    describe("GET /v1/campaigns/{id} history", () => {
      const cmp2History = () => [
        {
          position: 19,
          eventId: "cc-3",
          eventType: "CampaignCreated",
          occurredAt: "2026-02-20T12:00:00Z",
          recordedAt: recordedAt[18],
          changes: { budget: { from: null, to: "100.00" }, endsAt: { from: null, to: "2026-06-01T00:00:00-07:00" } },
        },
        {
          position: 20,
          eventId: "bud-1",
          eventType: "CampaignBudgetChanged",
          occurredAt: "2026-03-05T12:00:00Z",
          recordedAt: recordedAt[19],
          changes: { budget: { from: "100.00", to: "80.00" } },
        },
        {
          position: 21,
          eventId: "pause-1",
          eventType: "CampaignPaused",
          occurredAt: "2026-03-10T12:00:00Z",
          recordedAt: recordedAt[20],
          changes: { paused: { from: false, to: true } },
        },
        {
          position: 23,
          eventId: "resume-1",
          eventType: "CampaignResumed",
          occurredAt: "2026-03-20T12:00:00Z",
          recordedAt: recordedAt[22],
          changes: { paused: { from: true, to: false } },
        },
        {
          position: 24,
          eventId: "end-1",
          eventType: "CampaignEndChanged",
          occurredAt: "2026-03-25T12:00:00Z",
          recordedAt: recordedAt[23],
          changes: { endsAt: { from: "2026-06-01T00:00:00-07:00", to: "2026-05-01T00:00:00-07:00" } },
        },
        {
          position: 27,
          eventId: `campaign-ended:${CMP2}`,
          eventType: "CampaignEnded",
          occurredAt: "2026-05-01T00:00:00-07:00",
          recordedAt: recordedAt[26],
          changes: { ended: { from: false, to: true } },
        },
      ];

      it("lists every change of the campaign's life in order, with position, times and values; anomalies are not changes", async () => {
        expect(await ok(`/v1/campaigns/${CMP2}`)).toEqual({
          ...CMP2_NOW,
          asOfPosition: HEAD,
          history: cmp2History(),
          historyTruncated: false,
        });
        expect((await ok("/v1/campaigns/CMP-1")).history).toEqual([
          {
            position: 1,
            eventId: "cc-1",
            eventType: "CampaignCreated",
            occurredAt: "2025-12-20T12:00:00Z",
            recordedAt: recordedAt[0],
            changes: { budget: { from: null, to: "50.00" }, endsAt: { from: null, to: "2026-02-01T00:00:00-08:00" } },
          },
          {
            position: 11,
            eventId: "campaign-ended:CMP-1",
            eventType: "CampaignEnded",
            occurredAt: "2026-02-01T00:00:00-08:00",
            recordedAt: recordedAt[10],
            changes: { ended: { from: false, to: true } },
          },
        ]);
        expect((await ok("/v1/campaigns/-C2")).history.map((h: { eventId: string }) => h.eventId)).toEqual(["cc-2"]);
      });

      it("answers the history as of a position", async () => {
        const at22 = await ok(`/v1/campaigns/${CMP2}?asOfPosition=22`);
        expect(at22.history).toEqual(cmp2History().slice(0, 3));
        expect([at22.asOfPosition, at22.paused, at22.budget, at22.historyTruncated]).toEqual([22, true, "80.00", false]);
        expect((await ok(`/v1/campaigns/${CMP2}?asOfPosition=19`)).history).toEqual(cmp2History().slice(0, 1));
        expectErrorShape(await get(url, `/v1/campaigns/${CMP2}?asOfPosition=18`), 404, "not_found");
      });
    });

    describe("GET /v1/log/position", () => {
      const ms = (iso: string) => Date.parse(iso);
      const iso = (epochMs: number) => new Date(epochMs).toISOString();

      it("answers the last position recorded at or before the instant, with its recordedAt; 0 before the first", async () => {
        // One commit time per batch: 1-18, then 19-27, at least 20 ms apart.
        const [first, second] = [recordedAt[0]!, recordedAt[18]!];
        expect(new Set(recordedAt.slice(0, 18))).toEqual(new Set([first]));
        expect(new Set(recordedAt.slice(18))).toEqual(new Set([second]));
        expect(ms(second) - ms(first)).toBeGreaterThanOrEqual(20);

        expect(await ok(`/v1/log/position?at=${first}`)).toEqual({ at: first, position: 18, recordedAt: first, asOfPosition: HEAD });
        const justBefore = iso(ms(second) - 1);
        expect(await ok(`/v1/log/position?at=${justBefore}`)).toEqual({
          at: justBefore,
          position: 18,
          recordedAt: first,
          asOfPosition: HEAD,
        });
        expect(await ok(`/v1/log/position?at=${second}`)).toEqual({ at: second, position: HEAD, recordedAt: second, asOfPosition: HEAD });
        const beforeAll = iso(ms(first) - 1);
        expect(await ok(`/v1/log/position?at=${beforeAll}`)).toEqual({ at: beforeAll, position: 0, recordedAt: null, asOfPosition: HEAD });
        expect((await ok("/v1/log/position?at=1970-01-01T00:00:00Z")).position).toBe(0);
      });

      it("takes any offset (the same instant), and is bounded by asOfPosition", async () => {
        const second = recordedAt[18]!;
        // The same instant two hours ahead of UTC, as a client writes it (+ is %2B in a URL).
        const local = new Date(ms(second) + 2 * 3_600_000).toISOString().replace("Z", "+02:00");
        expect(await ok(`/v1/log/position?at=${encodeURIComponent(local)}`)).toEqual({
          at: local,
          position: HEAD,
          recordedAt: second,
          asOfPosition: HEAD,
        });
        expect(await ok("/v1/log/position?at=2999-12-31T23:59:59Z&asOfPosition=20")).toEqual({
          at: "2999-12-31T23:59:59Z",
          position: 20,
          recordedAt: second,
          asOfPosition: 20,
        });
        expect(await ok(`/v1/log/position?at=${recordedAt[0]}&asOfPosition=5`)).toMatchObject({ position: 5, asOfPosition: 5 });
        expect(await ok("/v1/log/position?at=2999-12-31T23:59:59Z&asOfPosition=0")).toEqual({
          at: "2999-12-31T23:59:59Z",
          position: 0,
          recordedAt: null,
          asOfPosition: 0,
        });
      });

      it("refuses an instant without an offset, a date, a + left unencoded, and no instant", async () => {
        const message =
          "must be an ISO-8601 instant with an offset or Z, e.g. 2026-06-30T23:59:59-07:00 or 2026-07-01T00:00:00Z (in a URL, + is %2B), in the years 1970-2999";
        for (const bad of ["2026-06-30T23:59:59", "2026-06-30", "2026-06-30T23:59:59+02:00", "yesterday", "2026-02-30T00:00:00Z"]) {
          expect(await refused(`/v1/log/position?at=${bad}`), bad).toEqual({
            code: "invalid_request",
            message: "invalid query: at",
            details: [{ path: "at", message }],
          });
        }
        expect((await refused("/v1/log/position")).details).toEqual([
          { path: "at", message: "required query parameter: an ISO-8601 instant with an offset or Z, e.g. 2026-06-30T23:59:59-07:00" },
        ]);
        expect((await refused(`/v1/log/position?at=2026-06-30T00:00:00Z&asOfPosition=${HEAD + 1}`)).message).toBe(
          `asOfPosition ${HEAD + 1} is beyond the store's head (${HEAD})`,
        );
      });
    });

    it("answered no 5xx, and every error in the SPEC's shape", () => {
      expectNo5xxAndErrorShapes();
    });
  });
}

findAnythingSuite("SQLite", () => ({}));

const schema = randomSchema("e2e_find");
findAnythingSuite("PostgreSQL", () => postgresLedgerEnv(schema));
afterAll(async () => {
  await dropLedgerSchemas(schema);
});
