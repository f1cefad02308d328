// Campaign-end scheduler (SPEC §3 CampaignEnded, §9 CampaignEndChanged): appends
// `campaign-ended:{campaignId}` with occurredAt = the campaign's end as it stands, once that end +
// grace has passed. It follows end changes: it reads the campaign read model only once it has
// applied everything the store holds, and appends with the expected revision of the campaign's
// stream, so a CampaignEndChanged that lands between its read and its append refuses the append
// (the next tick decides again with the new end) instead of ending the campaign at an old end.
// Two schedulers racing write identical events: one is stored, the other refused or a duplicate.
import { asError, assertNever } from "../domain/assert.ts";
import { streamIdOf } from "../domain/events/streams.ts";
import { campaignsDueToEnd } from "../projections/budget/budgetQueries.ts";
import { ingestBatch } from "./ingest/ingest.ts";
import type { Ledger } from "./ledger.ts";
import { expectedRevision, readWholeStream } from "./ingest/streamHead.ts";

export const SCHEDULER_CAMPAIGNS_PER_TICK_MAX = 1_000;
/** How long a tick waits for the campaign read model to apply what the store holds. */
export const SCHEDULER_CATCH_UP_TIMEOUT_MS = 30_000;

export function campaignEndedEvent(campaignId: string, endsAt: string) {
  return { id: `campaign-ended:${campaignId}`, type: "CampaignEnded", schemaVersion: 1, occurredAt: endsAt, data: { campaignId } };
}

/**
 * One pass: ends every due campaign; returns how many CampaignEnded were newly appended. Each
 * campaign is appended on its own, so one that cannot be ended (an id that cannot form an event id,
 * or a conflicting `campaign-ended:` event from campaign management) is logged and skipped
 * instead of holding every other campaign back.
 */
export async function endDueCampaigns(ledger: Ledger, nowMs: number): Promise<number> {
  await ledger.waitFor(["budget"], await ledger.store.head(), SCHEDULER_CATCH_UP_TIMEOUT_MS);
  const { due, position } = await ledger.reads.budget.read(async (tx, a) => ({
    due: await campaignsDueToEnd(tx, a.prefix, nowMs - ledger.config.campaignEndGraceMs, SCHEDULER_CAMPAIGNS_PER_TICK_MAX),
    position: a.position,
  }));
  let appended = 0;
  for (const campaign of due) {
    const streamId = streamIdOf("CampaignEnded", { campaignId: campaign.campaign_id });
    const revision = expectedRevision(await readWholeStream(ledger.store, streamId), position);
    if (revision === null) continue; // the campaign changed after this read: the next tick decides with its new end
    const result = await ingestBatch(ledger.store, [campaignEndedEvent(campaign.campaign_id, campaign.ends_at)], {
      expectedRevisions: { [streamId]: revision },
    });
    switch (result.kind) {
      case "appended":
        appended += result.appended;
        break;
      case "stale":
        break; // another scheduler ended it, or its end changed meanwhile: decided again next tick
      case "invalid":
        ledger.log.error(
          { campaignId: campaign.campaign_id, problems: result.problems },
          "scheduler: cannot end this campaign (its id cannot form an event id)",
        );
        break;
      case "conflict":
        ledger.log.error(
          { campaignId: campaign.campaign_id, err: result.message },
          "scheduler: another CampaignEnded with this id is stored; skipped",
        );
        break;
      default:
        assertNever(result, "ingest result");
    }
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
      ledger.log.error({ err: asError(error).message }, "scheduler tick failed");
    }
    if (!stopped) timer = setTimeout(() => void tick(), ledger.config.schedulerIntervalMs);
  };
  timer = setTimeout(() => void tick(), 1_000); // tick handles its own failures
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
