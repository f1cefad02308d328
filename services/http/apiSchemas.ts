// The answers of the API as zod schemas: the OpenAPI document's response schemas are generated from
// them (services/http/openapi.ts), the read functions are typed by them, and the contract test
// (tests/e2e/openapi.e2e.test.ts) checks real answers against them. Field names are the SPEC's.
import { z } from "zod";
import { YEAR_MAX, YEAR_MIN } from "../../domain/calendar.ts";
import { BUCKETS } from "../../domain/journal/entryKinds.ts";
import { ENTRY_KINDS_LIST } from "../../domain/journal/entryKinds.ts";
import { EVENT_TYPES, HOLD_REASONS } from "../../domain/events/schemas.ts";
import { MARKETPLACE_CODES, PAYMENT_METHODS } from "../../domain/marketplaces.ts";
import { NOT_PAID_REASONS, PAYOUT_STATUSES, type NotPaidReason } from "../../domain/payout.ts";
import { ANOMALY_CODES } from "../../domain/engine/outcome.ts";
import { WEBHOOK_EVENTS, type WebhookEvent } from "../../domain/webhooks/webhookEvents.ts";
import { PROJECTION_NAMES } from "../../projections/projection.ts";

/** Money: a string with exactly the currency's minor digits (SPEC §5), "-12.30", JPY "1230". */
const money = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .describe("amount with exactly the currency's minor digits");
const count = z.number().int();
const position = z.number().int().min(0);
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe("local date YYYY-MM-DD");
const month = z
  .string()
  .regex(/^\d{4}-\d{2}$/)
  .describe("earning month YYYY-MM");
const instant = z.string().describe("ISO-8601 instant with offset, as received");
const marketplace = z.enum(MARKETPLACE_CODES);
const currency = z.string().regex(/^[A-Z]{3}$/);
const asOfPosition = position.describe("the last position the answer reflects (SPEC §5, §8.2)");
const cursorAfter = z.string().nullable().describe("cursor of the next page (`after`), null at the end");

export const errorSchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string(), details: z.array(z.unknown()) }),
});

export const appendedSchema = z.strictObject({ appended: count, duplicates: count, lastPosition: position });

const bucketShape = Object.fromEntries([...BUCKETS, "total"].map((b) => [b, money])) as Record<
  (typeof BUCKETS)[number] | "total",
  typeof money
>;

export const anomalySchema = z.strictObject({
  position,
  eventId: z.string(),
  eventType: z.enum(EVENT_TYPES),
  code: z.enum(ANOMALY_CODES),
  message: z.string(),
  creatorId: z.string().nullable(),
  campaignId: z.string().nullable(),
});

export const earningsSchema = z.strictObject({
  creatorId: z.string(),
  asOfPosition,
  marketplaces: z.array(
    z.strictObject({
      marketplace,
      currency,
      totals: z.strictObject(bucketShape),
      months: z.array(z.strictObject({ month, payableOn: date, ...bucketShape })),
      campaigns: z.array(z.strictObject({ campaignId: z.string().nullable(), contentSubmitted: z.boolean(), ...bucketShape })),
    }),
  ),
  anomalies: z.array(anomalySchema),
});

export const entrySchema = z.strictObject({
  entryId: z.string().describe("{position}:{seq}, stable"),
  position,
  seq: count,
  sourceEventId: z.string(),
  eventType: z.enum(EVENT_TYPES),
  occurredAt: instant,
  kind: z.enum(ENTRY_KINDS_LIST),
  source: z.string().nullable().describe("account the amount leaves (SPEC §8.1); null on a memo entry or an amount of 0"),
  destination: z.string().nullable(),
  creatorId: z.string().nullable(),
  campaignId: z.string().nullable(),
  shipmentId: z.string().nullable(),
  asin: z.string().nullable(),
  amount: money,
  currency,
  marketplace,
  earningMonth: month
    .nullable()
    .describe("the month the amount is booked in: rule 9's, or the first open month when that one is closed (SPEC §13)"),
  originalMonth: month
    .nullable()
    .describe("the earning month rule 9 gives it; differs from earningMonth only when a close moved the amount forward"),
  rate: z.string().nullable(),
  ruleVersion: count,
  note: z.string().nullable(),
});

