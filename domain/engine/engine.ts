// The commission engine (SPEC §4, rule version N): a fold over the event stream in position order.
// `applyEvent(state, event)` returns the event's outcome (postings, facts, anomalies) and advances
// the state. It is deterministic and pure at its boundary — no I/O, clock, environment or
// randomness — and it updates `state` in place because it folds millions of events.
import { assert, assertNever } from "../assert.ts";
import { earningMonth, instantMs, localDate } from "../calendar.ts";
import type { CurrentEvent } from "../events/envelope.ts";
import type { Marketplace } from "../marketplaces.ts";
import { transferOf } from "../journal/entryKinds.ts";
import { Dec, fractionDigits, lineAmountMinor, proportionMinor, toMinor } from "../money.ts";
import { KNOWN_RULE_VERSIONS, standardRate, type RuleVersion } from "../rules.ts";
import { disclosureQualifies } from "./disclosure.ts";
import type { Outcome } from "./outcome.ts";
import { accountAmount, OutcomeBuilder, type Ev, type PostingOwner } from "./outcomeBuilder.ts";
import { earnedKey, pairKey, type CampaignState, type EngineState, type LineState, type ShipmentState } from "./state.ts";
import { balanceWrittenOff, heldIn, payoutsHeld, payoutsReleased, payoutThresholdSet } from "./payoutControls.ts";
import { insertStrike, removalTime } from "./strikes.ts";

export interface Engine {
  readonly rules: RuleVersion;
  readonly state: EngineState;
  apply(event: CurrentEvent): Outcome;
}

export function createEngine(rules: RuleVersion, state: EngineState, schedules: Schedules = "follow"): Engine {
  return { rules, state, apply: (event) => applyEvent(state, rules, event, schedules) };
}

/**
 * SPEC §14: "follow" applies each shipment's scheduled rule version (`rules` where none is in
 * force); "ignore" computes every shipment by `rules` alone: what a true-up compares the ledger with.
 */
export type Schedules = "follow" | "ignore";

export function applyEvent(state: EngineState, rules: RuleVersion, event: CurrentEvent, schedules: Schedules = "follow"): Outcome {
  if (!(event.position > state.position)) {
    throw new Error(`engine: event ${event.id} at position ${event.position} is not after ${state.position}`);
  }
  const out = new OutcomeBuilder(event, rules, state.closedThrough);
  switch (event.type) {
    case "CampaignCreated":
      campaignCreated(state, event, out);
      break;
    case "CampaignAccepted":
      campaignAccepted(state, event, out);
      break;
    case "ContentLinkSubmitted":
      contentLinkSubmitted(state, event, out);
      break;
    case "ClickRecorded":
      clickRecorded(state, event, out);
      break;
    case "ShipmentRecorded":
    case "SubscribeAndSaveFirstShipment":
      shipmentRecorded(state, event, out, schedules === "follow" ? rulesInForce(state, rules, event.occurredAtMs) : rules);
      break;
    case "ShipmentReturned":
      shipmentReturned(state, event, out);
      break;
    case "StrikeIssued":
      strikeIssued(state, event, out);
      break;
    case "CampaignEnded":
      campaignEnded(state, event, out);
      break;
    case "TaxInfoSubmitted":
      out.fact({ kind: "tax_info", creatorId: event.data.creatorId, marketplace: event.data.marketplace });
      break;
    case "PaymentMethodChanged":
      paymentMethodChanged(event, out);
      break;
    case "PayoutIssued":
      payoutIssued(state, event, out);
      break;
    case "PayoutFailed":
      payoutFailed(state, event, out);
      break;
    case "CommissionAdjusted":
      commissionAdjusted(state, event, out);
      break;
    case "CampaignBudgetChanged":
      campaignBudgetChanged(state, event, out);
      break;
    case "CampaignPaused":
    case "CampaignResumed":
      campaignPausedOrResumed(state, event, out);
      break;
    case "CampaignEndChanged":
      campaignEndChanged(state, event, out);
      break;
    case "WebhookRegistered":
      state.webhooks.add(event.data.webhookId);
      out.fact({ kind: "webhook_registered", webhookId: event.data.webhookId, url: event.data.url, events: [...event.data.events] });
      break;
    case "WebhookDeleted":
      webhookDeleted(state, event, out);
      break;
    case "PayoutsHeld":
      payoutsHeld(state, event, out);
      break;
    case "PayoutsReleased":
      payoutsReleased(state, event, out);
      break;
    case "PayoutThresholdSet":
      payoutThresholdSet(event, out);
      break;
    case "BalanceWrittenOff":
      balanceWrittenOff(state, event, out);
      break;
    case "PeriodClosed":
      periodClosed(state, event, out);
      break;
    case "ProjectionPromoted":
      break; // how history is read changed, not what it holds: nothing to book (the log keeps who and when)
    case "RuleVersionScheduled":
      ruleVersionScheduled(state, event, out);
      break;
    default:
      assertNever(event, "event");
  }
  trackEarned(state, out.outcome);
  state.position = event.position;
  return out.outcome;
}

/**
 * SPEC §13: closes `month` and every earlier month of the marketplace. The month must have ended in
 * the marketplace's zone at the event's occurredAt (`period_not_ended`, checked first); a month
 * already closed is `invalid_state`. From here on, amounts of a closed month are booked in the
 * first open month (OutcomeBuilder.post).
 */
