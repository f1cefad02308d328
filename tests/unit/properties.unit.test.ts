// Property tests of the pure engine (issue 7, SPEC §8.1 reconciliation): random valid event
// sequences (tests/support/arbitraries.ts) folded with applyEvent, checked after EVERY event against
// what this file computes on its own from the SPEC. Nothing here uses domain/journal/entryKinds.ts
// (its table of kinds, transfers, buckets or budget flows): the chart of accounts of §8.1, the
// bucket each kind moves (§5, §8.4) and what moves `spent` (rule 4, 5, 8) are written out below,
// and budgets, adjustments and payouts are read from the events themselves (§3, §8.4, §9).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyEvent } from "../../domain/engine/engine.ts";
import type { Outcome, Posting } from "../../domain/engine/outcome.ts";
import { emptyState, type EngineState, type ShipmentState } from "../../domain/engine/state.ts";
import type { CurrentEvent } from "../../domain/events/envelope.ts";
import { toCurrentEvent } from "../../domain/events/current.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";
import { RULES_V1 } from "../../domain/rules.ts";
import { MARKETPLACES as MARKETS, sequenceArb, type RawEvent } from "../support/arbitraries.ts";

const SEED = 0x15_07_2026;
const RUNS = 300;
/** Longer histories than the default: budgets get cut and raised, payouts fail, campaigns end. */
const historyArb = () => sequenceArb({ minCommands: 10, maxCommands: 80, partII: true });
/** The same with SPEC §13's PeriodClosed at random points (and §12's payout controls, whose write-offs book in months too). */
const closingHistoryArb = () => sequenceArb({ minCommands: 10, maxCommands: 80, partII: true, partIII: true, periods: true });

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
 * expect(actual, what).toBe(expected), called only when they differ: these checks run for every
 * account after every event, and a passing expect() costs more than the fold itself.
 */
function same<T>(actual: T, expected: T, what: string): void {
  if (!Object.is(actual, expected)) expect(actual, what).toBe(expected);
}

/** expect(actual, what).toEqual(expected) for a short list of strings or nulls, only when they differ. */
function sameList(actual: readonly (string | null)[], expected: readonly (string | null)[], what: string): void {
  if (actual.length !== expected.length || actual.some((a, i) => a !== expected[i])) expect(actual, what).toEqual(expected);
}

/** expect(value, what) ≥ min, only when it is not. */
function atLeast(value: number, min: number, what: string): void {
  if (!(value >= min)) expect(value, what).toBeGreaterThanOrEqual(min);
}

/** expect(value, what) ≤ max, only when it is not. */
function atMost(value: number, max: number, what: string): void {
  if (!(value <= max)) expect(value, what).toBeLessThanOrEqual(max);
}

// ---------------------------------------------------------------------------------------------
// SPEC §8.1 chart of accounts, written out (SPEC §3 marketplaces: MARKETS, tests/support/arbitraries.ts)
// ---------------------------------------------------------------------------------------------