export const ledgerSchema = z.strictObject({ creatorId: z.string(), asOfPosition, entries: z.array(entrySchema), nextAfter: cursorAfter });

/** A report row's counts and amounts (projections/report/reportQueries.ts ReportFigures), in every row and total. */
const reportFigures = { clicks: count, orders: count, units: count, revenue: money, earnings: money, spend: money };
const reportTotals = z.array(z.strictObject({ marketplace, currency, ...reportFigures }));

export const creatorReportSchema = z.strictObject({
  creatorId: z.string(),
  from: date,
  to: date,
  asOfPosition,
  rows: z.array(z.strictObject({ date, campaignId: z.string(), marketplace, currency, ...reportFigures })),
  totals: reportTotals,
});

export const campaignReportSchema = z.strictObject({
  campaignId: z.string(),
  from: date,
  to: date,
  asOfPosition,
  rows: z.array(z.strictObject({ date, creatorId: z.string(), ...reportFigures })),
  totals: reportTotals,
});

const holdFields = z.strictObject({
  reasonCode: z.enum(HOLD_REASONS),
  note: z.string(),
  actor: z.string(),
  since: instant.describe("the hold's occurredAt"),
});

export const payoutSchema = z.strictObject({
  creatorId: z.string(),
  asOf: date,
  asOfPosition,
  marketplaces: z.array(
    z.strictObject({
      marketplace,
      currency,
      payable: money,
      pending: money,
      paid: money,
      threshold: money.nullable(),
      status: z.enum(PAYOUT_STATUSES),
      nextPayableOn: date,
      taxInfoOnFile: z.boolean(),
      paymentMethod: z.enum(PAYMENT_METHODS).nullable(),
      hold: holdFields
        .nullable()
        .describe(
          "SPEC §12: the hold that holds the creator here (of this marketplace or of all), the one that began first; null: not held",
        ),
      receivable: money.describe("max(0, −payable): what the creator owes; later earnings net against it (SPEC §12)"),
      lifecycle: z
        .strictObject({
          pending: money.describe("bonus pending (rule 5)"),
          locked: money.describe("earned in months whose payable date is after asOf"),
          payable: money.describe("rule 11's payable (may be negative)"),
          paid: money.describe("every payout applied so far, net of failures, whatever its date"),
        })
        .describe("SPEC §12: pending + locked + payable + paid = the marketplace's earnings total"),
    }),
  ),
});

/** SPEC §12 GET /v1/holds: every hold standing, with what it holds back. */
export const holdsSchema = z.strictObject({
  asOfPosition,
  holds: z.array(
    z.strictObject({
      creatorId: z.string(),
      marketplace: marketplace.nullable().describe("null: every marketplace"),
      ...holdFields.shape,
      payable: z
        .array(
          z.strictObject({
            marketplace,
            currency,
            asOf: date.describe("the local date rule 11 is evaluated on: asOf, or today in the marketplace's zone"),
            amount: money.describe("rule 11's payable there (negative: a receivable)"),
          }),
        )
        .describe("per marketplace of the creator's payout accounts that the hold covers (and the one asked for)"),
    }),
  ),
});

const payoutFields = {
  payoutId: z.string(),
  creatorId: z.string(),
  marketplace,
  currency,
  amount: money,
  date,
  position,
  status: z.enum(["issued", "failed"]),
  failedReason: z.string().nullable(),
};

export const payoutsSchema = z.strictObject({ creatorId: z.string(), asOfPosition, payouts: z.array(z.strictObject(payoutFields)) });

