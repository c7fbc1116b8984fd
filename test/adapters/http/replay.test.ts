import test from 'ava';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { RateLimiter } from '../../../adapters/http/middleware/rate-limit.js';
import { RequestTelemetry } from '../../../adapters/http/middleware/request-telemetry.js';
import { replayCachedReads } from '../../../adapters/http/replay.js';
import { ResponseCache } from '../../../adapters/http/response-cache.js';

const BODY = '{"items":[],"nextCursor":null}';
const NOT_REPLAYED = 599;

/** A server that replays what it can and answers 599 for what it leaves to the full stack. */
async function replayingServer(t: { teardown(fn: () => void): void }, perMinute = 100) {
  const cache = new ResponseCache(30_000);
  const representation = cache.put('/v1/venues?', Buffer.from(BODY), 'application/json; charset=utf-8');
  representation.rememberHead('identity', { 'content-type': 'application/json; charset=utf-8', 'content-length': BODY.length, etag: representation.etag, 'x-request-id': 'of-the-first-reply' });
  const registry = new Registry();
  const replay = replayCachedReads({
    cache,
    cachedRoute: (path) => (path === '/v1/venues' ? path : null),
    limiter: new RateLimiter({ perMinute }),
    telemetry: new RequestTelemetry(pino({ level: 'silent' }), registry),
  });
  const server: Server = createServer((request, response) => {
    if (!replay(request, response)) response.writeHead(NOT_REPLAYED).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, registry, etag: representation.etag };
}

test('a cached read is replayed with the remembered headers, the same bytes and a request id of its own', async (t) => {
  const { url, registry, etag } = await replayingServer(t);
  const response = await fetch(`${url}/v1/venues`);
  t.is(response.status, 200);
  t.is(response.headers.get('etag'), etag);
  t.is(await response.text(), BODY);
  t.regex(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  t.regex(await registry.metrics(), /http_requests_total\{method="GET",route="\/v1\/venues",status="200"\} 1/);
});

const leftToTheFullStack: Array<[string, string, RequestInit]> = [
  ['a conditional request', '/v1/venues', { headers: { 'if-none-match': '"x"' } }],
  ['a cross-origin request', '/v1/venues', { headers: { origin: 'https://example.org' } }],
  ['a request with a body', '/v1/venues', { method: 'POST', body: 'x' }],
  ['a query nothing cached', '/v1/venues?limit=1', {}],
  ['a route that is not cached', '/v1/venues/a1', {}],
];

for (const [what, path, init] of leftToTheFullStack) {
  test(`${what} is left to the full stack`, async (t) => {
    const { url } = await replayingServer(t);
    t.is((await fetch(`${url}${path}`, init)).status, NOT_REPLAYED);
  });
}

test('replayed reads spend the rate limit; over it, the full stack answers the 429', async (t) => {
  const { url } = await replayingServer(t, 2);
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await fetch(`${url}/v1/venues`)).status);
  t.deepEqual(statuses, [200, 200, NOT_REPLAYED]);
});
