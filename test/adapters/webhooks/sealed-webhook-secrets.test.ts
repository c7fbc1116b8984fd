import test from 'ava';
import { SealedWebhookSecrets } from '../../../adapters/webhooks/sealed-webhook-secrets.js';

const secrets = new SealedWebhookSecrets('a-webhook-secret-key-for-these-tests');

test('a secret is kept only as a hash and a sealed form, neither of which contains it', (t) => {
  const issued = secrets.issue('sub-1');
  t.regex(issued.secret, /^whsec_[\w-]{43}$/);
  t.false(issued.hash.includes(issued.secret));
  t.false(issued.sealed.includes(issued.secret));
  t.false(issued.sealed.includes(issued.secret.slice(6)));
});

test('the hash recognises its secret and nothing else', (t) => {
  const issued = secrets.issue('sub-1');
  t.true(secrets.matches(issued.secret, issued.hash));
  t.false(secrets.matches(`${issued.secret}x`, issued.hash));
  t.false(secrets.matches(secrets.issue('sub-1').secret, issued.hash));
});

test('the sealed form opens under the same key, for the same subscription only', (t) => {
  const issued = secrets.issue('sub-1');
  t.is(secrets.unseal('sub-1', issued.sealed), issued.secret);
  t.throws(() => secrets.unseal('sub-2', issued.sealed), { message: /WEBHOOK_SECRET_KEY is not the key it was sealed with/ });
});

test('under another key the sealed form does not open, loudly', (t) => {
  const issued = secrets.issue('sub-1');
  const other = new SealedWebhookSecrets('another-webhook-secret-key-entirely!!');
  t.throws(() => other.unseal('sub-1', issued.sealed), { message: /WEBHOOK_SECRET_KEY is not the key it was sealed with/ });
});

test('two secrets are never the same', (t) => {
  const issued = new Set(Array.from({ length: 100 }, () => secrets.issue('sub-1').secret));
  t.is(issued.size, 100);
});
