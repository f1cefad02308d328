// zod schemas of the wire format (SPEC §2) and of every event payload (SPEC §3).
import { z } from "zod";
import { parseInstant, YEAR_MAX, YEAR_MIN } from "../calendar.ts";
import { MARKETPLACE_CODES, PAYMENT_METHODS, DEFAULT_MARKETPLACES, type MarketplaceCode } from "../marketplaces.ts";
import { Dec, MONEY_MAX, PLAIN_DECIMAL, fractionDigits } from "../money.ts";
import { WEBHOOK_EVENTS } from "../webhooks/webhookEvents.ts";
import * as L from "./limits.ts";

/**
 * Every id, the event's and each reference (creatorId, campaignId, trackingId, asin, ...): the
 * SPEC's id characters only. Anything wider (lone surrogates, U+202E, U+200B, U+FFFF, spaces)
 * could be stored under a name its own URL cannot carry, so it could never be read back.
 */
export const EVENT_ID = /^[A-Za-z0-9._:-]+$/;

export const ADJUSTMENT_REASONS = ["fraud", "chargeback", "goodwill", "correction", "rule_change", "other"] as const;
export const PAYOUT_FAILURE_REASONS = ["account_closed", "invalid_account", "returned", "other"] as const;
export const HOLD_REASONS = ["fraud_review", "compliance", "dispute", "other"] as const;
export const WRITE_OFF_REASONS = ["uncollectible", "goodwill", "other"] as const;
const ID_CHARACTERS = "may contain only A-Z a-z 0-9 . _ : -";

const moneyMessage = 'must be a JSON string in plain decimal notation, e.g. "19.99"';

export const refId = z
  .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a string") })
  .min(1, "must not be empty")
  .max(L.REF_ID_MAX_CHARS, `must be at most ${L.REF_ID_MAX_CHARS} characters`)
  .regex(EVENT_ID, ID_CHARACTERS);

/** A non-negative amount of money as a decimal string (a JSON number is refused, SPEC §2). */
export const money = z
  .string({ error: (iss) => (iss.input === undefined ? "is required" : moneyMessage) })
  .regex(PLAIN_DECIMAL, moneyMessage)
  // zod runs later checks even after a failed regex: each guards on the format itself.
  .refine((s) => !s.startsWith("-"), "must not be negative")
  .refine((s) => !PLAIN_DECIMAL.test(s) || new Dec(s).lte(MONEY_MAX), `must be at most ${MONEY_MAX.toString()}`);

/** A signed, nonzero amount of money (CommissionAdjusted, §8.4): a decrease is negative. */
export const signedMoney = z
  .string({ error: (iss) => (iss.input === undefined ? "is required" : `${moneyMessage}; negative for a decrease`) })
  .regex(PLAIN_DECIMAL, `${moneyMessage}; negative for a decrease`)
  .refine((s) => !PLAIN_DECIMAL.test(s) || !new Dec(s).isZero(), "must not be zero")
  .refine(
    (s) => !PLAIN_DECIMAL.test(s) || new Dec(s).abs().lte(MONEY_MAX),
    `must be between -${MONEY_MAX.toString()} and ${MONEY_MAX.toString()}`,
  );

/** A positive amount of money (BalanceWrittenOff, §12): more than zero. */
export const positiveMoney = money.refine((s) => !PLAIN_DECIMAL.test(s) || !new Dec(s).isZero(), "must be more than zero");

/** Free text a person wrote (a note, who decided): printable, no control characters, trimmed. */
function text(maxChars: number) {
  return z
    .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a string") })
    .min(1, "must not be empty")
    .max(maxChars, `must be at most ${maxChars} characters`)
    .regex(/^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u, "must be printable text without control characters or surrounding spaces");
}

/** A unit price: money with a tighter bound, so quantity × price stays exact in integer minor units. */
export const unitPrice = money.refine(
  (s) => !PLAIN_DECIMAL.test(s) || new Dec(s).lte(L.UNIT_PRICE_MAX),
  `must be at most ${L.UNIT_PRICE_MAX}`,
);

