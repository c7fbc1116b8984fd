import test from 'ava';
import { aReading, aVenue } from '../../support/builders.js';
import { ADMIN_KEY, startHarness } from '../../support/http-harness.js';

async function api(t: { teardown(fn: () => Promise<void>): void }, options: Parameters<typeof startHarness>[0] = {}) {
  const harness = await startHarness(options);
  t.teardown(() => harness.close());
  await harness.venues.save([aVenue({ id: 'a1' })]);
  await harness.readings.record([aReading('a1', '2020-08-01T04:00:00Z', 2)]);
  return harness;
}

const PROBLEM = 'https://spaceout-crowd.dev/problems/';

test('a GET carries an ETag, and If-None-Match with it answers 304 with no body', async (t) => {
  const harness = await api(t);
  const first = await harness.get('/v1/crowd-levels');
  const etag = first.headers.get('etag');
  t.truthy(etag);
  const again = await harness.get('/v1/crowd-levels', { 'if-none-match': etag! });
  t.is(again.status, 304);
  t.is(again.body, '');
});

test('a hot read answered again from the cache carries the same headers and bytes, with its own request id', async (t) => {
  const harness = await api(t);
  const first = await raw(`${harness.url}/v1/crowd-levels`, {});
  const again = await raw(`${harness.url}/v1/crowd-levels`, {});
  const comparable = (headers: import('node:http').IncomingHttpHeaders) => {
    const { date: _date, 'x-request-id': _id, ...rest } = headers;
    return rest;
  };
  t.deepEqual(comparable(again.headers), comparable(first.headers));
  t.deepEqual(again.body, first.body);
  t.not(again.headers['x-request-id'], first.headers['x-request-id']);
});

test('hot reads are served from memory until a poll completes, then reflect it', async (t) => {
  const harness = await api(t);
  const before = await harness.get('/v1/crowd-levels');
  // Written behind the cache's back: no poll, no event.
  await harness.readings.record([aReading('a1', '2020-08-01T04:05:00Z', 3)]);
  t.deepEqual((await harness.get('/v1/crowd-levels')).body, before.body, 'served from the cache');

  harness.source.venues = { items: [aVenue({ id: 'a1' })], rejected: [] };
  harness.source.readings = { items: [aReading('a1', '2020-08-01T04:10:00Z', 0)], rejected: [] };
  await harness.post('/v1/admin/poll', { authorization: `Bearer ${ADMIN_KEY}` });
  const after = await harness.get('/v1/crowd-levels', { 'if-none-match': before.headers.get('etag')! });
  t.is(after.status, 200);
  t.is(after.body.items[0].band, 0);
  t.not(after.headers.get('etag'), before.headers.get('etag'));
});

