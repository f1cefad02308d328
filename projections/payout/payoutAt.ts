// Payouts as of a position (SPEC §8.2): one creator's journal rows up to P (entries summed per
// month and kind, the facts of acceptances, settings and payouts in order, through the journal's
// (owner, position) indexes) folded from zero by the payout fold, never a replay of the stream.
import { payableOn } from "../../domain/calendar.ts";
import { payableDelta } from "../../domain/journal/entryKinds.ts";
import type { MarketplaceCode, PaymentMethod } from "../../domain/marketplaces.ts";
import { int, minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import { entryKindOf } from "../journal/journalRows.ts";
import { byCodePoint } from "../order.ts";
import { PayoutFold, type Account, type PayoutFact } from "./fold.ts";

type FactRow = {
  position: unknown;
  kind: PayoutFact["kind"];
  marketplace: MarketplaceCode;
  ref: string;
  amount_minor: unknown;
  date: string | null;
  detail: string | null;
};

function payoutFact(creatorId: string, f: FactRow): PayoutFact {
  switch (f.kind) {
    case "acceptance":
    case "tax_info":
      return { kind: f.kind, creatorId, marketplace: f.marketplace };
    case "payment_method":
      return { kind: "payment_method", creatorId, marketplace: f.marketplace, method: f.ref as PaymentMethod };
    case "payout":
      return { kind: "payout", creatorId, marketplace: f.marketplace, payoutId: f.ref, amountMinor: minor(f.amount_minor), date: f.date! };
    case "payout_failed":
      return { kind: "payout_failed", payoutId: f.ref, reason: f.detail ?? "" };
  }
}

/** A creator's payout standing per marketplace as of the local date `asOf` and position `upTo`, from the journal under prefix `p`. */
export async function payoutAccountsAt(tx: ReadModelTx, p: string, creatorId: string, asOf: string, upTo: number): Promise<Account[]> {
  const fold = new PayoutFold();
  const sums = await tx.query<{ marketplace: MarketplaceCode; earning_month: string | null; kind: string; amount: unknown }>(
    `SELECT marketplace, earning_month, kind, SUM(amount_minor) AS amount FROM ${p}entries
     WHERE creator_id = ? AND position <= ? AND earning_month IS NOT NULL GROUP BY marketplace, earning_month, kind`,
    [creatorId, upTo],
  );
  for (const r of sums)
    fold.entry({
      kind: entryKindOf(r.kind),
      creatorId,
      marketplace: r.marketplace,
      earningMonth: r.earning_month,
      amountMinor: minor(r.amount),
    });
  const facts = await tx.query<FactRow>(
    `SELECT position, kind, marketplace, ref, amount_minor, date, detail FROM ${p}facts
     WHERE creator_id = ? AND position <= ? AND kind IN ('acceptance', 'tax_info', 'payment_method', 'payout', 'payout_failed') ORDER BY position, seq`,
    [creatorId, upTo],
  );
  for (const f of facts) fold.fact(payoutFact(creatorId, f), int(f.position));
  return fold.accountsAsOf(asOf);
}

/** SPEC §8.5: the earning months payable by `date` and what was paid before `payoutPosition`, as of that position. */
export async function payoutStatementAt(
  tx: ReadModelTx,
  p: string,
  creatorId: string,
  marketplace: MarketplaceCode,
  date: string,
  payoutPosition: number,
) {
  const sums = await tx.query<{ earning_month: string | null; kind: string; amount: unknown }>(
    `SELECT earning_month, kind, SUM(amount_minor) AS amount FROM ${p}entries
     WHERE creator_id = ? AND marketplace = ? AND position <= ? GROUP BY earning_month, kind`,
    [creatorId, marketplace, payoutPosition],
  );
  const earned = new Map<string, bigint>();
  for (const r of sums) {
    if (r.earning_month === null || payableOn(r.earning_month) > date) continue;
    earned.set(r.earning_month, (earned.get(r.earning_month) ?? 0n) + BigInt(payableDelta(entryKindOf(r.kind), 1)) * minor(r.amount));
  }
  const paid = await tx.query<{ amount: unknown }>(
    `SELECT SUM(amount_minor) AS amount FROM ${p}entries WHERE creator_id = ? AND marketplace = ? AND position < ? AND kind IN ('payout', 'payout_failed')`,
    [creatorId, marketplace, payoutPosition],
  );
  return {
    months: [...earned.entries()]
      .sort(([a], [b]) => byCodePoint(a, b))
      .map(([month, earnedMinor]) => ({ month, payableOn: payableOn(month), earnedMinor })),
    previouslyPaidMinor: -minor(paid[0]?.amount ?? 0),
  };
}
