// The report's rows (SPEC §5 creator report, §9 campaign report), now or as of a position
// (projections/modelRead.ts): now from this projection's tables, as of P from the journal's rows
// folded by the report fold. Both reports shape the same raw rows (reportQueries.ts).
import type { ModelRead } from "../modelRead.ts";
import type { ReportRawRow } from "./fold.ts";
import { reportRowsAt } from "./reportAt.ts";
import { reportRowsOf } from "./reportQueries.ts";
import type { ReportScope } from "./reportScope.ts";

export interface ReportRange {
  scope: ReportScope;
  from: string;
  to: string;
}

/** The raw rows of the range and the position they are as of. */
export const reportRowsRead: ModelRead<ReportRange, { rows: ReportRawRow[]; asOfPosition: number }> = {
  source: (at) => (at === "now" ? "report" : "journal"),
  read: async (tx, p, { scope, from, to }, at, upTo) => ({
    rows: at === "now" ? await reportRowsOf(tx, p, scope, from, to) : await reportRowsAt(tx, p, scope, from, to, upTo),
    asOfPosition: upTo,
  }),
};
