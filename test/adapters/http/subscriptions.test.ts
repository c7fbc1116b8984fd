import { request } from 'node:http';
import test, { type ExecutionContext } from 'ava';
import { aReading, aVenue } from '../../support/builders.js';
import { ADMIN_KEY, startHarness } from '../../support/http-harness.js';

const PROBLEM = 'https://spaceout-crowd.dev/problems/';
const JSON_TYPE = { 'content-type': 'application/json' };
const HOOK = 'https://hooks.example.com/quiet';

async function api(t: ExecutionContext, options: Parameters<typeof startHarness>[0] = {}) {
  const harness = await startHarness(options);
  t.teardown(() => harness.close());
  await harness.venues.save([
    aVenue({ id: '308', name: 'Tampines Hub', type: 'MALL' }),
    aVenue({ id: 'fp-1', name: 'FairPrice Tampines', type: 'SUPERMARKET', lat: 1.3531, lng: 103.945 }),
  ]);
  return harness;
}

const subscribe = (harness: Awaited<ReturnType<typeof api>>, body: unknown, headers: Record<string, string> = JSON_TYPE) =>
  harness.post('/v1/subscriptions', headers, typeof body === 'string' ? body : JSON.stringify(body));
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

test('a subscription to one venue is created with a 201, its Location and a secret shown once', async (t) => {
  const harness = await api(t);
  const created = await subscribe(harness, { venueId: '308', maxBand: 1, webhookUrl: HOOK });
  t.is(created.status, 201);
  t.is(created.headers.get('location'), `/v1/subscriptions/${created.body.id}`);
  t.regex(created.body.secret, /^whsec_/);
  t.like(created.body, {
    venueId: '308',
    near: null,
    radius: null,
    type: null,
    maxBand: 1,
    between: null,
    cooldownMinutes: 0,
    webhookUrl: HOOK,
    status: 'active',
    createdAt: '2020-08-01T05:00:00.000Z',
  });

  const read = await harness.get(`/v1/subscriptions/${created.body.id}`, bearer(created.body.secret));
  t.is(read.status, 200);
  const { secret: _secret, ...shown } = created.body;
  t.deepEqual(read.body, shown);
  t.false(JSON.stringify(read.body).includes(created.body.secret));
});

test('a nearby subscription takes a point, a radius (2,000 m by default), a type in any case, hours and a cooldown', async (t) => {
  const harness = await api(t);
  const created = await subscribe(harness, {
    near: { lat: 1.3526, lng: 103.9447 },
    type: 'supermarket',
    maxBand: 0,
    between: { from: '07:00', to: '22:00' },
    cooldownMinutes: 60,
    webhookUrl: HOOK,
  });
  t.is(created.status, 201);
  t.like(created.body, {
    venueId: null,
    near: { lat: 1.3526, lng: 103.9447 },
    radius: 2000,
    type: 'SUPERMARKET',
    maxBand: 0,
    between: { from: '07:00', to: '22:00' },
    cooldownMinutes: 60,
  });
});

test('no reply about a subscription may be cached: the 201 with its secret, reads, refusals and the delete are no-store', async (t) => {
  const harness = await api(t);
  const created = await subscribe(harness, { venueId: '308', maxBand: 1, webhookUrl: HOOK });
  const path = `/v1/subscriptions/${created.body.id}`;
  const read = await harness.get(path, bearer(created.body.secret));
  t.is(read.headers.get('etag'), null);
  const replies = [
    created,
    read,
    await harness.get(path),
    await harness.post(`${path}/resume`, bearer(created.body.secret), ''),
    await harness.request('DELETE', path, bearer(created.body.secret)),
  ];
  t.deepEqual(
    replies.map((reply) => [reply.status, reply.headers.get('cache-control')]),
    [201, 200, 401, 200, 204].map((status) => [status, 'no-store']),
  );
});

test('reading or deleting needs the subscription secret as a bearer token', async (t) => {
  const harness = await api(t);
  const first = await subscribe(harness, { venueId: '308', maxBand: 1, webhookUrl: HOOK });
  const second = await subscribe(harness, { venueId: '308', maxBand: 1, webhookUrl: HOOK });
  const path = `/v1/subscriptions/${first.body.id}`;
  const missing = await harness.get(path);
  t.like(missing, { status: 401, body: { type: `${PROBLEM}unauthorized` } });
  t.is(missing.headers.get('www-authenticate'), 'Bearer realm="subscription"');
  t.like(await harness.get(path, bearer(second.body.secret)), { status: 401, body: { type: `${PROBLEM}unauthorized` } });
  t.like(await harness.request('DELETE', path, bearer(second.body.secret)), { status: 401 });
  t.like(await harness.get(path, bearer(first.body.secret)), { status: 200 });
});

