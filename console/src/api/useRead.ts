// Reads of the API for a page: cached per URL, position and token (TanStack Query). A read of a
// page shown as of a position asks for asOfPosition (SPEC §8.2); the few that describe the ledger
// as it is now (health, projection versions) say so with `asOf: false`.
import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { useToken } from "../auth/token.ts";
import { usePosition } from "../position/usePosition.ts";
import { ApiError, getJson, type QueryParams } from "./client.ts";

export interface ReadOptions {
  /** Whether the read takes the page's position (default true). */
  asOf?: boolean;
  /** Read again every so often (health, lag). */
  refetchMs?: number;
}

/** Retries that can help: no answer at all, or a read model still catching up (503). */
function worthRetrying(failures: number, error: Error): boolean {
  return failures < 1 && error instanceof ApiError && (error.status === 0 || error.status === 503);
}

/** `path` null: nothing to read yet (a form not filled in). */
export function useRead<T>(path: string | null, params: QueryParams = {}, options: ReadOptions = {}): UseQueryResult<T, ApiError> {
  const at = usePosition();
  const { token } = useToken();
  const query = options.asOf === false ? params : { ...params, asOfPosition: at };
  return useQuery<T, ApiError>({
    queryKey: [path, query, token],
    queryFn: ({ signal }) => getJson<T>(path!, query, signal),
    enabled: path !== null,
    retry: worthRetrying,
    ...(options.refetchMs === undefined ? {} : { refetchInterval: options.refetchMs }),
  });
}
