// SPEC §14 true-ups: a rule change for the past (or a fixed calculation) applied as adjustments in
// the open period, never by rewriting booked months. Per creator and booked month of a marketplace
// in [from, to] that has standard entries, the journal's booked standard commission (standard entries
// and their reversals) is compared with what the same engine computes when every shipment is taken
// by rule version N (`applyEvent(…, "ignore")`: schedules ignored, each reversal recomputed by rule 8
// from the recomputed line, in the same booked month because closes are folded alike). The dry run
// answers the rows; applying appends one CommissionAdjusted (reason rule_change) per nonzero row
// under the id trueup:{N}:{creatorId}:{m}:{month}.
//
// Re-running: an id already stored is not appended again. Its status says whether the stored amount
// is this row's difference (`duplicate`) or not (`conflict`: history in the range changed since the
// first true-up, e.g. a late return; amount − storedAmount is left, and since the id is fixed per
// version, creator and month, it is booked by a CommissionAdjusted of the operator's own). Adjustments book in the month of their occurredAt, or the first open month (§13), so closed
// periods stay as they were.
//
// The recomputation folds the log from position 1 to the journal's position, its shipments on disk
// (the engine snapshot file, a group of its own removed at the end), so memory stays bounded.
import { randomUUID } from "node:crypto";
import { applyEvent } from "../domain/engine/engine.ts";
import { toCurrentEvent } from "../domain/events/current.ts";
import { BATCH_EVENTS_MAX, EVENT_ID_MAX_CHARS } from "../domain/events/limits.ts";
import { validateBatch, type BatchValidation } from "../domain/events/validate.ts";
import { DEFAULT_MARKETPLACES, type MarketplaceCode } from "../domain/marketplaces.ts";
import { Dec, formatMinor } from "../domain/money.ts";
import { KNOWN_RULE_VERSIONS, type RuleVersion } from "../domain/rules.ts";
import { READ_PAGE_MAX } from "../infra/eventStore/port.ts";
import { ingestValidated } from "./ingest/ingest.ts";
import type { Ledger } from "./ledger.ts";
import { openSnapshots } from "./ledgerFiles.ts";
import { Reads } from "./reads/reads.ts";

/** How long a true-up waits for the journal to apply what the store holds. */
export const TRUEUP_CATCH_UP_TIMEOUT_MS = 30_000;
/** Rows a true-up answers at most (creators × months): a wider range is refused, to be split. */
export const TRUEUP_ROWS_MAX = 100_000;
/** Events folded between two saves of the recomputation's shipments to disk. */
const SAVE_EVERY_EVENTS = 25_000;

/** A true-up that cannot be done as asked (an unknown rule version, a range the wrong way round): a 400. */
export class TrueUpRefused extends Error {}

/** Another process appended one of this true-up's ids with other content meanwhile: a 409, nothing appended by this batch. */
export class TrueUpConflict extends Error {}

export interface TrueUpRequest {
  ruleVersion: number;
  marketplace: MarketplaceCode;
  /** Booked months YYYY-MM, both included. */
  from: string;
  to: string;
  actor: string;
  dryRun: boolean;
}

export interface TrueUpRow {
  creatorId: string;
  month: string;
  booked: string;
  recomputed: string;
  difference: string;
}

export type AdjustmentStatus = "appended" | "duplicate" | "conflict";

export interface TrueUpAdjustment {
  id: string;
  creatorId: string;
  month: string;
  amount: string;
  status: AdjustmentStatus;
  /** The amount stored under the id when it was there already (`duplicate`: equal; `conflict`: not). */
  storedAmount: string | null;
}

export interface TrueUpAnswer {
  ruleVersion: number;
  marketplace: MarketplaceCode;
  currency: string;
  from: string;
  to: string;
  dryRun: boolean;
  /** The journal position the rows are computed at (the recomputation folded events 1..P). */
  asOfPosition: number;
  /** The rule version the active journal was built with (lane base; scheduled versions apply per shipment). */
  bookedRuleVersion: number;
  rows: TrueUpRow[];
  totals: { booked: string; recomputed: string; difference: string };
  /** Applying only: one per nonzero row, in row order. */
  adjustments: TrueUpAdjustment[];
  /** Applying only: the store's last position after the append (null on a dry run). */
  lastPosition: number | null;
}

