import test from 'ava';
import { NearbyCrowdLevels } from '../../application/use-cases/nearby-crowd-levels.js';
import { InMemoryReadingRepository } from '../../adapters/memory/in-memory-reading-repository.js';
import { InMemoryVenueRepository } from '../../adapters/memory/in-memory-venue-repository.js';
import { aReading, aVenue } from '../support/builders.js';

const centre = { lat: 1.284, lng: 103.8514 };
/** Metres per degree of latitude on the sphere distanceMetres uses. */
const METRES_PER_DEGREE = 111_195.08;
const north = (metres: number) => ({ lat: centre.lat + metres / METRES_PER_DEGREE, lng: centre.lng });

async function nearby() {
  const venues = new InMemoryVenueRepository();
  const readings = new InMemoryReadingRepository();
  await venues.save([
    aVenue({ id: 'busy-500', name: 'Busy Mall', type: 'MALL', ...north(500) }),
    aVenue({ id: 'quiet-1500', name: 'Quiet Mart', type: 'SUPERMARKET', ...north(1500) }),
    aVenue({ id: 'quiet-800', name: 'Closer Quiet Mart', type: 'SUPERMARKET', ...north(800) }),
    aVenue({ id: 'quiet-10k', name: 'Far Mart', type: 'SUPERMARKET', ...north(10_000) }),
    aVenue({ id: 'gone-300', name: 'Gone Mart', type: 'SUPERMARKET', active: false, ...north(300) }),
    aVenue({ id: 'silent-200', name: 'Silent Mart', type: 'SUPERMARKET', ...north(200) }),
  ]);
  await readings.record([
    aReading('busy-500', '2020-08-01T04:00:00Z', 2),
    aReading('quiet-1500', '2020-08-01T04:00:00Z', 3),
    aReading('quiet-1500', '2020-08-01T04:30:00Z', 0),
    aReading('quiet-800', '2020-08-01T04:10:00Z', 0),
    aReading('quiet-10k', '2020-08-01T04:10:00Z', 0),
    aReading('gone-300', '2020-08-01T04:10:00Z', 0),
    aReading('ghost', '2020-08-01T04:10:00Z', 0),
  ]);
  return new NearbyCrowdLevels(venues, readings);
}

test('nearby lists the latest reading of active venues within the radius, quietest band first, then nearest', async (t) => {
  const page = await (await nearby()).execute({ centre, radiusMetres: 2000 }, { limit: 10 });
  t.deepEqual(
    page.items.map((item) => `${item.venueId} band ${item.band} at ${item.distanceMetres} m`),
    ['quiet-800 band 0 at 800 m', 'quiet-1500 band 0 at 1500 m', 'busy-500 band 2 at 500 m'],
  );
  t.like(page.items[0], { venueName: 'Closer Quiet Mart', venueType: 'SUPERMARKET', bandLabel: 'not crowded', location: north(800) });
});

test('nearby takes only venues of the given type', async (t) => {
  const page = await (await nearby()).execute({ centre, radiusMetres: 2000, type: 'MALL' }, { limit: 10 });
  t.deepEqual(
    page.items.map((item) => item.venueId),
    ['busy-500'],
  );
});

test('a radius includes a venue at exactly that distance and nothing beyond it', async (t) => {
  const use = await nearby();
  t.deepEqual(
    (await use.execute({ centre, radiusMetres: 800 }, { limit: 10 })).items.map((item) => item.venueId),
    ['quiet-800', 'busy-500'],
  );
  t.deepEqual(
    (await use.execute({ centre, radiusMetres: 799 }, { limit: 10 })).items.map((item) => item.venueId),
    ['busy-500'],
  );
});

test('nearby pages resume after the last item, in the same order', async (t) => {
  const use = await nearby();
  const first = await use.execute({ centre, radiusMetres: 50_000 }, { limit: 2 });
  const second = await use.execute({ centre, radiusMetres: 50_000 }, { limit: 2, after: first.next! });
  t.deepEqual(
    [...first.items, ...second.items].map((item) => item.venueId),
    ['quiet-800', 'quiet-1500', 'quiet-10k', 'busy-500'],
  );
  t.is(second.next, null);
});
