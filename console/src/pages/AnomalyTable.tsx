// Anomalies (SPEC §3): facts stored that earned nothing, each with its event one click away.
import type { Anomaly } from "../api/types.ts";
import { campaignPath, creatorPath, eventPath } from "../app/paths.ts";
import { PageLink } from "../components/Layout.tsx";
import { Table } from "../components/Table.tsx";
import { humanize } from "../format/labels.ts";

export function AnomalyTable({ caption, anomalies }: { caption: string; anomalies: readonly Anomaly[] }) {
  return (
    <Table
      caption={caption}
      rows={anomalies}
      rowKey={(a, i) => `${a.position}:${a.code}:${i}`}
      columns={[
        { header: "Position", numeric: true, cell: (a) => a.position },
        { header: "What", cell: (a) => humanize(a.code) },
        { header: "Event", cell: (a) => <PageLink href={eventPath(a.eventId)}>{a.eventId}</PageLink> },
        { header: "Type", cell: (a) => a.eventType },
        {
          header: "Creator",
          cell: (a) => (a.creatorId === null ? "—" : <PageLink href={creatorPath(a.creatorId)}>{a.creatorId}</PageLink>),
        },
        {
          header: "Campaign",
          cell: (a) => (a.campaignId === null ? "—" : <PageLink href={campaignPath(a.campaignId)}>{a.campaignId}</PageLink>),
        },
        { header: "Message", cell: (a) => a.message },
      ]}
    />
  );
}
