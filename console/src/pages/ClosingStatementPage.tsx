// A closed month's closing statement (SPEC §13): the close (who, when, at which position, and the
// log's hash there, which binds the statement to the exact history below it), the month's totals
// and creators and the currency's trial balance as of the close, and the entries booked forward
// since (late entries): what was corrected after the close, and in which open month.
import { v1 } from "../api/client.ts";
import type { ClosingStatement } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { creatorPath, eventPath, pagePath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { Transfer } from "../components/AccountLink.tsx";
import { Facts, PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { Table } from "../components/Table.tsx";
import { formatInstant } from "../format/dates.ts";
import { humanize } from "../format/labels.ts";
import { EntryNote } from "./EntryNote.tsx";
import { TrialBalanceTable } from "./TrialBalancePage.tsx";

export function ClosingStatementPage() {
  const marketplace = useParam("marketplace");
  const month = useParam("month");
  const statement = useRead<ClosingStatement>(v1`/v1/periods/${marketplace}/${month}`);
  return (
    <>
      <PageHeader kicker="Closing statement" title={`${marketplace} ${month}`}>
        <p className="lede">
          <PageLink href={pagePath("periods", {}, { marketplace })}>Every month of {marketplace}</PageLink>
        </p>
      </PageHeader>
      <Loaded query={statement} what="closed period">
        {(s) => (
          <>
            <Section title="The close">
              <Facts
                items={[
                  ["Closed at position", s.closedAtPosition],
                  ["Closed at", formatInstant(s.closedAt)],
                  ["By", s.actor],
                  ["Note", s.note ?? "—"],
                  ["Currency", s.currency],
                ]}
              />
              <p className="small">
                Log hash at position {s.closedAtPosition}: <code className="hash">{s.logHash ?? "none (this store keeps no chain)"}</code>
              </p>
              <p className="muted small">
                The hash chains every event up to the close: recomputing it (<PageLink href={pagePath("log")}>the log</PageLink>) proves the
                statement was computed from this exact history.
              </p>
            </Section>
            <Section title={`Booked in ${s.month}`}>
              <Facts
                items={[
                  ["Standard", <Money amount={s.totals.standard} currency={s.currency} />],
                  ["Bonus confirmed", <Money amount={s.totals.bonusConfirmed} currency={s.currency} />],
                  ["Reversed", <Money amount={s.totals.reversed} currency={s.currency} />],
                  ["Adjusted", <Money amount={s.totals.adjusted} currency={s.currency} />],
                ]}
              />
              <Table
                caption={`Creators' earnings booked in ${s.month} (${s.currency})`}
                empty={`no creator has earnings booked in ${s.month}.`}
                rows={s.creators}
                rowKey={(c) => c.creatorId}
                columns={[
                  { header: "Creator", cell: (c) => <PageLink href={creatorPath(c.creatorId)}>{c.creatorId}</PageLink> },
                  { header: "Earned", numeric: true, cell: (c) => <Money amount={c.earned} currency={s.currency} /> },
                ]}
              />
            </Section>
            <Section title="Late entries">
              <p className="muted">
                Amounts that rule 9 puts in {s.month} but that came after the close, booked in an open month instead (up to position{" "}
                {s.asOfPosition}).
                {s.lateEntriesMore && " Only the first 1,000 are listed; the month's accounts list every entry."}
              </p>
              <Table
                caption={`Entries booked forward from ${s.month} since the close`}
                empty={`nothing was booked forward from ${s.month} since the close.`}
                rows={s.lateEntries}
                rowKey={(e) => e.entryId}
                columns={[
                  { header: "Entry", numeric: true, cell: (e) => e.entryId },
                  { header: "Occurred", cell: (e) => formatInstant(e.occurredAt) },
                  {
                    header: "Kind",
                    cell: (e) => (
                      <>
                        {humanize(e.kind)}
                        <EntryNote entry={e} />
                      </>
                    ),
                  },
                  { header: "Amount", numeric: true, cell: (e) => <Money amount={e.amount} currency={e.currency} /> },
                  {
                    header: "Creator",
                    cell: (e) => (e.creatorId === null ? "—" : <PageLink href={creatorPath(e.creatorId)}>{e.creatorId}</PageLink>),
                  },
                  { header: "Rule 9's month", cell: (e) => e.originalMonth ?? "—" },
                  { header: "Booked in", cell: (e) => e.earningMonth ?? "—" },
                  { header: "From → to", cell: (e) => <Transfer source={e.source} destination={e.destination} /> },
                  { header: "Source event", cell: (e) => <PageLink href={eventPath(e.sourceEventId)}>{e.sourceEventId}</PageLink> },
                ]}
              />
            </Section>
            <Section title="Trial balance at the close">
              <TrialBalanceTable
                caption={`${s.currency} accounts at position ${s.closedAtPosition}`}
                accounts={s.trialBalance.accounts}
                sum={s.trialBalance.sum}
                currency={s.currency}
              />
            </Section>
          </>
        )}
      </Loaded>
    </>
  );
}
