// Property tests of the pure engine (issue 7): random valid event sequences
// (tests/support/arbitraries.ts) folded with applyEvent. Expected values are never computed with
// the engine's own helpers (buckets.ts): the budget arithmetic below is written from SPEC §4
// rules 4, 5 and 8 directly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyEvent } from "../../domain/engine/engine.ts";
import type { Outcome, Posting } from "../../domain/engine/outcome.ts";
import { emptyState, type EngineState, type ShipmentState } from "../../domain/engine/state.ts";
import type { CurrentEvent } from "../../domain/events/envelope.ts";
import { toCurrentEvent } from "../../domain/events/current.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { RULES_V1 } from "../../domain/rules.ts";
import { sequenceArb, type RawEvent } from "../support/arbitraries.ts";

const SEED = 0x15_07_2026;
const RUNS = 300;

function current(raws: readonly RawEvent[]): CurrentEvent[] {
  const validation = validateBatch(raws);
  if (!validation.ok) throw new Error(`generator produced invalid events: ${JSON.stringify(validation.problems.slice(0, 5))}`);
  return validation.events.map((e, i) => toCurrentEvent({ ...e, position: i + 1 }));
}

function fold(events: readonly CurrentEvent[], state: EngineState = emptyState()): { state: EngineState; outcomes: Outcome[] } {
  const outcomes = events.map((e) => applyEvent(state, RULES_V1, e));
  return { state, outcomes };
}

/**
 * What a bonus posting does to its campaign's `spent`, from SPEC §4 alone:
 * rule 4 — spent = bonus accrued (pending + confirmed) net of reversals;
 * rule 5 — a forfeited pending bonus goes back to the budget (spent drops); a bonus forfeited at
 *          once after CampaignEnded never touches the budget; confirming moves nothing;
 * rule 8 — a returned pending bonus and a reversal of a confirmed bonus go back to the budget.
 */
function spentDelta(p: Posting): number {
  switch (p.kind) {
    case "bonus_pending": // + accrued (pending)
    case "bonus_confirmed": // + accrued (confirmed at once, after CampaignEnded)
    case "bonus_pending_return": // negative amount: back to the budget
    case "bonus_reversal": // negative amount: back to the budget
      return p.amountMinor;
    case "bonus_forfeit": // pending → forfeited: the (net) amount goes back to the budget
      return -p.amountMinor;
    default: // standard, standard_reversal, bonus_confirm, bonus_forfeited: not the budget
      return 0;
  }
}

/** SPEC §5 budget `released`: forfeited and reversed bonus given back. */
function releasedDelta(p: Posting): number {
  switch (p.kind) {
    case "bonus_pending_return":
    case "bonus_reversal":
      return -p.amountMinor;
    case "bonus_forfeit":
      return p.amountMinor;
    default:
      return 0;
  }
}

