// The journal (SPEC §8.1): every entry the engine books, in position order, with the transfer
// between two accounts it makes; each account's history with its running balance; the facts and
// anomalies of every event. It is what finance audits (the creator's ledger, accounts, the trial
// balance, the feed), and what point-in-time reads fold (§8.2): an owner's own rows up to a
// position, found through indexes by (owner, position), never a replay of the stream.
//
// Closed periods (SPEC §13) live here too, not in a read model of their own: a closing statement is
// the journal as of the close (its trial balance, the month's entries, what was moved forward since),
// so keeping the closes (periods) and each marketplace's booked months with their first position
// (period_months) in the same tables, at the same position, lets one snapshot answer it as of any P.
import { transferOf } from "../../domain/journal/entryKinds.ts";
import type { Fact } from "../../domain/engine/outcome.ts";
import { minor, moneyColumn, type ReadModelTx, type SqlValue } from "../../infra/readModel/port.ts";
import { insertIgnore } from "../additive.ts";
import type { ProjectionDefinition } from "../projection.ts";
import { AnomalyRows, anomaliesTableDdl } from "../anomalies.ts";

export const ENTRY_COLUMNS = [
  "position",
  "seq",
  "source_event_id",
  "event_type",
  "occurred_at",
  "kind",
  "source",
  "destination",
  "amount_minor",
  "marketplace",
  "creator_id",
  "campaign_id",
  "shipment_id",
  "order_id",
  "asin",
  "earning_month",
  "original_month",
  "report_date",
  "rate",
  "rule_version",
  "units",
  "revenue_minor",
  "note",
] as const;

export const FACT_COLUMNS = [
  "position",
  "seq",
  "kind",
  "creator_id",
  "campaign_id",
  "marketplace",
  "date",
  "ref",
  "amount_minor",
  "detail",
] as const;

/**
 * Clicks and shipments (a report's clicks and orders as of a position, reportAt.ts), in a table of
 * their own: in the bench's workload 96 % of the facts (71 % clicks). Their owner indexes lead with the
 * date, so following the store inserts into the few newest dates' part of each index instead of
 * pages all over it (docs/scaling.md, "Following the store").
 */
export const DAY_FACT_COLUMNS = ["position", "seq", "kind", "creator_id", "campaign_id", "marketplace", "date", "ref"] as const;

/** A fact's row in `facts` or `day_facts` (DAY_FACT_COLUMNS). */
type FactRow = { table: "facts" | "day_facts"; row: SqlValue[] };

/** The facts point-in-time reads need, as rows (the others are folded by the read models that use them). */
function factRow(position: number, seq: number, f: Fact): FactRow | null {
  const row = (
    creatorId: string,
    campaignId: string | null,
    marketplace: string | null,
    date: string | null,
    ref: string | null,
    amountMinor: number | null,
    detail: string | null,
  ): FactRow => ({ table: "facts", row: [position, seq, f.kind, creatorId, campaignId, marketplace, date, ref, amountMinor, detail] });
  const dayRow = (creatorId: string, campaignId: string, marketplace: string, date: string, ref: string | null): FactRow => ({
    table: "day_facts",
    row: [position, seq, f.kind, creatorId, campaignId, marketplace, date, ref],
  });
  switch (f.kind) {
    case "acceptance":
      return row(f.creatorId, f.campaignId, f.marketplace, null, f.trackingId, null, null);
    case "content":
      return row(f.creatorId, f.campaignId, null, null, f.qualified ? "qualified" : "not_qualified", null, null);
    case "click":
      return dayRow(f.creatorId, f.campaignId, f.marketplace, f.reportDate, null);
    case "shipment":
      return dayRow(f.creatorId, f.campaignId, f.marketplace, f.reportDate, f.orderId);
    case "tax_info":
      return row(f.creatorId, null, f.marketplace, null, null, null, null);
    case "payment_method":
      return row(f.creatorId, null, f.marketplace, null, f.method, null, null);
    case "payout":
      return row(f.creatorId, null, f.marketplace, f.date, f.payoutId, f.amountMinor, null);
    case "payout_failed":
      return row(f.creatorId, null, f.marketplace, null, f.payoutId, null, f.reason);
    // §12: what a point-in-time payout read needs of holds and thresholds (the note, actor and start of a hold in detail).
    case "hold":
      return row(
        f.creatorId,
        null,
        f.marketplace,
        null,
        f.reasonCode,
        null,
        JSON.stringify({ note: f.note, actor: f.actor, since: f.since }),
      );
    case "release":
      return row(f.creatorId, null, f.marketplace, null, null, null, JSON.stringify({ note: f.note, actor: f.actor }));
    case "threshold":
      return row(f.creatorId, null, f.marketplace, null, null, f.amountMinor, null);
    // Closes name no creator: they have their own table, periods (the batch's add).
    case "period_closed":
    case "campaign":
    case "campaign_ended":
    case "budget":
    case "budget_exhausted":
    case "strike":
    case "webhook_registered":
    case "webhook_deleted":
      return null;
  }
}

