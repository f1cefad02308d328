// Closed periods (SPEC §13) as of a position, from the journal's tables (journalProjection.ts): the
// closes of a marketplace (periods), the months it has booked entries in with the position of the
// first (period_months), and a closed month's closing statement — the journal as of the close:
// the trial balance, the month's totals and creators, and what was booked forward since. "Now" is
// the journal's own position, so a read of now and a read as of P are the same queries.
import { addToBuckets, movesBuckets, PAYABLE_BUCKETS, sumOf, zeroBuckets, type Buckets } from "../../domain/journal/entryKinds.ts";
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";
import { formatMinor } from "../../domain/money.ts";
import { int, minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import type { ModelRead } from "../modelRead.ts";
import { byCodePoint } from "../order.ts";
import { ENTRY_VIEW_COLUMNS, entryView, trialBalanceOf, type EntryRow } from "./journalQueries.ts";
import { entryKindOf } from "./journalRows.ts";

/** A PeriodClosed the engine accepted: it closed `month` and every earlier month of its marketplace. */
interface Close {
  month: string;
  position: number;
  closedAt: string;
  actor: string;
  note: string | null;
}

/** A marketplace's closes up to `upTo`, in position order (one per month at most: few). */
async function closesOf(tx: ReadModelTx, p: string, marketplace: MarketplaceCode, upTo: number): Promise<Close[]> {
  const rows = await tx.query<{ month: string; position: unknown; closed_at: string; actor: string; note: string | null }>(
    `SELECT month, position, closed_at, actor, note FROM ${p}periods WHERE marketplace = ? AND position <= ? ORDER BY position`,
    [marketplace, upTo],
  );
  return rows.map((r) => ({ month: r.month, position: int(r.position), closedAt: r.closed_at, actor: r.actor, note: r.note ?? null }));
}

/**
 * The close that closed `month`: the first (in position order) of a month ≥ it — a close closes its
 * month and every earlier one, and the engine refuses a close of a month already closed, so closes
 * come in ascending months and the first that covers a month is the one that closed it. null: open.
 */
function closeOf(closes: readonly Close[], month: string): Close | null {
  return closes.find((c) => c.month >= month) ?? null;
}

/** What a period and a closing statement show of the close. */
function closeView(c: Close) {
  return { closedAtPosition: c.position, closedAt: c.closedAt, actor: c.actor, note: c.note };
}

/**
 * SPEC §13 GET /v1/periods: every month of `marketplace` with entries booked in it by `upTo`, and
 * every month a close named, ascending, each open or closed (with the close that closed it).
 */
export async function periodsOf(tx: ReadModelTx, p: string, marketplace: MarketplaceCode, upTo: number) {
  const closes = await closesOf(tx, p, marketplace, upTo);
  const booked = await tx.query<{ month: string }>(`SELECT month FROM ${p}period_months WHERE marketplace = ? AND first_position <= ?`, [
    marketplace,
    upTo,
  ]);
  const months = [...new Set([...booked.map((r) => r.month), ...closes.map((c) => c.month)])].sort(byCodePoint);
  const latest = closes[closes.length - 1];
  return {
    marketplace,
    closedThrough: latest?.month ?? null,
    periods: months.map((month) => {
      const close = closeOf(closes, month);
      return close === null
        ? { month, status: "open" as const, closedAtPosition: null, closedAt: null, actor: null, note: null }
        : { month, status: "closed" as const, ...closeView(close) };
    }),
  };
}

/** Late entries a closing statement lists at most (the rest are in the accounts' entries). */
export const LATE_ENTRIES_MAX = 1_000;

/** The four figures of a closing statement's totals (SPEC §13), in this order. */
const STATEMENT_BUCKETS = ["standard", "bonusConfirmed", "reversed", "adjusted"] as const;

/**
 * SPEC §13 GET /v1/periods/{marketplace}/{month}: the closing statement of a month closed by `upTo`,
 * or null while it is open. Everything but lateEntries is as of the close's position (a closed month's
 * figures never change after it); lateEntries are the entries booked after the close, up to `upTo`,
 * that rule 9 would have put in this month (the first LATE_ENTRIES_MAX; lateEntriesMore: there are more). `creators`: everyone with an earnings entry booked in
 * the month, with what they earned in it (standard + confirmed bonus + reversals + adjustments).
 */
export async function closingStatementOf(tx: ReadModelTx, p: string, marketplace: MarketplaceCode, month: string, upTo: number) {
  const close = closeOf(await closesOf(tx, p, marketplace, upTo), month);
  if (close === null) return null;
  const { currency, minorDigits } = DEFAULT_MARKETPLACES[marketplace];
  const money = (amountMinor: bigint) => formatMinor(amountMinor, minorDigits);
  const { accounts, sum } = await trialBalanceOf(tx, p, currency, close.position);

  const booked = await tx.query<{ creator_id: string | null; kind: string; amount_minor: unknown }>(
    `SELECT creator_id, kind, amount_minor FROM ${p}entries WHERE marketplace = ? AND earning_month = ? AND position <= ?`,
    [marketplace, month, close.position],
  );
  const totals = zeroBuckets();
  const perCreator = new Map<string, Buckets>();
  for (const r of booked) {
    const kind = entryKindOf(r.kind);
    if (!movesBuckets(kind)) continue;
    const amountMinor = minor(r.amount_minor);
    addToBuckets(totals, kind, amountMinor);
    if (r.creator_id === null) continue;
    let buckets = perCreator.get(r.creator_id);
    if (buckets === undefined) perCreator.set(r.creator_id, (buckets = zeroBuckets()));
    addToBuckets(buckets, kind, amountMinor);
  }

  // `earning_month <> original_month` is implied (the month was closed when they were booked) and lets both databases use entries_moved.
  const late = await tx.query<EntryRow>(
    `SELECT ${ENTRY_VIEW_COLUMNS} FROM ${p}entries
     WHERE marketplace = ? AND original_month = ? AND earning_month <> original_month AND position > ? AND position <= ? ORDER BY position, seq LIMIT ?`,
    [marketplace, month, close.position, upTo, LATE_ENTRIES_MAX + 1],
  );
  return {
    marketplace,
    month,
    currency,
    ...closeView(close),
    trialBalance: { accounts, sum },
    totals: Object.fromEntries(STATEMENT_BUCKETS.map((b) => [b, money(totals[b])])) as Record<(typeof STATEMENT_BUCKETS)[number], string>,
    creators: [...perCreator.entries()]
      .sort(([a], [b]) => byCodePoint(a, b))
      .map(([creatorId, buckets]) => ({ creatorId, earned: money(sumOf(buckets, PAYABLE_BUCKETS)) })),
    lateEntries: late.slice(0, LATE_ENTRIES_MAX).map(entryView),
    lateEntriesMore: late.length > LATE_ENTRIES_MAX,
  };
}

type PeriodsAnswer = Awaited<ReturnType<typeof periodsOf>> & { asOfPosition: number };
type StatementAnswer = NonNullable<Awaited<ReturnType<typeof closingStatementOf>>> & { asOfPosition: number };

/** GET /v1/periods, now or as of P: the journal's rows up to the position answered as of. */
export const periodsRead: ModelRead<MarketplaceCode, PeriodsAnswer> = {
  source: () => "journal",
  read: async (tx, p, marketplace, _at, upTo) => ({ ...(await periodsOf(tx, p, marketplace, upTo)), asOfPosition: upTo }),
};

/** GET /v1/periods/{marketplace}/{month}, now or as of P; null while the month is open at that position. */
export const closingStatementRead: ModelRead<{ marketplace: MarketplaceCode; month: string }, StatementAnswer | null> = {
  source: () => "journal",
  read: async (tx, p, { marketplace, month }, _at, upTo) => {
    const statement = await closingStatementOf(tx, p, marketplace, month, upTo);
    return statement === null ? null : { ...statement, asOfPosition: upTo };
  },
};
