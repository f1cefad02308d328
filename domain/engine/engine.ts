// The commission engine (SPEC §4, rule version N): a fold over the event stream in position order.
// `applyEvent(state, event)` returns the event's outcome (postings, facts, anomalies) and advances
// the state. It is deterministic and pure at its boundary — no I/O, clock, environment or
// randomness — and it updates `state` in place because it folds millions of events.
import { earningMonth, instantMs, localDate } from "../calendar.ts";
import type { CurrentEvent, CurrentEventOf } from "../events/envelope.ts";
import type { Marketplace } from "../marketplaces.ts";
import { Dec, lineAmountMinor, proportionMinor, toMinor } from "../money.ts";
import { standardRate, type RuleVersion } from "../rules.ts";
import { disclosureQualifies } from "./disclosure.ts";
import { emptyOutcome, type Anomaly, type AnomalyCode, type Fact, type Outcome, type Posting } from "./outcome.ts";
import { pairKey, type CampaignState, type EngineState, type LineState, type ShipmentState } from "./state.ts";
import { insertStrike, removalTime } from "./strikes.ts";

type Ev<T extends CurrentEvent["type"]> = CurrentEventOf<T>;

/** Collects one event's outcome; every posting gets the next sequence number. */
class OutcomeBuilder {
  readonly outcome: Outcome;
  constructor(readonly event: CurrentEvent, readonly rules: RuleVersion) {
    this.outcome = emptyOutcome(event);
  }

  anomaly(code: AnomalyCode, message: string, creatorId: string | null = null, campaignId: string | null = null): void {
    const a: Anomaly = { position: this.event.position, eventId: this.event.id, eventType: this.event.type, code, message, creatorId, campaignId };
    this.outcome.anomalies.push(a);
  }

  fact(fact: Fact): void {
    this.outcome.facts.push(fact);
  }

  post(p: Omit<Posting, "position" | "seq" | "sourceEventId" | "eventType" | "ruleVersion">): void {
    this.outcome.postings.push({
      position: this.event.position,
      seq: this.outcome.postings.length,
      sourceEventId: this.event.id,
      eventType: this.event.type,
      ruleVersion: this.rules.version,
      ...p,
    });
  }
}

export interface Engine {
  readonly rules: RuleVersion;
  readonly state: EngineState;
  apply(event: CurrentEvent): Outcome;
}

export function createEngine(rules: RuleVersion, state: EngineState): Engine {
  return { rules, state, apply: (event) => applyEvent(state, rules, event) };
}

export function applyEvent(state: EngineState, rules: RuleVersion, event: CurrentEvent): Outcome {
  if (!(event.position > state.position)) {
    throw new Error(`engine: event ${event.id} at position ${event.position} is not after ${state.position}`);
  }
  const out = new OutcomeBuilder(event, rules);
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
      shipmentRecorded(state, event, out);
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
  }
  state.position = event.position;
  return out.outcome;
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
  state.campaigns.set(d.campaignId, {
    campaignId: d.campaignId,
    marketplace: d.marketplace,
    bonusRate: d.bonusRate,
    budgetMinor,
    spentMinor: 0,
    releasedMinor: 0,
    exhaustedAt: null,
    startsAtMs: instantMs(d.startsAt),
    endsAtMs: instantMs(d.endsAt),
    asins: new Set(d.asins),
    ended: false,
  });
  out.fact({ kind: "campaign", campaignId: d.campaignId, brandId: d.brandId, marketplace: d.marketplace, currency: market.currency, budgetMinor, startsAt: d.startsAt, endsAt: d.endsAt });
  budgetChanged(state.campaigns.get(d.campaignId)!, out);
}

/** Reports the budget after an event that changed it, and keeps exhaustedAt (SPEC §5 budget). */
function budgetChanged(campaign: CampaignState, out: OutcomeBuilder): void {
  const remainingMinor = campaign.budgetMinor - campaign.spentMinor;
  if (remainingMinor < 0 || campaign.spentMinor < 0) throw new Error(`engine: campaign ${campaign.campaignId} budget out of range (spent ${campaign.spentMinor})`);
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
}

