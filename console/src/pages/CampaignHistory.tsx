// A campaign's history (issue 27, SPEC §9): every event that changed its life — created, budget
// changed, paused, resumed, end changed, ended — with its position, when it happened and when the
// ledger recorded it, and what it changed from → to (GET /v1/campaigns/{id} `history`).
import type { ReactNode } from "react";
import type { Campaign, CampaignHistoryEntry } from "../api/types.ts";
import { eventPath } from "../app/paths.ts";
import { PageLink, Section } from "../components/Layout.tsx";
import { Table } from "../components/Table.tsx";
import { formatInstant } from "../format/dates.ts";
import { formatMoney } from "../format/money.ts";

const EVENT_LABELS: Partial<Record<CampaignHistoryEntry["eventType"], string>> = {
  CampaignCreated: "Created",
  CampaignBudgetChanged: "Budget changed",
  CampaignPaused: "Paused",
  CampaignResumed: "Resumed",
  CampaignEndChanged: "End changed",
  CampaignEnded: "Ended",
};

type Changes = CampaignHistoryEntry["changes"];

/** One line per value the event changed: "Budget: $20.00 → $60.00" ("Budget: $20.00" when it was set at creation). */
export function changeLines(changes: Changes, currency: string): string[] {
  const line = <T,>(name: string, change: { from: T | null; to: T } | undefined, show: (value: T) => string) =>
    change === undefined ? [] : [`${name}: ${change.from === null ? "" : `${show(change.from)} → `}${show(change.to)}`];
  const yesNo = (value: boolean) => (value ? "yes" : "no");
  return [
    ...line("Budget", changes.budget, (amount) => formatMoney(amount, currency)),
    ...line("Ends", changes.endsAt, formatInstant),
    ...line("Paused", changes.paused, yesNo),
    ...line("Ended", changes.ended, yesNo),
  ];
}

function ChangeList({ lines }: { lines: string[] }): ReactNode {
  return (
    <ul className="plain-list">
      {lines.map((text) => (
        <li key={text}>{text}</li>
      ))}
    </ul>
  );
}

export function CampaignHistory({ campaign }: { campaign: Campaign }) {
  const { history } = campaign;
  return (
    <Section title="History">
      <Table
        caption={`How ${campaign.campaignId} was managed, in position order, as of position ${campaign.asOfPosition}`}
        empty="nothing recorded yet."
        rows={history}
        rowKey={(h) => `${h.position}`}
        columns={[
          { header: "Position", numeric: true, cell: (h) => h.position },
          { header: "What", cell: (h) => EVENT_LABELS[h.eventType] ?? h.eventType },
          { header: "Changed", cell: (h) => <ChangeList lines={changeLines(h.changes, campaign.currency)} /> },
          { header: "Occurred", cell: (h) => formatInstant(h.occurredAt) },
          { header: "Recorded", cell: (h) => formatInstant(h.recordedAt) },
          { header: "Event", cell: (h) => <PageLink href={eventPath(h.eventId)}>{h.eventId}</PageLink> },
        ]}
      />
      <p className="muted small">
        Occurred is when it happened (the event's own time); recorded is when the ledger stored it. A fact that changed nothing (an anomaly,
        such as pausing a paused campaign) is not listed: the audit page lists anomalies.
        {campaign.historyTruncated ? " Only the first 1,000 changes are listed; the event log has the rest." : ""}
      </p>
    </Section>
  );
}
