// fast-check arbitraries for property tests (issue 7): random sequences of VALID wire events
// (SPEC §2-3, §8.4, §9) over a small universe — 2-4 campaigns (US, JP, sometimes a second US one of
// the same brand, sometimes UK), 3-4 creators, their tracking ids, shipments of 1-3 lines with
// ASINs in and out of the campaign, returns of known shipments (sometimes more units than shipped,
// sometimes an ASIN the shipment lacks), content links with and without a qualifying disclosure,
// strikes, CampaignEnded (sometimes twice), tax info, payment methods, payouts (sometimes more
// than the creator earned, sometimes a reused payout id), failed payouts (of issued payouts,
// sometimes an unknown id, sometimes a second failure), commission adjustments (signed, with and
// without a campaign, now and then a campaign of another marketplace or an unknown one, now and
// then in a marketplace no campaign is in), budget changes (raises, cuts above spent, to exactly
// spent and below it, now and then more fraction digits than the currency has), pauses and
// resumes (sometimes pausing a paused campaign or resuming a running one) and end changes
// (earlier, later, at or before the start, after the campaign ended) — these Part II facts with
// `sequenceArb({ partII: true })` — and, with `partIII: true`, SPEC §12's payout controls: holds of
// one marketplace or of all (sometimes of a scope already held, sometimes of a creator nobody
// knows), releases (mostly of a standing hold, now and then of a scope not held), the creator's own
// thresholds (set, changed, removed) and write-offs (of exactly the debt, of part of it, of more
// than it, or of a creator who owes nothing) — and, with `periods: true`, SPEC §13's PeriodClosed in
// the campaigns' marketplaces and now and then one no campaign is in (DE): mostly months that have
// ended in the marketplace's zone at the close's occurredAt (the generator's clock) and are not
// closed yet, now and then the month still running or the next one (anomaly period_not_ended), or
// a month closed already (invalid_state) — and, with `ruleVersions: true`, SPEC §14's
// RuleVersionScheduled: one valid schedule of rule version 2 at a random point of the history, and
// now and then more among the commands (versions 1 and 2, an unknown one, a retroactive one, one
// whose effectiveFrom ties an earlier schedule's), some arriving late, with effectiveFrom at their
// own occurredAt, ahead of it, or exactly on a later shipment's occurredAt. Every event passes
// validation; many are anomalies on purpose (SPEC §3: schema-valid facts that do not fit the
// ledger's state).
//
// The arbitrary draws a list of small "commands" and a deterministic builder turns them into
// events, so fast-check shrinks a failing sequence command by command. Business time advances
// with each command (0 to 2 days), from a base inside the campaigns' periods, and every instant
// is written with one of a few offsets (Z, -08:00, +09:00, +05:30, ...).
//
// To aim a budget cut at exactly `spent` (and just below it) the builder folds the events it has
// written so far through the engine and reads the campaign's spent: that picks an input, it is
// never an expected value of a test.
import fc from "fast-check";
import { toCurrentEvent } from "../../domain/events/current.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { applyEvent } from "../../domain/engine/engine.ts";
import { emptyState, type EngineState } from "../../domain/engine/state.ts";
import { RULES_V1 } from "../../domain/rules.ts";
import { earningMonth } from "../../domain/calendar.ts";
import { nextMonth } from "../../domain/localDates.ts";
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";

export interface RawEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Universe
// ---------------------------------------------------------------------------------------------

export type Market = "US" | "JP" | "UK";

/** SPEC §3's marketplace table (currency, minor digits), written out for tests to compute expectations with. */
export const MARKETPLACES: Readonly<Record<string, { currency: string; digits: number }>> = {
  US: { currency: "USD", digits: 2 },
  CA: { currency: "CAD", digits: 2 },
  UK: { currency: "GBP", digits: 2 },
  DE: { currency: "EUR", digits: 2 },
  IN: { currency: "INR", digits: 2 },
  JP: { currency: "JPY", digits: 0 },
};
const MINOR_DIGITS = (market: string): number => MARKETPLACES[market]!.digits;
/** A marketplace no campaign of the universe is in (adjustments there still book, SPEC §8.4). */
const FOREIGN_MARKET = "DE";

/** Every event's business time lies in [BASE_MS, BASE_MS + ~200 days). */
export const BASE_MS = Date.parse("2026-01-05T17:00:00Z");
export const WINDOW_FIRST_DATE = "2025-12-01";
export const WINDOW_LAST_DATE = "2026-12-31";

/** Consecutive report windows of ≤ 90 days (SPEC §5) covering every date the generator can produce. */
export function reportWindows(): [string, string][] {
  const out: [string, string][] = [];
  let from = Date.parse(`${WINDOW_FIRST_DATE}T00:00:00Z`);
  const last = Date.parse(`${WINDOW_LAST_DATE}T00:00:00Z`);
  while (from <= last) {
    const to = Math.min(from + 89 * 86_400_000, last);
    out.push([new Date(from).toISOString().slice(0, 10), new Date(to).toISOString().slice(0, 10)]);
    from = to + 86_400_000;
  }
  return out;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const ASINS = ["A1", "A2", "A3", "A4", "A5", "X9"] as const;
export const CATEGORIES = [
  "toys",
  "kitchen",
  "electronics",
  "beauty",
  "grocery",
  "apparel",
  "amazon_games",
  "gift_cards",
  "luxury_beauty",
  "garden",
] as const;
export const DISCLOSURES = [
  "#ad",
  "Loving it! #ad",
  "Sponsored",
  "ADVERTISEMENT: paid partnership",
  "(ad) thanks",
  "",
  "my favourite badge",
  "adverts everywhere",
  "#adventure",
  "not sponsored_by anyone",
  "paid partnership",
] as const;
export const CREATOR_POOL = ["K1", "K2", "K3", "K4"] as const;
/** Offsets (minutes) instants are written with; the instant itself is what counts. */
const OFFSETS = [0, 0, -480, -420, 540, 330, 60] as const;

export interface CampaignSpec {
  campaignId: string;
  marketplace: Market;
  bonusRate: string;
  budgetMinor: number;
  startsAtMs: number;
  endsAtMs: number;
  asins: string[];
}

export interface Universe {
  campaigns: CampaignSpec[];
  creators: string[];
  /** A campaign id nobody created (acceptances, adjustments and management facts naming it are anomalies). */
  ghostCampaignId: string;
  /** Acceptances made right after the campaigns are created, some with a content link at once. */
  initialAcceptances: { campaign: number; creator: number; disclosure: string | null }[];
}

const bonusRateArb = fc.constantFrom("0", "0.05", "0.10", "0.125", "0.2", "0.33", "1");

function campaignArb(campaignId: string, marketplace: Market): fc.Arbitrary<CampaignSpec> {
  const budgetArb =
    marketplace === "JP"
      ? fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 8, arbitrary: fc.integer({ min: 1, max: 20_000 }) })
      : fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 8, arbitrary: fc.integer({ min: 1, max: 30_000 }) });
  return fc
    .record({
      bonusRate: bonusRateArb,
      budgetMinor: budgetArb,
      startOffsetH: fc.integer({ min: -10 * 24, max: 12 * 24 }),
      durationH: fc.oneof(
        { weight: 1, arbitrary: fc.integer({ min: 24, max: 20 * 24 }) },
        { weight: 3, arbitrary: fc.integer({ min: 20 * 24, max: 70 * 24 }) },
      ),
      asins: fc.subarray(["A1", "A2", "A3", "A4", "A5"], { minLength: 1 }),
    })
    .map((r) => ({
      campaignId,
      marketplace,
      bonusRate: r.bonusRate,
      budgetMinor: r.budgetMinor,
      startsAtMs: BASE_MS + r.startOffsetH * HOUR_MS,
      endsAtMs: BASE_MS + (r.startOffsetH + r.durationH) * HOUR_MS,
      asins: r.asins,
    }));
}

