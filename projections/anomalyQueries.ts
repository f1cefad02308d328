// Anomalies (SPEC §3), read from any projection that keeps them (earnings: per creator, for the
// earnings answer; journal: all of them, for /v1/anomalies, the feed and point-in-time reads). One
// shape everywhere: the same fields in the earnings answer as in /v1/anomalies.
import type { AnomalyCode } from "../domain/engine/outcome.ts";
import type { EventType } from "../domain/events/schemas.ts";
import { int, type ReadModelTx, type SqlValue } from "../infra/readModel/port.ts";

export const ANOMALIES_PAGE_MAX = 1_000;
/** Anomalies listed inside one earnings answer at most. */
export const ANOMALIES_PER_ANSWER_MAX = 1_000;

export interface AnomalyView {
  position: number;
  eventId: string;
  eventType: EventType;
  code: AnomalyCode;
  message: string;
  creatorId: string | null;
  campaignId: string | null;
}

export type AnomalyRow = { position: unknown; idx: unknown; event_id: string; event_type: EventType; code: AnomalyCode; message: string; creator_id: string | null; campaign_id: string | null };

export function anomalyView(r: AnomalyRow): AnomalyView {
  return { position: int(r.position), eventId: r.event_id, eventType: r.event_type, code: r.code, message: r.message, creatorId: r.creator_id, campaignId: r.campaign_id };
}

export const ANOMALY_VIEW_COLUMNS = "position, idx, event_id, event_type, code, message, creator_id, campaign_id";

/** A creator's anomalies up to position `upTo`, in order. */
export async function creatorAnomalies(tx: ReadModelTx, table: string, creatorId: string, upTo: number, limit: number): Promise<AnomalyView[]> {
  const rows = await tx.query<AnomalyRow>(`SELECT ${ANOMALY_VIEW_COLUMNS} FROM ${table} WHERE creator_id = ? AND position <= ? ORDER BY position, idx LIMIT ?`, [creatorId, upTo, limit]);
  return rows.map(anomalyView);
}

/** Every anomaly (with or without a creator) after a (position, idx) cursor and up to `upTo`, in order. */
export async function anomaliesAfter(tx: ReadModelTx, table: string, after: { position: number; idx: number }, upTo: number, limit: number) {
  const params: SqlValue[] = [after.position, after.position, after.idx, upTo, limit];
  const rows = await tx.query<AnomalyRow>(
    `SELECT ${ANOMALY_VIEW_COLUMNS} FROM ${table} WHERE (position > ? OR (position = ? AND idx > ?)) AND position <= ? ORDER BY position, idx LIMIT ?`,
    params,
  );
  const last = rows[rows.length - 1];
  return { anomalies: rows.map(anomalyView), nextAfter: rows.length === limit && last ? `${int(last.position)}.${int(last.idx)}` : null };
}
