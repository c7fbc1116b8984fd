import test from 'ava';
import { aReading, aVenue } from '../../support/builders.js';
import { ADMIN_KEY, startHarness, type Harness } from '../../support/http-harness.js';

async function seeded(t: { teardown(fn: () => Promise<void>): void }): Promise<Harness> {
  const api = await startHarness();
  t.teardown(() => api.close());
  await api.venues.save([
    aVenue({ id: 'a1', name: 'Tampines Mall', type: 'MALL', address: '4 Tampines Central 5' }),
    aVenue({ id: 'b2', name: 'FairPrice Bishan', type: 'SUPERMARKET', address: '9 Bishan Place', postalCode: null }),
    aVenue({ id: 'c3', name: 'Old Market', type: 'MARKET', address: '1 Jurong Road', active: false }),
  ]);
  await api.readings.record([
    aReading('a1', '2020-08-01T03:00:00Z', 1),
    aReading('a1', '2020-08-01T04:00:00Z', 3),
    aReading('b2', '2020-08-01T04:30:00Z', 0, 'odd'),
    aReading('ghost', '2020-08-01T04:10:00Z', 2),
  ]);
  return api;
}

const PROBLEM = 'https://spaceout-crowd.dev/problems/';

test('GET /health answers 200 while the process lives', async (t) => {
  const api = await seeded(t);
  t.like(await api.get('/health'), { status: 200, body: { status: 'ok' } });
});

test('GET /ready answers 200 when the store answers and 503 problem when it does not', async (t) => {
  const api = await seeded(t);
  t.is((await api.get('/ready')).status, 200);
  api.ready = false;
  const down = await api.get('/ready');
  t.is(down.status, 503);
  t.is(down.headers.get('content-type'), 'application/problem+json');
  t.is(down.body.type, `${PROBLEM}not-ready`);
});

test('GET /v1/venues lists venues in the contract shape', async (t) => {
  const api = await seeded(t);
  const { status, body } = await api.get('/v1/venues');
  t.is(status, 200);
  t.deepEqual(body.items[1], {
    id: 'b2',
    name: 'FairPrice Bishan',
    type: 'SUPERMARKET',
    address: '9 Bishan Place',
    postalCode: null,
    location: { lat: 1.3526, lng: 103.9447 },
    active: true,
  });
  t.is(body.nextCursor, null);
});

test('venues filter by type case-insensitively, by q on name or address, and by active', async (t) => {
  const api = await seeded(t);
  const ids = async (query: string) => (await api.get(`/v1/venues?${query}`)).body.items.map((v: { id: string }) => v.id);
  t.deepEqual(await ids('type=mall'), ['a1']);
  t.deepEqual(await ids('q=BISHAN'), ['b2']);
  t.deepEqual(await ids('q=jurong%20road'), ['c3']);
  t.deepEqual(await ids('active=false'), ['c3']);
});

test('GET /v1/venues/{id} gives the venue with its latest reading', async (t) => {
  const api = await seeded(t);
  const { status, body } = await api.get('/v1/venues/a1');
  t.is(status, 200);
  t.deepEqual(body.latestReading, {
    venueId: 'a1',
    venueName: 'Tampines Mall',
    venueType: 'MALL',
    band: 3,
    bandLabel: 'very crowded',
    trend: false,
    observedAt: '2020-08-01T04:00:00.000Z',
  });
});

test('an unknown venue is a 404 problem', async (t) => {
  const api = await seeded(t);
  const { status, body } = await api.get('/v1/venues/nope');
  t.is(status, 404);
  t.like(body, { type: `${PROBLEM}not-found`, status: 404, title: 'Not found' });
});

test('readings come newest first and [from, to) bounds them', async (t) => {
  const api = await seeded(t);
  const all = await api.get('/v1/venues/a1/readings');
  t.deepEqual(
    all.body.items.map((r: { band: number }) => r.band),
    [3, 1],
  );
  t.deepEqual(all.body.items[0], {
    venueId: 'a1',
    band: 3,
    bandLabel: 'very crowded',
    trend: false,
    observedAt: '2020-08-01T04:00:00.000Z',
  });
  const bounded = await api.get('/v1/venues/a1/readings?from=2020-08-01T03:00:00Z&to=2020-08-01T04:00:00Z');
  t.deepEqual(
    bounded.body.items.map((r: { band: number }) => r.band),
    [1],
  );
});

