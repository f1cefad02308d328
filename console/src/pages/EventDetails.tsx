// One stored event as the engine sees it (SPEC §8.3): where it sits in the log and its payload,
// with the ids it names one click away.
import type { ReactNode } from "react";
import type { StoredEvent } from "../api/types.ts";
import { brandPath, campaignPath, creatorPath, payoutPath } from "../app/paths.ts";
import { Facts, PageLink } from "../components/Layout.tsx";
import { formatInstant } from "../format/dates.ts";

/** Payload fields that name something with a page of its own. */
const LINKED_FIELDS: Record<string, (id: string) => string> = {
  creatorId: creatorPath,
  campaignId: campaignPath,
  brandId: brandPath,
  payoutId: payoutPath,
};

export function EventDetails({ event }: { event: StoredEvent }) {
  const links: [string, ReactNode][] = Object.entries(event.data)
    .filter(([field, value]) => LINKED_FIELDS[field] !== undefined && typeof value === "string")
    .map(([field, value]) => [field, <PageLink href={LINKED_FIELDS[field]!(value as string)}>{value as string}</PageLink>]);
  return (
    <div className="event-details">
      <Facts
        items={[
          ["Event id", <code>{event.id}</code>],
          ["Type", event.type],
          ["Position", event.position],
          ["Occurred", formatInstant(event.occurredAt)],
          ["Recorded", formatInstant(event.recordedAt)],
          ["Stream", `${event.streamId} (revision ${event.streamRevision})`],
          ["Schema version", event.schemaVersion],
          ...links,
        ]}
      />
      <h3 className="data-heading">Payload</h3>
      <pre className="event-data" tabIndex={0} aria-label={`Payload of event ${event.id}`}>
        {JSON.stringify(event.data, null, 2)}
      </pre>
    </div>
  );
}
