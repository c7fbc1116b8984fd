/** How long retries wait: doubling from a base, up to a cap. */
export interface Backoff {
  /** The longest wait before the first retry. */
  readonly baseDelayMs: number;
  /** No wait is longer than this. */
  readonly maxDelayMs: number;
}

/** The longest wait before retry `retry` (1 for the first): baseDelayMs·2^(retry−1), capped at maxDelayMs. */
export function backoffCeiling(retry: number, backoff: Backoff): number {
  return Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** (retry - 1));
}

/**
 * A random wait from 0 to the ceiling: exponential backoff with "full jitter", which spreads the
 * retries of many clients best (as AWS's architecture blog measured).
 */
export function backoffDelay(retry: number, backoff: Backoff): number {
  return Math.random() * backoffCeiling(retry, backoff);
}

/**
 * Waits a backoffDelay before retry `retry`. On the global timer, which tests' fake clocks
 * drive (sinon's ESM build does not reach node:timers/promises).
 */
export function waitBeforeRetry(retry: number, backoff: Backoff): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, backoffDelay(retry, backoff)));
}
