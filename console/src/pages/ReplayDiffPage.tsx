// A rebuild's diff (SPEC §6): per key (creator and campaign, campaign, account), the amounts that
// differ between the active version and this one, paged.
import { useSearchParams } from "wouter";
import { v1 } from "../api/client.ts";
import type { ProjectionDiff } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { campaignPath, creatorPath, pagePath } from "../app/paths.ts";
import { useParam } from "../app/useParam.ts";
import { AccountLink } from "../components/AccountLink.tsx";
import { EmptyState } from "../components/ErrorState.tsx";
import { Facts, PageHeader, PageLink, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { PAGE_SIZE, Pager } from "../components/Pager.tsx";
import { Table } from "../components/Table.tsx";
import { DEFAULT_MARKETPLACES } from "../../../domain/marketplaces.ts";
import { formatAmount } from "../format/money.ts";
import { humanize } from "../format/labels.ts";

type Change = ProjectionDiff["changes"][number];

function keyOf(c: Change) {
  return (
    <>
      {c.account !== undefined ? <AccountLink account={c.account} /> : null}
      {c.creatorId !== undefined ? <PageLink href={creatorPath(c.creatorId)}>{c.creatorId}</PageLink> : null}
      {c.creatorId !== undefined && c.campaignId !== undefined ? " · " : null}
      {c.campaignId === undefined ? null : c.campaignId === null ? (
        "no campaign"
      ) : (
        <PageLink href={campaignPath(c.campaignId)}>{c.campaignId}</PageLink>
      )}
    </>
  );
}

export function ReplayDiffPage() {
  const projection = useParam("projection");
  const version = useParam("version");
  const [params] = useSearchParams();
  const after = params.get("after");
  const diff = useRead<ProjectionDiff>(v1`/v1/projections/${projection}/diff`, { version, after, limit: PAGE_SIZE }, { asOf: false });
  return (
    <>
      <PageHeader kicker="Replay diff" title={`${projection} v${version} against the active version`}>
        <p className="lede">
          <PageLink href={pagePath("replay")}>All projection versions</PageLink>
        </p>
      </PageHeader>
      <Loaded query={diff} what="projection version">
        {(d) => (
          <>
            <Section title="What is compared">
              <Facts
                items={[
                  ["Active version", `v${d.activeVersion} (rule version ${d.activeRuleVersion}) at position ${d.activePosition}`],
                  ["This version", `v${d.version} (rule version ${d.ruleVersion}, ${d.status}) at position ${d.position}`],
                  ["Changed amounts", d.changed],
                ]}
              />
              {d.position !== d.activePosition ? (
                <p className="muted">
                  The two versions stand at different positions: some differences may only be events one has applied and the other not yet.
                </p>
              ) : null}
            </Section>
            <Section title="Changes">
              {d.changes.length === 0 ? (
                <EmptyState title="No amount differs">
                  Promoting this version would change no number the API answers from this projection.
                </EmptyState>
              ) : (
                <>
                  <Table
                    caption={`Changed amounts of ${d.projection}, v${d.activeVersion} → v${d.version}`}
                    rows={d.changes}
                    rowKey={(c, i) => `${i}:${c.account ?? ""}:${c.creatorId ?? ""}:${c.campaignId ?? ""}:${c.field}`}
                    columns={[
                      { header: "Key", cell: keyOf },
                      { header: "Marketplace", cell: (c) => `${c.marketplace} (${DEFAULT_MARKETPLACES[c.marketplace].currency})` },
                      { header: "Amount", cell: (c) => humanize(c.field) },
                      { header: `Old (v${d.activeVersion})`, numeric: true, cell: (c) => formatAmount(c.old) },
                      { header: `New (v${d.version})`, numeric: true, cell: (c) => formatAmount(c.new) },
                      {
                        header: "Difference",
                        numeric: true,
                        cell: (c) => (
                          <span className={c.difference.startsWith("-") ? "negative" : "positive"}>{formatAmount(c.difference)}</span>
                        ),
                      },
                    ]}
                  />
                  <Pager next={d.next} label="Diff" />
                </>
              )}
            </Section>
          </>
        )}
      </Loaded>
    </>
  );
}
