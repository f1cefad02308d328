// Holds (SPEC §12): every creator whose payouts finance holds, in which marketplace (or all), why,
// by whom and since when, and what is being held back: rule 11's payable per marketplace the hold
// covers, on a date (by default today in each marketplace's zone).
import { useId } from "react";
import { useSearchParams } from "wouter";
import type { Hold, Holds } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { creatorPath } from "../app/paths.ts";
import { UrlDateForm } from "../components/DateInput.tsx";
import { EmptyState } from "../components/ErrorState.tsx";
import { PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { Table } from "../components/Table.tsx";
import { UrlChoice } from "../components/UrlChoice.tsx";
import { formatInstant } from "../format/dates.ts";
import { humanize } from "../format/labels.ts";
import { MARKETPLACES } from "../format/marketplaces.ts";
import { isMarketplaceCode } from "../../../domain/marketplaces.ts";

/** What a hold holds back, per marketplace: a negative payable is a receivable (the creator owes). */
export function HeldBack({ payable }: { payable: Hold["payable"] }) {
  if (payable.length === 0) return <span className="muted">nothing earned there yet</span>;
  return (
    <ul className="plain-list">
      {payable.map((p) => (
        <li key={p.marketplace}>
          {p.marketplace}: <Money amount={p.amount} currency={p.currency} />
          {p.amount.startsWith("-") ? <span className="muted"> (owed by the creator)</span> : null}{" "}
          <span className="muted small">on {p.asOf}</span>
        </li>
      ))}
    </ul>
  );
}

export function HoldsPage() {
  const [params] = useSearchParams();
  const asked = params.get("marketplace");
  const marketplace = asked !== null && isMarketplaceCode(asked) ? asked : null;
  const asOf = params.get("asOf");
  const holds = useRead<Holds>("/v1/holds", { marketplace, asOf });
  const dateId = useId();
  return (
    <>
      <PageHeader kicker="Payouts" title="Holds">
        <p className="lede">
          A held creator keeps earning, but payout status is <em>On hold</em> and payout runs pay nothing where the hold applies, until
          finance releases it. Held back is what would be payable there (rule 11) on the date shown.
        </p>
      </PageHeader>
      <Section
        title="Holds standing"
        actions={
          <span className="inline-form">
            <UrlChoice
              label="Marketplace"
              param="marketplace"
              value={marketplace ?? ""}
              options={[["", "All"], ...MARKETPLACES.map((m) => [m, m] as const)]}
            />
            <UrlDateForm id={dateId} label="Held back on" param="asOf" value={asOf ?? ""} clearable />
          </span>
        }
      >
        {asOf === null ? (
          <p className="muted small">Held back on today's date in each marketplace's zone; enter a date to choose.</p>
        ) : null}
        <Loaded query={holds} what="holds">
          {(h) =>
            h.holds.length === 0 ? (
              <EmptyState title={marketplace === null ? "No creator is held" : `No creator is held in ${marketplace}`}>
                Payout runs pay every creator whose status is Ready.
              </EmptyState>
            ) : (
              <Table
                caption={`${h.holds.length} hold${h.holds.length === 1 ? "" : "s"} standing as of position ${h.asOfPosition}`}
                rows={h.holds}
                rowKey={(r) => `${r.creatorId}|${r.marketplace ?? "*"}`}
                columns={[
                  { header: "Creator", cell: (r) => <PageLink href={creatorPath(r.creatorId)}>{r.creatorId}</PageLink> },
                  { header: "Held in", cell: (r) => r.marketplace ?? "Every marketplace" },
                  { header: "Reason", cell: (r) => humanize(r.reasonCode) },
                  { header: "Note", cell: (r) => r.note },
                  { header: "By", cell: (r) => r.actor },
                  { header: "Since", cell: (r) => formatInstant(r.since) },
                  { header: "Held back", cell: (r) => <HeldBack payable={r.payable} /> },
                ]}
              />
            )
          }
        </Loaded>
      </Section>
    </>
  );
}
