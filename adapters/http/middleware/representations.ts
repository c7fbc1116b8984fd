import type { Context, Middleware } from 'koa';
import { Representation, type Encoding, type Keep, type ResponseCache } from '../response-cache.js';

/**
 * Successful GETs leave as one Representation: served from the cache when the route is cached
 * (no use case runs), otherwise serialised once; either way with a weak ETag, a 304 for a
 * matching If-None-Match, Cache-Control by route, and gzip or brotli when the client asks.
 * Requests that miss while the same reply is being made wait for it rather than make it again.
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
    if (route === null) return next().then(() => represent(ctx, path, null));
    // The raw URL: cheaper than rebuilding it, and a differently spelt URL is only another entry.
    const key = ctx.url;
    const hit = cache.get(key);
    if (hit !== undefined) {
      shared(ctx, hit, path, route);
      return undefined;
    }
    const makeIt = () => cache.fill(key, (keep) => next().then(() => represent(ctx, path, keep)));
    const underway = cache.inProgress(key);
    if (underway === undefined) return makeIt();
    return underway.then((made) => {
      if (made !== undefined) shared(ctx, made, path, route);
      // Nothing cacheable came of it (a 404, a failure): this request runs the route itself.
      else return makeIt();
    });
  };

  /** A reply this request did not make: the router never ran, so the route pattern is named here. */
  function shared(ctx: Context, representation: Representation, path: string, route: string): void {
    ctx.state['route'] = route;
    answer(ctx, representation, cacheControl(path));
  }

  /** The route's reply as a Representation, kept when `keep` is given; undefined when it is no 200 that may be stored. */
  function represent(ctx: Context, path: string, keep: Keep | null): Representation | undefined {
    if (ctx.status !== 200 || ctx.body === undefined || ctx.body === null) return undefined;
    const policy = cacheControl(path);
    if (policy === 'no-store') {
      ctx.set('Cache-Control', policy);
      return undefined;
    }
    const representation = serialised(ctx, keep);
    answer(ctx, representation, policy);
    return representation;
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

function serialised(ctx: Context, keep: Keep | null): Representation {
  const body = ctx.body;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const type = ctx.response.type === '' || typeof body === 'object' ? 'application/json; charset=utf-8' : ctx.response.get('Content-Type');
  return keep === null ? new Representation(bytes, type, Date.now()) : keep(bytes, type);
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
