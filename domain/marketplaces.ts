// SPEC §3 "Marketplaces". Thresholds are configuration (part of the rule version): see rules.ts.
export const MARKETPLACE_CODES = ["US", "CA", "UK", "DE", "IN", "JP"] as const;
export type MarketplaceCode = (typeof MARKETPLACE_CODES)[number];

export const PAYMENT_METHODS = ["direct_deposit", "gift_card", "check"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface Marketplace {
  code: MarketplaceCode;
  currency: string;
  minorDigits: number;
  /** IANA zone of the marketplace's reporting calendar (earning months, report days, payable dates). */
  zone: string;
  /** Payout threshold per method, in major units as a decimal string; absent = method not offered. */
  thresholds: Partial<Record<PaymentMethod, string>>;
}

export const DEFAULT_MARKETPLACES: Readonly<Record<MarketplaceCode, Marketplace>> = {
  US: {
    code: "US",
    currency: "USD",
    minorDigits: 2,
    zone: "America/Los_Angeles",
    thresholds: { direct_deposit: "10", gift_card: "10", check: "100" },
  },
  CA: {
    code: "CA",
    currency: "CAD",
    minorDigits: 2,
    zone: "America/Los_Angeles",
    thresholds: { direct_deposit: "10", gift_card: "10", check: "100" },
  },
  UK: { code: "UK", currency: "GBP", minorDigits: 2, zone: "Europe/London", thresholds: { direct_deposit: "25", gift_card: "25" } },
  DE: { code: "DE", currency: "EUR", minorDigits: 2, zone: "Europe/Berlin", thresholds: { direct_deposit: "25", gift_card: "25" } },
  IN: { code: "IN", currency: "INR", minorDigits: 2, zone: "Asia/Kolkata", thresholds: { direct_deposit: "100", gift_card: "10" } },
  JP: { code: "JP", currency: "JPY", minorDigits: 0, zone: "Asia/Tokyo", thresholds: { direct_deposit: "5000", gift_card: "500" } },
};

export function isMarketplaceCode(value: string): value is MarketplaceCode {
  return (MARKETPLACE_CODES as readonly string[]).includes(value);
}
