// POST /v1/trueups (SPEC §14, scope admin): the request body and the answer's schema, for the
// route (services/http/app.ts) and the OpenAPI document. services/trueup.ts does the work.
import { z } from "zod";
import { marketplace } from "../../domain/events/schemas.ts";
import * as L from "../../domain/events/limits.ts";
import { MARKETPLACE_CODES } from "../../domain/marketplaces.ts";
import { earningMonth } from "./readRoutes.ts";

export const trueUpBody = z.strictObject({
  ruleVersion: z
    .number({ error: "must be an integer ≥ 1" })
    .int("must be an integer ≥ 1")
    .min(1, "must be an integer ≥ 1")
    .max(L.RULE_VERSION_MAX)
    .describe("the rule version to recompute standard commission by"),
  marketplace: marketplace.describe(`a marketplace code: ${MARKETPLACE_CODES.join(", ")}`),
  from: earningMonth.describe("first booked month YYYY-MM of the range"),
  to: earningMonth.describe("last booked month YYYY-MM of the range (included)"),
  actor: z
    .string()
    .min(1, "must not be empty")
    .max(L.REF_ID_MAX_CHARS)
    .regex(/^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u, "must be printable text without control characters or surrounding spaces")
    .describe("who applies it (named in each adjustment)"),
  dryRun: z.boolean().describe("true: answer the rows only; false: also append the adjustments"),
});

const money = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .describe("amount with exactly the currency's minor digits");

export const trueUpAnswerSchema = z.strictObject({
  ruleVersion: z.number().int(),
  marketplace: z.enum(MARKETPLACE_CODES),
  currency: z.string(),
  from: z.string(),
  to: z.string(),
  dryRun: z.boolean(),
  asOfPosition: z.number().int().min(0).describe("the journal position the rows are computed at"),
  bookedRuleVersion: z
    .number()
    .int()
    .describe("the rule version the active journal was built with (scheduled versions apply per shipment)"),
  rows: z.array(
    z.strictObject({
      creatorId: z.string(),
      month: z.string().describe("booked month YYYY-MM"),
      booked: money.describe("standard entries and their reversals booked in the month"),
      recomputed: money.describe("the same under the requested rule version"),
      difference: money.describe("recomputed − booked"),
    }),
  ),
  totals: z.strictObject({ booked: money, recomputed: money, difference: money }),
  adjustments: z
    .array(
      z.strictObject({
        id: z.string().describe("trueup:{ruleVersion}:{creatorId}:{marketplace}:{month}"),
        creatorId: z.string(),
        month: z.string(),
        amount: money,
        status: z
          .enum(["appended", "duplicate", "conflict"])
          .describe("appended now; stored before with this amount; or stored before with another amount (history changed since)"),
        storedAmount: money.nullable(),
      }),
    )
    .describe("applying only: one CommissionAdjusted (reason rule_change) per nonzero row"),
  lastPosition: z.number().int().min(0).nullable().describe("the store's last position after the append; null on a dry run"),
});
