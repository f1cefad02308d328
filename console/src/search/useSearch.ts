// One GET /v1/search per text asked (issue 27): prefix, any case, every kind of id in one answer, as
// of the page's position. Never a probe of the kinds' own reads (those would answer 404s).
import { keepPreviousData, useQuery, type UseQueryResult } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiError, getJson } from "../api/client.ts";
import type { Search } from "../api/types.ts";
import { useToken } from "../auth/token.ts";
import { usePosition } from "../position/usePosition.ts";
import { isSearchable } from "./hits.tsx";

/**
 * The hits for `q` (null: nothing to ask, or `q` could not start an id: no request). While the next
 * answer is on its way the previous one stays (no flicker as one types): compare `data.q` with `q`.
 */
export function useSearch(q: string | null, limit: number): UseQueryResult<Search, ApiError> {
  const at = usePosition();
  const { token } = useToken();
  const params = { q: q ?? "", limit, asOfPosition: at };
  return useQuery<Search, ApiError>({
    queryKey: ["/v1/search", params, token],
    queryFn: ({ signal }) => getJson<Search>("/v1/search", params, signal),
    enabled: q !== null && isSearchable(q),
    placeholderData: keepPreviousData,
    retry: (failures, error) => failures < 1 && error instanceof ApiError && (error.status === 0 || error.status === 503),
  });
}

/** `value`, once it has stayed the same for `ms` (one request per pause in typing, not per key). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