export const universeArb: fc.Arbitrary<Universe> = fc
  .record({
    us: campaignArb("C-US", "US"),
    jp: campaignArb("C-JP", "JP"),
    uk: fc.option(campaignArb("C-UK", "UK"), { nil: undefined }),
    us2: fc.option(campaignArb("C-US2", "US"), { nil: undefined, freq: 3 }),
    creatorCount: fc.integer({ min: 3, max: 4 }),
    initialAcceptances: fc.uniqueArray(
      fc.record({
        campaign: fc.nat({ max: 3 }),
        creator: fc.nat({ max: 3 }),
        disclosure: fc.option(fc.constantFrom(...DISCLOSURES), { nil: null, freq: 3 }),
      }),
      { minLength: 1, maxLength: 12, selector: (a) => `${a.campaign}/${a.creator}` },
    ),
  })
  .map(({ us, jp, uk, us2, creatorCount, initialAcceptances }) => {
    // C-US2 (when drawn) is a second campaign of brand B-US, so a brand has several campaigns.
    const campaigns = [us, jp, ...(uk ? [uk] : []), ...(us2 ? [us2] : [])];
    return {
      campaigns,
      creators: CREATOR_POOL.slice(0, creatorCount),
      ghostCampaignId: "C-GHOST",
      initialAcceptances: initialAcceptances.filter((a) => a.campaign < campaigns.length && a.creator < creatorCount),
    };
  });

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

interface LineCmd {
  /** Index into the campaign's ASINs, or any ASIN of the universe when `outside`. */
  asin: number;
  outside: boolean;
  category: (typeof CATEGORIES)[number];
  quantity: number;
  /** Unit price in thousandths of the major unit (US/UK) or in yen (JP). */
  price: number;
  /** US/UK: write the price with 3 fraction digits (exercises rounding); else with 2. */
  milli: boolean;
}

export type Command =
  | { kind: "accept"; dtMin: number; campaign: number; creator: number; ghost: boolean; reuseTracking: boolean }
  | { kind: "content"; dtMin: number; campaign: number; creator: number; anyPair: boolean; disclosure: string; late: boolean }
  | { kind: "click"; dtMin: number; tracking: number; asin: boolean; unknown: boolean }
  | {
      kind: "ship";
      dtMin: number;
      tracking: number;
      unknown: boolean;
      duplicate: boolean;
      orderedBackH: number;
      lines: LineCmd[];
      sns: number | null;
      /** §13 (`periods`): the fact arrives late, its occurredAt this many hours before the clock. */
      lateH?: number;
    }
  | { kind: "return"; dtMin: number; shipment: number; unknown: boolean; lines: { line: number; quantity: number; wrongAsin: boolean }[] }
  | { kind: "strike"; dtMin: number; creator: number; reason: "no_content" | "missing_disclosure" | "other"; campaign: number | null }
  | { kind: "end"; dtMin: number; campaign: number; again: boolean; early: boolean }
  | { kind: "tax"; dtMin: number; creator: number; market: number }
  | { kind: "method"; dtMin: number; creator: number; market: number; method: "direct_deposit" | "gift_card" | "check" }
  | { kind: "payout"; dtMin: number; creator: number; market: number; amountMinor: number; reuseId: boolean }
  // SPEC §8.4
  | { kind: "fail"; dtMin: number; payout: number; which: "issued" | "unknown" | "again"; reason: (typeof PAYOUT_FAILURE_REASONS)[number] }
  | {
      kind: "adjust";
      dtMin: number;
      creator: number;
      market: number;
      foreignMarket: boolean;
      /** Signed, nonzero, in the marketplace's minor units. */
      amountMinor: number;
      /** Write "12.30" as "12.3" and "12.00" as "12" (fewer digits than the currency's are fine). */
      short: boolean;
      campaign: "none" | "same_market" | "other_market" | "unknown";
      campaignPick: number;
      reason: (typeof ADJUSTMENT_REASONS)[number];
      /** §13 (`periods`): the fact arrives late, its occurredAt this many hours before the clock. */
      lateH?: number;
    }
  // SPEC §9
  | {
      kind: "budget";
      dtMin: number;
      campaign: number;
      change: "raise" | "cut" | "to_spent" | "below_spent" | "too_many_digits" | "unknown";
      amountMinor: number;
      short: boolean;
    }
  | { kind: "pause"; dtMin: number; campaign: number; action: "toggle" | "pause" | "resume"; unknown: boolean }
  | { kind: "end_change"; dtMin: number; campaign: number; move: "earlier" | "later" | "before_start"; hours: number }
  // SPEC §12
  | { kind: "hold"; dtMin: number; creator: number; market: number; all: boolean; ghost: boolean; reason: (typeof HOLD_REASONS)[number] }
  | { kind: "release"; dtMin: number; pick: number; stray: boolean; creator: number; market: number; all: boolean }
  | { kind: "threshold"; dtMin: number; creator: number; market: number; amountMinor: number | null }
  | {
      kind: "writeoff";
      dtMin: number;
      creator: number;
      market: number;
      size: "debt" | "part" | "more" | "any";
      amountMinor: number;
      reason: (typeof WRITE_OFF_REASONS)[number];
    }
  // SPEC §13
  | {
      kind: "close";
      dtMin: number;
      market: number;
      foreignMarket: boolean;
      /** ended: a month that has ended (not closed yet when one is left); running: this month or the next; again: one closed already. */
      which: "ended" | "running" | "again";
      /** How many months before the latest ended one (ended, again) or after the running one (running). */
      back: number;
      note: boolean;
    }
  // SPEC §14
  | {
      kind: "schedule";
      dtMin: number;
      ruleVersion: number;
      /** The fact arrives late: its occurredAt this many hours before the clock (shipments applied already keep their version). */
      lateH: number;
      /**
       * Its effectiveFrom: `ahead` its occurredAt + aheadMin (0: at its own occurredAt, not retroactive);
       * `shipment` exactly the occurredAt of a later shipment (the `pick`th of those at or after its
       * occurredAt; none: as `ahead`); `tie` the effectiveFrom of an earlier schedule (the `pick`th of
       * those at or after its occurredAt; none: as `ahead`); `retroactive` before its occurredAt (anomaly).
       */
      when: "ahead" | "shipment" | "tie" | "retroactive";
      aheadMin: number;
      pick: number;
      note: boolean;
    };

