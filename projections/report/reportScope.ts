// Which rows a report reads (SPEC §5 a creator's, optionally one campaign; §9 a campaign's): one
// WHERE clause, for the report's own tables (now) and the journal's (as of a position) alike, so a
// campaign report's rows are exactly its creators' rows for that campaign.
import { reportRangeDates } from "../../domain/calendar.ts";
import type { SqlValue } from "../../infra/readModel/port.ts";

export type ReportScope = { creatorId: string; campaignId: string | null } | { campaignId: string; creatorId?: undefined };

/** The scope as SQL over tables with creator_id and campaign_id columns (`alias.` before each, when given). */
export function scopeWhere(scope: ReportScope, alias = ""): { sql: string; params: SqlValue[] } {
  const c = alias === "" ? "" : `${alias}.`;
  if (scope.creatorId === undefined) return { sql: `${c}campaign_id = ?`, params: [scope.campaignId] };
  if (scope.campaignId === null) return { sql: `${c}creator_id = ?`, params: [scope.creatorId] };
  return { sql: `${c}creator_id = ? AND ${c}campaign_id = ?`, params: [scope.creatorId, scope.campaignId] };
}

/**
 * The days from `from` to `to` as `date IN (…)` (`alias.` before it, when given): the report's day
 * rows and the journal's clicks and shipments are keyed date first (so live writes land among the
 * newest dates), and a list of days (at most 90) is one seek per day for the owner that follows the
 * date in the key, where a date range would read every owner's rows of those days.
 */
export function datesWhere(from: string, to: string, alias = ""): { sql: string; params: SqlValue[] } {
  const dates = reportRangeDates(from, to);
  return { sql: `${alias === "" ? "" : `${alias}.`}date IN (${dates.map(() => "?").join(", ")})`, params: dates };
}
