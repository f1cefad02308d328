// Business calendar (SPEC §4 rules 9-10, §5 report range). Every date has an explicit zone.
import { DateTime } from "luxon";
import { assert } from "./assert.ts";
import { datesBetween, fromUtcMs } from "./localDates.ts";

/** ISO-8601 instant that carries an offset or Z (SPEC §2); a local time without offset is invalid. */
export const INSTANT_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const REPORT_RANGE_MAX_DAYS = 90;
/** Business dates and instants the ledger accepts (limits on everything: no year 10000 payable dates). */
export const YEAR_MIN = 1970;
export const YEAR_MAX = 2999;

/** Parses an instant; returns epoch milliseconds, or null when the text is not an instant with an offset. */
export function parseInstant(text: string): number | null {
  // Hand-parsed with charCodeAt: this runs for every instant of every ingested event (the ingest
  // hot path). Same grammar as INSTANT_WITH_OFFSET, which documents it.
  const n = text.length;
  if (n < 17 || n > 40) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58) return null; // - - T :
  if (
    year < YEAR_MIN ||
    year > YEAR_MAX ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59
  )
    return null;
  let i = 16;
  let second = 0;
  let ms = 0;
  if (text.charCodeAt(i) === 58) {
    second = digits(text, i + 1, 2);
    if (second < 0 || second > 59) return null;
    i += 3;
    if (text.charCodeAt(i) === 46) {
      let fraction = 0;
      let scale = 1;
      let count = 0;
      i += 1;
      while (i < n && count < 9) {
        const d = text.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        if (count < 3) {
          fraction = fraction * 10 + d;
          scale *= 10;
        }
        count += 1;
        i += 1;
      }
      if (count === 0) return null;
      ms = Math.floor((fraction * 1000) / scale);
    }
  }
  let offsetMinutes = 0;
  const sign = text.charCodeAt(i);
  if (sign === 90 && i + 1 === n) {
    // Z
  } else if (sign === 43 || sign === 45) {
    const offsetHours = digits(text, i + 1, 2);
    const colon = text.charCodeAt(i + 3) === 58 ? 1 : 0;
    const offsetMins = digits(text, i + 3 + colon, 2);
    if (i + 5 + colon !== n || offsetHours < 0 || offsetHours > 18 || offsetMins < 0 || offsetMins > 59) return null;
    offsetMinutes = (sign === 45 ? -1 : 1) * (offsetHours * 60 + offsetMins);
  } else {
    return null;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

/** The decimal value of `count` ASCII digits at `start`, or -1 if any is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let k = start; k < start + count; k += 1) {
    const d = text.charCodeAt(k) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    value = value * 10 + d;
  }
  return value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

export function instantMs(text: string): number {
  const ms = parseInstant(text);
  if (ms === null) throw new Error(`not an instant with offset: ${text}`);
  return ms;
}

// localDate runs for every click and shipment of a replay, so it avoids luxon on the hot path:
// per zone and UTC day it caches the zone's offset when the offset is the same at both ends of the
// day (every day but the few with a DST change), and falls back to luxon on those days.
const DAY_MS = 24 * 60 * 60 * 1000;
const OFFSET_CACHE_DAYS_MAX = 100_000;
const offsetCaches = new Map<string, Map<number, number>>();

function stableOffsetMinutes(day: number, zone: string): number {
  let cache = offsetCaches.get(zone);
  if (!cache) offsetCaches.set(zone, (cache = new Map()));
  let offset = cache.get(day);
  if (offset === undefined) {
    const start = DateTime.fromMillis(day * DAY_MS, { zone });
    if (!start.isValid) throw new Error(`unknown time zone ${zone}`);
    const end = DateTime.fromMillis((day + 1) * DAY_MS - 1, { zone });
    offset = start.offset === end.offset ? start.offset : Number.NaN;
    if (cache.size >= OFFSET_CACHE_DAYS_MAX) cache.clear();
    cache.set(day, offset);
  }
  return offset;
}

/** YYYY-MM-DD of a day counted from 1970-01-01, each made once (a Date and its ISO text per call cost the engine more). */
const isoDates = new Map<number, string>();
/** Days whose text is kept at most (the whole cache is dropped past it, as the offsets' is). */
const ISO_DATES_CACHED_MAX = 100_000;

function isoDate(day: number): string {
  let text = isoDates.get(day);
  if (text === undefined) {
    text = fromUtcMs(day * DAY_MS);
    if (isoDates.size >= ISO_DATES_CACHED_MAX) isoDates.clear();
    isoDates.set(day, text);
  }
  return text;
}

/** Local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(epochMs: number, zone: string): string {
  const offset = stableOffsetMinutes(Math.floor(epochMs / DAY_MS), zone);
  if (Number.isNaN(offset)) return DateTime.fromMillis(epochMs, { zone }).toISODate()!;
  return isoDate(Math.floor((epochMs + offset * 60_000) / DAY_MS));
}

/** Earning month (YYYY-MM) of an instant in the marketplace zone (rule 9). */
export function earningMonth(epochMs: number, zone: string): string {
  return localDate(epochMs, zone).slice(0, 7);
}

const payableOnCache = new Map<string, string>();

/** Payable date of an earning month: first day of the next month plus 60 days (rule 10). */
export function payableOn(month: string): string {
  let date = payableOnCache.get(month);
  if (date === undefined) {
    const first = DateTime.fromISO(`${month}-01`, { zone: "UTC" });
    if (!first.isValid) throw new Error(`not a month: expected YYYY-MM, e.g. 2026-06; got ${month}`);
    date = first.plus({ months: 1 }).plus({ days: 60 }).toISODate()!;
    if (payableOnCache.size < OFFSET_CACHE_DAYS_MAX) payableOnCache.set(month, date);
  }
  return date;
}

/** The earliest earning month whose payable date is after `date` (used for nextPayableOn). */
export function nextPayableOn(date: string): string {
  // Said here, not as "not a month: Invalid DateTime" from payableOn below (issue 22.9d).
  const day = parseLocalDate(date);
  if (day === null) throw new Error(`not a local date: expected YYYY-MM-DD, e.g. 2026-06-01; got ${date}`);
  // payableOn(month) grows with month and lies 1-3 months after it: start four months back, walk forward.
  let month = day.minus({ months: 4 }).startOf("month");
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
  const year = Number(text.slice(0, 4));
  if (year < YEAR_MIN || year > YEAR_MAX) return null;
  const parsed = DateTime.fromISO(text, { zone: "UTC" });
  return parsed.isValid ? parsed : null;
}

export type RangeCheck = { ok: true; days: number } | { ok: false; message: string };

/** Report range: inclusive, from ≤ to, at most 90 days (SPEC §5). */
export function checkReportRange(from: string, to: string): RangeCheck {
  const start = parseLocalDate(from);
  const end = parseLocalDate(to);
  if (!start) return { ok: false, message: `from: '${from}' is not a date YYYY-MM-DD between ${YEAR_MIN} and ${YEAR_MAX}` };
  if (!end) return { ok: false, message: `to: '${to}' is not a date YYYY-MM-DD between ${YEAR_MIN} and ${YEAR_MAX}` };
  const days = Math.round(end.diff(start, "days").days) + 1;
  if (days < 1) return { ok: false, message: `to (${to}) is before from (${from})` };
  if (days > REPORT_RANGE_MAX_DAYS)
    return { ok: false, message: `range is ${days} days; at most ${REPORT_RANGE_MAX_DAYS} days (inclusive)` };
  return { ok: true, days };
}

/** Every date of a report range (SPEC §5: checked as checkReportRange does; an invalid range is a caller's bug). */
export function reportRangeDates(from: string, to: string): string[] {
  const range = checkReportRange(from, to);
  assert(range.ok, () => `reportRangeDates: ${range.ok ? "" : range.message}`);
  return datesBetween(from, to);
}
