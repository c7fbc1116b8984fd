import type { Context, Middleware } from 'koa';
import { Representation, type Encoding, type ResponseCache } from '../response-cache.js';

/**
 * Successful GETs leave as one Representation: served from the cache when the route is cached
 * (no use case runs), otherwise serialised once; either way with a weak ETag, a 304 for a
 * matching If-None-Match, Cache-Control by route, and gzip or brotli when the client asks.
 */
export function representations(cache: ResponseCache, cacheControl: (path: string) => string, cachedRoute: (path: string) => string | null): Middleware {
  return async (ctx, next) => {
    const readable = ctx.method === 'GET' || ctx.method === 'HEAD';
    const key = `${ctx.path}?${ctx.querystring}`;
    const route = cachedRoute(ctx.path);
    const cacheable = route !== null;
    const hit = readable && cacheable ? cache.get(key) : undefined;
    // A hit never reaches the router, which would have named the route pattern.
    if (hit !== undefined) ctx.state['route'] = route;
    if (hit === undefined) await next();
    if (!readable || (hit === undefined && (ctx.status !== 200 || ctx.body === undefined || ctx.body === null))) return;

    const policy = cacheControl(ctx.path);
    ctx.set('Cache-Control', policy);
    if (hit === undefined && policy === 'no-store') return;
    const representation = hit ?? store(ctx, cache, key, cacheable);
    ctx.set('ETag', representation.etag);
    // When the bytes were read from the store: the data they hold is no newer than that.
    ctx.set('Last-Modified', representation.lastModified);
    ctx.vary('Accept-Encoding');
    // RFC 9110 §13.1.2-3, as an origin server: request cache directives (fetch adds no-cache) do not apply.
    if (notModified(ctx.get('If-None-Match'), ctx.get('If-Modified-Since'), representation)) {
      ctx.status = 304;
      ctx.body = null;
      return;
    }
    const encoding = preferredEncoding(ctx.get('Accept-Encoding'), representation.bytes.length);
    ctx.status = 200;
    // The full media type is already known; ctx.type would look it up again on every reply.
    ctx.set('Content-Type', representation.type);
    ctx.body = representation.in(encoding);
    if (encoding !== 'identity') ctx.set('Content-Encoding', encoding);
    // Without an Origin the headers depend on nothing but the encoding: later hits may replay them.
    if (cacheable && ctx.get('Origin') === '') representation.rememberHead(encoding, ctx.response.headers as Record<string, string | number | string[] | undefined>);
  };
}

function store(ctx: Context, cache: ResponseCache, key: string, cacheable: boolean): Representation {
  const body = ctx.body;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const type = ctx.response.type === '' || typeof body === 'object' ? 'application/json; charset=utf-8' : ctx.response.get('Content-Type');
  return cacheable ? cache.put(key, bytes, type) : new Representation(bytes, type, Date.now());
}

/**
 * If-None-Match wins when present; otherwise If-Modified-Since, to the second. A date in the
 * future is no date the client can have seen, so it is ignored (RFC 7232 §3.3).
 */
function notModified(ifNoneMatch: string, ifModifiedSince: string, representation: Representation, now = Date.now()): boolean {
  if (ifNoneMatch !== '') return matchesIfNoneMatch(ifNoneMatch, representation.etag);
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && since <= now && Math.floor(representation.storedAt / 1000) * 1000 <= since;
}

/** Weak comparison against a list of entity tags, or `*`. */
export function matchesIfNoneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** br before gzip when both are acceptable; small bodies are not worth compressing. */
export function preferredEncoding(acceptEncoding: string, size: number): Encoding {
  if (size < 1024) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}
