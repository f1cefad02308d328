// Campaign-end scheduler (SPEC §3 CampaignEnded): appends `campaign-ended:{campaignId}` with
// occurredAt = endsAt once endsAt + grace has passed. The event is the same whoever writes it, so
// two schedulers (or campaign management) racing produce one stored event and duplicates.
import { validateBatch } from "../domain/events/validate.ts";
import { campaignsDueToEnd } from "../projections/budget/budgetQueries.ts";
import type { Ledger } from "./ledger.ts";

export const SCHEDULER_CAMPAIGNS_PER_TICK_MAX = 1_000;

export function campaignEndedEvent(campaignId: string, endsAt: string) {
  return { id: `campaign-ended:${campaignId}`, type: "CampaignEnded", schemaVersion: 1, occurredAt: endsAt, data: { campaignId } };
}

/** One pass: ends every due campaign; returns how many CampaignEnded were newly appended. */
export async function endDueCampaigns(ledger: Ledger, nowMs: number): Promise<number> {
  const read = await ledger.reads.budget.active();
  const due = await campaignsDueToEnd(ledger.reads.budget.db, read.prefix, nowMs - ledger.config.campaignEndGraceMs, SCHEDULER_CAMPAIGNS_PER_TICK_MAX);
  if (due.length === 0) return 0;
  const validation = validateBatch(due.map((c) => campaignEndedEvent(c.campaign_id, c.ends_at)));
  if (!validation.ok) {
    ledger.log.error({ problems: validation.problems }, "scheduler: invalid CampaignEnded (campaign id not usable as an event id)");
    return 0;
  }
  const result = await ledger.store.append(validation.events);
  if (result.appended > 0) ledger.log.info({ appended: result.appended, campaigns: due.map((c) => c.campaign_id) }, "scheduler: campaigns ended");
  return result.appended;
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
