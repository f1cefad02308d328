// A campaign's history (issue 27: GET /v1/campaigns/{id} `history`): every event that managed its
// life — created, budget changed, paused, resumed, end changed, ended (SPEC §3, §9) — in position
// order, each with what it changed, from and to. The budget fold writes one `changes` row per such
// event with the values it left (budgetProjection.ts CHANGE_TYPES); "from" is the row before it,
// since each of those values is set only by these events. An event that changed nothing (an anomaly:
// an unknown or ended campaign, pausing a paused one, ...) is not in it. As of P: the rows ≤ P.
import { assert } from "../../domain/assert.ts";
import type { EventType } from "../../domain/events/schemas.ts";
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../domain/marketplaces.ts";
import { formatMinor } from "../../domain/money.ts";
import { int, minor, type ReadModelTx } from "../../infra/readModel/port.ts";
import type { ModelRead } from "../modelRead.ts";
import { CHANGE_COLUMNS } from "./budgetProjection.ts";
import { campaignRow, type CampaignRow } from "./budgetQueries.ts";

/** Entries one campaign's history answers at most (the first ones; `historyTruncated` says when there are more). */
export const CAMPAIGN_HISTORY_MAX = 1_000;

type ChangeRow = Record<(typeof CHANGE_COLUMNS)[number], unknown>;

/** A value an event changed, from what it was to what it became (from null: it had none before the campaign existed). */
interface Change<T> {
  from: T | null;
  to: T;
}

export interface HistoryEntry {
  position: number;
  eventId: string;
  eventType: EventType;
  occurredAt: string;
  changes: { budget?: Change<string>; endsAt?: Change<string>; paused?: Change<boolean>; ended?: Change<boolean> };
}

/** The changes rows of a campaign up to `upTo`, in position order, at most `limit`. */
async function changeRows(tx: ReadModelTx, p: string, campaignId: string, upTo: number, limit: number): Promise<ChangeRow[]> {
  return tx.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS.join(", ")} FROM ${p}changes WHERE campaign_id = ? AND position <= ? ORDER BY position LIMIT ?`,
    [campaignId, upTo, limit],
  );
}

/** The entries of a campaign's history from its changes rows (the first one its creation). */
export function historyEntries(rows: readonly ChangeRow[], marketplace: MarketplaceCode): HistoryEntry[] {
  const money = (value: unknown) => formatMinor(minor(value), DEFAULT_MARKETPLACES[marketplace].minorDigits);
  let before: ChangeRow | null = null;
  return rows.map((row) => {
    const eventType = row.event_type as EventType;
    const position = int(row.position);
    assert(
      (before === null) === (eventType === "CampaignCreated"),
      `campaign ${String(row.campaign_id)}: its history starts with its creation (position ${position} is ${eventType})`,
    );
    const was = before;
    const budget = { from: was === null ? null : money(was.budget), to: money(row.budget) };
    const endsAt = { from: was === null ? null : (was.ends_at as string), to: row.ends_at as string };
    const flag = (column: "paused" | "ended") => ({ from: was === null ? null : int(was[column]) === 1, to: int(row[column]) === 1 });
    let changes: HistoryEntry["changes"];
    switch (eventType) {
      case "CampaignCreated":
        changes = { budget, endsAt };
        break;
      case "CampaignBudgetChanged":
        changes = { budget };
        break;
      case "CampaignPaused":
      case "CampaignResumed":
        changes = { paused: flag("paused") };
        break;
      case "CampaignEndChanged":
        changes = { endsAt };
        break;
      case "CampaignEnded":
        changes = { ended: flag("ended") };
        break;
      default:
        throw new Error(`campaign ${String(row.campaign_id)}: position ${position} (${eventType}) is not a change of its life`);
    }
    before = row;
    return { position, eventId: row.event_id as string, eventType, occurredAt: row.occurred_at as string, changes };
  });
}

/** GET /v1/campaigns/{id}: its row and its history, on one snapshot (as of `upTo`); null for a campaign unknown then. */
export const campaignDetailsRead: ModelRead<
  string,
  { row: CampaignRow; history: HistoryEntry[]; historyTruncated: boolean; asOfPosition: number } | null
> = {
  source: () => "budget",
  read: async (tx, p, campaignId, at, upTo) => {
    const row = await campaignRow(tx, p, campaignId, at);
    if (row === null) return null;
    const rows = await changeRows(tx, p, campaignId, upTo, CAMPAIGN_HISTORY_MAX + 1);
    const history = historyEntries(rows.slice(0, CAMPAIGN_HISTORY_MAX), row.marketplace as MarketplaceCode);
    return { row, history, historyTruncated: rows.length > CAMPAIGN_HISTORY_MAX, asOfPosition: upTo };
  },
};
