// Reads of the payout projection (SPEC §4 rule 11, §5 payout and payout run, §12 holds and
// thresholds). Amounts are summed here, in bigint, not with SQL SUM: a creator's payouts and months
// may add up past 2^53 minor units.
import { nextPayableOn } from "../../domain/calendar.ts";
import { type MarketplaceCode, type PaymentMethod } from "../../domain/marketplaces.ts";
import { Dec, formatMinor, toMinor } from "../../domain/money.ts";
import { payoutStatus, type PayoutStatus } from "../../domain/payout.ts";
import type { RuleVersion } from "../../domain/rules.ts";
import type { HoldReason } from "../../domain/engine/outcome.ts";
import { ALL_MARKETPLACES } from "../../domain/engine/state.ts";
import { int, minor, type ReadModelTx, type SqlValue } from "../../infra/readModel/port.ts";
import { byCodePoint } from "../order.ts";
import {
  addMonth,
  byCreatorAndScope,
  covers,
  dateIn,
  holdIn,
  holdsByCreator,
  type Account,
  type HoldView,
  type PayoutDate,
  type StandingHold,
} from "./fold.ts";

/** SPEC §5 payout, one marketplace. */
export interface PayoutBody {
  marketplace: MarketplaceCode;
  currency: string;
  payable: string;
  pending: string;
  paid: string;
  threshold: string | null;
  status: PayoutStatus;
  nextPayableOn: string;
  taxInfoOnFile: boolean;
  paymentMethod: PaymentMethod | null;
  /** §12: the hold that holds the creator here, the one that began first; null: not held. */
  hold: HoldView | null;
  /** §12: max(0, −payable): what the creator owes, netted against later earnings. */
  receivable: string;
  /** §12: where the earnings total stands; pending + locked + payable + paid = total. */
  lifecycle: { pending: string; locked: string; payable: string; paid: string };
}

export interface PayoutLine {
  creatorId: string;
  marketplace: MarketplaceCode;
  currency: string;
  payableMinor: bigint;
  status: PayoutStatus;
  body: PayoutBody;
}

/** The accounts of one creator or one marketplace, with their months and payouts summed as of `asOf`. */
async function accounts(
  tx: ReadModelTx,
  p: string,
  asOf: PayoutDate,
  where: { column: "creator_id" | "marketplace"; value: string },
): Promise<Account[]> {
  const rows = await tx.query<{
    creator_id: string;
    marketplace: MarketplaceCode;
    tax_info: unknown;
    method: PaymentMethod | null;
    bonus_pending: unknown;
    own_threshold: unknown;
  }>(
    `SELECT creator_id, marketplace, tax_info, method, bonus_pending, own_threshold FROM ${p}accounts WHERE ${where.column} = ? ORDER BY marketplace, creator_id`,
    [where.value],
  );
  // The holds that may hold these accounts: the creator's, or those of the marketplace and of every marketplace.
  const holds = holdsByCreator(
    await standingHolds(tx, p, where.column === "creator_id" ? "creator_id = ?" : `scope IN (?, '${ALL_MARKETPLACES}')`, [where.value]),
  );
  const byKey = new Map<string, Account>();
  const list = rows
    .sort((a, b) => byCodePoint(a.marketplace, b.marketplace) || byCodePoint(a.creator_id, b.creator_id))
    .map((r) => {
      const account: Account = {
        creatorId: r.creator_id,
        marketplace: r.marketplace,
        taxInfo: int(r.tax_info) === 1,
        method: r.method,
        bonusPendingMinor: minor(r.bonus_pending),
        paidMinor: 0n,
        dueMinor: 0n,
        laterMinor: 0n,
        ownThresholdMinor: r.own_threshold === null || r.own_threshold === undefined ? null : minor(r.own_threshold),
        hold: holdIn(holds.get(r.creator_id) ?? [], r.marketplace),
      };
      byKey.set(`${r.creator_id}\u0000${r.marketplace}`, account);
      return account;
    });
  const months = await tx.query<{ creator_id: string; marketplace: string; payable_on: string; payable: unknown }>(
    `SELECT creator_id, marketplace, payable_on, payable FROM ${p}months WHERE ${where.column} = ?`,
    [where.value],
  );
  for (const m of months) {
    const account = byKey.get(`${m.creator_id}\u0000${m.marketplace}`);
    if (account) addMonth(account, m.payable_on, minor(m.payable), asOf);
  }
  const payouts = await tx.query<{ creator_id: string; marketplace: string; amount: unknown }>(
    `SELECT creator_id, marketplace, amount FROM ${p}payouts WHERE ${where.column} = ? AND failed_position IS NULL`,
    [where.value],
  );
  for (const x of payouts) {
    const account = byKey.get(`${x.creator_id}\u0000${x.marketplace}`);
    if (account) account.paidMinor += minor(x.amount);
  }
  return list;
}

