// Money is exact decimal (decimal.js), never a JS float. Read models store integer minor units.
import { Decimal } from "decimal.js";

// A private constructor so no other module's Decimal settings can change our rounding.
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 40 });
export type Dec = InstanceType<typeof Dec>;

/** Largest amount (in major units) any single money field may carry; bounds arithmetic and SQL integers. */
export const MONEY_MAX = new Dec("1000000000000"); // 10^12
/** Plain decimal notation: optional minus, digits, optional fraction. No exponent, no spaces. */
export const PLAIN_DECIMAL = /^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,12})?$/;

export function dec(value: string | number | Dec): Dec {
  if (typeof value === "number" && !Number.isInteger(value)) {
    throw new Error(`dec(): refusing non-integer JS number ${value}; money must come as a decimal string`);
  }
  return new Dec(value);
}

/** Round to `minorDigits` fraction digits, half-even (SPEC §4: the only rounding mode). */
export function roundHalfEven(amount: Dec, minorDigits: number): Dec {
  return amount.toDecimalPlaces(minorDigits, Dec.ROUND_HALF_EVEN);
}

/** Exact conversion to integer minor units; throws if the amount has more digits than the currency. */
export function toMinor(amount: Dec, minorDigits: number): number {
  const scaled = amount.mul(new Dec(10).pow(minorDigits));
  if (!scaled.isInteger()) throw new Error(`toMinor(): ${amount.toString()} has more than ${minorDigits} fraction digits`);
  const n = scaled.toNumber();
  if (!Number.isSafeInteger(n)) throw new Error(`toMinor(): ${amount.toString()} exceeds the safe integer range`);
  return n;
}

export function fromMinor(amountMinor: number | bigint | string, minorDigits: number): Dec {
  return new Dec(amountMinor.toString()).div(new Dec(10).pow(minorDigits));
}

/** Format with exactly the currency's minor digits: "12.30", JPY "1230". */
export function formatMoney(amount: Dec, minorDigits: number): string {
  return roundHalfEven(amount, minorDigits).toFixed(minorDigits);
}

export function formatMinor(amountMinor: number | bigint | string, minorDigits: number): string {
  return fromMinor(amountMinor, minorDigits).toFixed(minorDigits);
}

/** Digits after the decimal point of a plain decimal string. */
export function fractionDigits(plain: string): number {
  const dot = plain.indexOf(".");
  return dot < 0 ? 0 : plain.length - dot - 1;
}
