// Named maxima for every input (TIGER_STYLE: limits on everything).
export const EVENT_ID_MAX_CHARS = 128;
export const REF_ID_MAX_CHARS = 128; // campaignId, creatorId, trackingId, asin, shipmentId, ...
export const CATEGORY_MAX_CHARS = 64;
export const URL_MAX_CHARS = 2048;
export const DISCLOSURE_MAX_CHARS = 4096;
/** The note of a CommissionAdjusted (SPEC §8.4). */
export const NOTE_MAX_CHARS = 500;
export const CAMPAIGN_ASINS_MAX = 10_000;
// quantity × unit price × lines stays below 2^53 minor units (integer-exact read models):
// 100 lines × 100,000 units × 100,000.00 = 10^12 major = 10^14 minor units per shipment.
export const SHIPMENT_LINES_MAX = 100;
export const QUANTITY_MAX = 100_000;
/** Largest unit price in major units. */
export const UNIT_PRICE_MAX = 100_000;
/** The largest rule version a RuleVersionScheduled may name (SPEC §14). */
export const RULE_VERSION_MAX = 1_000_000;
export const BATCH_EVENTS_MAX = 10_000;
export const PROBLEMS_MAX = 1_000;
/** Longest NDJSON line (one event) any reader accepts: HTTP bodies and `ledger ingest` files. */
export const NDJSON_LINE_MAX_CHARS = 1_000_000;