/** Standing holds of the payout projection (`where` on the holds table), by creator then scope. */
async function standingHolds(tx: ReadModelTx, p: string, where: string, params: SqlValue[]): Promise<StandingHold[]> {
  const rows = await tx.query<{
    creator_id: string;
    scope: string;
    reason_code: HoldReason;
    note: string;
    actor: string;
    since: string;
    position: unknown;
  }>(`SELECT creator_id, scope, reason_code, note, actor, since, position FROM ${p}holds WHERE ${where}`, params);
  return rows
    .map((r) => ({
      creatorId: r.creator_id,
      marketplace: r.scope === ALL_MARKETPLACES ? null : (r.scope as MarketplaceCode),
      reasonCode: r.reason_code,
      note: r.note,
      actor: r.actor,
      since: r.since,
      position: int(r.position),
    }))
    .sort(byCreatorAndScope);
}

/** §12: every hold standing now, in answer order. */
export function holdsNow(tx: ReadModelTx, p: string): Promise<StandingHold[]> {
  return standingHolds(tx, p, "1 = 1", []);
}

/** GET /v1/holds, one hold (§12): what it is, and the payable amount it holds back in each marketplace it covers. */
export interface HoldLine extends Omit<StandingHold, "position"> {
  /** Rule 11's payable (may be negative: a receivable) in each marketplace of the creator's accounts the hold covers, as of `asOf` there. */
  payable: { marketplace: MarketplaceCode; currency: string; asOf: string; amount: string }[];
}

/** One hold with the creator's accounts (summed as of `asOf`), narrowed to `only` when a marketplace was asked. */
export function holdLine(
  hold: StandingHold,
  accounts: readonly Account[],
  asOf: PayoutDate,
  only: MarketplaceCode | null,
  rules: RuleVersion,
): HoldLine {
  const { creatorId, marketplace, reasonCode, note, actor, since } = hold;
  const covered = accounts.filter((a) => covers(hold, a.marketplace) && (only === null || a.marketplace === only));
  return {
    creatorId,
    marketplace,
    reasonCode,
    note,
    actor,
    since,
    payable: covered.map((a) => {
      const market = rules.marketplaces[a.marketplace];
      return {
        marketplace: a.marketplace,
        currency: market.currency,
        asOf: dateIn(asOf, a.marketplace),
        amount: formatMinor(payableMinorOf(a), market.minorDigits),
      };
    }),
  };
}

/**
 * Rule 11's threshold (§12): max(the method's, the creator's own); with no valid method (none, or
 * one without a threshold here), the creator's own, or null. `method`: the method's alone (status).
 */
function thresholds(a: Account, rules: RuleVersion): { method: bigint | null; effective: bigint | null } {
  const market = rules.marketplaces[a.marketplace];
  const threshold = a.method ? market.thresholds[a.method] : undefined;
  const method = threshold === undefined ? null : BigInt(toMinor(new Dec(threshold), market.minorDigits));
  const own = a.ownThresholdMinor;
  return { method, effective: method === null ? own : own !== null && own > method ? own : method };
}

/** Rule 11's payable: the months payable by the date, minus every payout not failed (may be negative: a receivable, §12). */
function payableMinorOf(a: Account): bigint {
  return a.dueMinor - a.paidMinor;
}

