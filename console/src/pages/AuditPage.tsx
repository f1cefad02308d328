// Audit (SPEC §8.3, §10, §14): any event by id; projection health (position, lag, version), read
// again every few seconds; promotions and scheduled rule versions (RuleChanges.tsx); every anomaly, paged.
import { useId, useState } from "react";
import { useLocation, useSearchParams } from "wouter";
import type { Anomalies, Health } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { eventPath } from "../app/paths.ts";
import { EmptyState } from "../components/ErrorState.tsx";
import { Badge, PageHeader, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { PAGE_SIZE, Pager } from "../components/Pager.tsx";
import { Table } from "../components/Table.tsx";
import { formatCount } from "../format/money.ts";
import { usePosition, withPosition } from "../position/usePosition.ts";
import { AnomalyTable } from "./AnomalyTable.tsx";
import { RuleChanges } from "./RuleChanges.tsx";

/** How often projection health is read again. */
const HEALTH_REFRESH_MS = 2_000;

function EventLookup() {
  const [, navigate] = useLocation();
  const at = usePosition();
  const [id, setId] = useState("");
  const inputId = useId();
  return (
    <Section title="Look up an event">
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (id.trim() !== "") navigate(withPosition(eventPath(id.trim()), at));
        }}
      >
        <label htmlFor={inputId}>Event id</label>
        <input
          id={inputId}
          type="text"
          value={id}
          onChange={(e) => setId(e.target.value)}
          placeholder="e.g. a ledger entry's source event"
          size={32}
        />
        <button type="submit">Look up</button>
      </form>
    </Section>
  );
}

function ProjectionHealth() {
  const health = useRead<Health>("/v1/health", {}, { asOf: false, refetchMs: HEALTH_REFRESH_MS });
  return (
    <Section
      title="Projection health"
      actions={
        <span className="muted small">
          Read again every {HEALTH_REFRESH_MS / 1000} s
          {health.dataUpdatedAt > 0 ? `; last at ${new Date(health.dataUpdatedAt).toLocaleTimeString()}` : ""}
        </span>
      }
    >
      <Loaded query={health} what="health">
        {(h) => (
          <Table
            caption={`Read models against the store's head, position ${h.store.head}`}
            rows={h.projections}
            rowKey={(p) => p.name}
            columns={[
              { header: "Projection", cell: (p) => p.name },
              { header: "Version", numeric: true, cell: (p) => p.version },
              { header: "Rule version", numeric: true, cell: (p) => p.ruleVersion },
              { header: "Position", numeric: true, cell: (p) => formatCount(p.position) },
              { header: "Lag (events)", numeric: true, cell: (p) => formatCount(p.lag) },
              { header: "State", cell: (p) => (p.lag === 0 ? <Badge tone="good">Caught up</Badge> : <Badge tone="warn">Behind</Badge>) },
            ]}
          />
        )}
      </Loaded>
    </Section>
  );
}

function AllAnomalies() {
  const [params] = useSearchParams();
  const after = params.get("after");
  const anomalies = useRead<Anomalies>("/v1/anomalies", { after, limit: PAGE_SIZE });
  return (
    <Section title="Anomalies">
      <p className="muted">
        Facts the ledger stored but could not apply (SPEC §3): they earn nothing and are listed here, also those no creator owns.
      </p>
      <Loaded query={anomalies} what="anomalies">
        {(a) =>
          a.anomalies.length === 0 ? (
            <EmptyState title={after === null ? "No anomalies" : "No more anomalies"} />
          ) : (
            <>
              <AnomalyTable caption={`Anomalies from position ${a.anomalies[0]!.position}, in position order`} anomalies={a.anomalies} />
              <Pager next={a.nextAfter} label="Anomalies" />
            </>
          )
        }
      </Loaded>
    </Section>
  );
}

export function AuditPage() {
  return (
    <>
      <PageHeader kicker="Audit" title="Events, health and anomalies" />
      <EventLookup />
      <ProjectionHealth />
      <RuleChanges />
      <AllAnomalies />
    </>
  );
}
