// A creator's payouts, newest first (SPEC §8.5), each leading to its statement.
import { v1 } from "../api/client.ts";
import type { Payouts } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { payoutPath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { EmptyState } from "../components/ErrorState.tsx";
import { PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { Table } from "../components/Table.tsx";
import { CreatorHeader } from "./CreatorTabs.tsx";
import { PayoutBadge } from "./payoutStatus.tsx";

export function CreatorPayoutsPage() {
  const creatorId = useParam("creatorId");
  const payouts = useRead<Payouts>(v1`/v1/creators/${creatorId}/payouts`);
  return (
    <>
      <CreatorHeader creatorId={creatorId} />
      <Section title="Payouts and statements">
        <Loaded query={payouts} what="creator">
          {(p) =>
            p.payouts.length === 0 ? (
              <EmptyState title="No payouts yet">A payout run pays the creator once a marketplace's status is Ready.</EmptyState>
            ) : (
              <Table
                caption="Payouts, newest first; open one for its statement"
                rows={p.payouts}
                rowKey={(r) => r.payoutId}
                columns={[
                  { header: "Payout", cell: (r) => <PageLink href={payoutPath(r.payoutId)}>{r.payoutId}</PageLink> },
                  { header: "Date", cell: (r) => r.date },
                  { header: "Marketplace", cell: (r) => `${r.marketplace} (${r.currency})` },
                  { header: "Amount", numeric: true, cell: (r) => <Money amount={r.amount} currency={r.currency} /> },
                  { header: "Status", cell: (r) => <PayoutBadge status={r.status} reason={r.failedReason} /> },
                  { header: "Position", numeric: true, cell: (r) => r.position },
                ]}
              />
            )
          }
        </Loaded>
      </Section>
    </>
  );
}