/** A rate: a fraction in [0, 1] as a decimal string. */
export const rate = z
  .string({ error: (iss) => (iss.input === undefined ? "is required" : 'must be a JSON string in plain decimal notation, e.g. "0.10"') })
  .regex(PLAIN_DECIMAL, 'must be a plain decimal string such as "0.10"')
  .refine((s) => !PLAIN_DECIMAL.test(s) || (!s.startsWith("-") && new Dec(s).lte(1)), "must be a fraction in [0, 1]");

export const instant = z
  .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be an ISO-8601 string") })
  .max(40, "must be at most 40 characters")
  .refine(
    (s) => parseInstant(s) !== null,
    "must be an ISO-8601 instant with an offset or Z, e.g. 2026-01-31T23:30:00-08:00, in the years 1970-2999",
  );

/** An http(s) URL (a content link, a webhook endpoint); services/webhooks checks an endpoint's address further. */
const httpUrl = z
  .string()
  .min(1, "must not be empty")
  .max(L.URL_MAX_CHARS)
  .regex(/^https?:\/\/\S+$/i, "must be an http(s) URL");

export const marketplace = z.enum(MARKETPLACE_CODES, { error: `must be one of ${MARKETPLACE_CODES.join(", ")}` });
const quantity = z
  .number({ error: "must be an integer ≥ 1" })
  .int("must be an integer ≥ 1")
  .min(1, "must be an integer ≥ 1")
  .max(L.QUANTITY_MAX, `must be at most ${L.QUANTITY_MAX}`);

const shipmentLine = z.strictObject({
  asin: refId,
  category: z
    .string()
    .min(1, "must not be empty")
    .max(L.CATEGORY_MAX_CHARS)
    .regex(/^[a-z0-9_]+$/, "must be lower-case letters, digits and _"),
  quantity,
  unitPrice,
});

const shipmentFields = {
  shipmentId: refId,
  orderId: refId,
  trackingId: refId,
  orderedAt: instant,
  lines: z.array(shipmentLine).min(1, "must have at least one line").max(L.SHIPMENT_LINES_MAX),
};

/** Budget or payout amounts may not have more fraction digits than the currency. */
function minorDigitsCheck(moneyField: string) {
  return (value: { marketplace: MarketplaceCode } & Record<string, unknown>, ctx: z.RefinementCtx) => {
    const amount = value[moneyField];
    const market = DEFAULT_MARKETPLACES[value.marketplace];
    if (typeof amount === "string" && market && fractionDigits(amount) > market.minorDigits) {
      ctx.addIssue({
        code: "custom",
        path: [moneyField],
        message: `has more fraction digits than ${market.currency} allows (${market.minorDigits})`,
      });
    }
  };
}

const campaignCreatedV1Fields = {
  campaignId: refId,
  brandId: refId,
  marketplace,
  bonusRate: rate,
  budget: money,
  startsAt: instant,
  endsAt: instant,
  asins: z.array(refId).min(1, "must list at least one ASIN").max(L.CAMPAIGN_ASINS_MAX),
};

// Runs even when other fields failed (`when` below), so one pass reports every problem.
const always = { when: () => true };

function campaignPeriodCheck(value: { startsAt: unknown; endsAt: unknown }, ctx: z.RefinementCtx) {
  if (typeof value?.startsAt !== "string" || typeof value?.endsAt !== "string") return;
  const starts = parseInstant(value.startsAt);
  const ends = parseInstant(value.endsAt);
  if (starts !== null && ends !== null && !(starts < ends)) {
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
  }
}

export const campaignCreatedV1 = z
  .strictObject(campaignCreatedV1Fields)
  .superRefine(campaignPeriodCheck, always)
  .superRefine(minorDigitsCheck("budget"));

/**
 * CampaignCreated version 2 (the one real upcasting example): the budget's currency is explicit.
 * Version 1 leaves it implicit in the marketplace; upcast.ts fills it in. The currency must be the
 * marketplace's currency (SPEC §3: "A campaign's currency is its marketplace's currency").
 */
