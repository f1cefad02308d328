// The body of POST /v1/payouts/run (SPEC §5): a marketplace and a local date.
import { z } from "zod";
import { parseLocalDate } from "../../domain/calendar.ts";
import { MARKETPLACE_CODES } from "../../domain/marketplaces.ts";

export const payoutRunBody = z.strictObject({
  marketplace: z.enum(MARKETPLACE_CODES, { error: `must be one of ${MARKETPLACE_CODES.join(", ")}` }).describe(`a marketplace code: ${MARKETPLACE_CODES.join(", ")}`),
  asOf: z.string().refine((s) => parseLocalDate(s) !== null, "must be a date YYYY-MM-DD in the years 1970-2999").describe("local date YYYY-MM-DD: pay what is payable on this day"),
});
