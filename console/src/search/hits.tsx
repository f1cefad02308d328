// What the search box and the search page show of a hit of GET /v1/search (issue 27): its kind, its
// id, a few words that tell two hits apart, and the page it leads to.
import type { SearchHit } from "../api/types.ts";
import { brandPath, campaignPath, creatorPath, eventPath, payoutPath } from "../app/paths.ts";
import { formatCount } from "../format/money.ts";

/** SPEC §2: the characters of an id. The API refuses a q with any other (a 400): the console never sends one. */
const ID_TEXT = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whether `text` can be the start of an id, so is worth asking /v1/search about. */
export function isSearchable(text: string): boolean {
  return ID_TEXT.test(text);
}

export const ID_CHARACTERS_HINT = "An id has 1 to 128 of the characters A–Z, a–z, 0–9 and . _ : - (for example cr-00003, cmp-0006).";

export const KIND_LABELS: Record<SearchHit["kind"], string> = {
  creator: "Creator",
  campaign: "Campaign",
  brand: "Brand",
  payout: "Payout",
  event: "Event",
};

/** The page a hit opens. */
export function hitPath(hit: SearchHit): string {
  switch (hit.kind) {
    case "creator":
      return creatorPath(hit.id);
    case "campaign":
      return campaignPath(hit.id);
    case "brand":
      return brandPath(hit.id);
    case "payout":
      return payoutPath(hit.id);
    case "event":
      return eventPath(hit.id);
  }
}

/** What tells a hit apart from the others: a campaign's brand, a payout's creator, an event's type. */
export function hitDetail(hit: SearchHit): string {
  switch (hit.kind) {
    case "creator":
      return "";
    case "campaign":
      return `of ${hit.brandId}, ${hit.marketplace}`;
    case "brand":
      return `${formatCount(hit.campaigns)} campaign${hit.campaigns === 1 ? "" : "s"}`;
    case "payout":
      return `to ${hit.creatorId}, ${hit.marketplace}`;
    case "event":
      return `${hit.type} at position ${hit.position}`;
  }
}

/** The hits whose id is `text` (ignoring case, as the search does): more than one when a payout and its event share it. */
export function exactHits(hits: readonly SearchHit[], text: string): SearchHit[] {
  const wanted = text.toLowerCase();
  return hits.filter((hit) => hit.id.toLowerCase() === wanted);
}