export const campaignCreatedV2 = z
  .strictObject({ ...campaignCreatedV1Fields, currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO-4217 code") })
  .superRefine(campaignPeriodCheck, always)
  .superRefine(minorDigitsCheck("budget"))
  .superRefine((value, ctx) => {
    const expected = DEFAULT_MARKETPLACES[value.marketplace]?.currency;
    if (expected && value.currency !== expected) {
      ctx.addIssue({
        code: "custom",
        path: ["currency"],
        message: `must be ${expected}, the currency of marketplace ${value.marketplace}`,
      });
    }
  });

export const dataSchemas = {
  CampaignCreated: { 1: campaignCreatedV1, 2: campaignCreatedV2 },
  CampaignAccepted: { 1: z.strictObject({ campaignId: refId, creatorId: refId, trackingId: refId }) },
  ContentLinkSubmitted: {
    1: z.strictObject({
      campaignId: refId,
      creatorId: refId,
      url: httpUrl,
      disclosure: z.string({ error: "must be a string (it may be empty)" }).max(L.DISCLOSURE_MAX_CHARS),
    }),
  },
  ClickRecorded: { 1: z.strictObject({ trackingId: refId, asin: refId.optional() }) },
  ShipmentRecorded: { 1: z.strictObject(shipmentFields) },
  SubscribeAndSaveFirstShipment: { 1: z.strictObject({ ...shipmentFields, subscriptionId: refId }) },
  ShipmentReturned: {
    1: z.strictObject({
      shipmentId: refId,
      lines: z
        .array(z.strictObject({ asin: refId, quantity }))
        .min(1, "must have at least one line")
        .max(L.SHIPMENT_LINES_MAX),
    }),
  },
  StrikeIssued: {
    1: z.strictObject({
      creatorId: refId,
      reason: z.enum(["no_content", "missing_disclosure", "other"], { error: "must be one of no_content, missing_disclosure, other" }),
      campaignId: refId.optional(),
    }),
  },
  CampaignEnded: { 1: z.strictObject({ campaignId: refId }) },
  TaxInfoSubmitted: { 1: z.strictObject({ creatorId: refId, marketplace }) },
  PaymentMethodChanged: {
    1: z.strictObject({
      creatorId: refId,
      marketplace,
      method: z.enum(PAYMENT_METHODS, { error: `must be one of ${PAYMENT_METHODS.join(", ")}` }),
    }),
  },
  PayoutIssued: {
    1: z.strictObject({ payoutId: refId, creatorId: refId, marketplace, amount: money }).superRefine(minorDigitsCheck("amount")),
  },
  // SPEC §8.4
  CommissionAdjusted: {
    1: z
      .strictObject({
        creatorId: refId,
        marketplace,
        amount: signedMoney,
        reasonCode: z.enum(ADJUSTMENT_REASONS, { error: `must be one of ${ADJUSTMENT_REASONS.join(", ")}` }),
        note: text(L.NOTE_MAX_CHARS),
        actor: text(L.REF_ID_MAX_CHARS),
        campaignId: refId.optional(),
      })
      .superRefine(minorDigitsCheck("amount")),
  },
  PayoutFailed: {
    1: z.strictObject({
      payoutId: refId,
      reason: z.enum(PAYOUT_FAILURE_REASONS, { error: `must be one of ${PAYOUT_FAILURE_REASONS.join(", ")}` }),
    }),
  },
  // SPEC §9: the currency's digits of a new budget are checked by the engine (the campaign names the marketplace).
  CampaignBudgetChanged: { 1: z.strictObject({ campaignId: refId, budget: money }) },
  CampaignPaused: { 1: z.strictObject({ campaignId: refId }) },
  CampaignResumed: { 1: z.strictObject({ campaignId: refId }) },
  CampaignEndChanged: { 1: z.strictObject({ campaignId: refId, endsAt: instant }) },
  // SPEC §11: a webhook endpoint's registration and deletion (no secret: it is derived, never stored).
  WebhookRegistered: {
    1: z.strictObject({
      webhookId: refId,
      url: httpUrl,
      events: z
        .array(z.enum(WEBHOOK_EVENTS, { error: `must be one of ${WEBHOOK_EVENTS.join(", ")}` }))
        .min(1, "must list at least one event type")
        .max(WEBHOOK_EVENTS.length)
        .refine((events) => new Set(events).size === events.length, "must not list an event type twice"),
    }),
  },
  WebhookDeleted: { 1: z.strictObject({ webhookId: refId }) },
  // SPEC §12: holds (marketplace absent: every marketplace), a creator's own threshold, write-offs.
  PayoutsHeld: {
    1: z.strictObject({
      creatorId: refId,
      marketplace: marketplace.optional(),
      reasonCode: z.enum(HOLD_REASONS, { error: `must be one of ${HOLD_REASONS.join(", ")}` }),
      note: text(L.NOTE_MAX_CHARS),
      actor: text(L.REF_ID_MAX_CHARS),
    }),
  },
  PayoutsReleased: {
    1: z.strictObject({
      creatorId: refId,
      marketplace: marketplace.optional(),
      note: text(L.NOTE_MAX_CHARS),
      actor: text(L.REF_ID_MAX_CHARS),
    }),
  },
  PayoutThresholdSet: {
    1: z.strictObject({ creatorId: refId, marketplace, amount: money.nullable() }).superRefine(minorDigitsCheck("amount")),
  },
  // SPEC §14: a promotion of a rebuilt projection version, appended by `ledger replay --promote`:
  // the log says who changed how history is read, and when. It changes no amount.
  ProjectionPromoted: {
    1: z.strictObject({
      projection: z.string().regex(/^[a-z]{1,32}$/, "must be a projection name"),
      version: z.number({ error: "must be an integer ≥ 1" }).int("must be an integer ≥ 1").min(1, "must be an integer ≥ 1"),
      ruleVersion: z.number({ error: "must be an integer ≥ 1" }).int("must be an integer ≥ 1").min(1, "must be an integer ≥ 1"),
      actor: text(L.REF_ID_MAX_CHARS),
    }),
  },
  // SPEC §13: closes an earning month (and every earlier one) of a marketplace.
  PeriodClosed: {
    1: z.strictObject({
      marketplace,
      month: z
        .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a month YYYY-MM, e.g. 2026-06") })
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM, e.g. 2026-06")
        .refine(
          (m) => Number(m.slice(0, 4)) >= YEAR_MIN && Number(m.slice(0, 4)) <= YEAR_MAX,
          `must be a month of the years ${YEAR_MIN}-${YEAR_MAX}`,
        ),
      actor: text(L.REF_ID_MAX_CHARS),
      note: text(L.NOTE_MAX_CHARS).optional(),
    }),
  },
  BalanceWrittenOff: {
    1: z
      .strictObject({
        creatorId: refId,
        marketplace,
        amount: positiveMoney,
        reasonCode: z.enum(WRITE_OFF_REASONS, { error: `must be one of ${WRITE_OFF_REASONS.join(", ")}` }),
        note: text(L.NOTE_MAX_CHARS),
        actor: text(L.REF_ID_MAX_CHARS),
      })
      .superRefine(minorDigitsCheck("amount")),
  },
  // SPEC §14: from effectiveFrom on, shipments earn standard commission by this rule version.
  RuleVersionScheduled: {
    1: z.strictObject({
      ruleVersion: z
        .number({ error: "must be an integer ≥ 1" })
        .int("must be an integer ≥ 1")
        .min(1, "must be an integer ≥ 1")
        .max(L.RULE_VERSION_MAX, `must be at most ${L.RULE_VERSION_MAX}`),
      effectiveFrom: instant,
      actor: text(L.REF_ID_MAX_CHARS),
      note: text(L.NOTE_MAX_CHARS), // required: SPEC §14 lists `actor, note` (§13's PeriodClosed says `note?`)
    }),
  },
} as const;

export type EventType = keyof typeof dataSchemas;
export const EVENT_TYPES = Object.keys(dataSchemas) as EventType[];

/** Newest schema version of each type: what the engine reads after upcasting. */
export const LATEST_SCHEMA_VERSION: Record<EventType, number> = Object.fromEntries(
  EVENT_TYPES.map((t) => [t, Math.max(...Object.keys(dataSchemas[t]).map(Number))]),
) as Record<EventType, number>;

/**
 * Types only the ledger itself appends (POST /v1/webhooks, scope `webhooks`, after checking the
 * endpoint's address; `ledger replay --promote`): the ingestion paths (HTTP, file, Kafka) refuse
 * them, so a token with the `ingest` scope cannot register an endpoint around those checks, nor
 * write a promotion that did not happen.
 */
export const INTERNAL_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  "WebhookRegistered",
  "WebhookDeleted",
  "ProjectionPromoted",
]);
/** The types upstream systems send (what an unknown type's message lists). */
export const INGESTIBLE_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter((t) => !INTERNAL_EVENT_TYPES.has(t));

