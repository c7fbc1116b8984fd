import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Whether a quiet alert really comes from the service: `signature` is its X-Signature header,
 * `rawBody` the exact bytes received (before any JSON parsing), `secret` the one the
 * subscription's creation returned. Alerts signed more than `toleranceSeconds` ago are refused,
 * so a recorded one cannot be replayed later.
 */
export function verifyWebhook(secret, signature, rawBody, toleranceSeconds = 300, nowMs = Date.now()) {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature ?? '');
  if (match === null) return false;
  const [, t, v1] = match;
  if (Math.abs(nowMs / 1000 - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
