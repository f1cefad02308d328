// The payout read model's one fold (SPEC §4 rules 10-11, §5 payout, §8.4-8.5): per creator and
// marketplace the payable amount of each earning month, the pending bonus, tax info and payment
// method; every payout and its failure. The projection folds each batch of outcomes into its tables;
// a read as of position P folds one creator's journal rows up to P from zero (payoutAt.ts) and
// takes rule 11's accounts from the fold (accountsAsOf). Every rule that shapes a row is here, once.
import { payableOn } from "../../domain/calendar.ts";
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
  dueMinor: bigint;
  laterMinor: bigint;
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
  | { kind: "payout_failed"; payoutId: string; reason: string };

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
  /** Tax info on file and the payment method per account: the last word wins (rule 11). */
  readonly settings = new Map<
    string,
    { creatorId: string; marketplace: MarketplaceCode; taxInfo: boolean; method: PaymentMethod | null }
  >();
  readonly payouts: PayoutRecord[] = [];
  readonly failures: { payoutId: string; position: number; reason: string }[] = [];

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
    }
  }

  private setting(creatorId: string, marketplace: MarketplaceCode) {
    const key = accountKey(creatorId, marketplace);
    let s = this.settings.get(key);
    if (!s) this.settings.set(key, (s = { creatorId, marketplace, taxInfo: false, method: null }));
    return s;
  }

  /**
   * Rule 11's accounts as of the local date `asOf`, in marketplace order, from a fold that started
   * at zero (a read as of a position: every row of the owner is in it). An account is one with an
   * acceptance, an entry, a payout or a setting.
   */
  accountsAsOf(asOf: string): Account[] {
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
          }),
        );
      return a;
    };
    for (const { key, values } of this.accounts.values())
      accountOf(key[0] as string, key[1] as MarketplaceCode).bonusPendingMinor += minor(values[0]);
    for (const { key, values } of this.months.values())
      addMonth(accountOf(key[0] as string, key[1] as MarketplaceCode), key[3] as string, minor(values[0]), asOf);
    for (const s of this.settings.values()) Object.assign(accountOf(s.creatorId, s.marketplace), { taxInfo: s.taxInfo, method: s.method });
    const failed = new Set(this.failures.map((f) => f.payoutId));
    for (const p of this.payouts) if (!failed.has(p.payoutId)) accountOf(p.creatorId, p.marketplace).paidMinor += minor(p.amountMinor);
    return [...accounts.values()].sort((a, b) => byCodePoint(a.marketplace, b.marketplace) || byCodePoint(a.creatorId, b.creatorId));
  }
}

/** Rule 11: a month's payable amount is due on `asOf` once its payable date has come, else later. */
export function addMonth(account: Account, payableOnDate: string, payableMinor: bigint, asOf: string): void {
  if (payableOnDate <= asOf) account.dueMinor += payableMinor;
  else account.laterMinor += payableMinor;
}
