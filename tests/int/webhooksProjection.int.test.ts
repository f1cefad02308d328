// The webhooks projection (SPEC §11, projections/webhooks): registrations and deletions folded from
// their events, and the outbox — one row per active endpoint and item it subscribed to, from its
// registration on, in position order — written with the checkpoint. A hand-written history,
// projected by a real runner into SQLite and PostgreSQL read models; expected rows written out by
// hand. The outbox is the same whatever the batch size (a rebuild re-creates the same entryIds).
import { mkdirSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReadModelDb } from "../../infra/readModel/port.ts";
import { openSqliteReadModelDb } from "../../infra/readModel/sqliteReadModelDb.ts";
import { Projector } from "../../projections/projector.ts";
import { webhooksProjection } from "../../projections/webhooks/webhooksProjection.ts";
import {
  accepted,
  campaignCreated,
  campaignEnded,
  click,
  line,
  payoutIssued,
  run,
  shipped,
  webhookDeleted,
  webhookRegistered,
} from "../support/domainFixtures.ts";
import {
  appendRaw,
  canonicalExport,
  catchUp,
  closeDbs,
  openDbs,
  openEnv,
  prefixes,
  sha256,
  type Dbs,
  type ProjectionEnv,
  type ReadModelKind,
  tempDir,
} from "../support/projectionHarness.ts";
import { randomSchema, dropSchema } from "../support/pgTest.ts";

const HISTORY = [
  webhookRegistered({ webhookId: "wh_a", url: "https://a.example.com/h", events: ["posting.created"] }), // 1
  webhookRegistered({ webhookId: "wh_b", url: "https://b.example.com/h", events: ["payout.issued", "anomaly.recorded"] }), // 2
  campaignCreated({ id: "h-cc", campaignId: "C1", budget: "3.00" }), // 3: budget_funding 3:0
  accepted({ id: "h-acc", campaignId: "C1", creatorId: "K1", trackingId: "T1" }), // 4: nothing booked
  // 5: toys 30.00: standard 0.90 (5:0), bonus 3.00 = the whole budget (5:1), exhausted (5:2: nobody subscribed yet)
  shipped({ id: "h-ship", shipmentId: "S1", trackingId: "T1", lines: [line("A1", "toys", 1, "30.00")] }),
  webhookRegistered({
    webhookId: "wh_c",
    url: "https://c.example.com/h",
    events: ["budget.exhausted", "campaign.ended", "posting.created"],
  }), // 6
  click({ id: "h-click", trackingId: "T-unknown" }), // 7: anomaly 7:0
  payoutIssued({ id: "h-pay", payoutId: "P1", creatorId: "K1", marketplace: "US", amount: "0.90", occurredAt: "2026-06-01T07:00:00Z" }), // 8: payout 8:0
  webhookDeleted({ webhookId: "wh_a", occurredAt: "2026-06-02T00:00:00Z" }), // 9
  campaignEnded({ id: "h-end", campaignId: "C1", occurredAt: "2026-04-01T00:00:00-07:00" }), // 10: forfeit 10:0, campaign.ended 10:1
];
const HEAD = HISTORY.length;

async function deliveries(db: ReadModelDb, prefix: string) {
  const rows = await db.query<{ webhook_id: string; entry_id: string; type: string; state: string; attempts: unknown }>(
    `SELECT webhook_id, entry_id, type, state, attempts FROM ${prefix}deliveries ORDER BY webhook_id, position, seq`,
  );
  return rows.map((r) => [r.webhook_id, r.entry_id, r.type, r.state, Number(r.attempts)]);
}

/** Runs `test` over new, empty read models in `dir` (PostgreSQL: a schema of their own), closed after. */
async function withFreshDbs(kind: ReadModelKind, dir: string, test: (dbs: Dbs) => Promise<void>): Promise<void> {
  const schema = kind === "postgres" ? randomSchema("hooks") : undefined;
  let dbs: Dbs | null = null;
  try {
    mkdirSync(dir, { recursive: true });
    dbs = await openDbs(kind, { dir, ...(schema ? { schema } : {}) });
    await test(dbs);
  } finally {
    if (dbs) await closeDbs(dbs);
    if (schema) await dropSchema(schema);
  }
}

