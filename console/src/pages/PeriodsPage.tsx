// Periods (SPEC §13): every earning month of a marketplace with entries, open or closed, and for a
// closed one who closed it, when, at which position, and its closing statement.
import { useSearchParams } from "wouter";
import type { Periods } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { pagePath } from "../app/paths.ts";
import { EmptyState } from "../components/ErrorState.tsx";
import { Badge, Facts, PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Table } from "../components/Table.tsx";
import { UrlChoice } from "../components/UrlChoice.tsx";
import { formatInstant } from "../format/dates.ts";
import { currencyOf, MARKETPLACES, marketplaceOr } from "../format/marketplaces.ts";

export function PeriodsPage() {
  const [params] = useSearchParams();
  const marketplace = marketplaceOr(params.get("marketplace"), "US");
  const periods = useRead<Periods>("/v1/periods", { marketplace });
  return (
    <>
      <PageHeader kicker="Closed periods" title={`${marketplace} (${currencyOf(marketplace)})`}>
        <p className="lede">
          Closing a month freezes it: an amount that would belong to a closed month (a late shipment, a return, an adjustment) is booked in
          the first open month instead, so a closed month's figures never change. Each closed month has a closing statement.
        </p>
      </PageHeader>
      <Section
        title="Earning months"
        actions={<UrlChoice label="Marketplace" param="marketplace" value={marketplace} options={MARKETPLACES.map((m) => [m, m])} />}
      >
        <Loaded query={periods} what="periods">
          {(p) => (
            <>
              <Facts
                items={[
                  ["Closed through", p.closedThrough ?? "No month closed"],
                  ["Months with entries", p.periods.length],
                  ["As of position", p.asOfPosition],
                ]}
              />
              {p.periods.length === 0 ? (
                <EmptyState title={`No month of ${p.marketplace} has entries yet`} />
              ) : (
                <Table
                  caption={`Earning months of ${p.marketplace}, oldest first`}
                  rows={p.periods}
                  rowKey={(r) => r.month}
                  columns={[
                    { header: "Month", cell: (r) => r.month },
                    {
                      header: "Status",
                      cell: (r) => (r.status === "closed" ? <Badge tone="neutral">Closed</Badge> : <Badge tone="good">Open</Badge>),
                    },
                    { header: "Closed at position", numeric: true, cell: (r) => r.closedAtPosition ?? "—" },
                    { header: "Closed at", cell: (r) => (r.closedAt === null ? "—" : formatInstant(r.closedAt)) },
                    { header: "By", cell: (r) => r.actor ?? "—" },
                    { header: "Note", cell: (r) => r.note ?? "—" },
                    {
                      header: "Closing statement",
                      cell: (r) =>
                        r.status === "closed" ? (
                          <PageLink href={pagePath("closingStatement", { marketplace: p.marketplace, month: r.month })}>
                            Statement of {r.month}
                          </PageLink>
                        ) : (
                          <span className="muted">open</span>
                        ),
                    },
                  ]}
                />
              )}
            </>
          )}
        </Loaded>
      </Section>
    </>
  );
}
