import type { Middleware } from 'koa';

/**
 * Read-only CORS: GET and HEAD from the allowed origins (`*` = any), and an answer to their
 * preflight. Nothing else is offered cross-origin.
 */
export function cors(allowedOrigins: readonly string[]): Middleware {
  const anyOrigin = allowedOrigins.includes('*');
  return function cors(ctx, next) {
    const origin = ctx.req.headers.origin ?? '';
    // With a list the reply depends on Origin, also when it grants nothing: a shared cache
    // must not hand a reply made for one origin to another.
    if (!anyOrigin) ctx.vary('Origin');
    // Most requests (a server's, a same-origin page's) send no Origin: nothing to decide.
    if (origin === '' && ctx.method !== 'OPTIONS') return next();
    const allowed = origin !== '' && (anyOrigin || allowedOrigins.includes(origin));
    if (allowed) {
      ctx.set('Access-Control-Allow-Origin', anyOrigin ? '*' : origin);
      ctx.set('Access-Control-Expose-Headers', 'ETag, X-Request-Id, Retry-After');
    }
    if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '') {
      if (allowed) {
        ctx.set('Access-Control-Allow-Methods', 'GET, HEAD');
        ctx.set('Access-Control-Max-Age', '600');
      }
      ctx.status = 204;
      return Promise.resolve();
    }
    return next();
  };
}
