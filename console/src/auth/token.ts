// The access token (SPEC §10: entered once, kept for the browser session). It lives in
// sessionStorage, so it goes when the tab closes, and is sent only to this origin's /v1.
import { useSyncExternalStore } from "react";

const STORAGE_KEY = "ledger-console.token";

export interface TokenState {
  token: string | null;
  /** The API answered 401: the page asks for a token (again, if the one given was refused). */
  asked: boolean;
}

let state: TokenState = { token: sessionStorage.getItem(STORAGE_KEY), asked: false };
const listeners = new Set<() => void>();

function set(next: TokenState): void {
  state = next;
  for (const listener of listeners) listener();
}

export function currentToken(): string | null {
  return state.token;
}

export function signIn(token: string): void {
  sessionStorage.setItem(STORAGE_KEY, token);
  set({ token, asked: false });
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  set({ token: null, asked: false });
}

/** Called on a 401: the token is missing or was refused. */
export function askForToken(): void {
  if (!state.asked) set({ ...state, asked: true });
}

export function useToken(): TokenState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
