import type { Campaign } from "../api/types.ts";
import { Badge } from "../components/Layout.tsx";

/** Where a campaign stands (SPEC §4 rules 4-5, §9): ended, paused, budget exhausted, or running. */
export function CampaignState({ campaign }: { campaign: Pick<Campaign, "ended" | "paused" | "exhausted"> }) {
  return (
    <span className="badges">
      {campaign.ended ? (
        <Badge tone="neutral">Ended</Badge>
      ) : campaign.paused ? (
        <Badge tone="warn">Paused</Badge>
      ) : (
        <Badge tone="good">Running</Badge>
      )}
      {campaign.exhausted ? <Badge tone="bad">Budget exhausted</Badge> : null}
    </span>
  );
}
