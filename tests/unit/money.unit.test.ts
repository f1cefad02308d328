// SPEC §2 (values: money is a decimal string, never a JSON number) and §4 preamble (exact decimal
// arithmetic; round only where a rule says so, to the currency's minor digits, half-even).
import { describe, expect, it } from "vitest";
import {
  Dec,
  PLAIN_DECIMAL,
  dec,
  formatMinor,
  formatMoney,
  fractionDigits,
  fromMinor,
  roundHalfEven,
  toMinor,
} from "../../domain/money.ts";

describe("roundHalfEven (SPEC §4: half-even to the currency's minor digits)", () => {
  it.each([
    ["2.345", 2, "2.34"], // tie, 4 is even: down
    ["2.355", 2, "2.36"], // tie, 5 is odd: up
    ["2.365", 2, "2.36"],
    ["2.375", 2, "2.38"],
    ["0.045", 2, "0.04"],
    ["0.135", 2, "0.14"],
    ["2.3451", 2, "2.35"], // not a tie
    ["2.3449", 2, "2.34"],
    ["-2.345", 2, "-2.34"],
    ["-2.355", 2, "-2.36"],
    ["40.5", 0, "40"], // JPY
    ["41.5", 0, "42"],
    ["0.5", 0, "0"],
    ["1.5", 0, "2"],
    ["-40.5", 0, "-40"],
    ["12.3", 2, "12.3"], // already within the digits: unchanged
  ])("%s at %i digits → %s", (amount, digits, expected) => {
    expect(roundHalfEven(new Dec(amount), digits).toFixed()).toBe(new Dec(expected).toFixed());
  });
});

describe("exact decimal arithmetic", () => {
  it("0.1 + 0.2 is exactly 0.3", () => {
    expect(dec("0.1").plus(dec("0.2")).eq(dec("0.3"))).toBe(true);
  });

  it("29.97 × 0.03 is exactly 0.8991 (the DESIGN example)", () => {
    expect(dec("9.99").mul(3).mul("0.03").toFixed()).toBe("0.8991");
  });

  it("refuses a non-integer JS number (money comes as a string)", () => {
    expect(() => dec(0.1)).toThrow();
    expect(dec(5).toFixed()).toBe("5");
  });
});

describe("minor units", () => {
  it("toMinor converts exactly", () => {
    expect(toMinor(dec("12.30"), 2)).toBe(1230);
    expect(toMinor(dec("12.3"), 2)).toBe(1230);
    expect(toMinor(dec("1230"), 0)).toBe(1230);
    expect(toMinor(dec("-0.05"), 2)).toBe(-5);
    expect(toMinor(dec("0"), 2)).toBe(0);
  });

  it("toMinor refuses more fraction digits than the currency", () => {
    expect(() => toMinor(dec("1.005"), 2)).toThrow();
    expect(() => toMinor(dec("10.5"), 0)).toThrow();
  });

  it("fromMinor and formatMinor", () => {
    expect(fromMinor(1230, 2).eq(dec("12.3"))).toBe(true);
    expect(formatMinor(1230, 2)).toBe("12.30");
    expect(formatMinor(-5, 2)).toBe("-0.05");
    expect(formatMinor(0, 2)).toBe("0.00");
    expect(formatMinor(1230, 0)).toBe("1230");
    expect(formatMinor(7n, 3)).toBe("0.007");
    expect(formatMinor(-1230n, 0)).toBe("-1230");
    expect(formatMinor(-9_223_372_036_854_775_807n, 2)).toBe("-92233720368547758.07");
    expect(() => formatMinor(1.5, 2)).toThrow(/not a safe integer/);
    expect(() => formatMinor(2 ** 53, 2)).toThrow(/not a safe integer/);
  });

  it("formatMinor moves digits exactly as decimal.js divides them, at every size and digit count", () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i += 1) {
      const length = 1 + (next() % 19);
      const magnitude = BigInt(Array.from({ length }, () => next() % 10).join(""));
      const amount = next() % 2 === 0 ? magnitude : -magnitude;
      const digits = next() % 4;
      expect(formatMinor(amount, digits)).toBe(fromMinor(amount, digits).toFixed(digits));
    }
  });

  it('formatMoney has exactly the currency\'s digits (SPEC §5: "12.30", JPY "1230")', () => {
    expect(formatMoney(dec("12.3"), 2)).toBe("12.30");
    expect(formatMoney(dec("1230"), 0)).toBe("1230");
    expect(formatMoney(dec("2.345"), 2)).toBe("2.34");
    expect(formatMoney(dec("2.355"), 2)).toBe("2.36");
    expect(formatMoney(dec("40.5"), 0)).toBe("40");
  });

  it("fractionDigits counts digits after the point", () => {
    expect(fractionDigits("10")).toBe(0);
    expect(fractionDigits("10.5")).toBe(1);
    expect(fractionDigits("19.990")).toBe(3);
  });
});

describe("PLAIN_DECIMAL (SPEC §2: plain decimal notation)", () => {
  it.each(["19.99", "0.10", "0", "10", "1000000000000", "-1.5"])("accepts %s", (s) => {
    expect(PLAIN_DECIMAL.test(s)).toBe(true);
  });
  it.each(["1e3", " 1", "1 ", "01", ".5", "5.", "+1", "1,5", "", "NaN"])("refuses %j", (s) => {
    expect(PLAIN_DECIMAL.test(s)).toBe(false);
  });
});