const ADJUSTMENT_REASONS = ["fraud", "chargeback", "goodwill", "correction", "other"] as const;
const PAYOUT_FAILURE_REASONS = ["account_closed", "invalid_account", "returned", "other"] as const;
const HOLD_REASONS = ["fraud_review", "compliance", "dispute", "other"] as const;
const WRITE_OFF_REASONS = ["uncollectible", "goodwill", "other"] as const;

const dtArb = fc.integer({ min: 0, max: 2 * 24 * 60 });
const idx = fc.nat({ max: 20 });
const rare = fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

const lineArb: fc.Arbitrary<LineCmd> = fc.record({
  asin: fc.nat({ max: 9 }),
  outside: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  category: fc.constantFrom(...CATEGORIES),
  quantity: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: 6, max: 500 }) }),
  price: fc.integer({ min: 1, max: 200_000 }),
  milli: fc.boolean(),
});

/** Commands of the facts of SPEC §3. */
const SECTION_3_COMMANDS: fc.WeightedArbitrary<Command>[] = [
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("accept" as const),
      dtMin: dtArb,
      campaign: idx,
      creator: idx,
      ghost: rare,
      reuseTracking: rare,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("content" as const),
      dtMin: dtArb,
      campaign: idx,
      creator: idx,
      anyPair: rare,
      disclosure: fc.constantFrom(...DISCLOSURES),
      late: rare,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("click" as const), dtMin: dtArb, tracking: idx, asin: fc.boolean(), unknown: rare }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("ship" as const),
      dtMin: dtArb,
      tracking: idx,
      unknown: rare,
      duplicate: rare,
      orderedBackH: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 72 }) },
        { weight: 1, arbitrary: fc.integer({ min: 72, max: 30 * 24 }) },
      ),
      lines: fc.array(lineArb, { minLength: 1, maxLength: 3 }),
      sns: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat({ max: 3 }) }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("return" as const),
      dtMin: dtArb,
      shipment: idx,
      unknown: rare,
      lines: fc.array(fc.record({ line: fc.nat({ max: 5 }), quantity: fc.integer({ min: 1, max: 7 }), wrongAsin: rare }), {
        minLength: 1,
        maxLength: 2,
      }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("strike" as const),
      dtMin: dtArb,
      creator: idx,
      reason: fc.constantFrom("no_content" as const, "missing_disclosure" as const, "other" as const),
      campaign: fc.option(idx, { nil: null }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("end" as const), dtMin: dtArb, campaign: idx, again: rare, early: rare }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("tax" as const), dtMin: dtArb, creator: idx, market: idx }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("method" as const),
      dtMin: dtArb,
      creator: idx,
      market: idx,
      method: fc.constantFrom("direct_deposit" as const, "gift_card" as const, "check" as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("payout" as const),
      dtMin: dtArb,
      creator: idx,
      market: idx,
      // Mostly about what a creator earns here, now and then far more (an overpayment: earned goes negative).
      amountMinor: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 1, max: 3_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 3_000, max: 50_000 }) },
      ),
      reuseId: rare,
    }),
  },
];

/** Commands of the facts of SPEC Part II: adjustments and failed payouts (§8.4), campaign management (§9). */
const PART_II_COMMANDS: fc.WeightedArbitrary<Command>[] = [
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("fail" as const),
      dtMin: dtArb,
      payout: idx,
      which: fc.constantFrom(
        "issued" as const,
        "issued" as const,
        "issued" as const,
        "issued" as const,
        "unknown" as const,
        "again" as const,
      ),
      reason: fc.constantFrom(...PAYOUT_FAILURE_REASONS),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("adjust" as const),
      dtMin: dtArb,
      creator: idx,
      market: idx,
      foreignMarket: rare,
      amountMinor: fc
        .oneof(
          { weight: 4, arbitrary: fc.integer({ min: -2_000, max: 2_000 }) },
          { weight: 1, arbitrary: fc.integer({ min: -60_000, max: 60_000 }) },
        )
        .filter((n) => n !== 0),
      short: rare,
      campaign: fc.constantFrom(
        "none" as const,
        "none" as const,
        "same_market" as const,
        "same_market" as const,
        "other_market" as const,
        "unknown" as const,
      ),
      campaignPick: idx,
      reason: fc.constantFrom(...ADJUSTMENT_REASONS),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("budget" as const),
      dtMin: dtArb,
      campaign: idx,
      change: fc.constantFrom(
        "raise" as const,
        "raise" as const,
        "cut" as const,
        "to_spent" as const,
        "to_spent" as const,
        "below_spent" as const,
        "too_many_digits" as const,
        "unknown" as const,
      ),
      amountMinor: fc.integer({ min: 0, max: 20_000 }),
      short: rare,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("pause" as const),
      dtMin: dtArb,
      campaign: idx,
      action: fc.constantFrom("toggle" as const, "toggle" as const, "toggle" as const, "pause" as const, "resume" as const),
      unknown: rare,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("end_change" as const),
      dtMin: dtArb,
      campaign: idx,
      move: fc.constantFrom("earlier" as const, "earlier" as const, "later" as const, "later" as const, "before_start" as const),
      hours: fc.integer({ min: 0, max: 40 * 24 }),
    }),
  },
];

/** Commands of SPEC §12's payout controls: holds, releases, own thresholds, write-offs. */
const PART_III_PAYOUT_COMMANDS: fc.WeightedArbitrary<Command>[] = [
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("hold" as const),
      dtMin: dtArb,
      creator: idx,
      market: idx,
      all: fc.boolean(),
      ghost: rare,
      reason: fc.constantFrom(...HOLD_REASONS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("release" as const),
      dtMin: dtArb,
      pick: idx,
      stray: rare,
      creator: idx,
      market: idx,
      all: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("threshold" as const),
      dtMin: dtArb,
      creator: idx,
      market: idx,
      // Below and above the methods' thresholds (US 10.00 / 100.00, JP 500 / 5000); now and then removed.
      amountMinor: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null, freq: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("writeoff" as const),
      dtMin: dtArb,
      creator: idx,
      market: idx,
      size: fc.constantFrom("debt" as const, "part" as const, "part" as const, "more" as const, "any" as const),
      amountMinor: fc.integer({ min: 1, max: 5_000 }),
      reason: fc.constantFrom(...WRITE_OFF_REASONS),
    }),
  },
];