test('a deleted subscription is gone: 204, then 404', async (t) => {
  const harness = await api(t);
  const created = await subscribe(harness, { venueId: '308', maxBand: 1, webhookUrl: HOOK });
  const path = `/v1/subscriptions/${created.body.id}`;
  t.like(await harness.request('DELETE', path, bearer(created.body.secret)), { status: 204, body: '' });
  t.like(await harness.get(path, bearer(created.body.secret)), { status: 404, body: { type: `${PROBLEM}not-found` } });
  t.like(await harness.request('DELETE', path, bearer(created.body.secret)), { status: 404 });
});

test('a paused subscription is resumed with its secret: active again, its failures in a row forgotten', async (t) => {
  const harness = await api(t);
  const created = await subscribe(harness, { venueId: '308', maxBand: 1, webhookUrl: HOOK });
  const path = `/v1/subscriptions/${created.body.id}`;
  // As five failed deliveries in a row leave it.
  await harness.subscriptions.updateState(created.body.id, (state) => ({
    ...state,
    status: 'paused',
    pausedAt: new Date('2020-08-01T04:01:00Z'),
    pauseReason: 'paused after 5 failed deliveries in a row; the last: HTTP 500',
    consecutiveFailures: 5,
    failed: 5,
  }));
  t.like(await harness.get(path, bearer(created.body.secret)), { body: { status: 'paused' } });
  const other = await subscribe(harness, { venueId: '308', maxBand: 1, webhookUrl: HOOK });
  t.like(await harness.post(`${path}/resume`, bearer(other.body.secret)), { status: 401, body: { type: `${PROBLEM}unauthorized` } });
  t.like(await harness.post(`${path}/resume`), { status: 401 });
  const resumedReply = await harness.post(`${path}/resume`, bearer(created.body.secret));
  t.like(resumedReply, {
    status: 200,
    body: { id: created.body.id, status: 'active', pausedAt: null, pauseReason: null, deliveries: { failed: 5, consecutiveFailures: 0 } },
  });
  t.is(resumedReply.body.secret, undefined, 'the secret is shown only at creation');
  t.like(await harness.get(path, bearer(created.body.secret)), { body: { status: 'active' } });
  t.like(
    await harness.post(`${path}/resume`, bearer(created.body.secret)),
    { status: 200, body: { status: 'active' } },
    'again: no change',
  );
  t.like(await harness.post('/v1/subscriptions/3f0f7bd4-1b4b-4c3e-9a4e-6f1f0e0c2b1a/resume', bearer('whsec_x')), { status: 404 });
});

test('with WEBHOOK_PORTS=443 (as on AWS) a webhook on another port is refused at creation with a 400 naming webhookUrl', async (t) => {
  const harness = await api(t, { env: { WEBHOOK_PORTS: '443' } });
  const refused = await subscribe(harness, { venueId: '308', maxBand: 1, webhookUrl: 'https://hooks.example.com:8443/quiet' });
  t.like(refused, {
    status: 400,
    body: {
      type: `${PROBLEM}invalid-body`,
      detail: 'webhookUrl: port 8443 cannot be reached from this deployment; webhooks may use port 443',
    },
  });
  t.is((await subscribe(harness, { venueId: '308', maxBand: 1, webhookUrl: HOOK })).status, 201);
});

test('an unknown id is a 404', async (t) => {
  const harness = await api(t);
  t.like(await harness.get('/v1/subscriptions/3f0f7bd4-1b4b-4c3e-9a4e-6f1f0e0c2b1a', bearer('whsec_x')), {
    status: 404,
    body: { detail: 'no subscription has id 3f0f7bd4-1b4b-4c3e-9a4e-6f1f0e0c2b1a' },
  });
});

test('a venue no facility list had is a 404', async (t) => {
  const harness = await api(t);
  await harness.readings.record([aReading('9001', '2020-08-01T04:00:00Z', 1)]);
  t.like(await subscribe(harness, { venueId: 'nowhere', maxBand: 1, webhookUrl: HOOK }), {
    status: 404,
    body: { detail: 'no venue has id nowhere' },
  });
  t.like(await subscribe(harness, { venueId: '9001', maxBand: 1, webhookUrl: HOOK }), {
    status: 404,
    body: { detail: 'no venue has id 9001: SpaceOut reports crowd levels for it but never listed it; its readings are kept' },
  });
});

