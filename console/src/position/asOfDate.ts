// "As of a date" (issue 27): a date and time typed as the rest of the console writes them (ISO,
// YYYY-MM-DD HH:MM[:SS[.mmm]]) in a zone that is said — the browser's or UTC — becomes the instant
// GET /v1/log/position asks about. The position it answers is the last one the ledger recorded at or
// before that instant; the page is then shown as of it, like any position the picker sets.
import { useSyncExternalStore } from "react";

/** The browser's own zone (IANA name), e.g. "Europe/Berlin". */
export const BROWSER_ZONE: string = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

export type ZoneChoice = "browser" | "UTC";

/** The zone's name as shown: "Europe/Berlin" or "UTC". */
export function zoneName(zone: ZoneChoice): string {
  return zone === "UTC" ? "UTC" : BROWSER_ZONE;
}

/** YYYY-MM-DD, then optionally a time (T or a space) with seconds and milliseconds, then optionally its own offset. */
const TYPED = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** An offset in minutes east of UTC as ±HH:MM. */
function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export type TypedInstant = { instant: string; shown: string } | { problem: string };

/**
 * The instant a typed date and time means in `zone`. A date alone means the end of that day
 * (23:59:59.999: every event recorded that day counts); a time with its own offset (Z, +02:00) is
 * taken as written, whatever the zone. `instant`: ISO-8601 with its offset, as the API takes it;
 * `shown`: what the person typed, with the zone that gave it its meaning.
 */
export function typedInstant(text: string, zone: ZoneChoice): TypedInstant {
  const match = TYPED.exec(text.trim());
  if (match === null)
    return { problem: "Type a date and time as YYYY-MM-DD HH:MM (seconds optional), or a date alone for the end of that day." };
  const [, y, mo, d, h, mi, s, ms, offset] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const dateOnly = h === undefined;
  const hour = dateOnly ? 23 : Number(h);
  const minute = dateOnly ? 59 : Number(mi);
  const second = dateOnly ? 59 : Number(s ?? 0);
  const milli = dateOnly ? 999 : Number((ms ?? "0").padEnd(3, "0"));
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day)
    return { problem: `${y}-${mo}-${d} is not a date of the calendar.` };
  if (hour > 23 || minute > 59 || second > 59) return { problem: "A time is HH:MM or HH:MM:SS, from 00:00 to 23:59:59." };
  const time = `${pad(hour)}:${pad(minute)}:${pad(second)}.${pad(milli, 3)}`;
  const date = `${y}-${mo}-${d}`;
  const typed = dateOnly ? `${date} (end of the day, ${time})` : text.trim().replace("T", " ");
  if (offset !== undefined) return { instant: `${date}T${time}${offset}`, shown: typed };
  if (zone === "UTC") return { instant: `${date}T${time}Z`, shown: `${typed} UTC` };
  // The browser's zone: its calendar gives the instant (a time skipped by a clock change moves on, as the clock did).
  const local = new Date(year, month - 1, day, hour, minute, second, milli);
  local.setFullYear(year); // years 0-99 would be read as 1900-1999
  const localTime = `${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}.${pad(local.getMilliseconds(), 3)}`;
  const localDate = `${pad(local.getFullYear(), 4)}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
  return { instant: `${localDate}T${localTime}${offsetText(-local.getTimezoneOffset())}`, shown: `${typed} ${BROWSER_ZONE}` };
}

// --- the last date chosen, for the banner that says what the page shows ------------------------------

export interface DateChoice {
  /** What was typed, with its zone ("2026-06-30 23:59 Europe/Berlin"). */
  shown: string;
  /** The position /v1/log/position answered. */
  position: number;
  /** That position's recordedAt (null: nothing was recorded by then). */
  recordedAt: string | null;
  /** Nothing was recorded after it: the page shows the latest (no `?at=`). */
  latest: boolean;
}

let choice: DateChoice | null = null;
const listeners = new Set<() => void>();

export function rememberDateChoice(next: DateChoice | null): void {
  choice = next;
  for (const listener of listeners) listener();
}

/** The last date chosen (this tab, until another is chosen), while the page is shown where it led (`at`: the page's position). */
export function useDateChoice(at: number | null): DateChoice | null {
  const last = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => choice,
  );
  if (last === null) return null;
  return (last.latest ? at === null : at === last.position) ? last : null;
}
