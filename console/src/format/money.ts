// Amounts as people read them: in their currency, with the currency's own minor digits (SPEC §5:
// the API sends exactly those, JPY none). The API's decimal string is formatted as it is, never
// through a float, so what is shown is the API's amount to the last digit.

/** The browser's language, for separators and currency symbols. */
export const LOCALE = typeof navigator === "undefined" ? "en-US" : navigator.language;

const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, currency: string | null, digits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}|${digits}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, {
      ...(currency === null ? {} : { style: "currency", currency }),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formats.set(key, format);
  }
  return format;
}

/** Digits after the decimal point of the API's amount ("12.30" → 2, JPY "1230" → 0). */
function minorDigits(amount: string): number {
  const dot = amount.indexOf(".");
  return dot < 0 ? 0 : amount.length - dot - 1;
}

/** `formatMoney("1234.50", "USD")` → "$1,234.50"; `formatMoney("1230", "JPY")` → "¥1,230". */
export function formatMoney(amount: string, currency: string, locale = LOCALE): string {
  return numberFormat(locale, currency, minorDigits(amount)).format(amount as `${number}`);
}

/** An amount without its currency symbol, for table columns whose header names the currency. */
export function formatAmount(amount: string, locale = LOCALE): string {
  return numberFormat(locale, null, minorDigits(amount)).format(amount as `${number}`);
}

/** A count (clicks, orders, units): grouped digits. */
export function formatCount(count: number, locale = LOCALE): string {
  return numberFormat(locale, null, 0).format(count);
}

const percent = new Map<string, Intl.NumberFormat>();

/** A rate the API sends as a fraction ("0.10") as a percentage ("10%"; "0.045" → "4.5%"). */
export function formatRate(rate: string, locale = LOCALE): string {
  let format = percent.get(locale);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 6 });
    percent.set(locale, format);
  }
  return format.format(rate as `${number}`);
}

/** An integer count of minor units as the currency's decimal amount: ("2500", 2) → "25.00", ("-5", 2) → "-0.05", ("800", 0) → "800". */
export function minorToAmount(minor: string, minorDigits: number): string {
  const negative = minor.startsWith("-");
  const digits = (negative ? minor.slice(1) : minor).padStart(minorDigits + 1, "0");
  const whole = minorDigits === 0 ? digits : `${digits.slice(0, -minorDigits)}.${digits.slice(-minorDigits)}`;
  return negative ? `-${whole}` : whole;
}
