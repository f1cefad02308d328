// Dates as the API gives them (SPEC §5, §10): local dates (report days, earning months, payable
// dates) are already in the marketplace's zone and are shown as they are; instants keep the offset
// they were written with. Nothing here converts to the browser's own zone.
import { addDays, nextMonth } from "../../../domain/localDates.ts";
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../../../domain/marketplaces.ts";

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** "2026-08-04T10:00:00-07:00" → "2026-08-04 10:00 UTC−07:00"; seconds only when not :00. */
export function formatInstant(instant: string): string {
  const match = INSTANT.exec(instant);
  if (match === null) return instant;
  const [, date, hm, seconds, , zone] = match;
  const shownSeconds = seconds === undefined || seconds === ":00" ? "" : seconds;
  return `${date} ${hm}${shownSeconds} ${zone === "Z" ? "UTC" : `UTC${zone!.replace("-", "−")}`}`;
}

// Local-date arithmetic is the ledger's own (domain/localDates.ts), re-exported for the pages.
export { addDays, datesBetween, daysBetween, toUtcMs } from "../../../domain/localDates.ts";

/** The last day of an earning month "2026-02" → "2026-02-28". */
export function lastDayOfMonth(month: string): string {
  return addDays(`${nextMonth(month)}-01`, -1);
}

/** The local date of an instant in a marketplace's reporting zone (SPEC §3 marketplaces). */
export function localDate(instant: string, marketplace: MarketplaceCode): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: DEFAULT_MARKETPLACES[marketplace].zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(instant));
}

/** Today in the browser's calendar (the default date of a payout status). */
export function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}