/** SPEC §13: PeriodClosed, mostly of a month that has ended and is open. */
const PERIOD_COMMANDS: fc.WeightedArbitrary<Command>[] = [
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("close" as const),
      dtMin: dtArb,
      market: idx,
      foreignMarket: rare,
      which: fc.constantFrom("ended" as const, "ended" as const, "ended" as const, "ended" as const, "running" as const, "again" as const),
      back: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
      note: fc.boolean(),
    }),
  },
];

/**
 * §13 (`periods`): shipments and adjustments that arrive late (occurredAt up to 20 days before the
 * clock), so that facts of a month closed meanwhile reach the engine after the close.
 */
const LATE_COMMANDS: fc.WeightedArbitrary<Command>[] = [
  { weight: 2, arbitrary: lateOf(SECTION_3_COMMANDS[3]!.arbitrary) }, // ship
  { weight: 1, arbitrary: lateOf(PART_II_COMMANDS[1]!.arbitrary) }, // adjust
];

function lateOf(arbitrary: fc.Arbitrary<Command>): fc.Arbitrary<Command> {
  return fc.tuple(arbitrary, fc.integer({ min: 1, max: 20 * 24 })).map(([cmd, lateH]) => {
    if (cmd.kind !== "ship" && cmd.kind !== "adjust")
      throw new Error(`arbitraries: a late ${cmd.kind}: only shipments and adjustments arrive late`);
    return { ...cmd, lateH };
  });
}

/** SPEC §14: effectiveFrom at the schedule's own occurredAt, days ahead of it, or months ahead (after most histories end). */
const aheadMinArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 30 * 24 * 60 }) },
  { weight: 2, arbitrary: fc.integer({ min: 30 * 24 * 60, max: 150 * 24 * 60 }) },
);
const scheduleLateHArb = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 20 * 24 }) });

/** SPEC §14 (`ruleVersions`): the valid schedule of rule version 2 every history gets once. */
const validScheduleArb: fc.Arbitrary<Command> = fc.record({
  kind: fc.constant("schedule" as const),
  dtMin: dtArb,
  ruleVersion: fc.constant(2),
  lateH: scheduleLateHArb,
  when: fc.constantFrom("ahead" as const, "ahead" as const, "shipment" as const),
  aheadMin: aheadMinArb,
  pick: idx,
  note: fc.boolean(),
});

/** SPEC §14 (`ruleVersions`): further schedules among the commands, back to version 1 and misfits included. */
const SCHEDULE_COMMANDS: fc.WeightedArbitrary<Command>[] = [
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("schedule" as const),
      dtMin: dtArb,
      ruleVersion: fc.constantFrom(1, 1, 2, 7), // 7: anomaly unknown_rule_version
      lateH: scheduleLateHArb,
      when: fc.constantFrom("ahead" as const, "shipment" as const, "tie" as const, "tie" as const, "retroactive" as const),
      aheadMin: aheadMinArb,
      pick: idx,
      note: fc.boolean(),
    }),
  },
];

export const commandArb: fc.Arbitrary<Command> = fc.oneof(...SECTION_3_COMMANDS);
export const partIICommandArb: fc.Arbitrary<Command> = fc.oneof(...SECTION_3_COMMANDS, ...PART_II_COMMANDS);
const partIIICommandArb: fc.Arbitrary<Command> = fc.oneof(...SECTION_3_COMMANDS, ...PART_II_COMMANDS, ...PART_III_PAYOUT_COMMANDS);

// ---------------------------------------------------------------------------------------------
// Builder: commands → raw events
// ---------------------------------------------------------------------------------------------

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");