export function trueUpId(ruleVersion: number, creatorId: string, marketplace: MarketplaceCode, month: string): string {
  return `trueup:${ruleVersion}:${creatorId}:${marketplace}:${month}`;
}

function rulesOf(version: number): RuleVersion {
  const rules = KNOWN_RULE_VERSIONS[version];
  if (rules === undefined) {
    throw new TrueUpRefused(`rule version ${version} is not known to this ledger (known: ${Object.keys(KNOWN_RULE_VERSIONS).join(", ")})`);
  }
  return rules;
}

const monthKey = (creatorId: string, month: string) => `${creatorId}\u0000${month}`;

/**
 * Folds events 1..upTo with every shipment taken by `rules`, summing the standard entries and their
 * reversals per creator and booked month of the range.
 */
async function recomputedStandard(
  ledger: Ledger,
  rules: RuleVersion,
  request: Pick<TrueUpRequest, "marketplace" | "from" | "to">,
  upTo: number,
  onProgress?: (position: number, upTo: number) => void,
): Promise<Map<string, bigint>> {
  const sums = new Map<string, bigint>();
  const snapshots = openSnapshots(ledger.config, ledger.store, ledger.log);
  const group = `trueup-${randomUUID()}`;
  try {
    const state = await snapshots.fresh(group, rules.version);
    let after = 0;
    let sinceSave = 0;
    while (after < upTo) {
      const page = await ledger.store.readForward(after, Math.min(READ_PAGE_MAX, upTo - after));
      if (page.length === 0) break;
      for (const event of page) {
        for (const p of applyEvent(state, rules, toCurrentEvent(event), "ignore").postings) {
          if (p.kind !== "standard" && p.kind !== "standard_reversal") continue;
          if (p.marketplace !== request.marketplace || p.creatorId === null || p.earningMonth === null) continue;
          if (p.earningMonth < request.from || p.earningMonth > request.to) continue;
          const key = monthKey(p.creatorId, p.earningMonth);
          sums.set(key, (sums.get(key) ?? 0n) + BigInt(p.amountMinor));
        }
      }
      after = page[page.length - 1]!.position;
      sinceSave += page.length;
      if (sinceSave >= SAVE_EVERY_EVENTS) {
        await snapshots.save(group, rules.version, state); // writes the shipments out: memory stays bounded
        sinceSave = 0;
      }
      onProgress?.(after, upTo);
      await new Promise((resolve) => setImmediate(resolve)); // a server answers other requests meanwhile
    }
  } finally {
    await snapshots.remove(group);
    await snapshots.close();
  }
  return sums;
}

/** True-ups in this process take turns: each folds the whole log, and two applying at once would race on their ids. */
let running: Promise<unknown> = Promise.resolve();

/** The dry run's rows, or (dryRun false) the rows and the adjustments appended for them. */
export function trueUp(
  ledger: Ledger,
  request: TrueUpRequest,
  options: { nowMs?: number; onProgress?: (position: number, upTo: number) => void } = {},
): Promise<TrueUpAnswer> {
  const turn = running.then(() => trueUpNow(ledger, request, options));
  running = turn.catch(() => undefined);
  return turn;
}

