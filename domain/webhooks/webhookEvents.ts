// The webhook event types an endpoint subscribes to (SPEC §11), and which of them an item of the
// change feed (or a campaign notification) is. Pure: the webhooks projection and the API share it.
import type { EntryKind } from "../journal/entryKinds.ts";

export const WEBHOOK_EVENTS = [
  "posting.created",
  "payout.issued",
  "payout.failed",
  "budget.exhausted",
  "campaign.ended",
  "anomaly.recorded",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Entry kinds that are also an event of their own (SPEC §11); every entry is `posting.created`. */
const SPECIFIC_ENTRY_EVENTS: Partial<Record<EntryKind, WebhookEvent>> = { payout: "payout.issued", payout_failed: "payout.failed" };

/** The webhook events a journal entry of `kind` is, the most specific first. */
export function entryEvents(kind: EntryKind): WebhookEvent[] {
  const specific = SPECIFIC_ENTRY_EVENTS[kind];
  return specific === undefined ? ["posting.created"] : [specific, "posting.created"];
}

/**
 * What an endpoint receives an item as: the first of the item's events (most specific first) that
 * it subscribed to, or null when it subscribed to none. An item reaches an endpoint once, so a
 * payout entry goes to an endpoint of both `payout.issued` and `posting.created` once, as `payout.issued`.
 */
export function deliveredAs(itemEvents: readonly WebhookEvent[], subscribed: ReadonlySet<WebhookEvent>): WebhookEvent | null {
  return itemEvents.find((e) => subscribed.has(e)) ?? null;
}
