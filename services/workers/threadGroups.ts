// How `serve` shares its projectors out between threads (LEDGER_PROJECTOR_THREADS): the first thread
// reads the store and runs the engine, once, for all of them; every other thread only writes the
// read models it is given, from the outcomes the engine hands it (writerThread.ts). On a two-core
// machine that puts the engine and the heaviest writes on different cores (docs/scaling.md).
import type { ProjectionName } from "../../projections/projection.ts";

/**
 * What each part costs a rebuild, relative to each other: a CPU profile of a rebuild of all six
 * projections on one thread at 1,000,000 events (docs/scaling.md, "Engine and writers on two
 * threads"): reading the store, the engine and its snapshots 28 %, the journal's writes and read
 * indexes 20 %, the report's 10 %, then earnings, payout, budget, webhooks. The engine's thread also
 * clones every batch for the writers (8 % of its time in the per-thread profile of the split), so
 * it counts 35: measured, that puts earnings and budget on the writer and rebuilt all six in
 * 40.8–42.0 s against 44.1–45.2 s with 28 (two runs each, alternating). Once the engine's postings
 * lost their spreads (docs/scaling.md, "Postings without spreads") 24 put earnings on the engine's
 * thread and made no difference (25.4 / 28.8k against 26.5 / 29.6k ev/s), so it stays 35; again once
 * the engine's thread kept no outcomes ("Batches folded as they come"): 49.6 / 49.4k against 49.2 / 48.5k.
 */
const ENGINE_COST = 35;
const WRITE_COST: Readonly<Record<ProjectionName, number>> = { journal: 20, report: 10, earnings: 5, payout: 3, budget: 2, webhooks: 1 };

/**
 * `names` in at most `threads` groups; the first is the engine's thread. Costliest first, each goes
 * to the group with the least cost so far (the engine's counts ENGINE_COST from the start). Webhooks
 * stay on the engine's thread: their delivery worker runs beside their projector and shares its
 * database connection. A thread that would get nothing is not made.
 */
export function threadGroups(names: readonly ProjectionName[], threads: number): ProjectionName[][] {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`projector threads must be a positive integer, got ${threads}`);
  const groups = Array.from({ length: threads }, (_, i) => ({ cost: i === 0 ? ENGINE_COST : 0, names: [] as ProjectionName[] }));
  const costliestFirst = [...names].sort((a, b) => WRITE_COST[b] - WRITE_COST[a] || a.localeCompare(b));
  for (const name of costliestFirst) {
    const group = name === "webhooks" ? groups[0]! : groups.reduce((min, g) => (g.cost < min.cost ? g : min));
    group.cost += WRITE_COST[name];
    group.names.push(name);
  }
  return [groups[0]!.names, ...groups.slice(1).flatMap((g) => (g.names.length > 0 ? [g.names] : []))];
}
