// A creator's ledger (SPEC §5, §8.1): every amount, paged by cursor, with the accounts it moved
// between (each one click from its page), its rate and rule version, and its source event one
// click away (shown in place).
import { Fragment, useState } from "react";
import { useSearchParams } from "wouter";
import { v1 } from "../api/client.ts";
import type { Ledger, LedgerEntry, StoredEvent } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { campaignPath, eventPath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { Transfer } from "../components/AccountLink.tsx";
import { EmptyState } from "../components/ErrorState.tsx";
import { PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { PAGE_SIZE, Pager } from "../components/Pager.tsx";
import { formatInstant } from "../format/dates.ts";
import { humanize } from "../format/labels.ts";
import { formatRate } from "../format/money.ts";
import { CreatorHeader } from "./CreatorTabs.tsx";
import { EntryNote } from "./EntryNote.tsx";
import { EventDetails } from "./EventDetails.tsx";

const COLUMNS = 10;

function SourceEvent({ eventId }: { eventId: string }) {
  const event = useRead<StoredEvent>(v1`/v1/events/${eventId}`);
  return (
    <Loaded query={event} what="event">
      {(e) => (
        <>
          <EventDetails event={e} />
          <p>
            <PageLink href={eventPath(e.id)}>Open event {e.id} on its own page</PageLink>
          </p>
        </>
      )}
    </Loaded>
  );
}

function EntryRow({ entry, open, toggle }: { entry: LedgerEntry; open: boolean; toggle: () => void }) {
  const detailsId = `entry-${entry.entryId.replace(/[^A-Za-z0-9_-]/g, "-")}-event`;
  return (
    <Fragment>
      <tr className={open ? "row-open" : undefined}>
        <td className="num">{entry.entryId}</td>
        <td>{formatInstant(entry.occurredAt)}</td>
        <td>
          {humanize(entry.kind)}
          <EntryNote entry={entry} />
        </td>
        <td className="num">
          <Money amount={entry.amount} currency={entry.currency} />
        </td>
        <td>{entry.earningMonth ?? "—"}</td>
        <td>{entry.campaignId === null ? "—" : <PageLink href={campaignPath(entry.campaignId)}>{entry.campaignId}</PageLink>}</td>
        <td>{entry.shipmentId === null ? "—" : `${entry.shipmentId}${entry.asin === null ? "" : ` · ${entry.asin}`}`}</td>
        <td className="num">{entry.rate === null ? "—" : `${formatRate(entry.rate)} · v${entry.ruleVersion}`}</td>
        <td className="accounts">
          <Transfer source={entry.source} destination={entry.destination} />
        </td>
        <td>
          <button type="button" className="link-button" aria-expanded={open} aria-controls={detailsId} onClick={toggle}>
            {entry.sourceEventId}
          </button>
        </td>
      </tr>
      {open ? (
        <tr className="row-details" id={detailsId}>
          <td colSpan={COLUMNS}>
            <SourceEvent eventId={entry.sourceEventId} />
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

export function CreatorLedgerPage() {
  const creatorId = useParam("creatorId");
  const [params] = useSearchParams();
  const after = params.get("after");
  const ledger = useRead<Ledger>(v1`/v1/creators/${creatorId}/ledger`, { after, limit: PAGE_SIZE });
  const [openEntry, setOpenEntry] = useState<string | null>(null);
  return (
    <>
      <CreatorHeader creatorId={creatorId} />
      <Section title="Ledger entries">
        <Loaded query={ledger} what="creator">
          {(l) =>
            l.entries.length === 0 ? (
              <EmptyState title="No entries on this page">
                {after === null ? "This creator has no ledger entries yet." : "Go back to the first page."}
              </EmptyState>
            ) : (
              <>
                <div className="table-scroll">
                  <table>
                    <caption>
                      Entries {l.entries[0]!.entryId} to {l.entries[l.entries.length - 1]!.entryId}, in position order; select a source
                      event to see it here
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col" className="num">
                          Entry
                        </th>
                        <th scope="col">Occurred</th>
                        <th scope="col">Kind</th>
                        <th scope="col" className="num">
                          Amount
                        </th>
                        <th scope="col">Earning month</th>
                        <th scope="col">Campaign</th>
                        <th scope="col">Shipment · ASIN</th>
                        <th scope="col" className="num">
                          Rate · rules
                        </th>
                        <th scope="col">From → to</th>
                        <th scope="col">Source event</th>
                      </tr>
                    </thead>
                    <tbody>
                      {l.entries.map((entry) => (
                        <EntryRow
                          key={entry.entryId}
                          entry={entry}
                          open={openEntry === entry.entryId}
                          toggle={() => setOpenEntry(openEntry === entry.entryId ? null : entry.entryId)}
                        />
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pager next={l.nextAfter} label="Ledger" />
              </>
            )
          }
        </Loaded>
      </Section>
    </>
  );
}
