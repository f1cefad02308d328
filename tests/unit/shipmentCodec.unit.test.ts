// The snapshot file's form of a shipment (infra/shipmentCodec.ts): every field comes back as it was.
import { describe, expect, it } from "vitest";
import type { ShipmentState } from "../../domain/engine/state.ts";
import { decodeShipment, encodeShipment } from "../../infra/shipmentCodec.ts";

const shipment: ShipmentState = {
  shipmentId: "shp-1",
  orderId: "ord-1",
  creatorId: "cr-1",
  campaignId: "cmp-1",
  earningMonth: "2025-06",
  reportDate: "2025-06-30",
  ruleVersion: 2,
  lines: [
    {
      asin: "B000000ECM",
      quantity: 3,
      standardRate: "0.03",
      standardMinor: 336,
      standardReversedMinor: 112,
      revenueMinor: 11198,
      revenueReturnedMinor: 3733,
      returnedQuantity: 1,
      bonusState: "pending",
      bonusMinor: 560,
      bonusReturnedMinor: 187,
      pendingReturns: [
        { reportDate: "2025-07-02", amountMinor: 187 },
        { reportDate: "2025-07-09", amountMinor: 0 },
      ],
    },
    {
      asin: "B000000XYZ",
      quantity: 1,
      standardRate: "0.04",
      standardMinor: 40,
      standardReversedMinor: 0,
      revenueMinor: 1000,
      revenueReturnedMinor: 0,
      returnedQuantity: 0,
      bonusState: "forfeited",
      bonusMinor: 0,
      bonusReturnedMinor: 0,
      pendingReturns: [],
    },
  ],
};

describe("shipment codec", () => {
  it("decodes what it encoded, field for field, with the id from the row's key", () => {
    const text = encodeShipment(shipment);
    expect(decodeShipment("shp-1", text)).toEqual(shipment);
    expect(text).toBe(
      '["ord-1","cr-1","cmp-1","2025-06","2025-06-30",2,[["B000000ECM",3,"0.03",336,112,11198,3733,1,"pending",560,187,[["2025-07-02",187],["2025-07-09",0]]],' +
        '["B000000XYZ",1,"0.04",40,0,1000,0,0,"forfeited",0,0,[]]]]',
    );
  });

  it("is a third of the object form's size", () => {
    expect(encodeShipment(shipment).length * 3).toBeLessThan(JSON.stringify(shipment).length);
  });
});
