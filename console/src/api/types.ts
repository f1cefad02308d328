// The API's answers as the console sees them: the server's own zod schemas
// (services/http/apiSchemas.ts), so a field the API renames fails the console's typecheck.
// Type-only imports: nothing of the server ends up in the browser bundle.
import type { z } from "zod";
import type * as api from "../../../services/http/apiSchemas.ts";

export type ErrorAnswer = z.output<typeof api.errorSchema>;
export type Earnings = z.output<typeof api.earningsSchema>;
export type MarketplaceEarnings = Earnings["marketplaces"][number];
export type Anomaly = z.output<typeof api.anomalySchema>;
export type Ledger = z.output<typeof api.ledgerSchema>;
export type LedgerEntry = z.output<typeof api.entrySchema>;
export type CreatorReport = z.output<typeof api.creatorReportSchema>;
export type CampaignReport = z.output<typeof api.campaignReportSchema>;
export type ReportTotals = CreatorReport["totals"][number];
export type Payout = z.output<typeof api.payoutSchema>;
export type PayoutStatus = Payout["marketplaces"][number]["status"];
export type PaymentMethod = NonNullable<Payout["marketplaces"][number]["paymentMethod"]>;
export type Payouts = z.output<typeof api.payoutsSchema>;
export type PayoutStatement = z.output<typeof api.payoutStatementSchema>;
export type Campaign = z.output<typeof api.campaignSchema>;
export type BrandCampaigns = z.output<typeof api.brandCampaignsSchema>;
export type Anomalies = z.output<typeof api.anomaliesSchema>;
export type StoredEvent = z.output<typeof api.eventSchema>;
export type Events = z.output<typeof api.eventsSchema>;
export type Health = z.output<typeof api.healthSchema>;
export type Projections = z.output<typeof api.projectionsSchema>;
export type ProjectionDiff = z.output<typeof api.projectionDiffSchema>;
