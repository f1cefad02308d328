// The bounded body readers (services/http/bodies.ts, domain/events/jsonBatch.ts, hardening D2): the
// depth and element scan that runs before JSON.parse, and the NDJSON reader fed in arbitrary chunks.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventsOfJsonText, looksLikeNdjson } from "../../domain/events/jsonBatch.ts";
import { JSON_DEPTH_MAX, scanJson } from "../../domain/events/jsonScan.ts";
import { jsonTextRefused, NdjsonReader, parseJsonBody } from "../../services/http/bodies.ts";
import { HttpError } from "../../services/http/errors.ts";

/** A POST /v1/events application/json body as the API answers it: read on the ingest thread, refused by the API. */
function eventsOfJsonBody(text: string, eventsMax: number): unknown[] {
  const read = eventsOfJsonText(text, eventsMax);
  if (!read.ok) throw jsonTextRefused(read.refusal);
  return read.value;
}

describe("scanJson", () => {
  it("counts top-level array elements, whatever they are", () => {
    expect(scanJson("[]", 16)).toEqual({ ok: true, arrayElements: 0 });
    expect(scanJson(' [ 1 , "a,]" , {"b":[1,2]} , [[]] , null ] ', 16)).toEqual({ ok: true, arrayElements: 5 });
    expect(scanJson('{"a":[1,2,3]}', 16)).toEqual({ ok: true, arrayElements: null });
    expect(scanJson('"text"', 16)).toEqual({ ok: true, arrayElements: null });
  });

  it("ignores brackets inside strings, minding escapes", () => {
    expect(scanJson(`["[[[[", "\\"[[[[", "\\\\", "{{{{"]`, 2)).toEqual({ ok: true, arrayElements: 4 });
    // After an escaped backslash the quote ends the string: the brackets after it count.
    expect(scanJson(`["\\\\", [[[]]]]`, 3)).toMatchObject({ ok: false, element: 1 });
  });

  it("stops at the first level deeper than the maximum and says where", () => {
    expect(scanJson("[".repeat(JSON_DEPTH_MAX) + "]".repeat(JSON_DEPTH_MAX), JSON_DEPTH_MAX)).toEqual({ ok: true, arrayElements: 1 });
    expect(scanJson("[{},\n  {},\n  " + "[".repeat(20), JSON_DEPTH_MAX)).toEqual({
      ok: false,
      element: 2,
      line: 3,
      column: 3 + JSON_DEPTH_MAX - 1,
    });
  });

  it("agrees with JSON.parse on the element count and depth of any JSON value", () => {
    const depthOf = (v: unknown): number => (v !== null && typeof v === "object" ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom("", " ", "\n", "\t "), (value, space) => {
        const text = JSON.stringify(value, null, space);
        const scan = scanJson(text, 4);
        if (depthOf(value) > 4) expect(scan.ok).toBe(false);
        else expect(scan).toEqual({ ok: true, arrayElements: Array.isArray(value) ? value.length : null });
      }),
      { seed: 0xb0d1e5, numRuns: 500 },
    );
  });
});

describe("NdjsonReader", () => {
  const text = '{"a":1}\r\n\n  \n{"b":"é😀"}\nnot json\n' + "[".repeat(JSON_DEPTH_MAX + 1) + "\n{}";

  it("gives the same answer however the bytes are chunked (multi-byte characters split too)", () => {
    const bytes = Buffer.from(text, "utf8");
    const read = (cuts: number[]) => {
      const reader = new NdjsonReader({ bodyLimitBytes: 1_000, eventsMax: 10 });
      let at = 0;
      for (const cut of [...cuts.sort((a, b) => a - b), bytes.length]) {
        reader.push(bytes.subarray(at, Math.max(at, cut)));
        at = Math.max(at, cut);
      }
      return reader.end();
    };
    const whole = read([]);
    expect(whole.values).toEqual([]); // a refused batch keeps no values
    expect(whole.problems.map((p) => [p.index, p.id, p.path])).toEqual([
      [2, null, ""],
      [3, null, ""],
    ]);
    expect(whole.problems[0]!.message).toMatch(/^line 5: not valid JSON/);
    expect(whole.problems[1]!.message).toMatch(/^line 6: nesting is deeper than 16 levels at column 17/);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: bytes.length }), { maxLength: 8 }), (cuts) => {
        expect(read(cuts)).toEqual(whole);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("keeps the values of a valid body", () => {
    const reader = new NdjsonReader({ bodyLimitBytes: 1_000, eventsMax: 2 });
    reader.push(Buffer.from('{"a":1}\n\n{"b":"é"}'));
    expect(reader.end()).toEqual({ values: [{ a: 1 }, { b: "é" }], problems: [] });
  });

  it("refuses the event after the maximum at once, and a body over the byte limit", () => {
    const reader = new NdjsonReader({ bodyLimitBytes: 1_000, eventsMax: 2 });
    expect(() => reader.push(Buffer.from("{}\n{}\n{}\n"))).toThrow(
      expect.objectContaining({ statusCode: 413, message: expect.stringContaining("line 3 is event 3") }),
    );
    const small = new NdjsonReader({ bodyLimitBytes: 5, eventsMax: 10 });
    expect(() => small.push(Buffer.from("{}\n{}\n"))).toThrow(HttpError);
  });
});

describe("a POST /v1/events application/json body that does not parse (issue 22.9c)", () => {
  const refusal = (text: string, parse: (text: string, eventsMax: number) => unknown = eventsOfJsonBody) => {
    try {
      parse(text, 10);
    } catch (error) {
      return { status: (error as HttpError).statusCode, message: (error as HttpError).message };
    }
    throw new Error("parsed");
  };

  it("names NDJSON and the Content-Type to send when it reads as NDJSON", () => {
    const ndjson = '{"id":"a"}\n{"id":"b"}\n';
    expect(refusal(ndjson)).toEqual({
      status: 400,
      message:
        "the body looks like NDJSON; send it as Content-Type: application/x-ndjson " +
        "(as application/json it is not valid JSON: Unexpected non-whitespace character after JSON at position 11)",
    });
  });

  it("keeps the plain message for other JSON bodies (a payout run, a webhook) and for JSON that is just broken", () => {
    expect(refusal('{"id":"a"}\n{"id":"b"}\n', parseJsonBody)).toEqual({
      status: 400,
      message: "the body is not valid JSON: Unexpected non-whitespace character after JSON at position 11",
    });
    expect(refusal('[{"id":"a"},')).toEqual({ status: 400, message: "the body is not valid JSON: Unexpected end of JSON input" });
    expect(refusal('{"id":"a"} x')).toEqual({
      status: 400,
      message: "the body is not valid JSON: Unexpected non-whitespace character after JSON at position 11",
    });
  });

  it("reads as NDJSON: two or more non-blank lines, each starting with {", () => {
    expect(looksLikeNdjson('{"a":1}\n{"b":2}')).toBe(true);
    expect(looksLikeNdjson('  {"a":1}\r\n\n\t{"b":2}\r\n')).toBe(true);
    expect(looksLikeNdjson('{"a":1}\n')).toBe(false); // one line: a broken JSON object
    expect(looksLikeNdjson('{"a":1}\n[{"b":2}]')).toBe(false);
    expect(looksLikeNdjson('{"a":\n1}')).toBe(false); // an object over two lines
    expect(looksLikeNdjson("")).toBe(false);
  });
});
