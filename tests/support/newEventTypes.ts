// One valid event of each type that Part II (§8.4, §9) and §12 of the SPEC add, over a campaign and an
// issued payout they can name: for the paths every event takes (HTTP, file ingest, the Kafka decoder).
export const PART_TWO_EVENTS = [
  {
    id: "p2-cc",
    type: "CampaignCreated",
    occurredAt: "2026-01-01T00:00:00Z",
    data: {
      campaignId: "P2",
      brandId: "B-P2",
      marketplace: "US",
      bonusRate: "0.10",
      budget: "100.00",
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: "2026-03-01T00:00:00Z",
      asins: ["A1"],
    },
  },
  { id: "p2-budget", type: "CampaignBudgetChanged", occurredAt: "2026-01-02T00:00:00Z", data: { campaignId: "P2", budget: "150.00" } },
  { id: "p2-pause", type: "CampaignPaused", occurredAt: "2026-01-03T00:00:00Z", data: { campaignId: "P2" } },
  { id: "p2-resume", type: "CampaignResumed", occurredAt: "2026-01-04T00:00:00Z", data: { campaignId: "P2" } },
  {
    id: "p2-end",
    type: "CampaignEndChanged",
    occurredAt: "2026-01-05T00:00:00Z",
    data: { campaignId: "P2", endsAt: "2026-02-01T00:00:00Z" },
  },
  {
    id: "p2-adj",
    type: "CommissionAdjusted",
    occurredAt: "2026-01-06T00:00:00Z",
    data: {
      creatorId: "K-P2",
      marketplace: "US",
      amount: "12.50",
      reasonCode: "goodwill",
      note: "late content bonus",
      actor: "finance:ana",
      campaignId: "P2",
    },
  },
  {
    id: "p2-payout",
    type: "PayoutIssued",
    occurredAt: "2026-01-07T00:00:00Z",
    data: { payoutId: "p2-payout", creatorId: "K-P2", marketplace: "US", amount: "12.50" },
  },
  { id: "p2-failed", type: "PayoutFailed", occurredAt: "2026-01-08T00:00:00Z", data: { payoutId: "p2-payout", reason: "invalid_account" } },
] as const;

/** One valid event of each type SPEC §12 adds (holds of both scopes, a release, thresholds set and removed, a write-off). */
export const PAYOUT_CONTROL_EVENTS = [
  {
    id: "p3-hold",
    type: "PayoutsHeld",
    occurredAt: "2026-05-01T12:00:00Z",
    data: { creatorId: "K-P3", reasonCode: "fraud_review", note: "clicks from one address", actor: "risk:lee" },
  },
  {
    id: "p3-hold-jp",
    type: "PayoutsHeld",
    occurredAt: "2026-05-02T12:00:00Z",
    data: { creatorId: "K-P3", marketplace: "JP", reasonCode: "compliance", note: "tax form unsigned", actor: "risk:lee" },
  },
  {
    id: "p3-release",
    type: "PayoutsReleased",
    occurredAt: "2026-05-03T12:00:00Z",
    data: { creatorId: "K-P3", note: "review closed", actor: "risk:lee" },
  },
  {
    id: "p3-threshold",
    type: "PayoutThresholdSet",
    occurredAt: "2026-05-04T12:00:00Z",
    data: { creatorId: "K-P3", marketplace: "JP", amount: "8000" },
  },
  {
    id: "p3-threshold-off",
    type: "PayoutThresholdSet",
    occurredAt: "2026-05-05T12:00:00Z",
    data: { creatorId: "K-P3", marketplace: "JP", amount: null },
  },
  {
    id: "p3-writeoff",
    type: "BalanceWrittenOff",
    occurredAt: "2026-05-06T12:00:00Z",
    data: {
      creatorId: "K-P3",
      marketplace: "US",
      amount: "2.50",
      reasonCode: "uncollectible",
      note: "creator left the program",
      actor: "finance:ana",
    },
  },
] as const;
