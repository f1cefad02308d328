// What an account of the journal holds (SPEC §8.1, §12), read off its name. Ids inside a name write
// their ':' as %3A, so the name splits on ':' and each id is decoded.
import { isMarketplaceCode, type MarketplaceCode } from "../../../domain/marketplaces.ts";

export interface AccountMeaning {
  /** One sentence: what the balance is. */
  holds: string;
  creatorId?: string;
  campaignId?: string;
  brandId?: string;
  marketplace?: MarketplaceCode;
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function accountMeaning(account: string): AccountMeaning {
  const parts = account.split(":").map(decoded);
  const [kind, a = "", b = "", c = ""] = parts;
  const market = (code: string) => (isMarketplaceCode(code) ? { marketplace: code } : {});
  if (kind === "creator" && parts.length === 4 && c === "earned")
    return { holds: `What ${a} has earned in ${b} and not been paid (negative: what ${a} owes).`, creatorId: a, ...market(b) };
  if (kind === "creator" && parts.length === 4 && c === "pending")
    return { holds: `Bonus granted to ${a} by campaign ${b} and still pending (rule 5).`, creatorId: a, campaignId: b };
  if (kind === "campaign" && parts.length === 3 && b === "budget")
    return { holds: `Budget of campaign ${a} not yet granted: its remaining budget.`, campaignId: a };
  if (kind === "brand" && parts.length === 3)
    return { holds: `Brand ${a}'s side in ${b}: what it funded into campaign budgets (negative).`, brandId: a, ...market(b) };
  if (kind === "program" && parts.length === 3 && b === "standard")
    return { holds: `The program's side of standard commission in ${a} (negative).`, ...market(a) };
  if (kind === "program" && parts.length === 3 && b === "adjustments")
    return { holds: `The program's side of manual adjustments in ${a}.`, ...market(a) };
  if (kind === "program" && parts.length === 3 && b === "writeoffs")
    return { holds: `The program's side of creators' debts written off in ${a} (SPEC §12).`, ...market(a) };
  if (kind === "payouts" && parts.length === 2)
    return { holds: `Money paid out to creators in ${a}, net of failed payouts.`, ...market(a) };
  return { holds: "An account of the journal." };
}
