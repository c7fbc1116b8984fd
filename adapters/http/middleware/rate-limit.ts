import type { Middleware } from 'koa';
import { problem } from '../problem.js';

export interface RateLimit {
  /** Requests per client address per minute. */
  readonly perMinute: number;
}

/** Client addresses the limiter remembers at most; beyond it, it makes room (see makeRoom). */
export const MAX_TRACKED_CLIENTS = 100_000;

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

  /** How many client addresses it remembers now. */
  get trackedClients(): number {
    return this.buckets.size;
  }

  /** Spends a token of this client's bucket: 0 when allowed, else the seconds until one is back. */
  take(client: string): number {
    const t = this.now();
    let bucket = this.buckets.get(client);
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_TRACKED_CLIENTS) this.makeRoom(t);
      bucket = { tokens: this.limit.perMinute, at: t };
      this.buckets.set(client, bucket);
    }
    bucket.tokens = this.tokensAt(bucket, t);
    bucket.at = t;
    if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000);
    bucket.tokens -= 1;
    return 0;
  }

  private tokensAt(bucket: { tokens: number; at: number }, t: number): number {
    return Math.min(this.limit.perMinute, bucket.tokens + (t - bucket.at) * this.refillPerMs);
  }

  /**
   * Forgets buckets that have filled up again (a new one would be the same), then, if a flood of
   * addresses keeps them spending, those with the most tokens left: forgetting a bucket hands
   * its client a full one, so the fullest cost the least. Down to nine tenths of the bound, so
   * this runs at most once per tenth of it of new addresses, never per request.
   */
  private makeRoom(t: number): void {
    const target = Math.floor(MAX_TRACKED_CLIENTS * 0.9);
    const spending: Array<[client: string, tokens: number]> = [];
    for (const [client, bucket] of this.buckets) {
      const tokens = this.tokensAt(bucket, t);
      if (tokens >= this.limit.perMinute) this.buckets.delete(client);
      else spending.push([client, tokens]);
    }
    if (this.buckets.size <= target) return;
    spending.sort((a, b) => b[1] - a[1]);
    for (const [client] of spending.slice(0, this.buckets.size - target)) this.buckets.delete(client);
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
