// POST /v1/payouts/run (SPEC §5): one PayoutIssued per creator whose status is `ready`, only once
// the payout projection has caught up with the store, never twice for one balance.
//
// Why a payout is decided against the store, not only against the read model: two processes
// (the API beside a projector process, or `ledger payouts run`) may run at once, for the same date
// or different ones. Each creator's payouts in a marketplace form one stream
// (payoutStreamId); a run reads that stream's revision, checks that the payout projection has
// applied every event of it, decides from the projection, and appends with that expected revision.
// If another run paid meanwhile, the store refuses the append (nothing is written) and this run
// waits for the projection to apply the other payout, then decides again: the creator is paid once.
//
// Holds (SPEC §12) are in a stream of their own per creator (holds-{creatorId}: a hold of every
// marketplace is one event, not one per payout stream). The run also expects the revision of that
// stream it decided on: every store checks each expected revision under its single-writer lock
// (SQLite: BEGIN IMMEDIATE; PostgreSQL: the head row FOR UPDATE; KurrentDB: the log stream's own
// expected revision), also of a stream the batch does not append to (tests/int/eventStoreContract.ts),
// so a hold stored between the decision and the append refuses the append and the creator is decided
// again, on_hold. Re-reading the holds stream after the append instead would not do: the payout
// would be stored already. A threshold or a write-off moves the payout stream itself.
//
// The event is deterministic (id payout:{creatorId}:{marketplace}:{asOf}, occurredAt = start of
// asOf in the marketplace zone), so a retried request writes an identical event. A second payout
// for the same creator and date (the first one failed, or new earnings became payable) gets the
// suffix :2, :3, … Each creator is appended on its own, so one that cannot be paid (an id that cannot
// form an event id) is reported and skipped instead of blocking everyone after it.
import { DateTime } from "luxon";
import { assertNever } from "../domain/assert.ts";
import { holdsStreamId, payoutStreamId } from "../domain/events/streams.ts";
import type { MarketplaceCode } from "../domain/marketplaces.ts";
import { NOT_PAID_REASONS, type NotPaidReason } from "../domain/payout.ts";
import { formatMinor } from "../domain/money.ts";
import type { StoredEvent } from "../domain/events/envelope.ts";
import { payoutsOfMarketplace, type PayoutLine } from "../projections/payout/payoutQueries.ts";
import { ingestBatch } from "./ingest/ingest.ts";
import type { Ledger } from "./ledger.ts";
import { expectedRevision, readWholeStream } from "./ingest/streamHead.ts";

export const PAYOUT_CATCH_UP_TIMEOUT_MS = 30_000;
/** Passes over the creators whose payout stream moved under this run before it gives up on them. */
export const PAYOUT_DECIDE_ROUNDS_MAX = 10;

/** A run that cannot be done as asked (an asOf in the future): a 400, nothing issued. */
export class PayoutRunRefused extends Error {}

let running: Promise<unknown> = Promise.resolve();

export async function runPayouts(ledger: Ledger, marketplace: MarketplaceCode, asOf: string, nowMs: number = Date.now()) {
  // Runs in this process take turns (no wasted conflicts); runs in other processes are made safe by
  // the expected revision of each creator's payout stream.
  const turn = running.then(() => runPayoutsNow(ledger, marketplace, asOf, nowMs));
  running = turn.catch(() => undefined);
  return turn;
}

