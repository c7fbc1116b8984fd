import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { problem } from '../problem.js';

/** Requires `Authorization: Bearer <key>`, compared in constant time. */
export function bearerAuth(key: string): Middleware {
  const expected = digest(key);
  return async (ctx, next) => {
    const given = /^Bearer (.+)$/i.exec(ctx.get('Authorization'))?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw problem(
        'unauthorized',
        'this route needs Authorization: Bearer <ADMIN_API_KEY>',
        {},
        { 'WWW-Authenticate': 'Bearer realm="admin"' },
      );
    }
    await next();
  };
}

// Hashing first gives equal-length buffers, so the comparison time does not reveal the key's length.
const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
