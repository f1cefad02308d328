// The last event of one stream: what a decision made from a read model must still hold when its
// event is appended (payout runs, the campaign-end scheduler). Such a writer checks that the read
// model has applied the stream's last event, decides, and appends with that stream revision as the
// expected one, so a decision made on stale state is refused by the store and made again.
import { READ_PAGE_MAX, type EventStore } from "../../infra/eventStore/port.ts";
import type { StoredEvent } from "../../domain/events/envelope.ts";

/** Every event of a stream (streams decided on are short: a creator's payouts, a campaign's life). */
export async function readWholeStream(store: EventStore, streamId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (;;) {
    const page = await store.readStream(streamId, events.length - 1, READ_PAGE_MAX);
    events.push(...page);
    if (page.length < READ_PAGE_MAX) return events;
  }
}

/**
 * The revision to expect when appending to `streamId` after deciding from a read model at
 * `projectedPosition`; null when the stream has an event the read model has not applied yet
 * (the decision would be stale: wait and decide again).
 */
export function expectedRevision(stream: readonly StoredEvent[], projectedPosition: number): number | null {
  const last = stream[stream.length - 1];
  if (last === undefined) return -1;
  return last.position > projectedPosition ? null : last.streamRevision;
}
