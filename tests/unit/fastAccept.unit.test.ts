// The ingest fast path (domain/events/fastAccept.ts) against the zod schemas it stands in front of:
// whatever it accepts, the schemas accept and build into the same event (same keys, same order);
// the benchmark workload's clicks and shipments all take the fast path (else it buys nothing); and
// on broken events it steps aside, so the problems are the schemas' own.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastAccept } from "../../domain/events/fastAccept.ts";
import { validateBySchemas, validateEvent } from "../../domain/events/validate.ts";
import { generateWorkload } from "../../workload/generator.ts";
import { click, line, shipped } from "../support/domainFixtures.ts";

/** The schemas' answer, and the fast path's agreement with it whenever it answers. */
function agrees(raw: unknown): boolean {
  const fast = fastAccept(raw);
  if (fast === null) return true;
  const slow = validateBySchemas(raw, 0);
  expect(slow).toEqual({ event: fast });
  expect(JSON.stringify(fast)).toBe(JSON.stringify((slow as { event: unknown }).event));
  return true;
}

const TRICKY_VALUES: unknown[] = [
  undefined,
  null,
  "",
  " ",
  "A B",
  "a/b",
  "x".repeat(128),
  "x".repeat(129),
  "é",
  "\ud800",
  0,
  -1,
  1,
  1.5,
  100_000,
  100_001,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "0",
  "-0",
  "-1.00",
  "1e5",
  "01.00",
  "99999.999999999999",
  "100000",
  "100000.00",
  "100001",
  "19.99",
  "19.999999999999",
  "19.9999999999999",
  "2026-03-09T17:00:00Z",
  "2026-03-09T17:00:00",
  "2026-02-30T17:00:00Z",
  "2026-03-09T17:00:00.123+05:30",
  "1969-12-31T23:59:59Z",
  "toys",
  "Toys",
  "toys-2",
  "c".repeat(64),
  "c".repeat(65),
  [],
  [{}],
  {},
  true,
  2,
];

type Mutable = Record<string, unknown>;

/** Every path to a value in a JSON tree: ["data", "lines", 0, "unitPrice"], ... */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function parentOf(root: Mutable, path: (string | number)[]): Mutable {
  let at: unknown = root;
  for (const key of path.slice(0, -1)) at = (at as Mutable)[key];
  return at as Mutable;
}

type Mutation = { kind: "set"; value: unknown } | { kind: "delete" } | { kind: "add"; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...TRICKY_VALUES).map((value): Mutation => ({ kind: "set", value })),
  fc.constant<Mutation>({ kind: "delete" }),
  fc
    .tuple(fc.constantFrom("extra", "asin", "schemaVersion", "subscriptionId", "__proto__", "lines"), fc.constantFrom(...TRICKY_VALUES))
    .map(([key, value]): Mutation => ({ kind: "add", key, value })),
);

function mutate(raw: unknown, pathIndex: number, change: Mutation): unknown {
  const copy = JSON.parse(JSON.stringify(raw)) as Mutable;
  const paths = pathsOf(copy).filter((p) => p.length > 0);
  const path = paths[pathIndex % paths.length]!;
  const parent = parentOf(copy, path);
  const key = path[path.length - 1]!;
  switch (change.kind) {
    case "set":
      parent[key] = change.value;
      break;
    case "delete":
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case "add": {
      const target = typeof parent[key] === "object" && parent[key] !== null ? (parent[key] as Mutable) : parent;
      Object.defineProperty(target, change.key, { value: change.value, enumerable: true, configurable: true, writable: true });
      break;
    }
  }
  return copy;
}

const BASES: unknown[] = [
  click(),
  click({ asin: "B00TOY" }),
  shipped({ lines: [line("B00TOY", "toys", 2, "19.99"), line("B00BOOK", "books", 1, "99999.99")] }),
  { ...click(), schemaVersion: 1 },
];

describe("the ingest fast path stands in for the schemas", () => {
  it("takes every click and shipment of the benchmark workload, building what the schemas build", () => {
    const raws = [...generateWorkload({ seed: 7, events: 5_000 })].filter(
      (e) => e.type === "ClickRecorded" || e.type === "ShipmentRecorded",
    );
    expect(raws.length).toBeGreaterThan(4_000);
    for (const raw of raws) {
      expect(fastAccept(raw)).not.toBeNull();
      agrees(raw);
    }
  });

  it("on every single change to a valid event, accepts only what the schemas accept, as they build it", () => {
    const changes: Mutation[] = [
      ...TRICKY_VALUES.map((value): Mutation => ({ kind: "set", value })),
      { kind: "delete" },
      ...["extra", "asin", "schemaVersion", "__proto__"].map((key): Mutation => ({ kind: "add", key, value: "B00TOY" })),
    ];
    let accepted = 0;
    for (const base of BASES) {
      const paths = pathsOf(base).filter((p) => p.length > 0).length;
      for (let pathIndex = 0; pathIndex < paths; pathIndex += 1) {
        for (const change of changes) {
          const raw = mutate(base, pathIndex, change);
          if (fastAccept(raw) !== null) accepted += 1;
          agrees(raw);
        }
      }
    }
    expect(accepted).toBeGreaterThan(100); // the comparison ran on accepted events, not only on refusals
  });

  it("on random pairs of changes, the same", () => {
    fc.assert(
      fc.property(fc.constantFrom(...BASES), fc.nat(), mutation, fc.nat(), mutation, (base, at1, change1, at2, change2) =>
        agrees(mutate(mutate(base, at1, change1), at2, change2)),
      ),
      { numRuns: 3_000 },
    );
  });

  it("steps aside on what it does not take, so a refusal carries the schemas' problems", () => {
    const raw = mutate(shipped(), 0, { kind: "add", key: "extra", value: 1 });
    expect(fastAccept(raw)).toBeNull();
    expect(validateEvent(raw, 3)).toEqual(validateBySchemas(raw, 3));
    expect(validateEvent({ ...click(), schemaVersion: 2 }, 0)).toEqual({
      problems: [expect.objectContaining({ path: "schemaVersion" })],
    });
  });
});
