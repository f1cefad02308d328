// The console's only way to the ledger: GET requests to this origin's /v1 API (and the one POST of a
// true-up), with the token when one is set. Every number the console shows comes through here (SPEC §10).
import { askForToken, currentToken } from "../auth/token.ts";
import type { ErrorAnswer } from "./types.ts";

export type QueryParams = Record<string, string | number | null | undefined>;

/** An answer that is not a 2xx, in the API's error shape (SPEC §5), or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

/** An API path with its ids percent-encoded: v1`/v1/creators/${id}/earnings`. */
export function v1(parts: TemplateStringsArray, ...ids: string[]): string {
  return parts.reduce((out, part, i) => out + part + (i < ids.length ? encodeURIComponent(ids[i]!) : ""), "");
}

/** `/v1/creators/K9/earnings` + `{asOfPosition: 12}` → `/v1/creators/K9/earnings?asOfPosition=12`; empty values are left out. */
export function apiUrl(path: string, params: QueryParams = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== null && value !== undefined && value !== "") query.set(name, String(value));
  const text = query.toString();
  return text === "" ? path : `${path}?${text}`;
}

/** `payload`: a POST of it as JSON (the console's only write: a true-up, SPEC §14); otherwise a GET. */
async function request(path: string, params: QueryParams, signal?: AbortSignal, payload?: unknown): Promise<Response> {
  const token = currentToken();
  const method = payload === undefined ? "GET" : "POST";
  let response: Response;
  try {
    response = await fetch(apiUrl(path, params), {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(payload === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    // The page's hint says what to do (ErrorState); the message says what happened, once.
    throw new ApiError(0, "unreachable", `No answer to ${method} ${path}: the connection failed.`);
  }
  if (response.ok) return response;
  if (response.status === 401) askForToken();
  let body: ErrorAnswer | null = null;
  try {
    body = (await response.json()) as ErrorAnswer;
  } catch {
    body = null;
  }
  throw new ApiError(
    response.status,
    body?.error.code ?? "http_error",
    body?.error.message ?? `the API answered ${response.status}`,
    body?.error.details ?? [],
  );
}

export async function getJson<T>(path: string, params: QueryParams = {}, signal?: AbortSignal): Promise<T> {
  return (await (await request(path, params, signal)).json()) as T;
}

/** POST `body` as JSON and read the JSON answer (a 4xx or 5xx throws ApiError, as a read's does). */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return (await (await request(path, {}, undefined, body)).json()) as T;
}

/** A text answer (CSV) as the API sent it, byte for byte, and the file name it suggests. */
export async function getFile(path: string, params: QueryParams): Promise<{ blob: Blob; fileName: string | null }> {
  const response = await request(path, params);
  const disposition = response.headers.get("content-disposition") ?? "";
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
  return { blob: await response.blob(), fileName };
}
