// Rule 7: a creator is removed by the strike that makes three strikes inside (t − 365 days, t].
export const STRIKE_WINDOW_MS = 365 * 24 * 60 * 60 * 1000;
export const STRIKES_TO_REMOVE = 3;

/** Inserts a strike time keeping the list sorted (strikes may arrive out of business-time order). */
export function insertStrike(sortedMs: number[], strikeMs: number): void {
  let i = sortedMs.length;
  while (i > 0 && sortedMs[i - 1]! > strikeMs) i -= 1;
  sortedMs.splice(i, 0, strikeMs);
}

/** The earliest strike time t with at least three strikes in (t − 365 days, t], or null. */
export function removalTime(sortedMs: readonly number[]): number | null {
  let windowStart = 0;
  for (let i = 0; i < sortedMs.length; i += 1) {
    const t = sortedMs[i]!;
    while (sortedMs[windowStart]! <= t - STRIKE_WINDOW_MS) windowStart += 1;
    if (i - windowStart + 1 >= STRIKES_TO_REMOVE) return t;
  }
  return null;
}
