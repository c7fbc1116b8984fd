import type { Middleware } from 'koa';
import { problem } from '../problem.js';

export interface RateLimit {
  /** Requests per client address per minute. */
  readonly perMinute: number;
}

/**
 * A token bucket per client address: `perMinute` requests a minute, refilled continuously,
 * with bursts up to the same number. In-process, so each instance behind the load balancer
 * limits on its own.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly refillPerMs: number;

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = limit.perMinute / 60_000;
  }

  /** Spends a token of this client's bucket: 0 when allowed, else the seconds until one is back. */
  take(client: string): number {
    const t = this.now();
    const capacity = this.limit.perMinute;
    const bucket = this.buckets.get(client) ?? { tokens: capacity, at: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + (t - bucket.at) * this.refillPerMs);
    bucket.at = t;
    this.buckets.set(client, bucket);
    if (this.buckets.size > 100_000) this.forgetFull();
    if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000);
    bucket.tokens -= 1;
    return 0;
  }

  /** Buckets that are full again carry no state worth keeping. */
  private forgetFull(): void {
    for (const [key, bucket] of this.buckets) if (bucket.tokens >= this.limit.perMinute - 1) this.buckets.delete(key);
  }
}

/** Beyond the limiter's rate, 429 with Retry-After; requests to the `exempt` paths are never limited. */
export function rateLimit(limit: RateLimit, exempt: ReadonlySet<string> = new Set()): Middleware {
  const bucket = new RateLimiter(limit);
  return function rateLimit(ctx, next) {
    if (exempt.has(ctx.path)) return next();
    const retryAfter = bucket.take(ctx.ip);
    if (retryAfter > 0) {
      throw problem(
        'rate-limited',
        `more than ${bucket.limit.perMinute} requests a minute from this address; retry in ${retryAfter} s`,
        {},
        { 'Retry-After': String(retryAfter) },
      );
    }
    return next();
  };
}
