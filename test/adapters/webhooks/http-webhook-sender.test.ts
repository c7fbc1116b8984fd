import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { HttpWebhookSender } from '../../../adapters/webhooks/http-webhook-sender.js';
import { WebhookAddressGuard } from '../../../adapters/webhooks/webhook-address-guard.js';
import { signatureHeader } from '../../../application/use-cases/webhook-signature.js';
import { fixedResolver } from '../../support/fixed-resolver.js';
import { insideLoopbackOnlyNetwork } from '../../support/network-namespace.js';
import { startWebhookReceiver } from '../../support/webhook-receiver.js';

type Verify = (secret: string, signature: string | undefined, rawBody: string, toleranceSeconds?: number, nowMs?: number) => boolean;
const verifyWebhook = async (): Promise<Verify> =>
  ((await import(pathToFileURL(`${process.cwd()}/docs/examples/verify-webhook.mjs`).href)) as { verifyWebhook: Verify }).verifyWebhook;

if (insideLoopbackOnlyNetwork(import.meta.url)) {
  const resolve = fixedResolver({ 'hooks.test': ['127.0.0.1'] });
  const loopbackAllowed = new WebhookAddressGuard({ allowLoopback: true, resolve });

  async function receiver(t: ExecutionContext) {
    const started = await startWebhookReceiver();
    t.teardown(() => started.close());
    return started;
  }

  test('a delivery is one POST of the JSON body, signed so that the documented snippet verifies it', async (t) => {
    const hooks = await receiver(t);
    const sender = new HttpWebhookSender(loopbackAllowed, { timeoutMs: 2_000 });
    const body = JSON.stringify({ deliveryId: 'd1', band: 0 });
    t.deepEqual(await sender.post(hooks.url, body, { 'X-Signature': signatureHeader('whsec_test', body, new Date()) }), {
      kind: 'delivered',
      detail: 'HTTP 200',
    });
    const [request] = await hooks.waitFor(1);
    t.like(request, {
      method: 'POST',
      path: '/hooks/quiet',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'spaceout-crowd-webhooks/1' },
    });
    const verify = await verifyWebhook();
    t.true(verify('whsec_test', request!.headers['x-signature'] as string, request!.body));
    t.false(verify('whsec_other', request!.headers['x-signature'] as string, request!.body));
    t.false(verify('whsec_test', request!.headers['x-signature'] as string, `${request!.body} `));
    t.false(verify('whsec_test', request!.headers['x-signature'] as string, request!.body, 300, Date.now() + 600_000), 'too old');
  });

  test('5xx is worth retrying, 4xx is not, and a redirect is reported, not followed', async (t) => {
    const hooks = await receiver(t);
    const elsewhere = await receiver(t);
    const sender = new HttpWebhookSender(loopbackAllowed, { timeoutMs: 2_000 });
    hooks.answer(503, 404, (response) => response.writeHead(302, { location: elsewhere.url }).end());
    t.deepEqual(await sender.post(hooks.url, '{}', {}), { kind: 'failed', retryable: true, detail: 'HTTP 503' });
    t.deepEqual(await sender.post(hooks.url, '{}', {}), { kind: 'failed', retryable: false, detail: 'HTTP 404' });
    t.deepEqual(await sender.post(hooks.url, '{}', {}), {
      kind: 'failed',
      retryable: false,
      detail: 'HTTP 302: redirects are not followed',
    });
    t.is(elsewhere.received.length, 0);
  });

  test('a receiver that does not answer in time is given up on, and that is worth retrying', async (t) => {
    const hooks = await receiver(t);
    hooks.answer('hang');
    const started = Date.now();
    t.deepEqual(await new HttpWebhookSender(loopbackAllowed, { timeoutMs: 300 }).post(hooks.url, '{}', {}), {
      kind: 'failed',
      retryable: true,
      detail: 'timed out after 0.3 s',
    });
    t.true(Date.now() - started < 2_000);
  });

  test('a receiver that is not listening is a connection failure worth retrying', async (t) => {
    const hooks = await receiver(t);
    const url = hooks.url;
    await hooks.close();
    t.like(await new HttpWebhookSender(loopbackAllowed, { timeoutMs: 1_000 }).post(url, '{}', {}), {
      kind: 'failed',
      retryable: true,
      detail: 'connection failed (ECONNREFUSED)',
    });
  });

  test('no more than a small part of a large reply is read', async (t) => {
    let written = 0;
    let finished = false;
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (written < 64 * 1024 * 1024 && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        if (!response.destroyed) response.end(() => (finished = true));
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    t.like(await new HttpWebhookSender(loopbackAllowed, { timeoutMs: 5_000, maxResponseBytes: 1024 }).post(url, '{}', {}), {
      kind: 'delivered',
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    t.false(finished, 'the 64 MB reply was never read to its end');
    t.true(written < 16 * 1024 * 1024, `${written} bytes written before the hang-up`);
  });

  test('the connection goes to the address checked just before, not to what the name resolves to later', async (t) => {
    const hooks = await receiver(t);
    const port = new URL(hooks.url).port;
    // hooks.test is in no DNS and no hosts file: only the checked answer can have been used.
    t.like(await new HttpWebhookSender(loopbackAllowed, { timeoutMs: 2_000 }).post(`http://hooks.test:${port}/hooks/quiet`, '{}', {}), {
      kind: 'delivered',
    });
    t.is(hooks.received.length, 1);
  });

  test('an address refused at delivery (loopback without WEBHOOK_ALLOW_LOOPBACK) is never connected to', async (t) => {
    const hooks = await receiver(t);
    const strict = new WebhookAddressGuard({ allowLoopback: false, resolve });
    const port = new URL(hooks.url).port;
    t.deepEqual(await new HttpWebhookSender(strict, { timeoutMs: 2_000 }).post(`https://hooks.test:${port}/hooks/quiet`, '{}', {}), {
      kind: 'failed',
      retryable: false,
      detail: 'refused: hooks.test resolves to 127.0.0.1, which is a loopback address; webhooks are sent to public addresses only',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    t.is(hooks.received.length, 0);
  });
}