export const payoutStatementSchema = z.strictObject({
  ...payoutFields,
  asOfPosition,
  statement: z.strictObject({
    months: z.array(z.strictObject({ month, payableOn: date, earned: money })),
    previouslyPaid: money,
    payable: money,
  }),
});

const taxYear = z
  .number()
  .int()
  .min(YEAR_MIN)
  .max(YEAR_MAX)
  .describe("calendar year: payouts by their local date, adjustments by their booked month");
const taxPaid = {
  paid: money.describe("Σ the year's payouts that have not failed, as of asOfPosition (SPEC §15)"),
  payouts: count.describe("how many they are"),
};

/** SPEC §15: a creator's year, per marketplace with a payout dated or an adjustment booked in it. */
export const taxSummarySchema = z.strictObject({
  creatorId: z.string(),
  year: taxYear,
  asOfPosition,
  marketplaces: z.array(
    z.strictObject({ marketplace, currency, ...taxPaid, adjusted: money.describe("adjustments and write-offs booked in the year") }),
  ),
});

/** SPEC §15: every creator of a marketplace paid at least `minimum` in the year, by creatorId. */
export const taxSummariesSchema = z.strictObject({
  year: taxYear,
  marketplace,
  currency,
  minimum: money,
  asOfPosition,
  creators: z.array(z.strictObject({ creatorId: z.string(), marketplace, currency, ...taxPaid })),
});

export const payoutRunSchema = z.strictObject({
  asOfPosition,
  marketplace: z.enum(MARKETPLACE_CODES),
  currency: z.string(),
  asOf: z.string().describe("local date YYYY-MM-DD"),
  issued: z.array(
    z.strictObject({
      payoutId: z.string(),
      creatorId: z.string(),
      marketplace: z.enum(MARKETPLACE_CODES),
      currency: z.string(),
      amount: money,
    }),
  ),
  notPaid: z
    .strictObject(Object.fromEntries(NOT_PAID_REASONS.map((reason) => [reason, z.number().int()])) as Record<NotPaidReason, z.ZodNumber>)
    .describe(
      "the marketplace's creators this run did not pay, counted by why: their payout status, paid by another run meanwhile, or skipped (see skipped)",
    ),
  skipped: z.array(z.strictObject({ creatorId: z.string(), reason: z.string() })).optional(),
});

const budgetFields = {
  budget: money,
  spent: money,
  released: money,
  remaining: money,
  exhausted: z.boolean(),
  exhaustedAt: instant.nullable(),
  ended: z.boolean(),
};

export const budgetSchema = z.strictObject({ campaignId: z.string(), asOfPosition, currency, ...budgetFields });

const campaignFields = {
  campaignId: z.string(),
  brandId: z.string(),
  marketplace,
  currency,
  bonusRate: z.string(),
  startsAt: instant,
  endsAt: instant,
  asins: z.array(z.string()),
  paused: z.boolean(),
  creators: count.describe("creators who accepted"),
  ...budgetFields,
};

/** Issue 27: a value a campaign's management changed, from what it was (null: before the campaign existed) to what it became. */
const change = <T extends z.ZodType>(value: T) => z.strictObject({ from: value.nullable(), to: value });
const campaignHistoryEntrySchema = z.strictObject({
  position,
  eventId: z.string(),
  eventType: z.enum(EVENT_TYPES),
  occurredAt: instant,
  recordedAt: z.string().describe("the store's commit time of the event (ISO UTC)"),
  changes: z
    .strictObject({
      budget: change(money).optional(),
      endsAt: change(instant).optional(),
      paused: change(z.boolean()).optional(),
      ended: change(z.boolean()).optional(),
    })
    .describe("what the event changed: budget and endsAt at creation (from null), budget, paused, endsAt or ended after it"),
});

