import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import test from 'ava';
import { signatureHeader } from '../../../application/use-cases/webhook-signature.js';

type Verify = (secret: string, signature: string | undefined, rawBody: string, toleranceSeconds?: number, nowMs?: number) => boolean;
const SNIPPET = 'docs/examples/verify-webhook.mjs';

test('the README shows the verification snippet exactly as the file the tests run', (t) => {
  t.true(readFileSync('README.md', 'utf8').includes(`\`\`\`js\n${readFileSync(SNIPPET, 'utf8')}\`\`\``));
});

test('the snippet accepts what the service signs, and nothing altered, re-signed or stale', async (t) => {
  const { verifyWebhook } = (await import(pathToFileURL(`${process.cwd()}/${SNIPPET}`).href)) as { verifyWebhook: Verify };
  const body = '{"deliveryId":"d1","band":0}';
  const signedAt = new Date('2026-11-28T08:04:21Z');
  const header = signatureHeader('whsec_one', body, signedAt);
  const now = signedAt.getTime() + 10_000;
  t.true(verifyWebhook('whsec_one', header, body, 300, now));
  t.false(verifyWebhook('whsec_two', header, body, 300, now), 'another secret');
  t.false(verifyWebhook('whsec_one', header, body.replace('0', '1'), 300, now), 'a changed body');
  t.false(
    verifyWebhook('whsec_one', header.replace(/^t=\d+/, `t=${Math.floor(now / 1000)}`), body, 300, now),
    'a new time on an old signature',
  );
  t.false(verifyWebhook('whsec_one', header, body, 300, signedAt.getTime() + 600_000), 'ten minutes old');
  t.false(verifyWebhook('whsec_one', undefined, body, 300, now), 'no header');
});
