// The start page: where to go (search, finance's pages, audit, replay) and what the ledger last stored.
import type { Events, Health } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { eventPath, pagePath } from "../app/paths.ts";
import { EmptyState } from "../components/ErrorState.tsx";
import { PageLink, Section, useTitle } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Table } from "../components/Table.tsx";
import { formatInstant } from "../format/dates.ts";
import { usePosition } from "../position/usePosition.ts";
import { SearchBox } from "../search/SearchBox.tsx";

/** Events the start page lists. */
const LATEST_EVENTS = 10;

function LatestEvents({ upTo }: { upTo: number }) {
  const events = useRead<Events>("/v1/events", { after: Math.max(0, upTo - LATEST_EVENTS), limit: LATEST_EVENTS });
  return (
    <Loaded query={events} what="events">
      {(answer) =>
        answer.events.length === 0 ? (
          <EmptyState title="No events yet">Send facts to POST /v1/events; they appear here.</EmptyState>
        ) : (
          <Table
            caption={`The last ${answer.events.length} events up to position ${upTo}`}
            rows={[...answer.events].reverse()}
            rowKey={(e) => e.id}
            columns={[
              { header: "Position", numeric: true, cell: (e) => e.position },
              { header: "Event", cell: (e) => <PageLink href={eventPath(e.id)}>{e.id}</PageLink> },
              { header: "Type", cell: (e) => e.type },
              { header: "Occurred", cell: (e) => formatInstant(e.occurredAt) },
            ]}
          />
        )
      }
    </Loaded>
  );
}

export function HomePage() {
  useTitle("Start");
  const at = usePosition();
  const health = useRead<Health>("/v1/health", {}, { asOf: false });
  return (
    <>
      <header className="page-header">
        <p className="kicker">Commission ledger</p>
        <h1>What are you looking for?</h1>
        <p className="lede">
          Every number here is one the ledger's API answers. Look up a creator, a campaign, a brand, a payout or an event by the first
          characters of its id, or browse every <PageLink href={pagePath("creators")}>creator</PageLink>,{" "}
          <PageLink href={pagePath("campaigns")}>campaign</PageLink> and <PageLink href={pagePath("brands")}>brand</PageLink>. For the
          month-end: <PageLink href={pagePath("holds")}>holds</PageLink>, <PageLink href={pagePath("periods")}>closed periods</PageLink> and
          their statements, the <PageLink href={pagePath("trialBalance")}>trial balance</PageLink>,{" "}
          <PageLink href={pagePath("taxSummaries")}>tax summaries</PageLink> and the{" "}
          <PageLink href={pagePath("log")}>log's hash chain</PageLink>; for engineers, the{" "}
          <PageLink href={pagePath("audit")}>audit</PageLink>, <PageLink href={pagePath("replay")}>replay</PageLink> and{" "}
          <PageLink href={pagePath("trueUps")}>true-up</PageLink> pages.
        </p>
        <div className="home-search">
          <SearchBox label="Search from the start page" />
        </div>
      </header>
      <Section title="Latest events">
        <Loaded query={health} what="health">
          {(h) => <LatestEvents upTo={at ?? h.store.head} />}
        </Loaded>
      </Section>
    </>
  );
}
