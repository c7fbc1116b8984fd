import test from 'ava';
import { GetVenue } from '../../application/use-cases/get-venue.js';
import { LatestCrowdLevels } from '../../application/use-cases/latest-crowd-levels.js';
import { VenueReadings } from '../../application/use-cases/venue-readings.js';
import { NotFoundError } from '../../domain/errors.js';
import { InMemoryReadingRepository } from '../../adapters/memory/in-memory-reading-repository.js';
import { InMemoryVenueRepository } from '../../adapters/memory/in-memory-venue-repository.js';
import { aReading, aVenue } from '../support/builders.js';

async function seeded() {
  const venues = new InMemoryVenueRepository();
  const readings = new InMemoryReadingRepository();
  await venues.save([aVenue({ id: 'a', name: 'Alpha Mall' })]);
  await readings.record([
    aReading('a', '2020-08-01T04:00:00Z', 1),
    aReading('a', '2020-08-01T05:00:00Z', 2),
    aReading('ghost', '2020-08-01T05:00:00Z', 0),
  ]);
  return { venues, readings };
}

test('a venue comes with its latest reading and its label', async (t) => {
  const { venues, readings } = await seeded();
  const { latest } = await new GetVenue(venues, readings).execute('a');
  t.like(latest, { band: 2, bandLabel: 'crowded', venueName: 'Alpha Mall' });
});

test('an unknown venue is not found', async (t) => {
  const { venues, readings } = await seeded();
  await t.throwsAsync(() => new GetVenue(venues, readings).execute('nope'), { instanceOf: NotFoundError });
});

test('the latest crowd level of an id missing from the facility list has a null name and type', async (t) => {
  const { venues, readings } = await seeded();
  const page = await new LatestCrowdLevels(venues, readings).execute({ limit: 10 });
  t.like(
    page.items.find((r) => r.venueId === 'ghost'),
    { venueName: null, venueType: null, band: 0 },
  );
});

test('history of an id missing from the facility list is still served', async (t) => {
  const { venues, readings } = await seeded();
  const page = await new VenueReadings(venues, readings).execute('ghost', {}, { limit: 10 });
  t.is(page.items.length, 1);
});

test('history is newest first and respects [from, to)', async (t) => {
  const { venues, readings } = await seeded();
  const page = await new VenueReadings(venues, readings).execute('a', { to: new Date('2020-08-01T05:00:00Z') }, { limit: 10 });
  t.deepEqual(
    page.items.map((r) => r.band),
    [1],
  );
});

test('history of an id nobody knows is not found', async (t) => {
  const { venues, readings } = await seeded();
  await t.throwsAsync(() => new VenueReadings(venues, readings).execute('nope', {}, { limit: 10 }), { instanceOf: NotFoundError });
});
