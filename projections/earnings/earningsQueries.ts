// Reads of the earnings projection (SPEC §5 earnings, ledger).
import { payableOn } from "../../domain/calendar.ts";
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";
import { formatMinor } from "../../domain/money.ts";
import { byCodePoint } from "../order.ts";
import { int, minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import { BUCKET_COLUMNS } from "./earningsProjection.ts";

type BucketRow = Record<(typeof BUCKET_COLUMNS)[number], unknown>;

export function formatBuckets(row: BucketRow, digits: number) {
  const standard = minor(row.standard);
  const pending = minor(row.bonus_pending);
  const confirmed = minor(row.bonus_confirmed);
  const reversed = minor(row.reversed);
  const f = (n: bigint) => formatMinor(n, digits);
  return {
    standard: f(standard),
    bonusPending: f(pending),
    bonusConfirmed: f(confirmed),
    bonusForfeited: f(minor(row.bonus_forfeited)),
    reversed: f(reversed),
    total: f(standard + pending + confirmed + reversed),
  };
}

const B = BUCKET_COLUMNS.join(", ");

export async function creatorExists(db: ReadModelTx, p: string, creatorId: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM ${p}creators WHERE creator_id = ?`, [creatorId])).length > 0;
}

export async function creatorAnomalies(db: ReadModelTx, p: string, creatorId: string, limit: number) {
  const rows = await db.query<{ position: unknown; event_id: string; code: string; message: string }>(
    `SELECT position, event_id, code, message FROM ${p}anomalies WHERE creator_id = ? ORDER BY position, idx LIMIT ?`,
    [creatorId, limit],
  );
  return rows.map((r) => ({ position: int(r.position), eventId: r.event_id, code: r.code, message: r.message }));
}

export const ANOMALIES_PAGE_MAX = 1_000;

/** Every anomaly (with or without a creator) after a (position, idx) cursor, in order. */
export async function anomaliesAfter(db: ReadModelTx, p: string, after: { position: number; idx: number }, limit: number) {
  const rows = await db.query<{ position: unknown; idx: unknown; event_id: string; event_type: string; code: string; message: string; creator_id: string | null; campaign_id: string | null }>(
    `SELECT position, idx, event_id, event_type, code, message, creator_id, campaign_id FROM ${p}anomalies
     WHERE position > ? OR (position = ? AND idx > ?) ORDER BY position, idx LIMIT ?`,
    [after.position, after.position, after.idx, limit],
  );
  const anomalies = rows.map((r) => ({
    position: int(r.position),
    eventId: r.event_id,
    eventType: r.event_type,
    code: r.code,
    message: r.message,
    creatorId: r.creator_id,
    campaignId: r.campaign_id,
  }));
  const last = rows[rows.length - 1];
  return { anomalies, nextAfter: rows.length === limit && last ? `${int(last.position)}.${int(last.idx)}` : null };
}

export async function earningsOf(db: ReadModelTx, p: string, creatorId: string) {
  const totals = await db.query<BucketRow & { marketplace: MarketplaceCode }>(`SELECT marketplace, ${B} FROM ${p}totals WHERE creator_id = ? ORDER BY marketplace`, [creatorId]);
  const months = await db.query<BucketRow & { marketplace: MarketplaceCode; month: string }>(
    `SELECT marketplace, month, ${B} FROM ${p}months WHERE creator_id = ? ORDER BY marketplace, month`,
    [creatorId],
  );
  const campaigns = await db.query<BucketRow & { marketplace: MarketplaceCode; campaign_id: string; content: unknown }>(
    `SELECT c.marketplace, c.campaign_id, ${BUCKET_COLUMNS.map((b) => `c.${b}`).join(", ")},
       CASE WHEN q.campaign_id IS NULL THEN 0 ELSE 1 END AS content
     FROM ${p}campaigns c LEFT JOIN ${p}content q ON q.creator_id = c.creator_id AND q.campaign_id = c.campaign_id
     WHERE c.creator_id = ? ORDER BY c.marketplace, c.campaign_id`,
    [creatorId],
  );
  campaigns.sort((a, b) => byCodePoint(a.campaign_id, b.campaign_id));
  return totals.map((t) => {
    const market = DEFAULT_MARKETPLACES[t.marketplace];
    const digits = market.minorDigits;
    return {
      marketplace: t.marketplace,
      currency: market.currency,
      totals: formatBuckets(t, digits),
      months: months.filter((m) => m.marketplace === t.marketplace).map((m) => ({ month: m.month, payableOn: payableOn(m.month), ...formatBuckets(m, digits) })),
      campaigns: campaigns
        .filter((c) => c.marketplace === t.marketplace)
        .map((c) => ({ campaignId: c.campaign_id, contentSubmitted: int(c.content) === 1, ...formatBuckets(c, digits) })),
    };
  });
}

export const LEDGER_PAGE_MAX = 1_000;

export async function ledgerOf(db: ReadModelTx, p: string, creatorId: string, after: { position: number; seq: number }, limit: number) {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT position, seq, source_event_id, event_type, kind, campaign_id, marketplace, shipment_id, asin, amount_minor, earning_month, rate, rule_version, note
     FROM ${p}ledger WHERE creator_id = ? AND (position > ? OR (position = ? AND seq > ?)) ORDER BY position, seq LIMIT ?`,
    [creatorId, after.position, after.position, after.seq, limit],
  );
  const entries = rows.map((r) => {
    const market = DEFAULT_MARKETPLACES[r.marketplace as MarketplaceCode];
    return {
      position: int(r.position),
      seq: int(r.seq),
      sourceEventId: r.source_event_id as string,
      eventType: r.event_type as string,
      kind: r.kind as string,
      campaignId: r.campaign_id as string,
      shipmentId: (r.shipment_id as string | null) ?? null,
      asin: (r.asin as string | null) ?? null,
      amount: formatMinor(minor(r.amount_minor), market.minorDigits),
      currency: market.currency,
      marketplace: r.marketplace as string,
      earningMonth: r.earning_month as string,
      rate: r.rate as string,
      ruleVersion: int(r.rule_version),
      note: (r.note as string | null) ?? null,
    };
  });
  const last = entries[entries.length - 1];
  return { entries, nextAfter: entries.length === limit && last ? `${last.position}.${last.seq}` : null };
}