async function trueUpNow(
  ledger: Ledger,
  request: TrueUpRequest,
  options: { nowMs?: number; onProgress?: (position: number, upTo: number) => void },
): Promise<TrueUpAnswer> {
  const rules = rulesOf(request.ruleVersion);
  if (request.from > request.to) throw new TrueUpRefused(`from ${request.from} is after to ${request.to}`);
  const { currency, minorDigits } = DEFAULT_MARKETPLACES[request.marketplace];
  const money = (amountMinor: bigint) => formatMinor(amountMinor, minorDigits);

  await ledger.waitFor(["journal"], await ledger.store.head(), TRUEUP_CATCH_UP_TIMEOUT_MS);
  const booked = await new Reads(ledger).bookedStandard(request);
  if (booked.rows.length > TRUEUP_ROWS_MAX) {
    throw new TrueUpRefused(`${booked.rows.length} rows are more than a true-up answers (${TRUEUP_ROWS_MAX}): split the month range`);
  }
  const recomputed = await recomputedStandard(ledger, rules, request, booked.asOfPosition, options.onProgress);

  const totals = { booked: 0n, recomputed: 0n, difference: 0n };
  const rows: (TrueUpRow & { differenceMinor: bigint })[] = booked.rows.map((row) => {
    const recomputedMinor = recomputed.get(monthKey(row.creatorId, row.month)) ?? 0n;
    const differenceMinor = recomputedMinor - row.bookedMinor;
    totals.booked += row.bookedMinor;
    totals.recomputed += recomputedMinor;
    totals.difference += differenceMinor;
    return {
      creatorId: row.creatorId,
      month: row.month,
      booked: money(row.bookedMinor),
      recomputed: money(recomputedMinor),
      difference: money(differenceMinor),
      differenceMinor,
    };
  });
  const answer: TrueUpAnswer = {
    ruleVersion: request.ruleVersion,
    marketplace: request.marketplace,
    currency,
    from: request.from,
    to: request.to,
    dryRun: request.dryRun,
    asOfPosition: booked.asOfPosition,
    bookedRuleVersion: booked.ruleVersion,
    rows: rows.map(({ differenceMinor: _, ...row }) => row),
    totals: { booked: money(totals.booked), recomputed: money(totals.recomputed), difference: money(totals.difference) },
    adjustments: [],
    lastPosition: null,
  };
  if (request.dryRun) return answer;

  const occurredAt = new Date(options.nowMs ?? Date.now()).toISOString();
  // One adjustment per nonzero row, under the id SPEC §14 fixes.
  const nonzero = rows
    .filter((row) => row.differenceMinor !== 0n)
    .map((row) => ({ row, id: trueUpId(request.ruleVersion, row.creatorId, request.marketplace, row.month) }));
  // A creator id of more than 108 characters makes that id longer than an event id may be.
  const tooLong = nonzero.filter(({ id }) => id.length > EVENT_ID_MAX_CHARS).map(({ row }) => row);
  if (tooLong.length > 0) {
    throw new TrueUpRefused(
      `the true-up id trueup:{N}:{creatorId}:{m}:{month} would be longer than ${EVENT_ID_MAX_CHARS} characters for ${tooLong.length} row(s) ` +
        `(creator ${tooLong[0]!.creatorId.slice(0, 40)}…, ${tooLong[0]!.month}); nothing was appended: book those with a CommissionAdjusted of your own`,
    );
  }
  const toAppend: unknown[] = [];
  for (const { row, id } of nonzero) {
    const stored = await ledger.store.readById(id);
    const storedAmount = stored === null ? null : String((stored.data as { amount?: unknown }).amount);
    const status: AdjustmentStatus =
      storedAmount === null ? "appended" : new Dec(storedAmount).eq(new Dec(row.difference)) ? "duplicate" : "conflict";
    answer.adjustments.push({ id, creatorId: row.creatorId, month: row.month, amount: row.difference, status, storedAmount });
    if (status !== "appended") continue;
    toAppend.push({
      id,
      type: "CommissionAdjusted",
      occurredAt,
      data: {
        creatorId: row.creatorId,
        marketplace: request.marketplace,
        amount: row.difference,
        reasonCode: "rule_change",
        note: `true-up to rule version ${request.ruleVersion} of ${row.month}: booked ${row.booked}, recomputed ${row.recomputed}`,
        actor: request.actor,
      },
    });
  }
  // Every batch is validated before the first is appended: a refusal leaves nothing half done.
  const batches: BatchValidation[] = [];
  for (let start = 0; start < toAppend.length; start += BATCH_EVENTS_MAX) {
    const validation = validateBatch(toAppend.slice(start, start + BATCH_EVENTS_MAX));
    if (!validation.ok) throw new TrueUpRefused(`a true-up adjustment is not a valid event: ${JSON.stringify(validation.problems[0])}`);
    batches.push(validation);
  }
  let lastPosition = await ledger.store.head();
  for (const validation of batches) {
    const result = await ingestValidated(ledger.store, validation);
    if (result.kind === "conflict") {
      throw new TrueUpConflict(
        `${result.eventId} was appended meanwhile with other content (another true-up at the same time?); ` +
          "this batch appended nothing: dry-run again, then apply",
      );
    }
    if (result.kind !== "appended") throw new Error(`appending the true-up failed: ${JSON.stringify(result).slice(0, 300)}`);
    lastPosition = result.lastPosition;
  }
  answer.lastPosition = lastPosition;
  return answer;
}