test('an id with crowd levels but missing from the facility list is a 404 that says its readings are kept', async (t) => {
  const api = await seeded(t);
  const { status, body } = await api.get('/v1/venues/ghost');
  t.is(status, 404);
  t.regex(body.detail, /never listed it; its readings are kept/);
});

test('readings of an id missing from the facility list are served; an id nobody knows is 404', async (t) => {
  const api = await seeded(t);
  t.is((await api.get('/v1/venues/ghost/readings')).body.items.length, 1);
  t.is((await api.get('/v1/venues/nobody/readings')).status, 404);
});

test('GET /v1/crowd-levels gives the latest reading of every venue, null names for unlisted ids', async (t) => {
  const api = await seeded(t);
  const { body } = await api.get('/v1/crowd-levels');
  t.deepEqual(
    body.items.map((r: { venueId: string }) => r.venueId),
    ['a1', 'b2', 'ghost'],
  );
  t.like(body.items[1], { band: 0, bandLabel: 'not crowded', trend: null });
  t.like(body.items[2], { venueName: null, venueType: null });
});

test('GET /v1/crowd-levels?from&to gives the mean band per venue over [from, to)', async (t) => {
  const api = await seeded(t);
  const { body } = await api.get('/v1/crowd-levels?from=2020-08-01T00:00:00Z&to=2020-08-02T00:00:00Z');
  t.deepEqual(body.items[0], {
    venueId: 'a1',
    venueName: 'Tampines Mall',
    venueType: 'MALL',
    averageBand: 2,
    samples: 2,
    from: '2020-08-01T00:00:00.000Z',
    to: '2020-08-02T00:00:00.000Z',
  });
});

test('a date without an offset is Singapore time', async (t) => {
  const api = await seeded(t);
  const { body } = await api.get('/v1/crowd-levels?from=2020-08-01&to=2020-08-01T12:00');
  t.like(body.items[0], { from: '2020-07-31T16:00:00.000Z', to: '2020-08-01T04:00:00.000Z', samples: 1 });
});

