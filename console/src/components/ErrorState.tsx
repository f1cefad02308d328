// What a page says when a read fails: what happened, in words, and what to do about it.
import type { ReactNode } from "react";
import { ApiError } from "../api/client.ts";

function advice(error: ApiError, what: string): { title: string; hint: string } {
  switch (error.status) {
    case 0:
      return { title: "The ledger is not answering", hint: "Check that the ledger's server is running, then retry." };
    case 400:
      return { title: "The ledger refused this request", hint: "Change the values on this page and try again." };
    case 401:
      return { title: "This ledger asks for an access token", hint: "Enter your token in the form at the top of the page." };
    case 403:
      return { title: "Your token does not allow this", hint: "Ask for a token with the read scope, then sign in with it." };
    case 404:
      return {
        title: `No ${what} with this id`,
        hint: "Check the id, or look for it with the search box. As of an earlier position, it may not exist yet.",
      };
    case 503:
      return { title: "The ledger is still catching up", hint: "Its read models have not reached this position yet. Retry in a moment." };
    default:
      return { title: `The ledger answered ${error.status}`, hint: "Retry; if it keeps failing, the server's log says why." };
  }
}

export function ErrorState({ error, what, retry }: { error: Error; what: string; retry?: () => void }) {
  const apiError = error instanceof ApiError ? error : new ApiError(0, "unknown", error.message);
  const { title, hint } = advice(apiError, what);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p>{apiError.message}</p>
      <p className="state-hint">{hint}</p>
      {retry !== undefined && apiError.status !== 400 && apiError.status !== 404 ? (
        <button type="button" onClick={retry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children === undefined ? null : <div className="state-hint">{children}</div>}
    </div>
  );
}
