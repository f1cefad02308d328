// Campaign-end scheduler (SPEC §3 CampaignEnded): appends `campaign-ended:{campaignId}` with
// occurredAt = endsAt once endsAt + grace has passed. The event is the same whoever writes it, so
// two schedulers (or campaign management) racing produce one stored event and duplicates.
import { campaignsDueToEnd } from "../projections/budget/budgetQueries.ts";
import { ingestBatch } from "./ingest.ts";
import type { Ledger } from "./ledger.ts";

export const SCHEDULER_CAMPAIGNS_PER_TICK_MAX = 1_000;

export function campaignEndedEvent(campaignId: string, endsAt: string) {
  return { id: `campaign-ended:${campaignId}`, type: "CampaignEnded", schemaVersion: 1, occurredAt: endsAt, data: { campaignId } };
}

/**
 * One pass: ends every due campaign; returns how many CampaignEnded were newly appended. Each
 * campaign is appended on its own, so one that cannot be ended (an id that cannot form an event
 * id, or a conflicting `campaign-ended:` event from campaign management) is logged and skipped
 * instead of holding every other campaign back.
 */
export async function endDueCampaigns(ledger: Ledger, nowMs: number): Promise<number> {
  const read = await ledger.reads.budget.active();
  const due = await campaignsDueToEnd(ledger.reads.budget.db, read.prefix, nowMs - ledger.config.campaignEndGraceMs, SCHEDULER_CAMPAIGNS_PER_TICK_MAX);
  let appended = 0;
  for (const campaign of due) {
    const result = await ingestBatch(ledger.store, [campaignEndedEvent(campaign.campaign_id, campaign.ends_at)]);
    if (result.kind === "appended") appended += result.appended;
    else if (result.kind === "invalid") ledger.log.error({ campaignId: campaign.campaign_id, problems: result.problems }, "scheduler: cannot end this campaign (its id cannot form an event id)");
    else ledger.log.error({ campaignId: campaign.campaign_id, err: result.message }, "scheduler: another CampaignEnded with this id is stored; skipped");
  }
  if (appended > 0) ledger.log.info({ appended }, "scheduler: campaigns ended");
  return appended;
}

export function startScheduler(ledger: Ledger, now: () => number = Date.now): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = async () => {
    try {
      await endDueCampaigns(ledger, now());
    } catch (error) {
      ledger.log.error({ err: (error as Error).message }, "scheduler tick failed");
    }
    if (!stopped) timer = setTimeout(tick, ledger.config.schedulerIntervalMs);
  };
  timer = setTimeout(tick, 1_000);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
