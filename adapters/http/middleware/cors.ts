import type { Middleware } from 'koa';

/**
 * Read-only CORS: GET and HEAD from the allowed origins (`*` = any), and an answer to their
 * preflight. Nothing else is offered cross-origin.
 */
export function cors(allowedOrigins: readonly string[]): Middleware {
  const anyOrigin = allowedOrigins.includes('*');
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    const allowed = origin !== '' && (anyOrigin || allowedOrigins.includes(origin));
    if (allowed) {
      ctx.set('Access-Control-Allow-Origin', anyOrigin ? '*' : origin);
      if (!anyOrigin) ctx.vary('Origin');
      ctx.set('Access-Control-Expose-Headers', 'ETag, X-Request-Id, Retry-After');
    }
    if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '') {
      if (allowed) {
        ctx.set('Access-Control-Allow-Methods', 'GET, HEAD');
        ctx.set('Access-Control-Max-Age', '600');
      }
      ctx.status = 204;
      return;
    }
    await next();
  };
}
