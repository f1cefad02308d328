// Domain test fixtures: raw wire events (SPEC §2-3) with sensible defaults, and a tiny
// Emmett-style harness: given(events).when(event).then(postings) (DESIGN: decide/evolve, tests
// as given events → then postings). Expected values in tests are written out by hand; nothing
// here computes an amount — the bucket table below is the SPEC §5 meaning of each posting kind.
import { expect } from "vitest";
import { toCurrentEvent } from "../../domain/events/current.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { applyEvent } from "../../domain/engine/engine.ts";
import type { Anomaly, AnomalyCode, Fact, Outcome, Posting } from "../../domain/engine/outcome.ts";
import type { EntryKind } from "../../domain/journal/entryKinds.ts";
import { emptyState, type EngineState } from "../../domain/engine/state.ts";
import { RULES_V1, type RuleVersion } from "../../domain/rules.ts";

// ---------------------------------------------------------------------------------------------
// Raw wire events
// ---------------------------------------------------------------------------------------------

export interface RawEvent {
  id: string;
  type: string;
  schemaVersion?: number;
  occurredAt: string;
  data: Record<string, unknown>;
  [extra: string]: unknown;
}

/** Default campaign period: March 2026 in Los Angeles (PST at the start, PDT at the end). */
export const STARTS_AT = "2026-03-01T00:00:00-08:00"; // 2026-03-01T08:00:00Z
export const ENDS_AT = "2026-04-01T00:00:00-07:00"; // 2026-04-01T07:00:00Z
/** Default business times of the other events, all inside the default period. */
export const CREATED_AT = "2026-02-20T12:00:00Z";
export const ACCEPTED_AT = "2026-03-01T12:00:00Z";
export const CONTENT_AT = "2026-03-05T12:00:00Z";
export const ORDERED_AT = "2026-03-09T18:00:00Z";
export const SHIPPED_AT = "2026-03-10T18:00:00Z"; // LA: 2026-03-10 11:00 PDT
export const RETURNED_AT = "2026-04-15T18:00:00Z"; // LA: 2026-04-15 11:00 PDT

const counters = new Map<string, number>();
/** A fresh event id with a readable prefix (ids only need to be unique within one run). */
export function nextId(prefix: string): string {
  const n = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, n);
  return `${prefix}-${n}`;
}

interface Envelope {
  id?: string;
  occurredAt?: string;
  schemaVersion?: number;
}

function envelope(type: string, prefix: string, opts: Envelope, defaultAt: string, data: Record<string, unknown>): RawEvent {
  const raw: RawEvent = { id: opts.id ?? nextId(prefix), type, occurredAt: opts.occurredAt ?? defaultAt, data };
  if (opts.schemaVersion !== undefined) raw.schemaVersion = opts.schemaVersion;
  return raw;
}

/** Drops keys whose value is undefined (so optional fields are absent, not `undefined`). */
function compact(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
}

export interface CampaignOpts extends Envelope {
  campaignId?: string;
  brandId?: string;
  marketplace?: string;
  bonusRate?: string;
  budget?: string;
  startsAt?: string;
  endsAt?: string;
  asins?: string[];
  /** Only for schemaVersion 2. */
  currency?: string;
}

export function campaignCreated(opts: CampaignOpts = {}): RawEvent {
  return envelope(
    "CampaignCreated",
    "cc",
    opts,
    CREATED_AT,
    compact({
      campaignId: opts.campaignId ?? "C1",
      brandId: opts.brandId ?? "B1",
      marketplace: opts.marketplace ?? "US",
      bonusRate: opts.bonusRate ?? "0.10",
      budget: opts.budget ?? "500.00",
      startsAt: opts.startsAt ?? STARTS_AT,
      endsAt: opts.endsAt ?? ENDS_AT,
      asins: opts.asins ?? ["A1", "A2"],
      currency: opts.currency,
    }),
  );
}

export interface AcceptedOpts extends Envelope {
  campaignId?: string;
  creatorId?: string;
  trackingId?: string;
}

export function accepted(opts: AcceptedOpts = {}): RawEvent {
  return envelope("CampaignAccepted", "acc", opts, ACCEPTED_AT, {
    campaignId: opts.campaignId ?? "C1",
    creatorId: opts.creatorId ?? "K1",
    trackingId: opts.trackingId ?? "T1",
  });
}

