// What finance decides about paying a creator (SPEC §12): holds per scope, the creator's own
// threshold, and write-offs of what a creator owes. Holds and thresholds are facts for the payout
// read model (rule 11 reads them); a write-off is a posting from program:{m}:writeoffs to the
// creator's earned account, never more than the debt that account shows when it is applied.
import { earningMonth } from "../calendar.ts";
import type { MarketplaceCode } from "../marketplaces.ts";
import { Dec, formatMinor, toMinor } from "../money.ts";
import { accountAmount, OutcomeBuilder, type Ev } from "./outcomeBuilder.ts";
import { ALL_MARKETPLACES, earnedKey, type EngineState } from "./state.ts";

function scopeOf(marketplace: MarketplaceCode | undefined): string {
  return marketplace ?? ALL_MARKETPLACES;
}

function scopeText(marketplace: MarketplaceCode | undefined): string {
  return marketplace === undefined ? "every marketplace" : marketplace;
}

/** Whether a creator is held in `marketplace`: by a hold of it, or of every marketplace. */
export function heldIn(state: EngineState, creatorId: string, marketplace: MarketplaceCode): boolean {
  const scopes = state.holds.get(creatorId);
  return scopes !== undefined && (scopes.has(marketplace) || scopes.has(ALL_MARKETPLACES));
}

/** §12: from this event on, the creator is held in the scope; a scope already held is `invalid_state`. */
export function payoutsHeld(state: EngineState, event: Ev<"PayoutsHeld">, out: OutcomeBuilder): void {
  const { creatorId, marketplace, reasonCode, note, actor } = event.data;
  const scopes = state.holds.get(creatorId) ?? new Set<string>();
  const scope = scopeOf(marketplace);
  if (scopes.has(scope)) {
    return out.anomaly("invalid_state", `${creatorId} is already held in ${scopeText(marketplace)}; this hold changes nothing`, creatorId);
  }
  scopes.add(scope);
  state.holds.set(creatorId, scopes);
  out.fact({ kind: "hold", creatorId, marketplace: marketplace ?? null, reasonCode, note, actor, since: event.occurredAt });
}

/** §12: ends the hold of the same scope (absent: the every-marketplace hold); none: `invalid_state`. */
export function payoutsReleased(state: EngineState, event: Ev<"PayoutsReleased">, out: OutcomeBuilder): void {
  const { creatorId, marketplace, note, actor } = event.data;
  const scopes = state.holds.get(creatorId);
  if (!scopes?.delete(scopeOf(marketplace))) {
    return out.anomaly("invalid_state", `${creatorId} is not held in ${scopeText(marketplace)}; this release changes nothing`, creatorId);
  }
  if (scopes.size === 0) state.holds.delete(creatorId);
  out.fact({ kind: "release", creatorId, marketplace: marketplace ?? null, note, actor });
}

/** §12: the creator's own minimum in a marketplace (null removes it); rule 11 takes max(method's, this). */
export function payoutThresholdSet(event: Ev<"PayoutThresholdSet">, out: OutcomeBuilder): void {
  const { creatorId, marketplace, amount } = event.data;
  const digits = out.rules.marketplaces[marketplace].minorDigits;
  out.fact({ kind: "threshold", creatorId, marketplace, amountMinor: amount === null ? null : toMinor(new Dec(amount), digits) });
}

/**
 * §12: a write-off of at most the debt (the negative balance of creator:{K}:{m}:earned) moves the
 * amount from program:{m}:writeoffs to that account, counted as `adjusted` in the month it occurs;
 * more than the debt (or no debt) is `exceeds_receivable` and books nothing.
 */
export function balanceWrittenOff(state: EngineState, event: Ev<"BalanceWrittenOff">, out: OutcomeBuilder): void {
  const { creatorId, marketplace, amount, reasonCode, note, actor } = event.data;
  const market = out.rules.marketplaces[marketplace];
  const amountMinor = toMinor(new Dec(amount), market.minorDigits);
  const debtMinor = -(state.earnedMinor.get(earnedKey(creatorId, marketplace)) ?? 0n);
  if (BigInt(amountMinor) > debtMinor) {
    const owes = debtMinor > 0n ? `owes ${formatMinor(debtMinor, market.minorDigits)}` : "owes nothing";
    return out.anomaly(
      "exceeds_receivable",
      `write-off of ${amount} ${market.currency} for ${creatorId} in ${marketplace}, who ${owes}; nothing is booked`,
      creatorId,
    );
  }
  out.post(
    { creatorId, campaignId: null, marketplace, currency: market.currency, shipmentId: null, orderId: null },
    // Not campaign activity: not in the daily report.
    accountAmount("writeoff", amountMinor, earningMonth(event.occurredAtMs, market.zone), `${reasonCode} by ${actor}: ${note}`),
  );
}
