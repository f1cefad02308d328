// A deterministic, seeded workload of SPEC-valid raw events (SPEC §2-3 wire format), in business-time
// order, for the benchmark (issue 6), the load and crash tests, and the generated part of the demo
// data set of `npm start` (demoDataset.ts).
//
// It streams: `generateWorkload` is a generator whose memory is bounded by the number of campaigns,
// creators and acceptances plus small rings of recent shipments and subscriptions, never by the
// number of events, so a million events can be fed to the store batch by batch.
//
// Shape of the stream (defaults; ISSUE 6): ~70 % clicks, ~25 % shipments (1-3 lines; a few of them
// Subscribe & Save first shipments), the rest acceptances, content links, tax info, payment
// methods, returns, strikes, campaign creations and ends, and a few deliberate anomalies (event ids
// starting with `anomaly-`). Causality holds: a campaign is created before anyone accepts it, an
// acceptance comes before any click or shipment with its tracking id, a content link comes before
// its campaign's end, a return after its shipment. `CampaignEnded` carries id
// `campaign-ended:{campaignId}` and occurredAt = endsAt, and is placed one day (the default grace)
// after endsAt, where the scheduler would append it.
//
// No Math.random: everything comes from mulberry32 seeded by `seed`, so the same options always
// give the same events (the benchmark's figures are comparable across commits).
import type { ClickRecordedData, ShipmentLine, ShipmentRecordedData, StrikeIssuedData } from "../domain/events/schemas.ts";
import { DEFAULT_MARKETPLACES, type MarketplaceCode, type PaymentMethod } from "../domain/marketplaces.ts";
import { formatMinor } from "../domain/money.ts";
import type { RawWireEvent } from "./wireEvent.ts";

/** Shares of the whole stream; "other" is the rest. */
export interface WorkloadMix {
  clicks: number;
  shipments: number;
}

/** Relative weights of the "other" events. */
export interface OtherWeights {
  acceptance: number;
  content: number;
  taxInfo: number;
  paymentMethod: number;
  return: number;
  strike: number;
  anomaly: number;
}

export interface WorkloadProfile {
  mix: WorkloadMix;
  other: OtherWeights;
  /** Share of shipments that are Subscribe & Save first shipments. */
  subscribeAndSaveShare: number;
  /** Share of S&S first shipments that repeat an earlier subscriptionId (rule 6 anomaly). */
  subscribeAndSaveRepeatShare: number;
  /** Share of content links whose disclosure fails the rule 5 test. */
  disclosureFailShare: number;
  /** Share of campaigns whose budget is far below the expected bonus (they exhaust). */
  smallBudgetShare: number;
  /** Share of creators who collect three strikes in the period (removal, rule 7); at least one. */
  repeatOffenderShare: number;
}

export const BENCH_PROFILE: WorkloadProfile = {
  mix: { clicks: 0.7, shipments: 0.25 },
  other: { acceptance: 28, content: 22, taxInfo: 14, paymentMethod: 12, return: 20, strike: 2, anomaly: 3 },
  subscribeAndSaveShare: 0.03,
  subscribeAndSaveRepeatShare: 0.05,
  disclosureFailShare: 0.12,
  smallBudgetShare: 0.2,
  repeatOffenderShare: 0.003,
};

export interface WorkloadOptions {
  seed: number;
  events: number;
  /** Default: events / 100, between 10 and 10,000 (10,000 at one million events). */
  creators?: number;
  /** Default: events / 2,000, between 3 and 500 (500 at one million events). */
  campaigns?: number;
  /** First instant of business time; default 2025-07-01T00:00:00Z. */
  startAt?: string;
  /** Business time the stream covers; default 365 days. */
  spanDays?: number;
  profile?: WorkloadProfile;
}

export const EVENTS_MAX = 100_000_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CAMPAIGN_END_GRACE_MS = DAY_MS; // SPEC §7 default LEDGER_CAMPAIGN_END_GRACE = P1D
const TRAFFIC_TAIL_MS = 10 * DAY_MS; // clicks and late shipments after a campaign's end
const CATALOGUE_ASINS = 20_000;
const SHIPMENT_RING = 8_192; // recent shipments that can still be returned
const SUBSCRIPTION_RING = 1_024;

export interface WorkloadShape {
  events: number;
  creators: number;
  campaigns: number;
  startMs: number;
  endMs: number;
}

