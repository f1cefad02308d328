// The engine's state: everything an earlier event left that a later rule needs. Plain data
// (Maps, arrays, numbers, strings) so it can be snapshotted with structured clone.
// Amounts are integer minor units of the campaign's currency.
import type { MarketplaceCode } from "../marketplaces.ts";

export interface CampaignState {
  campaignId: string;
  marketplace: MarketplaceCode;
  bonusRate: string;
  budgetMinor: number;
  /** Bonus accrued (pending + confirmed) net of reversals, returns and forfeitures (rule 4). */
  spentMinor: number;
  /** Bonus given back: forfeited, returned while pending, reversed (SPEC §5 budget `released`). */
  releasedMinor: number;
  /** occurredAt of the event that last brought `remaining` to 0; null while remaining > 0. */
  exhaustedAt: string | null;
  startsAtMs: number;
  endsAtMs: number;
  asins: Set<string>;
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
  lines: LineState[];
}

export interface AcceptanceState {
  creatorId: string;
  campaignId: string;
}

/**
 * Where the engine keeps shipments (the one part of its state that grows with the log). A Map in
 * memory for tests and small runs; services give it a disk-backed map with a bounded cache
 * (infra/engineSnapshots.ts), so memory stays bounded as the log grows (DESIGN). The engine
 * mutates what `get` returns; implementations must keep such entries until they are persisted.
 */
export interface ShipmentMap {
  get(shipmentId: string): ShipmentState | undefined;
  has(shipmentId: string): boolean;
  set(shipmentId: string, shipment: ShipmentState): unknown;
}

export interface EngineState {
  campaigns: Map<string, CampaignState>;
  /** trackingId → acceptance (rule 1). */
  acceptances: Map<string, AcceptanceState>;
  /** `${campaignId}\u0000${creatorId}` of every acceptance. */
  accepted: Set<string>;
  /** `${campaignId}\u0000${creatorId}` with a qualifying content link (rule 5). */
  contentQualified: Set<string>;
  shipments: ShipmentMap;
  subscriptions: Set<string>;
  payouts: Set<string>;
  /** campaignId → shipmentIds with at least one pending bonus line (settled at CampaignEnded). */
  pendingShipments: Map<string, Set<string>>;
  strikes: Map<string, { sortedMs: number[]; removedAtMs: number | null }>;
  /** Position of the last event applied (0 = none). */
  position: number;
}

export function emptyState(): EngineState & { shipments: Map<string, ShipmentState> } {
  return {
    campaigns: new Map(),
    acceptances: new Map(),
    accepted: new Set(),
    contentQualified: new Set(),
    shipments: new Map(),
    subscriptions: new Set(),
    payouts: new Set(),
    pendingShipments: new Map(),
    strikes: new Map(),
    position: 0,
  };
}

export function pairKey(campaignId: string, creatorId: string): string {
  return `${campaignId}\u0000${creatorId}`;
}
