// Business calendar (SPEC §4 rules 9-10, §5 report range). Every date has an explicit zone.
import { DateTime } from "luxon";

/** ISO-8601 instant that carries an offset or Z (SPEC §2); a local time without offset is invalid. */
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const REPORT_RANGE_MAX_DAYS = 90;

/** Parses an instant; returns epoch milliseconds, or null when the text is not an instant with an offset. */
export function parseInstant(text: string): number | null {
  if (!INSTANT_WITH_OFFSET.test(text)) return null;
  const parsed = DateTime.fromISO(text, { setZone: true });
  return parsed.isValid ? parsed.toMillis() : null;
}

export function instantMs(text: string): number {
  const ms = parseInstant(text);
  if (ms === null) throw new Error(`not an instant with offset: ${text}`);
  return ms;
}

/** Local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone }).toISODate()!;
}

/** Earning month (YYYY-MM) of an instant in the marketplace zone (rule 9). */
export function earningMonth(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone }).toFormat("yyyy-MM");
}

/** Payable date of an earning month: first day of the next month plus 60 days (rule 10). */
export function payableOn(month: string): string {
  const first = DateTime.fromISO(`${month}-01`, { zone: "UTC" });
  if (!first.isValid) throw new Error(`not a month: ${month}`);
  return first.plus({ months: 1 }).plus({ days: 60 }).toISODate()!;
}

/** The earliest earning month whose payable date is after `date` (used for nextPayableOn). */
export function nextPayableOn(date: string): string {
  // payableOn(month) grows with month; start two months back and walk forward.
  let month = DateTime.fromISO(date, { zone: "UTC" }).minus({ months: 4 }).startOf("month");
  for (let i = 0; i < 8; i += 1) {
    const candidate = payableOn(month.toFormat("yyyy-MM"));
    if (candidate > date) return candidate;
    month = month.plus({ months: 1 });
  }
  throw new Error(`nextPayableOn(): no month found after ${date}`);
}

/** Parses a local date; null when the text is not a real calendar date. */
export function parseLocalDate(text: string): DateTime | null {
  if (!LOCAL_DATE.test(text)) return null;
  const parsed = DateTime.fromISO(text, { zone: "UTC" });
  return parsed.isValid ? parsed : null;
}

export type RangeCheck = { ok: true; days: number } | { ok: false; message: string };

/** Report range: inclusive, from ≤ to, at most 90 days (SPEC §5). */
export function checkReportRange(from: string, to: string): RangeCheck {
  const start = parseLocalDate(from);
  const end = parseLocalDate(to);
  if (!start) return { ok: false, message: `from: '${from}' is not a date YYYY-MM-DD` };
  if (!end) return { ok: false, message: `to: '${to}' is not a date YYYY-MM-DD` };
  const days = Math.round(end.diff(start, "days").days) + 1;
  if (days < 1) return { ok: false, message: `to (${to}) is before from (${from})` };
  if (days > REPORT_RANGE_MAX_DAYS) return { ok: false, message: `range is ${days} days; at most ${REPORT_RANGE_MAX_DAYS} days (inclusive)` };
  return { ok: true, days };
}
