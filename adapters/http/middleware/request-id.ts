import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/** Takes the caller's X-Request-Id when it is sane, else makes one; echoes it for correlation. */
export function requestId(): Middleware {
  return (ctx, next) => {
    const given = ctx.get('X-Request-Id');
    const id = ACCEPTABLE_ID.test(given) ? given : randomUUID();
    ctx.state['requestId'] = id;
    ctx.set('X-Request-Id', id);
    return next();
  };
}
