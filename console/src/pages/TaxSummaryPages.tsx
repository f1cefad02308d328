// Year-end tax summaries (SPEC §15): the filing list of a marketplace (every creator paid at least
// a minimum in a calendar year, with the API's CSV), and one creator's year per marketplace.
// A payout belongs to the year of its local date in its marketplace; failed payouts count nowhere.
import { DEFAULT_MARKETPLACES } from "../../../domain/marketplaces.ts";
import { useEffect, useId, useState } from "react";
import { useSearchParams } from "wouter";
import { v1 } from "../api/client.ts";
import type { TaxSummaries, TaxSummary } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { pagePath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { EmptyState } from "../components/ErrorState.tsx";
import { PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { Table } from "../components/Table.tsx";
import { today } from "../format/dates.ts";
import { formatCount } from "../format/money.ts";
import { currencyOf, MARKETPLACES, marketplaceOr } from "../format/marketplaces.ts";
import { usePosition } from "../position/usePosition.ts";
import { DownloadCsv } from "../report/DownloadCsv.tsx";
import { CreatorHeader } from "./CreatorTabs.tsx";

const YEAR = /^\d{4}$/;

/** The year in the URL, or this year. */
function useYear(): string {
  const [params] = useSearchParams();
  const year = params.get("year");
  return year !== null && YEAR.test(year) ? year : today().slice(0, 4);
}

interface Filing {
  year: string;
  marketplace: string;
  minimum: string;
}

/**
 * The minimum written with no more fraction digits than the marketplace's currency takes, where only
 * zeros are dropped ("600.00" in JPY is "600"), so switching marketplace never asks the API for a 400.
 */
function fitMinorDigits(minimum: string, marketplace: string): string {
  const digits = DEFAULT_MARKETPLACES[marketplaceOr(marketplace, "US")].minorDigits;
  const match = /^(\d+)\.(\d*)$/.exec(minimum.trim());
  if (match === null || match[2]!.length <= digits || !/^0*$/.test(match[2]!.slice(digits))) return minimum;
  return digits === 0 ? match[1]! : `${match[1]}.${match[2]!.slice(0, digits)}`;
}

function FilingForm({ filing }: { filing: Filing }) {
  const [, setParams] = useSearchParams();
  const [draft, setDraft] = useState(filing);
  useEffect(() => setDraft(filing), [filing.year, filing.marketplace, filing.minimum]);
  const ids = { year: useId(), marketplace: useId(), minimum: useId() };
  return (
    <form
      className="range-form"
      onSubmit={(event) => {
        event.preventDefault();
        setParams((prev) => {
          const next = new URLSearchParams(prev);
          next.set("year", draft.year.trim());
          next.set("marketplace", draft.marketplace);
          next.set("minimum", draft.minimum.trim());
          return next;
        });
      }}
    >
      <label htmlFor={ids.year}>Year</label>
      <input
        id={ids.year}
        type="text"
        inputMode="numeric"
        pattern="\d{4}"
        placeholder="YYYY"
        size={5}
        maxLength={4}
        required
        value={draft.year}
        onChange={(e) => setDraft({ ...draft, year: e.target.value })}
      />
      <label htmlFor={ids.marketplace}>Marketplace</label>
      <select
        id={ids.marketplace}
        value={draft.marketplace}
        onChange={(e) => setDraft({ ...draft, marketplace: e.target.value, minimum: fitMinorDigits(draft.minimum, e.target.value) })}
      >
        {MARKETPLACES.map((m) => (
          <option key={m} value={m}>
            {m} ({currencyOf(m)})
          </option>
        ))}
      </select>
      <label htmlFor={ids.minimum}>Paid at least</label>
      <input
        id={ids.minimum}
        type="text"
        inputMode="decimal"
        placeholder="600.00"
        size={10}
        required
        value={draft.minimum}
        onChange={(e) => setDraft({ ...draft, minimum: e.target.value })}
      />
      <button type="submit">Show</button>
      <span className="muted small">The minimum in the marketplace's currency, e.g. 600.00 (JPY: 600); 0 lists every creator paid.</span>
    </form>
  );
}

export function TaxSummariesPage() {
  const [params] = useSearchParams();
  const year = useYear();
  const marketplace = marketplaceOr(params.get("marketplace"), "US");
  const minimum = params.get("minimum") ?? "0";
  const at = usePosition();
  const list = useRead<TaxSummaries>("/v1/tax-summaries", { year, marketplace, minimum });
  return (
    <>
      <PageHeader kicker="Tax summaries" title={`${marketplace} ${year}`}>
        <p className="lede">
          Every creator of a marketplace paid at least a minimum in a calendar year: the payouts dated in the year (in the marketplace's
          zone) that have not failed, by creator. Each creator's own summary adds the adjustments and write-offs booked in the year.
        </p>
      </PageHeader>
      <Section title="Filing list">
        <FilingForm filing={{ year, marketplace, minimum }} />
        <Loaded query={list} what="tax summaries">
          {(t) => (
            <>
              <DownloadCsv path="/v1/tax-summaries" params={{ year, marketplace, minimum, asOfPosition: at }} />
              {t.creators.length === 0 ? (
                <EmptyState title={`No creator of ${t.marketplace} was paid at least ${t.minimum} ${t.currency} in ${t.year}`}>
                  Choose another year, marketplace or minimum.
                </EmptyState>
              ) : (
                <Table
                  caption={`Creators of ${t.marketplace} paid at least ${t.minimum} ${t.currency} in ${t.year}, as of position ${t.asOfPosition}`}
                  rows={t.creators}
                  rowKey={(c) => c.creatorId}
                  columns={[
                    {
                      header: "Creator",
                      cell: (c) => (
                        <PageLink href={pagePath("creatorTax", { creatorId: c.creatorId }, { year: t.year })}>{c.creatorId}</PageLink>
                      ),
                    },
                    { header: `Paid (${t.currency})`, numeric: true, cell: (c) => <Money amount={c.paid} currency={c.currency} bare /> },
                    { header: "Payouts", numeric: true, cell: (c) => formatCount(c.payouts) },
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

export function CreatorTaxPage() {
  const creatorId = useParam("creatorId");
  const year = useYear();
  const [, setParams] = useSearchParams();
  const summary = useRead<TaxSummary>(v1`/v1/creators/${creatorId}/tax-summary`, { year });
  const go = (next: number) =>
    setParams((prev) => {
      const out = new URLSearchParams(prev);
      out.set("year", String(next));
      return out;
    });
  return (
    <>
      <CreatorHeader creatorId={creatorId} />
      <Section
        title={`Tax summary ${year}`}
        actions={
          <span className="range-steps">
            <button type="button" onClick={() => go(Number(year) - 1)}>
              ← {Number(year) - 1}
            </button>
            <button type="button" onClick={() => go(Number(year) + 1)}>
              {Number(year) + 1} →
            </button>
          </span>
        }
      >
        <Loaded query={summary} what="creator">
          {(s) => (
            <>
              <Table
                caption={`${s.creatorId} in ${s.year}, per marketplace, as of position ${s.asOfPosition}`}
                empty={`no payout dated and no adjustment booked in ${s.year}.`}
                rows={s.marketplaces}
                rowKey={(m) => m.marketplace}
                columns={[
                  { header: "Marketplace", cell: (m) => `${m.marketplace} (${m.currency})` },
                  { header: "Paid", numeric: true, cell: (m) => <Money amount={m.paid} currency={m.currency} /> },
                  { header: "Payouts", numeric: true, cell: (m) => formatCount(m.payouts) },
                  { header: "Adjusted", numeric: true, cell: (m) => <Money amount={m.adjusted} currency={m.currency} /> },
                  {
                    header: "Filing list",
                    cell: (m) => (
                      <PageLink href={pagePath("taxSummaries", {}, { year: s.year, marketplace: m.marketplace, minimum: "0" })}>
                        {m.marketplace} {s.year}
                      </PageLink>
                    ),
                  },
                ]}
              />
              <p className="muted small">
                Paid: payouts whose local date is in {s.year}, less those that failed. Adjusted: adjustments and write-offs booked in{" "}
                {s.year}. Each marketplace in its own currency; nothing is converted.
              </p>
            </>
          )}
        </Loaded>
      </Section>
    </>
  );
}