export interface ContentOpts extends Envelope {
  campaignId?: string;
  creatorId?: string;
  url?: string;
  disclosure?: string;
}

export function contentLink(opts: ContentOpts = {}): RawEvent {
  return envelope("ContentLinkSubmitted", "cl", opts, CONTENT_AT, {
    campaignId: opts.campaignId ?? "C1",
    creatorId: opts.creatorId ?? "K1",
    url: opts.url ?? "https://video.example.com/k1/post-1",
    disclosure: opts.disclosure ?? "#ad",
  });
}

export interface ClickOpts extends Envelope {
  trackingId?: string;
  asin?: string;
}

export function click(opts: ClickOpts = {}): RawEvent {
  return envelope("ClickRecorded", "clk", opts, "2026-03-09T17:00:00Z", compact({ trackingId: opts.trackingId ?? "T1", asin: opts.asin }));
}

export interface Line {
  asin: string;
  category: string;
  quantity: number;
  unitPrice: string;
}

export function line(asin: string, category: string, quantity: number, unitPrice: string): Line {
  return { asin, category, quantity, unitPrice };
}

export interface ShipmentOpts extends Envelope {
  shipmentId?: string;
  orderId?: string;
  trackingId?: string;
  orderedAt?: string;
  lines?: Line[];
}

function shipmentData(opts: ShipmentOpts, n: string): Record<string, unknown> {
  return {
    shipmentId: opts.shipmentId ?? `S-${n}`,
    orderId: opts.orderId ?? `O-${n}`,
    trackingId: opts.trackingId ?? "T1",
    orderedAt: opts.orderedAt ?? ORDERED_AT,
    lines: opts.lines ?? [line("A1", "toys", 1, "10.00")],
  };
}

export function shipped(opts: ShipmentOpts = {}): RawEvent {
  const id = opts.id ?? nextId("shp");
  return envelope("ShipmentRecorded", "shp", { ...opts, id }, SHIPPED_AT, shipmentData(opts, id));
}

export function snsFirst(opts: ShipmentOpts & { subscriptionId?: string } = {}): RawEvent {
  const id = opts.id ?? nextId("sns");
  return envelope("SubscribeAndSaveFirstShipment", "sns", { ...opts, id }, SHIPPED_AT, {
    ...shipmentData(opts, id),
    subscriptionId: opts.subscriptionId ?? "SUB1",
  });
}

export interface ReturnOpts extends Envelope {
  shipmentId: string;
  lines?: { asin: string; quantity: number }[];
}

export function returned(opts: ReturnOpts): RawEvent {
  return envelope("ShipmentReturned", "ret", opts, RETURNED_AT, {
    shipmentId: opts.shipmentId,
    lines: opts.lines ?? [{ asin: "A1", quantity: 1 }],
  });
}

export interface StrikeOpts extends Envelope {
  creatorId?: string;
  reason?: string;
  campaignId?: string;
}

export function strike(opts: StrikeOpts = {}): RawEvent {
  return envelope(
    "StrikeIssued",
    "stk",
    opts,
    "2026-02-01T00:00:00Z",
    compact({ creatorId: opts.creatorId ?? "K1", reason: opts.reason ?? "other", campaignId: opts.campaignId }),
  );
}

export function campaignEnded(opts: Envelope & { campaignId?: string } = {}): RawEvent {
  const campaignId = opts.campaignId ?? "C1";
  return envelope("CampaignEnded", "ce", { ...opts, id: opts.id ?? `campaign-ended:${campaignId}` }, ENDS_AT, { campaignId });
}

export function taxInfo(opts: Envelope & { creatorId?: string; marketplace?: string } = {}): RawEvent {
  return envelope("TaxInfoSubmitted", "tax", opts, "2026-01-15T12:00:00Z", {
    creatorId: opts.creatorId ?? "K1",
    marketplace: opts.marketplace ?? "US",
  });
}

export function paymentMethod(opts: Envelope & { creatorId?: string; marketplace?: string; method?: string } = {}): RawEvent {
  return envelope("PaymentMethodChanged", "pm", opts, "2026-01-15T12:00:00Z", {
    creatorId: opts.creatorId ?? "K1",
    marketplace: opts.marketplace ?? "US",
    method: opts.method ?? "direct_deposit",
  });
}

