import test, { type ExecutionContext } from 'ava';
import type { Result } from '../../../domain/result.js';
import { classifyAddress } from '../../../adapters/webhooks/address-classes.js';
import { WebhookAddressGuard } from '../../../adapters/webhooks/webhook-address-guard.js';
import { fixedResolver } from '../../support/fixed-resolver.js';

// Nothing here connects anywhere, and names resolve through fixed answers, never through DNS.
const resolve = fixedResolver({
  'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'intranet.example.com': ['10.20.30.40'],
  'mixed.example.com': ['93.184.215.14', '192.168.1.10'],
  'metadata.example.com': ['169.254.169.254'],
  'ula.example.com': ['fd00:ec2::254'],
  'loop.example.com': ['127.0.0.1'],
});
function refused(t: ExecutionContext, verdict: Result<unknown>, reason: RegExp): void {
  if (verdict.ok) t.fail(`accepted, but should be refused with ${reason}`);
  else t.regex(verdict.error, reason);
}

const strict = new WebhookAddressGuard({ allowLoopback: false, resolve });
const local = new WebhookAddressGuard({ allowLoopback: true, resolve });

for (const [address, kind] of [
  ['93.184.215.14', 'public'],
  ['2606:4700:4700::1111', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.8.9.10', 'loopback'],
  ['::1', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.0.1', 'private'],
  ['100.64.0.1', 'private'],
  ['169.254.169.254', 'link-local'],
  ['fe80::1', 'link-local'],
  ['fd00:ec2::254', 'unique-local'],
  ['fc00::1', 'unique-local'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['0.0.0.0', 'special-purpose'],
  ['::', 'special-purpose'],
  ['224.0.0.1', 'special-purpose'],
  ['255.255.255.255', 'special-purpose'],
  ['192.0.2.1', 'special-purpose'],
] as const) {
  test(`${address} is ${kind}`, (t) => {
    t.is(classifyAddress(address), kind);
  });
}

test('an https URL to a public name is accepted as written', async (t) => {
  t.deepEqual(await strict.vet('https://hooks.example.com/quiet?token=abc'), {
    ok: true,
    value: 'https://hooks.example.com/quiet?token=abc',
  });
});

const refusals: Array<[string, RegExp]> = [
  ['https://10.0.0.1/hook', /^10\.0\.0\.1 is a private address; webhooks are sent to public addresses only$/],
  ['https://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
  ['https://[fd00:ec2::254]/', /fd00:ec2::254 is a unique-local address/],
  ['https://[::ffff:192.168.1.1]/', /is a private address/],
  ['https://127.0.0.1:8443/', /127\.0\.0\.1 is a loopback address/],
  ['https://0x7f.1/', /127\.0\.0\.1 is a loopback address/],
  ['https://intranet.example.com/hook', /^intranet\.example\.com resolves to 10\.20\.30\.40, which is a private address/],
  ['https://mixed.example.com/hook', /resolves to 192\.168\.1\.10, which is a private address/],
  ['https://metadata.example.com/', /resolves to 169\.254\.169\.254, which is a link-local address/],
  ['https://ula.example.com/', /resolves to fd00:ec2::254, which is a unique-local address/],
  ['https://loop.example.com/', /resolves to 127\.0\.0\.1, which is a loopback address/],
  ['https://nowhere.example.com/', /^nowhere\.example\.com does not resolve \(getaddrinfo ENOTFOUND/],
  ['http://hooks.example.com/hook', /^must use https, got http$/],
  ['ftp://hooks.example.com/', /^must use https, got ftp$/],
  ['hooks.example.com/hook', /^must be an absolute https:\/\/ URL/],
  ['https://user:pass@hooks.example.com/', /must not carry a user name or password/],
];

for (const [url, reason] of refusals) {
  test(`${url} is refused before any connection`, async (t) => {
    refused(t, await strict.vet(url), reason);
  });
}

test('with WEBHOOK_ALLOW_LOOPBACK loopback is allowed, over plain http too, and nothing else is loosened', async (t) => {
  t.like(await local.vet('http://127.0.0.1:8080/hook'), { ok: true });
  t.like(await local.vet('http://[::1]:8080/hook'), { ok: true });
  t.like(await local.vet('https://loop.example.com/'), { ok: true });
  refused(t, await local.vet('http://hooks.example.com/'), /must use https \(plain http is allowed to loopback addresses only/);
  refused(t, await local.vet('http://10.0.0.1/'), /private address/);
  refused(t, await local.vet('https://169.254.169.254/'), /link-local/);
});

test('a resolver that never answers is given up on', async (t) => {
  const hanging = new WebhookAddressGuard({ allowLoopback: false, resolve: () => new Promise(() => {}), resolveTimeoutMs: 50 });
  refused(t, await hanging.vet('https://slow.example.com/'), /does not resolve \(no answer within 0\.05 s\)/);
});

test('the address to connect to is checked again when asked, so a name that now resolves privately is refused', async (t) => {
  let answer = '93.184.215.14';
  const changing = new WebhookAddressGuard({ allowLoopback: false, resolve: async () => [{ address: answer, family: 4 }] });
  t.like(await changing.vet('https://rebind.example.com/'), { ok: true });
  answer = '10.0.0.7';
  refused(t, await changing.address(new URL('https://rebind.example.com/')), /resolves to 10\.0\.0\.7, which is a private address/);
});

test('where only some ports can be reached (WEBHOOK_PORTS), a URL on another port is refused, naming the ports that can', async (t) => {
  const only443 = new WebhookAddressGuard({ allowLoopback: false, ports: [443], resolve });
  refused(
    t,
    await only443.vet('https://hooks.example.com:8443/quiet'),
    /^port 8443 cannot be reached from this deployment; webhooks may use port 443$/,
  );
  t.deepEqual(await only443.vet('https://hooks.example.com/quiet'), { ok: true, value: 'https://hooks.example.com/quiet' });
  t.deepEqual(await only443.vet('https://hooks.example.com:443/quiet'), { ok: true, value: 'https://hooks.example.com/quiet' });
  t.true((await strict.vet('https://hooks.example.com:8443/quiet')).ok, 'any port where none is named');
});