export const campaignSchema = z.strictObject({
  ...campaignFields,
  asOfPosition,
  history: z
    .array(campaignHistoryEntrySchema)
    .describe(
      "issue 27: every event that managed the campaign up to asOfPosition, in position order: created, budget changed, paused, resumed, end changed, ended (anomalies change nothing and are not here); the first 1,000",
    ),
  historyTruncated: z.boolean().describe("true when the campaign has more than the 1,000 entries listed (the event log has the rest)"),
});
export const brandCampaignsSchema = z.strictObject({
  brandId: z.string(),
  asOfPosition,
  campaigns: z.array(z.strictObject(campaignFields)),
});

export const anomaliesSchema = z.strictObject({ asOfPosition, anomalies: z.array(anomalySchema), nextAfter: cursorAfter });

// --- issue 27: lists paged by id, and search ------------------------------------------------------

const idAfter = z
  .string()
  .nullable()
  .describe("`after` of the next page (the last id of this full page), null when this page was not full");
export const creatorsSchema = z.strictObject({
  asOfPosition,
  creators: z.array(z.strictObject({ creatorId: z.string() })),
  nextAfter: idAfter,
});
export const campaignsSchema = z.strictObject({ asOfPosition, campaigns: z.array(z.strictObject(campaignFields)), nextAfter: idAfter });
const brandFields = { campaigns: count.describe("the brand's campaigns created by asOfPosition") };
export const brandsSchema = z.strictObject({
  asOfPosition,
  brands: z.array(z.strictObject({ brandId: z.string(), ...brandFields })),
  nextAfter: idAfter,
});
export const SEARCH_KINDS = ["creator", "campaign", "brand", "payout", "event"] as const;
const searchHitSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("creator"), id: z.string() }),
  z.strictObject({ kind: z.literal("campaign"), id: z.string(), brandId: z.string(), marketplace }),
  z.strictObject({ kind: z.literal("brand"), id: z.string(), ...brandFields }),
  z.strictObject({ kind: z.literal("payout"), id: z.string(), creatorId: z.string(), marketplace }),
  z.strictObject({ kind: z.literal("event"), id: z.string(), type: z.enum(EVENT_TYPES), position }),
]);
export const searchSchema = z.strictObject({
  q: z.string(),
  asOfPosition,
  hits: z
    .array(searchHitSchema)
    .describe(
      "ids that start with q, ignoring case, by lower-cased id (an exact match first), then kind (creator, campaign, brand, payout, event), then id",
    ),
  truncated: z.boolean().describe("true when more ids match than `limit`: type more characters"),
});

export const accountSchema = z.strictObject({ account: z.string(), currency, balance: money, asOfPosition });
export const accountEntriesSchema = z.strictObject({
  account: z.string(),
  asOfPosition,
  entries: z.array(
    entrySchema.extend({ change: money.describe("what the entry did to this account: + received, − sent"), balance: money }),
  ),
  nextAfter: cursorAfter,
});
export const trialBalanceSchema = z.strictObject({
  asOfPosition,
  currency,
  accounts: z.array(z.strictObject({ account: z.string(), balance: money })),
  sum: money.describe("0 by construction (SPEC §8.1)"),
});

/** SPEC §13: the close that closed a month (a later month's close closes the earlier ones too). */
const closeFields = {
  closedAtPosition: position.describe("the position of the PeriodClosed that closed this month"),
  closedAt: instant.describe("that event's occurredAt"),
  actor: z.string(),
  note: z.string().nullable(),
};
const nullWhileOpen = <T extends Record<string, z.ZodType>>(fields: T) =>
  Object.fromEntries(Object.keys(fields).map((k) => [k, z.null().describe(`${k}: null while open`)])) as {
    [K in keyof T]: z.ZodNull;
  };

/** SPEC §13 GET /v1/periods. */
export const periodsSchema = z.strictObject({
  marketplace,
  closedThrough: month.nullable().describe("the latest closed month; the first open month is the one after it"),
  asOfPosition,
  periods: z.array(
    z.discriminatedUnion("status", [
      z.strictObject({ month, status: z.literal("open"), ...nullWhileOpen(closeFields) }),
      z.strictObject({ month, status: z.literal("closed"), ...closeFields }),
    ]),
  ),
});

