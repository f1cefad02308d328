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

/**
 * Integer minor units as a plain decimal with exactly `minorDigits` fraction digits: 1230 → "12.30",
 * -5 → "-0.05", JPY 1230 → "1230". Digits are moved, not computed, so it is exact at any size; every
 * read answer formats its amounts here (a decimal.js division per amount was most of the time of a
 * large creator's earnings read).
 */
export function formatMinor(amountMinor: number | bigint, minorDigits: number): string {
  if (typeof amountMinor === "number" && !Number.isSafeInteger(amountMinor))
    throw new Error(`formatMinor(): ${amountMinor} is not a safe integer of minor units`);
  if (!Number.isInteger(minorDigits) || minorDigits < 0)
    throw new Error(`formatMinor(): ${minorDigits} is not a number of fraction digits`);
  const n = BigInt(amountMinor);
  const digits = (n < 0n ? -n : n).toString().padStart(minorDigits + 1, "0");
  const plain = minorDigits === 0 ? digits : `${digits.slice(0, -minorDigits)}.${digits.slice(-minorDigits)}`;
  return n < 0n ? `-${plain}` : plain;
}

/** Digits after the decimal point of a plain decimal string. */
export function fractionDigits(plain: string): number {
  const dot = plain.indexOf(".");
  return dot < 0 ? 0 : plain.length - dot - 1;
}

// --- Exact scaled-integer arithmetic for the engine's hot path ---------------------------------
// quantity × price × rate, rounded half-even to minor units, in BigInt: exact like decimal.js
// (tests/unit/money.unit.test.ts checks it against decimal.js) and several times faster, which
// matters when a rebuild folds a million events.
const POW10: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));
const scaledCache = new Map<string, { n: bigint; scale: number }>();
const SCALED_CACHE_MAX = 10_000;

/** A plain non-negative decimal string as an integer and its scale: "19.99" → 1999n, 2. */
export function parseScaled(plain: string): { n: bigint; scale: number } {
  const cached = scaledCache.get(plain);
  if (cached) return cached;
  if (!PLAIN_DECIMAL.test(plain) || plain.startsWith("-")) throw new Error(`parseScaled(): not a non-negative plain decimal: ${plain}`);
  const dot = plain.indexOf(".");
  const parsed =
    dot < 0 ? { n: BigInt(plain), scale: 0 } : { n: BigInt(plain.slice(0, dot) + plain.slice(dot + 1)), scale: plain.length - dot - 1 };
  if (scaledCache.size < SCALED_CACHE_MAX) scaledCache.set(plain, parsed);
  return parsed;
}

/** n / 10^(scale − digits), rounded half-even (n ≥ 0). */
function roundScaledHalfEven(n: bigint, scale: number, digits: number): bigint {
  if (n < 0n) throw new Error("roundScaledHalfEven(): negative amount");
  if (scale <= digits) return n * POW10[digits - scale]!;
  const divisor = POW10[scale - digits]!;
  const quotient = n / divisor;
  const twice = (n % divisor) * 2n;
  return twice > divisor || (twice === divisor && (quotient & 1n) === 1n) ? quotient + 1n : quotient;
}

function toSafeNumber(n: bigint): number {
  const value = Number(n);
  if (!Number.isSafeInteger(value)) throw new Error(`amount ${n} exceeds the safe integer range`);
  return value;
}

/** round(quantity × price × rate) in minor units, half-even (SPEC §4 rules 2, 3). */
export function lineAmountMinor(quantity: number, price: string, rate: string, minorDigits: number): number {
  const p = parseScaled(price);
  const r = parseScaled(rate);
  return toSafeNumber(roundScaledHalfEven(BigInt(quantity) * p.n * r.n, p.scale + r.scale, minorDigits));
}

/** round(amountMinor × part / whole), half-even (SPEC §4 rule 8); amountMinor ≥ 0, whole > 0. */
export function proportionMinor(amountMinor: number, part: number, whole: number): number {
  const n = BigInt(amountMinor) * BigInt(part);
  const w = BigInt(whole);
  const quotient = n / w;
  const twice = (n % w) * 2n;
  return toSafeNumber(twice > w || (twice === w && (quotient & 1n) === 1n) ? quotient + 1n : quotient);
}
