// Rule versions are data (SPEC §4): the standard rate table and the marketplace configuration.
// A new rule version is a new value here (or a JSON file of the same shape), never an edit of an old one.
import { DEFAULT_MARKETPLACES, type Marketplace, type MarketplaceCode } from "./marketplaces.ts";
import { Dec } from "./money.ts";

export interface RuleVersion {
  version: number;
  /** Standard commission rate per product category, as decimal strings (rule 2). */
  standardRates: Readonly<Record<string, string>>;
  /** Rate of any category not in the table. */
  defaultRate: string;
  marketplaces: Readonly<Record<MarketplaceCode, Marketplace>>;
}

export const RULES_V1: RuleVersion = {
  version: 1,
  standardRates: {
    amazon_games: "0.20",
    luxury_beauty: "0.10",
    digital_music: "0.05",
    physical_books: "0.045",
    kitchen: "0.045",
    apparel: "0.04",
    amazon_devices: "0.04",
    gift_cards: "0",
    home: "0.03",
    toys: "0.03",
    headphones: "0.03",
    beauty: "0.03",
    electronics: "0.025",
    televisions: "0.02",
    grocery: "0.01",
    health_personal_care: "0.01",
    video_games: "0.01",
  },
  defaultRate: "0.04",
  marketplaces: DEFAULT_MARKETPLACES,
};

/**
 * An example of a later rule version, used by the replay/diff tests and the README: identical to
 * version 1 except that `toys` earns 0.04 instead of 0.03. It is never the default.
 */
export const RULES_V2_EXAMPLE: RuleVersion = {
  ...RULES_V1,
  version: 2,
  standardRates: { ...RULES_V1.standardRates, toys: "0.04" },
};

export const KNOWN_RULE_VERSIONS: Readonly<Record<number, RuleVersion>> = { 1: RULES_V1, 2: RULES_V2_EXAMPLE };

export function ruleVersion(version: number): RuleVersion {
  const rules = KNOWN_RULE_VERSIONS[version];
  if (!rules) throw new Error(`unknown rule version ${version}; known: ${Object.keys(KNOWN_RULE_VERSIONS).join(", ")}`);
  return rules;
}

/** Rule version from a JSON document (operator configuration); validated before use. */
export function ruleVersionFromJson(doc: unknown): RuleVersion {
  const value = doc as Partial<RuleVersion>;
  if (!value || typeof value !== "object") throw new Error("rule version: not an object");
  if (!Number.isInteger(value.version) || (value.version as number) < 1) throw new Error("rule version: version must be an integer ≥ 1");
  const rates = { ...(value.standardRates ?? {}) } as Record<string, string>;
  for (const [category, rate] of Object.entries(rates)) assertRate(rate, `standardRates.${category}`);
  assertRate(value.defaultRate ?? "", "defaultRate");
  return {
    version: value.version as number,
    standardRates: rates,
    defaultRate: value.defaultRate as string,
    marketplaces: { ...DEFAULT_MARKETPLACES, ...(value.marketplaces ?? {}) },
  };
}

function assertRate(rate: string, where: string): void {
  if (typeof rate !== "string" || !/^(0|1)(\.[0-9]{1,12})?$/.test(rate) || new Dec(rate).gt(1)) {
    throw new Error(`rule version: ${where} must be a decimal string in [0, 1], got ${JSON.stringify(rate)}`);
  }
}

export function standardRate(rules: RuleVersion, category: string): string {
  return rules.standardRates[category] ?? rules.defaultRate;
}
