// One read of one read model, now or as of a position (SPEC §8.2). A read model answers "now" from
// its own tables at its own position, and "as of P" from the journal's rows up to P folded by its
// own fold (or from its own history): which tables answer is the read model's business, so the
// fork between the two is written once, beside the fold, and services/reads only wires reads.
import type { ReadModelTx } from "../infra/readModel/port.ts";
import type { ProjectionName } from "./projection.ts";

/** What a read answers as of: the read model as it is now, or a position of the store. */
export type AsOf = "now" | number;

export interface ModelRead<Args, T> {
  /** The projection whose tables answer a read as of `at`. */
  source(at: AsOf): ProjectionName;
  /** Reads on one snapshot of `source(at)` (tables under `prefix`); `upTo`: the position answered as of — `at`, or the source's own position for "now". */
  read(tx: ReadModelTx, prefix: string, args: Args, at: AsOf, upTo: number): Promise<T>;
}
