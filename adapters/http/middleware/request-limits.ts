import type { Middleware } from 'koa';
import { problem } from '../problem.js';

export const MAX_URL_LENGTH = 2048;
export const MAX_QUERY_PARAMETERS = 20;

/**
 * Refuses oversized URLs, crowded query strings and bodies, before any route does work. Only
 * the routes `acceptsBody` names take a body; they read it themselves, within their own limit.
 */
export function requestLimits(acceptsBody: (method: string, path: string) => boolean = () => false): Middleware {
  return function refuseOversizedRequests(ctx, next) {
    const url = ctx.url;
    if (url.length > MAX_URL_LENGTH) throw problem('uri-too-long', `the URL is longer than ${MAX_URL_LENGTH} characters`);
    if (parameterCount(url) > MAX_QUERY_PARAMETERS) {
      throw problem('invalid-parameter', `more than ${MAX_QUERY_PARAMETERS} query parameters`, { parameter: 'query' });
    }
    // Any other route takes no body: refuse one rather than read it.
    const headers = ctx.req.headers;
    const hasBody = Number(headers['content-length'] ?? '0') > 0 || headers['transfer-encoding'] !== undefined;
    if (hasBody && !acceptsBody(ctx.method, ctx.path)) throw problem('body-not-allowed', 'this API takes no request bodies');
    return next();
  };
}

/** `&`-separated parts after the `?`, counted without splitting the string. */
function parameterCount(url: string): number {
  let at = url.indexOf('?');
  if (at < 0) return 0;
  let count = 1;
  while ((at = url.indexOf('&', at + 1)) >= 0) count++;
  return count;
}
