// When each projection version's checkpoint last moved (issue 22.9e). A rebuild (`ledger replay`)
// holds no lock and may run beside the server, so nothing says whether a version that is not yet
// active is still being built, or whether the process that built it has stopped. Its projector
// records the time with every checkpoint it commits (and when it creates the version), and a reader
// calls a version whose time is older than LEDGER_HEALTH_STALL_MS not building
// (services/reads/replayReads.ts). Kept beside the `projections` table, not in it, so read models made
// before it need no migration: readers of such a file see no times until a projector writes one.
import type { ReadModelDb, ReadModelTx } from "../infra/readModel/port.ts";
import { int } from "../infra/readModel/port.ts";
import type { ProjectionName, VersionStatus } from "./projection.ts";

const PROGRESS_DDL = `CREATE TABLE IF NOT EXISTS projection_progress (name TEXT NOT NULL, version INTEGER NOT NULL,
  checkpointed_at_ms BIGINT NOT NULL, PRIMARY KEY (name, version))`;

/** Made by the process that projects (Projector.open); readers never create it. */
export async function createProgressTable(db: ReadModelDb): Promise<void> {
  await db.exec(PROGRESS_DDL);
}

/** In the transaction that moves the checkpoint (or creates the version). */
export async function recordCheckpointTime(tx: ReadModelTx, name: ProjectionName, version: number, atMs: number): Promise<void> {
  await tx.run(
    "INSERT INTO projection_progress (name, version, checkpointed_at_ms) VALUES (?, ?, ?) ON CONFLICT (name, version) DO UPDATE SET checkpointed_at_ms = excluded.checkpointed_at_ms",
    [name, version, atMs],
  );
}

/** Per version of `name`, when its checkpoint last moved; empty where no projector recorded one yet. */
export async function checkpointTimes(db: ReadModelDb, name: ProjectionName): Promise<Map<number, number>> {
  let rows: { version: unknown; checkpointed_at_ms: unknown }[];
  try {
    rows = await db.query("SELECT version, checkpointed_at_ms FROM projection_progress WHERE name = ?", [name]);
  } catch {
    return new Map(); // a read model no projector of this release has opened yet
  }
  return new Map(rows.map((r) => [int(r.version), int(r.checkpointed_at_ms)]));
}

/** A version as the replay reads show it: `building` split by whether anyone builds it. */
export type ShownStatus = Exclude<VersionStatus, "building"> | "building" | "idle" | "stalled";

/**
 * A version that is neither active nor retired is `building` while some process moves its
 * checkpoint (it moved less than `stallMs` ago: LEDGER_HEALTH_STALL_MS, as health judges a stalled
 * projector), else `idle` when it is at the store's head (built, not promoted: nothing follows it)
 * or `stalled` when it is behind (its rebuild stopped: run `ledger replay` again, or drop it).
 * `checkpointedAtMs` undefined: no time recorded (a version made by an older release).
 */
export function shownStatus(
  status: VersionStatus,
  lag: number,
  checkpointedAtMs: number | undefined,
  nowMs: number,
  stallMs: number,
): ShownStatus {
  if (status !== "building") return status;
  if (checkpointedAtMs !== undefined && nowMs - checkpointedAtMs < stallMs) return "building";
  return lag === 0 ? "idle" : "stalled";
}