/** "12.3" → 1230 (2 digits), "-5" → -500, "1500" → 1500 (JPY); null when it has more fraction digits than `digits`. */
function minorOf(text: string, digits: number): number | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a plain decimal: ${text}`);
  const fraction = m[3] ?? "";
  if (fraction.length > digits) return null;
  const n = Number(m[2]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return m[1] === "-" && n !== 0 ? -n : n;
}

type Role =
  | "brand"
  | "campaign:budget"
  | "creator:pending"
  | "creator:earned"
  | "program:standard"
  | "program:adjustments"
  | "program:writeoffs"
  | "payouts";

/**
 * SPEC §8.1, "Transfers per rule": each kind's source → destination, and the sign its signed ledger
 * amount has when money goes that way (§5: reversals ≤ 0; an adjustment goes the reverse way when
 * negative). A kind whose amount has the other sign books the reverse transfer — allowed only for
 * adjustments and for the pieces of a forfeiture (a returned part, −r, that the return already gave
 * back); for every other kind the sign is fixed. `bonus_forfeited` is the memo: no accounts.
 */
const CHART: Record<Posting["kind"], { from: Role; to: Role; sign: 1 | -1; eitherSign: boolean } | "memo"> = {
  budget_funding: { from: "brand", to: "campaign:budget", sign: 1, eitherSign: false },
  budget_return: { from: "campaign:budget", to: "brand", sign: -1, eitherSign: false },
  standard: { from: "program:standard", to: "creator:earned", sign: 1, eitherSign: false },
  standard_reversal: { from: "creator:earned", to: "program:standard", sign: -1, eitherSign: false },
  bonus_pending: { from: "campaign:budget", to: "creator:pending", sign: 1, eitherSign: false },
  bonus_pending_return: { from: "creator:pending", to: "campaign:budget", sign: -1, eitherSign: false },
  bonus_confirm: { from: "creator:pending", to: "creator:earned", sign: 1, eitherSign: false },
  bonus_forfeit: { from: "creator:pending", to: "campaign:budget", sign: 1, eitherSign: true },
  bonus_confirmed: { from: "campaign:budget", to: "creator:earned", sign: 1, eitherSign: false },
  bonus_reversal: { from: "creator:earned", to: "campaign:budget", sign: -1, eitherSign: false },
  bonus_forfeited: "memo",
  adjustment: { from: "program:adjustments", to: "creator:earned", sign: 1, eitherSign: true },
  payout: { from: "creator:earned", to: "payouts", sign: -1, eitherSign: false },
  payout_failed: { from: "payouts", to: "creator:earned", sign: 1, eitherSign: false },
  writeoff: { from: "program:writeoffs", to: "creator:earned", sign: 1, eitherSign: false },
};

/** What the events say about campaigns and payouts, read from the events alone (SPEC §3, §8.4, §9). */
class EventFacts {
  readonly campaigns = new Map<string, { brandId: string; marketplace: string; budgetMinor: number; ended: boolean }>();
  readonly payouts = new Map<string, { creatorId: string; marketplace: string; amountMinor: number; failed: boolean }>();
  /** `${creatorId}|${marketplace}` → Σ PayoutIssued net of PayoutFailed (§8.4 "payouts net of failures"). */
  readonly paid = new Map<string, number>();
  /** `${creatorId}|${marketplace}` → Σ booked CommissionAdjusted amounts (§8.4). */
  readonly adjusted = new Map<string, number>();

  apply(event: CurrentEvent): void {
    const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
    switch (event.type) {
      case "CampaignCreated": {
        const d = event.data;
        if (this.campaigns.has(d.campaignId)) return; // duplicate_campaign
        this.campaigns.set(d.campaignId, {
          brandId: d.brandId,
          marketplace: d.marketplace,
          budgetMinor: minorOf(d.budget, MARKETS[d.marketplace]!.digits)!,
          ended: false,
        });
        return;
      }
      case "CampaignEnded": {
        const c = this.campaigns.get(event.data.campaignId);
        if (c) c.ended = true;
        return;
      }
      case "CampaignBudgetChanged": {
        // §9: a known campaign that has not ended, and no more fraction digits than its currency; the new total.
        const c = this.campaigns.get(event.data.campaignId);
        if (!c || c.ended) return;
        const budgetMinor = minorOf(event.data.budget, MARKETS[c.marketplace]!.digits);
        if (budgetMinor !== null) c.budgetMinor = budgetMinor;
        return;
      }
      case "PayoutIssued": {
        const d = event.data;
        if (this.payouts.has(d.payoutId)) return; // duplicate_payout: not counted
        const amountMinor = minorOf(d.amount, MARKETS[d.marketplace]!.digits)!;
        this.payouts.set(d.payoutId, { creatorId: d.creatorId, marketplace: d.marketplace, amountMinor, failed: false });
        add(this.paid, `${d.creatorId}|${d.marketplace}`, amountMinor);
        return;
      }
      case "PayoutFailed": {
        const p = this.payouts.get(event.data.payoutId);
        if (!p || p.failed) return; // unknown_payout, payout_already_failed
        p.failed = true;
        add(this.paid, `${p.creatorId}|${p.marketplace}`, -p.amountMinor);
        return;
      }
      case "CommissionAdjusted": {
        const d = event.data;
        if (d.campaignId !== undefined) {
          const c = this.campaigns.get(d.campaignId);
          if (!c || c.marketplace !== d.marketplace) return; // unknown_campaign, marketplace_mismatch: nothing is booked
        }
        add(this.adjusted, `${d.creatorId}|${d.marketplace}`, minorOf(d.amount, MARKETS[d.marketplace]!.digits)!);
        return;
      }
      default:
        return;
    }
  }

  /** The marketplace a posting belongs to: its campaign's, else the one its payout or adjustment names. */
  marketplaceOf(p: Posting, event: CurrentEvent): string {
    if (p.campaignId !== null) return this.campaigns.get(p.campaignId)!.marketplace;
    if (event.type === "PayoutIssued" || event.type === "CommissionAdjusted") return event.data.marketplace;
    if (event.type === "PayoutFailed") return this.payouts.get(event.data.payoutId)!.marketplace;
    throw new Error(`${p.kind} of ${event.type} ${event.id} names neither a campaign nor a marketplace`);
  }
}

/** The SPEC §8.1 name of account `role` for a posting (ids here hold no ':', so no escaping). */
function accountName(role: Role, p: Posting, marketplace: string, facts: EventFacts): string {
  const need = (value: string | null, what: string) => {
    if (value === null) expect(value, `${p.kind} at ${p.position}.${p.seq} needs a ${what} for ${role}`).not.toBeNull();
    return value!;
  };
  switch (role) {
    case "brand":
      return `brand:${facts.campaigns.get(need(p.campaignId, "campaignId"))!.brandId}:${marketplace}`;
    case "campaign:budget":
      return `campaign:${need(p.campaignId, "campaignId")}:budget`;
    case "creator:pending":
      return `creator:${need(p.creatorId, "creatorId")}:${need(p.campaignId, "campaignId")}:pending`;
    case "creator:earned":
      return `creator:${need(p.creatorId, "creatorId")}:${marketplace}:earned`;
    case "program:standard":
      return `program:${marketplace}:standard`;
    case "program:adjustments":
      return `program:${marketplace}:adjustments`;
    case "program:writeoffs":
      return `program:${marketplace}:writeoffs`;
    case "payouts":
      return `payouts:${marketplace}`;
  }
}

/** An account's currency from its name alone (a campaign's accounts: that campaign's marketplace). */
function currencyOfAccount(account: string, facts: EventFacts): string {
  const parts = account.split(":");
  const market = (m: string) => {
    if (MARKETS[m] === undefined) expect(Object.keys(MARKETS), `marketplace of ${account}`).toContain(m);
    return MARKETS[m]!.currency;
  };
  if (parts[0] === "campaign") return market(facts.campaigns.get(parts[1]!)!.marketplace);
  if (parts[0] === "creator" && parts[3] === "pending") return market(facts.campaigns.get(parts[2]!)!.marketplace);
  if (parts[0] === "creator" || parts[0] === "brand") return market(parts[2]!);
  if (parts[0] === "program" || parts[0] === "payouts") return market(parts[1]!);
  throw new Error(`not an account of SPEC §8.1: ${account}`);
}

// ---------------------------------------------------------------------------------------------
// Books kept by this test from the postings: balances (§8.1) and buckets (§5, §8.4), spent (rule 4)
// ---------------------------------------------------------------------------------------------

type Buckets = {
  standard: number;
  bonusPending: number;
  bonusConfirmed: number;
  bonusForfeited: number;
  reversed: number;
  adjusted: number;
};
const zeroBuckets = (): Buckets => ({ standard: 0, bonusPending: 0, bonusConfirmed: 0, bonusForfeited: 0, reversed: 0, adjusted: 0 });

/** SPEC §5 and §8.4: the bucket(s) a posting of each kind moves, by its signed amount `a`. */
function addToBuckets(b: Buckets, p: Posting): void {
  const a = p.amountMinor;
  switch (p.kind) {
    case "standard": // rule 2
      b.standard += a;
      break;
    case "standard_reversal": // rule 8: a return reverses standard commission …
    case "bonus_reversal": // … and a confirmed bonus
      b.reversed += a;
      break;
    case "bonus_pending": // rule 5: pending until CampaignEnded
    case "bonus_pending_return": // rule 8: a returned pending bonus lowers the pending bonus itself
      b.bonusPending += a;
      break;
    case "bonus_confirm": // rule 5 at CampaignEnded: pending → confirmed
      b.bonusPending -= a;
      b.bonusConfirmed += a;
      break;
    case "bonus_forfeit": // rule 5 at CampaignEnded: pending → forfeited
      b.bonusPending -= a;
      b.bonusForfeited += a;
      break;
    case "bonus_confirmed": // rule 5, last sentence: after the end, confirmed at once …
      b.bonusConfirmed += a;
      break;
    case "bonus_forfeited": // … or forfeited at once
      b.bonusForfeited += a;
      break;
    case "adjustment": // §8.4
    case "writeoff": // §12: a write-off counts as adjusted
      b.adjusted += a;
      break;
    case "budget_funding": // the brand's and the campaign's, not a creator's earnings
    case "budget_return":
    case "payout": // paid out of what was earned, not a change of it
    case "payout_failed":
      break;
  }
}

/**
 * What a posting does to its campaign's `spent` and `released`, from SPEC §4 alone: rule 4 — spent
 * = bonus accrued (pending + confirmed) net of reversals; rule 5 — a forfeited pending bonus goes
 * back to the budget, a bonus forfeited at once never touched it, confirming moves nothing; rule 8
 * — a returned pending bonus and a reversed confirmed bonus go back to the budget. §5 `released` =
 * what was given back. (Forfeiture pieces are signed: a −r piece for a part returned already.)
 */
function budgetEffect(p: Posting): { spent: number; released: number } {
  switch (p.kind) {
    case "bonus_pending":
    case "bonus_confirmed":
      return { spent: p.amountMinor, released: 0 };
    case "bonus_pending_return": // negative amounts
    case "bonus_reversal":
      return { spent: p.amountMinor, released: -p.amountMinor };
    case "bonus_forfeit":
      return { spent: -p.amountMinor, released: p.amountMinor };
    default:
      return { spent: 0, released: 0 };
  }
}

class Books {
  readonly balances = new Map<string, number>();
  /** `${creatorId}|${marketplace}` */
  readonly byMarket = new Map<string, Buckets>();
  /** `${creatorId}|${campaignId}` */
  readonly byCampaign = new Map<string, Buckets>();
  readonly spent = new Map<string, number>();
  readonly released = new Map<string, number>();

  /** Books one posting: its transfer, checked against the chart (SPEC §8.1), its buckets and its budget effect. */
  post(p: Posting, event: CurrentEvent, facts: EventFacts): void {
    const where = `${p.kind} ${p.amountMinor} at ${p.position}.${p.seq} (${event.type} ${event.id})`;
    const marketplace = facts.marketplaceOf(p, event);
    same(p.marketplace, marketplace, `${where}: marketplace`);
    same(p.currency, MARKETS[marketplace]!.currency, `${where}: currency`);
    const rule = CHART[p.kind];
    if (rule === "memo" || p.amountMinor === 0) {
      sameList([p.source, p.destination], [null, null], `${where}: a memo entry or an amount of 0 books no transfer`);
    } else {
      const natural = Math.sign(p.amountMinor) === rule.sign;
      if (!rule.eitherSign) same(natural, true, `${where}: the sign of a ${p.kind}`);
      const [from, to] = natural ? [rule.from, rule.to] : [rule.to, rule.from];
      const expected = [accountName(from, p, marketplace, facts), accountName(to, p, marketplace, facts)];
      sameList([p.source, p.destination], expected, `${where}: source and destination`);
      if (expected[0] === expected[1]) expect(expected[0], `${where}: source ≠ destination`).not.toBe(expected[1]);
      const amount = Math.abs(p.amountMinor);
      this.balances.set(expected[0]!, (this.balances.get(expected[0]!) ?? 0) - amount);
      this.balances.set(expected[1]!, (this.balances.get(expected[1]!) ?? 0) + amount);
    }
    if (p.creatorId !== null) {
      const m = `${p.creatorId}|${marketplace}`;
      addToBuckets(this.byMarket.get(m) ?? this.byMarket.set(m, zeroBuckets()).get(m)!, p);
      if (p.campaignId !== null) {
        const c = `${p.creatorId}|${p.campaignId}`;
        addToBuckets(this.byCampaign.get(c) ?? this.byCampaign.set(c, zeroBuckets()).get(c)!, p);
      }
    }
    if (p.campaignId !== null) {
      const e = budgetEffect(p);
      this.spent.set(p.campaignId, (this.spent.get(p.campaignId) ?? 0) + e.spent);
      this.released.set(p.campaignId, (this.released.get(p.campaignId) ?? 0) + e.released);
    }
  }

  balance(account: string): number {
    return this.balances.get(account) ?? 0;
  }
}

interface Step {
  event: CurrentEvent;
  outcome: Outcome;
  state: EngineState;
  facts: EventFacts;
  books: Books;
}

/** Folds the history; after each event, books its postings and learns its facts, then calls `check`. */
function walk(raws: readonly RawEvent[], check: (step: Step, before: { remaining: Map<string, number> }) => void): void {
  const state = emptyState();
  const facts = new EventFacts();
  const books = new Books();
  for (const event of current(raws)) {
    // Remaining before the event (rule 4): max(0, budget − spent), from this test's own books.
    const remaining = new Map([...facts.campaigns].map(([id, c]) => [id, Math.max(0, c.budgetMinor - (books.spent.get(id) ?? 0))]));
    const outcome = applyEvent(state, RULES_V1, event);
    facts.apply(event);
    for (const p of outcome.postings) books.post(p, event, facts);
    check({ event, outcome, state, facts, books }, { remaining });
  }
}

/** Bonus still pending on the engine's shipment lines of a creator in a campaign (rule 5, rule 8). */
function pendingOnLines(state: EngineState): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of (state.shipments as Map<string, ShipmentState>).values()) {
    for (const line of s.lines) {
      if (line.bonusState !== "pending") continue;
      const key = `${s.creatorId}|${s.campaignId}`;
      out.set(key, (out.get(key) ?? 0) + line.bonusMinor - line.bonusReturnedMinor);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe("engine properties over random valid event sequences", () => {
  it("every generated event is valid, folding never throws, and the generator reaches every new fact and misfit", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(historyArb(), (s) => {
        const { outcomes } = fold(current(s.events));
        for (const o of outcomes) {
          seen.add(o.eventType);
          for (const a of o.anomalies) seen.add(`${o.eventType}/${a.code}`);
          for (const p of o.postings) seen.add(`${p.kind}${p.amountMinor < 0 ? "<0" : p.amountMinor > 0 ? ">0" : "=0"}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The histories are only as good as what they reach (SPEC §8.4, §9 and their anomalies).
    for (const wanted of [
      "CommissionAdjusted",
      "adjustment>0",
      "adjustment<0",
      "CommissionAdjusted/marketplace_mismatch",
      "CommissionAdjusted/unknown_campaign",
      "PayoutIssued",
      "payout<0",
      "PayoutIssued/duplicate_payout",
      "PayoutFailed",
      "payout_failed>0",
      "PayoutFailed/unknown_payout",
      "PayoutFailed/payout_already_failed",
      "CampaignBudgetChanged",
      "budget_funding>0",
      "budget_return<0",
      "CampaignBudgetChanged/invalid_amount",
      "CampaignBudgetChanged/unknown_campaign",
      "CampaignBudgetChanged/campaign_already_ended",
      "CampaignPaused",
      "CampaignResumed",
      "CampaignPaused/invalid_state",
      "CampaignResumed/invalid_state",
      "CampaignPaused/unknown_campaign",
      "CampaignEndChanged",
      "CampaignEndChanged/ends_before_start",
      "CampaignEndChanged/campaign_already_ended",
      "bonus_pending>0",
      "bonus_pending_return<0",
      "bonus_confirm>0",
      "bonus_forfeit>0",
      "bonus_forfeit<0",
      "bonus_confirmed>0",
      "bonus_forfeited>0",
      "bonus_reversal<0",
      "standard=0",
      "standard_reversal<0",
    ]) {
      expect([...seen], `the generator never produced ${wanted}`).toContain(wanted);
    }
  });

  it("accounts: every transfer names the SPEC §8.1 accounts of its kind, two different ones; memo entries and amounts of 0 name none", () => {
    let transfers = 0;
    fc.assert(
      fc.property(historyArb(), (s) => {
        walk(s.events, ({ outcome }) => {
          transfers += outcome.postings.filter((p) => p.source !== null).length; // the checks run in Books.post
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(transfers).toBeGreaterThan(RUNS * 10); // the checks in Books.post ran on thousands of transfers
  });

  it("balances: after every event the balances of each currency's accounts sum to 0 (account currency from its name)", () => {
    fc.assert(
      fc.property(historyArb(), (s) => {
        walk(s.events, ({ event, books, facts }) => {
          const sums = new Map<string, number>();
          for (const [account, balance] of books.balances) {
            const currency = currencyOfAccount(account, facts);
            sums.set(currency, (sums.get(currency) ?? 0) + balance);
          }
          for (const [currency, sum] of sums) same(sum, 0, `Σ ${currency} balances after ${event.id}`);
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("budget: after every event budget (from the events) ≥ 0, spent and released (from the bonus postings) = the engine's, campaign:C:budget = max(0, budget − spent), brand = −Σ max(budget, spent), exhaustedAt per SPEC §5", () => {
    fc.assert(
      fc.property(historyArb(), (s) => {
        const exhaustedAt = new Map<string, string | null>();
        walk(s.events, ({ event, state, facts, books }, before) => {
          const brands = new Map<string, number>();
          for (const [campaignId, c] of facts.campaigns) {
            const where = (what: string) => `${campaignId} ${what} after ${event.id} (${event.type})`;
            const engine = state.campaigns.get(campaignId)!;
            const spent = books.spent.get(campaignId) ?? 0;
            const remaining = Math.max(0, c.budgetMinor - spent);
            atLeast(c.budgetMinor, 0, where("budget"));
            same(engine.budgetMinor, c.budgetMinor, where("budget"));
            same(engine.spentMinor, spent, where("spent"));
            same(engine.releasedMinor, books.released.get(campaignId) ?? 0, where("released"));
            atLeast(spent, 0, where("spent"));
            const balance = books.balance(`campaign:${campaignId}:budget`);
            same(balance, remaining, where("campaign:budget"));
            // The brand funded what was granted and what remains: −(remaining + spent) = −max(budget, spent).
            const brand = `brand:${c.brandId}:${c.marketplace}`;
            brands.set(brand, (brands.get(brand) ?? 0) - Math.max(c.budgetMinor, spent));
            // SPEC §5: exhaustedAt is the occurredAt of the event that last brought remaining to 0; null while it is > 0.
            const was = before.remaining.get(campaignId);
            const expected = remaining > 0 ? null : was === undefined || was > 0 ? event.occurredAt : exhaustedAt.get(campaignId)!;
            same(engine.exhaustedAt, expected, where(`exhaustedAt (remaining ${was} → ${remaining})`));
            exhaustedAt.set(campaignId, expected);
          }
          for (const [brand, balance] of brands) same(books.balance(brand), balance, `${brand} after ${event.id}`);
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("pending: after every event creator:K:C:pending = K's bonusPending in C (from the postings) = the pending bonus left on K's lines in C", () => {
    fc.assert(
      fc.property(historyArb(), (s) => {
        walk(s.events, ({ event, state, books }) => {
          const onLines = pendingOnLines(state);
          const keys = new Set([...books.byCampaign.keys(), ...onLines.keys()]);
          for (const account of books.balances.keys()) {
            const [kind, creatorId, campaignId, suffix] = account.split(":");
            if (kind === "creator" && suffix === "pending") keys.add(`${creatorId}|${campaignId}`);
          }
          for (const key of keys) {
            const [creatorId, campaignId] = key.split("|") as [string, string];
            const pending = books.byCampaign.get(key)?.bonusPending ?? 0;
            same(
              books.balance(`creator:${creatorId}:${campaignId}:pending`),
              pending,
              `creator:${creatorId}:${campaignId}:pending after ${event.id}`,
            );
            same(onLines.get(key) ?? 0, pending, `${key} pending on lines after ${event.id}`);
            atLeast(pending, 0, `${key} pending after ${event.id}`);
          }
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("earned: after every event creator:K:m:earned = K's total − bonusPending − paid in m (adjustments and payouts net of failures from the events)", () => {
    fc.assert(
      fc.property(historyArb(), (s) => {
        walk(s.events, ({ event, facts, books }) => {
          const keys = new Set([...books.byMarket.keys(), ...facts.paid.keys(), ...facts.adjusted.keys()]);
          for (const account of books.balances.keys()) {
            const [kind, creatorId, marketplace, suffix] = account.split(":");
            if (kind === "creator" && suffix === "earned") keys.add(`${creatorId}|${marketplace}`);
          }
          for (const key of keys) {
            const [creatorId, marketplace] = key.split("|") as [string, string];
            const b = books.byMarket.get(key) ?? zeroBuckets();
            const adjusted = facts.adjusted.get(key) ?? 0;
            same(b.adjusted, adjusted, `${key} adjusted (postings vs events) after ${event.id}`);
            // SPEC §5 total = standard + pending + confirmed + reversed (+ adjusted, §8.4); forfeited is not earned.
            const total = b.standard + b.bonusPending + b.bonusConfirmed + b.reversed + adjusted;
            const paid = facts.paid.get(key) ?? 0;
            same(
              books.balance(`creator:${creatorId}:${marketplace}:earned`),
              total - b.bonusPending - paid,
              `creator:${creatorId}:${marketplace}:earned after ${event.id}`,
            );
          }
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("returns: per shipment line, reversals never exceed the original amounts, units or revenue", () => {
    fc.assert(
      fc.property(historyArb(), (s) => {
        const { state, outcomes } = fold(current(s.events));
        // State: every line.
        for (const shipment of (state.shipments as Map<string, ShipmentState>).values()) {
          for (const line of shipment.lines) {
            const where = `${shipment.shipmentId} ${line.asin}`;
            atLeast(line.returnedQuantity, 0, `${where} returned quantity`);
            atMost(line.returnedQuantity, line.quantity, `${where} returned quantity`);
            atLeast(line.standardReversedMinor, 0, `${where} standard reversed`);
            atMost(line.standardReversedMinor, line.standardMinor, `${where} standard reversed`);
            atMost(line.revenueReturnedMinor, line.revenueMinor, `${where} revenue returned`);
            atLeast(line.bonusReturnedMinor, 0, `${where} bonus returned`);
            atMost(line.bonusReturnedMinor, line.bonusMinor, `${where} bonus returned`);
          }
        }
        // Postings, per (shipment, ASIN) — independent of the engine's line bookkeeping.
        type Acc = {
          standard: number;
          standardRev: number;
          units: number;
          unitsRev: number;
          revenue: number;
          revenueRev: number;
          bonus: number;
          bonusRev: number;
        };
        const acc = new Map<string, Acc>();
        const forfeitedAt = new Map<string, number>(); // shipment → position its bonus was forfeited
        for (const p of outcomes.flatMap((o) => o.postings)) {
          if (p.shipmentId === null) continue;
          if (p.kind === "bonus_forfeit" || p.kind === "bonus_forfeited") {
            if (!forfeitedAt.has(p.shipmentId)) forfeitedAt.set(p.shipmentId, p.position);
          }
          if (p.kind === "bonus_reversal" || p.kind === "bonus_pending_return") {
            const f = forfeitedAt.get(p.shipmentId);
            same(
              f === undefined || p.position < f,
              true,
              `bonus of ${p.shipmentId} reversed at ${p.position} after its forfeiture at ${f}`,
            );
          }
          const key = `${p.shipmentId}\u0000${p.asin}`;
          const a = acc.get(key) ?? {
            standard: 0,
            standardRev: 0,
            units: 0,
            unitsRev: 0,
            revenue: 0,
            revenueRev: 0,
            bonus: 0,
            bonusRev: 0,
          };
          switch (p.kind) {
            case "standard":
              atLeast(p.amountMinor, 0, `standard at ${p.position}.${p.seq}`);
              a.standard += p.amountMinor;
              a.units += p.units;
              a.revenue += p.revenueMinor;
              break;
            case "standard_reversal":
              atMost(p.amountMinor, 0, `standard_reversal at ${p.position}.${p.seq}`);
              atMost(p.units, -1, `units of standard_reversal at ${p.position}.${p.seq}`);
              a.standardRev -= p.amountMinor;
              a.unitsRev -= p.units;
              a.revenueRev -= p.revenueMinor;
              break;
            case "bonus_pending":
            case "bonus_confirmed":
              atLeast(p.amountMinor, 1, `${p.kind} at ${p.position}.${p.seq}`);
              a.bonus += p.amountMinor;
              break;
            case "bonus_pending_return":
            case "bonus_reversal":
              atMost(p.amountMinor, -1, `${p.kind} at ${p.position}.${p.seq}`);
              a.bonusRev -= p.amountMinor;
              break;
            default:
              break; // the other kinds move no line's amounts (budget, confirm and forfeit of pending bonus, adjustments, payouts)
          }
          acc.set(key, a);
        }
        for (const [key, a] of acc) {
          const where = key.replace("\u0000", " ");
          atMost(a.standardRev, a.standard, `standard reversals of ${where}`);
          atMost(a.unitsRev, a.units, `returned units of ${where}`);
          atMost(a.revenueRev, a.revenue, `returned revenue of ${where}`);
          atMost(a.bonusRev, a.bonus, `bonus returns/reversals of ${where}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("deterministic: folding twice, or resuming from a structured-clone snapshot, gives deep-equal outcomes", () => {
    fc.assert(
      fc.property(closingHistoryArb(), fc.nat(), (s, cutSeed) => {
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

// ---------------------------------------------------------------------------------------------
// SPEC §13: closed periods (issue 25)
// ---------------------------------------------------------------------------------------------

/** YYYY-MM of an instant in an IANA zone, with Intl (not domain/calendar.ts). */
const monthFormats = new Map<string, Intl.DateTimeFormat>();
function monthIn(epochMs: number, zone: string): string {
  let f = monthFormats.get(zone);
  if (!f) monthFormats.set(zone, (f = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit" })));
  const parts = f.formatToParts(epochMs);
  return `${parts.find((x) => x.type === "year")!.value}-${parts.find((x) => x.type === "month")!.value}`;
}

function monthAfter(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

const zoneOf = (marketplace: string) => DEFAULT_MARKETPLACES[marketplace as MarketplaceCode].zone;
/** Postings whose rule-9 month is their shipment's (rule 5 settles, rule 8 returns of a pending bonus). */
const SHIPMENT_MONTH_KINDS = new Set(["bonus_confirm", "bonus_forfeit", "bonus_pending_return"]);

describe("engine properties with closed periods (SPEC §13)", () => {
  it("PeriodClosed closes exactly the ended, open months (else period_not_ended, then invalid_state); every posting's originalMonth is rule 9's month and its earningMonth that month, or the first open month when it is closed", () => {
    const seen = { closes: 0, notEnded: 0, closedAlready: 0, moved: 0, kept: 0, movedKinds: new Set<string>(), foreign: 0 };
    fc.assert(
      fc.property(closingHistoryArb(), (s) => {
        const events = current(s.events);
        const state = emptyState();
        // The model: per marketplace the latest closed month, and each shipment's rule-9 month.
        const closedThrough = new Map<string, string>();
        const shipmentMonth = new Map<string, string>(); // shipmentId → month of its first recording, in its posting's zone
        const shipmentAt = new Map<string, number>();
        for (const event of events) {
          if (
            (event.type === "ShipmentRecorded" || event.type === "SubscribeAndSaveFirstShipment") &&
            !shipmentAt.has(event.data.shipmentId as string)
          )
            shipmentAt.set(event.data.shipmentId as string, Date.parse(event.occurredAt));
          const closedBefore = new Map(closedThrough);
          const o = applyEvent(state, RULES_V1, event);
          const at = Date.parse(event.occurredAt);
          if (event.type === "PeriodClosed") {
            const marketplace = event.data.marketplace as string;
            const month = event.data.month as string;
            const closed = closedThrough.get(marketplace);
            const codes = o.anomalies.map((a) => a.code);
            if (month >= monthIn(at, zoneOf(marketplace))) {
              sameList(codes, ["period_not_ended"], `${event.id} closes ${marketplace} ${month}, not ended at ${event.occurredAt}`);
              seen.notEnded += 1;
            } else if (closed !== undefined && month <= closed) {
              sameList(codes, ["invalid_state"], `${event.id} closes ${marketplace} ${month}, closed through ${closed}`);
              seen.closedAlready += 1;
            } else {
              sameList(codes, [], `${event.id} closes ${marketplace} ${month}`);
              closedThrough.set(marketplace, month);
              seen.closes += 1;
              if (!s.universe.campaigns.some((c) => c.marketplace === marketplace)) seen.foreign += 1;
            }
            same(o.postings.length, 0, `${event.id} posts nothing`);
          }
          for (const p of o.postings) {
            const what = `${event.id} ${event.type} ${p.kind} ${p.marketplace} ${p.shipmentId ?? ""}`;
            if (p.earningMonth === null) {
              same(p.originalMonth, null, `${what} originalMonth with no earningMonth`);
              continue;
            }
            const zone = zoneOf(p.marketplace);
            let original: string;
            if (SHIPMENT_MONTH_KINDS.has(p.kind)) {
              const shippedAt = shipmentAt.get(p.shipmentId!);
              if (shippedAt === undefined) throw new Error(`${what}: no shipment recorded`);
              original = shipmentMonth.get(p.shipmentId!) ?? monthIn(shippedAt, zone);
              shipmentMonth.set(p.shipmentId!, original);
            } else original = monthIn(at, zone);
            same(p.originalMonth, original, `${what} originalMonth = rule 9's`);
            const closed = closedBefore.get(p.marketplace);
            const booked = closed !== undefined && original <= closed ? monthAfter(closed) : original;
            same(p.earningMonth, booked, `${what} earningMonth (closed through ${closed ?? "-"})`);
            if (closed !== undefined) atLeast(Number(p.earningMonth > closed), 1, `${what} booked after the closed ${closed}`);
            if (booked !== original) {
              seen.moved += 1;
              seen.movedKinds.add(p.kind);
            } else seen.kept += 1;
          }
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
    // The histories are only as good as what they reach.
    expect(seen.closes, "valid closes").toBeGreaterThan(100);
    expect(seen.notEnded, "closes of a month not ended").toBeGreaterThan(10);
    expect(seen.closedAlready, "closes of a closed month").toBeGreaterThan(10);
    expect(seen.foreign, "closes of a marketplace no campaign is in").toBeGreaterThan(0);
    expect(seen.moved, "postings booked in the first open month").toBeGreaterThan(30);
    for (const kind of ["standard", "bonus_pending", "bonus_confirm", "bonus_forfeit", "bonus_pending_return", "adjustment"])
      expect([...seen.movedKinds], `a ${kind} booked forward`).toContain(kind);
  });
});