const valid = { venueId: '308', maxBand: 1, webhookUrl: HOOK };
const malformed: Array<[string, unknown, string, RegExp]> = [
  ['maxBand is missing', { venueId: '308', webhookUrl: HOOK }, 'maxBand', /^maxBand: is required: 0 \(not crowded\), 1/],
  ['maxBand is 3', { ...valid, maxBand: 3 }, 'maxBand', /^maxBand: must be 0 \(not crowded\), 1 \(moderately crowded\) or 2 \(crowded\)/],
  ['maxBand is 1.5', { ...valid, maxBand: 1.5 }, 'maxBand', /^maxBand: must be 0/],
  ['maxBand is "1"', { ...valid, maxBand: '1' }, 'maxBand', /^maxBand: must be 0/],
  ['webhookUrl is missing', { venueId: '308', maxBand: 1 }, 'webhookUrl', /^webhookUrl: is required/],
  ['both venueId and near are given', { ...valid, near: { lat: 1.35, lng: 103.9 } }, 'near', /give exactly one of venueId/],
  ['neither venueId nor near is given', { maxBand: 1, webhookUrl: HOOK }, 'venueId', /give exactly one of venueId/],
  ['radius comes without near', { ...valid, radius: 500 }, 'radius', /^radius: is taken only with near$/],
  ['type comes without near', { ...valid, type: 'MALL' }, 'type', /^type: is taken only with near$/],
  [
    'radius is 0',
    { near: { lat: 1.35, lng: 103.9 }, radius: 0, maxBand: 1, webhookUrl: HOOK },
    'radius',
    /^radius: must be a whole number of metres from 1 to 50,000/,
  ],
  [
    'near.lat is 95',
    { near: { lat: 95, lng: 103.9 }, maxBand: 1, webhookUrl: HOOK },
    'near.lat',
    /^near\.lat: must be a latitude from -90 to 90$/,
  ],
  ['near is a string', { near: '1.35,103.9', maxBand: 1, webhookUrl: HOOK }, 'near', /^near: must be an object/],
  ['near has no lng', { near: { lat: 1.35 }, maxBand: 1, webhookUrl: HOOK }, 'near.lng', /^near\.lng: is required/],
  ['between.from is 7:00', { ...valid, between: { from: '7:00', to: '22:00' } }, 'between.from', /^between\.from: must be HH:MM/],
  ['between has equal ends', { ...valid, between: { from: '07:00', to: '07:00' } }, 'between', /^between: from and to must differ/],
  [
    'cooldownMinutes is -1',
    { ...valid, cooldownMinutes: -1 },
    'cooldownMinutes',
    /^cooldownMinutes: must be a whole number of minutes from 0 to 10,080/,
  ],
  [
    'an unknown field is given',
    { ...valid, webhook: HOOK },
    'webhook',
    /^webhook: is not a field of a subscription; the fields are venueId, near, radius/,
  ],
  [
    'an unknown field is nested',
    { near: { lat: 1.35, lng: 103.9, alt: 3 }, maxBand: 1, webhookUrl: HOOK },
    'near.alt',
    /^near\.alt: is not a field/,
  ],
  ['venueId has spaces inside', { ...valid, venueId: 'a b' }, 'venueId', /^venueId: id "a b" has characters other than/],
  [
    'webhookUrl is http',
    { ...valid, webhookUrl: 'http://hooks.example.com/quiet' },
    'webhookUrl',
    /^webhookUrl: must use https, got http$/,
  ],
  [
    'webhookUrl is a private address',
    { ...valid, webhookUrl: 'https://10.0.0.1/quiet' },
    'webhookUrl',
    /^webhookUrl: 10\.0\.0\.1 is a private address/,
  ],
  [
    'webhookUrl is the instance metadata',
    { ...valid, webhookUrl: 'https://169.254.169.254/latest/meta-data/' },
    'webhookUrl',
    /is a link-local address/,
  ],
  ['webhookUrl is loopback', { ...valid, webhookUrl: 'https://[::1]:8443/' }, 'webhookUrl', /is a loopback address/],
  [
    'webhookUrl is longer than 2,048 characters',
    { ...valid, webhookUrl: `${HOOK}?${'x'.repeat(2048)}` },
    'webhookUrl',
    /^webhookUrl: must be an https/,
  ],
  ['the body is not JSON', '{"venueId": "308",', 'body', /^body: is not valid JSON$/],
  ['the body is an array', [valid], 'body', /^body: must be a JSON object$/],
];

