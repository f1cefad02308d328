// The payout read model's reads (SPEC §4 rule 11, §5 payout, §12 holds), now or as of a position
// (projections/modelRead.ts): now from this projection's tables, as of P from the journal's rows
// folded by the payout fold. Rule 11 itself (status, threshold) is payoutQueries.ts toLine.
import type { MarketplaceCode } from "../../domain/marketplaces.ts";
import type { ModelRead } from "../modelRead.ts";
import { covers, type Account, type PayoutDate, type StandingHold } from "./fold.ts";
import { payoutAccountsAt, standingHoldsAt } from "./payoutAt.ts";
import { holdsNow, payoutAccountsOf } from "./payoutQueries.ts";

/** A creator's accounts summed as of the local date `asOf`, and the position they are as of. */
export const payoutAccountsRead: ModelRead<{ creatorId: string; asOf: PayoutDate }, { accounts: Account[]; asOfPosition: number }> = {
  source: (at) => (at === "now" ? "payout" : "journal"),
  read: async (tx, p, { creatorId, asOf }, at, upTo) => ({
    accounts: at === "now" ? await payoutAccountsOf(tx, p, creatorId, asOf) : await payoutAccountsAt(tx, p, creatorId, asOf, upTo),
    asOfPosition: upTo,
  }),
};

/**
 * §12 GET /v1/holds: every hold standing (that holds its creator in `marketplace`, when given), in
 * answer order, each with its creator's accounts summed as of `asOf`; one snapshot for all of them.
 */
export const holdsRead: ModelRead<
  { marketplace: MarketplaceCode | null; asOf: PayoutDate },
  { holds: { hold: StandingHold; accounts: Account[] }[]; asOfPosition: number }
> = {
  source: (at) => (at === "now" ? "payout" : "journal"),
  read: async (tx, p, { marketplace, asOf }, at, upTo) => {
    const standing = at === "now" ? await holdsNow(tx, p) : await standingHoldsAt(tx, p, upTo);
    const holds = [];
    const accountsOf = new Map<string, Account[]>(); // a creator may stand under two holds (all, and one marketplace)
    for (const hold of standing.filter((h) => marketplace === null || covers(h, marketplace))) {
      let accounts = accountsOf.get(hold.creatorId);
      if (accounts === undefined) {
        accounts = (await payoutAccountsRead.read(tx, p, { creatorId: hold.creatorId, asOf }, at, upTo)).accounts;
        accountsOf.set(hold.creatorId, accounts);
      }
      holds.push({ hold, accounts });
    }
    return { holds, asOfPosition: upTo };
  },
};