function periodClosed(state: EngineState, event: Ev<"PeriodClosed">, out: OutcomeBuilder): void {
  const { marketplace, month, actor, note } = event.data;
  const market = out.rules.marketplaces[marketplace];
  const now = earningMonth(event.occurredAtMs, market.zone);
  if (month >= now) {
    return out.anomaly(
      "period_not_ended",
      `${marketplace} ${month} has not ended in ${market.zone} at ${event.occurredAt}; nothing is closed`,
    );
  }
  const closed = state.closedThrough.get(marketplace);
  if (closed !== undefined && month <= closed) {
    return out.anomaly("invalid_state", `${marketplace} is closed through ${closed} already; closing ${month} changes nothing`);
  }
  state.closedThrough.set(marketplace, month);
  out.fact({ kind: "period_closed", marketplace, month, actor, note: note ?? null, closedAt: event.occurredAt });
}

/**
 * SPEC §14: the rule version for a shipment that occurred at `occurredAtMs`: the scheduled one with
 * the latest effectiveFrom at or before it (the later event on a tie), else the lane's `rules`.
 */
function rulesInForce(state: EngineState, rules: RuleVersion, occurredAtMs: number): RuleVersion {
  const schedule = state.ruleSchedule;
  for (let i = schedule.length - 1; i >= 0; i -= 1) {
    const scheduled = schedule[i]!;
    if (scheduled.effectiveFromMs > occurredAtMs) continue;
    const found = KNOWN_RULE_VERSIONS[scheduled.ruleVersion];
    assert(found !== undefined, `engine: scheduled rule version ${scheduled.ruleVersion} is not known`);
    return found;
  }
  return rules;
}

/**
 * SPEC §14: schedules a rule version from effectiveFrom on. An unknown version is reported first
 * (`unknown_rule_version`), then one that would reach back before the event itself
 * (`retroactive_rule_change`: the past is corrected by true-ups); neither schedules anything.
 */
function ruleVersionScheduled(state: EngineState, event: Ev<"RuleVersionScheduled">, out: OutcomeBuilder): void {
  const { ruleVersion, effectiveFrom } = event.data;
  if (KNOWN_RULE_VERSIONS[ruleVersion] === undefined) {
    const known = Object.keys(KNOWN_RULE_VERSIONS).join(", ");
    return out.anomaly(
      "unknown_rule_version",
      `rule version ${ruleVersion} is not known to this ledger (known: ${known}); nothing is scheduled`,
    );
  }
  const effectiveFromMs = instantMs(effectiveFrom);
  if (effectiveFromMs < event.occurredAtMs) {
    return out.anomaly(
      "retroactive_rule_change",
      `rule version ${ruleVersion} from ${effectiveFrom} reaches back before this event (${event.occurredAt}); nothing is scheduled: correct the past with a true-up (ledger trueup)`,
    );
  }
  const schedule = state.ruleSchedule;
  let at = schedule.length; // kept sorted by effectiveFromMs, then position (this event is the latest)
  while (at > 0 && schedule[at - 1]!.effectiveFromMs > effectiveFromMs) at -= 1;
  schedule.splice(at, 0, { ruleVersion, effectiveFromMs, position: event.position });
}

/** Keeps each creator:{K}:{m}:earned balance (SPEC §8.1) from the event's transfers: a write-off's debt (§12). */
function trackEarned(state: EngineState, outcome: Outcome): void {
  for (const p of outcome.postings) {
    if (p.creatorId === null) continue;
    const transfer = transferOf(p.kind, p.amountMinor);
    if (transfer === null) continue;
    const delta =
      transfer.destination === "creator_earned" ? transfer.amountMinor : transfer.source === "creator_earned" ? -transfer.amountMinor : 0;
    if (delta === 0) continue;
    const key = earnedKey(p.creatorId, p.marketplace);
    // bigint: a creator's balance may pass 2^53 minor units (many payouts of the largest amount, D5).
    state.earnedMinor.set(key, (state.earnedMinor.get(key) ?? 0n) + BigInt(delta));
  }
}

function marketOf(rules: RuleVersion, campaign: CampaignState): Marketplace {
  return rules.marketplaces[campaign.marketplace];
}

function campaignCreated(state: EngineState, event: Ev<"CampaignCreated">, out: OutcomeBuilder): void {
  const d = event.data;
  if (state.campaigns.has(d.campaignId)) {
    out.anomaly("duplicate_campaign", `campaign ${d.campaignId} was already created; this one is ignored`, null, d.campaignId);
    return;
  }
  const market = out.rules.marketplaces[d.marketplace];
  const budgetMinor = toMinor(new Dec(d.budget), market.minorDigits);
  const campaign: CampaignState = {
    campaignId: d.campaignId,
    brandId: d.brandId,
    marketplace: d.marketplace,
    bonusRate: d.bonusRate,
    budgetMinor,
    spentMinor: 0,
    releasedMinor: 0,
    balanceMinor: 0,
    exhaustedAt: null,
    startsAt: d.startsAt,
    startsAtMs: instantMs(d.startsAt),
    endsAt: d.endsAt,
    endsAtMs: instantMs(d.endsAt),
    asins: new Set(d.asins),
    pauses: [],
    creators: [],
    ended: false,
  };
  state.campaigns.set(d.campaignId, campaign);
  campaignFact(campaign, out);
  moveBudget(campaign, out); // the brand funds the budget (SPEC §8.1 budget_funding)
  budgetChanged(campaign, out);
}