function campaignAccepted(state: EngineState, event: Ev<"CampaignAccepted">, out: OutcomeBuilder): void {
  const { campaignId, creatorId, trackingId } = event.data;
  const campaign = state.campaigns.get(campaignId);
  if (!campaign) return out.anomaly("unknown_campaign", `acceptance of unknown campaign ${campaignId}`, creatorId, campaignId);
  const key = pairKey(campaignId, creatorId);
  if (state.accepted.has(key)) {
    return out.anomaly("duplicate_acceptance", `creator ${creatorId} already accepted campaign ${campaignId}; this acceptance is ignored`, creatorId, campaignId);
  }
  if (state.acceptances.has(trackingId)) {
    return out.anomaly("tracking_id_in_use", `tracking id ${trackingId} is already in use; this acceptance is ignored`, creatorId, campaignId);
  }
  state.accepted.add(key);
  state.acceptances.set(trackingId, { creatorId, campaignId });
  out.fact({ kind: "acceptance", campaignId, creatorId, trackingId, marketplace: campaign.marketplace });
}

function contentLinkSubmitted(state: EngineState, event: Ev<"ContentLinkSubmitted">, out: OutcomeBuilder): void {
  const { campaignId, creatorId, disclosure } = event.data;
  const campaign = state.campaigns.get(campaignId);
  if (!campaign) return out.anomaly("unknown_campaign", `content link for unknown campaign ${campaignId}`, creatorId, campaignId);
  if (!state.accepted.has(pairKey(campaignId, creatorId))) {
    return out.anomaly("unknown_acceptance", `creator ${creatorId} has not accepted campaign ${campaignId}`, creatorId, campaignId);
  }
  // Rule 5: it must be applied before CampaignEnded and have occurredAt < endsAt.
  if (campaign.ended || event.occurredAtMs >= campaign.endsAtMs) {
    return out.anomaly("content_after_campaign_end", `content link submitted after campaign ${campaignId} ended; it does not count`, creatorId, campaignId);
  }
  if (!disclosureQualifies(disclosure)) {
    return out.anomaly("missing_disclosure", `disclosure ${JSON.stringify(disclosure.slice(0, 80))} has none of the words ad, #ad, sponsored, advertisement`, creatorId, campaignId);
  }
  state.contentQualified.add(pairKey(campaignId, creatorId));
  out.fact({ kind: "content_qualified", campaignId, creatorId });
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

function shipmentRecorded(state: EngineState, event: Ev<"ShipmentRecorded"> | Ev<"SubscribeAndSaveFirstShipment">, out: OutcomeBuilder): void {
  const d = event.data;
  const acceptance = state.acceptances.get(d.trackingId);
  if (!acceptance) return out.anomaly("unknown_tracking_id", `shipment ${d.shipmentId} names unknown tracking id ${d.trackingId}; no commission`);
  const { creatorId, campaignId } = acceptance;
  if (state.shipments.has(d.shipmentId)) {
    return out.anomaly("duplicate_shipment", `shipment ${d.shipmentId} is already recorded; this one earns nothing`, creatorId, campaignId);
  }
  if (event.type === "SubscribeAndSaveFirstShipment") {
    const subscriptionId = (d as Ev<"SubscribeAndSaveFirstShipment">["data"]).subscriptionId;
    if (state.subscriptions.has(subscriptionId)) {
      return out.anomaly("duplicate_subscribe_and_save", `subscription ${subscriptionId} already had its first shipment (rule 6); this one earns nothing`, creatorId, campaignId);
    }
    state.subscriptions.add(subscriptionId);
  }

  const campaign = state.campaigns.get(campaignId)!;
  const market = marketOf(out.rules, campaign);
  const digits = market.minorDigits;
  const month = earningMonth(event.occurredAtMs, market.zone);
  const reportDate = localDate(event.occurredAtMs, market.zone);
  const orderedAtMs = instantMs(d.orderedAt);
  const removedAtMs = state.strikes.get(creatorId)?.removedAtMs ?? null;
  // Rule 3: the order falls in [startsAt, endsAt) and the creator was not removed at orderedAt.
  const orderQualifies = campaign.startsAtMs <= orderedAtMs && orderedAtMs < campaign.endsAtMs && (removedAtMs === null || orderedAtMs < removedAtMs);
  const qualifiesContent = state.contentQualified.has(pairKey(campaignId, creatorId));

  const shipment: ShipmentState = { shipmentId: d.shipmentId, orderId: d.orderId, creatorId, campaignId, earningMonth: month, reportDate, lines: [] };
  const common = { creatorId, campaignId, marketplace: campaign.marketplace, currency: market.currency, shipmentId: d.shipmentId, orderId: d.orderId, earningMonth: month, reportDate };
  let hasPending = false;
  const spentBefore = campaign.spentMinor;
  for (const line of d.lines) {
    const rate = standardRate(out.rules, line.category);
    const standardMinor = lineAmountMinor(line.quantity, line.unitPrice, rate, digits);
    const revenueMinor = lineAmountMinor(line.quantity, line.unitPrice, "1", digits);
    out.post({ ...common, kind: "standard", asin: line.asin, amountMinor: standardMinor, rate, units: line.quantity, revenueMinor, note: null });
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
    const remainingMinor = campaign.budgetMinor - campaign.spentMinor;
    const bonusMinor = Math.min(uncappedMinor, remainingMinor); // rule 4: capped at the remaining budget
    if (bonusMinor <= 0) continue;
    const note = bonusMinor < uncappedMinor ? `capped by the budget: ${uncappedMinor} → ${bonusMinor} minor units` : null;
    lineState.bonusMinor = bonusMinor;
    const bonus = { ...common, asin: line.asin, amountMinor: bonusMinor, rate: campaign.bonusRate, units: 0, revenueMinor: 0 };
    if (!campaign.ended) {
      lineState.bonusState = "pending";
      campaign.spentMinor += bonusMinor;
      hasPending = true;
      out.post({ ...bonus, kind: "bonus_pending", note });
    } else if (qualifiesContent) {
      // Rule 5, last sentence: after CampaignEnded the bonus is confirmed or forfeited at once.
      lineState.bonusState = "confirmed";
      campaign.spentMinor += bonusMinor;
      out.post({ ...bonus, kind: "bonus_confirmed", note });
    } else {
      lineState.bonusState = "forfeited"; // never touches the budget
      out.post({ ...bonus, kind: "bonus_forfeited", note: note ?? "campaign ended without qualifying content" });
    }
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
  const common = { creatorId, campaignId, marketplace: campaign.marketplace, currency: market.currency, shipmentId: shipment.shipmentId, orderId: shipment.orderId, reportDate: returnDate };

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
      returnLine(line, units, campaign, { returnMonth, shipmentMonth: shipment.earningMonth }, { ...common, asin: line.asin }, out);
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

type ReturnCommon = Pick<Posting, "creatorId" | "campaignId" | "marketplace" | "currency" | "shipmentId" | "orderId" | "reportDate" | "asin">;

/** Rule 8 for one line: reverse `units` of it, never past the line's original amounts. */
function returnLine(
  line: LineState,
  units: number,
  campaign: CampaignState,
  months: { returnMonth: string; shipmentMonth: string },
  common: ReturnCommon,
  out: OutcomeBuilder,
): void {
  const { returnMonth, shipmentMonth } = months;
  const standardMinor = reversalMinor(line.standardMinor, line.standardReversedMinor, units, line);
  const revenueMinor = reversalMinor(line.revenueMinor, line.revenueReturnedMinor, units, line);
  line.standardReversedMinor += standardMinor;
  line.revenueReturnedMinor += revenueMinor;
  out.post({ ...common, kind: "standard_reversal", amountMinor: negate(standardMinor), earningMonth: returnMonth, rate: line.standardRate, units: -units, revenueMinor: negate(revenueMinor), note: null });

  if (line.bonusState !== "pending" && line.bonusState !== "confirmed") return; // a forfeited bonus is never reversed
  const bonusMinor = reversalMinor(line.bonusMinor, line.bonusReturnedMinor, units, line);
  if (bonusMinor <= 0) return;
  line.bonusReturnedMinor += bonusMinor;
  campaign.spentMinor -= bonusMinor; // goes back to the budget
  campaign.releasedMinor += bonusMinor;
  const bonus = { ...common, amountMinor: -bonusMinor, rate: campaign.bonusRate, units: 0, revenueMinor: 0 };
  if (line.bonusState === "pending") {
    // Not yet earned, so not a reversal: it lowers the pending bonus of the shipment's month.
    line.pendingReturns.push({ reportDate: common.reportDate, amountMinor: bonusMinor });
    out.post({ ...bonus, kind: "bonus_pending_return", earningMonth: shipmentMonth, note: null });
  } else {
    out.post({ ...bonus, kind: "bonus_reversal", earningMonth: returnMonth, note: null });
  }
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
  if (campaign.ended) return out.anomaly("campaign_already_ended", `campaign ${campaignId} has already ended; this CampaignEnded changes nothing`, null, campaignId);
  campaign.ended = true;
  const market = marketOf(out.rules, campaign);
  // Rule 5: settle every pending bonus of the campaign, shipment by shipment, in the order recorded.
  for (const shipmentId of state.pendingShipments.get(campaignId) ?? []) {
    const shipment = state.shipments.get(shipmentId)!;
    const qualifies = state.contentQualified.has(pairKey(campaignId, shipment.creatorId));
    const common = {
      creatorId: shipment.creatorId,
      campaignId,
      marketplace: campaign.marketplace,
      currency: market.currency,
      shipmentId,
      orderId: shipment.orderId,
      earningMonth: shipment.earningMonth, // a settled bonus keeps its shipment's month (rule 9)
      rate: campaign.bonusRate,
      units: 0,
      revenueMinor: 0,
    };
    for (const line of shipment.lines) {
      if (line.bonusState !== "pending") continue;
      const netMinor = line.bonusMinor - line.bonusReturnedMinor;
      if (qualifies) {
        line.bonusState = "confirmed";
        if (netMinor > 0) out.post({ ...common, kind: "bonus_confirm", asin: line.asin, amountMinor: netMinor, reportDate: shipment.reportDate, note: null });
        continue;
      }
      line.bonusState = "forfeited";
      campaign.spentMinor -= netMinor; // the forfeited amount goes back to the budget
      campaign.releasedMinor += netMinor;
      // Split by report day: the bonus leaves its shipment's day and, with it, its returns' days.
      const note = "no qualifying content link before the campaign ended";
      out.post({ ...common, kind: "bonus_forfeit", asin: line.asin, amountMinor: line.bonusMinor, reportDate: shipment.reportDate, note });
      for (const r of line.pendingReturns) {
        out.post({ ...common, kind: "bonus_forfeit", asin: line.asin, amountMinor: -r.amountMinor, reportDate: r.reportDate, note });
      }
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
    return out.anomaly("payment_method_not_offered", `payment method ${method} is not offered in ${marketplace}; the previous method stays`, creatorId);
  }
  out.fact({ kind: "payment_method", creatorId, marketplace, method });
}

function payoutIssued(state: EngineState, event: Ev<"PayoutIssued">, out: OutcomeBuilder): void {
  const { creatorId, marketplace, payoutId, amount } = event.data;
  if (state.payouts.has(payoutId)) {
    return out.anomaly("duplicate_payout", `payout ${payoutId} was already issued; this one is not counted`, creatorId);
  }
  state.payouts.add(payoutId);
  const market = out.rules.marketplaces[marketplace];
  out.fact({
    kind: "payout",
    creatorId,
    marketplace,
    currency: market.currency,
    payoutId,
    amountMinor: toMinor(new Dec(amount), market.minorDigits),
    date: localDate(event.occurredAtMs, market.zone),
  });
}