for (const [what, body, field, detail] of malformed) {
  test(`a body where ${what} is a 400 naming ${field}`, async (t) => {
    const harness = await api(t);
    const reply = await subscribe(harness, body);
    t.like(reply, { status: 400, body: { type: `${PROBLEM}invalid-body`, title: 'Invalid request body', field } });
    t.regex(reply.body.detail, detail);
  });
}

test('optional fields may be null, as GET shows them', async (t) => {
  const harness = await api(t);
  t.like(
    await subscribe(harness, {
      venueId: '308',
      near: null,
      radius: null,
      type: null,
      between: null,
      cooldownMinutes: null,
      maxBand: 2,
      webhookUrl: HOOK,
    }),
    { status: 201, body: { cooldownMinutes: 0 } },
  );
});

test('a body over 4 KB is a 413, whether its length is declared or it comes in chunks', async (t) => {
  const harness = await api(t);
  const large = JSON.stringify({ ...valid, webhookUrl: `${HOOK}?${'x'.repeat(5000)}` });
  t.like(await subscribe(harness, large), {
    status: 413,
    body: { type: `${PROBLEM}body-too-large`, detail: 'the body is larger than 4,096 bytes' },
  });
  const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const outgoing = request(`${harness.url}/v1/subscriptions`, { method: 'POST', headers: JSON_TYPE }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    for (let i = 0; i < 5; i++) outgoing.write('x'.repeat(1000));
    outgoing.end();
  });
  t.is(chunked.status, 413);
  t.is(JSON.parse(chunked.body).type, `${PROBLEM}body-too-large`);
});

test('a body that is not application/json is a 415', async (t) => {
  const harness = await api(t);
  t.like(await subscribe(harness, valid, { 'content-type': 'text/plain' }), {
    status: 415,
    body: { type: `${PROBLEM}unsupported-media-type` },
  });
});

test('creation is rate limited per client: beyond the limit, 429 with Retry-After', async (t) => {
  const harness = await api(t, { env: { SUBSCRIPTION_RATE_LIMIT_PER_MINUTE: '2' } });
  t.is((await subscribe(harness, valid)).status, 201);
  t.is((await subscribe(harness, valid)).status, 201);
  const limited = await subscribe(harness, valid);
  t.like(limited, { status: 429, body: { type: `${PROBLEM}rate-limited` } });
  t.truthy(limited.headers.get('retry-after'));
  t.is((await harness.get('/v1/venues')).status, 200, 'other routes keep their own limit');
});

test('the subscription routes take no query parameters', async (t) => {
  const harness = await api(t);
  t.like(await harness.post('/v1/subscriptions?dryRun=true', JSON_TYPE, JSON.stringify(valid)), {
    status: 400,
    body: { parameter: 'dryRun' },
  });
});

test('the store keeps neither the secret nor anything it could be read back from without the key', async (t) => {
  const harness = await api(t);
  const created = await subscribe(harness, valid);
  const stored = await harness.subscriptions.get(created.body.id);
  t.false(JSON.stringify(stored).includes(created.body.secret));
  t.false(JSON.stringify(stored).includes(created.body.secret.slice('whsec_'.length)));
});

test('a subscription created through the API has its alert queued by the poll that sees the drop', async (t) => {
  const harness = await api(t);
  harness.source.venues = { items: await harness.venues.all(), rejected: [] };
  harness.source.readings = { items: [aReading('308', '2020-08-01T04:40:00Z', 3)], rejected: [] };
  await harness.post('/v1/admin/poll', bearer(ADMIN_KEY));
  const created = await subscribe(harness, valid);
  harness.source.readings = { items: [aReading('308', '2020-08-01T04:50:00Z', 1)], rejected: [] };
  await harness.post('/v1/admin/poll', bearer(ADMIN_KEY));
  t.like(await harness.subscriptions.pendingDeliveries(), [
    { payload: { subscriptionId: created.body.id, venueId: '308', venueName: 'Tampines Hub', band: 1 } },
  ]);
  t.like(await harness.get(`/v1/subscriptions/${created.body.id}`, bearer(created.body.secret)), {
    body: { lastNotifiedAt: '2020-08-01T04:50:00.000Z' },
  });
});