test('times with finer fractions than milliseconds, or offsets written +hh or +hhmm, are understood', async (t) => {
  const api = await seeded(t);
  const averages = async (from: string, to: string) =>
    (await api.get(`/v1/crowd-levels?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).body.items[0];
  // a1 has readings at 03:00Z and 04:00Z; a microsecond after 03:00Z leaves the first out.
  t.like(await averages('2020-08-01T11:00:00.000000+0800', '2020-08-01T13:00+08'), {
    venueId: 'a1',
    samples: 2,
    from: '2020-08-01T03:00:00.000Z',
  });
  t.like(await averages('2020-08-01T11:00:00.000001+0800', '2020-08-01T13:00+08'), {
    venueId: 'a1',
    samples: 1,
    from: '2020-08-01T03:00:00.001Z',
  });
});

const badQueries: Array<[string, string, string]> = [
  ['/v1/venues?limit=0', 'limit', 'limit below 1'],
  ['/v1/venues?limit=501', 'limit', 'limit above 500'],
  ['/v1/venues?limit=ten', 'limit', 'limit not a number'],
  ['/v1/venues?active=yes', 'active', 'active not a boolean'],
  ['/v1/venues?cursor=garbage', 'cursor', 'a cursor that is junk'],
  ['/v1/venues?form=2020-08-01', 'form', 'an unknown parameter'],
  ['/v1/venues?limit=1&limit=2', 'limit', 'a repeated parameter'],
  ['/v1/crowd-levels?from=2020-08-01', 'to', 'from without to'],
  ['/v1/crowd-levels?to=2020-08-01', 'from', 'to without from'],
  ['/v1/crowd-levels?from=2020-08-02&to=2020-08-01', 'to', 'from after to'],
  ['/v1/crowd-levels?from=2020-08-01&to=2020-08-01', 'to', 'from equal to to'],
  ['/v1/crowd-levels?from=yesterday&to=2020-08-01', 'from', 'from not a time'],
  ['/v1/crowd-levels?from=2020-02-30&to=2020-03-05', 'from', 'a date that does not exist'],
  ['/v1/venues/a1/readings?to=2020-13-01', 'to', 'a month 13'],
  ['/health?verbose=1', 'verbose', 'a parameter on a route that takes none'],
  ['/openapi.json?x=1', 'x', 'a parameter on the OpenAPI document'],
  ['/metrics?x=1', 'x', 'a parameter on the metrics'],
];

for (const [path, parameter, what] of badQueries) {
  test(`${what} is a 400 problem naming ${parameter}`, async (t) => {
    const api = await seeded(t);
    const { status, headers, body } = await api.get(path);
    t.is(status, 400);
    t.is(headers.get('content-type'), 'application/problem+json');
    t.like(body, { type: `${PROBLEM}invalid-parameter`, status: 400, parameter });
    t.true(body.detail.startsWith(`${parameter}: `), body.detail);
  });
}

test('malformed percent-encoding is a 4xx problem, never a 500', async (t) => {
  const api = await seeded(t);
  t.like(await api.get('/v1/venues/%E0%A4%A'), { status: 404, body: { type: `${PROBLEM}not-found` } });
  t.like(await api.get('/v1/venues?q=%E0%A4%A'), { status: 200 });
});

test('an unknown route is a 404 problem and a wrong method a 405 problem with Allow', async (t) => {
  const api = await seeded(t);
  t.like(await api.get('/v2/nothing'), { status: 404, body: { type: `${PROBLEM}not-found` } });
  const wrong = await api.post('/v1/venues');
  t.is(wrong.status, 405);
  t.is(wrong.body.type, `${PROBLEM}method-not-allowed`);
  t.regex(wrong.headers.get('allow') ?? '', /GET/);
});

async function pageThrough(api: Harness, path: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const { status, body } = await api.get(`${path}${separator}limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    if (status !== 200) throw new Error(JSON.stringify(body));
    seen.push(
      ...body.items.map(
        (item: { id?: string; venueId: string; observedAt?: string }) => item.id ?? `${item.venueId}@${item.observedAt ?? ''}`,
      ),
    );
    cursor = body.nextCursor;
    pages++;
  } while (cursor !== null);
  return [`${pages} pages`, ...seen];
}

test('paging through venues, crowd levels and readings returns every item exactly once', async (t) => {
  const api = await seeded(t);
  await api.readings.record([aReading('a1', '2020-08-01T04:10:00Z', 2), aReading('a1', '2020-08-01T04:20:00Z', 2)]);
  t.deepEqual(await pageThrough(api, '/v1/venues'), ['2 pages', 'a1', 'b2', 'c3']);
  t.deepEqual(await pageThrough(api, '/v1/crowd-levels'), [
    '2 pages',
    'a1@2020-08-01T04:20:00.000Z',
    'b2@2020-08-01T04:30:00.000Z',
    'ghost@2020-08-01T04:10:00.000Z',
  ]);
  const readings = await pageThrough(api, '/v1/venues/a1/readings');
  t.deepEqual(readings, [
    '2 pages',
    'a1@2020-08-01T04:20:00.000Z',
    'a1@2020-08-01T04:10:00.000Z',
    'a1@2020-08-01T04:00:00.000Z',
    'a1@2020-08-01T03:00:00.000Z',
  ]);
  t.deepEqual(await pageThrough(api, '/v1/crowd-levels?from=2020-08-01&to=2020-08-02'), ['2 pages', 'a1@', 'b2@', 'ghost@']);
});

test('a tampered cursor or one replayed with other filters is a 400 naming cursor', async (t) => {
  const api = await seeded(t);
  const { body } = await api.get('/v1/venues?limit=1');
  const [payload, signature] = (body.nextCursor as string).split('.');
  const forged = `${Buffer.from(JSON.stringify({ p: 'b2', s: 'venues|{}' })).toString('base64url')}.${signature}`;
  t.like(await api.get(`/v1/venues?limit=1&cursor=${forged}`), { status: 400, body: { parameter: 'cursor' } });
  t.like(await api.get(`/v1/venues?limit=1&type=MALL&cursor=${payload}.${signature}`), { status: 400, body: { parameter: 'cursor' } });
});

test('admin poll without a configured key is a 404, as if the route did not exist', async (t) => {
  const api = await startHarness({ adminApiKey: null });
  t.teardown(() => api.close());
  t.is((await api.post('/v1/admin/poll', { authorization: `Bearer ${ADMIN_KEY}` })).status, 404);
});

test('admin poll with a missing or wrong key is a 401 asking for a bearer token', async (t) => {
  const api = await seeded(t);
  const missing = await api.post('/v1/admin/poll');
  t.is(missing.status, 401);
  t.is(missing.headers.get('www-authenticate'), 'Bearer realm="admin"');
  t.is((await api.post('/v1/admin/poll', { authorization: 'Bearer wrong' })).status, 401);
});

test('admin poll of an upstream that fails is a 502 problem with the reason', async (t) => {
  const api = await seeded(t);
  api.source.failure = 'upstream answered HTTP 503';
  t.like(await api.post('/v1/admin/poll', { authorization: `Bearer ${ADMIN_KEY}` }), {
    status: 502,
    body: { type: `${PROBLEM}upstream-failed`, detail: 'upstream answered HTTP 503' },
  });
});

test('admin poll while a poll runs is a 409', async (t) => {
  const api = await seeded(t);
  api.source.venues = { items: [aVenue({ id: 'a1' })], rejected: [] };
  const fetchVenues = api.source.fetchVenues.bind(api.source);
  // The first poll holds inside its fetch until the second request has been answered.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const polling = new Promise<void>((resolve) => (entered = resolve));
  api.source.fetchVenues = async () => {
    entered();
    await held;
    return fetchVenues();
  };
  const auth = { authorization: `Bearer ${ADMIN_KEY}` };
  const firstReply = api.post('/v1/admin/poll', auth);
  await polling;
  const second = await api.post('/v1/admin/poll', auth);
  release();
  const first = await firstReply;
  t.is(first.status, 200);
  t.like(second, { status: 409, body: { type: `${PROBLEM}poll-in-progress` } });
  t.is(second.headers.get('retry-after'), '15');
});

test('an admin poll repeated three times on the same snapshot stores each reading once', async (t) => {
  const api = await startHarness();
  t.teardown(() => api.close());
  api.source.venues = { items: [aVenue({ id: 'a1' }), aVenue({ id: 'b2', name: 'B' })], rejected: [] };
  api.source.readings = {
    items: [
      aReading('a1', '2020-08-01T04:00:00Z', 1),
      aReading('a1', '2020-08-01T04:30:00Z', 3),
      aReading('b2', '2020-08-01T04:00:00Z', 2),
    ],
    rejected: [],
  };
  const auth = { authorization: `Bearer ${ADMIN_KEY}` };
  const stored = [];
  for (let i = 0; i < 3; i++) stored.push((await api.post('/v1/admin/poll', auth)).body.readings.stored);
  t.deepEqual(stored, [3, 0, 0]);
  const averages = await api.get('/v1/crowd-levels?from=2020-08-01&to=2020-08-02');
  t.deepEqual(
    averages.body.items.map((a: { samples: number; averageBand: number }) => [a.samples, a.averageBand]),
    [
      [2, 2],
      [1, 2],
    ],
  );
});

test('the admin poll summary has the documented shape', async (t) => {
  const api = await seeded(t);
  api.source.venues = { items: [aVenue({ id: 'a1' })], rejected: ['facility "x": no name'] };
  const { status, body } = await api.post('/v1/admin/poll', { authorization: `Bearer ${ADMIN_KEY}` });
  t.is(status, 200);
  t.deepEqual(Object.keys(body).sort(), ['finishedAt', 'readings', 'rejections', 'startedAt', 'venues']);
  // b2 vanished; c3 was inactive already
  t.like(body.venues, { seen: 1, deactivated: 1, rejected: 1 });
});

test('/metrics exposes request counts by route pattern', async (t) => {
  const api = await seeded(t);
  await api.get('/v1/venues/a1');
  const { status, headers, body } = await api.get('/metrics');
  t.is(status, 200);
  t.regex(headers.get('content-type') ?? '', /^text\/plain/);
  t.regex(body, /http_requests_total\{method="GET",route="\/v1\/venues\/:id",status="200"\} 1/);
});

test('/metrics has request latency as a histogram by route pattern: cumulative buckets, +Inf, sum and count', async (t) => {
  const api = await seeded(t);
  for (let i = 0; i < 2; i++) await api.get('/v1/venues/a1');
  const { body } = await api.get('/metrics');
  const series = 'method="GET",route="/v1/venues/:id",status="200"';
  t.regex(body, new RegExp(`^http_request_duration_seconds_bucket\\{le="2.5",${series}\\} 2$`, 'm'));
  t.regex(body, new RegExp(`^http_request_duration_seconds_bucket\\{le="\\+Inf",${series}\\} 2$`, 'm'));
  t.regex(body, new RegExp(`^http_request_duration_seconds_count\\{${series}\\} 2$`, 'm'));
  t.regex(body, new RegExp(`^http_request_duration_seconds_sum\\{${series}\\} [0-9.e-]+$`, 'm'));
  const buckets = [...body.matchAll(new RegExp(`^http_request_duration_seconds_bucket\\{le="[^"]+",${series}\\} (\\d+)$`, 'gm'))].map(
    (match) => Number(match[1]),
  );
  t.deepEqual(
    buckets,
    [...buckets].sort((a, b) => a - b),
    'cumulative',
  );
});

test('/metrics counts replies served from the cache under their route, not as unmatched', async (t) => {
  const api = await seeded(t);
  for (let i = 0; i < 3; i++) await api.get('/v1/crowd-levels');
  const { body } = await api.get('/metrics');
  t.regex(body, /http_requests_total\{method="GET",route="\/v1\/crowd-levels",status="200"\} 3/);
  t.notRegex(body, /route="unmatched"/);
});

test('a request id is echoed, taken from X-Request-Id when given', async (t) => {
  const api = await seeded(t);
  t.is((await api.get('/health', { 'x-request-id': 'abc-123' })).headers.get('x-request-id'), 'abc-123');
  t.regex((await api.get('/health')).headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
});

test("GET /v1/venues/{id}/profile gives each weekday's usual band by Singapore hour over the last weeks", async (t) => {
  const api = await seeded(t);
  // 2020-08-01 is a Saturday; 03:00Z and 04:00Z are 11:00 and 12:00 in Singapore.
  const { status, body } = await api.get('/v1/venues/a1/profile?weeks=2');
  t.is(status, 200);
  t.like(body, { venueId: 'a1', weeks: 2, from: '2020-07-18T16:00:00.000Z', to: '2020-08-01T05:00:00.000Z' });
  t.deepEqual(
    body.days.map((d: { weekdayName: string }) => d.weekdayName),
    ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  );
  const saturday = body.days[5];
  t.deepEqual(saturday.hours.slice(11, 13), [
    { hour: 11, averageBand: 1, samples: 1 },
    { hour: 12, averageBand: 3, samples: 1 },
  ]);
  t.deepEqual([saturday.quietestHour, saturday.busiestHour], [11, 12]);
  t.deepEqual([body.days[0].quietestHour, body.days[0].hours[0]], [null, { hour: 0, averageBand: null, samples: 0 }]);
});

test('a profile defaults to four weeks and refuses a weeks outside 1–12 with a 400 naming it', async (t) => {
  const api = await seeded(t);
  t.is((await api.get('/v1/venues/a1/profile')).body.weeks, 4);
  for (const weeks of ['0', '13', 'two', '1.5', '']) {
    const { status, body } = await api.get(`/v1/venues/a1/profile?weeks=${weeks}`);
    t.is(status, 400, `weeks=${weeks}`);
    t.is(body.parameter, 'weeks');
  }
});

test('the profile of an unknown venue is a 404 problem', async (t) => {
  const api = await seeded(t);
  const { status, body } = await api.get('/v1/venues/nobody/profile');
  t.is(status, 404);
  t.is(body.type, `${PROBLEM}not-found`);
  t.regex((await api.get('/v1/venues/ghost/profile')).body.detail, /never listed it; its readings are kept/);
});
