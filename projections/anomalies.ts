// Anomalies (SPEC §3) as the read models keep them: one table layout, one row shape and one view
// for every projection that stores them (earnings: per creator, for the earnings answer; journal:
// all of them, for /v1/anomalies, the feed and point-in-time reads). The view is the engine's own
// Anomaly: the same fields in the earnings answer as in /v1/anomalies and the feed.
import type { Anomaly, Outcome } from "../domain/engine/outcome.ts";
import type { EventType } from "../domain/events/schemas.ts";
import type { AnomalyCode } from "../domain/engine/outcome.ts";
import { int, type ReadModelTx, type SqlValue } from "../infra/readModel/port.ts";
import { insertIgnore } from "./additive.ts";

export const ANOMALIES_PAGE_MAX = 1_000;
/** Anomalies listed inside one earnings answer at most. */
export const ANOMALIES_PER_ANSWER_MAX = 1_000;

/** The columns of an anomalies table, in the order rows are written. `idx`: the anomaly's index among its event's. */
export const ANOMALY_COLUMNS = ["position", "idx", "event_id", "event_type", "code", "message", "creator_id", "campaign_id"] as const;
const COLUMNS = ANOMALY_COLUMNS.join(", ");

/** DDL of the anomalies table under `prefix` (keyed by position, so a rebuild appends in order). */
export function anomaliesTableDdl(prefix: string): string {
  return `CREATE TABLE IF NOT EXISTS ${prefix}anomalies (position BIGINT NOT NULL, idx INTEGER NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
      code TEXT NOT NULL, message TEXT NOT NULL, creator_id TEXT, campaign_id TEXT, PRIMARY KEY (position, idx));`;
}

export type AnomalyRow = {
  position: unknown;
  idx: unknown;
  event_id: string;
  event_type: EventType;
  code: AnomalyCode;
  message: string;
  creator_id: string | null;
  campaign_id: string | null;
};

/** An anomaly of the engine as a table row (what anomalyView reads back). */
export function anomalyRow(a: Anomaly, idx: number): AnomalyRow {
  return {
    position: a.position,
    idx,
    event_id: a.eventId,
    event_type: a.eventType,
    code: a.code,
    message: a.message,
    creator_id: a.creatorId,
    campaign_id: a.campaignId,
  };
}

export function anomalyView(r: AnomalyRow): Anomaly {
  return {
    position: int(r.position),
    eventId: r.event_id,
    eventType: r.event_type,
    code: r.code,
    message: r.message,
    creatorId: r.creator_id,
    campaignId: r.campaign_id,
  };
}

/** A batch's anomalies as rows, written each once (a replayed batch changes nothing). */
export class AnomalyRows {
  private readonly rows: SqlValue[][] = [];

  add(o: Outcome): void {
    o.anomalies.forEach((a, idx) => {
      const row = anomalyRow(a, idx);
      this.rows.push(ANOMALY_COLUMNS.map((c) => row[c] as SqlValue));
    });
  }

  async write(tx: ReadModelTx, prefix: string): Promise<void> {
    await insertIgnore(tx, `${prefix}anomalies`, ANOMALY_COLUMNS, this.rows);
  }
}

/** The columns of an anomaly row in a SELECT (`alias.` before each, when given). */
export function anomalyColumns(alias = ""): string {
  return alias === "" ? COLUMNS : ANOMALY_COLUMNS.map((c) => `${alias}.${c}`).join(", ");
}

/** A creator's anomalies up to position `upTo`, in order. */
export async function creatorAnomalies(
  tx: ReadModelTx,
  prefix: string,
  creatorId: string,
  upTo: number,
  limit: number,
): Promise<Anomaly[]> {
  const rows = await tx.query<AnomalyRow>(
    `SELECT ${COLUMNS} FROM ${prefix}anomalies WHERE creator_id = ? AND position <= ? ORDER BY position, idx LIMIT ?`,
    [creatorId, upTo, limit],
  );
  return rows.map(anomalyView);
}

/** Every anomaly (with or without a creator) after a (position, idx) cursor and up to `upTo`, in order. */
export async function anomaliesAfter(
  tx: ReadModelTx,
  prefix: string,
  after: { position: number; idx: number },
  upTo: number,
  limit: number,
) {
  const params: SqlValue[] = [after.position, after.position, after.idx, upTo, limit];
  const rows = await tx.query<AnomalyRow>(
    `SELECT ${COLUMNS} FROM ${prefix}anomalies WHERE (position > ? OR (position = ? AND idx > ?)) AND position <= ? ORDER BY position, idx LIMIT ?`,
    params,
  );
  const last = rows[rows.length - 1];
  return { anomalies: rows.map(anomalyView), nextAfter: rows.length === limit && last ? `${int(last.position)}.${int(last.idx)}` : null };
}
