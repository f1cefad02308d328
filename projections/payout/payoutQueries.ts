// Reads of the payout projection (SPEC §4 rule 11, §5 payout and payout run).
import { nextPayableOn } from "../../domain/calendar.ts";
import { type MarketplaceCode, type PaymentMethod } from "../../domain/marketplaces.ts";
import { Dec, formatMinor, toMinor } from "../../domain/money.ts";
import { payoutStatus, type PayoutStatus } from "../../domain/payout.ts";
import type { RuleVersion } from "../../domain/rules.ts";
import { int, type ReadModelTx } from "../../infra/readModel/port.ts";

interface AccountRow {
  creator_id: string;
  marketplace: MarketplaceCode;
  tax_info: unknown;
  method: PaymentMethod | null;
  paid: unknown;
  bonus_pending: unknown;
  due: unknown;
  later: unknown;
}

export interface PayoutLine {
  creatorId: string;
  marketplace: MarketplaceCode;
  currency: string;
  payableMinor: number;
  status: PayoutStatus;
  body: Record<string, unknown>;
}

function accountsSql(p: string, where: string): string {
  // Every payout issued so far counts (rule 11: "minus PayoutIssued amounts"), whatever its date:
  // money paid out is never owed again, so a run for an earlier asOf cannot pay it twice.
  return `SELECT a.creator_id, a.marketplace, a.tax_info, a.method, a.bonus_pending,
      COALESCE((SELECT SUM(x.amount) FROM ${p}payouts x WHERE x.creator_id = a.creator_id AND x.marketplace = a.marketplace), 0) AS paid,
      COALESCE((SELECT SUM(m.payable) FROM ${p}months m WHERE m.creator_id = a.creator_id AND m.marketplace = a.marketplace AND m.payable_on <= ?), 0) AS due,
      COALESCE((SELECT SUM(m.payable) FROM ${p}months m WHERE m.creator_id = a.creator_id AND m.marketplace = a.marketplace AND m.payable_on > ?), 0) AS later
    FROM ${p}accounts a WHERE ${where} ORDER BY a.marketplace, a.creator_id`;
}

function toLine(r: AccountRow, asOf: string, rules: RuleVersion): PayoutLine {
  const market = rules.marketplaces[r.marketplace];
  const digits = market.minorDigits;
  const paid = int(r.paid);
  const payableMinor = int(r.due) - paid;
  const threshold = r.method ? market.thresholds[r.method] : undefined;
  const thresholdMinor = threshold === undefined ? null : toMinor(new Dec(threshold), digits);
  const status = payoutStatus({ payableMinor, taxInfoOnFile: int(r.tax_info) === 1, paymentMethod: r.method, thresholdMinor });
  const f = (n: number) => formatMinor(n, digits);
  return {
    creatorId: r.creator_id,
    marketplace: r.marketplace,
    currency: market.currency,
    payableMinor,
    status,
    body: {
      marketplace: r.marketplace,
      currency: market.currency,
      payable: f(payableMinor),
      pending: f(int(r.later) + int(r.bonus_pending)),
      paid: f(paid),
      threshold: thresholdMinor === null ? null : f(thresholdMinor),
      status,
      nextPayableOn: nextPayableOn(asOf),
      taxInfoOnFile: int(r.tax_info) === 1,
      paymentMethod: r.method,
    },
  };
}

export async function payoutOf(db: ReadModelTx, p: string, creatorId: string, asOf: string, rules: RuleVersion): Promise<PayoutLine[]> {
  const rows = await db.query<AccountRow>(accountsSql(p, "a.creator_id = ?"), [asOf, asOf, creatorId]);
  return rows.map((r) => toLine(r, asOf, rules));
}

export async function payoutsOfMarketplace(db: ReadModelTx, p: string, marketplace: MarketplaceCode, asOf: string, rules: RuleVersion): Promise<PayoutLine[]> {
  const rows = await db.query<AccountRow>(accountsSql(p, "a.marketplace = ?"), [asOf, asOf, marketplace]);
  return rows.map((r) => toLine(r, asOf, rules));
}
