// The body of POST /v1/payouts/run (SPEC §5): a marketplace and a local date.
import { z } from "zod";
import { marketplace } from "../../domain/events/schemas.ts";
import { MARKETPLACE_CODES } from "../../domain/marketplaces.ts";
import { localDate } from "./readRoutes.ts";

export const payoutRunBody = z.strictObject({
  marketplace: marketplace.describe(`a marketplace code: ${MARKETPLACE_CODES.join(", ")}`),
  asOf: localDate.describe("local date YYYY-MM-DD: pay what is payable on this day"),
});