/** The whole campaign as it now stands (for the campaign and brand reads, §9). */
function campaignFact(c: CampaignState, out: OutcomeBuilder): void {
  const market = marketOf(out.rules, c);
  out.fact({
    kind: "campaign",
    campaignId: c.campaignId,
    brandId: c.brandId,
    marketplace: c.marketplace,
    currency: market.currency,
    bonusRate: c.bonusRate,
    budgetMinor: c.budgetMinor,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    endsAtMs: c.endsAtMs,
    asins: [...c.asins],
    paused: isPaused(c),
  });
}

/** Rule 4 and §9: what is left to grant; 0 once spent reaches (or, after a cut, passes) the budget. */
function remainingOf(c: CampaignState): number {
  return Math.max(0, c.budgetMinor - c.spentMinor);
}

/**
 * Brings the account campaign:{id}:budget to `remaining` (SPEC §8.1): funding from the brand when
 * remaining grew past it (creation, a raise), a return to the brand when it holds more (a cut, or a
 * release that the budget no longer has room for after a cut).
 */
function moveBudget(c: CampaignState, out: OutcomeBuilder): void {
  const difference = remainingOf(c) - c.balanceMinor;
  if (difference === 0) return;
  const owner = {
    creatorId: null,
    campaignId: c.campaignId,
    marketplace: c.marketplace,
    currency: marketOf(out.rules, c).currency,
    shipmentId: null,
    orderId: null,
  };
  out.post(owner, accountAmount(difference > 0 ? "budget_funding" : "budget_return", difference, null, null), c.brandId);
  c.balanceMinor += difference;
}

/** Bonus granted out of the budget (rule 4): never more than remains. */
function grant(c: CampaignState, amountMinor: number): void {
  assert(
    amountMinor > 0 && amountMinor <= remainingOf(c) && amountMinor <= c.balanceMinor,
    () => `grant of ${amountMinor} within ${c.campaignId}'s remaining budget`,
  );
  c.spentMinor += amountMinor;
  c.balanceMinor -= amountMinor;
}

/** Bonus given back to the budget (rules 5, 8): a forfeiture, a return while pending, a reversal. */
function release(c: CampaignState, amountMinor: number): void {
  assert(amountMinor >= 0 && amountMinor <= c.spentMinor, () => `release of ${amountMinor} within ${c.campaignId}'s spent ${c.spentMinor}`);
  c.spentMinor -= amountMinor;
  c.releasedMinor += amountMinor;
  c.balanceMinor += amountMinor;
}

/** Reports the budget after an event that changed it, and keeps exhaustedAt (SPEC §5 budget). */
function budgetChanged(campaign: CampaignState, out: OutcomeBuilder): void {
  moveBudget(campaign, out);
  const remainingMinor = remainingOf(campaign);
  assert(
    campaign.spentMinor >= 0 && campaign.balanceMinor === remainingMinor,
    () =>
      `${campaign.campaignId}: campaign:budget ${campaign.balanceMinor} = remaining ${remainingMinor}, spent ${campaign.spentMinor} ≥ 0`,
  );
  const exhaustedBefore = campaign.exhaustedAt !== null;
  if (remainingMinor > 0) campaign.exhaustedAt = null;
  else if (campaign.exhaustedAt === null) campaign.exhaustedAt = out.event.occurredAt;
  out.fact({
    kind: "budget",
    campaignId: campaign.campaignId,
    budgetMinor: campaign.budgetMinor,
    spentMinor: campaign.spentMinor,
    releasedMinor: campaign.releasedMinor,
    exhaustedAt: campaign.exhaustedAt,
  });
  if (!exhaustedBefore && campaign.exhaustedAt !== null)
    out.fact({ kind: "budget_exhausted", campaignId: campaign.campaignId, exhaustedAt: campaign.exhaustedAt });
}

function isPaused(c: CampaignState): boolean {
  const last = c.pauses[c.pauses.length - 1];
  return last !== undefined && last.toMs === null;
}

/** §9: an order placed in a paused interval [paused, resumed) earns no bonus (pauses known when the shipment is applied). */
function pausedAt(c: CampaignState, orderedAtMs: number): boolean {
  return c.pauses.some((p) => p.fromMs <= orderedAtMs && (p.toMs === null || orderedAtMs < p.toMs));
}

/** Rule 5: a content link with a qualifying disclosure, applied before CampaignEnded, with occurredAt before the (current) end. */
function contentQualifies(state: EngineState, c: CampaignState, creatorId: string): boolean {
  const at = state.contentAtMs.get(pairKey(c.campaignId, creatorId));
  return at !== undefined && at < c.endsAtMs;
}

