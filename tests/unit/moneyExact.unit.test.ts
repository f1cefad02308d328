// SPEC §4 rounding: the engine's BigInt fast path (lineAmountMinor, proportionMinor) must equal
// decimal.js half-even arithmetic for every input in range.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, lineAmountMinor, proportionMinor, roundHalfEven, toMinor } from "../../domain/money.ts";

const price = fc
  .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 0, max: 4 }))
  .map(([whole, frac, digits]) => (digits === 0 ? String(whole) : `${whole}.${String(frac).padStart(4, "0").slice(0, digits)}`));
const rate = fc.constantFrom("0", "0.01", "0.02", "0.025", "0.03", "0.04", "0.045", "0.05", "0.10", "0.20", "0.125", "0.333", "1");

describe("exact scaled-integer money equals decimal.js half-even", () => {
  it("hand-picked ties", () => {
    expect(lineAmountMinor(1, "2.345", "1", 2)).toBe(234);
    expect(lineAmountMinor(1, "2.355", "1", 2)).toBe(236);
    expect(lineAmountMinor(1, "40.5", "1", 0)).toBe(40);
    expect(lineAmountMinor(1, "41.5", "1", 0)).toBe(42);
    expect(lineAmountMinor(3, "9.99", "0.03", 2)).toBe(90); // 0.8991 → 0.90
    expect(proportionMinor(5, 1, 2)).toBe(2); // 2.5 → 2
    expect(proportionMinor(7, 1, 2)).toBe(4); // 3.5 → 4
  });

  it("lineAmountMinor matches decimal.js for random quantities, prices, rates and currencies", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), price, rate, fc.constantFrom(0, 2), (quantity, unitPrice, r, digits) => {
        const expected = toMinor(roundHalfEven(new Dec(unitPrice).mul(quantity).mul(r), digits), digits);
        expect(lineAmountMinor(quantity, unitPrice, r, digits)).toBe(expected);
      }),
      { seed: 20261125, numRuns: 2_000 },
    );
  });

  it("proportionMinor matches decimal.js", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        (amount, whole, partSeed) => {
          const part = partSeed % (whole + 1);
          const expected = new Dec(amount).mul(part).div(whole).toDecimalPlaces(0, Dec.ROUND_HALF_EVEN).toNumber();
          expect(proportionMinor(amount, part, whole)).toBe(expected);
        },
      ),
      { seed: 20261125, numRuns: 2_000 },
    );
  });
});
