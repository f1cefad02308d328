// The demo data set: what `npm start` (services/serve.ts) loads into an empty store and `ledger demo`
// prints. The one part of workload/ that production code runs: the seeded generator (generator.ts)
// with the demo's profile, then the scripted story (demoStory.ts).
import { demoStory } from "./demoStory.ts";
import { generateWorkload, type WorkloadProfile } from "./generator.ts";
import type { RawWireEvent } from "./wireEvent.ts";

/** The demo exercises every rule in a few hundred events, so "other" events are more frequent. */
export const DEMO_PROFILE: WorkloadProfile = {
  mix: { clicks: 0.5, shipments: 0.3 },
  other: { acceptance: 20, content: 16, taxInfo: 12, paymentMethod: 12, return: 22, strike: 4, anomaly: 6 },
  subscribeAndSaveShare: 0.1,
  subscribeAndSaveRepeatShare: 0.25,
  disclosureFailShare: 0.3,
  smallBudgetShare: 0.34,
  repeatOffenderShare: 0.05,
};

export const DEMO_SEED = 2021;

/**
 * The demo data set loaded by `npm start` on an empty store: a few hundred events over six
 * campaigns (one per marketplace), with exhausted budgets, forfeited and confirmed bonuses, a
 * creator struck out of the program, partial and full returns, S&S first shipments (one repeated),
 * a few anomalies, and the scripted story: a failed payout, campaign management, adjustments, holds,
 * an own threshold and a write-off.
 */
export function demoDataset(): RawWireEvent[] {
  // DEMO_SEED was picked (among 2020-2059) so that, with rule version 1, the demo ends with an
  // exhausted budget, a removed creator, confirmed and forfeited bonuses and returns of both. The
  // scripted story that follows adds what Part II and §12 of the SPEC bring (demoStory.ts).
  return [...generateWorkload({ seed: DEMO_SEED, events: 400, creators: 16, campaigns: 6, profile: DEMO_PROFILE }), ...demoStory()];
}
