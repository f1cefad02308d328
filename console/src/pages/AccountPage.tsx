// An account of the journal (SPEC §8.1): its balance and its transfers in position order, each with
// the balance it left (the running balance), 50 a page; the account on the other side of each
// transfer is one click away, and so is the account's currency's trial balance.
import { useSearchParams } from "wouter";
import { v1 } from "../api/client.ts";
import type { Account, AccountEntries } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { brandPath, campaignPath, creatorPath, eventPath, pagePath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { AccountLink } from "../components/AccountLink.tsx";
import { EmptyState } from "../components/ErrorState.tsx";
import { Facts, PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { PAGE_SIZE, Pager } from "../components/Pager.tsx";
import { Table } from "../components/Table.tsx";
import { accountMeaning } from "../format/accounts.ts";
import { formatInstant } from "../format/dates.ts";
import { humanize } from "../format/labels.ts";
import { EntryNote } from "./EntryNote.tsx";

function Owners({ account }: { account: string }) {
  const meaning = accountMeaning(account);
  const links = [
    meaning.creatorId === undefined ? null : (
      <PageLink key="creator" href={creatorPath(meaning.creatorId)}>
        creator {meaning.creatorId}
      </PageLink>
    ),
    meaning.campaignId === undefined ? null : (
      <PageLink key="campaign" href={campaignPath(meaning.campaignId)}>
        campaign {meaning.campaignId}
      </PageLink>
    ),
    meaning.brandId === undefined ? null : (
      <PageLink key="brand" href={brandPath(meaning.brandId)}>
        brand {meaning.brandId}
      </PageLink>
    ),
  ].filter((link) => link !== null);
  return (
    <p className="lede">
      {meaning.holds}
      {links.length === 0 ? null : (
        <>
          {" "}
          See{" "}
          {links.map((link, i) => (
            <span key={i}>
              {i > 0 ? ", " : ""}
              {link}
            </span>
          ))}
          .
        </>
      )}
    </p>
  );
}

export function AccountPage() {
  const account = useParam("account");
  const [params] = useSearchParams();
  const after = params.get("after");
  const balance = useRead<Account>(v1`/v1/accounts/${account}`);
  const entries = useRead<AccountEntries>(v1`/v1/accounts/${account}/entries`, { after, limit: PAGE_SIZE });
  return (
    <>
      <PageHeader kicker="Account" title={account}>
        <Owners account={account} />
      </PageHeader>
      <Section title="Balance">
        <Loaded query={balance} what="account">
          {(a) => (
            <>
              <Facts
                items={[
                  ["Balance", <Money amount={a.balance} currency={a.currency} />],
                  ["Currency", a.currency],
                  ["As of position", a.asOfPosition],
                ]}
              />
              <p className="muted small">
                What the account received minus what it sent. Every {a.currency} account together sums to 0:{" "}
                <PageLink href={pagePath("trialBalance", {}, { currency: a.currency })}>the {a.currency} trial balance</PageLink>.
              </p>
            </>
          )}
        </Loaded>
      </Section>
      <Section title="Entries">
        <Loaded query={entries} what="account">
          {(e) =>
            e.entries.length === 0 ? (
              <EmptyState title="No entries on this page">
                {after === null ? "This account has no transfers yet." : "Go back to the first page."}
              </EmptyState>
            ) : (
              <>
                <Table
                  caption={`Entries ${e.entries[0]!.entryId} to ${e.entries[e.entries.length - 1]!.entryId}, in position order, each with the balance it left`}
                  rows={e.entries}
                  rowKey={(r) => r.entryId}
                  columns={[
                    { header: "Entry", numeric: true, cell: (r) => r.entryId },
                    { header: "Occurred", cell: (r) => formatInstant(r.occurredAt) },
                    {
                      header: "Kind",
                      cell: (r) => (
                        <>
                          {humanize(r.kind)}
                          <EntryNote entry={r} />
                        </>
                      ),
                    },
                    { header: "Change", numeric: true, cell: (r) => <Money amount={r.change} currency={r.currency} /> },
                    { header: "Balance", numeric: true, cell: (r) => <Money amount={r.balance} currency={r.currency} /> },
                    {
                      header: "Other account",
                      cell: (r) => {
                        const other = r.source === account ? r.destination : r.source;
                        return other === null ? <span className="muted">—</span> : <AccountLink account={other} />;
                      },
                    },
                    { header: "Earning month", cell: (r) => r.earningMonth ?? "—" },
                    { header: "Source event", cell: (r) => <PageLink href={eventPath(r.sourceEventId)}>{r.sourceEventId}</PageLink> },
                  ]}
                />
                <Pager next={e.nextAfter} label="Entries" />
              </>
            )
          }
        </Loaded>
      </Section>
    </>
  );
}
