// Access control: bearer tokens from configuration, each with scopes (ingest, read, payouts, webhooks, admin).
// Without a token: 401; with a token lacking the route's scope: 403. Health, metrics, the OpenAPI
// document and the console's own pages and files stay open (the console asks for a token and sends
// it to /v1).
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { isConsoleRoute } from "./consoleRoutes.ts";
import { HttpError } from "./errors.ts";

export const SCOPES = ["ingest", "read", "payouts", "webhooks", "admin"] as const;
export type Scope = (typeof SCOPES)[number];
export const TOKEN_MIN_CHARS = 16;
export const TOKENS_MAX = 100;

export interface TokenGrant {
  digest: Buffer;
  scopes: ReadonlySet<Scope>;
}

/** Parses `secretA:ingest,read;secretB:payouts`; unset or empty means no access control. */
export function parseTokens(text: string | undefined): TokenGrant[] {
  if (text === undefined || text === "") return [];
  const grants = text
    .split(";")
    .filter((s) => s.trim() !== "")
    .map((entry) => {
      const colon = entry.lastIndexOf(":");
      const token = entry.slice(0, colon).trim();
      const scopes = entry
        .slice(colon + 1)
        .split(",")
        .map((s) => s.trim());
      if (colon < 0 || token.length < TOKEN_MIN_CHARS)
        throw new Error(`LEDGER_TOKENS: each entry is token:scope,scope with a token of at least ${TOKEN_MIN_CHARS} characters`);
      for (const s of scopes)
        if (!(SCOPES as readonly string[]).includes(s))
          throw new Error(`LEDGER_TOKENS: unknown scope '${s}' (known: ${SCOPES.join(", ")})`);
      return { digest: sha256(token), scopes: new Set(scopes as Scope[]) };
    });
  // A set variable without a token (' ', ';') is a slip, never a wish to run open: refuse it.
  if (grants.length === 0)
    throw new Error(
      "LEDGER_TOKENS is set but holds no token: give token:scope,scope;… or unset it (only the demo or LEDGER_ALLOW_OPEN=1 runs open)",
    );
  if (grants.length > TOKENS_MAX) throw new Error(`LEDGER_TOKENS: at most ${TOKENS_MAX} tokens`);
  return grants;
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * The scope a route needs, or null for the open routes. `route` is the pattern Fastify matched
 * (never the raw URL: `/v1/%65vents` reaches the events route too); an unmatched request needs `read`.
 */
export function scopeOf(method: string, route: string | undefined): Scope | null {
  if (route === "/v1/health" || route === "/metrics" || route === "/v1/openapi.json") return null;
  if ((method === "GET" || method === "HEAD") && route !== undefined && isConsoleRoute(route)) return null;
  if (method === "POST" && route === "/v1/events") return "ingest";
  if (method === "POST" && route === "/v1/payouts/run") return "payouts";
  // Registering, listing and deleting endpoints and their delivery log (SPEC §11): URLs and secrets are not everyone's to read.
  if (route === "/v1/webhooks" || route?.startsWith("/v1/webhooks/")) return "webhooks";
  // SPEC Part III: what proves the log, and what books the past's difference under another rule version, needs `admin`.
  if (route === "/v1/log/verify") return "admin";
  if (method === "POST" && route === "/v1/trueups") return "admin";
  return "read";
}

/**
 * How a server without tokens runs: `open` (LEDGER_ALLOW_OPEN=1, or a test harness) lets everyone
 * do everything; `demo` lets everyone read, and refuses every write, so the store keeps holding
 * nothing but the demo data set (the only store that starts open by default, services/serve.ts).
 */
export type OpenMode = "open" | "demo";

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 7235 §2.1). */
const BEARER = /^bearer +(\S{1,512}) *$/i;

const unauthorized = (message: string, error?: "invalid_token") =>
  // RFC 6750 §3: a 401 names the scheme it wants, and says when the token itself was refused.
  new HttpError(401, "unauthorized", message, [], { "www-authenticate": `Bearer realm="ledger"${error ? `, error="${error}"` : ""}` });

/** The grant of the request's bearer token; "missing" without a well-formed header, "unknown" for a token nobody was given. */
function grantOf(grants: readonly TokenGrant[], request: FastifyRequest): TokenGrant | "missing" | "unknown" {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? BEARER.exec(header) : null;
  if (!match) return "missing";
  const digest = sha256(match[1]!);
  return grants.find((g) => timingSafeEqual(g.digest, digest)) ?? "unknown";
}

export function authorize(grants: readonly TokenGrant[], request: FastifyRequest, openMode: OpenMode = "open"): void {
  const scope = scopeOf(request.method, request.routeOptions.url);
  if (scope === null) return;
  if (grants.length === 0) {
    if (openMode === "demo" && scope !== "read") {
      throw new HttpError(
        403,
        "demo_read_only",
        "this ledger runs open on the demo data set, which it keeps as it is: reads are open, writes are not. To add events or run payouts, start it with LEDGER_TOKENS (or LEDGER_ALLOW_OPEN=1 to run open)",
      );
    }
    return;
  }
  const grant = grantOf(grants, request);
  if (grant === "missing") throw unauthorized("send Authorization: Bearer <token>");
  if (grant === "unknown") throw unauthorized("unknown token", "invalid_token");
  if (!grant.scopes.has(scope)) throw new HttpError(403, "forbidden", `this token lacks the '${scope}' scope`);
}

const EVERY_SCOPE: ReadonlySet<Scope> = new Set(SCOPES);
/** The demo answers reads only (authorize), so its callers hold `read` and nothing more. */
const DEMO_SCOPES: ReadonlySet<Scope> = new Set<Scope>(["read"]);
const NO_SCOPE: ReadonlySet<Scope> = new Set<Scope>();

/**
 * The scopes the caller holds, for a route that shows more to some callers than to others (a webhook
 * URL in the event log needs `webhooks`): its token's, none without a known token; without tokens,
 * every scope when the ledger runs open, `read` alone in the demo.
 */
export function scopesOf(grants: readonly TokenGrant[], request: FastifyRequest, openMode: OpenMode = "open"): ReadonlySet<Scope> {
  if (grants.length === 0) return openMode === "open" ? EVERY_SCOPE : DEMO_SCOPES;
  const grant = grantOf(grants, request);
  return typeof grant === "string" ? NO_SCOPE : grant.scopes;
}