describe("engine properties over random valid event sequences", () => {
  it("every generated event is valid, and folding never throws", () => {
    fc.assert(
      fc.property(sequenceArb(), (s) => {
        const events = current(s.events);
        expect(() => fold(events)).not.toThrow();
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("budget: after every event 0 ≤ spent ≤ budget, spent + remaining = budget, exhaustedAt iff remaining = 0", () => {
    fc.assert(
      fc.property(sequenceArb(), (s) => {
        const state = emptyState();
        for (const event of current(s.events)) {
          const outcome = applyEvent(state, RULES_V1, event);
          for (const c of state.campaigns.values()) {
            const remaining = c.budgetMinor - c.spentMinor;
            expect(c.spentMinor, `${c.campaignId} spent after ${event.id}`).toBeGreaterThanOrEqual(0);
            expect(remaining, `${c.campaignId} remaining after ${event.id}`).toBeGreaterThanOrEqual(0);
            expect(c.spentMinor + remaining).toBe(c.budgetMinor);
            expect(c.exhaustedAt !== null, `${c.campaignId} exhaustedAt after ${event.id}`).toBe(remaining === 0);
          }
          for (const f of outcome.facts) {
            if (f.kind !== "budget") continue;
            expect(f.spentMinor).toBeGreaterThanOrEqual(0);
            expect(f.budgetMinor - f.spentMinor).toBeGreaterThanOrEqual(0);
            expect(f.releasedMinor).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("budget: spent = Σ bonus postings that touch the budget, released = Σ given back (after every event)", () => {
    fc.assert(
      fc.property(sequenceArb(), (s) => {
        const state = emptyState();
        const spent = new Map<string, number>();
        const released = new Map<string, number>();
        for (const event of current(s.events)) {
          const outcome = applyEvent(state, RULES_V1, event);
          for (const p of outcome.postings) {
            if (p.campaignId === null) continue; // payouts, adjustments without a campaign
            spent.set(p.campaignId, (spent.get(p.campaignId) ?? 0) + spentDelta(p));
            released.set(p.campaignId, (released.get(p.campaignId) ?? 0) + releasedDelta(p));
          }
          for (const c of state.campaigns.values()) {
            expect(c.spentMinor, `${c.campaignId} spent after ${event.id}`).toBe(spent.get(c.campaignId) ?? 0);
            expect(c.releasedMinor, `${c.campaignId} released after ${event.id}`).toBe(released.get(c.campaignId) ?? 0);
          }
          // The budget fact of an event reports the state the postings produced.
          for (const f of outcome.facts) if (f.kind === "budget") expect(f.spentMinor).toBe(spent.get(f.campaignId) ?? 0);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("returns: per shipment line, reversals never exceed the original amounts, units or revenue", () => {
    fc.assert(
      fc.property(sequenceArb(), (s) => {
        const { state, outcomes } = fold(current(s.events));
        // State: every line.
        for (const shipment of (state.shipments as Map<string, ShipmentState>).values()) {
          for (const line of shipment.lines) {
            expect(line.returnedQuantity).toBeGreaterThanOrEqual(0);
            expect(line.returnedQuantity).toBeLessThanOrEqual(line.quantity);
            expect(line.standardReversedMinor).toBeGreaterThanOrEqual(0);
            expect(line.standardReversedMinor).toBeLessThanOrEqual(line.standardMinor);
            expect(line.revenueReturnedMinor).toBeLessThanOrEqual(line.revenueMinor);
            expect(line.bonusReturnedMinor).toBeGreaterThanOrEqual(0);
            expect(line.bonusReturnedMinor).toBeLessThanOrEqual(line.bonusMinor);
          }
        }
        // Postings, per (shipment, ASIN) — independent of the engine's line bookkeeping.
        type Acc = { standard: number; standardRev: number; units: number; unitsRev: number; revenue: number; revenueRev: number; bonus: number; bonusRev: number };
        const acc = new Map<string, Acc>();
        const forfeitedAt = new Map<string, number>(); // shipment → position its bonus was forfeited
        for (const p of outcomes.flatMap((o) => o.postings)) {
          if (p.shipmentId === null) continue;
          if (p.kind === "bonus_forfeit" || p.kind === "bonus_forfeited") {
            if (!forfeitedAt.has(p.shipmentId)) forfeitedAt.set(p.shipmentId, p.position);
          }
          if (p.kind === "bonus_reversal" || p.kind === "bonus_pending_return") {
            const f = forfeitedAt.get(p.shipmentId);
            expect(f === undefined || p.position < f, `bonus of ${p.shipmentId} reversed at ${p.position} after its forfeiture at ${f}`).toBe(true);
          }
          const key = `${p.shipmentId}\u0000${p.asin}`;
          const a = acc.get(key) ?? { standard: 0, standardRev: 0, units: 0, unitsRev: 0, revenue: 0, revenueRev: 0, bonus: 0, bonusRev: 0 };
          switch (p.kind) {
            case "standard":
              expect(p.amountMinor).toBeGreaterThanOrEqual(0);
              a.standard += p.amountMinor;
              a.units += p.units;
              a.revenue += p.revenueMinor;
              break;
            case "standard_reversal":
              expect(p.amountMinor).toBeLessThanOrEqual(0);
              expect(p.units).toBeLessThan(0);
              a.standardRev -= p.amountMinor;
              a.unitsRev -= p.units;
              a.revenueRev -= p.revenueMinor;
              break;
            case "bonus_pending":
            case "bonus_confirmed":
              expect(p.amountMinor).toBeGreaterThan(0);
              a.bonus += p.amountMinor;
              break;
            case "bonus_pending_return":
            case "bonus_reversal":
              expect(p.amountMinor).toBeLessThan(0);
              a.bonusRev -= p.amountMinor;
              break;
          }
          acc.set(key, a);
        }
        for (const [key, a] of acc) {
          const where = key.replace("\u0000", " ");
          expect(a.standardRev, `standard reversals of ${where}`).toBeLessThanOrEqual(a.standard);
          expect(a.unitsRev, `returned units of ${where}`).toBeLessThanOrEqual(a.units);
          expect(a.revenueRev, `returned revenue of ${where}`).toBeLessThanOrEqual(a.revenue);
          expect(a.bonusRev, `bonus returns/reversals of ${where}`).toBeLessThanOrEqual(a.bonus);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("deterministic: folding twice, or resuming from a structured-clone snapshot, gives deep-equal outcomes", () => {
    fc.assert(
      fc.property(sequenceArb(), fc.nat(), (s, cutSeed) => {
        const events = current(s.events);
        const a = fold(events);
        const b = fold(events);
        expect(b.outcomes).toEqual(a.outcomes);
        expect(b.state).toEqual(a.state);
        // A runner restarted from an engine snapshot (structured clone) continues identically.
        const cut = events.length === 0 ? 0 : cutSeed % (events.length + 1);
        const first = fold(events.slice(0, cut));
        const resumed = fold(events.slice(cut), structuredClone(first.state));
        expect([...first.outcomes, ...resumed.outcomes]).toEqual(a.outcomes);
        expect(resumed.state).toEqual(a.state);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
