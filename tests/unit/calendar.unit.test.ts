// SPEC §2 (occurredAt is an instant with an offset), rule 9 (earning month in the marketplace's
// reporting time zone), rule 10 (payable date), §5 (report range: inclusive, ≤ 90 days).
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  checkReportRange,
  earningMonth,
  localDate,
  nextPayableOn,
  parseInstant,
  parseLocalDate,
  payableOn,
  reportRangeDates,
} from "../../domain/calendar.ts";
import { DEFAULT_MARKETPLACES } from "../../domain/marketplaces.ts";

const LA = DEFAULT_MARKETPLACES.US.zone;
const TOKYO = DEFAULT_MARKETPLACES.JP.zone;
const LONDON = DEFAULT_MARKETPLACES.UK.zone;
const BERLIN = DEFAULT_MARKETPLACES.DE.zone;
const KOLKATA = DEFAULT_MARKETPLACES.IN.zone;

describe("parseInstant (SPEC §2)", () => {
  it("reads an instant with an offset or Z", () => {
    expect(parseInstant("2026-01-31T23:30:00-08:00")).toBe(Date.UTC(2026, 1, 1, 7, 30));
    expect(parseInstant("2026-02-01T07:30:00Z")).toBe(Date.UTC(2026, 1, 1, 7, 30));
    expect(parseInstant("2026-02-01T16:30:00+09:00")).toBe(Date.UTC(2026, 1, 1, 7, 30));
    expect(parseInstant("2026-02-01T07:30:00.123Z")).toBe(Date.UTC(2026, 1, 1, 7, 30, 0, 123));
  });

  it("reads an offset without a colon, and minutes without seconds", () => {
    expect(parseInstant("2026-02-01T08:30:00+0100")).toBe(Date.UTC(2026, 1, 1, 7, 30));
    expect(parseInstant("2026-02-01T07:30Z")).toBe(Date.UTC(2026, 1, 1, 7, 30));
    expect(parseInstant("2026-02-01T13:00:00+05:30")).toBe(Date.UTC(2026, 1, 1, 7, 30));
  });

  it("keeps every millisecond exactly (boundaries are compared to the millisecond)", () => {
    const wrong: string[] = [];
    for (let k = 0; k < 1000; k += 1) {
      const text = `2026-03-01T07:59:59.${String(k).padStart(3, "0")}Z`;
      if (parseInstant(text) !== Date.UTC(2026, 2, 1, 7, 59, 59, k)) wrong.push(text);
    }
    expect(wrong).toEqual([]);
    expect(parseInstant("2026-03-01T07:59:59.999999999Z")).toBe(Date.UTC(2026, 2, 1, 7, 59, 59, 999)); // below 1 ms: truncated
  });

  it.each(["2026-01-31T23:30:00", "2026-01-31", "2026-02-30T00:00:00Z", "yesterday", "2026-01-31 23:30:00Z"])("refuses %j", (s) => {
    expect(parseInstant(s)).toBeNull();
  });
});