export function payoutIssued(
  opts: Envelope & { payoutId?: string; creatorId?: string; marketplace?: string; amount?: string } = {},
): RawEvent {
  const creatorId = opts.creatorId ?? "K1";
  const marketplace = opts.marketplace ?? "US";
  return envelope("PayoutIssued", "po", opts, "2026-05-31T12:00:00Z", {
    payoutId: opts.payoutId ?? `payout:${creatorId}:${marketplace}:2026-05-31`,
    creatorId,
    marketplace,
    amount: opts.amount ?? "12.30",
  });
}

export interface AdjustmentOpts extends Envelope {
  creatorId?: string;
  marketplace?: string;
  /** Signed decimal string, nonzero (SPEC §8.4). */
  amount?: string;
  reasonCode?: string;
  note?: string;
  actor?: string;
  campaignId?: string;
}

/** SPEC §8.4 CommissionAdjusted; default: +5.00 goodwill for K1 in US, no campaign, 2026-03-15. */
export function commissionAdjusted(opts: AdjustmentOpts = {}): RawEvent {
  return envelope(
    "CommissionAdjusted",
    "adj",
    opts,
    "2026-03-15T12:00:00Z",
    compact({
      creatorId: opts.creatorId ?? "K1",
      marketplace: opts.marketplace ?? "US",
      amount: opts.amount ?? "5.00",
      reasonCode: opts.reasonCode ?? "goodwill",
      note: opts.note ?? "late content approved by hand",
      actor: opts.actor ?? "finance:ana",
      campaignId: opts.campaignId,
    }),
  );
}

/** SPEC §8.4 PayoutFailed; the default payoutId is payoutIssued()'s default. */
export function payoutFailed(opts: Envelope & { payoutId?: string; reason?: string } = {}): RawEvent {
  return envelope("PayoutFailed", "pf", opts, "2026-06-03T12:00:00Z", {
    payoutId: opts.payoutId ?? "payout:K1:US:2026-05-31",
    reason: opts.reason ?? "returned",
  });
}

// --- SPEC §12: holds, own thresholds, write-offs -----------------------------------------------

/** PayoutsHeld; default: K1 in every marketplace (no marketplace), fraud_review, 2026-05-01. */
export function payoutsHeld(
  opts: Envelope & { creatorId?: string; marketplace?: string; reasonCode?: string; note?: string; actor?: string } = {},
): RawEvent {
  return envelope(
    "PayoutsHeld",
    "hold",
    opts,
    "2026-05-01T12:00:00Z",
    compact({
      creatorId: opts.creatorId ?? "K1",
      marketplace: opts.marketplace,
      reasonCode: opts.reasonCode ?? "fraud_review",
      note: opts.note ?? "clicks from one address",
      actor: opts.actor ?? "risk:lee",
    }),
  );
}

/** PayoutsReleased; default: K1's every-marketplace hold, 2026-06-01. */
export function payoutsReleased(
  opts: Envelope & { creatorId?: string; marketplace?: string; note?: string; actor?: string } = {},
): RawEvent {
  return envelope(
    "PayoutsReleased",
    "release",
    opts,
    "2026-06-01T12:00:00Z",
    compact({
      creatorId: opts.creatorId ?? "K1",
      marketplace: opts.marketplace,
      note: opts.note ?? "review closed",
      actor: opts.actor ?? "risk:lee",
    }),
  );
}

/** PayoutThresholdSet; default: K1 in US at 50.00 (`amount: null` removes it). */
export function payoutThresholdSet(opts: Envelope & { creatorId?: string; marketplace?: string; amount?: string | null } = {}): RawEvent {
  return envelope("PayoutThresholdSet", "thr", opts, "2026-04-01T12:00:00Z", {
    creatorId: opts.creatorId ?? "K1",
    marketplace: opts.marketplace ?? "US",
    amount: opts.amount === undefined ? "50.00" : opts.amount,
  });
}

