// The marketplaces and currencies a page offers to choose from (SPEC §3).
import { DEFAULT_MARKETPLACES, MARKETPLACE_CODES, isMarketplaceCode, type MarketplaceCode } from "../../../domain/marketplaces.ts";

export const MARKETPLACES: readonly MarketplaceCode[] = MARKETPLACE_CODES;

/** Each currency once, in the marketplaces' order (USD, CAD, GBP, EUR, INR, JPY). */
export const CURRENCIES: readonly string[] = [...new Set(MARKETPLACE_CODES.map((m) => DEFAULT_MARKETPLACES[m].currency))];

export function currencyOf(marketplace: MarketplaceCode): string {
  return DEFAULT_MARKETPLACES[marketplace].currency;
}

/** A marketplace named in a URL, or `fallback` when it names none (or none known). */
export function marketplaceOr(text: string | null, fallback: MarketplaceCode): MarketplaceCode {
  return text !== null && isMarketplaceCode(text) ? text : fallback;
}