export const envelopeSchema = z.strictObject({
  id: z
    .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a string") })
    .min(1, "must not be empty")
    .max(L.EVENT_ID_MAX_CHARS, `must be at most ${L.EVENT_ID_MAX_CHARS} characters`)
    .regex(EVENT_ID, ID_CHARACTERS),
  type: z.enum(EVENT_TYPES as [EventType, ...EventType[]], { error: `must be one of ${INGESTIBLE_EVENT_TYPES.join(", ")}` }),
  schemaVersion: z.number({ error: "must be an integer ≥ 1" }).int("must be an integer ≥ 1").min(1, "must be an integer ≥ 1").optional(),
  occurredAt: instant,
  data: z.unknown().refine((v) => v !== undefined, "is required"),
});

export type CampaignCreatedV1 = z.infer<typeof campaignCreatedV1>;
export type CampaignCreatedData = z.infer<typeof campaignCreatedV2>;
export type CampaignAcceptedData = z.infer<(typeof dataSchemas)["CampaignAccepted"][1]>;
export type ContentLinkSubmittedData = z.infer<(typeof dataSchemas)["ContentLinkSubmitted"][1]>;
export type ClickRecordedData = z.infer<(typeof dataSchemas)["ClickRecorded"][1]>;
export type ShipmentRecordedData = z.infer<(typeof dataSchemas)["ShipmentRecorded"][1]>;
export type SubscribeAndSaveData = z.infer<(typeof dataSchemas)["SubscribeAndSaveFirstShipment"][1]>;
export type ShipmentReturnedData = z.infer<(typeof dataSchemas)["ShipmentReturned"][1]>;
export type StrikeIssuedData = z.infer<(typeof dataSchemas)["StrikeIssued"][1]>;
export type CampaignEndedData = z.infer<(typeof dataSchemas)["CampaignEnded"][1]>;
export type TaxInfoSubmittedData = z.infer<(typeof dataSchemas)["TaxInfoSubmitted"][1]>;
export type PaymentMethodChangedData = z.infer<(typeof dataSchemas)["PaymentMethodChanged"][1]>;
export type PayoutIssuedData = z.infer<(typeof dataSchemas)["PayoutIssued"][1]>;
export type CommissionAdjustedData = z.infer<(typeof dataSchemas)["CommissionAdjusted"][1]>;
export type PayoutFailedData = z.infer<(typeof dataSchemas)["PayoutFailed"][1]>;
export type CampaignBudgetChangedData = z.infer<(typeof dataSchemas)["CampaignBudgetChanged"][1]>;
export type CampaignPausedData = z.infer<(typeof dataSchemas)["CampaignPaused"][1]>;
export type CampaignResumedData = z.infer<(typeof dataSchemas)["CampaignResumed"][1]>;
export type CampaignEndChangedData = z.infer<(typeof dataSchemas)["CampaignEndChanged"][1]>;
export type WebhookRegisteredData = z.infer<(typeof dataSchemas)["WebhookRegistered"][1]>;
export type WebhookDeletedData = z.infer<(typeof dataSchemas)["WebhookDeleted"][1]>;
export type PayoutsHeldData = z.infer<(typeof dataSchemas)["PayoutsHeld"][1]>;
export type PayoutsReleasedData = z.infer<(typeof dataSchemas)["PayoutsReleased"][1]>;
export type PayoutThresholdSetData = z.infer<(typeof dataSchemas)["PayoutThresholdSet"][1]>;
export type BalanceWrittenOffData = z.infer<(typeof dataSchemas)["BalanceWrittenOff"][1]>;
export type PeriodClosedData = z.infer<(typeof dataSchemas)["PeriodClosed"][1]>;
export type RuleVersionScheduledData = z.infer<(typeof dataSchemas)["RuleVersionScheduled"][1]>;
export type ProjectionPromotedData = z.infer<(typeof dataSchemas)["ProjectionPromoted"][1]>;
export type ShipmentLine = ShipmentRecordedData["lines"][number];

