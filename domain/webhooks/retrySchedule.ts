// When a failed webhook delivery is tried again (SPEC §11): exponential backoff with full jitter,
// within a give-up span after which the endpoint is disabled. Pure: the randomness is a parameter.

export interface RetryPolicy {
  /** Ceiling of the first retry's delay (SPEC §11: the first retry comes within 10 s). */
  baseMs: number;
  /** Ceiling of any one delay. */
  maxMs: number;
  /** How long a delivery may keep failing, from its first attempt, before the endpoint is disabled. */
  giveUpMs: number;
}

/** Doublings of baseMs past which the ceiling is maxMs anyway (2^40 × 1 ms is 35 years). */
const DOUBLINGS_MAX = 40;

/**
 * The delay before the retry that follows `failedAttempts` failures (≥ 1): uniform in
 * [0, min(maxMs, baseMs × 2^(failedAttempts − 1))) ("full jitter"), so receivers that failed
 * together do not all come back at the same moment. `random01` is in [0, 1).
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random01: number): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1)
    throw new Error(`retryDelayMs: failedAttempts must be ≥ 1, got ${failedAttempts}`);
  if (!(random01 >= 0 && random01 < 1)) throw new Error(`retryDelayMs: random01 must be in [0, 1), got ${random01}`);
  const ceilingMs = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failedAttempts - 1, DOUBLINGS_MAX));
  return Math.floor(random01 * ceilingMs);
}

/**
 * When to try a delivery again after its `failedAttempts`-th failure at `nowMs`, or null when its
 * give-up span (from `firstAttemptMs`) is over: the endpoint is then disabled. The last retry falls
 * on the span's end, so the span is used in full and never overrun.
 */
export function nextAttemptMs(
  firstAttemptMs: number,
  nowMs: number,
  failedAttempts: number,
  policy: RetryPolicy,
  random01: number,
): number | null {
  const giveUpAtMs = firstAttemptMs + policy.giveUpMs;
  if (nowMs >= giveUpAtMs) return null;
  return Math.min(nowMs + retryDelayMs(failedAttempts, policy, random01), giveUpAtMs);
}
