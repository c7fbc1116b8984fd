import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalidParameter } from './problem.js';

/**
 * Opaque, tamper-evident paging cursors: the repository's position plus the route and filters
 * it was issued for, signed with HMAC-SHA256. An altered cursor, or one replayed with other
 * filters, is refused as a bad `cursor` parameter rather than silently paging something else.
 */
export class CursorCodec {
  constructor(private readonly secret: string) {}

  encode(position: string | null, scope: string): string | null {
    if (position === null) return null;
    const payload = Buffer.from(JSON.stringify({ p: position, s: scope })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  decode(cursor: string | undefined, scope: string): string | undefined {
    if (cursor === undefined) return undefined;
    const [payload, signature, ...rest] = cursor.split('.');
    if (payload === undefined || signature === undefined || rest.length > 0 || !this.verify(payload, signature)) {
      throw invalidParameter('cursor', 'is not a cursor this API issued');
    }
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p: string; s: string };
    if (decoded.s !== scope) throw invalidParameter('cursor', 'was issued for another route or other filters; start again without it');
    return decoded.p;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  private verify(payload: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
