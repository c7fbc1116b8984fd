import test from 'ava';
import { aReading, aVenue } from '../../support/builders.js';
import { startHarness, type Harness } from '../../support/http-harness.js';

const centre = { lat: 1.284, lng: 103.8514 };
const METRES_PER_DEGREE = 111_195.08;
const north = (metres: number) => ({ lat: centre.lat + metres / METRES_PER_DEGREE, lng: centre.lng });
const NEAR = `near=${centre.lat},${centre.lng}`;

async function seeded(t: { teardown(fn: () => Promise<void>): void }): Promise<Harness> {
  const api = await startHarness();
  t.teardown(() => api.close());
  await api.venues.save([
    aVenue({ id: 'mall-500', name: 'Busy Mall', type: 'MALL', ...north(500) }),
    aVenue({ id: 'mart-1500', name: 'Quiet Mart', type: 'SUPERMARKET', ...north(1500) }),
    aVenue({ id: 'mart-800', name: 'Closer Mart', type: 'SUPERMARKET', ...north(800) }),
    aVenue({ id: 'mart-2500', name: 'Further Mart', type: 'SUPERMARKET', ...north(2500) }),
  ]);
  await api.readings.record([
    aReading('mall-500', '2020-08-01T04:00:00Z', 1),
    aReading('mart-1500', '2020-08-01T04:30:00Z', 0),
    aReading('mart-800', '2020-08-01T04:10:00Z', 0),
    aReading('mart-2500', '2020-08-01T04:10:00Z', 0),
  ]);
  return api;
}

const PROBLEM = 'https://spaceout-crowd.dev/problems/';
const summary = (body: { items: Array<{ venueId: string; distanceMetres: number }> }) =>
  body.items.map((item) => `${item.venueId} ${item.distanceMetres} m`);

test('near lists latest readings within 2 km by default, quietest band first, then nearest', async (t) => {
  const api = await seeded(t);
  const { status, body } = await api.get(`/v1/crowd-levels?${NEAR}`);
  t.is(status, 200);
  t.deepEqual(summary(body), ['mart-800 800 m', 'mart-1500 1500 m', 'mall-500 500 m']);
  t.deepEqual(body.items[0], {
    venueId: 'mart-800',
    venueName: 'Closer Mart',
    venueType: 'SUPERMARKET',
    band: 0,
    bandLabel: 'not crowded',
    trend: false,
    observedAt: '2020-08-01T04:10:00.000Z',
    location: north(800),
    distanceMetres: 800,
  });
  t.is(body.nextCursor, null);
});

test('radius widens or narrows the circle, and type (any case) narrows the list', async (t) => {
  const api = await seeded(t);
  t.deepEqual(summary((await api.get(`/v1/crowd-levels?${NEAR}&radius=3000`)).body), [
    'mart-800 800 m',
    'mart-1500 1500 m',
    'mart-2500 2500 m',
    'mall-500 500 m',
  ]);
  t.deepEqual(summary((await api.get(`/v1/crowd-levels?${NEAR}&radius=600`)).body), ['mall-500 500 m']);
  t.deepEqual(summary((await api.get(`/v1/crowd-levels?${NEAR}&type=mall`)).body), ['mall-500 500 m']);
});

test('near pages with a cursor that only the same near, radius and type accept', async (t) => {
  const api = await seeded(t);
  const first = await api.get(`/v1/crowd-levels?${NEAR}&limit=2`);
  t.deepEqual(summary(first.body), ['mart-800 800 m', 'mart-1500 1500 m']);
  const cursor = encodeURIComponent(first.body.nextCursor);
  t.deepEqual(summary((await api.get(`/v1/crowd-levels?${NEAR}&limit=2&cursor=${cursor}`)).body), ['mall-500 500 m']);
  t.like(await api.get(`/v1/crowd-levels?${NEAR}&radius=3000&limit=2&cursor=${cursor}`), { status: 400, body: { parameter: 'cursor' } });
  t.like(await api.get(`/v1/crowd-levels?limit=2&cursor=${cursor}`), { status: 400, body: { parameter: 'cursor' } });
});

const badQueries: Array<[string, string, string]> = [
  ['near=somewhere', 'near', 'near that is not LAT,LNG'],
  ['near=1.3', 'near', 'near with one number'],
  ['near=91,103.8', 'near', 'a latitude beyond 90'],
  ['near=1.3,181', 'near', 'a longitude beyond 180'],
  [`${NEAR}&radius=0`, 'radius', 'a radius of 0'],
  [`${NEAR}&radius=50001`, 'radius', 'a radius over 50,000 m'],
  [`${NEAR}&radius=1.5`, 'radius', 'a radius that is not whole metres'],
  ['radius=2000', 'radius', 'radius without near'],
  ['type=MALL', 'type', 'type without near'],
  [`${NEAR}&type=`, 'type', 'an empty type'],
  [`${NEAR}&from=2020-08-01&to=2020-08-02`, 'from', 'near with from and to'],
];

for (const [query, parameter, what] of badQueries) {
  test(`${what} is a 400 problem naming ${parameter}`, async (t) => {
    const api = await seeded(t);
    const { status, body } = await api.get(`/v1/crowd-levels?${query}`);
    t.is(status, 400);
    t.like(body, { type: `${PROBLEM}invalid-parameter`, parameter });
    t.true(body.detail.startsWith(`${parameter}: `), body.detail);
  });
}

test('the OpenAPI document describes near, radius and type and the nearby reading', async (t) => {
  const api = await seeded(t);
  const { body } = await api.get('/openapi.json');
  const parameters = body.paths['/v1/crowd-levels'].get.parameters as Array<{ name: string; schema: Record<string, unknown> }>;
  t.like(
    parameters.find((p) => p.name === 'radius'),
    { schema: { minimum: 1, maximum: 50_000, default: 2_000 } },
  );
  t.truthy(parameters.find((p) => p.name === 'near'));
  t.truthy(parameters.find((p) => p.name === 'type'));
  t.deepEqual(body.components.schemas.NearbyReading.allOf[1].required, ['location', 'distanceMetres']);
});
