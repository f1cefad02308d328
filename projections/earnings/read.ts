// The earnings reads (SPEC §5 earnings, §8.4), now or as of a position (projections/modelRead.ts):
// now from this projection's tables, as of P from the journal's rows folded by the earnings fold.
import type { ReadModelTx } from "../../infra/readModel/port.ts";
import { ANOMALIES_PER_ANSWER_MAX, creatorAnomalies } from "../anomalies.ts";
import type { AsOf, ModelRead } from "../modelRead.ts";
import type { ProjectionName } from "../projection.ts";
import { creatorKnownAt, earningsRowsAt } from "./earningsAt.ts";
import { creatorExists, earningsAnswer, earningsRowsOf } from "./earningsQueries.ts";

const source = (at: AsOf): ProjectionName => (at === "now" ? "earnings" : "journal");

/** Whether a creator is known (an entry, an acceptance or an anomaly of theirs: EarningsFold.creators). */
export const creatorKnownRead: ModelRead<string, boolean> = {
  source,
  read: (tx, p, creatorId, at, upTo) => (at === "now" ? creatorExists(tx, p, creatorId) : creatorKnownAt(tx, p, creatorId, upTo)),
};

/** SPEC §5: a creator's earnings per marketplace, month and campaign, and their anomalies; null for an unknown creator. */
async function readEarnings(tx: ReadModelTx, p: string, creatorId: string, at: AsOf, upTo: number) {
  if (!(await creatorKnownRead.read(tx, p, creatorId, at, upTo))) return null;
  const rows = at === "now" ? await earningsRowsOf(tx, p, creatorId) : await earningsRowsAt(tx, p, creatorId, upTo);
  return {
    creatorId,
    asOfPosition: upTo,
    marketplaces: earningsAnswer(rows),
    anomalies: await creatorAnomalies(tx, p, creatorId, upTo, ANOMALIES_PER_ANSWER_MAX),
  };
}

export const earningsRead = { source, read: readEarnings } satisfies ModelRead<string, unknown>;
