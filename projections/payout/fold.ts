// The payout read model's one fold (SPEC §4 rules 10-11, §5 payout, §8.4-8.5, §12): per creator and
// marketplace the payable amount of each earning month, the pending bonus, tax info, payment
// method and the creator's own threshold; every payout and its failure; the holds standing on each
// creator. The projection folds each batch of outcomes into its tables;
// a read as of position P folds one creator's journal rows up to P from zero (payoutAt.ts) and
// takes rule 11's accounts from the fold (accountsAsOf). Every rule that shapes a row is here, once.
import { instantMs, payableOn } from "../../domain/calendar.ts";
import type { HoldReason } from "../../domain/engine/outcome.ts";
import { ALL_MARKETPLACES } from "../../domain/engine/state.ts";
import { payableDelta, pendingDelta, type EntryKind } from "../../domain/journal/entryKinds.ts";
import type { MarketplaceCode, PaymentMethod } from "../../domain/marketplaces.ts";
import { minor } from "../../infra/readModel/port.ts";
import { AdditiveRows, times } from "../additive.ts";
import { byCodePoint } from "../order.ts";

/** One creator's standing in one marketplace as of a date: what rule 11 needs. */
export interface Account {
  creatorId: string;
  marketplace: MarketplaceCode;
  taxInfo: boolean;
  method: PaymentMethod | null;
  bonusPendingMinor: bigint;
  /** Every payout issued so far and not failed, whatever its date (rule 11: "minus PayoutIssued amounts", §8.4): money paid out is never owed again. */
  paidMinor: bigint;
  /** Rule 11: what the months payable by the date asked add up to. */
  dueMinor: bigint;
  /** What the months payable after that date add up to (§12 lifecycle: locked). */
  laterMinor: bigint;
  /** §12: the creator's own minimum here; null: none. */
  ownThresholdMinor: bigint | null;
  /** §12: the hold that holds the creator here (of this marketplace or of all), the one that began first; null: not held. */
  hold: HoldView | null;
}

/** §12: what a payout read shows of a hold. */
export interface HoldView {
  reasonCode: HoldReason;
  note: string;
  actor: string;
  /** The hold's occurredAt, as received. */
  since: string;
}

/** A hold standing on a creator: its scope (marketplace null: every marketplace) and the position of its event. */
export interface StandingHold extends HoldView {
  creatorId: string;
  marketplace: MarketplaceCode | null;
  position: number;
}

/**
 * §12: the hold that holds a creator in `marketplace`, of the creator's standing ones: a hold of
 * that marketplace or of every marketplace; with both, the one that began first (the earlier
 * `since` instant; on a tie, the earlier position). Null: not held there.
 */
export function holdIn(holds: readonly StandingHold[], marketplace: MarketplaceCode): HoldView | null {
  let first: StandingHold | null = null;
  let firstMs = 0;
  for (const h of holds) {
    if (!covers(h, marketplace)) continue;
    const ms = instantMs(h.since);
    if (first === null || ms < firstMs || (ms === firstMs && h.position < first.position)) [first, firstMs] = [h, ms];
  }
  return first === null ? null : { reasonCode: first.reasonCode, note: first.note, actor: first.actor, since: first.since };
}

/** Whether a hold of this scope (marketplace null: every marketplace) holds its creator in `marketplace`. */
export function covers(hold: { marketplace: MarketplaceCode | null }, marketplace: MarketplaceCode): boolean {
  return hold.marketplace === null || hold.marketplace === marketplace;
}

/** A hold's scope as a key column: its marketplace, or ALL_MARKETPLACES. */
export function holdScope(marketplace: MarketplaceCode | null): string {
  return marketplace ?? ALL_MARKETPLACES;
}

/** Holds in answer order: by creator, then the every-marketplace hold ('*') before the marketplaces' (in code order). */
export function byCreatorAndScope(a: StandingHold, b: StandingHold): number {
  return byCodePoint(a.creatorId, b.creatorId) || byCodePoint(holdScope(a.marketplace), holdScope(b.marketplace));
}

/** The local date rule 11 is asked for: one date, or each marketplace's own (GET /v1/holds without asOf: its today). */
export type PayoutDate = string | ((marketplace: MarketplaceCode) => string);

export function dateIn(date: PayoutDate, marketplace: MarketplaceCode): string {
  return typeof date === "string" ? date : date(marketplace);
}

