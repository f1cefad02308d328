// Replay (SPEC §6, §10): each projection's versions; a version being rebuilt can be reviewed
// against the active one before anyone promotes it (promoting stays a CLI act).
import type { Projections } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { pagePath } from "../app/paths.ts";
import { Badge, PageHeader, PageLink, Section, type Tone } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Table } from "../components/Table.tsx";
import { formatInstant } from "../format/dates.ts";
import { formatCount } from "../format/money.ts";

type VersionStatus = Projections["projections"][number]["versions"][number]["status"];
/** Keyed by the API's statuses, so a new one does not compile until it has a tone. */
const STATUS_TONE: Record<VersionStatus, Tone> = { active: "good", building: "warn", idle: "neutral", stalled: "bad", retired: "neutral" };

export function ReplayPage() {
  const projections = useRead<Projections>("/v1/projections", {}, { asOf: false });
  return (
    <>
      <PageHeader kicker="Replay" title="Projection versions">
        <p className="lede">
          A rebuild (<code>npx ledger replay earnings --rules 2</code>) writes a new version beside the active one. Review its diff here;
          promote it with <code>npx ledger replay earnings --version N --promote</code>. These are the read models as they are now: the
          position picker does not apply. A replay is for a bug in the calculation; a business change of rates keeps the booked months as
          they are and books the difference as adjustments: a <PageLink href={pagePath("trueUps")}>true-up</PageLink>.
        </p>
      </PageHeader>
      <Loaded query={projections} what="projections">
        {(p) => (
          <>
            {p.projections.map((projection) => (
              <Section key={projection.name} title={`${projection.name}`} id={`projection-${projection.name}`}>
                <Table
                  caption={`Versions of ${projection.name} (store head ${p.head})`}
                  rows={projection.versions}
                  rowKey={(v) => String(v.version)}
                  columns={[
                    { header: "Version", numeric: true, cell: (v) => v.version },
                    { header: "Rule version", numeric: true, cell: (v) => v.ruleVersion },
                    { header: "Status", cell: (v) => <Badge tone={STATUS_TONE[v.status]}>{v.status}</Badge> },
                    { header: "Position", numeric: true, cell: (v) => formatCount(v.position) },
                    { header: "Lag (events)", numeric: true, cell: (v) => formatCount(v.lag) },
                    { header: "Created", cell: (v) => formatInstant(v.createdAt) },
                    {
                      header: "Against the active version",
                      cell: (v) =>
                        v.status === "active" ? (
                          <span className="muted">serving reads</span>
                        ) : (
                          <PageLink href={pagePath("replayDiff", { projection: projection.name, version: v.version })}>
                            Review the diff of v{v.version}
                          </PageLink>
                        ),
                    },
                  ]}
                />
              </Section>
            ))}
          </>
        )}
      </Loaded>
    </>
  );
}
