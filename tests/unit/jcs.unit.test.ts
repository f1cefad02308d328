// RFC 8785 (JCS) with the RFC's own examples: §3.2.2's sample (literals, numbers in ECMAScript
// form, string escapes) and §3.2.3's property sorting by UTF-16 code units; and the values an
// event envelope holds.
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../domain/events/jcs.ts";

describe("canonicalJson (RFC 8785)", () => {
  it("§3.2.2: the RFC's sample input gives the RFC's output, byte for byte", () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], ' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("§3.2.3: properties sorted by their UTF-16 code units", () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", ' +
        '"\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    );
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
        '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it("nested objects and arrays, -0, absent (undefined) members; no NaN, Infinity or functions", () => {
    expect(canonicalJson({ b: [1, { d: 2, c: -0 }], a: "x", u: undefined })).toBe('{"a":"x","b":[1,{"c":0,"d":2}]}');
    expect(() => canonicalJson(Number.NaN)).toThrow("is not a JSON number");
    expect(() => canonicalJson({ f: () => 1 })).toThrow("a function is not a JSON value");
  });
});
