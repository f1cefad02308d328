// Upcasting on read (SPEC §2): stored events keep the schema version they were sent with; readers
// see the newest version. One small pure function per step, keyed by type and source version.
import { DEFAULT_MARKETPLACES } from "../marketplaces.ts";
import type { CampaignCreatedData, CampaignCreatedV1, EventType } from "./schemas.ts";
import { LATEST_SCHEMA_VERSION } from "./schemas.ts";

type Upcaster = (data: unknown) => unknown;

/** CampaignCreated v1 → v2: the currency, implicit in the marketplace in v1, becomes explicit. */
export function campaignCreatedV1toV2(data: CampaignCreatedV1): CampaignCreatedData {
  return { ...data, currency: DEFAULT_MARKETPLACES[data.marketplace].currency };
}

const UPCASTERS: Partial<Record<EventType, Record<number, Upcaster>>> = {
  CampaignCreated: { 1: campaignCreatedV1toV2 as Upcaster },
};

/** Applies each step from `fromVersion` up to the newest version of the type. */
export function upcast(type: EventType, fromVersion: number, data: unknown): unknown {
  let version = fromVersion;
  let current = data;
  const latest = LATEST_SCHEMA_VERSION[type];
  while (version < latest) {
    const step = UPCASTERS[type]?.[version];
    if (!step) throw new Error(`no upcaster for ${type} v${version} → v${version + 1}`);
    current = step(current);
    version += 1;
  }
  if (version !== latest) throw new Error(`${type} schema version ${fromVersion} is newer than this code knows (${latest})`);
  return current;
}
