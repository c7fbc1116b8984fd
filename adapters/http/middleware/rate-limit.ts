import type { Middleware } from 'koa';
import { problem } from '../problem.js';

export interface RateLimit {
  /** Requests per client address per minute. */
  readonly perMinute: number;
}

/**
 * A token bucket per client address: `perMinute` requests a minute, refilled continuously,
 * with bursts up to the same number. Beyond it, 429 with Retry-After. In-process, so each
 * instance behind the load balancer limits on its own.
 */
export function rateLimit(limit: RateLimit, now: () => number = Date.now): Middleware {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = limit.perMinute / 60_000;
  return (ctx, next) => {
    const t = now();
    const bucket = buckets.get(ctx.ip) ?? { tokens: limit.perMinute, at: t };
    bucket.tokens = Math.min(limit.perMinute, bucket.tokens + (t - bucket.at) * refillPerMs);
    bucket.at = t;
    buckets.set(ctx.ip, bucket);
    if (buckets.size > 100_000) forgetFull(buckets, limit.perMinute);
    if (bucket.tokens < 1) {
      const retryAfter = Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
      throw problem('rate-limited', `more than ${limit.perMinute} requests a minute from this address; retry in ${retryAfter} s`, {}, { 'Retry-After': String(retryAfter) });
    }
    bucket.tokens -= 1;
    return next();
  };
}

/** Buckets that are full again carry no state worth keeping. */
function forgetFull(buckets: Map<string, { tokens: number }>, capacity: number): void {
  for (const [key, bucket] of buckets) if (bucket.tokens >= capacity - 1) buckets.delete(key);
}