/** SPEC §13 GET /v1/periods/{marketplace}/{month}: a closed month's closing statement. */
export const closingStatementSchema = z.strictObject({
  marketplace,
  month,
  currency,
  ...closeFields,
  trialBalance: z
    .strictObject({ accounts: z.array(z.strictObject({ account: z.string(), balance: money })), sum: money })
    .describe("every account of the marketplace's currency at closedAtPosition; sum 0"),
  totals: z
    .strictObject({ standard: money, bonusConfirmed: money, reversed: money, adjusted: money })
    .describe("booked in this month, as of the close (they never change after it)"),
  creators: z
    .array(
      z.strictObject({
        creatorId: z.string(),
        earned: money.describe("standard + bonusConfirmed + reversed + adjusted booked in the month"),
      }),
    )
    .describe("every creator with an earnings entry booked in the month, by creatorId"),
  lateEntries: z
    .array(entrySchema)
    .describe(
      "entries booked after the close (up to asOfPosition) whose originalMonth is this month, in position order; the first 1,000 (lateEntriesMore says whether there are more)",
    ),
  lateEntriesMore: z
    .boolean()
    .describe(
      "more late entries than the statement lists: read them in the month's accounts (GET /v1/accounts/{a}/entries) or with an earlier asOfPosition",
    ),
  asOfPosition,
  logHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .describe("the hash chain's link at closedAtPosition (GET /v1/events/{id}.hash of the close); null: the store keeps no chain"),
});

const storedEventFields = {
  position,
  streamId: z.string(),
  streamRevision: count,
  recordedAt: z.string(),
  id: z.string(),
  type: z.enum(EVENT_TYPES),
  schemaVersion: count,
  occurredAt: instant,
  data: z.record(z.string(), z.unknown()).describe("the payload upcast to the type's newest schema version"),
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .describe(
      "SPEC §13: SHA-256 of the previous event's hash, a newline and the RFC 8785 JSON of the envelope as stored; null on a store that keeps no chain",
    ),
};
export const eventSchema = z.strictObject({ ...storedEventFields, asOfPosition });
export const eventsSchema = z.strictObject({ asOfPosition, events: z.array(z.strictObject(storedEventFields)), next: position.nullable() });

const logHash = z.string().regex(/^[0-9a-f]{64}$/);

/** SPEC §13 GET /v1/log/head. */
export const logHeadSchema = z.strictObject({
  position,
  hash: logHash.nullable().describe("the latest event's link in the hash chain (64 zeros when empty; null: the store keeps no chain)"),
  asOfPosition,
});

/** Issue 27 GET /v1/log/position. */
export const logPositionSchema = z.strictObject({
  at: instant.describe("the instant asked, as sent"),
  position: position.describe("the last position whose recordedAt is at or before `at` (≤ asOfPosition); 0 when none is"),
  recordedAt: z.string().nullable().describe("that position's recordedAt, the store's commit time (ISO UTC); null for 0"),
  asOfPosition,
});

/** SPEC §13 GET /v1/log/verify (scope admin). */
export const logVerifySchema = z.strictObject({
  ok: z.boolean(),
  verified: count.describe("events whose hash was recomputed and matched"),
  head: z.strictObject({ position, hash: logHash }).describe("the last event that matched (where a bad chain stops being trusted)"),
  firstBadPosition: position.nullable(),
  reason: z.string().nullable(),
});

