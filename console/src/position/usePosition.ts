// The position picker's state (SPEC §8.2, §10): `?at=P` in the page's URL, so a page as of a
// position is a link like any other. Every read the page makes then asks for asOfPosition=P.
import { useSearch } from "wouter";

/** The URL parameter that holds the position a page is shown as of. */
export const AT_PARAM = "at";

/** The position the page is shown as of, or null for now (the read models' current position). */
export function usePosition(): number | null {
  const text = new URLSearchParams(useSearch()).get(AT_PARAM);
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

/** `href` with the page's position kept (links between pages stay at the same position). */
export function withPosition(href: string, at: number | null): string {
  if (at === null) return href;
  const [path, query = ""] = href.split("?") as [string, string?];
  const params = new URLSearchParams(query);
  params.set(AT_PARAM, String(at));
  return `${path}?${params.toString()}`;
}
