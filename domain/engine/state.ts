// The engine's state: everything an earlier event left that a later rule needs. Plain data
// (Maps, arrays, numbers, strings) so it can be snapshotted with structured clone.
// Amounts are integer minor units of the campaign's currency.
import type { MarketplaceCode } from "../marketplaces.ts";

export interface CampaignState {
  campaignId: string;
  brandId: string;
  marketplace: MarketplaceCode;
  bonusRate: string;
  /** The total budget (SPEC §3, changed by §9 CampaignBudgetChanged). */
  budgetMinor: number;
  /** Bonus accrued (pending + confirmed) net of reversals, returns and forfeitures (rule 4); may pass the budget after a cut (§9). */
  spentMinor: number;
  /** Bonus given back: forfeited, returned while pending, reversed (SPEC §5 budget `released`). */
  releasedMinor: number;
  /** Balance of the account campaign:{id}:budget (SPEC §8.1): max(0, budget − spent) after every event. */
  balanceMinor: number;
  /** occurredAt of the event that last brought `remaining` to 0; null while remaining > 0. */
  exhaustedAt: string | null;
  startsAt: string;
  startsAtMs: number;
  /** The campaign's end as things stand (§9 CampaignEndChanged moves it). */
  endsAt: string;
  endsAtMs: number;
  asins: Set<string>;
  /** Paused intervals of orderedAt, [fromMs, toMs) (§9); toMs is null while paused. */
  pauses: { fromMs: number; toMs: number | null }[];
  /** Creators who accepted, in order (their content is judged again when the end moves). */
  creators: string[];
  ended: boolean;
}

export type BonusState = "none" | "pending" | "confirmed" | "forfeited";

export interface LineState {
  asin: string;
  quantity: number;
  standardRate: string;
  standardMinor: number;
  standardReversedMinor: number;
  revenueMinor: number;
  revenueReturnedMinor: number;
  returnedQuantity: number;
  bonusState: BonusState;
  /** Bonus granted after the cap (rule 4); the base of return reversals (rule 8). */
  bonusMinor: number;
  /** Sum of pending-returns or reversals of the bonus so far (never above bonusMinor). */
  bonusReturnedMinor: number;
  /** Pending returns, kept for a later forfeiture, which removes them from their own report days. */
  pendingReturns: { reportDate: string; amountMinor: number }[];
}

export interface ShipmentState {
  shipmentId: string;
  orderId: string;
  creatorId: string;
  campaignId: string;
  earningMonth: string;
  reportDate: string;
  /** The rule version its standard commission was computed by (SPEC §14); its reversals name it too. */
  ruleVersion: number;
  lines: LineState[];
}

/** SPEC §14: a rule version in force from `effectiveFromMs` on (a RuleVersionScheduled at `position`). */
export interface ScheduledRuleVersion {
  ruleVersion: number;
  effectiveFromMs: number;
  position: number;
}

export interface PayoutState {
  creatorId: string;
  marketplace: MarketplaceCode;
  amountMinor: number;
  failed: boolean;
}

export interface AcceptanceState {
  creatorId: string;
  campaignId: string;
}

/**
 * Where the engine keeps the parts of its state that grow with the log (shipments, acceptances,
 * content links, subscriptions, creator balances, payouts). A Map in memory for tests and small
 * runs; services give each a disk-backed map with a bounded cache (infra/engineStateMaps.ts), so
 * memory stays bounded as the log grows (DESIGN). The engine may mutate what `get` returns;
 * implementations must keep such entries until they are persisted. A set is a StateMap<true>.
 */
export interface StateMap<V> {
  get(key: string): V | undefined;
  has(key: string): boolean;
  set(key: string, value: V): unknown;
}

export interface EngineState {
  campaigns: Map<string, CampaignState>;
  /** trackingId → acceptance (rule 1). */
  acceptances: StateMap<AcceptanceState>;
  /** `${campaignId}\u0000${creatorId}` of every acceptance. */
  accepted: StateMap<true>;
  /**
   * `${campaignId}\u0000${creatorId}` → occurredAt of the earliest content link with a qualifying
   * disclosure applied before CampaignEnded (rule 5); it counts while it is before the campaign's end.
   */
  contentAtMs: StateMap<number>;
  shipments: StateMap<ShipmentState>;
  /** Subscriptions that had their first shipment (rule 6). */
  subscriptions: StateMap<true>;
  /** Every payout issued (§8.4: a PayoutFailed names one of them). */
  payouts: StateMap<PayoutState>;
  /** campaignId → shipmentIds with at least one pending bonus line (settled at CampaignEnded). */
  pendingShipments: Map<string, Set<string>>;
  strikes: Map<string, { sortedMs: number[]; removedAtMs: number | null }>;
  /** Webhook endpoints registered and not deleted (SPEC §11). */
  webhooks: Set<string>;
  /** §12: the scopes each creator is held in: a marketplace code, or ALL_MARKETPLACES. */
  holds: Map<string, Set<string>>;
  /**
   * Balance of creator:{K}:{m}:earned per `${creatorId}\u0000${marketplace}` (SPEC §8.1): what a
   * write-off may forgive when it is negative (§12). Kept from every posting's transfer.
   */
  earnedMinor: StateMap<bigint>;
  /** SPEC §13: per marketplace, the latest closed earning month (every earlier one is closed too). */
  closedThrough: Map<MarketplaceCode, string>;
  /** SPEC §14: the rule versions scheduled, by effectiveFromMs then position (the later event wins a tie). */
  ruleSchedule: ScheduledRuleVersion[];
  /** Position of the last event applied (0 = none). */
  position: number;
}

/** The parts of EngineState that grow with the log: each a StateMap (the rest is sized by the program). */
export const GROWING_PARTS = ["shipments", "acceptances", "accepted", "contentAtMs", "subscriptions", "earnedMinor", "payouts"] as const;
export type GrowingPart = (typeof GROWING_PARTS)[number];

/** What one growing part maps its keys to. */
export type PartValue<P extends GrowingPart> = EngineState[P] extends StateMap<infer V> ? V : never;

/** EngineState with its growing parts as Maps: the state of a fold kept wholly in memory. */
export type InMemoryState = Omit<EngineState, GrowingPart> & { [P in GrowingPart]: Map<string, PartValue<P>> };

export function emptyState(): InMemoryState {
  return {
    campaigns: new Map(),
    acceptances: new Map(),
    accepted: new Map(),
    contentAtMs: new Map(),
    shipments: new Map(),
    subscriptions: new Map(),
    payouts: new Map(),
    pendingShipments: new Map(),
    strikes: new Map(),
    webhooks: new Set(),
    holds: new Map(),
    earnedMinor: new Map(),
    closedThrough: new Map(),
    ruleSchedule: [],
    position: 0,
  };
}

/** The scope of a hold that names no marketplace (§12: every marketplace). */
export const ALL_MARKETPLACES = "*";

/** Key of a creator's account in one marketplace (earnedMinor). */
export function earnedKey(creatorId: string, marketplace: string): string {
  return `${creatorId}\u0000${marketplace}`;
}

export function pairKey(campaignId: string, creatorId: string): string {
  return `${campaignId}\u0000${creatorId}`;
}
