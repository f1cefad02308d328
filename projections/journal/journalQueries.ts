// Reads of the journal (SPEC §5 ledger, §8.1 accounts and trial balance). Each takes `upTo`: the
// position it answers as of — the journal's own position for a read of now, or P for a
// point-in-time read (§8.2); rows after it are never looked at.
import type { EventType } from "../../domain/events/schemas.ts";
import type { EntryKind } from "../../domain/journal/entryKinds.ts";
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";
import { formatMinor } from "../../domain/money.ts";
import { int, minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import { byCodePoint } from "../order.ts";

export const LEDGER_PAGE_MAX = 1_000;

/** A paging cursor in position order: after (position, seq). */
export interface Cursor {
  position: number;
  seq: number;
}

/**
 * The seq of a cursor that skips a whole position: above every seq, and still an INTEGER, which
 * PostgreSQL requires of a parameter compared with an INTEGER column (2^53 − 1 there is an error).
 */
export const WHOLE_POSITION_SEQ = 2_147_483_647;

/** The cursor after a full page (`position.seq` of its last row), or null when the page was the last. */
export function nextCursor(rows: readonly { position: unknown; seq: unknown }[], limit: number): string | null {
  const last = rows[rows.length - 1];
  return rows.length === limit && last ? `${int(last.position)}.${int(last.seq)}` : null;
}

function digitsOf(marketplace: string): number {
  return DEFAULT_MARKETPLACES[marketplace as MarketplaceCode].minorDigits;
}

export const ENTRY_VIEW_COLUMNS =
  "position, seq, source_event_id, event_type, occurred_at, kind, source, destination, amount_minor, marketplace, creator_id, campaign_id, shipment_id, asin, earning_month, original_month, rate, rule_version, note";

export type EntryRow = { position: unknown; seq: unknown } & Record<string, unknown>;

/** A journal entry as the API shows it (SPEC §5 ledger, §8.1 source and destination, §11 entryId). */
export function entryView(r: EntryRow) {
  const position = int(r.position);
  const seq = int(r.seq);
  const marketplace = r.marketplace as MarketplaceCode;
  return {
    entryId: `${position}:${seq}`,
    position,
    seq,
    sourceEventId: r.source_event_id as string,
    eventType: r.event_type as EventType,
    occurredAt: r.occurred_at as string,
    kind: r.kind as EntryKind,
    source: (r.source as string | null) ?? null,
    destination: (r.destination as string | null) ?? null,
    creatorId: (r.creator_id as string | null) ?? null,
    campaignId: (r.campaign_id as string | null) ?? null,
    shipmentId: (r.shipment_id as string | null) ?? null,
    asin: (r.asin as string | null) ?? null,
    amount: formatMinor(minor(r.amount_minor), DEFAULT_MARKETPLACES[marketplace].minorDigits),
    currency: DEFAULT_MARKETPLACES[marketplace].currency,
    marketplace,
    earningMonth: (r.earning_month as string | null) ?? null,
    originalMonth: (r.original_month as string | null) ?? null,
    rate: (r.rate as string | null) ?? null,
    ruleVersion: int(r.rule_version),
    note: (r.note as string | null) ?? null,
  };
}

/** A creator's entries after the cursor, up to `upTo`, in position order (the audit trail). */
export async function ledgerOf(tx: ReadModelTx, p: string, creatorId: string, after: Cursor, upTo: number, limit: number) {
  const rows = await tx.query<EntryRow>(
    `SELECT ${ENTRY_VIEW_COLUMNS} FROM ${p}entries WHERE creator_id = ? AND (position > ? OR (position = ? AND seq > ?)) AND position <= ? ORDER BY position, seq LIMIT ?`,
    [creatorId, after.position, after.position, after.seq, upTo, limit],
  );
  return { entries: rows.map(entryView), nextAfter: nextCursor(rows, limit) };
}

/** An account's balance at `upTo` (SPEC §8.1); null when it never moved by then. */
export async function accountAt(tx: ReadModelTx, p: string, account: string, upTo: number) {
  const meta = await tx.query<{ currency: string; marketplace: string }>(
    `SELECT currency, marketplace FROM ${p}accounts WHERE account = ?`,
    [account],
  );
  if (!meta[0]) return null;
  const last = await tx.query<{ balance_minor: unknown }>(
    `SELECT balance_minor FROM ${p}account_entries WHERE account = ? AND position <= ? ORDER BY position DESC, seq DESC LIMIT 1`,
    [account, upTo],
  );
  if (!last[0]) return null;
  return { account, currency: meta[0].currency, balance: formatMinor(minor(last[0].balance_minor), digitsOf(meta[0].marketplace)) };
}

/** An account's transfers after the cursor, up to `upTo`, in position order, each with the balance it left. */
export async function accountEntriesOf(tx: ReadModelTx, p: string, account: string, after: Cursor, upTo: number, limit: number) {
  const rows = await tx.query<EntryRow & { delta_minor: unknown; balance_minor: unknown }>(
    `SELECT ${ENTRY_VIEW_COLUMNS.split(", ")
      .map((c) => `e.${c}`)
      .join(", ")}, a.delta_minor, a.balance_minor
     FROM ${p}account_entries a JOIN ${p}entries e ON e.position = a.position AND e.seq = a.seq
     WHERE a.account = ? AND (a.position > ? OR (a.position = ? AND a.seq > ?)) AND a.position <= ? ORDER BY a.position, a.seq LIMIT ?`,
    [account, after.position, after.position, after.seq, upTo, limit],
  );
  return {
    entries: rows.map((r) => {
      const digits = digitsOf(r.marketplace as string);
      return { ...entryView(r), change: formatMinor(minor(r.delta_minor), digits), balance: formatMinor(minor(r.balance_minor), digits) };
    }),
    nextAfter: nextCursor(rows, limit),
  };
}

/** Every account of a currency with its balance at `upTo`, and their sum (0 by construction, SPEC §8.1). */
export async function trialBalanceOf(tx: ReadModelTx, p: string, currency: string, upTo: number) {
  const rows = await tx.query<{ account: string; marketplace: string; balance_minor: unknown }>(
    `SELECT a.account, a.marketplace,
       (SELECT e.balance_minor FROM ${p}account_entries e WHERE e.account = a.account AND e.position <= ? ORDER BY e.position DESC, e.seq DESC LIMIT 1) AS balance_minor
     FROM ${p}accounts a WHERE a.currency = ? AND a.first_position <= ?`,
    [upTo, currency, upTo],
  );
  rows.sort((a, b) => byCodePoint(a.account, b.account));
  const digits = Object.values(DEFAULT_MARKETPLACES).find((m) => m.currency === currency)?.minorDigits;
  if (digits === undefined) throw new Error(`trialBalanceOf(): ${currency} is no marketplace's currency`);
  let sum = 0n;
  const accounts = rows.map((r) => {
    const balance = minor(r.balance_minor);
    sum += balance;
    return { account: r.account, balance: formatMinor(balance, digits) };
  });
  return { currency, accounts, sum: formatMinor(sum, digits) };
}