/** Payload of each type at its newest schema version. */
export interface EventDataMap {
  CampaignCreated: CampaignCreatedData;
  CampaignAccepted: CampaignAcceptedData;
  ContentLinkSubmitted: ContentLinkSubmittedData;
  ClickRecorded: ClickRecordedData;
  ShipmentRecorded: ShipmentRecordedData;
  SubscribeAndSaveFirstShipment: SubscribeAndSaveData;
  ShipmentReturned: ShipmentReturnedData;
  StrikeIssued: StrikeIssuedData;
  CampaignEnded: CampaignEndedData;
  TaxInfoSubmitted: TaxInfoSubmittedData;
  PaymentMethodChanged: PaymentMethodChangedData;
  PayoutIssued: PayoutIssuedData;
  CommissionAdjusted: CommissionAdjustedData;
  PayoutFailed: PayoutFailedData;
  CampaignBudgetChanged: CampaignBudgetChangedData;
  CampaignPaused: CampaignPausedData;
  CampaignResumed: CampaignResumedData;
  CampaignEndChanged: CampaignEndChangedData;
  WebhookRegistered: WebhookRegisteredData;
  WebhookDeleted: WebhookDeletedData;
  PayoutsHeld: PayoutsHeldData;
  PayoutsReleased: PayoutsReleasedData;
  PayoutThresholdSet: PayoutThresholdSetData;
  BalanceWrittenOff: BalanceWrittenOffData;
  PeriodClosed: PeriodClosedData;
  ProjectionPromoted: ProjectionPromotedData;
  RuleVersionScheduled: RuleVersionScheduledData;
}