/** BalanceWrittenOff; default: 2.00 of K1's debt in US, uncollectible, 2026-07-01. */
export function balanceWrittenOff(
  opts: Envelope & { creatorId?: string; marketplace?: string; amount?: string; reasonCode?: string; note?: string; actor?: string } = {},
): RawEvent {
  return envelope("BalanceWrittenOff", "wo", opts, "2026-07-01T12:00:00Z", {
    creatorId: opts.creatorId ?? "K1",
    marketplace: opts.marketplace ?? "US",
    amount: opts.amount ?? "2.00",
    reasonCode: opts.reasonCode ?? "uncollectible",
    note: opts.note ?? "creator left the program",
    actor: opts.actor ?? "finance:ana",
  });
}

/** SPEC §13 PeriodClosed; default: US 2026-03, closed on 2026-04-05. */
export function periodClosed(opts: Envelope & { marketplace?: string; month?: string; actor?: string; note?: string } = {}): RawEvent {
  return envelope(
    "PeriodClosed",
    "close",
    opts,
    "2026-04-05T12:00:00Z",
    compact({ marketplace: opts.marketplace ?? "US", month: opts.month ?? "2026-03", actor: opts.actor ?? "finance:ana", note: opts.note }),
  );
}

/** SPEC §14: schedules rule version `ruleVersion` (default 2) from `effectiveFrom` on. */
export function ruleVersionScheduled(
  opts: Envelope & { ruleVersion?: number; effectiveFrom?: string; actor?: string; note?: string } = {},
): RawEvent {
  return envelope(
    "RuleVersionScheduled",
    "rvs",
    opts,
    "2026-02-01T00:00:00Z",
    compact({
      ruleVersion: opts.ruleVersion ?? 2,
      effectiveFrom: opts.effectiveFrom ?? "2026-03-10T00:00:00Z",
      actor: opts.actor ?? "finance:ana",
      note: opts.note ?? "toys at 4 %",
    }),
  );
}

/** Default business time of the §9 management facts: inside the default period, before ORDERED_AT. */
export const MANAGED_AT = "2026-03-08T12:00:00Z";

/** SPEC §9 CampaignBudgetChanged: `budget` is the new total. */
export function campaignBudgetChanged(opts: Envelope & { campaignId?: string; budget: string }): RawEvent {
  return envelope("CampaignBudgetChanged", "cbc", opts, MANAGED_AT, { campaignId: opts.campaignId ?? "C1", budget: opts.budget });
}

/** SPEC §11: the CloudEvent (structured mode) that carries `raw`: id, type (with a prefix), time, data, and schemaversion when set. */
export function cloudEventOf(raw: RawEvent, typePrefix = ""): Record<string, unknown> {
  return {
    specversion: "1.0",
    id: raw.id,
    source: "urn:example:fulfilment",
    type: typePrefix + raw.type,
    time: raw.occurredAt,
    datacontenttype: "application/json",
    ...(raw.schemaVersion === undefined ? {} : { schemaversion: raw.schemaVersion }),
    data: raw.data,
  };
}

/** SPEC §11: what POST /v1/webhooks appends (the ledger's own type: never ingested). */
export function webhookRegistered(opts: Envelope & { webhookId?: string; url?: string; events?: string[] } = {}): RawEvent {
  const webhookId = opts.webhookId ?? "wh_1";
  return envelope("WebhookRegistered", "whr", { id: `webhook-registered:${webhookId}`, ...opts }, CREATED_AT, {
    webhookId,
    url: opts.url ?? "https://hooks.example.com/ledger",
    events: opts.events ?? ["posting.created"],
  });
}

export function webhookDeleted(opts: Envelope & { webhookId?: string } = {}): RawEvent {
  const webhookId = opts.webhookId ?? "wh_1";
  return envelope("WebhookDeleted", "whd", { id: `webhook-deleted:${webhookId}`, ...opts }, CREATED_AT, { webhookId });
}

export function campaignPaused(opts: Envelope & { campaignId?: string } = {}): RawEvent {
  return envelope("CampaignPaused", "cp", opts, MANAGED_AT, { campaignId: opts.campaignId ?? "C1" });
}

export function campaignResumed(opts: Envelope & { campaignId?: string } = {}): RawEvent {
  return envelope("CampaignResumed", "cr", opts, MANAGED_AT, { campaignId: opts.campaignId ?? "C1" });
}

/** SPEC §9 CampaignEndChanged: `endsAt` is the new end. */
export function campaignEndChanged(opts: Envelope & { campaignId?: string; endsAt: string }): RawEvent {
  return envelope("CampaignEndChanged", "cec", opts, MANAGED_AT, { campaignId: opts.campaignId ?? "C1", endsAt: opts.endsAt });
}

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

