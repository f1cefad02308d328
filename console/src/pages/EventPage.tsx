// An event by id (SPEC §8.3): the audit trail's end, where every ledger entry's sourceEventId leads.
import { v1 } from "../api/client.ts";
import type { StoredEvent } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { useParam } from "../app/useParam.ts";
import { PageHeader, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { EventDetails } from "./EventDetails.tsx";

export function EventPage() {
  const eventId = useParam("eventId");
  const event = useRead<StoredEvent>(v1`/v1/events/${eventId}`);
  return (
    <>
      <PageHeader kicker="Event" title={eventId} />
      <Section title="The stored event">
        <Loaded query={event} what="event">
          {(e) => <EventDetails event={e} />}
        </Loaded>
      </Section>
    </>
  );
}
