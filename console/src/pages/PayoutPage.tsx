// A payout statement (SPEC §8.5): rule 11 at the payout's own position and date, so a finance
// reviewer sees why that amount was paid: the months payable by then, less what was paid before.
import { v1 } from "../api/client.ts";
import type { PayoutStatement } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { creatorPath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { Facts, PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { Table } from "../components/Table.tsx";
import { PayoutBadge } from "./payoutStatus.tsx";

export function PayoutPage() {
  const payoutId = useParam("payoutId");
  const payout = useRead<PayoutStatement>(v1`/v1/payouts/${payoutId}`);
  return (
    <>
      <PageHeader kicker="Payout" title={payoutId} />
      <Loaded query={payout} what="payout">
        {(p) => (
          <>
            <Section title="The payout">
              <Facts
                items={[
                  ["Creator", <PageLink href={creatorPath(p.creatorId)}>{p.creatorId}</PageLink>],
                  ["Amount", <Money amount={p.amount} currency={p.currency} />],
                  ["Date", `${p.date} (${p.marketplace})`],
                  ["Status", <PayoutBadge status={p.status} reason={p.failedReason} />],
                  ["Position", p.position],
                ]}
              />
            </Section>
            <Section title="Statement">
              <Table
                caption={`Earning months payable by ${p.date} (${p.currency})`}
                rows={p.statement.months}
                rowKey={(m) => m.month}
                columns={[
                  { header: "Month", cell: (m) => m.month },
                  { header: "Payable on", cell: (m) => m.payableOn },
                  { header: "Earned", numeric: true, cell: (m) => <Money amount={m.earned} currency={p.currency} bare /> },
                ]}
              />
              <Facts
                items={[
                  ["Paid before", <Money amount={p.statement.previouslyPaid} currency={p.currency} />],
                  ["Payable, so paid", <Money amount={p.statement.payable} currency={p.currency} />],
                ]}
              />
            </Section>
          </>
        )}
      </Loaded>
    </>
  );
}
