// Batched additive upserts sum a batch's deltas per row before writing (projections/additive.ts):
// those sums stay exact past 2^53 (hardening issue, D5).
import { describe, expect, it } from "vitest";
import { addExact } from "../../projections/additive.ts";

describe("addExact", () => {
  it("adds numbers as numbers while the sum is a safe integer", () => {
    expect(addExact(1, 2)).toBe(3);
    expect(addExact(-5, 2)).toBe(-3);
    expect(addExact(Number.MAX_SAFE_INTEGER - 1, 1)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("goes to bigint, exactly, once the sum passes 2^53", () => {
    expect(addExact(Number.MAX_SAFE_INTEGER, 2)).toBe(9_007_199_254_740_993n);
    expect(addExact(4_600_000_000_000_001, 4_600_000_000_000_000)).toBe(9_200_000_000_000_001n);
    expect(addExact(9_200_000_000_000_001n, -1)).toBe(9_200_000_000_000_000n);
    expect(addExact(-Number.MAX_SAFE_INTEGER, -2)).toBe(-9_007_199_254_740_993n);
  });
});