/** An amount booked to a creator: one entry (a number) or a journal sum of entries of one kind (a bigint). */
export interface PayoutEntry {
  kind: EntryKind;
  /** null: a campaign's own entries (budget funding and returns). */
  creatorId: string | null;
  marketplace: MarketplaceCode;
  /** null for entries no month earns (budget, payouts: those count through their facts). */
  earningMonth: string | null;
  amountMinor: number | bigint;
}

/** The facts the payout read model folds, in position order (`position`: the fact's event's). */
export type PayoutFact =
  | { kind: "acceptance"; creatorId: string; marketplace: MarketplaceCode }
  | { kind: "tax_info"; creatorId: string; marketplace: MarketplaceCode }
  | { kind: "payment_method"; creatorId: string; marketplace: MarketplaceCode; method: PaymentMethod }
  | { kind: "payout"; creatorId: string; marketplace: MarketplaceCode; payoutId: string; amountMinor: number | bigint; date: string }
  | { kind: "payout_failed"; payoutId: string; reason: string }
  | (Omit<StandingHold, "position"> & { kind: "hold" })
  | { kind: "release"; creatorId: string; marketplace: MarketplaceCode | null }
  /** amountMinor null: the creator's own threshold removed. */
  | { kind: "threshold"; creatorId: string; marketplace: MarketplaceCode; amountMinor: number | bigint | null };

export interface PayoutRecord {
  payoutId: string;
  creatorId: string;
  marketplace: MarketplaceCode;
  amountMinor: number | bigint;
  date: string;
  position: number;
}

const accountKey = (creatorId: string, marketplace: string) => `${creatorId}\u0000${marketplace}`;

export class PayoutFold {
  /** Pending bonus per creator and marketplace; an account exists from its first fact or entry on. */
  readonly accounts = new AdditiveRows(["creator_id", "marketplace"], ["bonus_pending"]);
  /** The payable amount of each earning month, with its payable date (rule 10). */
  readonly months = new AdditiveRows(["creator_id", "marketplace", "month", "payable_on"], ["payable"]);
  /**
   * Tax info on file, the payment method and the creator's own threshold per account: the last word
   * wins (rule 11, §12). `thresholdSet`: a PayoutThresholdSet was folded (its amount may be null: removed).
   */
  readonly settings = new Map<
    string,
    {
      creatorId: string;
      marketplace: MarketplaceCode;
      taxInfo: boolean;
      method: PaymentMethod | null;
      thresholdSet: boolean;
      thresholdMinor: number | bigint | null;
    }
  >();
  readonly payouts: PayoutRecord[] = [];
  readonly failures: { payoutId: string; position: number; reason: string }[] = [];
  /**
   * §12: holds by creator and scope (holdScope), in the order first met: the standing hold, or null
   * (`standing`) when this fold released it (the projection then deletes the stored one). The engine lets
   * through only a hold of a scope not held and a release of one held, so a hold replaces nothing.
   */
  readonly holds = new Map<string, { creatorId: string; scope: string; standing: StandingHold | null }>();

  entry(e: PayoutEntry): void {
    if (e.creatorId === null || e.earningMonth === null) return;
    const [payable, pending] =
      typeof e.amountMinor === "number"
        ? [payableDelta(e.kind, e.amountMinor), pendingDelta(e.kind, e.amountMinor)]
        : [times(payableDelta(e.kind, 1), e.amountMinor), times(pendingDelta(e.kind, 1), e.amountMinor)]; // linear: a kind's sum adds what its entries add
    this.months.add([e.creatorId, e.marketplace, e.earningMonth, payableOn(e.earningMonth)], [payable]);
    // Pending bonus is what the report counts as bonus but is not yet payable.
    this.accounts.add([e.creatorId, e.marketplace], [pending]);
  }

