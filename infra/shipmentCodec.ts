// A shipment's engine state as the snapshot file keeps it (infra/engineSnapshots.ts): a JSON array
// of its fields in a fixed order instead of an object, its id left out (it is the row's key). Every
// shipment is written at least once while the engine folds the log (a quarter of a million at
// 1,000,000 events), and the object form repeated each field's name on every line: 550 bytes a
// shipment on average against about 150 this way, and less to stringify, parse and write
// (docs/scaling.md, under this file).
//
// Each side names every field of the state: `noOtherFields` fails to compile when ShipmentState or
// LineState gains one this file does not write, and the object literals in decode when one is
// missing (raise SNAPSHOT_FORMAT with any change here).
import type { BonusState, LineState, ShipmentState } from "../domain/engine/state.ts";

type PendingReturn = LineState["pendingReturns"][number];
type LineTuple = [
  asin: string,
  quantity: number,
  standardRate: string,
  standardMinor: number,
  standardReversedMinor: number,
  revenueMinor: number,
  revenueReturnedMinor: number,
  returnedQuantity: number,
  bonusState: BonusState,
  bonusMinor: number,
  bonusReturnedMinor: number,
  pendingReturns: [reportDate: string, amountMinor: number][],
];
type ShipmentTuple = [
  orderId: string,
  creatorId: string,
  campaignId: string,
  earningMonth: string,
  reportDate: string,
  ruleVersion: number,
  lines: LineTuple[],
];

function noOtherFields(rest: Record<string, never>): void {
  void rest;
}

function encodeLine(line: LineState): LineTuple {
  const {
    asin,
    quantity,
    standardRate,
    standardMinor,
    standardReversedMinor,
    revenueMinor,
    revenueReturnedMinor,
    returnedQuantity,
    bonusState,
    bonusMinor,
    bonusReturnedMinor,
    pendingReturns,
    ...rest
  } = line;
  noOtherFields(rest);
  return [
    asin,
    quantity,
    standardRate,
    standardMinor,
    standardReversedMinor,
    revenueMinor,
    revenueReturnedMinor,
    returnedQuantity,
    bonusState,
    bonusMinor,
    bonusReturnedMinor,
    pendingReturns.map((r: PendingReturn) => [r.reportDate, r.amountMinor]),
  ];
}

/** The stored text of a shipment's state (its id is the row's key, not part of the text). */
export function encodeShipment(shipment: ShipmentState): string {
  const { shipmentId, orderId, creatorId, campaignId, earningMonth, reportDate, ruleVersion, lines, ...rest } = shipment;
  void shipmentId;
  noOtherFields(rest);
  const tuple: ShipmentTuple = [orderId, creatorId, campaignId, earningMonth, reportDate, ruleVersion, lines.map(encodeLine)];
  return JSON.stringify(tuple);
}

/** The state `encodeShipment` wrote for `shipmentId`. */
export function decodeShipment(shipmentId: string, text: string): ShipmentState {
  const [orderId, creatorId, campaignId, earningMonth, reportDate, ruleVersion, lines] = JSON.parse(text) as ShipmentTuple;
  return {
    shipmentId,
    orderId,
    creatorId,
    campaignId,
    earningMonth,
    reportDate,
    ruleVersion,
    lines: lines.map(
      ([
        asin,
        quantity,
        standardRate,
        standardMinor,
        standardReversedMinor,
        revenueMinor,
        revenueReturnedMinor,
        returnedQuantity,
        bonusState,
        bonusMinor,
        bonusReturnedMinor,
        pendingReturns,
      ]): LineState => ({
        asin,
        quantity,
        standardRate,
        standardMinor,
        standardReversedMinor,
        revenueMinor,
        revenueReturnedMinor,
        returnedQuantity,
        bonusState,
        bonusMinor,
        bonusReturnedMinor,
        pendingReturns: pendingReturns.map(([date, amountMinor]) => ({ reportDate: date, amountMinor })),
      }),
    ),
  };
}
