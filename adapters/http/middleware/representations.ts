import type { Context, Middleware } from 'koa';
import { Representation, type Encoding, type ResponseCache } from '../response-cache.js';

/**
 * Successful GETs leave as one Representation: served from the cache when the route is cached
 * (no use case runs), otherwise serialised once; either way with a weak ETag, a 304 for a
 * matching If-None-Match, Cache-Control by route, and gzip or brotli when the client asks.
 *
 * A hit is the hottest path of the service, so it works on Node's own request and response:
 * every header it writes was worked out when the reply was first stored.
 */
export function representations(
  cache: ResponseCache,
  cacheControl: (path: string) => string,
  cachedRoute: (path: string) => string | null,
): Middleware {
  // Not async: a hit, the common case, answers at once without a promise of its own.
  return function representations(ctx, next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const path = ctx.path;
    const route = cachedRoute(path);
    // The raw URL: cheaper than rebuilding it, and a differently spelt URL is only another entry.
    const hit = route === null ? undefined : cache.get(ctx.url);
    if (hit === undefined) return next().then(() => represent(ctx, path, route === null ? null : cache));
    // A hit never reaches the router, which would have named the route pattern.
    ctx.state['route'] = route;
    answer(ctx, hit, cacheControl(path));
    return undefined;
  };

  function represent(ctx: Context, path: string, into: ResponseCache | null): void {
    if (ctx.status !== 200 || ctx.body === undefined || ctx.body === null) return;
    const policy = cacheControl(path);
    if (policy === 'no-store') {
      ctx.set('Cache-Control', policy);
      return;
    }
    answer(ctx, store(ctx, into), policy);
  }
}

function answer(ctx: Context, representation: Representation, cacheControl: string): void {
  const request = ctx.req.headers;
  const response = ctx.res;
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('ETag', representation.etag);
  // When the bytes were read from the store: the data they hold is no newer than that.
  response.setHeader('Last-Modified', representation.lastModified);
  // Usually the only Vary; with a list of CORS origins, added to theirs.
  if (response.hasHeader('Vary')) ctx.vary('Accept-Encoding');
  else response.setHeader('Vary', 'Accept-Encoding');
  // RFC 9110 §13.1.2-3, as an origin server: request cache directives (fetch adds no-cache) do not apply.
  if (notModified(request['if-none-match'], request['if-modified-since'], representation)) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  const encoding = preferredEncoding(request['accept-encoding'], representation.bytes.length);
  ctx.status = 200;
  // The full media type is already known; ctx.type would look it up again on every reply.
  response.setHeader('Content-Type', representation.type);
  if (encoding !== 'identity') response.setHeader('Content-Encoding', encoding);
  ctx.body = representation.in(encoding);
}

function store(ctx: Context, cache: ResponseCache | null, key = ctx.url): Representation {
  const body = ctx.body;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const type = ctx.response.type === '' || typeof body === 'object' ? 'application/json; charset=utf-8' : ctx.response.get('Content-Type');
  return cache === null ? new Representation(bytes, type, Date.now()) : cache.put(key, bytes, type);
}

/**
 * If-None-Match wins when present; otherwise If-Modified-Since, to the second. A date in the
 * future is no date the client can have seen, so it is ignored (RFC 7232 §3.3).
 */
function notModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  representation: Representation,
  now = Date.now(),
): boolean {
  if (ifNoneMatch !== undefined && ifNoneMatch !== '') return matchesIfNoneMatch(ifNoneMatch, representation.etag);
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && since <= now && Math.floor(representation.storedAt / 1000) * 1000 <= since;
}

const opaqueTag = (tag: string) => tag.trim().replace(/^W\//, '');

/** Weak comparison against a list of entity tags, or `*`. */
export function matchesIfNoneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const wanted = opaqueTag(etag);
  return header.split(',').some((tag) => opaqueTag(tag) === wanted);
}

/** Clients send a handful of distinct Accept-Encoding values; each is parsed once. */
const encodingsAccepted = new Map<string, { br: boolean; gzip: boolean }>();

/** br before gzip when both are acceptable; small bodies are not worth compressing. */
export function preferredEncoding(acceptEncoding: string | undefined, size: number): Encoding {
  if (size < 1024 || acceptEncoding === undefined || acceptEncoding === '') return 'identity';
  let accepted = encodingsAccepted.get(acceptEncoding);
  if (accepted === undefined) {
    accepted = parseAcceptEncoding(acceptEncoding);
    // Bounded: a client sending a new value on every request must not grow it without limit.
    if (encodingsAccepted.size >= 100) encodingsAccepted.clear();
    encodingsAccepted.set(acceptEncoding, accepted);
  }
  if (accepted.br) return 'br';
  if (accepted.gzip) return 'gzip';
  return 'identity';
}

function parseAcceptEncoding(header: string): { br: boolean; gzip: boolean } {
  const weights = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (weights.get(name) ?? weights.get('*') ?? 0) > 0;
  return { br: ok('br'), gzip: ok('gzip') };
}
