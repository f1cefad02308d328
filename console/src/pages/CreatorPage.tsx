// A creator: earnings per marketplace, month and campaign (SPEC §5, §8.4); payout status and the
// next payable date as of a date (rule 11); the creator's anomalies.
import { useId } from "react";
import { useSearchParams } from "wouter";
import { v1 } from "../api/client.ts";
import type { Anomaly, Earnings, MarketplaceEarnings, Payout } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { campaignPath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { EmptyState } from "../components/ErrorState.tsx";
import { Badge, Facts, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { Table, type Column } from "../components/Table.tsx";
import { today } from "../format/dates.ts";
import { BUCKET_LABELS, PAYMENT_METHOD_LABELS, PAYOUT_STATUS, type BucketName } from "../format/labels.ts";
import { usePosition } from "../position/usePosition.ts";
import { AnomalyTable } from "./AnomalyTable.tsx";
import { CreatorHeader } from "./CreatorTabs.tsx";

type Buckets = Record<BucketName, string>;

function bucketColumns<R extends Buckets>(currency: string): Column<R>[] {
  return BUCKET_LABELS.map(([bucket, label]) => ({
    header: label,
    numeric: true,
    cell: (row: R) => <Money amount={row[bucket]} currency={currency} bare />,
  }));
}

function MarketplaceEarningsView({ m }: { m: MarketplaceEarnings }) {
  const where = `${m.marketplace} (${m.currency})`;
  return (
    <Section title={`Earnings in ${where}`} id={`earnings-${m.marketplace}`}>
      <Facts items={BUCKET_LABELS.map(([bucket, label]) => [label, <Money amount={m.totals[bucket]} currency={m.currency} />] as const)} />
      <Table
        caption={`By earning month, ${where}`}
        rows={m.months}
        rowKey={(r) => r.month}
        columns={[
          { header: "Month", cell: (r) => r.month },
          { header: "Payable on", cell: (r) => r.payableOn },
          ...bucketColumns<(typeof m.months)[number]>(m.currency),
        ]}
      />
      <Table
        caption={`By campaign, ${where}`}
        rows={m.campaigns}
        rowKey={(r) => r.campaignId ?? "(none)"}
        columns={[
          {
            header: "Campaign",
            cell: (r) =>
              r.campaignId === null ? "No campaign (adjustments)" : <PageLink href={campaignPath(r.campaignId)}>{r.campaignId}</PageLink>,
          },
          { header: "Content", cell: (r) => (r.campaignId === null ? "—" : r.contentSubmitted ? "Submitted" : "None that counts") },
          ...bucketColumns<(typeof m.campaigns)[number]>(m.currency),
        ]}
      />
    </Section>
  );
}

function PayoutStatus({ creatorId }: { creatorId: string }) {
  const [params, setParams] = useSearchParams();
  const asOf = params.get("asOf") ?? today();
  const payout = useRead<Payout>(v1`/v1/creators/${creatorId}/payout`, { asOf });
  const dateId = useId();
  return (
    <Section
      title="Payout status"
      actions={
        <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor={dateId}>On</label>
          <input
            id={dateId}
            type="date"
            value={asOf}
            onChange={(e) =>
              setParams((prev) => {
                const next = new URLSearchParams(prev);
                if (e.target.value === "") next.delete("asOf");
                else next.set("asOf", e.target.value);
                return next;
              })
            }
          />
        </form>
      }
    >
      <Loaded query={payout} what="creator">
        {(p) =>
          p.marketplaces.length === 0 ? (
            <EmptyState title="Nothing to pay in any marketplace" />
          ) : (
            <Table
              caption={`Payout status on ${p.asOf} (SPEC rule 11)`}
              rows={p.marketplaces}
              rowKey={(m) => m.marketplace}
              columns={[
                { header: "Marketplace", cell: (m) => `${m.marketplace} (${m.currency})` },
                {
                  header: "Status",
                  cell: (m) => {
                    const status = PAYOUT_STATUS[m.status];
                    return (
                      <>
                        <Badge tone={status.tone}>{status.label}</Badge> <span className="muted">{status.meaning}</span>
                      </>
                    );
                  },
                },
                { header: "Payable", numeric: true, cell: (m) => <Money amount={m.payable} currency={m.currency} /> },
                { header: "Pending", numeric: true, cell: (m) => <Money amount={m.pending} currency={m.currency} /> },
                { header: "Paid", numeric: true, cell: (m) => <Money amount={m.paid} currency={m.currency} /> },
                {
                  header: "Threshold",
                  numeric: true,
                  cell: (m) => (m.threshold === null ? "—" : <Money amount={m.threshold} currency={m.currency} />),
                },
                { header: "Next payable on", cell: (m) => m.nextPayableOn },
                { header: "Tax info", cell: (m) => (m.taxInfoOnFile ? "On file" : "Missing") },
                { header: "Payment method", cell: (m) => (m.paymentMethod === null ? "None" : PAYMENT_METHOD_LABELS[m.paymentMethod]) },
              ]}
            />
          )
        }
      </Loaded>
    </Section>
  );
}

function CreatorAnomalies({ anomalies }: { anomalies: readonly Anomaly[] }) {
  return (
    <Section title="Anomalies">
      {anomalies.length === 0 ? (
        <EmptyState title="No anomalies for this creator" />
      ) : (
        <AnomalyTable caption="This creator's anomalies" anomalies={anomalies} />
      )}
    </Section>
  );
}

export function CreatorPage() {
  const creatorId = useParam("creatorId");
  const at = usePosition();
  const earnings = useRead<Earnings>(v1`/v1/creators/${creatorId}/earnings`);
  return (
    <>
      <CreatorHeader creatorId={creatorId} />
      <Loaded query={earnings} what="creator">
        {(e) => (
          <>
            {e.marketplaces.length === 0 ? (
              <Section title="Earnings">
                <EmptyState title={at === null ? "No earnings yet" : `No earnings as of position ${at}`} />
              </Section>
            ) : (
              e.marketplaces.map((m) => <MarketplaceEarningsView key={m.marketplace} m={m} />)
            )}
            <PayoutStatus creatorId={creatorId} />
            <CreatorAnomalies anomalies={e.anomalies} />
          </>
        )}
      </Loaded>
    </>
  );
}