describe("earning month and local date (rule 9)", () => {
  it("a US instant early on 1 February UTC is still January in Los Angeles", () => {
    const ms = Date.parse("2026-02-01T05:00:00Z"); // 2026-01-31 21:00 PST
    expect(earningMonth(ms, LA)).toBe("2026-01");
    expect(localDate(ms, LA)).toBe("2026-01-31");
    expect(earningMonth(ms, "UTC")).toBe("2026-02");
  });

  it("a JP instant late on 31 January UTC is already February in Tokyo", () => {
    const ms = Date.parse("2026-01-31T16:00:00Z"); // 2026-02-01 01:00 JST
    expect(earningMonth(ms, TOKYO)).toBe("2026-02");
    expect(localDate(ms, TOKYO)).toBe("2026-02-01");
    expect(earningMonth(ms, "UTC")).toBe("2026-01");
  });

  it("the last millisecond of January in Tokyo is January", () => {
    const ms = Date.parse("2026-01-31T14:59:59.999Z"); // 2026-01-31 23:59:59.999 JST
    expect(earningMonth(ms, TOKYO)).toBe("2026-01");
    expect(earningMonth(ms + 1, TOKYO)).toBe("2026-02");
  });

  it("Los Angeles follows daylight saving time (PDT in April)", () => {
    expect(earningMonth(Date.parse("2026-04-01T06:59:59Z"), LA)).toBe("2026-03"); // 23:59:59 PDT
    expect(earningMonth(Date.parse("2026-04-01T07:00:00Z"), LA)).toBe("2026-04");
    expect(earningMonth(Date.parse("2026-03-01T07:59:59Z"), LA)).toBe("2026-02"); // 23:59:59 PST
    expect(earningMonth(Date.parse("2026-03-01T08:00:00Z"), LA)).toBe("2026-03");
  });

  it("local dates around the daylight-saving changes in Los Angeles", () => {
    expect(localDate(Date.parse("2026-03-08T07:59:59.999Z"), LA)).toBe("2026-03-07"); // 23:59:59.999 PST
    expect(localDate(Date.parse("2026-03-08T08:00:00Z"), LA)).toBe("2026-03-08");
    expect(localDate(Date.parse("2026-03-09T06:59:59.999Z"), LA)).toBe("2026-03-08"); // 23:59:59.999 PDT
    expect(localDate(Date.parse("2026-03-09T07:00:00Z"), LA)).toBe("2026-03-09");
    expect(localDate(Date.parse("2026-11-01T06:59:59.999Z"), LA)).toBe("2026-10-31"); // PDT
    expect(localDate(Date.parse("2026-11-02T07:59:59.999Z"), LA)).toBe("2026-11-01"); // PST
    expect(localDate(Date.parse("2026-11-02T08:00:00Z"), LA)).toBe("2026-11-02");
  });

  it("agrees with luxon every 263 minutes over two years, in zones with DST, half- and quarter-hour offsets", () => {
    // localDate's caches (a zone's offset per UTC day, the text per local day) against luxon itself.
    const zones = [LA, TOKYO, LONDON, KOLKATA, "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "UTC"];
    const fromMs = Date.parse("1969-06-01T00:00:00Z");
    const stepMs = 263 * 60_000;
    let compared = 0;
    for (const zone of zones) {
      for (let ms = fromMs; ms < fromMs + 2 * 366 * 86_400_000; ms += stepMs) {
        const expected = DateTime.fromMillis(ms, { zone }).toISODate();
        if (localDate(ms, zone) !== expected) expect(`${localDate(ms, zone)} at ${ms} in ${zone}`).toBe(expected);
        compared += 1;
      }
    }
    expect(compared).toBe(8 * 4_008);
  });

  it("London in summer time, Berlin at new year, Kolkata at +05:30", () => {
    expect(earningMonth(Date.parse("2026-06-30T23:30:00Z"), LONDON)).toBe("2026-07"); // 00:30 BST
    expect(earningMonth(Date.parse("2026-12-31T23:30:00Z"), BERLIN)).toBe("2027-01"); // 00:30 CET
    expect(earningMonth(Date.parse("2026-03-31T18:29:59Z"), KOLKATA)).toBe("2026-03"); // 23:59:59 IST
    expect(earningMonth(Date.parse("2026-03-31T18:30:00Z"), KOLKATA)).toBe("2026-04");
  });
});

describe("payableOn (rule 10: first day of the next month + 60 days)", () => {
  it.each([
    ["2026-01", "2026-04-02"], // SPEC example: 2026-02-01 + 60 days
    ["2026-02", "2026-04-30"], // SPEC example: 2026-03-01 + 60 days
    ["2026-03", "2026-05-31"], // SPEC §5 example: 2026-04-01 + 60 days
    ["2025-12", "2026-03-02"], // across the year: 2026-01-01 + 60 days
    ["2026-11", "2027-01-30"], // 2026-12-01 + 60 days
    ["2028-01", "2028-04-01"], // leap year: 2028-02-01 + 60 days (February has 29)
  ])("%s → %s", (month, expected) => {
    expect(payableOn(month)).toBe(expected);
  });

  it("refuses something that is not a month", () => {
    expect(() => payableOn("2026-13")).toThrow();
    expect(() => payableOn("06/2026")).toThrow(new Error("not a month: expected YYYY-MM, e.g. 2026-06; got 06/2026"));
  });

  it("nextPayableOn says what a date is when given something else, not 'not a month: Invalid DateTime' (issue 22.9d)", () => {
    expect(() => nextPayableOn("12/01/2026")).toThrow(new Error("not a local date: expected YYYY-MM-DD, e.g. 2026-06-01; got 12/01/2026"));
  });

  it("nextPayableOn is the first payable date after the given date", () => {
    expect(nextPayableOn("2026-04-01")).toBe("2026-04-02"); // January's
    expect(nextPayableOn("2026-04-02")).toBe("2026-04-30"); // January's is not after 04-02; February's is
    expect(nextPayableOn("2026-05-31")).toBe("2026-06-30"); // April's: 2026-05-01 + 60
  });
});

describe("checkReportRange (SPEC §5: inclusive, at most 90 days)", () => {
  it("90 days inclusive is accepted", () => {
    // January 31 + February 28 + March 31 = 90 days.
    expect(checkReportRange("2026-01-01", "2026-03-31")).toEqual({ ok: true, days: 90 });
  });

  it("91 days is refused", () => {
    expect(checkReportRange("2026-01-01", "2026-04-01").ok).toBe(false);
  });

  it("a single day is 1 day", () => {
    expect(checkReportRange("2026-03-10", "2026-03-10")).toEqual({ ok: true, days: 1 });
  });

  it("a range across the daylight-saving change counts calendar days", () => {
    expect(checkReportRange("2026-03-01", "2026-03-31")).toEqual({ ok: true, days: 31 });
  });

  it("an inverted range is refused", () => {
    expect(checkReportRange("2026-03-10", "2026-03-09").ok).toBe(false);
  });

  it.each([
    ["2026-02-30", "2026-03-01"],
    ["2026-02-01", "2026-02-30"],
    ["2026-3-1", "2026-03-10"],
    ["2026-03-01T00:00:00Z", "2026-03-10"],
    ["", "2026-03-10"],
  ])("a date that is not a real YYYY-MM-DD is refused: %j..%j", (from, to) => {
    expect(checkReportRange(from, to).ok).toBe(false);
  });

  it("parseLocalDate accepts real dates only", () => {
    expect(parseLocalDate("2028-02-29")).not.toBeNull();
    expect(parseLocalDate("2026-02-29")).toBeNull();
  });
});

describe("reportRangeDates (the days a report seeks, one by one, now or as of a position)", () => {
  it("lists every calendar day of the range, across a month's end and a leap day", () => {
    expect(reportRangeDates("2028-02-27", "2028-03-02")).toEqual(["2028-02-27", "2028-02-28", "2028-02-29", "2028-03-01", "2028-03-02"]);
  });

  it("90 days is 90 dates, the last one `to`", () => {
    const dates = reportRangeDates("2026-01-01", "2026-03-31");
    expect([dates.length, dates[0], dates[89]]).toEqual([90, "2026-01-01", "2026-03-31"]);
  });

  it("a range checkReportRange refuses is a caller's bug: it throws", () => {
    expect(() => reportRangeDates("2026-01-01", "2026-04-01")).toThrow("range is 91 days; at most 90 days (inclusive)");
    expect(() => reportRangeDates("2026-03-10", "2026-03-09")).toThrow("to (2026-03-09) is before from (2026-03-10)");
  });
});
