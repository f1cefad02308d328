// SPEC §14 in the engine: RuleVersionScheduled makes shipments (and S&S first shipments) whose
// occurredAt is at or after effectiveFrom earn standard commission by that rule version; earlier
// ones keep theirs; a return reverses at the original line's amount and names its rule version.
// With several, the latest effectiveFrom at or before the shipment wins (the later event on a tie).
// An unknown version is `unknown_rule_version` (reported first), one reaching back before its own
// event `retroactive_rule_change`; neither schedules anything. Version 2 = version 1 with toys 0.04.
import { describe, expect, it } from "vitest";
import { applyEvent } from "../../domain/engine/engine.ts";
import { emptyState } from "../../domain/engine/state.ts";
import { toCurrentEvent } from "../../domain/events/current.ts";
import { validateBatch } from "../../domain/events/validate.ts";
import { RULES_V1 } from "../../domain/rules.ts";
import {
  accepted,
  campaignCreated,
  given,
  line,
  onlyAnomaly,
  returned,
  ruleVersionScheduled,
  shipped,
  snsFirst,
  type RawEvent,
} from "../support/domainFixtures.ts";

const setup = () => [campaignCreated({ asins: ["NOT-SOLD"] }), accepted()];
/** One toys line of 100.00: 3.00 under version 1, 4.00 under version 2. */
const toys = (shipmentId: string, occurredAt: string) => shipped({ shipmentId, occurredAt, lines: [line("TOY", "toys", 1, "100.00")] });
/** [kind, amount, ruleVersion, rate] of the standard entries. */
const standard = (r: { postings: readonly { kind: string; amountMinor: number; ruleVersion: number; rate: string | null }[] }) =>
  r.postings.filter((p) => p.kind.startsWith("standard")).map((p) => [p.kind, p.amountMinor, p.ruleVersion, p.rate]);