function campaignAccepted(state: EngineState, event: Ev<"CampaignAccepted">, out: OutcomeBuilder): void {
  const { campaignId, creatorId, trackingId } = event.data;
  const campaign = state.campaigns.get(campaignId);
  if (!campaign) return out.anomaly("unknown_campaign", `acceptance of unknown campaign ${campaignId}`, creatorId, campaignId);
  const key = pairKey(campaignId, creatorId);
  if (state.accepted.has(key)) {
    return out.anomaly(
      "duplicate_acceptance",
      `creator ${creatorId} already accepted campaign ${campaignId}; this acceptance is ignored`,
      creatorId,
      campaignId,
    );
  }
  if (state.acceptances.has(trackingId)) {
    return out.anomaly(
      "tracking_id_in_use",
      `tracking id ${trackingId} is already in use; this acceptance is ignored`,
      creatorId,
      campaignId,
    );
  }
  state.accepted.set(key, true);
  state.acceptances.set(trackingId, { creatorId, campaignId });
  campaign.creators.push(creatorId);
  out.fact({ kind: "acceptance", campaignId, creatorId, trackingId, marketplace: campaign.marketplace });
}

function contentLinkSubmitted(state: EngineState, event: Ev<"ContentLinkSubmitted">, out: OutcomeBuilder): void {
  const { campaignId, creatorId, disclosure } = event.data;
  const campaign = state.campaigns.get(campaignId);
  if (!campaign) return out.anomaly("unknown_campaign", `content link for unknown campaign ${campaignId}`, creatorId, campaignId);
  if (!state.accepted.has(pairKey(campaignId, creatorId))) {
    return out.anomaly("unknown_acceptance", `creator ${creatorId} has not accepted campaign ${campaignId}`, creatorId, campaignId);
  }
  // Rule 5: it must be applied before CampaignEnded ...
  if (campaign.ended)
    return out.anomaly(
      "content_after_campaign_end",
      `content link submitted after campaign ${campaignId} ended; it does not count`,
      creatorId,
      campaignId,
    );
  if (!disclosureQualifies(disclosure)) {
    return out.anomaly(
      "missing_disclosure",
      `disclosure ${JSON.stringify(disclosure.slice(0, 80))} has none of the words ad, #ad, sponsored, advertisement`,
      creatorId,
      campaignId,
    );
  }
  // ... and have occurredAt < endsAt, judged against the end as it stands at CampaignEnded (§9 may move it).
  const key = pairKey(campaignId, creatorId);
  const before = contentQualifies(state, campaign, creatorId);
  state.contentAtMs.set(key, Math.min(state.contentAtMs.get(key) ?? Number.POSITIVE_INFINITY, event.occurredAtMs));
  if (event.occurredAtMs >= campaign.endsAtMs) {
    out.anomaly(
      "content_after_campaign_end",
      `content link submitted at or after campaign ${campaignId}'s end (${campaign.endsAt}); it counts only if the end moves past it`,
      creatorId,
      campaignId,
    );
  }
  if (!before && contentQualifies(state, campaign, creatorId)) out.fact({ kind: "content", campaignId, creatorId, qualified: true });
}

function clickRecorded(state: EngineState, event: Ev<"ClickRecorded">, out: OutcomeBuilder): void {
  const acceptance = state.acceptances.get(event.data.trackingId);
  if (!acceptance) return out.anomaly("unknown_tracking_id", `click on unknown tracking id ${event.data.trackingId}`);
  const campaign = state.campaigns.get(acceptance.campaignId)!;
  const market = marketOf(out.rules, campaign);
  out.fact({
    kind: "click",
    campaignId: acceptance.campaignId,
    creatorId: acceptance.creatorId,
    marketplace: campaign.marketplace,
    currency: market.currency,
    reportDate: localDate(event.occurredAtMs, market.zone),
  });
}

/** −x without producing −0 (which would print as "-0.00"). */
function negate(x: number): number {
  return x === 0 ? 0 : -x;
}

