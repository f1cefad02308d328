// POST /v1/payouts/run (SPEC §5): one PayoutIssued per creator whose status is `ready`, only once
// the payout projection has caught up with the store, never twice for one creator and date.
// The event is deterministic (id payout:{creatorId}:{marketplace}:{asOf}, occurredAt = start of
// asOf in the marketplace zone), so two racing runs write identical events: the second is a
// duplicate, never a second payout. Each creator is appended on its own, so one creator whose id
// cannot form an event id (or whose payout another run issued with another amount) is reported
// and skipped instead of blocking everyone after it.
import { DateTime } from "luxon";
import type { MarketplaceCode } from "../domain/marketplaces.ts";
import { formatMinor } from "../domain/money.ts";
import { payoutsOfMarketplace } from "../projections/payout/payoutQueries.ts";
import { ingestBatch } from "./ingest.ts";
import type { Ledger } from "./ledger.ts";

export const PAYOUT_CATCH_UP_TIMEOUT_MS = 30_000;

/** A run that cannot be done as asked (an asOf in the future): a 400, nothing issued. */
export class PayoutRunRefused extends Error {}

let running: Promise<unknown> = Promise.resolve();

export async function runPayouts(ledger: Ledger, marketplace: MarketplaceCode, asOf: string, nowMs: number = Date.now()) {
  // Runs in this process take turns; runs in other processes are made safe by the ids.
  const turn = running.then(() => runPayoutsNow(ledger, marketplace, asOf, nowMs));
  running = turn.catch(() => undefined);
  return turn;
}

async function runPayoutsNow(ledger: Ledger, marketplace: MarketplaceCode, asOf: string, nowMs: number) {
  const market = ledger.rules.marketplaces[marketplace];
  const today = DateTime.fromMillis(nowMs, { zone: market.zone }).toISODate()!;
  if (asOf > today) throw new PayoutRunRefused(`asOf ${asOf} is after today (${today} in ${market.zone}): nothing can be paid ahead of time`);
  const head = await ledger.store.head();
  await ledger.waitFor(["payout"], head, PAYOUT_CATCH_UP_TIMEOUT_MS);
  const read = await ledger.reads.payout.active();
  const lines = (await payoutsOfMarketplace(ledger.reads.payout.db, read.prefix, marketplace, asOf, ledger.rules)).filter((l) => l.status === "ready");
  const occurredAt = DateTime.fromISO(asOf, { zone: market.zone }).startOf("day").toISO()!;
  const issued: { payoutId: string; creatorId: string; amount: string }[] = [];
  const skipped: { creatorId: string; reason: string }[] = [];
  let lastPosition = head;
  for (const line of lines) {
    const payoutId = `payout:${line.creatorId}:${marketplace}:${asOf}`;
    const amount = formatMinor(line.payableMinor, market.minorDigits);
    const raw = { id: payoutId, type: "PayoutIssued", schemaVersion: 1, occurredAt, data: { payoutId, creatorId: line.creatorId, marketplace, amount } };
    const result = await ingestBatch(ledger.store, [raw]);
    if (result.kind === "invalid") {
      skipped.push({ creatorId: line.creatorId, reason: result.problems.map((p) => `${p.path} ${p.message}`).join("; ") });
    } else if (result.kind === "conflict") {
      skipped.push({ creatorId: line.creatorId, reason: `${payoutId} was already issued with another amount` });
    } else {
      lastPosition = Math.max(lastPosition, result.lastPosition);
      if (result.appended === 1) issued.push({ payoutId, creatorId: line.creatorId, amount });
    }
  }
  if (skipped.length > 0) ledger.log.warn({ marketplace, asOf, skipped }, "payout run skipped creators");
  return skipped.length > 0 ? { asOfPosition: lastPosition, issued, skipped } : { asOfPosition: lastPosition, issued };
}
