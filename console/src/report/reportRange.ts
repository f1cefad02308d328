// A report's range of local dates (SPEC §5: inclusive, at most 90 days) and the range a page
// starts with when its URL names none.
import type { Campaign, Earnings } from "../api/types.ts";
import { addDays, lastDayOfMonth, localDate, today } from "../format/dates.ts";

/** SPEC §5: a report covers at most 90 days; the API answers 400 beyond (the page shows why). */
export const REPORT_DAYS_MAX = 90;

export type DateRange = {
  from: string;
  to: string;
};

/** The 90 days that end on `to`. */
function endingOn(to: string): DateRange {
  return { from: addDays(to, -(REPORT_DAYS_MAX - 1)), to };
}

/** A campaign's first 90 days, from its start in its marketplace's calendar. */
export function campaignStartRange(campaign: Pick<Campaign, "startsAt" | "marketplace">): DateRange {
  const from = localDate(campaign.startsAt, campaign.marketplace);
  return { from, to: addDays(from, REPORT_DAYS_MAX - 1) };
}

/** The 90 days up to the end of a creator's latest earning month (today's when they have none). */
export function creatorLatestRange(earnings: Earnings): DateRange {
  const months = earnings.marketplaces.flatMap((m) => m.months.map((month) => month.month)).sort();
  const latest = months[months.length - 1];
  return endingOn(latest === undefined ? today() : lastDayOfMonth(latest));
}

/** The range just before (-1) or after (+1) this one, of the same length. */
export function shiftRange(range: DateRange, direction: -1 | 1, days: number): DateRange {
  return { from: addDays(range.from, direction * days), to: addDays(range.to, direction * days) };
}
