/**
 * Retry schedule: exponential from `baseMs`, capped at `capMs`, with "equal jitter" (half fixed, half random) so
 * many items failing together (a Partner Center outage) do not retry in lock-step, while every delay stays
 * within a predictable band [exp/2, exp].
 */
export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** Attempts (claims) before an item is parked as a dead letter. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 5_000, capMs: 30 * 60_000, maxAttempts: 10 };

/** The un-jittered delay after the `attempt`-th failed attempt (1-based). */
export function backoffCeiling(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>): number {
  const exponent = Math.max(0, attempt - 1);
  // 2^exponent overflows to Infinity long before it matters; Math.min keeps it at the cap.
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>, random: () => number = Math.random): number {
  const ceiling = backoffCeiling(attempt, policy);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