/** The first of payout:{c}:{m}:{asOf}, …:2, …:3 that this creator's payout stream does not hold yet. */
function nextPayoutId(base: string, stream: readonly StoredEvent[]): string {
  const taken = new Set(stream.map((e) => (e.data as { payoutId: string }).payoutId));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}:${n}`)) return `${base}:${n}`;
}

type Decision =
  | { kind: "issued"; payoutId: string; amount: string; position: number }
  | { kind: "already"; position: number }
  | { kind: "again" }
  | { kind: "skipped"; reason: string };

async function runPayoutsNow(ledger: Ledger, marketplace: MarketplaceCode, asOf: string, nowMs: number) {
  const market = ledger.rules.marketplaces[marketplace];
  const today = DateTime.fromMillis(nowMs, { zone: market.zone }).toISODate()!;
  if (asOf > today)
    throw new PayoutRunRefused(`asOf ${asOf} is after today (${today} in ${market.zone}): nothing can be paid ahead of time`);
  const occurredAt = DateTime.fromISO(asOf, { zone: market.zone }).startOf("day").toISO()!;
  const issued: { payoutId: string; creatorId: string; marketplace: MarketplaceCode; currency: string; amount: string }[] = [];
  const skipped: { creatorId: string; reason: string }[] = [];
  /** Each creator of the marketplace this run did not pay, with why (the last round's word). */
  const notPaid = new Map<string, NotPaidReason>();
  let lastPosition = await ledger.store.head();
  /** null: every creator of the marketplace; else only these (their payout stream moved under us). */
  let only: Set<string> | null = null;

  for (let round = 0; round < PAYOUT_DECIDE_ROUNDS_MAX && (only === null || only.size > 0); round += 1) {
    const head = await ledger.store.head();
    await ledger.waitFor(["payout"], head, PAYOUT_CATCH_UP_TIMEOUT_MS);
    const { lines, position } = await ledger.reads.payout.read(async (tx, a) => ({
      lines: await payoutsOfMarketplace(tx, a.prefix, marketplace, asOf, ledger.rules),
      position: a.position,
    }));
    const again = new Set<string>();
    for (const line of lines) {
      if (only !== null && !only.has(line.creatorId)) continue;
      notPaid.delete(line.creatorId);
      if (line.status !== "ready") {
        notPaid.set(line.creatorId, line.status);
        continue;
      }
      const decision = await decide(ledger, line, asOf, occurredAt, position);
      switch (decision.kind) {
        case "issued":
          issued.push({
            payoutId: decision.payoutId,
            creatorId: line.creatorId,
            marketplace,
            currency: market.currency,
            amount: decision.amount,
          });
          lastPosition = Math.max(lastPosition, decision.position);
          break;
        case "already":
          notPaid.set(line.creatorId, "paid_by_another_run");
          lastPosition = Math.max(lastPosition, decision.position);
          break;
        case "again":
          again.add(line.creatorId);
          break;
        case "skipped":
          notPaid.set(line.creatorId, "skipped");
          skipped.push({ creatorId: line.creatorId, reason: decision.reason });
          break;
        default:
          assertNever(decision, "payout decision");
      }
    }
    only = again;
  }
  for (const creatorId of only ?? []) {
    notPaid.set(creatorId, "skipped");
    skipped.push({ creatorId, reason: `its payouts kept changing under this run (${PAYOUT_DECIDE_ROUNDS_MAX} attempts); run again` });
  }
  if (skipped.length > 0) ledger.log.warn({ marketplace, asOf, skipped }, "payout run skipped creators");
  const counts = Object.fromEntries(NOT_PAID_REASONS.map((reason) => [reason, 0])) as Record<NotPaidReason, number>;
  for (const reason of notPaid.values()) counts[reason] += 1;
  const answer = { asOfPosition: lastPosition, marketplace, currency: market.currency, asOf, issued, notPaid: counts };
  return skipped.length > 0 ? { ...answer, skipped } : answer;
}

/** Pays one ready creator against the revisions of its payout stream and its holds stream the projection has applied. */
async function decide(ledger: Ledger, line: PayoutLine, asOf: string, occurredAt: string, projectedPosition: number): Promise<Decision> {
  const streamId = payoutStreamId(line.creatorId, line.marketplace);
  const holdsId = holdsStreamId(line.creatorId);
  const stream = await readWholeStream(ledger.store, streamId);
  const revision = expectedRevision(stream, projectedPosition);
  const holdsRevision = expectedRevision(await readWholeStream(ledger.store, holdsId), projectedPosition);
  // A payout, threshold, write-off or hold the projection has not applied yet: the status read from it is stale.
  if (revision === null || holdsRevision === null) return { kind: "again" };
  const payoutId = nextPayoutId(`payout:${line.creatorId}:${line.marketplace}:${asOf}`, stream);
  const amount = formatMinor(line.payableMinor, ledger.rules.marketplaces[line.marketplace].minorDigits);
  const raw = {
    id: payoutId,
    type: "PayoutIssued",
    schemaVersion: 1,
    occurredAt,
    data: { payoutId, creatorId: line.creatorId, marketplace: line.marketplace, amount },
  };
  const result = await ingestBatch(ledger.store, [raw], { expectedRevisions: { [streamId]: revision, [holdsId]: holdsRevision } });
  switch (result.kind) {
    case "appended":
      // A duplicate: this very payout is stored already (a legacy store's payout outside the stream).
      return result.appended === 1
        ? { kind: "issued", payoutId, amount, position: result.lastPosition }
        : { kind: "already", position: result.lastPosition };
    case "stale":
      return { kind: "again" };
    case "invalid":
      return { kind: "skipped", reason: result.problems.map((p) => `${p.path} ${p.message}`).join("; ") };
    case "conflict":
      return { kind: "skipped", reason: `${payoutId} was already issued with another amount` };
    default:
      return assertNever(result, "ingest result");
  }
}