export interface RunResult {
  outcomes: Outcome[];
  state: EngineState;
  postings: Posting[];
  anomalies: Anomaly[];
  facts: Fact[];
}

/** Validates the raw events (all must be valid; the ledger's own types too), gives them positions 1..n, upcasts and folds them. */
export function run(raws: readonly RawEvent[], rules: RuleVersion = RULES_V1): RunResult {
  const validation = validateBatch(raws, { internal: true });
  if (!validation.ok) {
    expect.fail(`fixture events are invalid: ${JSON.stringify(validation.problems, null, 2)}`);
  }
  const state = emptyState();
  const outcomes = validation.events.map((event, i) => applyEvent(state, rules, toCurrentEvent({ ...event, position: i + 1 })));
  return {
    outcomes,
    state,
    postings: outcomes.flatMap((o) => o.postings),
    anomalies: outcomes.flatMap((o) => o.anomalies),
    facts: outcomes.flatMap((o) => o.facts),
  };
}

export interface WhenResult extends RunResult {
  /** Everything, including the `given` history. */
  all: RunResult;
  /** Posting tuples of the `when` events must equal `expected`, in journal order. */
  then(expected: PostingTuple[]): WhenResult;
  /** Transfer tuples (kind, source, destination, signed amount) of the `when` events, in journal order. */
  thenTransfers(expected: TransferTuple[]): WhenResult;
  /** Anomaly codes of the `when` events must equal `codes`, in order. */
  thenAnomalies(codes: AnomalyCode[]): WhenResult;
}