/** The instant `ms` written as local time at `offsetMin` with that offset (or Z). */
export function isoWithOffset(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * 60_000);
  const base = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  if (offsetMin === 0) return `${base}Z`;
  const sign = offsetMin < 0 ? "-" : "+";
  return `${base}${sign}${pad(Math.trunc(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
}

/** Minor units as a plain decimal string with the currency's digits (JP "1500", US "15.00"). */
export function formatMoney(minor: number, digits: number): string {
  if (digits === 0) return String(minor);
  const scale = 10 ** digits;
  return `${Math.floor(minor / scale)}.${pad(minor % scale, digits)}`;
}

/** A signed amount (§8.4): "-" and the currency's digits; `short` drops trailing fraction zeros ("12.30" → "12.3", "5.00" → "5"). */
function formatSigned(minor: number, digits: number, short: boolean): string {
  const text = formatMoney(Math.abs(minor), digits);
  const written = short && text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  return minor < 0 ? `-${written}` : written;
}

function formatPrice(market: Market, price: number, milli: boolean): string {
  if (market === "JP") return String(Math.max(1, Math.floor(price / 10)));
  if (milli) return formatMoney(price, 3);
  return formatMoney(Math.max(1, Math.floor(price / 10)), 2);
}

export interface Sequence {
  universe: Universe;
  commands: Command[];
  /** End every campaign after the commands (so most sequences exercise settlement, rule 5). */
  endAll: boolean;
  events: RawEvent[];
}

/**
 * Folds the events written so far through the engine, lazily, to read a campaign's `spent` when a
 * budget change aims at it, or a creator's debt when a write-off does (an input choice only; tests
 * compute their expectations themselves).
 */
class SpentProbe {
  private readonly state: EngineState = emptyState();
  private folded = 0;
  constructor(private readonly events: readonly RawEvent[]) {}

  spentOf(campaignId: string): number {
    this.fold();
    return this.state.campaigns.get(campaignId)?.spentMinor ?? 0;
  }

  /** What a creator owes in a marketplace (§12): minus the balance of creator:{K}:{m}:earned when negative, else 0. */
  debtOf(creatorId: string, marketplace: string): number {
    this.fold();
    const balance = this.state.earnedMinor.get(`${creatorId}\u0000${marketplace}`) ?? 0n;
    return balance < 0n ? Number(-balance) : 0;
  }

  private fold(): void {
    if (this.folded < this.events.length) {
      const validation = validateBatch(this.events.slice(this.folded));
      if (!validation.ok)
        throw new Error(`arbitraries: the builder wrote an invalid event: ${JSON.stringify(validation.problems.slice(0, 3))}`);
      for (const event of validation.events) applyEvent(this.state, RULES_V1, toCurrentEvent({ ...event, position: (this.folded += 1) }));
    }
  }
}

/** What management (§9) changed of a campaign so far, as the builder tracks it (only changes the engine accepts). */
interface LiveCampaign {
  budgetMinor: number;
  endsAtMs: number;
  paused: boolean;
}

const NOTES = [
  "chargeback on order",
  "goodwill for a late payout",
  "Korrektur: doppelte Buchung",
  "fraud review #12 — reversed",
  "manual correction",
] as const;
const ACTORS = ["finance:alice", "ops-bot", "auditor.k"] as const;

/** Deterministic: the same universe and commands always give the same events (ids included). */
export function buildEvents(universe: Universe, commands: readonly Command[], endAll: boolean, idPrefix = "e"): RawEvent[] {
  const events: RawEvent[] = [];
  let seq = 0;
  let offsetTurn = 0;
  const at = (ms: number) => isoWithOffset(ms, OFFSETS[offsetTurn++ % OFFSETS.length]!);
  const push = (type: string, ms: number, data: Record<string, unknown>, id?: string) => {
    seq += 1;
    events.push({ id: id ?? `${idPrefix}${seq}`, type, occurredAt: at(ms), data });
  };
  const { campaigns, creators } = universe;
  const markets = [...new Set(campaigns.map((c) => c.marketplace))];
  const trackings: { trackingId: string; campaign: CampaignSpec | null; creatorId: string }[] = [];
  const shipments: { shipmentId: string; lines: { asin: string; quantity: number }[] }[] = [];
  const payoutIds: string[] = [];
  const failedPayoutIds: string[] = [];
  const ended = new Set<string>();
  const live = new Map<string, LiveCampaign>(
    campaigns.map((c) => [c.campaignId, { budgetMinor: c.budgetMinor, endsAtMs: c.endsAtMs, paused: false }]),
  );
  const liveOf = (c: CampaignSpec) => live.get(c.campaignId)!;
  const probe = new SpentProbe(events);
  /** §12: the scopes held now, as the builder tracks them (a release mostly ends one of these). */
  const held: { creatorId: string; marketplace: string | null }[] = [];
  let nowMs = BASE_MS - 20 * DAY_MS;
  /** §13: per marketplace, the latest month the builder closed (only closes the engine accepts). */
  const closedThrough = new Map<string, string>();
  /** §14: the schedules written, their effectiveFrom settled once every event is written (settleSchedules). */
  const schedules: { event: RawEvent; index: number; occurredMs: number; cmd: Extract<Command, { kind: "schedule" }> }[] = [];

  for (const c of campaigns) {
    push("CampaignCreated", nowMs, {
      campaignId: c.campaignId,
      brandId: `B-${c.marketplace}`,
      marketplace: c.marketplace,
      bonusRate: c.bonusRate,
      budget: formatMoney(c.budgetMinor, MINOR_DIGITS(c.marketplace)),
      startsAt: at(c.startsAtMs),
      endsAt: at(c.endsAtMs),
      asins: c.asins,
    });
    nowMs += 30 * 60_000;
  }
  for (const a of universe.initialAcceptances) {
    const c = campaigns[a.campaign]!;
    const creatorId = creators[a.creator]!;
    const trackingId = `T-${c.campaignId}-${creatorId}`;
    trackings.push({ trackingId, campaign: c, creatorId });
    push("CampaignAccepted", nowMs, { campaignId: c.campaignId, creatorId, trackingId });
    nowMs += 10 * 60_000;
    if (a.disclosure !== null) {
      push("ContentLinkSubmitted", Math.max(nowMs, c.startsAtMs), {
        campaignId: c.campaignId,
        creatorId,
        url: `https://video.example.com/${creatorId}/${seq}`,
        disclosure: a.disclosure,
      });
    }
  }
  nowMs = BASE_MS;

  const end = (c: CampaignSpec, again: boolean) => {
    if (ended.has(c.campaignId) && !again) return;
    // The first end has the scheduler's id; a second one (an anomaly) another id.
    const id = ended.has(c.campaignId) ? undefined : `campaign-ended:${c.campaignId}`;
    ended.add(c.campaignId);
    push("CampaignEnded", liveOf(c).endsAtMs, { campaignId: c.campaignId }, id); // at endsAt as it stands (§9)
  };

  for (const cmd of commands) {
    nowMs += cmd.dtMin * 60_000;
    switch (cmd.kind) {
      case "accept": {
        const c = campaigns[cmd.campaign % campaigns.length]!;
        const creatorId = creators[cmd.creator % creators.length]!;
        const campaignId = cmd.ghost ? universe.ghostCampaignId : c.campaignId;
        const reuse = cmd.reuseTracking && trackings.length > 0;
        const trackingId = reuse ? trackings[cmd.campaign % trackings.length]!.trackingId : `T-${campaignId}-${creatorId}-${seq}`;
        if (!reuse) trackings.push({ trackingId, campaign: cmd.ghost ? null : c, creatorId });
        push("CampaignAccepted", nowMs, { campaignId, creatorId, trackingId });
        break;
      }
      case "content": {
        // Mostly a pair that accepted (any pair now and then: an unknown acceptance).
        const t = cmd.anyPair || trackings.length === 0 ? null : trackings[cmd.campaign % trackings.length]!;
        const c = t?.campaign ?? campaigns[cmd.campaign % campaigns.length]!;
        const creatorId = t?.creatorId ?? creators[cmd.creator % creators.length]!;
        const ms = cmd.late ? Math.max(nowMs, liveOf(c).endsAtMs + HOUR_MS) : nowMs;
        push("ContentLinkSubmitted", ms, {
          campaignId: c.campaignId,
          creatorId,
          url: `https://video.example.com/${creatorId}/${seq}`,
          disclosure: cmd.disclosure,
        });
        break;
      }
      case "click": {
        const t = trackings.length === 0 || cmd.unknown ? null : trackings[cmd.tracking % trackings.length]!;
        const data: Record<string, unknown> = { trackingId: t?.trackingId ?? "T-unknown" };
        if (cmd.asin) data.asin = t?.campaign?.asins[0] ?? "A1";
        push("ClickRecorded", nowMs, data);
        break;
      }
      case "ship": {
        const shippedMs = nowMs - (cmd.lateH ?? 0) * HOUR_MS;
        const t = trackings.length === 0 || cmd.unknown ? null : trackings[cmd.tracking % trackings.length]!;
        const market: Market = t?.campaign?.marketplace ?? "US";
        const asinsIn = t?.campaign?.asins ?? ["A1"];
        const lines = cmd.lines.map((l) => ({
          asin: l.outside ? ASINS[l.asin % ASINS.length]! : asinsIn[l.asin % asinsIn.length]!,
          category: l.category,
          quantity: l.quantity,
          unitPrice: formatPrice(market, l.price, l.milli),
        }));
        const duplicate = cmd.duplicate && shipments.length > 0;
        const shipmentId = duplicate ? shipments[cmd.tracking % shipments.length]!.shipmentId : `S${seq}`;
        const data: Record<string, unknown> = {
          shipmentId,
          orderId: `O${seq % 7 === 0 ? seq - 1 : seq}`,
          trackingId: t?.trackingId ?? "T-unknown",
          orderedAt: at(shippedMs - cmd.orderedBackH * HOUR_MS),
          lines,
        };
        if (!duplicate) shipments.push({ shipmentId, lines: lines.map((l) => ({ asin: l.asin, quantity: l.quantity })) });
        if (cmd.sns === null) push("ShipmentRecorded", shippedMs, data);
        else push("SubscribeAndSaveFirstShipment", shippedMs, { ...data, subscriptionId: `SUB${cmd.sns}` });
        break;
      }
      case "return": {
        if (shipments.length === 0 && !cmd.unknown) break; // nothing to return yet
        const s = cmd.unknown ? null : shipments[cmd.shipment % shipments.length]!;
        const lines = cmd.lines.map((l) => {
          if (!s) return { asin: "A1", quantity: l.quantity };
          const line = s.lines[l.line % s.lines.length]!;
          // quantity up to shipped + 2 (returning too many is an anomaly; only shipped units reverse)
          return { asin: l.wrongAsin ? "Z-NOT-SHIPPED" : line.asin, quantity: 1 + ((l.quantity - 1) % (line.quantity + 2)) };
        });
        push("ShipmentReturned", nowMs, { shipmentId: s?.shipmentId ?? "S-unknown", lines });
        break;
      }
      case "strike": {
        const data: Record<string, unknown> = { creatorId: creators[cmd.creator % creators.length]!, reason: cmd.reason };
        if (cmd.campaign !== null) data.campaignId = campaigns[cmd.campaign % campaigns.length]!.campaignId;
        push("StrikeIssued", nowMs, data);
        break;
      }
      case "end": {
        // As the scheduler would: once endsAt has passed (now and then earlier, as campaign management may).
        const c = campaigns[cmd.campaign % campaigns.length]!;
        if (nowMs >= liveOf(c).endsAtMs || cmd.early) end(c, cmd.again);
        break;
      }
      case "tax":
        push("TaxInfoSubmitted", nowMs, {
          creatorId: creators[cmd.creator % creators.length]!,
          marketplace: markets[cmd.market % markets.length]!,
        });
        break;
      case "method":
        push("PaymentMethodChanged", nowMs, {
          creatorId: creators[cmd.creator % creators.length]!,
          marketplace: markets[cmd.market % markets.length]!,
          method: cmd.method,
        });
        break;
      case "payout": {
        const marketplace = markets[cmd.market % markets.length]!;
        const reuse = cmd.reuseId && payoutIds.length > 0;
        const payoutId = reuse ? payoutIds[cmd.creator % payoutIds.length]! : `P${seq}`;
        if (!reuse) payoutIds.push(payoutId);
        push("PayoutIssued", nowMs, {
          payoutId,
          creatorId: creators[cmd.creator % creators.length]!,
          marketplace,
          amount: formatMoney(cmd.amountMinor, MINOR_DIGITS(marketplace)),
        });
        break;
      }
      case "fail": {
        // Mostly an issued payout; now and then an id never issued, or one that already failed.
        if (payoutIds.length === 0 && cmd.which !== "unknown") break; // nothing issued to fail yet
        const again = cmd.which === "again" && failedPayoutIds.length > 0;
        const payoutId =
          cmd.which === "unknown"
            ? "P-never-issued"
            : again
              ? failedPayoutIds[cmd.payout % failedPayoutIds.length]!
              : payoutIds[cmd.payout % payoutIds.length]!;
        if (payoutIds.includes(payoutId) && !failedPayoutIds.includes(payoutId)) failedPayoutIds.push(payoutId);
        push("PayoutFailed", nowMs, { payoutId, reason: cmd.reason });
        break;
      }
      case "adjust": {
        const marketplace = cmd.foreignMarket ? FOREIGN_MARKET : markets[cmd.market % markets.length]!;
        const data: Record<string, unknown> = {
          creatorId: creators[cmd.creator % creators.length]!,
          marketplace,
          amount: formatSigned(cmd.amountMinor, MINOR_DIGITS(marketplace), cmd.short),
          reasonCode: cmd.reason,
          note: NOTES[cmd.campaignPick % NOTES.length]!,
          actor: ACTORS[cmd.creator % ACTORS.length]!,
        };
        const same = campaigns.filter((c) => c.marketplace === marketplace);
        const other = campaigns.filter((c) => c.marketplace !== marketplace);
        if (cmd.campaign === "same_market" && same.length > 0) data.campaignId = same[cmd.campaignPick % same.length]!.campaignId;
        else if (cmd.campaign === "other_market") data.campaignId = other[cmd.campaignPick % other.length]!.campaignId;
        else if (cmd.campaign === "unknown") data.campaignId = universe.ghostCampaignId;
        push("CommissionAdjusted", nowMs - (cmd.lateH ?? 0) * HOUR_MS, data);
        break;
      }
      case "budget": {
        const c = campaigns[cmd.campaign % campaigns.length]!;
        const state = liveOf(c);
        const digits = MINOR_DIGITS(c.marketplace);
        const spent = probe.spentOf(c.campaignId);
        let budgetMinor: number;
        switch (cmd.change) {
          case "raise":
          case "too_many_digits":
          case "unknown":
            budgetMinor = state.budgetMinor + cmd.amountMinor;
            break;
          case "cut": // somewhere in [spent, budget]
            budgetMinor = spent + (cmd.amountMinor % (Math.max(0, state.budgetMinor - spent) + 1));
            break;
          case "to_spent":
            budgetMinor = spent;
            break;
          case "below_spent": // somewhere in [0, spent) (0 when nothing is spent)
            budgetMinor = Math.max(0, spent - 1 - (cmd.amountMinor % Math.max(1, spent)));
            break;
        }
        // One fraction digit more than the currency has ("1500.5" yen, "12.345" dollars): anomaly invalid_amount.
        const budget =
          cmd.change === "too_many_digits"
            ? `${formatMoney(budgetMinor, digits)}${digits === 0 ? ".5" : "5"}`
            : formatSigned(budgetMinor, digits, cmd.short);
        const campaignId = cmd.change === "unknown" ? universe.ghostCampaignId : c.campaignId;
        push("CampaignBudgetChanged", nowMs, { campaignId, budget });
        if (campaignId === c.campaignId && !ended.has(c.campaignId) && cmd.change !== "too_many_digits") state.budgetMinor = budgetMinor;
        break;
      }
      case "pause": {
        const c = campaigns[cmd.campaign % campaigns.length]!;
        const state = liveOf(c);
        // "toggle" is what campaign management would send; an explicit pause or resume may be invalid_state.
        const pausing = cmd.action === "toggle" ? !state.paused : cmd.action === "pause";
        const campaignId = cmd.unknown ? universe.ghostCampaignId : c.campaignId;
        push(pausing ? "CampaignPaused" : "CampaignResumed", nowMs, { campaignId });
        if (!cmd.unknown && !ended.has(c.campaignId)) state.paused = pausing;
        break;
      }
      case "end_change": {
        const c = campaigns[cmd.campaign % campaigns.length]!;
        const state = liveOf(c);
        let endsAtMs: number;
        switch (cmd.move) {
          case "earlier": {
            // Earlier, but after the start (halfway there when the step would pass it).
            endsAtMs = state.endsAtMs - cmd.hours * HOUR_MS;
            if (endsAtMs <= c.startsAtMs)
              endsAtMs = c.startsAtMs + Math.max(60_000, Math.floor((state.endsAtMs - c.startsAtMs) / 120_000) * 60_000);
            break;
          }
          case "later":
            endsAtMs = state.endsAtMs + Math.max(1, cmd.hours) * HOUR_MS;
            break;
          case "before_start": // at the start (hours 0) or before it: anomaly ends_before_start
            endsAtMs = c.startsAtMs - cmd.hours * HOUR_MS;
            break;
        }
        // After the campaign ended (it may have): anomaly campaign_already_ended.
        push("CampaignEndChanged", nowMs, { campaignId: c.campaignId, endsAt: at(endsAtMs) });
        if (!ended.has(c.campaignId) && endsAtMs > c.startsAtMs) state.endsAtMs = endsAtMs;
        break;
      }
      case "hold": {
        // A creator nobody knows now and then: the hold is stored and stands all the same (a fact).
        const creatorId = cmd.ghost ? "K-ghost" : creators[cmd.creator % creators.length]!;
        const marketplace = cmd.all ? null : markets[cmd.market % markets.length]!;
        const data: Record<string, unknown> = {
          creatorId,
          reasonCode: cmd.reason,
          note: NOTES[cmd.market % NOTES.length]!,
          actor: ACTORS[cmd.creator % ACTORS.length]!,
        };
        if (marketplace !== null) data.marketplace = marketplace;
        push("PayoutsHeld", nowMs, data);
        // A scope already held: anomaly invalid_state, nothing changes.
        if (!held.some((h) => h.creatorId === creatorId && h.marketplace === marketplace)) held.push({ creatorId, marketplace });
        break;
      }
      case "release": {
        // Mostly a standing hold; now and then any scope (not held: anomaly invalid_state).
        if (held.length === 0 && !cmd.stray) break; // nothing held yet
        const scope = cmd.stray
          ? { creatorId: creators[cmd.creator % creators.length]!, marketplace: cmd.all ? null : markets[cmd.market % markets.length]! }
          : held[cmd.pick % held.length]!;
        const data: Record<string, unknown> = {
          creatorId: scope.creatorId,
          note: "released after review",
          actor: ACTORS[cmd.pick % ACTORS.length]!,
        };
        if (scope.marketplace !== null) data.marketplace = scope.marketplace;
        push("PayoutsReleased", nowMs, data);
        const standing = held.findIndex((h) => h.creatorId === scope.creatorId && h.marketplace === scope.marketplace);
        if (standing >= 0) held.splice(standing, 1);
        break;
      }
      case "threshold": {
        const marketplace = markets[cmd.market % markets.length]!;
        push("PayoutThresholdSet", nowMs, {
          creatorId: creators[cmd.creator % creators.length]!,
          marketplace,
          amount: cmd.amountMinor === null ? null : formatMoney(cmd.amountMinor, MINOR_DIGITS(marketplace)),
        });
        break;
      }
      case "writeoff": {
        // Mostly a creator and marketplace with a debt (the first from the drawn ones on), else the drawn ones.
        const pairs = creators.flatMap((_, i) =>
          markets.map((__, j) => ({
            creatorId: creators[(cmd.creator + i) % creators.length]!,
            marketplace: markets[(cmd.market + j) % markets.length]!,
          })),
        );
        const { creatorId, marketplace } =
          (cmd.size === "any" ? undefined : pairs.find((c) => probe.debtOf(c.creatorId, c.marketplace) > 0)) ?? pairs[0]!;
        const debt = probe.debtOf(creatorId, marketplace);
        // At most the debt books (kind writeoff); more than it, or any amount with no debt: anomaly exceeds_receivable.
        const amountMinor =
          cmd.size === "any" || debt === 0
            ? cmd.amountMinor
            : cmd.size === "debt"
              ? debt
              : cmd.size === "part"
                ? 1 + (cmd.amountMinor % debt)
                : debt + cmd.amountMinor;
        push("BalanceWrittenOff", nowMs, {
          creatorId,
          marketplace,
          amount: formatMoney(amountMinor, MINOR_DIGITS(marketplace)),
          reasonCode: cmd.reason,
          note: NOTES[cmd.amountMinor % NOTES.length]!,
          actor: ACTORS[cmd.market % ACTORS.length]!,
        });
        break;
      }
      case "close": {
        // The month is chosen against the close's own occurredAt (nowMs) in the marketplace's zone.
        const marketplace = cmd.foreignMarket ? FOREIGN_MARKET : markets[cmd.market % markets.length]!;
        const running = earningMonth(nowMs, DEFAULT_MARKETPLACES[marketplace as MarketplaceCode].zone);
        const lastEnded = previousMonth(running);
        const closed = closedThrough.get(marketplace);
        let month: string;
        if (cmd.which === "running") {
          month = cmd.back === 0 ? running : nextMonth(running); // period_not_ended
        } else if (cmd.which === "again" && closed !== undefined) {
          month = monthsBefore(closed, cmd.back); // invalid_state
        } else {
          // An ended month; when the drawn one is closed already, the latest ended one (if that is open).
          month = monthsBefore(lastEnded, cmd.back);
          if (closed !== undefined && month <= closed && lastEnded > closed) month = lastEnded;
        }
        const data: Record<string, unknown> = { marketplace, month, actor: ACTORS[cmd.market % ACTORS.length]! };
        if (cmd.note) data.note = NOTES[cmd.back % NOTES.length]!;
        push("PeriodClosed", nowMs, data);
        if (month <= lastEnded && (closed === undefined || month > closed)) closedThrough.set(marketplace, month);
        break;
      }
      case "schedule": {
        // effectiveFrom is settled at the end (it may name a later shipment's instant); until then
        // it is its occurredAt + aheadMin, which the probe sees (an input choice only).
        const occurredMs = nowMs - cmd.lateH * HOUR_MS;
        const data: Record<string, unknown> = {
          ruleVersion: cmd.ruleVersion,
          effectiveFrom: isoWithOffset(occurredMs + cmd.aheadMin * 60_000, 0),
          actor: ACTORS[cmd.pick % ACTORS.length]!,
          note: NOTES[cmd.pick % NOTES.length]!, // required (SPEC §14); cmd.note only varies other events
        };
        push("RuleVersionScheduled", occurredMs, data);
        schedules.push({ event: events[events.length - 1]!, index: events.length - 1, occurredMs, cmd });
        break;
      }
    }
  }
  if (endAll) for (const c of campaigns) end(c, false);
  settleSchedules(events, schedules);
  return events;
}