function shipmentRecorded(
  state: EngineState,
  event: Ev<"ShipmentRecorded"> | Ev<"SubscribeAndSaveFirstShipment">,
  out: OutcomeBuilder,
  /** The rule version in force at the shipment's occurredAt (SPEC §14). */
  rules: RuleVersion,
): void {
  const d = event.data;
  const acceptance = state.acceptances.get(d.trackingId);
  if (!acceptance)
    return out.anomaly("unknown_tracking_id", `shipment ${d.shipmentId} names unknown tracking id ${d.trackingId}; no commission`);
  const { creatorId, campaignId } = acceptance;
  if (state.shipments.has(d.shipmentId)) {
    return out.anomaly("duplicate_shipment", `shipment ${d.shipmentId} is already recorded; this one earns nothing`, creatorId, campaignId);
  }
  if (event.type === "SubscribeAndSaveFirstShipment") {
    const subscriptionId = (d as Ev<"SubscribeAndSaveFirstShipment">["data"]).subscriptionId;
    if (state.subscriptions.has(subscriptionId)) {
      return out.anomaly(
        "duplicate_subscribe_and_save",
        `subscription ${subscriptionId} already had its first shipment (rule 6); this one earns nothing`,
        creatorId,
        campaignId,
      );
    }
    state.subscriptions.set(subscriptionId, true);
  }

  const campaign = state.campaigns.get(campaignId)!;
  const market = marketOf(out.rules, campaign);
  const digits = market.minorDigits;
  const month = earningMonth(event.occurredAtMs, market.zone);
  const reportDate = localDate(event.occurredAtMs, market.zone);
  const orderedAtMs = instantMs(d.orderedAt);
  const removedAtMs = state.strikes.get(creatorId)?.removedAtMs ?? null;
  // Rule 3: the order falls in [startsAt, endsAt), the creator was not removed at orderedAt, and
  // (§9) the campaign was not paused at orderedAt.
  const orderQualifies =
    campaign.startsAtMs <= orderedAtMs &&
    orderedAtMs < campaign.endsAtMs &&
    (removedAtMs === null || orderedAtMs < removedAtMs) &&
    !pausedAt(campaign, orderedAtMs);
  const qualifiesContent = contentQualifies(state, campaign, creatorId);

  const shipment: ShipmentState = {
    shipmentId: d.shipmentId,
    orderId: d.orderId,
    creatorId,
    campaignId,
    earningMonth: month,
    reportDate,
    ruleVersion: rules.version,
    lines: [],
  };
  const owner = {
    creatorId,
    campaignId,
    marketplace: campaign.marketplace,
    currency: market.currency,
    shipmentId: d.shipmentId,
    orderId: d.orderId,
  };
  let hasPending = false;
  const spentBefore = campaign.spentMinor;
  for (const line of d.lines) {
    const rate = standardRate(rules, line.category);
    const standardMinor = lineAmountMinor(line.quantity, line.unitPrice, rate, digits);
    const revenueMinor = lineAmountMinor(line.quantity, line.unitPrice, "1", digits);
    out.post(owner, {
      kind: "standard",
      asin: line.asin,
      amountMinor: standardMinor,
      earningMonth: month,
      reportDate,
      rate,
      ruleVersion: rules.version,
      units: line.quantity,
      revenueMinor,
      note: null,
    });
    const lineState: LineState = {
      asin: line.asin,
      quantity: line.quantity,
      standardRate: rate,
      standardMinor,
      standardReversedMinor: 0,
      revenueMinor,
      revenueReturnedMinor: 0,
      returnedQuantity: 0,
      bonusState: "none",
      bonusMinor: 0,
      bonusReturnedMinor: 0,
      pendingReturns: [],
    };
    shipment.lines.push(lineState);
    if (!orderQualifies || !campaign.asins.has(line.asin)) continue;
    const uncappedMinor = lineAmountMinor(line.quantity, line.unitPrice, campaign.bonusRate, digits);
    const bonusMinor = Math.min(uncappedMinor, remainingOf(campaign)); // rule 4: capped at the remaining budget
    if (bonusMinor <= 0) continue;
    let note = bonusMinor < uncappedMinor ? `capped by the budget: ${uncappedMinor} → ${bonusMinor} minor units` : null;
    lineState.bonusMinor = bonusMinor;
    let kind: "bonus_pending" | "bonus_confirmed" | "bonus_forfeited";
    if (!campaign.ended) {
      lineState.bonusState = "pending";
      grant(campaign, bonusMinor);
      hasPending = true;
      kind = "bonus_pending";
    } else if (qualifiesContent) {
      // Rule 5, last sentence: after CampaignEnded the bonus is confirmed or forfeited at once.
      lineState.bonusState = "confirmed";
      grant(campaign, bonusMinor);
      kind = "bonus_confirmed";
    } else {
      lineState.bonusState = "forfeited"; // never touches the budget
      kind = "bonus_forfeited";
      note ??= "campaign ended without qualifying content";
    }
    out.post(owner, {
      kind,
      asin: line.asin,
      amountMinor: bonusMinor,
      earningMonth: month,
      reportDate,
      rate: campaign.bonusRate,
      units: 0,
      revenueMinor: 0,
      note,
    });
  }
  state.shipments.set(d.shipmentId, shipment);
  if (campaign.spentMinor !== spentBefore) budgetChanged(campaign, out);
  if (hasPending) {
    let pending = state.pendingShipments.get(campaignId);
    if (!pending) state.pendingShipments.set(campaignId, (pending = new Set()));
    pending.add(d.shipmentId);
  }
  out.fact({ kind: "shipment", campaignId, creatorId, marketplace: campaign.marketplace, orderId: d.orderId, reportDate });
}