export function workloadShape(options: WorkloadOptions): WorkloadShape {
  const events = options.events;
  if (!Number.isInteger(events) || events < 0 || events > EVENTS_MAX)
    throw new RangeError(`workload: events must be an integer 0..${EVENTS_MAX}, got ${events}`);
  const creators = options.creators ?? clamp(Math.round(events / 100), 10, 10_000);
  const campaigns = options.campaigns ?? clamp(Math.round(events / 2_000), 3, 500);
  if (!Number.isInteger(creators) || creators < 1) throw new RangeError(`workload: creators must be an integer ≥ 1, got ${creators}`);
  if (!Number.isInteger(campaigns) || campaigns < 1) throw new RangeError(`workload: campaigns must be an integer ≥ 1, got ${campaigns}`);
  const startMs = Date.parse(options.startAt ?? "2025-07-01T00:00:00Z");
  if (Number.isNaN(startMs)) throw new RangeError(`workload: startAt is not an instant: ${options.startAt}`);
  const spanDays = options.spanDays ?? 365;
  if (!(spanDays >= 1 && spanDays <= 3650)) throw new RangeError(`workload: spanDays must be in 1..3650, got ${spanDays}`);
  return { events, creators, campaigns, startMs, endMs: startMs + spanDays * DAY_MS };
}

export function creatorIdOf(index: number): string {
  return `cr-${String(index).padStart(5, "0")}`;
}

export function campaignIdOf(index: number): string {
  return `cmp-${String(index).padStart(4, "0")}`;
}

/**
 * Index of a creator drawn with the workload's activity skew (low indices are the busy ones), so
 * a caller that picks creators with it (e.g. the benchmark's queries) mostly meets active ones.
 */
export function skewedCreatorIndex(u: number, creators: number): number {
  return Math.min(creators - 1, Math.floor(creators * u * u));
}

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every event of the workload, lazily, in business-time order. */
export function* generateWorkload(options: WorkloadOptions): Generator<RawWireEvent, void, undefined> {
  const generator = new WorkloadGenerator(options);
  while (generator.emitted < generator.total) yield generator.next();
}

// ---------------------------------------------------------------------------------------------

interface Market {
  code: MarketplaceCode;
  digits: number;
  /** Fixed offset used to write this marketplace's instants (any offset names the same instant). */
  offsetMin: number;
  offset: string;
  /** Local currency units per USD, for prices and budgets. */
  fx: number;
  weight: number;
  check: boolean;
}

const MARKETS: readonly Market[] = [
  { code: "US", offsetMin: -480, offset: "-08:00", fx: 1, weight: 40, check: true },
  { code: "CA", offsetMin: -300, offset: "-05:00", fx: 1.36, weight: 10, check: true },
  { code: "UK", offsetMin: 0, offset: "+00:00", fx: 0.79, weight: 15, check: false },
  { code: "DE", offsetMin: 60, offset: "+01:00", fx: 0.92, weight: 15, check: false },
  { code: "IN", offsetMin: 330, offset: "+05:30", fx: 83, weight: 10, check: false },
  { code: "JP", offsetMin: 540, offset: "+09:00", fx: 150, weight: 10, check: false },
].map((m) => ({ ...m, code: m.code as MarketplaceCode, digits: DEFAULT_MARKETPLACES[m.code as MarketplaceCode].minorDigits }));

/** Categories of the SPEC rate table plus two that earn the default rate; relative weights. */
const CATEGORIES: readonly (readonly [string, number])[] = [
  ["home", 12],
  ["kitchen", 10],
  ["apparel", 10],
  ["beauty", 8],
  ["electronics", 8],
  ["physical_books", 8],
  ["toys", 7],
  ["grocery", 7],
  ["health_personal_care", 6],
  ["sports_outdoors", 4],
  ["pet_supplies", 3],
  ["headphones", 3],
  ["video_games", 3],
  ["amazon_devices", 3],
  ["televisions", 2],
  ["luxury_beauty", 2],
  ["gift_cards", 2],
  ["digital_music", 1],
  ["amazon_games", 1],
];

const DISCLOSURES_OK = [
  "#ad",
  "#ad my favourite blender",
  "Sponsored by the brand",
  "Ad: thanks for sponsoring this video",
  "This video is sponsored. #Ad",
  "Advertisement - I earn from qualifying purchases",
  "#sponsored",
  "AD | paid partnership",
];
const DISCLOSURES_FAIL = [
  "",
  "Check out my favourite kitchen gadgets",
  "#adorable finds",
  "Links in bio",
  "loved it, bad weather though",
  "advert",
];
const STRIKE_REASONS = ["no_content", "missing_disclosure", "other"] as const;

interface Campaign {
  index: number;
  id: string;
  brandId: string;
  market: Market;
  bonusRate: string;
  budget: string;
  createdMs: number;
  startsAt: string;
  endsAt: string;
  endsMs: number;
  asins: number[];
  acceptances: number[];
  ended: boolean;
}

interface Acceptance {
  campaign: number;
  creator: number;
  trackingId: string;
  acceptedMs: number;
  content: boolean;
}