/** SPEC §14: writes each schedule's effectiveFrom (Command `when`), in log order, so a tie sees the earlier ones settled. */
function settleSchedules(
  events: readonly RawEvent[],
  schedules: readonly { event: RawEvent; index: number; occurredMs: number; cmd: Extract<Command, { kind: "schedule" }> }[],
): void {
  const settled: { text: string; ms: number }[] = [];
  for (const { event, index, occurredMs, cmd } of schedules) {
    const ahead = {
      text: isoWithOffset(occurredMs + cmd.aheadMin * 60_000, OFFSETS[cmd.pick % OFFSETS.length]!),
      ms: occurredMs + cmd.aheadMin * 60_000,
    };
    let effective = ahead;
    if (cmd.when === "retroactive") {
      const ms = occurredMs - (1 + cmd.aheadMin) * 60_000;
      effective = { text: isoWithOffset(ms, OFFSETS[cmd.pick % OFFSETS.length]!), ms };
    } else if (cmd.when === "shipment") {
      const later = events
        .slice(index + 1)
        .filter(
          (e) => (e.type === "ShipmentRecorded" || e.type === "SubscribeAndSaveFirstShipment") && Date.parse(e.occurredAt) >= occurredMs,
        );
      const on = later[cmd.pick % Math.max(1, later.length)];
      if (on !== undefined) effective = { text: on.occurredAt, ms: Date.parse(on.occurredAt) };
    } else if (cmd.when === "tie") {
      const earlier = settled.filter((s) => s.ms >= occurredMs);
      const on = earlier[cmd.pick % Math.max(1, earlier.length)];
      if (on !== undefined) effective = on;
    }
    event.data.effectiveFrom = effective.text;
    settled.push(effective);
  }
}

