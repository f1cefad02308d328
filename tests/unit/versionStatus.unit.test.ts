// What the replay reads call a projection version (issue 22.9e): a version not yet promoted is
// `building` only while some process moves its checkpoint; else `idle` at the store's head, or
// `stalled` behind it. Active and retired versions are what they are.
import { describe, expect, it } from "vitest";
import { shownStatus } from "../../projections/versionProgress.ts";

const STALL_MS = 30_000;
const NOW_MS = 1_800_000_000_000;

describe("shownStatus", () => {
  it("a version whose checkpoint moved less than LEDGER_HEALTH_STALL_MS ago is building, behind or not", () => {
    expect(shownStatus("building", 500, NOW_MS - 29_999, NOW_MS, STALL_MS)).toBe("building");
    expect(shownStatus("building", 0, NOW_MS, NOW_MS, STALL_MS)).toBe("building");
  });

  it("one whose checkpoint has not moved for that long is stalled when behind, idle at the head", () => {
    expect(shownStatus("building", 500, NOW_MS - 30_000, NOW_MS, STALL_MS)).toBe("stalled");
    expect(shownStatus("building", 0, NOW_MS - 30_000, NOW_MS, STALL_MS)).toBe("idle");
  });

  it("one with no recorded time (made by an older release) is not called building", () => {
    expect(shownStatus("building", 3, undefined, NOW_MS, STALL_MS)).toBe("stalled");
    expect(shownStatus("building", 0, undefined, NOW_MS, STALL_MS)).toBe("idle");
  });

  it("active and retired versions keep their status, moving or not", () => {
    expect(shownStatus("active", 500, NOW_MS - 3_600_000, NOW_MS, STALL_MS)).toBe("active");
    expect(shownStatus("retired", 500, undefined, NOW_MS, STALL_MS)).toBe("retired");
  });
});