  fact(f: PayoutFact, position: number): void {
    switch (f.kind) {
      case "acceptance":
        this.accounts.add([f.creatorId, f.marketplace], [0]);
        return;
      case "tax_info":
        this.setting(f.creatorId, f.marketplace).taxInfo = true;
        return;
      case "payment_method":
        this.setting(f.creatorId, f.marketplace).method = f.method;
        return;
      case "payout":
        this.accounts.add([f.creatorId, f.marketplace], [0]);
        this.payouts.push({
          payoutId: f.payoutId,
          creatorId: f.creatorId,
          marketplace: f.marketplace,
          amountMinor: f.amountMinor,
          date: f.date,
          position,
        });
        return;
      case "payout_failed":
        this.failures.push({ payoutId: f.payoutId, position, reason: f.reason });
        return;
      // A hold is the creator's, not an account's: it opens none (a creator known by holds alone has no payout accounts).
      case "hold": {
        const { creatorId, marketplace, reasonCode, note, actor, since } = f;
        this.holdOf(creatorId, marketplace, { creatorId, marketplace, reasonCode, note, actor, since, position });
        return;
      }
      case "release":
        this.holdOf(f.creatorId, f.marketplace, null);
        return;
      // A setting of the account, like a payment method: it opens the account.
      case "threshold": {
        const s = this.setting(f.creatorId, f.marketplace);
        s.thresholdSet = true;
        s.thresholdMinor = f.amountMinor;
        return;
      }
    }
  }

  private holdOf(creatorId: string, marketplace: MarketplaceCode | null, standing: StandingHold | null): void {
    const scope = holdScope(marketplace);
    this.holds.set(accountKey(creatorId, scope), { creatorId, scope, standing });
  }

  private setting(creatorId: string, marketplace: MarketplaceCode) {
    const key = accountKey(creatorId, marketplace);
    let s = this.settings.get(key);
    if (!s)
      this.settings.set(key, (s = { creatorId, marketplace, taxInfo: false, method: null, thresholdSet: false, thresholdMinor: null }));
    return s;
  }

  /** The holds standing after this fold (of a fold that started at zero), in the order their scopes were first met. */
  standingHolds(): StandingHold[] {
    return [...this.holds.values()].flatMap((h) => (h.standing === null ? [] : [h.standing]));
  }

  /**
   * Rule 11's accounts as of the local date `asOf`, in marketplace order, from a fold that started
   * at zero (a read as of a position: every row of the owner is in it). An account is one with an
   * acceptance, an entry, a payout or a setting (tax info, payment method, own threshold).
   */
  accountsAsOf(asOf: PayoutDate): Account[] {
    const accounts = new Map<string, Account>();
    const accountOf = (creatorId: string, marketplace: MarketplaceCode) => {
      const key = accountKey(creatorId, marketplace);
      let a = accounts.get(key);
      if (!a)
        accounts.set(
          key,
          (a = {
            creatorId,
            marketplace,
            taxInfo: false,
            method: null,
            bonusPendingMinor: 0n,
            paidMinor: 0n,
            dueMinor: 0n,
            laterMinor: 0n,
            ownThresholdMinor: null,
            hold: null,
          }),
        );
      return a;
    };
    for (const { key, values } of this.accounts.values())
      accountOf(key[0] as string, key[1] as MarketplaceCode).bonusPendingMinor += minor(values[0]);
    for (const { key, values } of this.months.values())
      addMonth(accountOf(key[0] as string, key[1] as MarketplaceCode), key[3] as string, minor(values[0]), asOf);
    for (const s of this.settings.values())
      Object.assign(accountOf(s.creatorId, s.marketplace), {
        taxInfo: s.taxInfo,
        method: s.method,
        ownThresholdMinor: s.thresholdMinor === null ? null : minor(s.thresholdMinor),
      });
    const failed = new Set(this.failures.map((f) => f.payoutId));
    for (const p of this.payouts) if (!failed.has(p.payoutId)) accountOf(p.creatorId, p.marketplace).paidMinor += minor(p.amountMinor);
    const holds = holdsByCreator(this.standingHolds());
    for (const a of accounts.values()) a.hold = holdIn(holds.get(a.creatorId) ?? [], a.marketplace);
    return [...accounts.values()].sort((a, b) => byCodePoint(a.marketplace, b.marketplace) || byCodePoint(a.creatorId, b.creatorId));
  }
}

/** Standing holds grouped by creator. */
export function holdsByCreator(holds: readonly StandingHold[]): Map<string, StandingHold[]> {
  const out = new Map<string, StandingHold[]>();
  for (const h of holds) out.set(h.creatorId, [...(out.get(h.creatorId) ?? []), h]);
  return out;
}

/** Rule 11: a month's payable amount is due on `asOf` (of the account's marketplace) once its payable date has come, else later (§12: locked). */
export function addMonth(account: Account, payableOnDate: string, payableMinor: bigint, asOf: PayoutDate): void {
  if (payableOnDate <= dateIn(asOf, account.marketplace)) account.dueMinor += payableMinor;
  else account.laterMinor += payableMinor;
}
