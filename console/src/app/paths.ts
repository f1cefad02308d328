// URLs of the console's pages (services/http/consoleRoutes.ts): what a person bookmarks and shares.
import { CONSOLE_PAGES, type ConsolePage } from "../../../services/http/consoleRoutes.ts";
import type { QueryParams } from "../api/client.ts";
import { apiUrl } from "../api/client.ts";

/** `pagePath("creator", {creatorId: "K9"})` → `/creators/K9`; ids are percent-encoded. */
export function pagePath(page: ConsolePage, params: Record<string, string | number> = {}, query: QueryParams = {}): string {
  const path = CONSOLE_PAGES[page].replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${page}: missing ${name}`);
    return encodeURIComponent(String(value));
  });
  return apiUrl(path, query);
}

export const creatorPath = (creatorId: string) => pagePath("creator", { creatorId });
export const campaignPath = (campaignId: string) => pagePath("campaign", { campaignId });
export const brandPath = (brandId: string) => pagePath("brand", { brandId });
export const eventPath = (eventId: string) => pagePath("event", { eventId });
export const payoutPath = (payoutId: string) => pagePath("payout", { payoutId });
export const accountPath = (account: string) => pagePath("account", { account });
