// Every projection the ledger has, by name.
import { budgetProjection } from "./budget/budgetProjection.ts";
import { earningsProjection } from "./earnings/earningsProjection.ts";
import { journalProjection } from "./journal/journalProjection.ts";
import { payoutProjection } from "./payout/payoutProjection.ts";
import type { ProjectionDefinition, ProjectionName } from "./projection.ts";
import { reportProjection } from "./report/reportProjection.ts";
import { webhooksProjection } from "./webhooks/webhooksProjection.ts";

export const DEFINITIONS: Readonly<Record<ProjectionName, ProjectionDefinition>> = {
  journal: journalProjection,
  earnings: earningsProjection,
  budget: budgetProjection,
  report: reportProjection,
  payout: payoutProjection,
  webhooks: webhooksProjection,
};
