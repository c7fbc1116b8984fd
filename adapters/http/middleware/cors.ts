import type { Middleware } from 'koa';

/**
 * Read-only CORS: GET and HEAD from the allowed origins (`*` = any), and an answer to their
 * preflight. Nothing else is offered cross-origin.
 */
export function cors(allowedOrigins: readonly string[]): Middleware {
  const anyOrigin = allowedOrigins.includes('*');
  return (ctx, next) => {
    const origin = ctx.get('Origin');
    const allowed = origin !== '' && (anyOrigin || allowedOrigins.includes(origin));
    // With a list the reply depends on Origin, also when it grants nothing: a shared cache
    // must not hand a reply made for one origin to another.
    if (!anyOrigin) ctx.vary('Origin');
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