describe.each<ReadModelKind>(["sqlite", "postgres"])("the webhooks projection (%s read models)", (kind) => {
  let env: ProjectionEnv;
  let prefix: string;

  beforeAll(async () => {
    env = await openEnv(kind);
    expect((await appendRaw(env.store, HISTORY, { internal: true })).lastPosition).toBe(HEAD);
    expect((await catchUp(env.store, env.dbs, { batchSize: 1000 })).lastPosition).toBe(HEAD);
    prefix = (await prefixes(env.dbs)).webhooks;
  });
  afterAll(async () => {
    await env?.close();
  });

  it("folds registrations and deletions", async () => {
    const rows = await env.dbs.webhooks.query<{
      webhook_id: string;
      url: string;
      events: string;
      registered_position: unknown;
      status: string;
      deleted_position: unknown;
    }>(`SELECT webhook_id, url, events, registered_position, status, deleted_position FROM ${prefix}endpoints ORDER BY webhook_id`);
    expect(
      rows.map((r) => [
        r.webhook_id,
        r.url,
        JSON.parse(r.events),
        Number(r.registered_position),
        r.status,
        r.deleted_position === null ? null : Number(r.deleted_position),
      ]),
    ).toEqual([
      ["wh_a", "https://a.example.com/h", ["posting.created"], 1, "deleted", 9],
      ["wh_b", "https://b.example.com/h", ["payout.issued", "anomaly.recorded"], 2, "active", null],
      ["wh_c", "https://c.example.com/h", ["budget.exhausted", "campaign.ended", "posting.created"], 6, "active", null],
    ]);
  });

  it("queues, per endpoint, what it subscribed to between its registration and its deletion, each item once as its most specific event", async () => {
    expect(await deliveries(env.dbs.webhooks, prefix)).toEqual([
      ["wh_a", "3:0", "posting.created", "pending", 0],
      ["wh_a", "5:0", "posting.created", "pending", 0],
      ["wh_a", "5:1", "posting.created", "pending", 0],
      ["wh_a", "8:0", "posting.created", "pending", 0],
      ["wh_b", "7:0", "anomaly.recorded", "pending", 0],
      ["wh_b", "8:0", "payout.issued", "pending", 0],
      ["wh_c", "8:0", "posting.created", "pending", 0],
      ["wh_c", "10:0", "posting.created", "pending", 0],
      ["wh_c", "10:1", "campaign.ended", "pending", 0],
    ]);
  });

  it("a body is {entryId, type, data}: data is the item as GET /v1/feed shows it", async () => {
    const [payout] = await env.dbs.webhooks.query<{ body: string }>(
      `SELECT body FROM ${prefix}deliveries WHERE webhook_id = 'wh_b' AND entry_id = '8:0'`,
    );
    expect(JSON.parse(payout!.body)).toEqual({
      entryId: "8:0",
      type: "payout.issued",
      data: {
        type: "posting.created",
        entryId: "8:0",
        position: 8,
        seq: 0,
        sourceEventId: "h-pay",
        eventType: "PayoutIssued",
        occurredAt: "2026-06-01T07:00:00Z",
        kind: "payout",
        source: "creator:K1:US:earned",
        destination: "payouts:US",
        creatorId: "K1",
        campaignId: null,
        shipmentId: null,
        asin: null,
        amount: "-0.90",
        currency: "USD",
        marketplace: "US",
        earningMonth: null,
        originalMonth: null,
        rate: null,
        ruleVersion: 1,
        note: null,
      },
    });
    const [anomaly] = await env.dbs.webhooks.query<{ body: string }>(
      `SELECT body FROM ${prefix}deliveries WHERE webhook_id = 'wh_b' AND entry_id = '7:0'`,
    );
    expect(JSON.parse(anomaly!.body)).toEqual({
      entryId: "7:0",
      type: "anomaly.recorded",
      data: {
        type: "anomaly.recorded",
        entryId: "7:0",
        position: 7,
        seq: 0,
        eventId: "h-click",
        eventType: "ClickRecorded",
        code: "unknown_tracking_id",
        message: "click on unknown tracking id T-unknown",
        creatorId: null,
        campaignId: null,
      },
    });
  });

  it.each([1, 7])("a rebuild in batches of %i writes the same outbox, byte for byte", async (batchSize) => {
    await withFreshDbs(kind, `${env.dir}/batch-${batchSize}`, async (dbs) => {
      await catchUp(env.store, dbs, { batchSize });
      expect(sha256(await canonicalExport(dbs.webhooks, "webhooks"))).toBe(sha256(await canonicalExport(env.dbs.webhooks, "webhooks")));
    });
  });
});

