// Where the search box leads: the id is asked of each kind of page's read (creator, campaign,
// brand, payout, event); one match opens its page, several are listed, none says so.
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useLocation, useSearchParams } from "wouter";
import { ApiError, getJson, v1 } from "../api/client.ts";
import { useToken } from "../auth/token.ts";
import { brandPath, campaignPath, creatorPath, eventPath, payoutPath } from "../app/paths.ts";
import { EmptyState, ErrorState } from "../components/ErrorState.tsx";
import { PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { usePosition, withPosition } from "../position/usePosition.ts";

/** SPEC §2: what an id may be. */
const ID = /^[A-Za-z0-9._:-]{1,128}$/;

const KINDS = [
  { label: "Creator", read: (id: string) => v1`/v1/creators/${id}/earnings`, page: creatorPath },
  { label: "Campaign", read: (id: string) => v1`/v1/campaigns/${id}`, page: campaignPath },
  { label: "Brand", read: (id: string) => v1`/v1/brands/${id}/campaigns`, page: brandPath },
  { label: "Payout", read: (id: string) => v1`/v1/payouts/${id}`, page: payoutPath },
  { label: "Event", read: (id: string) => v1`/v1/events/${id}`, page: eventPath },
] as const;

type Kind = (typeof KINDS)[number];

/** The kinds that know `id` (a 404 means: not this kind). */
async function kindsOf(id: string, at: number | null): Promise<Kind[]> {
  const found = await Promise.all(
    KINDS.map(async (kind) => {
      try {
        await getJson(kind.read(id), { asOfPosition: at });
        return kind;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    }),
  );
  return found.filter((k): k is Kind => k !== null);
}

export function SearchPage() {
  const [params] = useSearchParams();
  const [, navigate] = useLocation();
  const at = usePosition();
  const { token } = useToken();
  const id = (params.get("q") ?? "").trim();
  const valid = ID.test(id);
  const matches = useQuery<Kind[], ApiError>({
    queryKey: ["search", id, at, token],
    queryFn: () => kindsOf(id, at),
    enabled: valid,
    retry: false,
  });
  const only = matches.data?.length === 1 ? matches.data[0]! : null;
  useEffect(() => {
    if (only !== null) navigate(withPosition(only.page(id), at), { replace: true });
  }, [only, id, at]);
  return (
    <>
      <PageHeader kicker="Search" title={id === "" ? "Find an id" : id} />
      <Section title="Results">
        {!valid ? (
          <EmptyState title="That is not an id">
            An id is 1 to 128 characters of A–Z, a–z, 0–9 and . _ : - (for example cr-00003, cmp-0006, brand-000).
          </EmptyState>
        ) : matches.isPending || only !== null ? (
          <p className="loading" role="status">
            Looking for {id}…
          </p>
        ) : matches.isError ? (
          <ErrorState error={matches.error} what="id" />
        ) : matches.data.length === 0 ? (
          <EmptyState title={`Nothing has the id ${id}`}>
            No creator, campaign, brand, payout or event{at === null ? "" : ` as of position ${at}`}. Check the spelling; ids are
            case-sensitive.
          </EmptyState>
        ) : (
          <ul className="matches">
            {matches.data.map((kind) => (
              <li key={kind.label}>
                {kind.label}: <PageLink href={kind.page(id)}>{id}</PageLink>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}
