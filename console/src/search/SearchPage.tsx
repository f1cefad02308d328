// Where the search box leads when Enter is not a single id (issue 27): every id that starts with the
// text, any case, of every kind, from one GET /v1/search. The one thing whose id is the text (any
// case) opens its page at once; a payout and the event that issued it share an id, so both are listed.
import { useEffect } from "react";
import { useLocation, useSearchParams } from "wouter";
import { pagePath } from "../app/paths.ts";
import { EmptyState, ErrorState } from "../components/ErrorState.tsx";
import { PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Table } from "../components/Table.tsx";
import { usePosition, withPosition } from "../position/usePosition.ts";
import { exactHits, hitDetail, hitPath, ID_CHARACTERS_HINT, isSearchable, KIND_LABELS } from "./hits.tsx";
import { useSearch } from "./useSearch.ts";

/** Hits the page lists at most (the API's limit). */
const RESULTS = 50;

export function SearchPage() {
  const [params] = useSearchParams();
  const [, navigate] = useLocation();
  const at = usePosition();
  const q = (params.get("q") ?? "").trim();
  const valid = isSearchable(q);
  const search = useSearch(valid ? q : null, RESULTS);
  const answer = search.data !== undefined && search.data.q === q ? search.data : null;
  const exact = answer === null ? [] : exactHits(answer.hits, q);
  const only = exact.length === 1 ? exact[0]! : null;
  useEffect(() => {
    if (only !== null) navigate(withPosition(hitPath(only), at), { replace: true });
  }, [only, at]);
  return (
    <>
      <PageHeader kicker="Search" title={q === "" ? "Find an id" : q} />
      <Section title="Results">
        {q === "" ? (
          <EmptyState title="Type the first characters of an id">
            In the search box at the top: creators, campaigns, brands, payouts and events, in any case. Or browse every{" "}
            <PageLink href={pagePath("creators")}>creator</PageLink>, <PageLink href={pagePath("campaigns")}>campaign</PageLink> and{" "}
            <PageLink href={pagePath("brands")}>brand</PageLink>.
          </EmptyState>
        ) : !valid ? (
          <EmptyState title="That cannot be the start of an id">{ID_CHARACTERS_HINT}</EmptyState>
        ) : search.isError ? (
          <ErrorState error={search.error} what="id" retry={() => void search.refetch()} />
        ) : answer === null || only !== null ? (
          <p className="loading" role="status">
            Looking for ids that start with {q}…
          </p>
        ) : answer.hits.length === 0 ? (
          <EmptyState title={`Nothing has an id that starts with ${q}`}>
            No creator, campaign, brand, payout or event{at === null ? "" : ` as of position ${at}`}. Check the spelling (case does not
            matter).
          </EmptyState>
        ) : (
          <>
            <Table
              caption={`${answer.truncated ? `The first ${answer.hits.length}` : answer.hits.length} id${answer.hits.length === 1 ? "" : "s"} that start with ${q}, any case, as of position ${answer.asOfPosition}`}
              rows={answer.hits}
              rowKey={(hit) => `${hit.kind}:${hit.id}`}
              columns={[
                { header: "Kind", cell: (hit) => KIND_LABELS[hit.kind] },
                { header: "Id", cell: (hit) => <PageLink href={hitPath(hit)}>{hit.id}</PageLink> },
                { header: "Details", cell: (hit) => hitDetail(hit) || "—" },
              ]}
            />
            {answer.truncated ? <p className="muted small">More ids start with {q}: type more characters to narrow the list.</p> : null}
          </>
        )}
      </Section>
    </>
  );
}