export const healthSchema = z.strictObject({
  status: z.enum(["ok", "degraded"]).describe("degraded: a projection is degraded (see its reason), or webhooks are (see webhooks.reason)"),
  store: z.strictObject({ head: position }),
  projections: z.array(
    z.strictObject({
      name: z.string(),
      version: count,
      ruleVersion: count,
      position,
      lag: count,
      status: z.enum(["ok", "degraded"]),
      reason: z
        .string()
        .optional()
        .describe(
          "only when degraded: behind by more than LEDGER_HEALTH_LAG_MAX_EVENTS, or no progress for LEDGER_HEALTH_STALL_MS while behind",
        ),
    }),
  ),
  webhooks: z
    .strictObject({
      status: z.enum(["ok", "degraded"]),
      reason: z
        .string()
        .optional()
        .describe(
          "only when degraded: endpoints disabled, an endpoint with more than LEDGER_WEBHOOK_BACKLOG_MAX_EVENTS pending, or a delivery pending longer than LEDGER_WEBHOOK_BACKLOG_MAX_AGE_MS; names no endpoint",
        ),
      disabledEndpoints: count.describe("endpoints whose deliveries kept failing past the give-up span (SPEC §11)"),
      backlogEvents: count.describe("deliveries pending at the active endpoints, all together"),
      oldestAgeMs: count.describe("since the event of the oldest pending delivery was recorded; 0 when none is pending"),
      disabled: z
        .array(z.strictObject({ webhookId: z.string(), disabledAt: instant, reason: z.string() }))
        .optional()
        .describe("only for a token with the webhooks scope: the disabled endpoints, when and why"),
      backlog: z
        .array(z.strictObject({ webhookId: z.string(), backlogEvents: count, oldestAgeMs: count }))
        .optional()
        .describe("only for a token with the webhooks scope: each active endpoint with deliveries pending"),
    })
    .describe("webhook deliveries (SPEC §11): counts for everyone; which endpoints, only for the webhooks scope"),
});

// --- the change feed and webhooks (SPEC §11) ---------------------------------------------------

const entryId = z
  .string()
  .regex(/^\d+:\d+$/)
  .describe("{position}:{seq}, stable: receivers de-duplicate on it");

const entryItemSchema = entrySchema.extend({ type: z.literal("posting.created") });
const anomalyItemSchema = anomalySchema.extend({
  type: z.literal("anomaly.recorded"),
  entryId,
  seq: count.describe("after the entries of its position"),
});

export const feedItemSchema = z.discriminatedUnion("type", [entryItemSchema, anomalyItemSchema]);

/** A campaign notification, which the feed does not carry (projections/webhooks/webhookItems.ts). */
const notificationFields = {
  entryId,
  position,
  seq: count.describe("after the entries and anomalies of its position"),
  eventId: z.string(),
  eventType: z.enum(EVENT_TYPES),
  occurredAt: instant,
  campaignId: z.string(),
};

/**
 * The body a webhook receiver gets, per event it subscribed to (SPEC §11): `{entryId, type, data}`,
 * `data` the item as the feed shows it (its own `type` is the feed's), or the notification.
 */
export const webhookBodySchemas: Record<WebhookEvent, z.ZodType> = {
  "posting.created": webhookBody("posting.created", entryItemSchema),
  "payout.issued": webhookBody("payout.issued", entryItemSchema.extend({ kind: z.literal("payout") })),
  "payout.failed": webhookBody("payout.failed", entryItemSchema.extend({ kind: z.literal("payout_failed") })),
  "budget.exhausted": webhookBody(
    "budget.exhausted",
    z
      .strictObject({ type: z.literal("budget.exhausted"), ...notificationFields, exhaustedAt: instant })
      .describe("its figures: GET /v1/campaigns/{campaignId}/budget?asOfPosition={position}"),
  ),
  "campaign.ended": webhookBody("campaign.ended", z.strictObject({ type: z.literal("campaign.ended"), ...notificationFields })),
  "anomaly.recorded": webhookBody("anomaly.recorded", anomalyItemSchema),
};

function webhookBody(type: WebhookEvent, data: z.ZodType) {
  return z.strictObject({ entryId, type: z.literal(type), data });
}

export const feedSchema = z.strictObject({
  asOfPosition,
  items: z.array(feedItemSchema),
  nextAfter: z.string().describe("the cursor to ask with next: after the last item of a full page, else after asOfPosition (poll with it)"),
});

