// Assertions that crash on a broken invariant instead of carrying on (TIGER_STYLE).

/** The default branch of an exhaustive switch: adding a case fails to compile until it is handled. */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/**
 * Throws when an invariant does not hold; the message says which. On a hot path pass the message as
 * a function: a template string would be built on every call, and the engine checks its budget
 * invariants on every bonus (docs/scaling.md).
 */
export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${typeof message === "string" ? message : message()}`);
}

/** What a catch caught, as an Error: itself when it is one, else one whose message is its text. */
export function asError(caught: unknown): Error {
  return caught instanceof Error ? caught : new Error(String(caught));
}
