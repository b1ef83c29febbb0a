/**
 * When to try a failed delivery again: exponential back-off with full jitter, and how many
 * attempts before giving up. A strategy with a default so that tests (and operators) can use
 * shorter waits.
 */
export interface WebhookRetryPolicy {
  /** Attempts in all (the first included) before a delivery is marked failed. */
  maxAttempts: number;
  /** The wait after the first failed attempt before jitter, in ms; it doubles each time. */
  baseDelayMs: number;
  /** The longest wait, in ms. */
  maxDelayMs: number;
}

/**
 * 8 attempts: after waits of about 30 s, 1, 2, 4, 8, 16 and 32 minutes (each drawn between half
 * and the whole of that, so that many failing deliveries do not all come back at once): a
 * receiver down for up to about an hour still gets everything.
 */
export const DEFAULT_RETRY_POLICY: WebhookRetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 3_600_000,
};

/**
 * The wait before the next attempt after `attempts` failed ones ("equal jitter": half fixed,
 * half random, so a wait is never close to zero).
 *
 * @param attempts attempts made so far (1 after the first failure).
 * @param random a number in [0, 1), Math.random by default.
 * @returns milliseconds, from base/2 × 2^(attempts−1) to base × 2^(attempts−1), at most maxDelayMs.
 * @example
 * retryDelayMs(1, DEFAULT_RETRY_POLICY, () => 0.5); // 22500
 */
export function retryDelayMs(
  attempts: number,
  policy: WebhookRetryPolicy,
  random: () => number = Math.random,
): number {
  if (!Number.isSafeInteger(attempts) || attempts < 1) {
    throw new RangeError(`attempts must be a whole number from 1, got ${attempts}`);
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
