// Reads of the payout projection (SPEC §4 rule 11, §5 payout and payout run). Amounts are summed
// here, in bigint, not with SQL SUM: a creator's payouts and months may add up past 2^53 minor units.
import { nextPayableOn } from "../../domain/calendar.ts";
import { type MarketplaceCode, type PaymentMethod } from "../../domain/marketplaces.ts";
import { Dec, formatMinor, toMinor } from "../../domain/money.ts";
import { payoutStatus, type PayoutStatus } from "../../domain/payout.ts";
import type { RuleVersion } from "../../domain/rules.ts";
import { int, minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import { byCodePoint } from "../order.ts";
import { addMonth, type Account } from "./fold.ts";

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
  asOf: string,
  where: { column: "creator_id" | "marketplace"; value: string },
): Promise<Account[]> {
  const rows = await tx.query<{
    creator_id: string;
    marketplace: MarketplaceCode;
    tax_info: unknown;
    method: PaymentMethod | null;
    bonus_pending: unknown;
  }>(
    `SELECT creator_id, marketplace, tax_info, method, bonus_pending FROM ${p}accounts WHERE ${where.column} = ? ORDER BY marketplace, creator_id`,
    [where.value],
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

export function toLine(a: Account, asOf: string, rules: RuleVersion): PayoutLine {
  const market = rules.marketplaces[a.marketplace];
  const digits = market.minorDigits;
  const payableMinor = a.dueMinor - a.paidMinor;
  const threshold = a.method ? market.thresholds[a.method] : undefined;
  const thresholdMinor = threshold === undefined ? null : BigInt(toMinor(new Dec(threshold), digits));
  const status = payoutStatus({ payableMinor, taxInfoOnFile: a.taxInfo, paymentMethod: a.method, thresholdMinor });
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
      threshold: thresholdMinor === null ? null : f(thresholdMinor),
      status,
      nextPayableOn: nextPayableOn(asOf),
      taxInfoOnFile: a.taxInfo,
      paymentMethod: a.method,
    },
  };
}

/** A creator's accounts as the projection holds them now, summed as of the local date `asOf`. */
export function payoutAccountsOf(db: ReadModelTx, p: string, creatorId: string, asOf: string): Promise<Account[]> {
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