/** The month before `month` (YYYY-MM). */
function previousMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${String(year - 1).padStart(4, "0")}-12` : `${month.slice(0, 4)}-${String(m - 1).padStart(2, "0")}`;
}

function monthsBefore(month: string, count: number): string {
  let out = month;
  for (let i = 0; i < count; i += 1) out = previousMonth(out);
  return out;
}

/** A random valid event sequence (with the universe and commands that produced it, for reports). */
export interface SequenceOptions {
  maxCommands?: number;
  minCommands?: number;
  /**
   * Also the facts of SPEC Part II (§8.4 adjustments and failed payouts, §9 budget changes, pauses
   * and end changes). Off by default for the callers that predate them: tests/e2e/fuzz.e2e.test.ts
   * poisons seed events with `amount: "-5.00"`, which a CommissionAdjusted accepts.
   */
  partII?: boolean;
  /** Also SPEC §12's payout controls (holds, releases, own thresholds, write-offs); implies `partII`. */
  partIII?: boolean;
  /**
   * Also SPEC §13's PeriodClosed at random points (valid closes of ended months, and misfits: a
   * month not ended yet, a month closed already), in the campaigns' marketplaces and now and then
   * in DE. Off by default so the other properties keep their distributions.
   */
  periods?: boolean;
  /**
   * Also SPEC §14's RuleVersionScheduled: one valid schedule of rule version 2 inserted at a random
   * point of the commands, and further schedules (Command `schedule`) among them. Off by default.
   */
  ruleVersions?: boolean;
}

function commandsOf(options: SequenceOptions): fc.Arbitrary<Command> {
  const base = options.partIII
    ? [...SECTION_3_COMMANDS, ...PART_II_COMMANDS, ...PART_III_PAYOUT_COMMANDS]
    : options.partII
      ? [...SECTION_3_COMMANDS, ...PART_II_COMMANDS]
      : SECTION_3_COMMANDS;
  if (options.ruleVersions)
    return fc.oneof(...base, ...(options.periods ? [...PERIOD_COMMANDS, ...LATE_COMMANDS] : []), ...SCHEDULE_COMMANDS);
  return options.periods
    ? fc.oneof(...base, ...PERIOD_COMMANDS, ...LATE_COMMANDS)
    : options.partIII
      ? partIIICommandArb
      : options.partII
        ? partIICommandArb
        : commandArb;
}

export function sequenceArb(options: SequenceOptions = {}): fc.Arbitrary<Sequence> {
  const commands = fc.array(commandsOf(options), {
    minLength: options.minCommands ?? 0,
    maxLength: options.maxCommands ?? 60,
    size: "max",
  });
  return fc
    .record({
      universe: universeArb,
      commands: options.ruleVersions ? withValidSchedule(commands) : commands,
      endAll: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    })
    .map(({ universe, commands, endAll }) => ({ universe, commands, endAll, events: buildEvents(universe, commands, endAll) }));
}

/** SPEC §14: the commands with one valid schedule of rule version 2 inserted at a random point. */
function withValidSchedule(commands: fc.Arbitrary<Command[]>): fc.Arbitrary<Command[]> {
  return fc.tuple(commands, fc.nat(), validScheduleArb).map(([cmds, where, schedule]) => {
    const at = where % (cmds.length + 1);
    return [...cmds.slice(0, at), schedule, ...cmds.slice(at)];
  });
}

export const eventsArb = (options: SequenceOptions = {}): fc.Arbitrary<RawEvent[]> => sequenceArb(options).map((s) => s.events);

// ---------------------------------------------------------------------------------------------
// Resending: duplicates shuffled in, batches
// ---------------------------------------------------------------------------------------------

/**
 * The events with exact copies of some of them inserted somewhere after their original (a copy
 * before its original would itself be the original, which changes the order, not a resend).
 * `inserts[k] = [which, where]`: a copy of event `which` placed `where` slots after it.
 */
export function withDuplicates<T>(events: readonly T[], inserts: readonly [number, number][]): T[] {
  if (events.length === 0) return [];
  const after: T[][] = events.map(() => []);
  for (const [which, where] of inserts) {
    const i = which % events.length;
    const j = Math.min(events.length - 1, i + (where % (events.length - i)));
    after[j]!.push(structuredClone(events[i]!));
  }
  return events.flatMap((e, i) => [e, ...after[i]!]);
}

export const duplicateInsertsArb = fc.array(fc.tuple(fc.nat({ max: 1000 }), fc.nat({ max: 1000 })), { minLength: 1, maxLength: 30 });

/** Splits `items` into consecutive non-empty chunks at the given cut points. */
export function chunked<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const points = [...new Set(cuts.map((c) => (items.length === 0 ? 0 : c % items.length)).filter((c) => c > 0))].sort((a, b) => a - b);
  const out: T[][] = [];
  let start = 0;
  for (const p of [...points, items.length]) {
    if (p > start) out.push(items.slice(start, p));
    start = p;
  }
  return out;
}

export const cutsArb = fc.array(fc.nat({ max: 1000 }), { maxLength: 8 });