const webhookEvents = z.array(z.enum(WEBHOOK_EVENTS));
const webhookFields = {
  webhookId: z.string(),
  url: z.string(),
  events: webhookEvents,
  status: z.enum(["active", "disabled"]),
  createdAt: instant,
  position: position.describe("position of the registration event"),
  disabledAt: instant.nullable(),
  disabledReason: z.string().nullable(),
  pendingDeliveries: count,
};

export const webhookSchema = z.strictObject({ ...webhookFields, asOfPosition });
export const webhooksSchema = z.strictObject({ asOfPosition, webhooks: z.array(z.strictObject(webhookFields)) });

export const webhookRegisteredSchema = z.strictObject({
  webhookId: z.string(),
  url: z.string(),
  events: webhookEvents,
  status: z.literal("active"),
  createdAt: instant,
  position,
  secret: z.string().describe("the signing secret, shown this once: HMAC-SHA256 key of Ledger-Signature (whole string)"),
});
export const webhookDeletedSchema = z.strictObject({ webhookId: z.string(), deleted: z.literal(true), position });

export const deliveriesSchema = z.strictObject({
  webhookId: z.string(),
  asOfPosition,
  deliveries: z.array(
    z.strictObject({
      entryId,
      position,
      seq: count,
      type: z.enum(WEBHOOK_EVENTS),
      status: z
        .enum(["pending", "delivered", "failed"])
        .describe("failed: the attempt that ran out the give-up span (the endpoint is disabled)"),
      attempts: count,
      firstAttemptAt: instant.nullable(),
      lastAttemptAt: instant.nullable(),
      lastStatusCode: count.nullable(),
      lastError: z.string().nullable(),
      nextAttemptAt: instant.nullable(),
      deliveredAt: instant.nullable(),
      log: z
        .array(
          z.strictObject({ attempt: count, at: instant, durationMs: count, statusCode: count.nullable(), error: z.string().nullable() }),
        )
        .describe("the latest attempts"),
    }),
  ),
  nextAfter: cursorAfter,
});

// --- replay (SPEC §6, §10): the read models' versions and a rebuild's diff, as they are now --------

// projections/versionProgress.ts ShownStatus (the replay routes' answers are checked against it by type).
const versionStatus = z
  .enum(["active", "building", "idle", "stalled", "retired"])
  .describe(
    "active: serving reads; building: a rebuild (replay) not yet promoted whose checkpoint moved within LEDGER_HEALTH_STALL_MS; " +
      "idle: one nobody builds now, at the store's head (built, not promoted); stalled: one nobody builds now, behind the head; retired: replaced by a promotion",
  );
const version = count.min(1);

export const projectionsSchema = z.strictObject({
  head: position.describe("the store's head"),
  projections: z.array(
    z.strictObject({
      name: z.enum(PROJECTION_NAMES),
      versions: z.array(
        z.strictObject({
          version,
          ruleVersion: count,
          status: versionStatus,
          position,
          lag: count.describe("events behind the store's head"),
          createdAt: z.string(),
        }),
      ),
    }),
  ),
});

export const projectionDiffSchema = z.strictObject({
  projection: z.enum(PROJECTION_NAMES),
  version,
  ruleVersion: count,
  status: versionStatus,
  position,
  activeVersion: version,
  activeRuleVersion: count,
  activePosition: position,
  changed: count.describe("changed amounts in the whole diff"),
  changes: z.array(
    z.strictObject({
      marketplace,
      creatorId: z.string().optional(),
      campaignId: z.string().nullable().optional().describe("null: an adjustment without a campaign"),
      account: z.string().optional(),
      currency: z.string().nullable().describe("the marketplace's currency; null for a count (units)"),
      field: z.string().describe("the amount that changed, e.g. standard, spent, earnings, payable, balance"),
      old: money.describe("in the active version (units: a count)"),
      new: money.describe("in this version"),
      difference: money.describe("new − old"),
    }),
  ),
  next: count.nullable().describe("`after` of the next page, null at the end"),
});