// --- Canonical content keys (SPEC §2 idempotency), derived from the schemas above -------------

const DECIMAL_SCHEMAS: ReadonlySet<z.ZodType> = new Set<z.ZodType>([money, unitPrice, rate, signedMoney, positiveMoney]);
const INSTANT_SCHEMAS: ReadonlySet<z.ZodType> = new Set<z.ZodType>([instant]);

/**
 * The payload keys whose values compare by value (decimals: "10.0" = "10.00") and by instant
 * ("…Z" = "…-08:00"), found by walking every payload schema. A key name must mean one thing in
 * every schema; a new field of either kind is picked up without a list to keep by hand.
 */
export function canonicalKeys(): { decimals: ReadonlySet<string>; instants: ReadonlySet<string> } {
  const decimals = new Set<string>();
  const instants = new Set<string>();
  const plain = new Set<string>();
  const visit = (schema: z.ZodType, key: string | null): void => {
    if (DECIMAL_SCHEMAS.has(schema) || INSTANT_SCHEMAS.has(schema)) {
      if (key === null) throw new Error("canonicalKeys(): a decimal or instant outside an object");
      (DECIMAL_SCHEMAS.has(schema) ? decimals : instants).add(key);
      return;
    }
    if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return visit(schema.unwrap() as z.ZodType, key);
    if (schema instanceof z.ZodArray) return visit(schema.element as z.ZodType, key);
    if (schema instanceof z.ZodObject) {
      for (const [k, child] of Object.entries(schema.shape)) visit(child as z.ZodType, k);
      return;
    }
    if (key !== null) plain.add(key);
  };
  for (const type of EVENT_TYPES) for (const schema of Object.values(dataSchemas[type] as Record<string, z.ZodType>)) visit(schema, null);
  for (const key of decimals)
    if (instants.has(key) || plain.has(key)) throw new Error(`canonicalKeys(): '${key}' is a decimal in one payload and not in another`);
  for (const key of instants)
    if (plain.has(key)) throw new Error(`canonicalKeys(): '${key}' is an instant in one payload and not in another`);
  return { decimals, instants };
}
