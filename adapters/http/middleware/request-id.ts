import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/** The caller's X-Request-Id when it is sane, else a new one. */
export function requestIdFrom(given: string | string[] | undefined): string {
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}

/** Takes the caller's X-Request-Id when it is sane, else makes one; echoes it for correlation. */
export function requestId(): Middleware {
  return function requestId(ctx, next) {
    const id = requestIdFrom(ctx.req.headers['x-request-id']);
    ctx.state['requestId'] = id;
    ctx.res.setHeader('X-Request-Id', id);
    return next();
  };
}
