import test from 'ava';
import { bandAt } from '../../scripts/simulator/crowd-model.js';
import { startSimulator } from '../../scripts/simulator/simulator.js';
import { generateVenues } from '../../scripts/simulator/venues.js';

async function facilities(now: Date): Promise<unknown> {
  const simulator = await startSimulator({ now: () => now });
  try {
    const response = await fetch(simulator.url, { method: 'POST', body: JSON.stringify({ query: '{ facilities { id, band, createdAt, trend } }' }) });
    return await response.json();
  } finally {
    await simulator.close();
  }
}

test('the same seed and clock give the same reply', async (t) => {
  const now = new Date('2020-08-01T10:00:00Z');
  t.deepEqual(await facilities(now), await facilities(now));
});

test('polling again a minute later returns mostly the same snapshot', async (t) => {
  type Reply = { data: { facilities: Array<{ id: string; createdAt: string }> } };
  const first = (await facilities(new Date('2020-08-01T10:00:00Z'))) as Reply;
  const second = (await facilities(new Date('2020-08-01T10:01:00Z'))) as Reply;
  const unchanged = second.data.facilities.filter((e, i) => first.data.facilities[i]?.createdAt === e.createdAt).length;
  t.true(unchanged / second.data.facilities.length > 0.8, `${unchanged} unchanged`);
});

test('at least 300 venues over several types, all inside Singapore', (t) => {
  const venues = generateVenues(20200801, 320);
  t.true(venues.length >= 300);
  t.true(new Set(venues.map((v) => v.type)).size >= 4);
  t.true(venues.every((v) => v.lat > 1.15 && v.lat < 1.48 && v.lng > 103.6 && v.lng < 104.1));
  t.is(new Set(venues.map((v) => v.id)).size, venues.length);
});

test('evenings are busier than 4 AM on average', (t) => {
  const venues = generateVenues(20200801, 320);
  const mean = (iso: string) => venues.reduce((sum, v) => sum + bandAt(v, new Date(iso)), 0) / venues.length;
  // 19:00 and 04:00 Singapore time on a Wednesday
  t.true(mean('2020-08-05T11:00:00Z') > mean('2020-08-04T20:00:00Z') + 1);
});

test('unknown queries get a GraphQL error and other paths a 404', async (t) => {
  const simulator = await startSimulator();
  t.teardown(() => simulator.close());
  const unknown = await fetch(simulator.url, { method: 'POST', body: JSON.stringify({ query: '{ secrets }' }) });
  t.regex(JSON.stringify(await unknown.json()), /"errors":\[{"message":"Syntax Error or unknown query/);
  t.is((await fetch(simulator.url.replace('/graphql', '/other'))).status, 404);
});
