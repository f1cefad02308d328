// Point-in-time reads (SPEC §8.2): what the earnings, report and payout read models held at
// position P, folded from one owner's own journal rows up to P (entries, facts, anomalies, found by
// the (owner, position) indexes), never from a replay of the stream. Each returns the same plain
// rows the read model's own tables give for a read of now, and the read model's own module shapes
// the answer, so a read as of P on the full store equals the same read on a store of events 1..P
// (tests/int/pointInTime.int.test.ts checks it on SQLite and PostgreSQL).
import { payableOn } from "../../domain/calendar.ts";
import { addToBuckets, isEntryKind, movesBuckets, payableDelta, pendingDelta, reportEffect, zeroBuckets, type Buckets, type EntryKind } from "../../domain/journal/entryKinds.ts";
import type { MarketplaceCode, PaymentMethod } from "../../domain/marketplaces.ts";
import { int, minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import type { EarningsRows } from "../earnings/earningsQueries.ts";
import { byCodePoint } from "../order.ts";
import type { Account } from "../payout/payoutQueries.ts";
import type { ReportRawRow, ReportScope } from "../report/reportQueries.ts";

function kindOf(value: string): EntryKind {
  if (!isEntryKind(value)) throw new Error(`journal: unknown entry kind '${value}'`);
  return value;
}

// --- Earnings (SPEC §5, §8.4) -------------------------------------------------------------------

export async function earningsRowsAt(tx: ReadModelTx, p: string, creatorId: string, upTo: number): Promise<EarningsRows> {
  const sums = await tx.query<{ marketplace: MarketplaceCode; earning_month: string | null; campaign_id: string | null; kind: string; amount: unknown }>(
    `SELECT marketplace, earning_month, campaign_id, kind, SUM(amount_minor) AS amount FROM ${p}entries
     WHERE creator_id = ? AND position <= ? GROUP BY marketplace, earning_month, campaign_id, kind`,
    [creatorId, upTo],
  );
  const totals = new Map<MarketplaceCode, Buckets>();
  const months = new Map<string, { marketplace: MarketplaceCode; month: string; buckets: Buckets }>();
  const campaigns = new Map<string, { marketplace: MarketplaceCode; campaignId: string | null; buckets: Buckets; contentSubmitted: boolean }>();
  const totalOf = (m: MarketplaceCode) => totals.get(m) ?? totals.set(m, zeroBuckets()).get(m)!;
  const campaignOf = (m: MarketplaceCode, campaignId: string | null) => {
    const key = `${m}\u0000${campaignId ?? ""}`;
    return campaigns.get(key) ?? campaigns.set(key, { marketplace: m, campaignId, buckets: zeroBuckets(), contentSubmitted: false }).get(key)!;
  };
  for (const r of sums) {
    const kind = kindOf(r.kind);
    if (!movesBuckets(kind)) continue; // payouts: in the journal, not in earnings
    const amount = minor(r.amount);
    addToBuckets(totalOf(r.marketplace), kind, amount);
    if (r.earning_month !== null) {
      const key = `${r.marketplace}\u0000${r.earning_month}`;
      const month = months.get(key) ?? months.set(key, { marketplace: r.marketplace, month: r.earning_month, buckets: zeroBuckets() }).get(key)!;
      addToBuckets(month.buckets, kind, amount);
    }
    addToBuckets(campaignOf(r.marketplace, r.campaign_id).buckets, kind, amount);
  }
  const facts = await tx.query<{ kind: string; campaign_id: string; marketplace: MarketplaceCode | null; ref: string }>(
    `SELECT kind, campaign_id, marketplace, ref FROM ${p}facts WHERE creator_id = ? AND position <= ? AND kind IN ('acceptance', 'content') ORDER BY position, seq`,
    [creatorId, upTo],
  );
  const qualified = new Map<string, boolean>(); // the last word per campaign
  for (const f of facts) {
    if (f.kind === "acceptance") {
      // An accepted campaign shows in the creator's earnings even before it earns anything.
      totalOf(f.marketplace!);
      campaignOf(f.marketplace!, f.campaign_id);
    } else qualified.set(f.campaign_id, f.ref === "qualified");
  }
  for (const c of campaigns.values()) c.contentSubmitted = c.campaignId !== null && qualified.get(c.campaignId) === true;
  return {
    totals: [...totals.entries()].map(([marketplace, buckets]) => ({ marketplace, buckets })),
    months: [...months.values()],
    campaigns: [...campaigns.values()],
  };
}

// --- Reports (SPEC §5, §9) ---------------------------------------------------------------------

/** The raw report rows of a creator (optionally one campaign) or of a campaign, as of `upTo`. */
export async function reportRowsAt(tx: ReadModelTx, p: string, scope: ReportScope, from: string, to: string, upTo: number): Promise<ReportRawRow[]> {
  const owner =
    scope.creatorId === undefined
      ? { sql: "campaign_id = ?", params: [scope.campaignId] }
      : scope.campaignId === null
        ? { sql: "creator_id = ?", params: [scope.creatorId] }
        : { sql: "creator_id = ? AND campaign_id = ?", params: [scope.creatorId, scope.campaignId] };
  const rows = new Map<string, ReportRawRow>();
  const rowOf = (date: string, creatorId: string, campaignId: string, marketplace: MarketplaceCode) => {
    const key = `${date}\u0000${creatorId}\u0000${campaignId}\u0000${marketplace}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { date, creatorId, campaignId, marketplace, clicks: 0, orders: 0, units: 0, revenue: 0n, earnings: 0n, spend: 0n }));
    return row;
  };
  const entries = await tx.query<{ report_date: string; creator_id: string; campaign_id: string; marketplace: MarketplaceCode; kind: string; amount: unknown; units: unknown; revenue: unknown }>(
    `SELECT report_date, creator_id, campaign_id, marketplace, kind, SUM(amount_minor) AS amount, SUM(units) AS units, SUM(revenue_minor) AS revenue
     FROM ${p}entries WHERE ${owner.sql} AND position <= ? AND report_date >= ? AND report_date <= ? AND creator_id IS NOT NULL
     GROUP BY report_date, creator_id, campaign_id, marketplace, kind`,
    [...owner.params, upTo, from, to],
  );
  for (const e of entries) {
    const row = rowOf(e.report_date, e.creator_id, e.campaign_id, e.marketplace);
    // One entry's report effect is linear in its amount, so the effect of a kind's sum is the sum of the effects.
    const amount = minor(e.amount);
    const unit = reportEffect(kindOf(e.kind), 1);
    row.earnings += BigInt(unit.earningsMinor) * amount;
    row.spend += BigInt(unit.spendMinor) * amount;
    row.units += int(e.units);
    row.revenue += minor(e.revenue);
  }
  // Clicks, and the distinct orders shipped each day (a shipment fact names its order).
  const facts = await tx.query<{ kind: string; date: string; creator_id: string; campaign_id: string; marketplace: MarketplaceCode; count: unknown }>(
    `SELECT kind, date, creator_id, campaign_id, marketplace, CASE WHEN kind = 'click' THEN COUNT(*) ELSE COUNT(DISTINCT ref) END AS count
     FROM ${p}facts WHERE ${owner.sql} AND position <= ? AND kind IN ('click', 'shipment') AND date >= ? AND date <= ?
     GROUP BY kind, date, creator_id, campaign_id, marketplace`,
    [...owner.params, upTo, from, to],
  );
  for (const f of facts) {
    const row = rowOf(f.date, f.creator_id, f.campaign_id, f.marketplace);
    if (f.kind === "click") row.clicks += int(f.count);
    else row.orders += int(f.count);
  }
  return [...rows.values()];
}

// --- Payouts (SPEC §4 rule 11, §8.4, §8.5) ------------------------------------------------------

/** A creator's payout standing per marketplace as of the local date `asOf` and position `upTo`. */
export async function payoutAccountsAt(tx: ReadModelTx, p: string, creatorId: string, asOf: string, upTo: number): Promise<Account[]> {
  const accounts = new Map<MarketplaceCode, Account>();
  const accountOf = (marketplace: MarketplaceCode) => {
    let a = accounts.get(marketplace);
    if (!a) accounts.set(marketplace, (a = { creatorId, marketplace, taxInfo: false, method: null, bonusPendingMinor: 0n, paidMinor: 0n, dueMinor: 0n, laterMinor: 0n }));
    return a;
  };
  const sums = await tx.query<{ marketplace: MarketplaceCode; earning_month: string | null; kind: string; amount: unknown }>(
    `SELECT marketplace, earning_month, kind, SUM(amount_minor) AS amount FROM ${p}entries
     WHERE creator_id = ? AND position <= ? GROUP BY marketplace, earning_month, kind`,
    [creatorId, upTo],
  );
  for (const r of sums) {
    const kind = kindOf(r.kind);
    const amount = minor(r.amount);
    if (kind === "payout" || kind === "payout_failed") {
      accountOf(r.marketplace).paidMinor -= amount; // payouts are negative, failures positive: paid net of failures
      continue;
    }
    if (r.earning_month === null) continue; // budget entries: no creator, no month
    const a = accountOf(r.marketplace);
    const payable = BigInt(payableDelta(kind, 1)) * amount;
    if (payableOn(r.earning_month) <= asOf) a.dueMinor += payable;
    else a.laterMinor += payable;
    a.bonusPendingMinor += BigInt(pendingDelta(kind, 1)) * amount;
  }
  const facts = await tx.query<{ kind: string; marketplace: MarketplaceCode; ref: string | null }>(
    `SELECT kind, marketplace, ref FROM ${p}facts WHERE creator_id = ? AND position <= ? AND kind IN ('acceptance', 'tax_info', 'payment_method', 'payout') ORDER BY position, seq`,
    [creatorId, upTo],
  );
  for (const f of facts) {
    const a = accountOf(f.marketplace);
    if (f.kind === "tax_info") a.taxInfo = true;
    else if (f.kind === "payment_method") a.method = f.ref as PaymentMethod; // the last one applies
  }
  // In marketplace order, as the payout read model answers (payoutQueries.ts).
  return [...accounts.values()].sort((a, b) => byCodePoint(a.marketplace, b.marketplace));
}

/** SPEC §8.5: the earning months payable by `date` and what was paid before `payoutPosition`, as of that position. */
export async function payoutStatementAt(tx: ReadModelTx, p: string, creatorId: string, marketplace: MarketplaceCode, date: string, payoutPosition: number) {
  const sums = await tx.query<{ earning_month: string | null; kind: string; amount: unknown }>(
    `SELECT earning_month, kind, SUM(amount_minor) AS amount FROM ${p}entries
     WHERE creator_id = ? AND marketplace = ? AND position <= ? GROUP BY earning_month, kind`,
    [creatorId, marketplace, payoutPosition],
  );
  const earned = new Map<string, bigint>();
  for (const r of sums) {
    const kind = kindOf(r.kind);
    if (r.earning_month === null || payableOn(r.earning_month) > date) continue;
    earned.set(r.earning_month, (earned.get(r.earning_month) ?? 0n) + BigInt(payableDelta(kind, 1)) * minor(r.amount));
  }
  const paid = await tx.query<{ amount: unknown }>(
    `SELECT SUM(amount_minor) AS amount FROM ${p}entries WHERE creator_id = ? AND marketplace = ? AND position < ? AND kind IN ('payout', 'payout_failed')`,
    [creatorId, marketplace, payoutPosition],
  );
  return {
    months: [...earned.entries()].sort(([a], [b]) => byCodePoint(a, b)).map(([month, earnedMinor]) => ({ month, payableOn: payableOn(month), earnedMinor })),
    previouslyPaidMinor: -minor(paid[0]?.amount ?? 0),
  };
}
