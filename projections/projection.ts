// A projection: a named, versioned read model folded from the engine's outcomes.
// Versions live side by side as tables with a version prefix (`earnings_v2_totals`), so a rebuild
// writes a fresh copy while the active one keeps serving (SPEC §6).
import type { Outcome } from "../domain/engine/outcome.ts";
import type { Dialect, ReadModelDb, ReadModelTx } from "../infra/readModel/port.ts";

export const PROJECTION_NAMES = ["journal", "earnings", "budget", "report", "payout", "webhooks"] as const;
export type ProjectionName = (typeof PROJECTION_NAMES)[number];

/**
 * The projections whose figures come from the commission rules (SPEC §4): every amount they hold is
 * one the engine computed at their rule version. They must all be read at one rule version, or a
 * creator's earnings total would disagree with the journal and the payout status (issue 22.1), so
 * a rule-version change rebuilds and promotes them as one set (services/replay.ts). Webhooks are not
 * in the set: their outbox holds what was delivered, and rebuilding it would send every entry again.
 */
export const MONEY_PROJECTIONS = ["journal", "earnings", "budget", "report", "payout"] as const satisfies readonly ProjectionName[];
export type MoneyProjectionName = (typeof MONEY_PROJECTIONS)[number];

export function isMoneyProjection(name: ProjectionName): name is MoneyProjectionName {
  return (MONEY_PROJECTIONS as readonly string[]).includes(name);
}

export function isProjectionName(name: string): name is ProjectionName {
  return (PROJECTION_NAMES as readonly string[]).includes(name);
}

/** A version's place: the one reads answer from, one being built beside it, or one a promotion replaced. */
export type VersionStatus = "active" | "building" | "retired";

export interface ProjectionDefinition {
  name: ProjectionName;
  /**
   * The layout of the tables below; raise it with every change of `schema` or of what `batch`
   * writes. A version built with another layout is dropped and rebuilt from the store on open.
   */
  format: number;
  /** DDL of one version's tables; every table name starts with `prefix`. */
  schema(prefix: string, dialect: Dialect): string;
  /**
   * Secondary indexes that only serve reads: name (without prefix) → `table (columns)` (table
   * without prefix), or `table (columns) WHERE …` for a partial one (both databases have them). A
   * version built from position 0 is written without them and gets them once caught up (sorting
   * once is cheaper than keeping a random-order index up to date row by row).
   */
  readIndexes?: Readonly<Record<string, string>>;
  /** A batch of writes to the tables under `prefix` (ProjectionBatch), begun with nothing added. */
  batch(read: ReadModelRead, prefix: string): ProjectionBatch;
  /** Tables (without prefix) and their key columns, for canonical export and diff. */
  tables: Readonly<Record<string, readonly string[]>>;
}

/**
 * Reads of what is committed, outside the batch's transaction: a projection's tables have one writer,
 * its projector, whose batches commit one after another. Where another writer shares the connection
 * (the webhooks' delivery worker, serializeTransactions), a read in a transaction of its own waits
 * for that writer's transaction instead of running inside it.
 */
export type ReadModelRead = Pick<ReadModelDb, "query" | "transaction">;

/**
 * One batch of a projection's writes: the engine's outcomes are added as they come (a catch-up adds
 * a page at a time, so a page's outcomes are garbage once folded instead of living until the batch
 * ends: docs/scaling.md, "Batches folded as they come"), then written in one transaction with the
 * checkpoint. What a batch writes depends only on the outcomes added, not on how they were split.
 */
export interface ProjectionBatch {
  /** Adds outcomes in ascending positions, after those added before; writes nothing. */
  add(outcomes: readonly Outcome[]): Promise<void>;
  /** Writes everything added, inside the batch's transaction. */
  write(tx: ReadModelTx): Promise<void>;
}

export function tablePrefix(name: ProjectionName, version: number): string {
  if (!Number.isInteger(version) || version < 1 || version > 9999) throw new Error(`bad projection version ${version}`);
  return `${name}_v${version}_`;
}