function shipmentReturned(state: EngineState, event: Ev<"ShipmentReturned">, out: OutcomeBuilder): void {
  const shipment = state.shipments.get(event.data.shipmentId);
  if (!shipment) return out.anomaly("unknown_shipment", `return of unknown shipment ${event.data.shipmentId}`);
  const { creatorId, campaignId } = shipment;
  const campaign = state.campaigns.get(campaignId)!;
  const market = marketOf(out.rules, campaign);
  const returnMonth = earningMonth(event.occurredAtMs, market.zone);
  const returnDate = localDate(event.occurredAtMs, market.zone);
  const spentBefore = campaign.spentMinor;
  const owner = {
    creatorId,
    campaignId,
    marketplace: campaign.marketplace,
    currency: market.currency,
    shipmentId: shipment.shipmentId,
    orderId: shipment.orderId,
  };
  const months = { returnMonth, returnDate, shipmentMonth: shipment.earningMonth, ruleVersion: shipment.ruleVersion };

  for (const returned of event.data.lines) {
    const lines = shipment.lines.filter((l) => l.asin === returned.asin);
    if (lines.length === 0) {
      out.anomaly("asin_not_in_shipment", `shipment ${shipment.shipmentId} has no line with ASIN ${returned.asin}`, creatorId, campaignId);
      continue;
    }
    // A shipment may list one ASIN on several lines: returned units go to them in order.
    let unitsLeft = returned.quantity;
    for (const line of lines) {
      const units = Math.min(unitsLeft, line.quantity - line.returnedQuantity);
      if (units <= 0) continue;
      unitsLeft -= units;
      line.returnedQuantity += units;
      returnLine(line, units, campaign, months, owner, out);
    }
    if (unitsLeft > 0) {
      out.anomaly(
        "returned_more_than_shipped",
        `return of ${returned.quantity} × ${returned.asin} exceeds the ${returned.quantity - unitsLeft} unreturned unit(s) of shipment ${shipment.shipmentId}; only those reverse`,
        creatorId,
        campaignId,
      );
    }
  }
  if (campaign.spentMinor !== spentBefore) budgetChanged(campaign, out);
}

/**
 * Rule 8: round(original × returned / shipped), never past what is left of the original. The
 * return that brings back the line's last unit reverses exactly what is left, so a line returned in
 * parts nets to zero (rounding each part alone could leave a minor unit behind).
 * `line.returnedQuantity` already includes `units`.
 */
function reversalMinor(originalMinor: number, reversedSoFarMinor: number, units: number, line: LineState): number {
  const leftMinor = originalMinor - reversedSoFarMinor;
  if (line.returnedQuantity === line.quantity) return leftMinor;
  return Math.min(proportionMinor(originalMinor, units, line.quantity), leftMinor);
}

/** Rule 8 for one line: reverse `units` of it, never past the line's original amounts. */
function returnLine(
  line: LineState,
  units: number,
  campaign: CampaignState,
  /** The return's month and report day, and the rule version the line's standard was computed by (its reversal names it, SPEC §14). */
  months: { returnMonth: string; returnDate: string; shipmentMonth: string; ruleVersion: number },
  owner: PostingOwner,
  out: OutcomeBuilder,
): void {
  const { returnMonth, returnDate, shipmentMonth } = months;
  const standardMinor = reversalMinor(line.standardMinor, line.standardReversedMinor, units, line);
  const revenueMinor = reversalMinor(line.revenueMinor, line.revenueReturnedMinor, units, line);
  line.standardReversedMinor += standardMinor;
  line.revenueReturnedMinor += revenueMinor;
  out.post(owner, {
    kind: "standard_reversal",
    asin: line.asin,
    amountMinor: negate(standardMinor),
    earningMonth: returnMonth,
    reportDate: returnDate,
    rate: line.standardRate,
    ruleVersion: months.ruleVersion,
    units: -units,
    revenueMinor: negate(revenueMinor),
    note: null,
  });

  if (line.bonusState !== "pending" && line.bonusState !== "confirmed") return; // a forfeited bonus is never reversed
  const bonusMinor = reversalMinor(line.bonusMinor, line.bonusReturnedMinor, units, line);
  if (bonusMinor <= 0) return;
  line.bonusReturnedMinor += bonusMinor;
  release(campaign, bonusMinor); // goes back to the budget
  const pending = line.bonusState === "pending";
  // Not yet earned, so not a reversal: a pending bonus's return lowers the pending bonus of the shipment's month.
  if (pending) line.pendingReturns.push({ reportDate: returnDate, amountMinor: bonusMinor });
  out.post(owner, {
    kind: pending ? "bonus_pending_return" : "bonus_reversal",
    asin: line.asin,
    amountMinor: -bonusMinor,
    earningMonth: pending ? shipmentMonth : returnMonth,
    reportDate: returnDate,
    rate: campaign.bonusRate,
    units: 0,
    revenueMinor: 0,
    note: null,
  });
}

function strikeIssued(state: EngineState, event: Ev<"StrikeIssued">, out: OutcomeBuilder): void {
  const { creatorId } = event.data;
  let record = state.strikes.get(creatorId);
  if (!record) state.strikes.set(creatorId, (record = { sortedMs: [], removedAtMs: null }));
  insertStrike(record.sortedMs, event.occurredAtMs);
  // Removal only moves earlier; bonuses already granted are not rewritten (events apply in order).
  const removal = removalTime(record.sortedMs);
  if (removal !== null && (record.removedAtMs === null || removal < record.removedAtMs)) record.removedAtMs = removal;
  out.fact({ kind: "strike", creatorId, removedAt: record.removedAtMs === null ? null : new Date(record.removedAtMs).toISOString() });
}

