// A read's three states on a page: loading, failed (ErrorState), or its data.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { ApiError } from "../api/client.ts";
import { ErrorState } from "./ErrorState.tsx";

export function Loaded<T>({
  query,
  what,
  children,
}: {
  query: UseQueryResult<T, ApiError>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <p className="loading" role="status">
        Loading {what}…
      </p>
    );
  }
  if (query.isError) return <ErrorState error={query.error} what={what} retry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
