// The earnings read model's one fold (SPEC §5 earnings, §8.4 adjusted): bucket sums per creator and
// marketplace, per earning month and per campaign, which campaigns' content counts, and which
// creators are known. The projection folds each batch of outcomes and adds the sums to its tables;
// a read as of position P folds one creator's journal rows up to P from zero and answers the sums
// (earningsAt.ts). Every rule that shapes a row is here, once.
import { BUCKETS, bucketDeltas, movesBuckets, type Buckets, type EntryKind } from "../../domain/journal/entryKinds.ts";
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import { AdditiveRows, times, type AdditiveRow } from "../additive.ts";
import { BUCKET_COLUMNS, bucketsOf } from "../bucketColumns.ts";

/** An adjustment without a campaign (§8.4) shows in a campaigns row with campaignId null; stored as ''. */
export const NO_CAMPAIGN = "";

/** An amount booked to a creator: one entry (a number) or a journal sum of entries of one kind (a bigint past 2^53). */
export interface EarningsEntry {
  /** null: a campaign's own entries (budget funding and returns), no creator's earnings. */
  creatorId: string | null;
  marketplace: MarketplaceCode;
  earningMonth: string | null;
  campaignId: string | null;
  kind: EntryKind;
  amountMinor: number | bigint;
}

/** The facts earnings folds, in position order. */
export type EarningsFact =
  | { kind: "acceptance"; creatorId: string; campaignId: string; marketplace: MarketplaceCode }
  | { kind: "content"; creatorId: string; campaignId: string; qualified: boolean };

/** A creator's rows as an earnings answer is made of them (earningsQueries.ts earningsAnswer). */
export interface EarningsRows {
  totals: { marketplace: MarketplaceCode; buckets: Buckets }[];
  months: { marketplace: MarketplaceCode; month: string; buckets: Buckets }[];
  /** campaignId null: adjustments that name no campaign (§8.4). */
  campaigns: { marketplace: MarketplaceCode; campaignId: string | null; buckets: Buckets; contentSubmitted: boolean }[];
}

const ZERO: readonly number[] = BUCKETS.map(() => 0);

function deltasOf(kind: EntryKind, amountMinor: number | bigint): (number | bigint)[] {
  return typeof amountMinor === "number" ? bucketDeltas(kind, amountMinor) : bucketDeltas(kind, 1).map((unit) => times(unit, amountMinor));
}

export class EarningsFold {
  /** Each creator known, and the position they became known at (as told by at(); 0 when never told). */
  readonly creators = new Map<string, number>();
  private position = 0;
  readonly totals = new AdditiveRows(["creator_id", "marketplace"], BUCKET_COLUMNS);
  readonly months = new AdditiveRows(["creator_id", "marketplace", "month"], BUCKET_COLUMNS);
  readonly campaigns = new AdditiveRows(["creator_id", "campaign_id", "marketplace"], BUCKET_COLUMNS);
  /** The last content word per creator and campaign ("\u0000"-joined key): the latest fact decides. */
  readonly content = new Map<string, { creatorId: string; campaignId: string; qualified: boolean }>();

  /** The position of the outcome folded next: where a creator it makes known became known (GET /v1/creators as of P). */
  at(position: number): void {
    this.position = position;
  }

  /** A creator is known from their first entry, acceptance or anomaly on. */
  creator(creatorId: string): void {
    if (!this.creators.has(creatorId)) this.creators.set(creatorId, this.position);
  }

  entry(e: EarningsEntry): void {
    if (e.creatorId === null) return;
    this.creator(e.creatorId);
    if (!movesBuckets(e.kind)) return; // payouts: in the journal, not in earnings
    const d = deltasOf(e.kind, e.amountMinor);
    this.totals.add([e.creatorId, e.marketplace], d);
    if (e.earningMonth !== null) this.months.add([e.creatorId, e.marketplace, e.earningMonth], d);
    this.campaigns.add([e.creatorId, e.campaignId ?? NO_CAMPAIGN, e.marketplace], d);
  }

  fact(f: EarningsFact): void {
    switch (f.kind) {
      case "acceptance":
        // An accepted campaign shows in the creator's earnings even before it earns anything.
        this.creator(f.creatorId);
        this.totals.add([f.creatorId, f.marketplace], ZERO);
        this.campaigns.add([f.creatorId, f.campaignId, f.marketplace], ZERO);
        return;
      case "content":
        this.content.set(`${f.creatorId}\u0000${f.campaignId}`, {
          creatorId: f.creatorId,
          campaignId: f.campaignId,
          qualified: f.qualified,
        });
        return;
    }
  }

  /** The sums as answer rows (a fold of one creator's rows from zero: a read as of a position). */
  rows(): EarningsRows {
    const buckets = (r: AdditiveRow) => bucketsOf(r.values);
    return {
      totals: [...this.totals.values()].map((r) => ({ marketplace: r.key[1] as MarketplaceCode, buckets: buckets(r) })),
      months: [...this.months.values()].map((r) => ({
        marketplace: r.key[1] as MarketplaceCode,
        month: r.key[2] as string,
        buckets: buckets(r),
      })),
      campaigns: [...this.campaigns.values()].map((r) => ({
        marketplace: r.key[2] as MarketplaceCode,
        campaignId: campaignIdOf(r.key[1] as string),
        buckets: buckets(r),
        contentSubmitted: this.content.get(`${r.key[0] as string}\u0000${r.key[1] as string}`)?.qualified === true,
      })),
    };
  }
}

/** A stored campaign id as the answer names it: null for the row of adjustments without a campaign. */
export function campaignIdOf(stored: string): string | null {
  return stored === NO_CAMPAIGN ? null : stored;
}
