// One event as an upstream system sends it (SPEC §2): what the workload generator (generator.ts) and
// the demo data set (demoDataset.ts) write, typed by the ledger's own event types and payloads
// (domain/events/schemas.ts), so a misspelt type or field fails the typecheck, not the demo.
import type { CampaignCreatedV1, EventDataMap, EventType } from "../domain/events/schemas.ts";

/**
 * The payload of each type as sent without a schemaVersion, i.e. at version 1: a campaign's budget
 * currency is left to its marketplace (CampaignCreated v1; upcast.ts fills it in).
 */
export type WireData = Omit<EventDataMap, "CampaignCreated"> & { CampaignCreated: CampaignCreatedV1 };

/** One event of type `T` exactly as an upstream system sends it (SPEC §2). */
export interface WireEventOf<T extends EventType> {
  id: string;
  type: T;
  occurredAt: string;
  data: WireData[T];
}

/** One event exactly as an upstream system sends it (SPEC §2), of any type. */
export type RawWireEvent = { [T in EventType]: WireEventOf<T> }[EventType];
