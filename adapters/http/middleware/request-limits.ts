import type { Middleware } from 'koa';
import { problem } from '../problem.js';

export const MAX_URL_LENGTH = 2048;
export const MAX_QUERY_PARAMETERS = 20;

/** Refuses oversized URLs, crowded query strings and bodies, before any route does work. */
export function requestLimits(): Middleware {
  return (ctx, next) => {
    if (ctx.url.length > MAX_URL_LENGTH) throw problem('uri-too-long', `the URL is longer than ${MAX_URL_LENGTH} characters`);
    if (ctx.querystring.split('&').length > MAX_QUERY_PARAMETERS) {
      throw problem('invalid-parameter', `more than ${MAX_QUERY_PARAMETERS} query parameters`, { parameter: 'query' });
    }
    // No route takes a body: refuse one rather than read it.
    const length = Number(ctx.get('Content-Length') || '0');
    if (length > 0 || ctx.get('Transfer-Encoding') !== '') throw problem('body-not-allowed', 'this API takes no request bodies');
    return next();
  };
}