test("a venue's own replies are served from memory until a poll completes, and counted under their route pattern", async (t) => {
  const harness = await api(t);
  const paths = ['/v1/venues/a1', '/v1/venues/a1/readings', '/v1/venues/a1/profile'];
  const before = await Promise.all(paths.map((path) => harness.get(path)));
  await harness.readings.record([aReading('a1', '2020-08-01T04:05:00Z', 3)]);
  const cached = await Promise.all(paths.map((path) => harness.get(path)));
  t.deepEqual(
    cached.map((reply) => reply.body),
    before.map((reply) => reply.body),
    'served from the cache',
  );

  harness.source.venues = { items: [aVenue({ id: 'a1' })], rejected: [] };
  await harness.post('/v1/admin/poll', { authorization: `Bearer ${ADMIN_KEY}` });
  const after = await Promise.all(paths.map((path) => harness.get(path)));
  t.is(after[0]!.body.latestReading.band, 3);
  t.is(after[1]!.body.items.length, 2);
  const metrics = (await harness.get('/metrics')).body as string;
  t.regex(metrics, /http_requests_total\{method="GET",route="\/v1\/venues\/:id\/readings",status="200"\} 3/);
  t.notRegex(metrics, /route="\/v1\/venues\/a1/);
});

test('a cached reply is never older than its time to live, even if the poll event was missed', async (t) => {
  const harness = await api(t, { env: { CACHE_MAX_AGE_SECONDS: '1' } });
  await harness.get('/v1/crowd-levels');
  await harness.readings.record([aReading('a1', '2020-08-01T04:05:00Z', 3)]);
  await new Promise((resolve) => setTimeout(resolve, 1_050));
  t.is((await harness.get('/v1/crowd-levels')).body.items[0].band, 3);
});

/** The first call of the harness's `latest` query reads at once but answers only on `release`; later calls answer at once. */
function holdFirstLatestQuery(harness: Awaited<ReturnType<typeof api>>, outcome: 'answer' | 'fail' = 'answer') {
  const query = harness.readings.latest.bind(harness.readings);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  harness.readings.latest = async (page) => {
    calls++;
    const read = await query(page);
    if (calls > 1) return read;
    await released;
    if (outcome === 'fail') throw new Error('the store went away');
    return read;
  };
  return { release, calls: () => calls };
}

/** Waits until /metrics shows `count` requests that waited for a reply another request was making. */
async function untilJoined(harness: Awaited<ReturnType<typeof api>>, count: number): Promise<void> {
  const joined = new RegExp(`^http_response_cache_lookups_total\\{result="joined"\\} ${count}$`, 'm');
  const deadline = Date.now() + 5_000;
  while (!joined.test((await harness.get('/metrics')).body as string)) {
    if (Date.now() > deadline) throw new Error(`no ${count} requests waited for the reply being made`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('requests that miss together for the same hot read share one query, and each gets the whole reply with its own request id', async (t) => {
  const harness = await api(t);
  const held = holdFirstLatestQuery(harness);
  const replies = Array.from({ length: 5 }, () => raw(`${harness.url}/v1/crowd-levels`, {}));
  await untilJoined(harness, 4);
  held.release();
  const answered = await Promise.all(replies);
  t.is(held.calls(), 1);
  for (const reply of answered) t.deepEqual(reply.body, answered[0]!.body);
  t.is(new Set(answered.map((reply) => reply.headers.etag)).size, 1);
  t.is(new Set(answered.map((reply) => reply.headers['x-request-id'])).size, 5);
  const metrics = (await harness.get('/metrics')).body as string;
  t.regex(metrics, /^http_response_cache_lookups_total\{result="miss"\} 1$/m);
  t.regex(metrics, /http_requests_total\{method="GET",route="\/v1\/crowd-levels",status="200"\} 5/);
});

test('when the request that was making a reply fails, those waiting for it make their own', async (t) => {
  const harness = await api(t);
  const held = holdFirstLatestQuery(harness, 'fail');
  const replies = Array.from({ length: 3 }, () => harness.get('/v1/crowd-levels'));
  await untilJoined(harness, 2);
  held.release();
  const statuses = (await Promise.all(replies)).map((reply) => reply.status).sort();
  t.deepEqual(statuses, [200, 200, 500]);
});

test('a reply made from data read before a poll completed is not kept: the next request reads again', async (t) => {
  const harness = await api(t);
  const held = holdFirstLatestQuery(harness);
  const early = harness.get('/v1/crowd-levels');
  // The poll completes while that request's query is still out.
  harness.source.venues = { items: [aVenue({ id: 'a1' })], rejected: [] };
  harness.source.readings = { items: [aReading('a1', '2020-08-01T04:10:00Z', 0)], rejected: [] };
  await harness.post('/v1/admin/poll', { authorization: `Bearer ${ADMIN_KEY}` });
  held.release();
  await early;
  t.is((await harness.get('/v1/crowd-levels')).body.items[0].band, 0);
});

test('If-Modified-Since at or after Last-Modified answers 304; an earlier one gets the data', async (t) => {
  const harness = await api(t);
  const first = await harness.get('/v1/crowd-levels');
  const lastModified = first.headers.get('last-modified')!;
  t.truthy(lastModified);
  t.is((await harness.get('/v1/crowd-levels', { 'if-modified-since': lastModified })).status, 304);
  t.is(
    (await harness.get('/v1/crowd-levels', { 'if-modified-since': new Date(Date.parse(lastModified) - 60_000).toUTCString() })).status,
    200,
  );
});

test('an If-Modified-Since in the future is ignored, since no client can have seen that version', async (t) => {
  const harness = await api(t);
  t.is((await harness.get('/v1/crowd-levels', { 'if-modified-since': 'Fri, 01 Jan 2100 00:00:00 GMT' })).status, 200);
});

test('data routes may be cached briefly; health, readiness and metrics never', async (t) => {
  const harness = await api(t, { env: { CACHE_MAX_AGE_SECONDS: '45' } });
  t.is((await harness.get('/v1/venues')).headers.get('cache-control'), 'public, max-age=45');
  for (const path of ['/health', '/ready', '/metrics']) t.is((await harness.get(path)).headers.get('cache-control'), 'no-store', path);
});

test('replies carry the security headers of a JSON API', async (t) => {
  const harness = await api(t);
  const { headers } = await harness.get('/v1/venues');
  t.is(headers.get('x-content-type-options'), 'nosniff');
  t.is(headers.get('x-frame-options'), 'DENY');
  t.is(headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
});

test('any origin may GET cross-origin, and its preflight is answered', async (t) => {
  const harness = await api(t);
  t.is((await harness.get('/v1/venues', { origin: 'https://example.org' })).headers.get('access-control-allow-origin'), '*');
  const preflight = await harness.request('OPTIONS', '/v1/venues', {
    origin: 'https://example.org',
    'access-control-request-method': 'GET',
  });
  t.is(preflight.status, 204);
  t.is(preflight.headers.get('access-control-allow-methods'), 'GET, HEAD');
});

test('with an origin list, other origins get no CORS headers', async (t) => {
  const harness = await api(t, { env: { CORS_ALLOWED_ORIGINS: 'https://allowed.example' } });
  t.is(
    (await harness.get('/v1/venues', { origin: 'https://allowed.example' })).headers.get('access-control-allow-origin'),
    'https://allowed.example',
  );
  t.is((await harness.get('/v1/venues', { origin: 'https://other.example' })).headers.get('access-control-allow-origin'), null);
});

test('with an origin list, every reply varies on Origin, so shared caches keep one per origin', async (t) => {
  const harness = await api(t, { env: { CORS_ALLOWED_ORIGINS: 'https://allowed.example' } });
  const requests: Array<Record<string, string>> = [{}, { origin: 'https://other.example' }, { origin: 'https://allowed.example' }];
  for (const headers of requests) {
    t.regex((await harness.get('/v1/venues', headers)).headers.get('vary') ?? '', /\bOrigin\b/, JSON.stringify(headers));
  }
});

test('a client over the rate limit gets a 429 problem with Retry-After', async (t) => {
  const harness = await api(t, { env: { RATE_LIMIT_PER_MINUTE: '3' } });
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await harness.get('/v1/venues')).status);
  t.deepEqual(statuses, [200, 200, 200, 429]);
  const limited = await harness.get('/v1/venues');
  t.is(limited.body.type, `${PROBLEM}rate-limited`);
  t.true(Number(limited.headers.get('retry-after')) >= 1);
});

test('health and readiness probes are never rate limited', async (t) => {
  const harness = await api(t, { env: { RATE_LIMIT_PER_MINUTE: '1' } });
  t.is((await harness.get('/v1/venues')).status, 200);
  t.is((await harness.get('/v1/venues')).status, 429);
  const probes = [];
  for (let i = 0; i < 3; i++) probes.push((await harness.get('/health')).status, (await harness.get('/ready')).status);
  t.deepEqual(probes, [200, 200, 200, 200, 200, 200]);
});

test('admin routes have a stricter limit of their own', async (t) => {
  const harness = await api(t, { env: { ADMIN_RATE_LIMIT_PER_MINUTE: '1' } });
  harness.source.venues = { items: [aVenue({ id: 'a1' })], rejected: [] };
  const auth = { authorization: `Bearer ${ADMIN_KEY}` };
  t.is((await harness.post('/v1/admin/poll', auth)).status, 200);
  t.is((await harness.post('/v1/admin/poll', auth)).status, 429);
  t.is((await harness.get('/v1/venues')).status, 200, 'public routes are not affected');
});

test('with METRICS_ACCESS=admin, /metrics answers only with the admin key, and the OpenAPI document says so', async (t) => {
  const harness = await api(t, { env: { METRICS_ACCESS: 'admin' } });
  t.like(await harness.get('/metrics'), { status: 401, body: { type: `${PROBLEM}unauthorized` } });
  const scraped = await harness.get('/metrics', { authorization: `Bearer ${ADMIN_KEY}` });
  t.is(scraped.status, 200);
  t.regex(scraped.body as string, /^http_requests_total\{method="GET",route="\/metrics",status="401"\} 1$/m);
  const document = (await harness.get('/openapi.json')).body;
  t.deepEqual(document.paths['/metrics'].get.security, [{ adminKey: [] }]);
});

test('a URL over 2,048 characters is a 414 problem', async (t) => {
  const harness = await api(t);
  t.like(await harness.get(`/v1/venues?q=${'x'.repeat(2100)}`), { status: 414, body: { type: `${PROBLEM}uri-too-long` } });
});

test('more than 20 query parameters is a 400 problem', async (t) => {
  const harness = await api(t);
  const query = Array.from({ length: 21 }, (_, i) => `p${i}=1`).join('&');
  t.like(await harness.get(`/v1/venues?${query}`), { status: 400, body: { parameter: 'query' } });
});

test('a request body on a route that takes none is refused with a 413 problem', async (t) => {
  const harness = await api(t);
  t.like(await harness.post('/v1/admin/poll', { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, '{"x":1}'), {
    status: 413,
    body: { type: `${PROBLEM}body-not-allowed` },
  });
});

test('/ready answers 503 as soon as draining starts, while data routes still answer', async (t) => {
  const harness = await api(t);
  harness.draining = true;
  t.like(await harness.get('/ready'), { status: 503, body: { detail: 'draining: the service is shutting down' } });
  t.is((await harness.get('/v1/venues')).status, 200);
});

test('while draining, every reply closes its connection, so keep-alive clients cannot hold up the exit', async (t) => {
  const harness = await api(t);
  t.is((await raw(`${harness.url}/v1/venues`, {})).headers.connection, 'keep-alive');
  harness.draining = true;
  t.is((await raw(`${harness.url}/v1/venues`, {})).headers.connection, 'close');
});

async function raw(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: import('node:http').IncomingHttpHeaders; body: Buffer }> {
  const { get } = await import('node:http');
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

async function manyVenues(t: { teardown(fn: () => Promise<void>): void }) {
  const harness = await api(t);
  await harness.venues.save(
    Array.from({ length: 50 }, (_, i) => aVenue({ id: `v${String(i).padStart(2, '0')}`, name: `Venue number ${i}` })),
  );
  return harness;
}

test('brotli is sent when the client accepts it, gzip when only that, and the bytes are the same JSON', async (t) => {
  const { gunzipSync, brotliDecompressSync } = await import('node:zlib');
  const harness = await manyVenues(t);
  const plain = await raw(`${harness.url}/v1/venues`, {});
  t.is(plain.headers['content-encoding'], undefined);
  const br = await raw(`${harness.url}/v1/venues`, { 'accept-encoding': 'gzip, br' });
  t.is(br.headers['content-encoding'], 'br');
  t.deepEqual(brotliDecompressSync(br.body), plain.body);
  const gzip = await raw(`${harness.url}/v1/venues`, { 'accept-encoding': 'gzip;q=1, br;q=0' });
  t.is(gzip.headers['content-encoding'], 'gzip');
  t.deepEqual(gunzipSync(gzip.body), plain.body);
  t.regex(String(br.headers['vary']), /Accept-Encoding/);
});

test('a 304 is answered for the same data whatever the encoding asked', async (t) => {
  const harness = await manyVenues(t);
  const br = await raw(`${harness.url}/v1/venues`, { 'accept-encoding': 'br' });
  const { get } = await import('node:http');
  const status = await new Promise<number | undefined>((resolve) =>
    get(`${harness.url}/v1/venues`, { headers: { 'accept-encoding': 'gzip', 'if-none-match': String(br.headers['etag']) } }, (response) => {
      response.resume();
      resolve(response.statusCode);
    }),
  );
  t.is(status, 304);
});

test('behind one trusted proxy, clients are told apart by the last X-Forwarded-For entry, which they cannot forge', async (t) => {
  const harness = await api(t, { env: { RATE_LIMIT_PER_MINUTE: '1', TRUSTED_PROXY_HOPS: '1' } });
  t.is((await harness.get('/v1/venues', { 'x-forwarded-for': '198.51.100.1' })).status, 200);
  t.is((await harness.get('/v1/venues', { 'x-forwarded-for': '198.51.100.2' })).status, 200, 'another client has its own bucket');
  t.is(
    (await harness.get('/v1/venues', { 'x-forwarded-for': '203.0.113.9, 198.51.100.1' })).status,
    429,
    'a forged first entry changes nothing',
  );
});

test('with no trusted proxy, X-Forwarded-For is ignored', async (t) => {
  const harness = await api(t, { env: { RATE_LIMIT_PER_MINUTE: '1' } });
  t.is((await harness.get('/v1/venues', { 'x-forwarded-for': '198.51.100.1' })).status, 200);
  t.is((await harness.get('/v1/venues', { 'x-forwarded-for': '198.51.100.2' })).status, 429);
});
