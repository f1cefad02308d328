// A creator's payout accounts (SPEC §4 rule 11, §5 payout), now or as of a position
// (projections/modelRead.ts): now from this projection's tables, as of P from the journal's rows
// folded by the payout fold. Rule 11 itself (status, threshold) is payoutQueries.ts toLine.
import type { ModelRead } from "../modelRead.ts";
import type { Account } from "./fold.ts";
import { payoutAccountsAt } from "./payoutAt.ts";
import { payoutAccountsOf } from "./payoutQueries.ts";

/** A creator's accounts summed as of the local date `asOf`, and the position they are as of. */
export const payoutAccountsRead: ModelRead<{ creatorId: string; asOf: string }, { accounts: Account[]; asOfPosition: number }> = {
  source: (at) => (at === "now" ? "payout" : "journal"),
  read: async (tx, p, { creatorId, asOf }, at, upTo) => ({
    accounts: at === "now" ? await payoutAccountsOf(tx, p, creatorId, asOf) : await payoutAccountsAt(tx, p, creatorId, asOf, upTo),
    asOfPosition: upTo,
  }),
};
