// Lists paged by id (issue 27: GET /v1/creators, /v1/campaigns, /v1/brands): in code-point order (the
// id columns are code-point text in both databases: infra/readModel/port.ts idText), each page after
// the id `after` ("" before the first), the next page's `after` the last id of a full page.

/** The `after` of the first page: below every id (ids have at least one character). */
export const FIRST_ID_PAGE = "";

/** The id after the last one of a full page (the next page's `after`), or null when the page was not full. */
export function nextAfterId(ids: readonly string[], limit: number): string | null {
  return ids.length === limit && ids.length > 0 ? ids[ids.length - 1]! : null;
}
