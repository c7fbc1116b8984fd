import type { Middleware } from 'koa';

const SECURITY_HEADERS = Object.entries({
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'cross-origin',
});

/** Headers suited to a JSON API: nothing here is ever rendered, framed or sniffed. */
export function securityHeaders(): Middleware {
  return function securityHeaders(ctx, next) {
    // Straight onto the response: these constant values need none of Koa's coercion.
    for (const [name, value] of SECURITY_HEADERS) ctx.res.setHeader(name, value);
    return next();
  };
}
