import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/** Takes the caller's X-Request-Id when it is sane, else makes one; echoes it for correlation. */
export function requestId(): Middleware {
  return async (ctx, next) => {
    const given = ctx.get('X-Request-Id');
    ctx.state['requestId'] = ACCEPTABLE_ID.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', ctx.state['requestId'] as string);
    await next();
  };
}
