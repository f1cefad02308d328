// The audit view's record of how history is read (SPEC §14): every promotion of a rebuilt
// projection version (`ProjectionPromoted`, appended by `ledger replay --promote`) and every rule
// version scheduled (`RuleVersionScheduled`), from the event log (GET /v1/events?type=…), as of the
// page's position. A schedule the engine refused (an unknown version, an effectiveFrom before the
// event itself) is an anomaly at its position and schedules nothing: the table says so.
import { useInfiniteQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { ProjectionPromotedData, RuleVersionScheduledData } from "../../../domain/events/schemas.ts";
import { ApiError, getJson } from "../api/client.ts";
import type { Anomalies, Events } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { eventPath, pagePath } from "../app/paths.ts";
import { useToken } from "../auth/token.ts";
import { ErrorState } from "../components/ErrorState.tsx";
import { Badge, PageLink, Section } from "../components/Layout.tsx";
import { Table } from "../components/Table.tsx";
import { formatInstant } from "../format/dates.ts";
import { humanize } from "../format/labels.ts";
import { formatCount } from "../format/money.ts";
import { usePosition } from "../position/usePosition.ts";

/** An event of GET /v1/events (as listed: without the single read's asOfPosition). */
type LoggedEvent = Events["events"][number];

/** Events a page of GET /v1/events holds at most (services/http/readRoutes.ts EVENTS_PAGE_MAX). */
const EVENTS_PAGE = 1_000;
/**
 * Pages of GET /v1/events read per step: each scans at most 10,000 events of the log, so a step
 * looks through up to 50,000; on a longer log the section offers to look further.
 */
const PAGES_PER_STEP = 5;

interface Step {
  events: LoggedEvent[];
  /** Where the next step starts (`next` of the last page), null once the log is read to asOfPosition. */
  next: number | null;
  asOfPosition: number;
}

/** Every stored event of `type`, as of the page's position, read step by step. */
function useEventsOfType(type: LoggedEvent["type"]) {
  const at = usePosition();
  const { token } = useToken();
  return useInfiniteQuery<Step, ApiError, { pages: Step[] }, unknown[], { after: number; upTo: number | null }>({
    queryKey: ["/v1/events", type, at, token],
    initialPageParam: { after: 0, upTo: at },
    queryFn: async ({ pageParam, signal }) => {
      const events: LoggedEvent[] = [];
      let { after, upTo } = pageParam;
      for (let i = 0; i < PAGES_PER_STEP; i++) {
        // Later pages at the first one's asOfPosition, so that every step reads the same log.
        const page = await getJson<Events>("/v1/events", { type, after, limit: EVENTS_PAGE, asOfPosition: upTo }, signal);
        events.push(...page.events);
        upTo = page.asOfPosition;
        if (page.next === null) return { events, next: null, asOfPosition: upTo };
        after = page.next;
      }
      return { events, next: after, asOfPosition: upTo! };
    },
    getNextPageParam: (last) => (last.next === null ? undefined : { after: last.next, upTo: last.asOfPosition }),
  });
}

/** The events found so far, and how far the log was read, or the read's loading and failed states. */
function EventsOfType({
  type,
  what,
  children,
}: {
  type: LoggedEvent["type"];
  what: string;
  children: (events: LoggedEvent[]) => ReactNode;
}) {
  const query = useEventsOfType(type);
  if (query.isPending)
    return (
      <p className="loading" role="status">
        Loading {what}…
      </p>
    );
  if (query.isError) return <ErrorState error={query.error} what={what} retry={() => void query.refetch()} />;
  const steps = query.data.pages;
  const last = steps[steps.length - 1]!;
  return (
    <>
      {children(steps.flatMap((s) => s.events))}
      {last.next === null ? (
        <p className="muted small">Read from the log up to position {formatCount(last.asOfPosition)}.</p>
      ) : (
        <p className="inline-form small">
          <span>
            Read from the log up to position {formatCount(last.next)} of {formatCount(last.asOfPosition)}.
          </span>
          <button type="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            Look further
          </button>
        </p>
      )}
    </>
  );
}

function Promotions() {
  return (
    <Section title="Promotions">
      <p className="muted">
        Each promotion of a rebuilt projection version changes how history is read: <code>ledger replay --promote</code> records who did it,
        and when, in the log.
      </p>
      <EventsOfType type="ProjectionPromoted" what="promotions">
        {(events) => (
          <Table
            caption="Projection versions promoted, oldest first"
            rows={events}
            rowKey={(e) => e.id}
            empty="no projection version was promoted."
            columns={[
              { header: "When", cell: (e) => formatInstant(e.occurredAt) },
              { header: "Projection", cell: (e) => (e.data as ProjectionPromotedData).projection },
              { header: "Version", numeric: true, cell: (e) => (e.data as ProjectionPromotedData).version },
              { header: "Rule version", numeric: true, cell: (e) => (e.data as ProjectionPromotedData).ruleVersion },
              { header: "Actor", cell: (e) => (e.data as ProjectionPromotedData).actor },
              { header: "Position", numeric: true, cell: (e) => e.position },
              { header: "Event", cell: (e) => <PageLink href={eventPath(e.id)}>{e.id}</PageLink> },
            ]}
          />
        )}
      </EventsOfType>
    </Section>
  );
}

/** Whether the engine applied a schedule: an anomaly at its position (the first one at or after it) says it did not. */
function ScheduleOutcome({ event }: { event: LoggedEvent }) {
  const anomalies = useRead<Anomalies>("/v1/anomalies", { after: event.position - 1, limit: 1 });
  if (anomalies.isPending) return <span className="muted">…</span>;
  if (anomalies.isError) return <span className="muted">unknown ({anomalies.error.message})</span>;
  const first = anomalies.data.anomalies[0];
  if (first !== undefined && first.position === event.position && first.eventId === event.id)
    return <Badge tone="bad">Not applied: {humanize(first.code)}</Badge>;
  return <Badge tone="good">Applies from its date</Badge>;
}

function ScheduledRuleVersions() {
  return (
    <Section title="Scheduled rule versions">
      <p className="muted">
        From its effective date on, shipments earn standard commission by the version scheduled; earlier ones keep theirs. An unknown
        version, or an effective date before the event itself, is an anomaly and schedules nothing: the past is corrected by{" "}
        <PageLink href={pagePath("trueUps")}>true-ups</PageLink>.
      </p>
      <EventsOfType type="RuleVersionScheduled" what="scheduled rule versions">
        {(events) => (
          <Table
            caption="Rule versions scheduled, oldest first"
            rows={events}
            rowKey={(e) => e.id}
            empty="no rule version was scheduled: every shipment earns by the rule version the read models were built with."
            columns={[
              { header: "Effective from", cell: (e) => formatInstant((e.data as RuleVersionScheduledData).effectiveFrom) },
              { header: "Rule version", numeric: true, cell: (e) => (e.data as RuleVersionScheduledData).ruleVersion },
              { header: "Actor", cell: (e) => (e.data as RuleVersionScheduledData).actor },
              { header: "Note", cell: (e) => (e.data as RuleVersionScheduledData).note ?? "—" },
              { header: "Scheduled at", cell: (e) => formatInstant(e.occurredAt) },
              { header: "Outcome", cell: (e) => <ScheduleOutcome event={e} /> },
              { header: "Position", numeric: true, cell: (e) => e.position },
              { header: "Event", cell: (e) => <PageLink href={eventPath(e.id)}>{e.id}</PageLink> },
            ]}
          />
        )}
      </EventsOfType>
    </Section>
  );
}

export function RuleChanges() {
  return (
    <>
      <Promotions />
      <ScheduledRuleVersions />
    </>
  );
}