// A batch that begins with no active endpoint keeps no outcome before its first registration or
// deletion (projections/webhooks/webhooksProjection.ts): what comes after it is delivered, also when
// the batch is added a page of one event at a time.
const LATE = [
  campaignCreated({ id: "l-cc", campaignId: "C1", budget: "100.00" }), // 1: budget_funding 1:0 (nobody subscribed)
  accepted({ id: "l-acc", campaignId: "C1", creatorId: "K1", trackingId: "T1" }), // 2
  shipped({ id: "l-ship1", shipmentId: "S1", trackingId: "T1", lines: [line("A1", "toys", 1, "30.00")] }), // 3: standard 3:0, bonus 3:1
  webhookRegistered({ webhookId: "wh_late", url: "https://late.example.com/h", events: ["posting.created"] }), // 4
  shipped({ id: "l-ship2", shipmentId: "S2", trackingId: "T1", lines: [line("A1", "toys", 1, "20.00")] }), // 5: standard 5:0, bonus 5:1
];

describe.each<ReadModelKind>(["sqlite", "postgres"])("an endpoint registered mid-batch (%s read models)", (kind) => {
  let env: ProjectionEnv;

  beforeAll(async () => {
    env = await openEnv(kind);
    expect((await appendRaw(env.store, LATE, { internal: true })).lastPosition).toBe(LATE.length);
  });
  afterAll(async () => {
    await env?.close();
  });

  it.each([
    [1000, 1000],
    [1000, 1],
    [1, 1],
  ])("batches of %i read in pages of %i queue the postings after its registration, and only those", async (batchSize, pageSize) => {
    await withFreshDbs(kind, `${env.dir}/late-${batchSize}-${pageSize}`, async (dbs) => {
      await catchUp(env.store, dbs, { batchSize, pageSize });
      expect(await deliveries(dbs.webhooks, (await prefixes(dbs)).webhooks)).toEqual([
        ["wh_late", "5:0", "posting.created", "pending", 0],
        ["wh_late", "5:1", "posting.created", "pending", 0],
      ]);
    });
  });
});

// The endpoints a batch delivers to are read in its own transaction, when it is written: the delivery
// worker may disable one (its give-up span ran out) while the batch's outcomes are being added.
describe("an endpoint disabled while a batch is being added", () => {
  it("gets nothing of that batch; one left active gets it", async () => {
    const { outcomes } = run(LATE);
    const deliveredWith = async (disableMidBatch: boolean) => {
      const dir = tempDir();
      const db = openSqliteReadModelDb(`${dir}/webhooks.db`);
      try {
        const projector = await Projector.open(db, webhooksProjection, { ruleVersion: 1 });
        await projector.add(outcomes.slice(0, 4)); // … the registration of wh_late at 4
        await projector.commit({ position: 4, eventId: outcomes[3]!.eventId });
        await projector.add(outcomes.slice(4)); // the shipment at 5: two postings
        if (disableMidBatch)
          await db.run(
            `UPDATE ${projector.prefix}endpoints SET status = 'disabled', disabled_at = '2026-06-01T00:00:00Z', disabled_reason = 'gave up' WHERE webhook_id = 'wh_late'`,
          );
        await projector.commit({ position: 5, eventId: outcomes[4]!.eventId });
        return await deliveries(db, projector.prefix);
      } finally {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    };
    expect(await deliveredWith(true)).toEqual([]);
    expect(await deliveredWith(false)).toEqual([
      ["wh_late", "5:0", "posting.created", "pending", 0],
      ["wh_late", "5:1", "posting.created", "pending", 0],
    ]);
  });
});
