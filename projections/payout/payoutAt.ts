// Payouts as of a position (SPEC §8.2): one creator's journal rows up to P (entries summed per
// month and kind, the facts of acceptances, settings, payouts and holds in order, through the
// journal's (owner, position) indexes) folded from zero by the payout fold, never a replay of the
// stream. The holds standing as of P (GET /v1/holds) fold the journal's hold and release facts,
// through its index by kind and position.
import { payableOn } from "../../domain/calendar.ts";
import type { HoldReason } from "../../domain/engine/outcome.ts";
import { payableDelta } from "../../domain/journal/entryKinds.ts";
import type { MarketplaceCode, PaymentMethod } from "../../domain/marketplaces.ts";
import { int, minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import { entryKindOf } from "../journal/journalRows.ts";
import { byCodePoint } from "../order.ts";
import { byCreatorAndScope, PayoutFold, type Account, type PayoutDate, type PayoutFact, type StandingHold } from "./fold.ts";

type FactRow = {
  position: unknown;
  kind: PayoutFact["kind"];
  /** null: a hold or release of every marketplace. */
  marketplace: MarketplaceCode | null;
  ref: string;
  amount_minor: unknown;
  date: string | null;
  detail: string | null;
};

/** A fact row as the journal stores it (projections/journal/journalProjection.ts factRow). */
function payoutFact(creatorId: string, f: FactRow): PayoutFact {
  switch (f.kind) {
    case "acceptance":
    case "tax_info":
      return { kind: f.kind, creatorId, marketplace: f.marketplace! };
    case "payment_method":
      return { kind: "payment_method", creatorId, marketplace: f.marketplace!, method: f.ref as PaymentMethod };
    case "payout":
      return { kind: "payout", creatorId, marketplace: f.marketplace!, payoutId: f.ref, amountMinor: minor(f.amount_minor), date: f.date! };
    case "payout_failed":
      return { kind: "payout_failed", payoutId: f.ref, reason: f.detail ?? "" };
    case "hold": {
      const { note, actor, since } = JSON.parse(f.detail!) as { note: string; actor: string; since: string };
      return { kind: "hold", creatorId, marketplace: f.marketplace, reasonCode: f.ref as HoldReason, note, actor, since };
    }
    case "release":
      return { kind: "release", creatorId, marketplace: f.marketplace };
    case "threshold":
      return {
        kind: "threshold",
        creatorId,
        marketplace: f.marketplace!,
        amountMinor: f.amount_minor === null || f.amount_minor === undefined ? null : minor(f.amount_minor),
      };
  }
}

const PAYOUT_FACTS = "'acceptance', 'tax_info', 'payment_method', 'payout', 'payout_failed', 'hold', 'release', 'threshold'";

/** A creator's payout standing per marketplace as of the local date `asOf` and position `upTo`, from the journal under prefix `p`. */
export async function payoutAccountsAt(tx: ReadModelTx, p: string, creatorId: string, asOf: PayoutDate, upTo: number): Promise<Account[]> {
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
     WHERE creator_id = ? AND position <= ? AND kind IN (${PAYOUT_FACTS}) ORDER BY position, seq`,
    [creatorId, upTo],
  );
  for (const f of facts) fold.fact(payoutFact(creatorId, f), int(f.position));
  return fold.accountsAsOf(asOf);
}

/** §12: every hold standing as of position `upTo` (GET /v1/holds as of P), folded from the journal's hold and release facts, in answer order. */
export async function standingHoldsAt(tx: ReadModelTx, p: string, upTo: number): Promise<StandingHold[]> {
  const fold = new PayoutFold();
  // `kind IN ('hold', 'release')` exactly as the journal's partial index facts_holds says it: SQLite
  // uses a partial index only when the query names its WHERE term.
  const facts = await tx.query<FactRow & { creator_id: string }>(
    `SELECT position, kind, creator_id, marketplace, ref, amount_minor, date, detail FROM ${p}facts
     WHERE kind IN ('hold', 'release') AND position <= ? ORDER BY position, seq`,
    [upTo],
  );
  for (const f of facts) fold.fact(payoutFact(f.creator_id, f), int(f.position));
  return fold.standingHolds().sort(byCreatorAndScope);
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
