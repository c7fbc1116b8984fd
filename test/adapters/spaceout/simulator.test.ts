import test, { type ExecutionContext } from 'ava';
import { decryptFacilityList } from '../../../adapters/spaceout/facility-list-cipher.js';
import { parseSingaporeTime } from '../../../adapters/spaceout/singapore-time.js';
import { SPACEOUT_SITE_KEY } from '../../../adapters/spaceout/facility-list-key.js';
import { ORPHAN_IDS, QUIRKS, startSimulator, type SimulatorOptions } from '../../../adapters/spaceout/simulator/simulator.js';

interface Entry {
  id: unknown;
  band: unknown;
  createdAt: unknown;
  trend: unknown;
}
interface Feature {
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

const FACILITIES = '{ facilities { id, band, createdAt, trend } }';
const WEDNESDAY_NOON_SGT = new Date('2020-08-05T04:00:00Z');

async function simulate(t: ExecutionContext, options: SimulatorOptions = {}) {
  const simulator = await startSimulator({ now: () => WEDNESDAY_NOON_SGT, ...options });
  t.teardown(() => simulator.close());
  const post = async (query: string) => {
    const response = await fetch(simulator.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
  };
  const facilities = async () => (await post(FACILITIES)).body.data!['facilities'] as Entry[];
  const features = async (query = '{ geojsonPoint }') => {
    const field = query.includes('Poly') ? 'geojsonPoly' : 'geojsonPoint';
    return decryptFacilityList((await post(query)).body.data![field], SPACEOUT_SITE_KEY).features as Feature[];
  };
  return { simulator, post, facilities, features };
}

async function facilitiesAt(t: ExecutionContext, iso: string, options: SimulatorOptions = {}): Promise<Entry[]> {
  return (await simulate(t, { now: () => new Date(iso), ...options })).facilities();
}

const meanBand = (entries: readonly Entry[]) => {
  const bands = entries.map((e) => e.band).filter((b): b is number => typeof b === 'number' && b <= 3);
  return bands.reduce((sum, b) => sum + b, 0) / bands.length;
};

test('the same seed and clock give byte-identical replies to every query', async (t) => {
  const first = await simulate(t);
  const second = await simulate(t);
  for (const query of [FACILITIES, '{ geojsonPoint }', '{ geojsonPoly }']) {
    t.deepEqual((await first.post(query)).body, (await second.post(query)).body, query);
  }
});

test('another seed gives another city', async (t) => {
  const a = await simulate(t);
  const b = await simulate(t, { seed: 7 });
  t.notDeepEqual(
    a.simulator.venues.map((v) => v.id),
    b.simulator.venues.map((v) => v.id),
  );
});

test('there are 320 venues by default, at least 300, over at least five types', async (t) => {
  const { simulator } = await simulate(t);
  t.is(simulator.venues.length, 320);
  t.true(new Set(simulator.venues.map((v) => v.type)).size >= 5);
  t.true(['MALL', 'SUPERMARKET'].every((type) => simulator.venues.some((v) => v.type === type)));
});

test('venueCount sets how many venues there are', async (t) => {
  const { simulator, features } = await simulate(t, { venueCount: 50, quirks: false });
  t.is(simulator.venues.length, 50);
  t.is((await features()).length, 50);
});

test('every venue lies inside Singapore', async (t) => {
  const { features } = await simulate(t, { quirks: false });
  const coordinates = (await features()).map((f) => f.geometry.coordinates as [number, number]);
  t.true(coordinates.every(([lng, lat]) => lat >= 1.25 && lat <= 1.46 && lng >= 103.62 && lng <= 104.0));
});

test('ids mix 32 hex characters, short numbers and UUIDs, and are unique', async (t) => {
  const { simulator } = await simulate(t);
  const ids = simulator.venues.map((v) => v.id);
  t.true(ids.some((id) => /^[0-9a-f]{32}$/.test(id)));
  t.true(ids.some((id) => /^\d{3}$/.test(id)));
  t.true(ids.some((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)));
  t.is(new Set(ids).size, ids.length);
});

test('supermarkets carry real brands and names use real towns', async (t) => {
  const { simulator } = await simulate(t);
  const names = simulator.venues.map((v) => v.name).join('\n');
  for (const word of ['FairPrice', 'Sheng Siong', 'Giant', 'Cold Storage', 'Tampines', 'Jurong East', 'Ang Mo Kio', 'Woodlands'])
    t.true(names.includes(word), word);
});

test('features carry every upper-case property of the site, many of them null', async (t) => {
  const { features } = await simulate(t);
  const properties = (await features())[0]!.properties;
  const keys = [
    'ID',
    'NAME',
    'TYPE',
    'BLK_HOUSE',
    'ROAD_NAME',
    'OTHER_NAME',
    'ADDRESS',
    'POSTALCODE',
    'SAT',
    'SUN',
    'WEEKDAY',
    'EXTRA',
    'CBCLOSED',
    'GGW_FLAG',
    'OPR_HRS_MONDAY',
    'OPR_HRS_SATURDAY',
    'OPR_HRS_SUNDAY_PH',
  ];
  t.true(
    keys.every((k) => k in properties),
    Object.keys(properties).join(),
  );
  t.true(Object.values(properties).filter((v) => v === null).length >= 5);
});

test('postal codes are six digits, except a few null and a few junk', async (t) => {
  const { simulator } = await simulate(t);
  const codes = simulator.venues.map((v) => v.postalCode);
  const odd = codes.filter((c) => c === null || !/^\d{6}$/.test(c));
  t.true(codes.includes(null) && codes.includes('NA'));
  t.true(odd.length > 0 && odd.length < 30, `${odd.length} odd`);
});

test('the polygon list outlines the same venues as the point list', async (t) => {
  const { features } = await simulate(t);
  const [points, polygons] = [await features('{ geojsonPoint }'), await features('{ geojsonPoly }')];
  t.deepEqual(
    polygons.map((f) => f.properties['ID']),
    points.map((f) => f.properties['ID']),
  );
  t.true(polygons.every((f) => f.geometry.type === 'Polygon'));
});

test('createdAt is in the site text form, at whole minutes, never after now', async (t) => {
  const { facilities } = await simulate(t, { quirks: false });
  const entries = await facilities();
  t.true(entries.every((e) => typeof e.createdAt === 'string' && /^\d{2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} [AP]M$/.test(e.createdAt)));
  const instants = entries.map((e) => parseSingaporeTime(e.createdAt)).map((r) => (r.ok ? r.value.getTime() : NaN));
  t.true(
    instants.every((ms) => ms <= WEDNESDAY_NOON_SGT.getTime() && ms > WEDNESDAY_NOON_SGT.getTime() - 15 * 60_000 && ms % 60_000 === 0),
  );
});

test('createdAt is written in Singapore time: noon there shows as a PM time that day', async (t) => {
  const entries = await facilitiesAt(t, '2020-08-05T04:30:00Z', { quirks: false });
  t.true(entries.every((e) => String(e.createdAt).startsWith('05 August 2020, 12:')));
});

test('polling again two minutes later returns mostly the same snapshot', async (t) => {
  const first = await facilitiesAt(t, '2020-08-05T04:00:00Z', { quirks: false });
  const second = await facilitiesAt(t, '2020-08-05T04:02:00Z', { quirks: false });
  const unchanged = second.filter((e, i) => first[i]?.createdAt === e.createdAt && first[i]?.band === e.band).length;
  t.true(unchanged / second.length > 0.6, `${unchanged} of ${second.length} unchanged`);
  t.true(unchanged < second.length, 'some venues report within two minutes');
});

test('an hour later every venue has reported again', async (t) => {
  const first = await facilitiesAt(t, '2020-08-05T04:00:00Z', { quirks: false });
  const later = await facilitiesAt(t, '2020-08-05T05:00:00Z', { quirks: false });
  t.true(later.every((e, i) => e.createdAt !== first[i]?.createdAt));
});

test('7 PM is busier than 4 AM on average', async (t) => {
  const night = await facilitiesAt(t, '2020-08-04T20:00:00Z', { quirks: false });
  const evening = await facilitiesAt(t, '2020-08-05T11:00:00Z', { quirks: false });
  t.true(meanBand(evening) > meanBand(night) + 1, `${meanBand(evening)} vs ${meanBand(night)}`);
});

test('lunch is busier than mid-afternoon on average', async (t) => {
  const lunch = await facilitiesAt(t, '2020-08-05T04:30:00Z', { quirks: false });
  const afternoon = await facilitiesAt(t, '2020-08-05T07:30:00Z', { quirks: false });
  t.true(meanBand(lunch) > meanBand(afternoon), `${meanBand(lunch)} vs ${meanBand(afternoon)}`);
});

test('a Saturday evening is busier than a Wednesday evening', async (t) => {
  const weekday = await facilitiesAt(t, '2020-08-05T11:00:00Z', { quirks: false });
  const saturday = await facilitiesAt(t, '2020-08-08T11:00:00Z', { quirks: false });
  t.true(meanBand(saturday) > meanBand(weekday), `${meanBand(saturday)} vs ${meanBand(weekday)}`);
});

test('wet markets are busy in the morning and quiet in the evening', async (t) => {
  const { simulator } = await simulate(t);
  const markets = new Set(simulator.venues.filter((v) => v.type === 'MARKET').map((v) => v.id));
  const of = (entries: Entry[]) => entries.filter((e) => markets.has(e.id as string));
  const morning = of(await facilitiesAt(t, '2020-08-05T00:00:00Z', { quirks: false }));
  const evening = of(await facilitiesAt(t, '2020-08-05T11:00:00Z', { quirks: false }));
  t.true(meanBand(morning) > meanBand(evening) + 1, `${meanBand(morning)} vs ${meanBand(evening)}`);
});

test('quirks repeat a few (id, createdAt) pairs within one reply', async (t) => {
  const { facilities } = await simulate(t);
  const keys = (await facilities()).map((e) => `${String(e.id)}@${String(e.createdAt)}`);
  t.is(keys.length - new Set(keys).size, QUIRKS.duplicatedEntries);
});

test('quirks add orphan entries and leave a few venues without an entry', async (t) => {
  const { simulator, facilities } = await simulate(t);
  const ids = new Set((await facilities()).map((e) => e.id));
  t.true(ORPHAN_IDS.every((id) => ids.has(id) && !simulator.venues.some((v) => v.id === id)));
  t.is(simulator.silentVenueIds.length, 4);
  t.true(simulator.silentVenueIds.every((id) => !ids.has(id)));
});

test('quirks add exactly the counted malformed entries and non-boolean trends', async (t) => {
  const { facilities } = await simulate(t);
  const entries = await facilities();
  const malformed = entries.filter((e) => e.id === '' || typeof e.band !== 'number' || e.band > 3 || !parseSingaporeTime(e.createdAt).ok);
  t.is(malformed.length, QUIRKS.malformedEntries);
  t.is(entries.filter((e) => typeof e.trend !== 'boolean').length, QUIRKS.nonBooleanTrends);
});

test('quirks put one feature ID in the list twice', async (t) => {
  const { features } = await simulate(t);
  const ids = (await features()).map((f) => f.properties['ID']);
  t.is(ids.length - new Set(ids).size, QUIRKS.duplicatedFeatures);
});

test('with quirks off every venue reports exactly once and nothing else is sent', async (t) => {
  const { simulator, facilities, features } = await simulate(t, { quirks: false });
  const entries = await facilities();
  t.deepEqual(
    entries.map((e) => e.id),
    simulator.venues.map((v) => v.id),
  );
  t.true(entries.every((e) => e.trend === false));
  t.is((await features()).length, simulator.venues.length);
});

test('whitespace in the query text does not matter', async (t) => {
  const { post } = await simulate(t);
  const reply = await post('{facilities{id,band,createdAt,trend}}');
  const spaced = await post('{\n  facilities {\n    id,  band, createdAt, trend\n  }\n}');
  t.deepEqual(spaced.body, reply.body);
});

test('an unknown query gets a GraphQL errors reply', async (t) => {
  const { post } = await simulate(t);
  const reply = await post('{ secrets }');
  t.is(reply.status, 200);
  t.regex(JSON.stringify(reply.body.errors), /unknown query: {secrets}/);
});

test('other paths get 404 and other methods 405', async (t) => {
  const { simulator } = await simulate(t);
  t.is((await fetch(simulator.url.replace('/graphql', '/other'), { method: 'POST', body: '{}' })).status, 404);
  const get = await fetch(simulator.url);
  t.is(get.status, 405);
  t.is(get.headers.get('allow'), 'POST');
});

test('a fault for the next N requests heals after N, and the counter sees every request', async (t) => {
  const { simulator, post } = await simulate(t);
  simulator.setFault({ kind: 'http-500', times: 2 });
  const statuses = [];
  for (let i = 0; i < 3; i++)
    statuses.push((await fetch(simulator.url, { method: 'POST', body: JSON.stringify({ query: FACILITIES }) })).status);
  t.deepEqual(statuses, [500, 500, 200]);
  await post(FACILITIES);
  t.is(simulator.requestCount, 4);
});

test('a fault without a count lasts until it is set to none', async (t) => {
  const { simulator } = await simulate(t);
  simulator.setFault('html');
  const first = await fetch(simulator.url, { method: 'POST', body: JSON.stringify({ query: FACILITIES }) });
  const second = await fetch(simulator.url, { method: 'POST', body: JSON.stringify({ query: FACILITIES }) });
  simulator.setFault('none');
  const healed = await fetch(simulator.url, { method: 'POST', body: JSON.stringify({ query: FACILITIES }) });
  t.deepEqual(
    [first.headers.get('content-type'), second.headers.get('content-type'), healed.headers.get('content-type')],
    ['text/html; charset=utf-8', 'text/html; charset=utf-8', 'application/json'],
  );
});

test('the wrong-key fault encrypts the facility list with another key', async (t) => {
  const { simulator, post } = await simulate(t);
  simulator.setFault('wrong-key');
  const payload = (await post('{ geojsonPoint }')).body.data!['geojsonPoint'];
  t.regex(String(payload), /^[0-9a-f]{32}:[0-9a-f]+$/);
  t.throws(() => decryptFacilityList(payload, SPACEOUT_SITE_KEY));
});

test('a configured key encrypts the facility list', async (t) => {
  const key = 'abcdefghijklmnopqrstuvwxyz012345';
  const { simulator, post } = await simulate(t, { key });
  const payload = (await post('{ geojsonPoint }')).body.data!['geojsonPoint'];
  t.is(decryptFacilityList(payload, key).features.length, simulator.venues.length + QUIRKS.duplicatedFeatures + QUIRKS.malformedFeatures);
});

test('the simulator closes even while a slow reply is pending', async (t) => {
  const simulator = await startSimulator();
  simulator.setFault({ kind: 'slow', delayMs: 60_000 });
  const pending = fetch(simulator.url, { method: 'POST', body: JSON.stringify({ query: FACILITIES }) }).catch((error: unknown) => error);
  while (simulator.requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await simulator.close();
  // Had close waited for the slow reply, the request would have got it rather than lost its connection.
  t.true((await pending) instanceof Error);
});
