// RFC 8785 JSON Canonicalization Scheme (JCS) for the JSON values an event envelope holds: objects
// with their keys sorted by UTF-16 code units, no white space, strings and numbers serialised as
// ECMAScript's JSON.stringify does (RFC 8785 §3.2.2 defines both by it). What the hash chain of the
// event log hashes (SPEC §13), so two stores holding the same event hash it the same, whatever
// their own storage does to key order or spacing. It runs once per appended event (the append's
// hot path): one pass that writes the text, sorting only the objects whose keys are out of order.

/** Strings that JSON.stringify would write as they are, between quotes (the ids and codes of events). */
const PLAIN = /^[A-Za-z0-9 _.:+-]*$/;

function quoted(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** The RFC 8785 canonical text of a JSON value; throws on anything JSON cannot hold. */
export function canonicalJson(value: unknown): string {
  if (typeof value === "string") return quoted(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${value} is not a JSON number`);
    return JSON.stringify(value); // ECMAScript's number form; -0 is written 0, as RFC 8785 requires
  }
  if (value === null || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    // Array.prototype.sort compares strings by UTF-16 code units: RFC 8785 §3.2.3's order.
    for (let i = 1; i < keys.length; i += 1) {
      if (keys[i - 1]! > keys[i]!) {
        keys.sort();
        break;
      }
    }
    let out = "{";
    let first = true;
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue; // absent in JSON
      out += `${first ? "" : ","}${quoted(key)}:${canonicalJson(member)}`;
      first = false;
    }
    return `${out}}`;
  }
  throw new Error(`canonicalJson: a ${typeof value} is not a JSON value`);
}
