// Calendar arithmetic on local dates YYYY-MM-DD (report days, payable dates) and months YYYY-MM: each date as its
// midnight UTC, so adding a day is adding 86,400,000 ms and no zone or daylight-saving change can
// shift it. Without luxon, so the console's bundle can use it too (console/src/format/dates.ts).

const MS_PER_DAY = 86_400_000;

/** Midnight UTC of a local date YYYY-MM-DD, in ms: the date as a point on a day axis. */
export function toUtcMs(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** The local date YYYY-MM-DD whose midnight UTC is `ms` (toUtcMs's inverse). */
export function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A local date `days` later (or earlier, negative), by the calendar. */
export function addDays(date: string, days: number): string {
  return fromUtcMs(toUtcMs(date) + days * MS_PER_DAY);
}

/** Every date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = toUtcMs(from); ms <= toUtcMs(to); ms += MS_PER_DAY) out.push(fromUtcMs(ms));
  return out;
}

/** Days from `from` to `to`, both included (a report's range, SPEC §5: at most 90). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / MS_PER_DAY) + 1;
}

/** The month after `month` (YYYY-MM): where an amount of a closed month is booked (SPEC §13). */
export function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${String(year + 1).padStart(4, "0")}-01` : `${month.slice(0, 4)}-${String(m + 1).padStart(2, "0")}`;
}