function campaignEnded(state: EngineState, event: Ev<"CampaignEnded">, out: OutcomeBuilder): void {
  const { campaignId } = event.data;
  const campaign = state.campaigns.get(campaignId);
  if (!campaign) return out.anomaly("unknown_campaign", `CampaignEnded for unknown campaign ${campaignId}`, null, campaignId);
  if (campaign.ended)
    return out.anomaly(
      "campaign_already_ended",
      `campaign ${campaignId} has already ended; this CampaignEnded changes nothing`,
      null,
      campaignId,
    );
  campaign.ended = true;
  const market = marketOf(out.rules, campaign);
  // Rule 5: settle every pending bonus of the campaign, shipment by shipment, in the order recorded.
  for (const shipmentId of state.pendingShipments.get(campaignId) ?? []) {
    const shipment = state.shipments.get(shipmentId)!;
    const qualifies = contentQualifies(state, campaign, shipment.creatorId);
    const owner = {
      creatorId: shipment.creatorId,
      campaignId,
      marketplace: campaign.marketplace,
      currency: market.currency,
      shipmentId,
      orderId: shipment.orderId,
    };
    // A settled bonus keeps its shipment's month (rule 9).
    const settled = (kind: "bonus_confirm" | "bonus_forfeit", asin: string, amountMinor: number, reportDate: string, note: string | null) =>
      out.post(owner, {
        kind,
        asin,
        amountMinor,
        earningMonth: shipment.earningMonth,
        reportDate,
        rate: campaign.bonusRate,
        units: 0,
        revenueMinor: 0,
        note,
      });
    for (const line of shipment.lines) {
      if (line.bonusState !== "pending") continue;
      const netMinor = line.bonusMinor - line.bonusReturnedMinor;
      if (qualifies) {
        line.bonusState = "confirmed";
        if (netMinor > 0) settled("bonus_confirm", line.asin, netMinor, shipment.reportDate, null);
        continue;
      }
      line.bonusState = "forfeited";
      release(campaign, netMinor); // the forfeited amount goes back to the budget
      // Split by report day: the bonus leaves its shipment's day and, with it, its returns' days.
      const note = "no qualifying content link before the campaign ended";
      settled("bonus_forfeit", line.asin, line.bonusMinor, shipment.reportDate, note);
      for (const r of line.pendingReturns) settled("bonus_forfeit", line.asin, -r.amountMinor, r.reportDate, note);
      line.pendingReturns = [];
    }
  }
  state.pendingShipments.delete(campaignId);
  out.fact({ kind: "campaign_ended", campaignId });
  budgetChanged(campaign, out);
}

function paymentMethodChanged(event: Ev<"PaymentMethodChanged">, out: OutcomeBuilder): void {
  const { creatorId, marketplace, method } = event.data;
  if (out.rules.marketplaces[marketplace].thresholds[method] === undefined) {
    return out.anomaly(
      "payment_method_not_offered",
      `payment method ${method} is not offered in ${marketplace}; the previous method stays`,
      creatorId,
    );
  }
  out.fact({ kind: "payment_method", creatorId, marketplace, method });
}

function payoutIssued(state: EngineState, event: Ev<"PayoutIssued">, out: OutcomeBuilder): void {
  const { creatorId, marketplace, payoutId, amount } = event.data;
  if (state.payouts.has(payoutId)) {
    return out.anomaly("duplicate_payout", `payout ${payoutId} was already issued; this one is not counted`, creatorId);
  }
  const market = out.rules.marketplaces[marketplace];
  const amountMinor = toMinor(new Dec(amount), market.minorDigits);
  // §12: applied as usual (the money moved), and listed.
  if (heldIn(state, creatorId, marketplace)) {
    out.anomaly(
      "paid_while_held",
      `payout ${payoutId} was issued while ${creatorId} is held in ${marketplace}; it is applied as issued`,
      creatorId,
    );
  }
  state.payouts.set(payoutId, { creatorId, marketplace, amountMinor, failed: false });
  postPayout(out, "payout", creatorId, marketplace, market.currency, negate(amountMinor));
  out.fact({
    kind: "payout",
    creatorId,
    marketplace,
    currency: market.currency,
    payoutId,
    amountMinor,
    date: localDate(event.occurredAtMs, market.zone),
  });
}

/** §8.4: the payout's amount goes back to creator:earned (paid drops, payable rises by it). */
function payoutFailed(state: EngineState, event: Ev<"PayoutFailed">, out: OutcomeBuilder): void {
  const { payoutId, reason } = event.data;
  const payout = state.payouts.get(payoutId);
  if (!payout) return out.anomaly("unknown_payout", `PayoutFailed names payout ${payoutId}, which was never issued`);
  if (payout.failed)
    return out.anomaly("payout_already_failed", `payout ${payoutId} has already failed; this failure changes nothing`, payout.creatorId);
  payout.failed = true;
  const market = out.rules.marketplaces[payout.marketplace];
  postPayout(out, "payout_failed", payout.creatorId, payout.marketplace, market.currency, payout.amountMinor);
  out.fact({ kind: "payout_failed", creatorId: payout.creatorId, marketplace: payout.marketplace, payoutId, reason });
}

function postPayout(
  out: OutcomeBuilder,
  kind: "payout" | "payout_failed",
  creatorId: string,
  marketplace: Marketplace["code"],
  currency: string,
  amountMinor: number,
): void {
  out.post(
    { creatorId, campaignId: null, marketplace, currency, shipmentId: null, orderId: null },
    accountAmount(kind, amountMinor, null, null),
  );
}