export function toLine(a: Account, asOf: string, rules: RuleVersion): PayoutLine {
  const market = rules.marketplaces[a.marketplace];
  const digits = market.minorDigits;
  const payableMinor = payableMinorOf(a);
  const threshold = thresholds(a, rules);
  // No valid method is no_payment_method whatever the creator's own threshold says.
  const status = payoutStatus({
    payableMinor,
    taxInfoOnFile: a.taxInfo,
    paymentMethod: threshold.method === null ? null : a.method,
    thresholdMinor: threshold.method === null ? null : threshold.effective,
    held: a.hold !== null,
  });
  const f = (n: bigint) => formatMinor(n, digits);
  return {
    creatorId: a.creatorId,
    marketplace: a.marketplace,
    currency: market.currency,
    payableMinor,
    status,
    body: {
      marketplace: a.marketplace,
      currency: market.currency,
      payable: f(payableMinor),
      pending: f(a.laterMinor + a.bonusPendingMinor),
      paid: f(a.paidMinor),
      threshold: threshold.effective === null ? null : f(threshold.effective),
      status,
      nextPayableOn: nextPayableOn(asOf),
      taxInfoOnFile: a.taxInfo,
      paymentMethod: a.method,
      hold: a.hold,
      receivable: f(payableMinor < 0n ? -payableMinor : 0n),
      lifecycle: { pending: f(a.bonusPendingMinor), locked: f(a.laterMinor), payable: f(payableMinor), paid: f(a.paidMinor) },
    },
  };
}

/** A creator's accounts as the projection holds them now, summed as of the local date `asOf`. */
export function payoutAccountsOf(db: ReadModelTx, p: string, creatorId: string, asOf: PayoutDate): Promise<Account[]> {
  return accounts(db, p, asOf, { column: "creator_id", value: creatorId });
}

export async function payoutOf(db: ReadModelTx, p: string, creatorId: string, asOf: string, rules: RuleVersion): Promise<PayoutLine[]> {
  return (await payoutAccountsOf(db, p, creatorId, asOf)).map((a) => toLine(a, asOf, rules));
}

export async function payoutsOfMarketplace(
  db: ReadModelTx,
  p: string,
  marketplace: MarketplaceCode,
  asOf: string,
  rules: RuleVersion,
): Promise<PayoutLine[]> {
  return (await accounts(db, p, asOf, { column: "marketplace", value: marketplace })).map((a) => toLine(a, asOf, rules));
}

export type PayoutStatusName = "issued" | "failed";

export interface PayoutView {
  payoutId: string;
  creatorId: string;
  marketplace: MarketplaceCode;
  currency: string;
  amount: string;
  date: string;
  position: number;
  status: PayoutStatusName;
  failedReason: string | null;
}

type PayoutRow = {
  payout_id: string;
  creator_id: string;
  marketplace: MarketplaceCode;
  amount: unknown;
  date: string;
  position: unknown;
  failed_position: unknown;
  failed_reason: string | null;
};

/** A payout as of position `upTo`: failed only once its PayoutFailed is at or before it. */
function payoutView(r: PayoutRow, rules: RuleVersion, upTo: number): PayoutView {
  const market = rules.marketplaces[r.marketplace];
  const failed = r.failed_position !== null && r.failed_position !== undefined && int(r.failed_position) <= upTo;
  return {
    payoutId: r.payout_id,
    creatorId: r.creator_id,
    marketplace: r.marketplace,
    currency: market.currency,
    amount: formatMinor(minor(r.amount), market.minorDigits),
    date: r.date,
    position: int(r.position),
    status: failed ? "failed" : "issued",
    failedReason: failed ? r.failed_reason : null,
  };
}

const PAYOUT_COLUMNS = "payout_id, creator_id, marketplace, amount, date, position, failed_position, failed_reason";

/** SPEC §8.5: every payout of a creator issued up to position `upTo`, newest first. */
export async function payoutsOfCreator(
  tx: ReadModelTx,
  p: string,
  creatorId: string,
  upTo: number,
  rules: RuleVersion,
): Promise<PayoutView[]> {
  const rows = await tx.query<PayoutRow>(
    `SELECT ${PAYOUT_COLUMNS} FROM ${p}payouts WHERE creator_id = ? AND position <= ? ORDER BY position DESC`,
    [creatorId, upTo],
  );
  return rows.map((r) => payoutView(r, rules, upTo));
}

/** One payout as of position `upTo` (null when unknown, or issued after it). */
export async function payoutById(
  tx: ReadModelTx,
  p: string,
  payoutId: string,
  upTo: number,
  rules: RuleVersion,
): Promise<PayoutView | null> {
  const rows = await tx.query<PayoutRow>(`SELECT ${PAYOUT_COLUMNS} FROM ${p}payouts WHERE payout_id = ? AND position <= ?`, [
    payoutId,
    upTo,
  ]);
  return rows[0] ? payoutView(rows[0], rules, upTo) : null;
}