/** Emmett-style: given(history).when(event…).then([...tuples]). The `when` part is what is asserted. */
export function given(history: readonly RawEvent[], rules: RuleVersion = RULES_V1) {
  return {
    when(...events: RawEvent[]): WhenResult {
      const all = run([...history, ...events], rules);
      const outcomes = all.outcomes.slice(history.length);
      const result: WhenResult = {
        all,
        outcomes,
        state: all.state,
        postings: outcomes.flatMap((o) => o.postings),
        anomalies: outcomes.flatMap((o) => o.anomalies),
        facts: outcomes.flatMap((o) => o.facts),
        then(expected) {
          expect(tuples(result.postings)).toEqual(expected);
          return result;
        },
        thenTransfers(expected) {
          expect(transfers(result.postings)).toEqual(expected);
          return result;
        },
        thenAnomalies(codes) {
          expect(result.anomalies.map((a) => a.code)).toEqual(codes);
          return result;
        },
      };
      return result;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Summaries
// ---------------------------------------------------------------------------------------------

/** [kind, creatorId, campaignId, amountMinor]; creatorId null on a campaign's own entries (budget), campaignId null on payouts. */
export type PostingTuple = [EntryKind, string | null, string | null, number];

export function tuples(postings: readonly Posting[]): PostingTuple[] {
  // `+ 0` turns a -0 into 0 so a zero reversal compares equal to 0.
  return postings.map((p) => [p.kind, p.creatorId, p.campaignId, p.amountMinor + 0]);
}

/**
 * [kind, source, destination, amountMinor]: the journal's view of a posting (SPEC §8.1); source and
 * destination are null on a memo entry and on an amount of 0. The amount keeps its ledger sign.
 */
export type TransferTuple = [EntryKind, string | null, string | null, number];

export function transfers(postings: readonly Posting[]): TransferTuple[] {
  return postings.map((p) => [p.kind, p.source, p.destination, p.amountMinor + 0]);
}

/**
 * Account balances (SPEC §8.1: received minus sent) of the accounts these postings moved. Sums the
 * transfers as the engine named them; it derives no amount of its own.
 */
export function balancesOf(postings: readonly Posting[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of postings) {
    if (p.source === null || p.destination === null) continue;
    const amount = Math.abs(p.amountMinor);
    out[p.source] = (out[p.source] ?? 0) - amount;
    out[p.destination] = (out[p.destination] ?? 0) + amount;
  }
  return out;
}

/** The facts of one kind, in order. */
export function factsOf<K extends Fact["kind"]>(facts: readonly Fact[], kind: K): Extract<Fact, { kind: K }>[] {
  return facts.filter((f): f is Extract<Fact, { kind: K }> => f.kind === kind);
}

/** The `when` event is an anomaly with this code, and adds nothing else (SPEC §3: no posting, no fact). */
export function onlyAnomaly(r: WhenResult, code: AnomalyCode, creatorId: string | null, campaignId: string | null): void {
  expect(r.postings).toEqual([]);
  expect(r.facts).toEqual([]);
  const last = r.outcomes[r.outcomes.length - 1]!;
  expect(r.anomalies).toEqual([
    {
      position: last.position,
      eventId: last.eventId,
      eventType: last.eventType,
      code,
      message: expect.stringMatching(/\S/),
      creatorId,
      campaignId,
    },
  ]);
}

/** [kind, amountMinor, earningMonth, reportDate]: for month and report-day assertions. */
export type DatedTuple = [EntryKind, number, string | null, string | null];

export function dated(postings: readonly Posting[]): DatedTuple[] {
  return postings.map((p) => [p.kind, p.amountMinor + 0, p.earningMonth, p.reportDate]);
}

export interface Buckets {
  standard: number;
  bonusPending: number;
  bonusConfirmed: number;
  bonusForfeited: number;
  reversed: number;
  adjusted: number;
  /** standard + bonusPending + bonusConfirmed + reversed + adjusted (SPEC §5, §8.4). */
  total: number;
}

function zeroBuckets(): Buckets {
  return { standard: 0, bonusPending: 0, bonusConfirmed: 0, bonusForfeited: 0, reversed: 0, adjusted: 0, total: 0 };
}

/** SPEC §5 and §8.4 buckets moved by each posting kind, written out by hand (the engine's table is domain/journal/entryKinds.ts). */
function addTo(b: Buckets, p: Posting): void {
  const a = p.amountMinor;
  switch (p.kind) {
    case "standard":
      b.standard += a;
      break;
    case "standard_reversal":
    case "bonus_reversal":
      b.reversed += a;
      break;
    case "bonus_pending":
    case "bonus_pending_return":
      b.bonusPending += a;
      break;
    case "bonus_confirm":
      b.bonusPending -= a;
      b.bonusConfirmed += a;
      break;
    case "bonus_forfeit":
      b.bonusPending -= a;
      b.bonusForfeited += a;
      break;
    case "bonus_confirmed":
      b.bonusConfirmed += a;
      break;
    case "bonus_forfeited":
      b.bonusForfeited += a;
      break;
    case "adjustment":
    case "writeoff": // SPEC §12: a write-off counts as adjusted
      b.adjusted += a;
      break;
    case "budget_funding": // the campaign's budget, not the creator's earnings
    case "budget_return":
    case "payout": // paid out of earnings, not a change of them
    case "payout_failed":
      break;
  }
}

function normalize(b: Buckets): Buckets {
  const out = { ...b, total: b.standard + b.bonusPending + b.bonusConfirmed + b.reversed + b.adjusted };
  for (const k of Object.keys(out) as (keyof Buckets)[]) out[k] += 0; // -0 → 0
  return out;
}

/** Per creator: the SPEC §5 buckets, in minor units. */
export function bucketsByCreator(postings: readonly Posting[]): Record<string, Buckets> {
  const out: Record<string, Buckets> = {};
  for (const p of postings) if (p.creatorId !== null) addTo((out[p.creatorId] ??= zeroBuckets()), p);
  for (const k of Object.keys(out)) out[k] = normalize(out[k]!);
  return out;
}

/** The buckets of one creator (all zero when the creator has no postings). */
export function bucketsOf(postings: readonly Posting[], creatorId: string): Buckets {
  return bucketsByCreator(postings)[creatorId] ?? zeroBuckets();
}

/** Shorthand for an expected bucket set; unspecified buckets are 0 and total is derived. */
export function buckets(b: Partial<Omit<Buckets, "total">>): Buckets {
  return normalize({ ...zeroBuckets(), ...b });
}

/** Budget spent (minor units) of a campaign in the engine state (rule 4). */
export function spentOf(state: EngineState, campaignId: string): number {
  const campaign = state.campaigns.get(campaignId);
  if (!campaign) throw new Error(`no campaign ${campaignId} in the engine state`);
  return campaign.spentMinor;
}
