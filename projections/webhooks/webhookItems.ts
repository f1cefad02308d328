// What one event's outcome gives a webhook endpoint (SPEC §11): each journal entry and each anomaly
// as the feed shows it (projections/journal/feedQueries.ts), then the campaign notifications the
// feed does not carry (budget.exhausted, campaign.ended). Every item has the entryId
// `{position}:{seq}`: entries keep their seq, anomalies follow the entries, notifications follow
// the anomalies; the engine is deterministic, so a rebuild gives every item the same entryId.
import type { Fact, Outcome } from "../../domain/engine/outcome.ts";
import { entryEvents, type WebhookEvent } from "../../domain/webhooks/webhookEvents.ts";
import { anomalyRow } from "../anomalies.ts";
import { anomalyItem, entryItem, postingRow } from "../journal/feedQueries.ts";

export interface WebhookItem {
  position: number;
  seq: number;
  entryId: string;
  /** The webhook events the item is, the most specific first (domain/webhooks/webhookEvents.ts). */
  events: WebhookEvent[];
  /** The item itself: the body's `data`. */
  data: unknown;
}

type Notification = Extract<Fact, { kind: "budget_exhausted" | "campaign_ended" }>;

const NOTIFICATION_EVENT: Record<Notification["kind"], WebhookEvent> = {
  budget_exhausted: "budget.exhausted",
  campaign_ended: "campaign.ended",
};

function isNotification(fact: Fact): fact is Notification {
  return fact.kind === "budget_exhausted" || fact.kind === "campaign_ended";
}

/** Whether webhookItems(o) has anything (without making the items). */
export function hasWebhookItems(o: Outcome): boolean {
  return o.postings.length > 0 || o.anomalies.length > 0 || o.facts.some(isNotification);
}

export function webhookItems(o: Outcome): WebhookItem[] {
  const items: WebhookItem[] = [];
  for (const post of o.postings) {
    const data = entryItem(postingRow(post, o.occurredAt));
    items.push({ position: data.position, seq: data.seq, entryId: data.entryId, events: entryEvents(post.kind), data });
  }
  o.anomalies.forEach((a, idx) => {
    const data = anomalyItem(anomalyRow(a, idx), o.postings.length + idx);
    items.push({ position: data.position, seq: data.seq, entryId: data.entryId, events: ["anomaly.recorded"], data });
  });
  let seq = o.postings.length + o.anomalies.length;
  for (const fact of o.facts) {
    if (!isNotification(fact)) continue;
    const type = NOTIFICATION_EVENT[fact.kind];
    const entryId = `${o.position}:${seq}`;
    // The campaign's figures at this position: GET /v1/campaigns/{campaignId}/budget?asOfPosition={position}.
    const data = {
      type,
      entryId,
      position: o.position,
      seq,
      eventId: o.eventId,
      eventType: o.eventType,
      occurredAt: o.occurredAt,
      campaignId: fact.campaignId,
      ...(fact.kind === "budget_exhausted" ? { exhaustedAt: fact.exhaustedAt } : {}),
    };
    items.push({ position: o.position, seq, entryId, events: [type], data });
    seq += 1;
  }
  return items;
}