describe("RuleVersionScheduled", () => {
  it("shipments from effectiveFrom on earn by the scheduled version; earlier ones keep version 1", () => {
    const history = [...setup(), ruleVersionScheduled({ effectiveFrom: "2026-03-10T00:00:00Z" })];
    expect(standard(given(history).when(toys("S-before", "2026-03-09T23:59:59Z")))).toEqual([["standard", 300, 1, "0.03"]]);
    expect(standard(given(history).when(toys("S-at", "2026-03-10T00:00:00Z")))).toEqual([["standard", 400, 2, "0.04"]]);
    expect(standard(given(history).when(toys("S-after", "2026-03-20T00:00:00Z")))).toEqual([["standard", 400, 2, "0.04"]]);
  });

  it("applies to S&S first shipments too; categories version 2 does not change earn the same", () => {
    const history = [...setup(), ruleVersionScheduled({ effectiveFrom: "2026-03-10T00:00:00Z" })];
    const r = given(history).when(
      snsFirst({
        shipmentId: "SNS",
        occurredAt: "2026-03-11T00:00:00Z",
        lines: [line("TOY", "toys", 2, "10.00"), line("BK", "kitchen", 1, "10.00")],
      }),
    );
    expect(standard(r)).toEqual([
      ["standard", 80, 2, "0.04"],
      ["standard", 45, 2, "0.045"],
    ]);
  });

  it("a return reverses at the original line's amount and names that line's version, whatever is in force", () => {
    const history = [
      ...setup(),
      toys("S1", "2026-03-09T00:00:00Z"),
      ruleVersionScheduled({ occurredAt: "2026-03-09T12:00:00Z", effectiveFrom: "2026-03-10T00:00:00Z" }),
    ];
    expect(standard(given(history).when(returned({ shipmentId: "S1", lines: [{ asin: "TOY", quantity: 1 }] })))).toEqual([
      ["standard_reversal", -300, 1, "0.03"],
    ]);
    const later = [...setup(), ruleVersionScheduled({ effectiveFrom: "2026-03-10T00:00:00Z" }), toys("S2", "2026-03-11T00:00:00Z")];
    expect(standard(given(later).when(returned({ shipmentId: "S2", lines: [{ asin: "TOY", quantity: 1 }] })))).toEqual([
      ["standard_reversal", -400, 2, "0.04"],
    ]);
  });

  it("with several, the latest effectiveFrom at or before the shipment wins; on a tie, the later event", () => {
    const back = ruleVersionScheduled({ ruleVersion: 1, effectiveFrom: "2026-03-15T00:00:00Z" });
    const history = [...setup(), ruleVersionScheduled({ effectiveFrom: "2026-03-10T00:00:00Z" }), back];
    expect(standard(given(history).when(toys("S-12", "2026-03-12T00:00:00Z")))).toEqual([["standard", 400, 2, "0.04"]]);
    expect(standard(given(history).when(toys("S-16", "2026-03-16T00:00:00Z")))).toEqual([["standard", 300, 1, "0.03"]]);
    // Scheduled out of order: a later event with an earlier effectiveFrom still sorts by effectiveFrom.
    const outOfOrder = [...setup(), back, ruleVersionScheduled({ effectiveFrom: "2026-03-10T00:00:00Z" })];
    expect(standard(given(outOfOrder).when(toys("S-16b", "2026-03-16T00:00:00Z")))).toEqual([["standard", 300, 1, "0.03"]]);
    const tie = [
      ...setup(),
      ruleVersionScheduled({ effectiveFrom: "2026-03-10T00:00:00Z" }),
      ruleVersionScheduled({ ruleVersion: 1, effectiveFrom: "2026-03-10T00:00:00Z" }),
    ];
    expect(standard(given(tie).when(toys("S-tie", "2026-03-11T00:00:00Z")))).toEqual([["standard", 300, 1, "0.03"]]);
  });

  it("an unknown version is unknown_rule_version (before retroactive_rule_change); nothing is scheduled", () => {
    const r = given(setup()).when(
      ruleVersionScheduled({ ruleVersion: 99, occurredAt: "2026-03-10T00:00:00Z", effectiveFrom: "2026-03-01T00:00:00Z" }),
    );
    onlyAnomaly(r, "unknown_rule_version", null, null);
    expect(r.anomalies[0]!.message).toBe("rule version 99 is not known to this ledger (known: 1, 2); nothing is scheduled");
    expect(r.state.ruleSchedule).toEqual([]);
  });

  it("effectiveFrom before its own occurredAt is retroactive_rule_change; at it, it is not", () => {
    const r = given(setup()).when(ruleVersionScheduled({ occurredAt: "2026-03-10T00:00:00Z", effectiveFrom: "2026-03-09T23:59:59.999Z" }));
    onlyAnomaly(r, "retroactive_rule_change", null, null);
    expect(r.state.ruleSchedule).toEqual([]);
    const refused = ruleVersionScheduled({ occurredAt: "2026-03-10T00:00:00Z", effectiveFrom: "2026-03-09T00:00:00Z" });
    expect(standard(given([...setup(), refused]).when(toys("S", "2026-03-11T00:00:00Z")))).toEqual([["standard", 300, 1, "0.03"]]);
    const atItself = given(setup()).when(
      ruleVersionScheduled({ occurredAt: "2026-03-10T00:00:00Z", effectiveFrom: "2026-03-10T00:00:00Z" }),
    );
    expect(atItself.anomalies).toEqual([]);
    expect(atItself.state.ruleSchedule).toEqual([{ ruleVersion: 2, effectiveFromMs: Date.parse("2026-03-10T00:00:00Z"), position: 3 }]);
  });

  it("the 'ignore' mode computes every shipment by the lane's version (what a true-up compares with)", () => {
    const raws: RawEvent[] = [
      ...setup(),
      ruleVersionScheduled({ effectiveFrom: "2026-03-10T00:00:00Z" }),
      toys("S", "2026-03-11T00:00:00Z"),
    ];
    const validation = validateBatch(raws);
    if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
    const state = emptyState();
    const outcomes = validation.events.map((e, i) => applyEvent(state, RULES_V1, toCurrentEvent({ ...e, position: i + 1 }), "ignore"));
    expect(standard({ postings: outcomes.flatMap((o) => o.postings) })).toEqual([["standard", 300, 1, "0.03"]]);
  });
});