/** One side of a transfer: what it does to an account's balance. */
interface AccountMove {
  account: string;
  position: number;
  seq: number;
  delta: bigint;
  currency: string;
  marketplace: string;
}

interface AccountState {
  balance: bigint;
  currency: string;
  marketplace: string;
  firstPosition: number;
}

/**
 * The balances of `accounts` before this batch, in IN lists of 1, 2, 4 … 512 placeholders (a short
 * list is padded by repeating its first account): each distinct statement stays prepared for the
 * connection's life, so a few list lengths keep SQLite's memory small (docs/scaling.md).
 */
async function loadBalances(tx: ReadModelTx, p: string, accounts: readonly string[]): Promise<Map<string, AccountState>> {
  const out = new Map<string, AccountState>();
  const CHUNK = 512;
  for (let i = 0; i < accounts.length; i += CHUNK) {
    const chunk = accounts.slice(i, i + CHUNK);
    let width = 1;
    while (width < chunk.length) width *= 2;
    const params = chunk.concat(Array.from({ length: width - chunk.length }, () => chunk[0]!));
    const rows = await tx.query<{
      account: string;
      balance_minor: unknown;
      currency: string;
      marketplace: string;
      first_position: unknown;
    }>(
      `SELECT account, balance_minor, currency, marketplace, first_position FROM ${p}accounts WHERE account IN (${params.map(() => "?").join(", ")})`,
      params,
    );
    for (const r of rows)
      out.set(r.account, {
        balance: minor(r.balance_minor),
        currency: r.currency,
        marketplace: r.marketplace,
        firstPosition: Number(r.first_position),
      });
  }
  return out;
}

