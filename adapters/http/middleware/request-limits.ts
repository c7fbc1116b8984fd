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
    if (ctx.url.length > MAX_URL_LENGTH) throw problem('uri-too-long', `the URL is longer than ${MAX_URL_LENGTH} characters`);
    if (ctx.querystring.split('&').length > MAX_QUERY_PARAMETERS) {
      throw problem('invalid-parameter', `more than ${MAX_QUERY_PARAMETERS} query parameters`, { parameter: 'query' });
    }
    if (acceptsBody(ctx.method, ctx.path)) return next();
    // Any other route takes no body: refuse one rather than read it.
    const length = Number(ctx.get('Content-Length') || '0');
    if (length > 0 || ctx.get('Transfer-Encoding') !== '') throw problem('body-not-allowed', 'this API takes no request bodies');
    return next();
  };
}