/** §8.4: earned when it occurs (its month in the marketplace zone), payable like any earning; never touches a budget. */
function commissionAdjusted(state: EngineState, event: Ev<"CommissionAdjusted">, out: OutcomeBuilder): void {
  const { creatorId, marketplace, amount, reasonCode, note, actor, campaignId } = event.data;
  if (campaignId !== undefined) {
    const campaign = state.campaigns.get(campaignId);
    if (!campaign)
      return out.anomaly("unknown_campaign", `adjustment names unknown campaign ${campaignId}; nothing is booked`, creatorId, campaignId);
    if (campaign.marketplace !== marketplace) {
      return out.anomaly(
        "marketplace_mismatch",
        `adjustment in ${marketplace} names campaign ${campaignId} of ${campaign.marketplace}; nothing is booked`,
        creatorId,
        campaignId,
      );
    }
  }
  const market = out.rules.marketplaces[marketplace];
  out.post(
    { creatorId, campaignId: campaignId ?? null, marketplace, currency: market.currency, shipmentId: null, orderId: null },
    // Not campaign activity: not in the daily report (§8.4).
    accountAmount(
      "adjustment",
      toMinor(new Dec(amount), market.minorDigits),
      earningMonth(event.occurredAtMs, market.zone),
      `${reasonCode} by ${actor}: ${note}`,
    ),
  );
}

/** §9: every management fact names a known campaign that has not ended; otherwise it changes nothing. */
function managedCampaign(state: EngineState, campaignId: string, out: OutcomeBuilder): CampaignState | null {
  const campaign = state.campaigns.get(campaignId);
  if (!campaign) {
    out.anomaly("unknown_campaign", `${out.event.type} for unknown campaign ${campaignId}`, null, campaignId);
    return null;
  }
  if (campaign.ended) {
    out.anomaly("campaign_already_ended", `campaign ${campaignId} has ended; this ${out.event.type} changes nothing`, null, campaignId);
    return null;
  }
  return campaign;
}

/** §9: the new total budget; remaining = max(0, budget − spent); nothing granted is taken back. */
function campaignBudgetChanged(state: EngineState, event: Ev<"CampaignBudgetChanged">, out: OutcomeBuilder): void {
  const campaign = managedCampaign(state, event.data.campaignId, out);
  if (!campaign) return;
  const market = marketOf(out.rules, campaign);
  if (fractionDigits(event.data.budget) > market.minorDigits) {
    return out.anomaly(
      "invalid_amount",
      `budget ${event.data.budget} has more fraction digits than ${market.currency} allows (${market.minorDigits})`,
      null,
      campaign.campaignId,
    );
  }
  campaign.budgetMinor = toMinor(new Dec(event.data.budget), market.minorDigits);
  campaignFact(campaign, out);
  budgetChanged(campaign, out); // funds or returns the change of remaining (moveBudget)
}

/** §9: pausing a paused campaign or resuming a running one is an anomaly. */
function campaignPausedOrResumed(state: EngineState, event: Ev<"CampaignPaused"> | Ev<"CampaignResumed">, out: OutcomeBuilder): void {
  const campaign = managedCampaign(state, event.data.campaignId, out);
  if (!campaign) return;
  const pausing = event.type === "CampaignPaused";
  if (pausing === isPaused(campaign)) {
    return out.anomaly(
      "invalid_state",
      `campaign ${campaign.campaignId} is ${pausing ? "already paused" : "not paused"}; this ${event.type} changes nothing`,
      null,
      campaign.campaignId,
    );
  }
  if (pausing) campaign.pauses.push({ fromMs: event.occurredAtMs, toMs: null });
  else campaign.pauses[campaign.pauses.length - 1]!.toMs = event.occurredAtMs;
  campaignFact(campaign, out);
}

/** §9: the new end replaces endsAt for rule 3, rule 5 (content is judged again) and the scheduler. */
function campaignEndChanged(state: EngineState, event: Ev<"CampaignEndChanged">, out: OutcomeBuilder): void {
  const campaign = managedCampaign(state, event.data.campaignId, out);
  if (!campaign) return;
  const endsAtMs = instantMs(event.data.endsAt);
  if (endsAtMs <= campaign.startsAtMs) {
    return out.anomaly(
      "ends_before_start",
      `new end ${event.data.endsAt} is not after the campaign's start ${campaign.startsAt}`,
      null,
      campaign.campaignId,
    );
  }
  const before = campaign.creators.map((creatorId) => contentQualifies(state, campaign, creatorId));
  campaign.endsAt = event.data.endsAt;
  campaign.endsAtMs = endsAtMs;
  campaignFact(campaign, out);
  campaign.creators.forEach((creatorId, i) => {
    const qualified = contentQualifies(state, campaign, creatorId);
    if (qualified !== before[i]) out.fact({ kind: "content", campaignId: campaign.campaignId, creatorId, qualified });
  });
}

/** §11: a deletion names a registered webhook; otherwise it is an anomaly and changes nothing. */
function webhookDeleted(state: EngineState, event: Ev<"WebhookDeleted">, out: OutcomeBuilder): void {
  const { webhookId } = event.data;
  if (!state.webhooks.delete(webhookId))
    return out.anomaly("unknown_webhook", `WebhookDeleted names webhook ${webhookId}, which is not registered`);
  out.fact({ kind: "webhook_deleted", webhookId });
}
