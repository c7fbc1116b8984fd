import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';

/**
 * ETag on every successful GET, computed from the bytes sent, so any instance behind the load
 * balancer gives the same tag for the same data; If-None-Match then answers 304 with no body.
 */
export function conditionalGet(cacheControl: (path: string) => string): Middleware {
  return async (ctx, next) => {
    await next();
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.status !== 200 || ctx.body === undefined || ctx.body === null) return;
    const policy = cacheControl(ctx.path);
    ctx.set('Cache-Control', policy);
    if (policy === 'no-store') return;
    const bytes = typeof ctx.body === 'string' || Buffer.isBuffer(ctx.body) ? ctx.body : JSON.stringify(ctx.body);
    if (typeof ctx.body !== 'string' && !Buffer.isBuffer(ctx.body)) {
      ctx.type = 'application/json';
      ctx.body = bytes;
    }
    const etag = `"${createHash('sha1').update(bytes).digest('base64url')}"`;
    ctx.set('ETag', etag);
    // RFC 9110 §13.1.2, as an origin server: request cache directives (fetch adds no-cache) do not apply.
    if (matchesIfNoneMatch(ctx.get('If-None-Match'), etag)) {
      ctx.status = 304;
      ctx.body = null;
    }
  };
}

/** Weak comparison against a list of entity tags, or `*`. */
export function matchesIfNoneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}
