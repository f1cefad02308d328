// A webhook endpoint's URL is a capability (SPEC §11): whoever holds it can post to the receiver, and
// many carry their secret in the path, the query or even the host name (a per-endpoint subdomain).
// The /v1/webhooks routes need the `webhooks` scope for that reason; the event log (SPEC §8.3) needs
// only `read`, so it shows a WebhookRegistered event to a caller without `webhooks` with its URL
// replaced whole (no scheme or host kept: a host can be the secret). The rest of the event — the
// webhook id, its event types, positions — is not secret and stays, so the log still reads whole.
import type { Scope } from "./auth.ts";

export const REDACTED_WEBHOOK_URL = "[redacted: needs the webhooks scope]";

/** The scope that may read webhook URLs (the one every /v1/webhooks route needs). */
const URL_SCOPE: Scope = "webhooks";

/** An event as the event log shows it (services/reads/reads.ts eventView). */
interface ShownEvent {
  type: string;
  data: object;
}

/** The event as a caller holding `scopes` may see it. */
export function eventShownTo<E extends ShownEvent>(event: E, scopes: ReadonlySet<Scope>): E {
  if (event.type !== "WebhookRegistered" || scopes.has(URL_SCOPE)) return event;
  return { ...event, data: { ...event.data, url: REDACTED_WEBHOOK_URL } };
}