export const journalProjection: ProjectionDefinition = {
  name: "journal",
  // 3: the owners' indexes cover the point-in-time reads; 4: original_month; 5: periods and period_months (SPEC §13);
  // 6: facts_holds (holds and releases only) instead of facts_kind over every fact; 7: clicks and shipments in day_facts (no facts_campaign)
  format: 7,
  tables: {
    entries: ["position", "seq"],
    account_entries: ["account", "position", "seq"],
    accounts: ["account"],
    facts: ["position", "seq"],
    day_facts: ["position", "seq"],
    periods: ["marketplace", "month"],
    period_months: ["marketplace", "month"],
    anomalies: ["position", "idx"],
  },
  schema: (p, d) => `
    CREATE TABLE IF NOT EXISTS ${p}entries (position BIGINT NOT NULL, seq INTEGER NOT NULL, source_event_id TEXT NOT NULL, event_type TEXT NOT NULL,
      occurred_at TEXT NOT NULL, kind TEXT NOT NULL, source TEXT, destination TEXT, amount_minor BIGINT NOT NULL, marketplace TEXT NOT NULL,
      creator_id TEXT, campaign_id TEXT, shipment_id TEXT, order_id TEXT, asin TEXT, earning_month TEXT, original_month TEXT, report_date TEXT, rate TEXT,
      rule_version INTEGER NOT NULL, units INTEGER NOT NULL, revenue_minor BIGINT NOT NULL, note TEXT, PRIMARY KEY (position, seq));
    CREATE TABLE IF NOT EXISTS ${p}account_entries (account TEXT NOT NULL, position BIGINT NOT NULL, seq INTEGER NOT NULL,
      delta_minor BIGINT NOT NULL, ${moneyColumn("balance_minor", d)});
    CREATE TABLE IF NOT EXISTS ${p}accounts (account TEXT PRIMARY KEY, currency TEXT NOT NULL, marketplace TEXT NOT NULL,
      ${moneyColumn("balance_minor", d)}, first_position BIGINT NOT NULL, last_position BIGINT NOT NULL);
    CREATE INDEX IF NOT EXISTS ${p}accounts_currency ON ${p}accounts (currency, account);
    CREATE TABLE IF NOT EXISTS ${p}facts (position BIGINT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, creator_id TEXT NOT NULL, campaign_id TEXT,
      marketplace TEXT, date TEXT, ref TEXT, amount_minor BIGINT, detail TEXT, PRIMARY KEY (position, seq));
    CREATE TABLE IF NOT EXISTS ${p}day_facts (position BIGINT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, creator_id TEXT NOT NULL,
      campaign_id TEXT NOT NULL, marketplace TEXT NOT NULL, date TEXT NOT NULL, ref TEXT, PRIMARY KEY (position, seq));
    CREATE TABLE IF NOT EXISTS ${p}periods (marketplace TEXT NOT NULL, month TEXT NOT NULL, position BIGINT NOT NULL, closed_at TEXT NOT NULL,
      actor TEXT NOT NULL, note TEXT, PRIMARY KEY (marketplace, month));
    CREATE TABLE IF NOT EXISTS ${p}period_months (marketplace TEXT NOT NULL, month TEXT NOT NULL, first_position BIGINT NOT NULL,
      PRIMARY KEY (marketplace, month));
    ${anomaliesTableDdl(p)}
  `,
  // Owners' rows by position (point-in-time reads, the creator's ledger, account histories). The
  // tables themselves are keyed by position, so a rebuild appends to them in order. The owner
  // indexes carry every column a point-in-time read uses (earningsAt.ts, reportAt.ts, payoutAt.ts), so
  // those reads walk one owner's index entries in order instead of fetching rows from all over the
  // file (docs/scaling.md). Facts are indexed by kind: the reads ask for a few kinds. Clicks and
  // shipments (day_facts) are indexed by date first: a report asks for a range of dates (one seek per
  // day, reportAt.ts), and live inserts fall among the newest dates instead of all over the index.
  readIndexes: {
    entries_creator:
      "entries (creator_id, position, seq, marketplace, earning_month, campaign_id, kind, amount_minor, report_date, units, revenue_minor)",
    entries_campaign:
      "entries (campaign_id, position, seq, creator_id, marketplace, kind, amount_minor, report_date, units, revenue_minor)",
    account_entries_account: "account_entries (account, position, seq)",
    facts_creator: "facts (creator_id, kind, date, position, seq, campaign_id, marketplace, ref)",
    day_facts_creator: "day_facts (date, creator_id, kind, position, campaign_id, marketplace, ref)",
    day_facts_campaign: "day_facts (date, campaign_id, kind, position, creator_id, marketplace, ref)",
    // §15: a marketplace's payouts of a year and its failures (GET /v1/tax-summaries), whoever's; partial, so small.
    facts_payouts: "facts (marketplace, date, position, creator_id, ref, amount_minor) WHERE kind = 'payout'",
    facts_payout_failures: "facts (marketplace, position, ref) WHERE kind = 'payout_failed'",
    // §12: the holds standing as of P (GET /v1/holds) fold every hold and release up to P, whoever's
    // (payoutAt.ts, whose WHERE names the same IN list, as SQLite needs to use a partial index).
    // Partial: an index on every fact's kind led SQLite (no statistics) to answer "has this creator
    // an acceptance up to P" by walking every acceptance up to P, 11–19 ms at 1M events, instead
    // of the creator's own index (docs/scaling.md, "Figures behind code comments").
    facts_holds: "facts (position, seq) WHERE kind IN ('hold', 'release')",
    // §13: a closed month's totals and creators (periodQueries.ts): its entries booked in it, up to the close.
    entries_booked_month: "entries (marketplace, earning_month, position, creator_id, kind, amount_minor)",
    // §13: what a close moved forward (a closing statement's lateEntries); partial, so small.
    entries_moved: "entries (marketplace, original_month, position, seq) WHERE earning_month <> original_month",
    anomalies_creator: "anomalies (creator_id, position)",
  },
  batch(_read, p) {
    const entries: SqlValue[][] = [];
    const facts: SqlValue[][] = [];
    const dayFacts: SqlValue[][] = [];
    const periods: SqlValue[][] = [];
    /** Each booked month's first entry in this batch (by "marketplace month"): period_months keeps the first. */
    const months = new Map<string, SqlValue[]>();
    /** Every account's moves, in entry order; their running balances are found when written, from the balances before the batch. */
    const moves: AccountMove[] = [];
    const anomalies = new AnomalyRows();
    return {
      async add(outcomes) {
        for (const o of outcomes) {
          for (const post of o.postings) {
            entries.push([
              post.position,
              post.seq,
              post.sourceEventId,
              post.eventType,
              o.occurredAt,
              post.kind,
              post.source,
              post.destination,
              post.amountMinor,
              post.marketplace,
              post.creatorId,
              post.campaignId,
              post.shipmentId,
              post.orderId,
              post.asin,
              post.earningMonth,
              post.originalMonth,
              post.reportDate,
              post.rate,
              post.ruleVersion,
              post.units,
              post.revenueMinor,
              post.note,
            ]);
            const monthKey = `${post.marketplace} ${post.earningMonth}`;
            if (post.earningMonth !== null && !months.has(monthKey))
              months.set(monthKey, [post.marketplace, post.earningMonth, post.position]);
            const transfer = transferOf(post.kind, post.amountMinor);
            if (transfer === null || post.source === null || post.destination === null) continue;
            const amount = BigInt(transfer.amountMinor);
            moves.push(
              {
                account: post.source,
                position: post.position,
                seq: post.seq,
                delta: -amount,
                currency: post.currency,
                marketplace: post.marketplace,
              },
              {
                account: post.destination,
                position: post.position,
                seq: post.seq,
                delta: amount,
                currency: post.currency,
                marketplace: post.marketplace,
              },
            );
          }
          let seq = 0;
          for (const f of o.facts) {
            if (f.kind === "period_closed") periods.push([f.marketplace, f.month, o.position, f.closedAt, f.actor, f.note]);
            const fact = factRow(o.position, seq, f);
            if (fact !== null) {
              (fact.table === "facts" ? facts : dayFacts).push(fact.row);
              seq += 1;
            }
          }
          anomalies.add(o);
        }
      },
      async write(tx) {
        const accounts = await loadBalances(tx, p, [...new Set(moves.map((m) => m.account))]);
        const accountEntries: SqlValue[][] = [];
        const lastPosition = new Map<string, number>();
        for (const { account, position, seq, delta, currency, marketplace } of moves) {
          let state = accounts.get(account);
          if (!state) accounts.set(account, (state = { balance: 0n, currency, marketplace, firstPosition: position }));
          state.balance += delta;
          accountEntries.push([account, position, seq, delta, state.balance]);
          lastPosition.set(account, position);
        }
        await insertIgnore(tx, `${p}entries`, ENTRY_COLUMNS, entries);
        await tx.runMany(
          `INSERT INTO ${p}account_entries (account, position, seq, delta_minor, balance_minor) VALUES (?, ?, ?, ?, ?)`,
          accountEntries,
        );
        await tx.runMany(
          `INSERT INTO ${p}accounts (account, currency, marketplace, balance_minor, first_position, last_position) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (account) DO UPDATE SET balance_minor = excluded.balance_minor, last_position = excluded.last_position`,
          [...lastPosition.entries()].map(([account, last]) => {
            const s = accounts.get(account)!;
            return [account, s.currency, s.marketplace, s.balance, s.firstPosition, last];
          }),
        );
        await insertIgnore(tx, `${p}facts`, FACT_COLUMNS, facts);
        await insertIgnore(tx, `${p}day_facts`, DAY_FACT_COLUMNS, dayFacts);
        await insertIgnore(tx, `${p}periods`, ["marketplace", "month", "position", "closed_at", "actor", "note"], periods);
        // Batches come in position order, so a month's row keeps its first entry's position (a later batch's is ignored).
        await insertIgnore(tx, `${p}period_months`, ["marketplace", "month", "first_position"], [...months.values()]);
        await anomalies.write(tx, p);
      },
    };
  },
};
