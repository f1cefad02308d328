// The change feed (SPEC §11): every journal entry and every anomaly, in position order, each with a
// stable entryId `{position}:{seq}`. An entry keeps its own seq; the anomalies of an event follow
// its entries (seq = the number of entries of that position + the anomaly's index), so every item
// of a position has an entryId of its own. Read from the journal projection's entries and
// anomalies (both keyed by position); the webhooks projection shapes its bodies with the same items.
import type { Posting } from "../../domain/engine/outcome.ts";
import { int, type ReadModelTx } from "../../infra/readModel/port.ts";
import { anomalyColumns, anomalyView, type AnomalyRow } from "../anomalies.ts";
import { ENTRY_VIEW_COLUMNS, entryView, WHOLE_POSITION_SEQ, type Cursor, type EntryRow } from "./journalQueries.ts";

export const FEED_PAGE_MAX = 1_000;

/** A journal entry as a feed item: the entry as the ledger shows it (§5, §8.1). */
export function entryItem(row: EntryRow) {
  return { type: "posting.created" as const, ...entryView(row) };
}

/** An anomaly as a feed item, at its seq among the items of its position. */
export function anomalyItem(row: AnomalyRow, seq: number) {
  const anomaly = anomalyView(row);
  return { type: "anomaly.recorded" as const, entryId: `${anomaly.position}:${seq}`, seq, ...anomaly };
}

export type FeedItem = ReturnType<typeof entryItem> | ReturnType<typeof anomalyItem>;

/** A posting of the engine as the journal stores it (what entryView reads). */
export function postingRow(post: Posting, occurredAt: string): EntryRow {
  return {
    position: post.position,
    seq: post.seq,
    source_event_id: post.sourceEventId,
    event_type: post.eventType,
    occurred_at: occurredAt,
    kind: post.kind,
    source: post.source,
    destination: post.destination,
    amount_minor: post.amountMinor,
    marketplace: post.marketplace,
    creator_id: post.creatorId,
    campaign_id: post.campaignId,
    shipment_id: post.shipmentId,
    asin: post.asin,
    earning_month: post.earningMonth,
    original_month: post.originalMonth,
    rate: post.rate,
    rule_version: post.ruleVersion,
    note: post.note,
  };
}

/** `position` (skip all of it) or `position.seq`, as parseCursor reads it back. */
function cursorText(c: Cursor): string {
  return c.seq === WHOLE_POSITION_SEQ ? String(c.position) : `${c.position}.${c.seq}`;
}

function before(a: Cursor, b: Cursor): boolean {
  return a.position < b.position || (a.position === b.position && a.seq < b.seq);
}

/**
 * The items after the cursor, up to `upTo`, in (position, seq) order. `nextAfter` is the cursor to
 * ask with next: the last item's when the page is full (more may follow), otherwise `upTo` itself —
 * every item up to it has been seen, so polling with it returns only what was appended since.
 */
export async function feedAfter(
  tx: ReadModelTx,
  p: string,
  after: Cursor,
  upTo: number,
  limit: number,
): Promise<{ items: FeedItem[]; nextAfter: string }> {
  const entries = await tx.query<EntryRow>(
    `SELECT ${ENTRY_VIEW_COLUMNS} FROM ${p}entries WHERE (position > ? OR (position = ? AND seq > ?)) AND position <= ? ORDER BY position, seq LIMIT ?`,
    [after.position, after.position, after.seq, upTo, limit],
  );
  const seqOf = `(SELECT COUNT(*) FROM ${p}entries e WHERE e.position = a.position) + a.idx`;
  const anomalies = await tx.query<AnomalyRow & { seq: unknown }>(
    `SELECT ${anomalyColumns("a")}, ${seqOf} AS seq FROM ${p}anomalies a
     WHERE (a.position > ? OR (a.position = ? AND ${seqOf} > ?)) AND a.position <= ? ORDER BY a.position, a.idx LIMIT ?`,
    [after.position, after.position, after.seq, upTo, limit],
  );
  // Two ordered lists, merged by (position, seq); no two items share both.
  const items: FeedItem[] = [];
  let e = 0;
  let a = 0;
  while (items.length < limit && (e < entries.length || a < anomalies.length)) {
    const entry = entries[e];
    const anomaly = anomalies[a];
    const entryFirst =
      anomaly === undefined ||
      (entry !== undefined &&
        before({ position: int(entry.position), seq: int(entry.seq) }, { position: int(anomaly.position), seq: int(anomaly.seq) }));
    if (entryFirst) {
      items.push(entryItem(entry!));
      e += 1;
    } else {
      items.push(anomalyItem(anomaly, int(anomaly.seq)));
      a += 1;
    }
  }
  const last = items[items.length - 1];
  if (items.length === limit && last) return { items, nextAfter: `${last.position}.${last.seq}` };
  const end = { position: upTo, seq: WHOLE_POSITION_SEQ };
  return { items, nextAfter: cursorText(before(end, after) ? after : end) };
}
