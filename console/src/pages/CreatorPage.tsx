// A creator: earnings per marketplace, month and campaign (SPEC §5, §8.4); a banner while finance
// holds their payouts (§12); payout status and the next payable date as of a date (rule 11), and
// where the earnings stand in their lifecycle (pending → locked → payable → paid, §12); the
// creator's anomalies.
import { useId } from "react";
import { useSearchParams } from "wouter";
import { v1 } from "../api/client.ts";
import type { Anomaly, Earnings, MarketplaceEarnings, Payout, PayoutMarketplace } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { campaignPath, pagePath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { AccountLink } from "../components/AccountLink.tsx";
import { UrlDateForm } from "../components/DateInput.tsx";
import { EmptyState } from "../components/ErrorState.tsx";
import { Badge, Facts, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { Table, type Column } from "../components/Table.tsx";
import { formatInstant, today } from "../format/dates.ts";
import { BUCKET_LABELS, humanize, PAYMENT_METHOD_LABELS, PAYOUT_STATUS, type BucketName } from "../format/labels.ts";
import { usePosition } from "../position/usePosition.ts";
import { AnomalyTable } from "./AnomalyTable.tsx";
import { CreatorHeader } from "./CreatorTabs.tsx";
import { PayoutDateNote } from "./PayoutDateNote.tsx";

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
        empty="no earning month has an amount yet."
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
        empty="no campaign has an amount yet."
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

/** The date payout status is read on: `?asOf=` or today. */
function usePayoutDate(): string {
  const [params] = useSearchParams();
  return params.get("asOf") ?? today();
}

/** The payout read of the page (one request: the banner and the status share it). */
function usePayout(creatorId: string) {
  return useRead<Payout>(v1`/v1/creators/${creatorId}/payout`, { asOf: usePayoutDate() });
}

/** SPEC §12: while finance holds the creator's payouts anywhere, the page says so first. */
function HoldBanner({ creatorId }: { creatorId: string }) {
  const payout = usePayout(creatorId);
  const held = (payout.data?.marketplaces ?? []).filter(
    (m): m is PayoutMarketplace & { hold: NonNullable<PayoutMarketplace["hold"]> } => m.hold !== null,
  );
  if (held.length === 0) return null;
  // One line per hold: an all-marketplaces hold covers several marketplaces with the same hold.
  const holds = new Map<string, { hold: (typeof held)[number]["hold"]; marketplaces: string[] }>();
  for (const m of held) {
    const key = `${m.hold.since}|${m.hold.reasonCode}|${m.hold.actor}|${m.hold.note}`;
    const entry = holds.get(key) ?? { hold: m.hold, marketplaces: [] };
    entry.marketplaces.push(m.marketplace);
    holds.set(key, entry);
  }
  return (
    <div className="hold-banner" role="status" aria-label="Payouts held">
      <p className="hold-banner-title">Payouts held</p>
      {[...holds.values()].map(({ hold, marketplaces }) => (
        <p key={`${hold.since}|${marketplaces.join()}`}>
          In {marketplaces.join(", ")} since {formatInstant(hold.since)}, for {humanize(hold.reasonCode).toLowerCase()}, by {hold.actor}: “
          {hold.note}”. Earnings keep accruing; payout runs pay nothing there until the hold is released.
        </p>
      ))}
      <p>
        <PageLink href={pagePath("holds")}>Every hold standing</PageLink>
      </p>
    </div>
  );
}

/** SPEC §8.1: the creator's account of a marketplace; an id's ':' is written %3A inside a name. */
function earnedAccount(creatorId: string, marketplace: string): string {
  return `creator:${creatorId.replace(/:/g, "%3A")}:${marketplace}:earned`;
}

function Lifecycle({ payout, earnings }: { payout: Payout; earnings: Earnings }) {
  const totalOf = (marketplace: string) => earnings.marketplaces.find((m) => m.marketplace === marketplace)?.totals.total ?? null;
  return (
    <>
      <Table
        caption={`Lifecycle on ${payout.asOf}: pending → locked → payable → paid (SPEC §12)`}
        rows={payout.marketplaces}
        rowKey={(m) => m.marketplace}
        columns={[
          { header: "Marketplace", cell: (m) => `${m.marketplace} (${m.currency})` },
          { header: "Pending", numeric: true, cell: (m) => <Money amount={m.lifecycle.pending} currency={m.currency} /> },
          { header: "Locked", numeric: true, cell: (m) => <Money amount={m.lifecycle.locked} currency={m.currency} /> },
          { header: "Payable", numeric: true, cell: (m) => <Money amount={m.lifecycle.payable} currency={m.currency} /> },
          { header: "Paid", numeric: true, cell: (m) => <Money amount={m.lifecycle.paid} currency={m.currency} /> },
          {
            header: "Earnings total",
            numeric: true,
            cell: (m) => {
              const total = totalOf(m.marketplace);
              return total === null ? "—" : <Money amount={total} currency={m.currency} />;
            },
          },
          {
            header: "Receivable",
            numeric: true,
            cell: (m) => <Money amount={m.receivable} currency={m.currency} />,
          },
          {
            header: "Account",
            // A marketplace opened by an acceptance or a payment method alone has no earned account yet: no link to a 404.
            cell: (m) => (totalOf(m.marketplace) === null ? "—" : <AccountLink account={earnedAccount(payout.creatorId, m.marketplace)} />),
          },
        ]}
      />
      <p className="muted small">
        Pending: bonus waiting for the campaign's end (rule 5). Locked: earned in months whose payable date is after {payout.asOf}. Payable:
        what a payout run would pay (negative: a receivable, which later earnings net against). Paid: every payout so far, net of failed
        ones. The four add up to the earnings total.
      </p>
    </>
  );
}

function PayoutStatus({ creatorId, earnings }: { creatorId: string; earnings: Earnings }) {
  const asOf = usePayoutDate();
  const payout = usePayout(creatorId);
  const dateId = useId();
  return (
    <Section title="Payout status" actions={<UrlDateForm id={dateId} label="Payout date" param="asOf" value={asOf} />}>
      <Loaded query={payout} what="creator">
        {(p) =>
          p.marketplaces.length === 0 ? (
            <EmptyState title="Nothing to pay in any marketplace" />
          ) : (
            <>
              <PayoutDateNote date={p.asOf} asOfPosition={p.asOfPosition} earnings={earnings} />
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
                  {
                    header: "Payment method",
                    cell: (m) => (m.paymentMethod === null ? "None" : PAYMENT_METHOD_LABELS[m.paymentMethod]),
                  },
                ]}
              />
              <Lifecycle payout={p} earnings={earnings} />
            </>
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
            {/* After the earnings: an unknown creator (404) or a missing token (401) is asked once. */}
            <HoldBanner creatorId={creatorId} />
            {e.marketplaces.length === 0 ? (
              <Section title="Earnings">
                <EmptyState title={at === null ? "No earnings yet" : `No earnings as of position ${at}`} />
              </Section>
            ) : (
              e.marketplaces.map((m) => <MarketplaceEarningsView key={m.marketplace} m={m} />)
            )}
            <PayoutStatus creatorId={creatorId} earnings={e} />
            <CreatorAnomalies anomalies={e.anomalies} />
          </>
        )}
      </Loaded>
    </>
  );
}
