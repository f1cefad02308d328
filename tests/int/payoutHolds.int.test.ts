// The payout read model's holds and own thresholds (SPEC §12) over a hand-written history, on SQLite
// and PostgreSQL read models: read now after each event (the projection folds it as a batch of its
// own), as of each position (the journal's rows folded from zero), and now after the whole history
// in one batch (a hold and its release in one batch) — every read must be the one written out here.
//
// K1 holds no payment method (threshold = the own one, or null); no earnings: every status is
// nothing_due, so what is checked is which hold shows, and the threshold.
//   P1 PayoutsHeld K1 US, fraud_review, since 2026-03-01T10:00:00+01:00 (09:00Z)
//   P2 PayoutsHeld K1 (all), compliance, since 2026-03-01T01:00:00-08:00 (09:00Z: the same instant)
//      → in the US both stand and began at the same instant: the earlier position (P1) shows.
//   P3 PayoutThresholdSet K1 US 25.00 → opens K1's US account (K1 had none: holds open none).
//   P4 PayoutsReleased K1 US → only the all-marketplaces hold (P2) holds K1 in the US.
//   P5 PayoutsHeld K1 US, dispute, since 2026-03-02T00:00:00Z → both stand; P2 began first (03-01 09:00Z).
//   P6 PayoutsReleased K1 (all) → the US hold of P5 shows.
//   P7 PayoutThresholdSet K1 JP null → opens K1's JP account with no own threshold.
import { describe, expect, it } from "vitest";
import { RULES_V1 } from "../../domain/rules.ts";
import { payoutAccountsAt, standingHoldsAt } from "../../projections/payout/payoutAt.ts";
import { holdsNow, payoutOf, toLine } from "../../projections/payout/payoutQueries.ts";
import { appendRaw, catchUp, prefixes, withEnv, type ProjectionEnv, type ReadModelKind } from "../support/projectionHarness.ts";

const held = (id: string, since: string, data: Record<string, unknown>) => ({
  id,
  type: "PayoutsHeld",
  occurredAt: since,
  data: { creatorId: "K1", note: `note ${id}`, actor: "risk:maria", ...data },
});
const released = (id: string, data: Record<string, unknown>) => ({
  id,
  type: "PayoutsReleased",
  occurredAt: "2026-03-05T00:00:00Z",
  data: { creatorId: "K1", note: "cleared", actor: "risk:maria", ...data },
});
const threshold = (id: string, marketplace: string, amount: string | null) => ({
  id,
  type: "PayoutThresholdSet",
  occurredAt: "2026-03-05T00:00:00Z",
  data: { creatorId: "K1", marketplace, amount },
});

const EVENTS = [
  held("h-us", "2026-03-01T10:00:00+01:00", { marketplace: "US", reasonCode: "fraud_review" }),
  held("h-all", "2026-03-01T01:00:00-08:00", { reasonCode: "compliance" }),
  threshold("t-us", "US", "25.00"),
  released("r-us", { marketplace: "US" }),
  held("h-us-2", "2026-03-02T00:00:00Z", { marketplace: "US", reasonCode: "dispute" }),
  released("r-all", {}),
  threshold("t-jp", "JP", null),
];

/** What each position shows: K1's payout lines [marketplace, threshold, the hold's event id] and the standing holds [scope, event id]. */
const EXPECTED: { lines: [string, string | null, string | null][]; holds: [string | null, string][] }[] = [
  /* P0 */ { lines: [], holds: [] },
  /* P1 */ { lines: [], holds: [["US", "h-us"]] },
  /* P2 */ {
    lines: [],
    holds: [
      [null, "h-all"],
      ["US", "h-us"],
    ],
  },
  /* P3 */ {
    lines: [["US", "25.00", "h-us"]],
    holds: [
      [null, "h-all"],
      ["US", "h-us"],
    ],
  },
  /* P4 */ { lines: [["US", "25.00", "h-all"]], holds: [[null, "h-all"]] },
  /* P5 */ {
    lines: [["US", "25.00", "h-all"]],
    holds: [
      [null, "h-all"],
      ["US", "h-us-2"],
    ],
  },
  /* P6 */ { lines: [["US", "25.00", "h-us-2"]], holds: [["US", "h-us-2"]] },
  /* P7 */ {
    lines: [
      ["JP", null, null],
      ["US", "25.00", "h-us-2"],
    ],
    holds: [["US", "h-us-2"]],
  },
];

const DATE = "2026-06-30";

/** A hold's event id from its note (`note {id}`). */
const idOf = (note: string) => note.replace(/^note /, "");

async function readNow(env: ProjectionEnv) {
  const p = await prefixes(env.dbs);
  const lines = await payoutOf(env.dbs.payout, p.payout, "K1", DATE, RULES_V1);
  const holds = await holdsNow(env.dbs.payout, p.payout);
  return {
    lines: lines.map((l) => [l.marketplace, l.body.threshold, l.body.hold && idOf(l.body.hold.note)]),
    holds: holds.map((h) => [h.marketplace, idOf(h.note)]),
    statuses: lines.map((l) => l.status),
  };
}

async function readAsOf(env: ProjectionEnv, position: number) {
  const p = await prefixes(env.dbs);
  const accounts = await payoutAccountsAt(env.dbs.journal, p.journal, "K1", DATE, position);
  const holds = await standingHoldsAt(env.dbs.journal, p.journal, position);
  return {
    lines: accounts.map((a) => {
      const body = toLine(a, DATE, RULES_V1).body;
      return [body.marketplace, body.threshold, body.hold && idOf(body.hold.note)];
    }),
    holds: holds.map((h) => [h.marketplace, idOf(h.note)]),
  };
}

describe.each<ReadModelKind>(["sqlite", "postgres"])("payout read model: holds and own thresholds (SPEC §12, %s)", (kind) => {
  it("event by event (now), as of each position, and in one batch, every read is the hand-written one", async () => {
    await withEnv(kind, async (env) => {
      for (let p = 1; p <= EVENTS.length; p += 1) {
        await appendRaw(env.store, [EVENTS[p - 1]]);
        expect((await catchUp(env.store, env.dbs)).lastPosition).toBe(p);
        const now = await readNow(env);
        expect({ lines: now.lines, holds: now.holds }, `now at P${p}`).toEqual(EXPECTED[p]);
        // No earnings: nothing is due, held or not.
        expect(new Set(now.statuses), `statuses at P${p}`).toEqual(new Set(now.lines.length === 0 ? [] : ["nothing_due"]));
      }
      for (let p = 0; p <= EVENTS.length; p += 1) expect(await readAsOf(env, p), `as of P${p}`).toEqual(EXPECTED[p]);
      // The full hold of P5 as the payout read shows it.
      const lines = await payoutOf(env.dbs.payout, (await prefixes(env.dbs)).payout, "K1", DATE, RULES_V1);
      expect(lines[1]!.body.hold).toEqual({
        reasonCode: "dispute",
        note: "note h-us-2",
        actor: "risk:maria",
        since: "2026-03-02T00:00:00Z",
      });
    });
    await withEnv(kind, async (env) => {
      await appendRaw(env.store, EVENTS);
      expect((await catchUp(env.store, env.dbs, { batchSize: 1_000 })).lastPosition).toBe(EVENTS.length);
      const now = await readNow(env);
      expect({ lines: now.lines, holds: now.holds }, "now after one batch").toEqual(EXPECTED[EVENTS.length]);
    });
  });
});