interface ShipmentMemo {
  shipmentId: string;
  occurredMs: number;
  asins: number[];
  quantities: number[];
  returned: number[];
}

type ScheduledItem =
  | { atMs: number; kind: "create"; campaign: number }
  | { atMs: number; kind: "end"; campaign: number }
  | { atMs: number; kind: "strike"; creator: number };
type Scheduled = ScheduledItem & { seq: number };

/** Min-heap on (atMs, seq): the scheduled events (campaign creations and ends, repeat strikes). */
class Schedule {
  private readonly items: Scheduled[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  peek(): Scheduled | undefined {
    return this.items[0];
  }

  push(item: ScheduledItem): void {
    const entry: Scheduled = { ...item, seq: this.seq++ };
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): Scheduled {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(x: Scheduled, y: Scheduled): boolean {
  return x.atMs < y.atMs || (x.atMs === y.atMs && x.seq < y.seq);
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

function b36(n: number): string {
  return n.toString(36);
}

function asinOf(index: number): string {
  return `B0${index.toString(36).toUpperCase().padStart(8, "0")}`;
}

/** An instant as an upstream system writes it: UTC with milliseconds, or local time with an offset. */
function utc(ms: number): string {
  return new Date(ms).toISOString();
}

function local(ms: number, market: Market): string {
  return `${new Date(Math.floor(ms / 1000) * 1000 + market.offsetMin * 60_000).toISOString().slice(0, 19)}${market.offset}`;
}

class WorkloadGenerator {
  readonly total: number;
  emitted = 0;

  private readonly rng: () => number;
  private readonly profile: WorkloadProfile;
  private readonly shape: WorkloadShape;
  private readonly campaigns: Campaign[] = [];
  private readonly acceptances: Acceptance[] = [];
  /** Campaigns that receive traffic now (created, not long past their end). */
  private readonly live: number[] = [];
  /** Campaign indices each creator accepted, for duplicate checks and per-creator facts. */
  private readonly creatorCampaigns = new Map<number, number[]>();
  private readonly schedule = new Schedule();
  private readonly shipments: ShipmentMemo[] = [];
  private readonly subscriptions: string[] = [];
  private readonly catalogueCategory: Uint8Array;
  private readonly catalogueUsdCents: Uint32Array;
  private readonly categoryCdf: number[];
  private readonly otherCdf: number[];
  private readonly otherKinds: (keyof OtherWeights)[];
  private readonly meanGapMs: number;
  private nowMs: number;
  private seq = 0;
  private shipmentSeq = 0;
  private trackingSeq = 0;
  private contentSeq = 0;
  private subscriptionSeq = 0;

  constructor(options: WorkloadOptions) {
    this.shape = workloadShape(options);
    this.total = this.shape.events;
    this.profile = options.profile ?? BENCH_PROFILE;
    const seed = options.seed >>> 0;
    this.rng = mulberry32(seed);
    this.nowMs = this.shape.startMs;

    // Catalogue: a category and a USD base price per ASIN (its own PRNG, so it is stable).
    const cat = mulberry32(seed ^ 0x9e3779b9);
    const categoryTotal = CATEGORIES.reduce((s, [, w]) => s + w, 0);
    let acc = 0;
    this.categoryCdf = CATEGORIES.map(([, w]) => (acc += w / categoryTotal));
    this.catalogueCategory = new Uint8Array(CATALOGUE_ASINS);
    this.catalogueUsdCents = new Uint32Array(CATALOGUE_ASINS);
    for (let i = 0; i < CATALOGUE_ASINS; i += 1) {
      this.catalogueCategory[i] = this.pickCdf(this.categoryCdf, cat());
      this.catalogueUsdCents[i] = Math.round(400 * Math.exp(cat() * Math.log(250 / 4))); // $4-$250 in cents, log-uniform
    }

    this.otherKinds = Object.keys(this.profile.other) as (keyof OtherWeights)[];
    const otherTotal = this.otherKinds.reduce((s, k) => s + this.profile.other[k], 0);
    acc = 0;
    this.otherCdf = this.otherKinds.map((k) => (acc += this.profile.other[k] / otherTotal));

    this.planCampaigns();
    this.planRepeatOffenders();
    const mainEvents = Math.max(1, this.total - this.schedule.size);
    this.meanGapMs = (this.shape.endMs - this.shape.startMs) / mainEvents;
  }

  // --- plan ------------------------------------------------------------------------------------

  private planCampaigns(): void {
    const { campaigns, events, startMs, endMs } = this.shape;
    const spanMs = endMs - startMs;
    const marketCdf = (() => {
      const total = MARKETS.reduce((s, m) => s + m.weight, 0);
      let acc = 0;
      return MARKETS.map((m) => (acc += m.weight / total));
    })();
    // Expected bonus of one campaign, to size budgets: shipments per campaign × lines × share of
    // lines on the campaign's ASINs × average line value (USD) × bonus rate.
    const shipmentsPerCampaign = (events * this.profile.mix.shipments) / campaigns;
    const frontLoaded = Math.max(1, Math.ceil(campaigns * 0.1));
    const brands = Math.max(1, Math.ceil(campaigns / 3));
    for (let i = 0; i < campaigns; i += 1) {
      const market = i < MARKETS.length ? MARKETS[i]! : MARKETS[this.pickCdf(marketCdf, this.rng())]!;
      // A tenth of the campaigns start right away so there is traffic from the first day; the rest
      // are created evenly over the first 72 % of the period, so almost all of them end inside it.
      const createdFrac =
        i < frontLoaded ? 0.02 * (i / frontLoaded) : 0.02 + 0.7 * ((i - frontLoaded + this.rng()) / Math.max(1, campaigns - frontLoaded));
      const createdMs = Math.floor(startMs + createdFrac * spanMs + this.rng() * HOUR_MS);
      // Starts at the local midnight one to three days later; runs 21-90 days.
      const dayStart = Math.floor((createdMs + market.offsetMin * 60_000) / DAY_MS) * DAY_MS - market.offsetMin * 60_000;
      const startsMs = dayStart + (1 + Math.floor(this.rng() * 3)) * DAY_MS;
      const endsMs = startsMs + (21 + Math.floor(this.rng() * 70)) * DAY_MS;
      const ratePct = 5 + Math.floor(this.rng() * 16);
      const bonusRate = `0.${String(ratePct).padStart(2, "0")}`;
      const expectedUsd = shipmentsPerCampaign * 1.52 * 0.45 * 80 * (ratePct / 100);
      const small = this.rng() < this.profile.smallBudgetShare;
      const budgetUsd = Math.max(20, expectedUsd * (small ? 0.04 + this.rng() * 0.12 : 0.6 + this.rng() * 1.4));
      const budgetMajor = budgetUsd * market.fx;
      const budgetMinor = market.digits === 0 ? Math.round(budgetMajor / 100) * 100 : Math.round(budgetMajor) * 10 ** market.digits;
      const asinCount = 3 + Math.floor(this.rng() * 18);
      const asins: number[] = [];
      while (asins.length < asinCount) {
        const a = Math.floor(this.rng() * CATALOGUE_ASINS);
        if (!asins.includes(a)) asins.push(a);
      }
      this.campaigns.push({
        index: i,
        id: campaignIdOf(i),
        brandId: `brand-${String(i % brands).padStart(3, "0")}`,
        market,
        bonusRate,
        budget: formatMinor(Math.max(budgetMinor, 10 ** market.digits), market.digits),
        createdMs,
        startsAt: local(startsMs, market),
        endsAt: local(endsMs, market),
        endsMs,
        asins,
        acceptances: [],
        ended: false,
      });
      this.schedule.push({ atMs: createdMs, kind: "create", campaign: i });
      this.schedule.push({ atMs: endsMs + CAMPAIGN_END_GRACE_MS, kind: "end", campaign: i });
    }
  }

  /** Repeat offenders: three strikes inside 365 days each, so they are removed (rule 7). */
  private planRepeatOffenders(): void {
    const { creators, startMs, endMs } = this.shape;
    const spanMs = Math.min(endMs - startMs, 360 * DAY_MS);
    const count = Math.max(1, Math.round(creators * this.profile.repeatOffenderShare));
    for (let j = 0; j < count; j += 1) {
      const creator = skewedCreatorIndex((j + 0.5) / count, creators);
      for (const frac of [0.2, 0.4, 0.6]) {
        this.schedule.push({ atMs: Math.floor(startMs + (frac + this.rng() * 0.15) * spanMs), kind: "strike", creator });
      }
    }
  }

  // --- stream ----------------------------------------------------------------------------------

  next(): RawWireEvent {
    this.emitted += 1;
    const gap = -Math.log(1 - this.rng()) * this.meanGapMs;
    const top = this.schedule.peek();
    if (top && top.atMs <= this.nowMs + gap) {
      this.schedule.pop();
      this.nowMs = Math.max(this.nowMs, top.atMs);
      const event = this.scheduled(top);
      if (event) return event;
    } else {
      this.nowMs += Math.max(1, Math.round(gap));
    }
    return this.main();
  }

  private scheduled(item: Scheduled): RawWireEvent | null {
    switch (item.kind) {
      case "create": // null when it was created early (see campaignCreatedEarly)
        return this.live.includes(item.campaign) ? null : this.campaignCreated(this.campaigns[item.campaign]!);
      case "end":
        return this.campaignEnded(this.campaigns[item.campaign]!);
      case "strike":
        return this.strike(item.creator, "strike");
    }
  }

  private main(): RawWireEvent {
    const u = this.rng();
    const { clicks, shipments } = this.profile.mix;
    if (u < clicks) return this.click();
    if (u < clicks + shipments) return this.shipment();
    const kind = this.otherKinds[this.pickCdf(this.otherCdf, this.rng())]!;
    switch (kind) {
      case "acceptance":
        return this.acceptance(this.liveCampaign());
      case "content":
        return this.content();
      case "taxInfo":
        return this.taxInfo();
      case "paymentMethod":
        return this.paymentMethod(false);
      case "return":
        return this.shipmentReturned();
      case "strike":
        return this.randomStrike();
      case "anomaly":
        return this.anomaly();
    }
  }

  private id(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${b36(this.seq)}`;
  }

  private pickCdf(cdf: readonly number[], u: number): number {
    for (let i = 0; i < cdf.length; i += 1) if (u < cdf[i]!) return i;
    return cdf.length - 1;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng() * items.length)]!;
  }

  /** A campaign with traffic now; campaigns long past their end leave the list (one always stays). */
  private liveCampaign(): Campaign {
    while (this.live.length > 1) {
      const at = Math.floor(this.rng() * this.live.length);
      const campaign = this.campaigns[this.live[at]!]!;
      if (this.nowMs <= campaign.endsMs + TRAFFIC_TAIL_MS) return campaign;
      this.live[at] = this.live[this.live.length - 1]!;
      this.live.pop();
    }
    if (this.live.length === 1) return this.campaigns[this.live[0]!]!;
    // Nothing created yet (only with a tiny stream): create the next campaign early.
    return this.campaigns[0]!;
  }

  /** An acceptance of a live campaign, or null when the campaign has none yet. */
  private trafficAcceptance(campaign: Campaign): Acceptance | null {
    if (campaign.acceptances.length === 0) return null;
    return this.acceptances[this.pick(campaign.acceptances)]!;
  }

  private campaignCreated(c: Campaign): RawWireEvent {
    this.live.push(c.index);
    return {
      id: this.id("cc"),
      type: "CampaignCreated",
      occurredAt: local(c.createdMs, c.market),
      data: {
        campaignId: c.id,
        brandId: c.brandId,
        marketplace: c.market.code,
        bonusRate: c.bonusRate,
        budget: c.budget,
        startsAt: c.startsAt,
        endsAt: c.endsAt,
        asins: c.asins.map(asinOf),
      },
    };
  }

  private campaignEnded(c: Campaign): RawWireEvent {
    c.ended = true;
    return { id: `campaign-ended:${c.id}`, type: "CampaignEnded", occurredAt: c.endsAt, data: { campaignId: c.id } };
  }

  private acceptance(campaignWanted: Campaign): RawWireEvent {
    if (!this.live.includes(campaignWanted.index)) return this.campaignCreatedEarly(campaignWanted);
    // Creators accept running campaigns: past its end, try a few other live ones.
    let campaign = campaignWanted;
    for (let i = 0; i < 3 && this.nowMs >= campaign.endsMs; i += 1) campaign = this.liveCampaign();
    // Busy creators accept more campaigns (quadratic skew); retry a few times to avoid a repeat.
    let creator = skewedCreatorIndex(this.rng(), this.shape.creators);
    for (let i = 0; i < 5 && this.hasAccepted(creator, campaign.index); i += 1)
      creator = skewedCreatorIndex(this.rng(), this.shape.creators);
    if (this.hasAccepted(creator, campaign.index)) creator = Math.floor(this.rng() * this.shape.creators);
    if (this.hasAccepted(creator, campaign.index)) return this.click();
    return this.recordAcceptance(campaign, creator, this.id("acc"));
  }

  private campaignCreatedEarly(campaign: Campaign): RawWireEvent {
    // Only reachable before the first scheduled creation (a stream shorter than one gap).
    campaign.createdMs = Math.min(campaign.createdMs, this.nowMs);
    const event = this.campaignCreated(campaign);
    event.occurredAt = local(this.nowMs, campaign.market);
    return event;
  }

  private recordAcceptance(campaign: Campaign, creator: number, id: string): RawWireEvent {
    this.trackingSeq += 1;
    const trackingId = `trk-${b36(this.trackingSeq).padStart(5, "0")}-20`;
    this.acceptances.push({ campaign: campaign.index, creator, trackingId, acceptedMs: this.nowMs, content: false });
    campaign.acceptances.push(this.acceptances.length - 1);
    const list = this.creatorCampaigns.get(creator);
    if (list) list.push(campaign.index);
    else this.creatorCampaigns.set(creator, [campaign.index]);
    return {
      id,
      type: "CampaignAccepted",
      occurredAt: local(this.nowMs, campaign.market),
      data: { campaignId: campaign.id, creatorId: creatorIdOf(creator), trackingId },
    };
  }

  private hasAccepted(creator: number, campaign: number): boolean {
    return this.creatorCampaigns.get(creator)?.includes(campaign) ?? false;
  }

  private click(): RawWireEvent {
    const campaign = this.liveCampaign();
    const acc = this.trafficAcceptance(campaign);
    if (!acc) return this.acceptance(campaign);
    const data: ClickRecordedData = { trackingId: acc.trackingId };
    const u = this.rng();
    if (u < 0.35) data.asin = asinOf(this.pick(campaign.asins));
    else if (u < 0.6) data.asin = asinOf(Math.floor(this.rng() * CATALOGUE_ASINS));
    return { id: this.id("clk"), type: "ClickRecorded", occurredAt: utc(this.nowMs), data };
  }

  /** `remember`: whether later returns may name it (not for deliberate anomalies). */
  private shipment(remember = true): RawWireEvent {
    const campaign = this.liveCampaign();
    const acc = this.trafficAcceptance(campaign);
    if (!acc) return this.acceptance(campaign);
    const sns = this.rng() < this.profile.subscribeAndSaveShare;
    const market = campaign.market;
    // Ordered between 20 minutes and 3 days before it ships, never before the acceptance.
    const orderedMs = Math.min(
      this.nowMs,
      Math.max(acc.acceptedMs + 60_000, this.nowMs - Math.floor(20 * 60_000 + this.rng() * 3 * DAY_MS)),
    );
    const u = this.rng();
    const lineCount = sns ? 1 : u < 0.6 ? 1 : u < 0.88 ? 2 : 3;
    const asins: number[] = [];
    const quantities: number[] = [];
    const lines: ShipmentLine[] = [];
    while (lines.length < lineCount) {
      const asin = this.rng() < 0.45 ? this.pick(campaign.asins) : Math.floor(this.rng() * CATALOGUE_ASINS);
      if (asins.includes(asin)) continue;
      const q = this.rng();
      const quantity = q < 0.72 ? 1 : q < 0.9 ? 2 : q < 0.96 ? 3 : 4 + Math.floor(this.rng() * 3);
      asins.push(asin);
      quantities.push(quantity);
      lines.push({
        asin: asinOf(asin),
        category: CATEGORIES[this.catalogueCategory[asin]!]![0],
        quantity,
        unitPrice: this.price(asin, market),
      });
    }
    this.shipmentSeq += 1;
    const shipmentId = `shp-${b36(this.shipmentSeq).padStart(6, "0")}`;
    const memo: ShipmentMemo = { shipmentId, occurredMs: this.nowMs, asins, quantities, returned: quantities.map(() => 0) };
    if (remember && this.shipments.length < SHIPMENT_RING) this.shipments.push(memo);
    else if (remember) this.shipments[this.shipmentSeq % SHIPMENT_RING] = memo;
    const data: ShipmentRecordedData = {
      shipmentId,
      orderId: `ord-${b36(this.shipmentSeq * 7 + 3).padStart(7, "0")}`,
      trackingId: acc.trackingId,
      orderedAt: local(orderedMs, market),
      lines,
    };
    if (!sns) return { id: this.id("shp"), type: "ShipmentRecorded", occurredAt: local(this.nowMs, market), data };
    let subscriptionId: string;
    if (this.subscriptions.length > 0 && this.rng() < this.profile.subscribeAndSaveRepeatShare) {
      subscriptionId = this.pick(this.subscriptions); // a second "first" shipment: rule 6 anomaly
    } else {
      this.subscriptionSeq += 1;
      subscriptionId = `sub-${b36(this.subscriptionSeq).padStart(5, "0")}`;
      if (this.subscriptions.length < SUBSCRIPTION_RING) this.subscriptions.push(subscriptionId);
      else this.subscriptions[this.subscriptionSeq % SUBSCRIPTION_RING] = subscriptionId;
    }
    return {
      id: this.id("sns"),
      type: "SubscribeAndSaveFirstShipment",
      occurredAt: local(this.nowMs, market),
      data: { ...data, subscriptionId },
    };
  }

  /** Shelf price in the marketplace currency: X.99, whole rupees, or yen in tens; sometimes discounted. */
  private price(asin: number, market: Market): string {
    let usd = this.catalogueUsdCents[asin]! / 100;
    if (this.rng() < 0.15) usd *= 0.7 + this.rng() * 0.2;
    const major = usd * market.fx;
    let minor: number;
    if (market.digits === 0) minor = Math.max(10, Math.round(major / 10) * 10);
    else if (market.code === "IN") minor = Math.max(1, Math.round(major)) * 100;
    else minor = Math.max(1, Math.round(major)) * 100 - 1;
    return formatMinor(minor, market.digits);
  }

  private content(): RawWireEvent {
    // A creator of a campaign still running, who has not submitted yet.
    const campaign = this.liveCampaign();
    if (this.nowMs >= campaign.endsMs || campaign.acceptances.length === 0) return this.click();
    let acc: Acceptance | null = null;
    for (let i = 0; i < 4 && !acc; i += 1) {
      const candidate = this.acceptances[this.pick(campaign.acceptances)]!;
      if (!candidate.content) acc = candidate;
    }
    if (!acc) return this.click();
    acc.content = true;
    return this.contentLink(campaign, acc.creator, this.id("cl"));
  }

  private contentLink(campaign: Campaign, creator: number, id: string): RawWireEvent {
    this.contentSeq += 1;
    const fail = this.rng() < this.profile.disclosureFailShare;
    const disclosure = fail ? this.pick(DISCLOSURES_FAIL) : this.pick(DISCLOSURES_OK);
    const host = this.pick(["https://www.youtube.com/watch?v=", "https://www.instagram.com/p/", "https://www.tiktok.com/@creator/video/"]);
    return {
      id,
      type: "ContentLinkSubmitted",
      occurredAt: utc(this.nowMs),
      data: { campaignId: campaign.id, creatorId: creatorIdOf(creator), url: `${host}${b36(this.contentSeq * 7919 + 11)}`, disclosure },
    };
  }

  /** A creator and marketplace that exist: from a random acceptance. */
  private randomAccount(): { creator: number; market: Market } | null {
    if (this.acceptances.length === 0) return null;
    const acc = this.pick(this.acceptances);
    return { creator: acc.creator, market: this.campaigns[acc.campaign]!.market };
  }

  private taxInfo(): RawWireEvent {
    const account = this.randomAccount();
    if (!account) return this.acceptance(this.liveCampaign());
    return {
      id: this.id("tax"),
      type: "TaxInfoSubmitted",
      occurredAt: utc(this.nowMs),
      data: { creatorId: creatorIdOf(account.creator), marketplace: account.market.code },
    };
  }

  private paymentMethod(unsupported: boolean): RawWireEvent {
    const account = this.randomAccount();
    if (!account) return this.acceptance(this.liveCampaign());
    let market = account.market;
    let method: PaymentMethod;
    if (unsupported) {
      // "check" where it is not offered (anomaly; the previous method stays).
      market = MARKETS.filter((m) => !m.check)[Math.floor(this.rng() * 4)]!;
      method = "check";
    } else {
      const u = this.rng();
      method = u < 0.7 ? "direct_deposit" : u < 0.95 || !market.check ? "gift_card" : "check";
    }
    return {
      id: this.id(unsupported ? "anomaly-pm" : "pm"),
      type: "PaymentMethodChanged",
      occurredAt: utc(this.nowMs),
      data: { creatorId: creatorIdOf(account.creator), marketplace: market.code, method },
    };
  }

  private shipmentReturned(): RawWireEvent {
    for (let attempt = 0; attempt < 4 && this.shipments.length > 0; attempt += 1) {
      const memo = this.pick(this.shipments);
      if (memo.occurredMs >= this.nowMs) continue;
      const open = memo.quantities.map((q, i) => q - memo.returned[i]!);
      if (open.every((q) => q === 0)) continue;
      const lines: { asin: string; quantity: number }[] = [];
      if (this.rng() < 0.4) {
        // Full return of whatever is still out.
        open.forEach((q, i) => {
          if (q > 0) {
            lines.push({ asin: asinOf(memo.asins[i]!), quantity: q });
            memo.returned[i] = memo.quantities[i]!;
          }
        });
      } else {
        // Partial: some units of one line.
        const candidates = open.map((q, i) => (q > 0 ? i : -1)).filter((i) => i >= 0);
        const i = this.pick(candidates);
        const quantity = 1 + Math.floor(this.rng() * open[i]!);
        lines.push({ asin: asinOf(memo.asins[i]!), quantity });
        memo.returned[i]! += quantity;
      }
      return { id: this.id("ret"), type: "ShipmentReturned", occurredAt: utc(this.nowMs), data: { shipmentId: memo.shipmentId, lines } };
    }
    return this.click();
  }

  private randomStrike(): RawWireEvent {
    const account = this.randomAccount();
    if (!account) return this.acceptance(this.liveCampaign());
    return this.strike(account.creator, "strike");
  }

  private strike(creator: number, prefix: string): RawWireEvent {
    const data: StrikeIssuedData = { creatorId: creatorIdOf(creator), reason: this.pick(STRIKE_REASONS) };
    const accepted = this.creatorCampaigns.get(creator);
    if (accepted && this.rng() < 0.6) data.campaignId = campaignIdOf(this.pick(accepted));
    return { id: this.id(prefix), type: "StrikeIssued", occurredAt: utc(this.nowMs), data };
  }

  /** A schema-valid fact that does not fit the ledger's state (SPEC §3 anomalies). */
  private anomaly(): RawWireEvent {
    const kind = Math.floor(this.rng() * 11);
    const campaign = this.liveCampaign();
    const acc = this.trafficAcceptance(campaign);
    switch (kind) {
      case 0: // click with an unknown tracking id
        return {
          id: this.id("anomaly-clk"),
          type: "ClickRecorded",
          occurredAt: utc(this.nowMs),
          data: { trackingId: `trk-unknown-${b36(this.seq)}` },
        };
      case 1: {
        // shipment with an unknown tracking id
        const event = this.shipment(false);
        if (event.type !== "ShipmentRecorded" && event.type !== "SubscribeAndSaveFirstShipment") return event;
        event.id = `anomaly-${event.id}`;
        event.data.trackingId = `trk-unknown-${b36(this.seq)}`;
        return event;
      }
      case 2: {
        // a shipmentId already recorded
        const memo = this.shipments.length > 0 ? this.pick(this.shipments) : null;
        const event = this.shipment(false);
        if (!memo || event.type !== "ShipmentRecorded") return event;
        event.id = `anomaly-${event.id}`;
        event.data.shipmentId = memo.shipmentId;
        return event;
      }
      case 3: // return of an unknown shipment
        return {
          id: this.id("anomaly-ret"),
          type: "ShipmentReturned",
          occurredAt: utc(this.nowMs),
          data: { shipmentId: `shp-unknown-${b36(this.seq)}`, lines: [{ asin: asinOf(1), quantity: 1 }] },
        };
      case 4: {
        // return of an ASIN the shipment did not contain, or of more units than shipped
        const memo = this.shipments.length > 0 ? this.pick(this.shipments) : null;
        if (!memo) return this.click();
        const line =
          this.rng() < 0.5
            ? { asin: asinOf((memo.asins[0]! + 1) % CATALOGUE_ASINS), quantity: 1 }
            : { asin: asinOf(memo.asins[0]!), quantity: memo.quantities[0]! + 1 };
        return {
          id: this.id("anomaly-ret"),
          type: "ShipmentReturned",
          occurredAt: utc(this.nowMs),
          data: { shipmentId: memo.shipmentId, lines: [line] },
        };
      }
      case 5: // acceptance of an unknown campaign
        return {
          id: this.id("anomaly-acc"),
          type: "CampaignAccepted",
          occurredAt: utc(this.nowMs),
          data: {
            campaignId: `cmp-unknown-${b36(this.seq)}`,
            creatorId: creatorIdOf(skewedCreatorIndex(this.rng(), this.shape.creators)),
            trackingId: `trk-orphan-${b36(this.seq)}`,
          },
        };
      case 6: // a second acceptance by the same creator of the same campaign
        if (!acc) return this.acceptance(campaign);
        this.trackingSeq += 1;
        return {
          id: this.id("anomaly-acc"),
          type: "CampaignAccepted",
          occurredAt: local(this.nowMs, campaign.market),
          data: {
            campaignId: campaign.id,
            creatorId: creatorIdOf(acc.creator),
            trackingId: `trk-${b36(this.trackingSeq).padStart(5, "0")}-20`,
          },
        };
      case 7: {
        // a trackingId already in use, by another creator
        if (!acc) return this.acceptance(campaign);
        const creator = Math.floor(this.rng() * this.shape.creators);
        return {
          id: this.id("anomaly-acc"),
          type: "CampaignAccepted",
          occurredAt: local(this.nowMs, campaign.market),
          data: { campaignId: campaign.id, creatorId: creatorIdOf(creator), trackingId: acc.trackingId },
        };
      }
      case 8: // payment method not offered in the marketplace
        return this.paymentMethod(true);
      case 9: {
        // a second CampaignEnded for an ended campaign (sent by campaign management under another id)
        const ended = this.campaigns.find((c) => c.ended && c.index % 3 === this.seq % 3) ?? this.campaigns.find((c) => c.ended);
        if (!ended) return this.click();
        return { id: this.id("anomaly-end"), type: "CampaignEnded", occurredAt: ended.endsAt, data: { campaignId: ended.id } };
      }
      default: // content link of a creator who never accepted the campaign
        return this.contentLink(campaign, Math.floor(this.rng() * this.shape.creators), this.id("anomaly-cl"));
    }
  }
}
