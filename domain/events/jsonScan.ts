// Bounded work before JSON.parse (hardening issue D2): text under any byte limit can still exhaust
// the heap when parsed whole if it nests millions deep. Every reader of untrusted JSON (HTTP bodies
// and NDJSON lines, file ingest, the Kafka decoder) scans the text first.

/**
 * Deepest nesting of arrays and objects a body (or an NDJSON line) may have. An event needs 5
 * levels (batch array, envelope, data, lines, line); 16 leaves room without letting a body
 * nest millions deep, which costs the parser memory per level.
 */
export const JSON_DEPTH_MAX = 16;

export type JsonScan =
  | { ok: true; /** Elements of a top-level array, or null when the body is not an array. */ arrayElements: number | null }
  | {
      ok: false;
      /** Top-level array element the too-deep part is in (0 when not an array). */ element: number;
      line: number;
      column: number;
    };

/**
 * One pass over JSON text: the nesting depth (brackets outside strings, minding escapes) and the
 * number of top-level array elements. Stops at the first level deeper than `depthMax`. It does
 * not validate: JSON.parse does that afterwards, on text this scan has bounded.
 */
export function scanJson(text: string, depthMax: number): JsonScan {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let topIsArray: boolean | null = null;
  let expectElement = false;
  let elements = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c /* \ */) escaped = true;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x0a) {
      line += 1;
      lineStart = i + 1;
      continue;
    }
    if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
    if (depth === 1 && topIsArray === true && expectElement && c !== 0x2c /* , */ && c !== 0x5d /* ] */) {
      elements += 1;
      expectElement = false;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (depth === 0 && topIsArray === null) topIsArray = c === 0x5b;
      depth += 1;
      if (depth > depthMax) return { ok: false, element: topIsArray ? Math.max(0, elements - 1) : 0, line, column: i - lineStart + 1 };
      if (depth === 1) expectElement = true;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth -= 1;
    } else if (c === 0x2c && depth === 1) expectElement = true;
  }
  return { ok: true, arrayElements: topIsArray ? elements : null };
}

/** What every reader says of a part nested deeper than JSON_DEPTH_MAX; `where`: its line and column, or column. */
export function tooDeepMessage(where: string): string {
  return `nesting is deeper than ${JSON_DEPTH_MAX} levels at ${where}`;
}

/** JSON.parse of text the scan has bounded; throws with the position of a too-deep part. */
export function parseBoundedJson(text: string): unknown {
  const scan = scanJson(text, JSON_DEPTH_MAX);
  if (!scan.ok) throw new Error(tooDeepMessage(`line ${scan.line}, column ${scan.column}`));
  return JSON.parse(text) as unknown;
}
