import test, { type ExecutionContext } from 'ava';
import type { ReadingRepository } from '../../application/ports/reading-repository.js';
import type { VenueRepository } from '../../application/ports/venue-repository.js';
import { aReading, aVenue } from '../support/builders.js';

/** A fresh, empty store; `twin` is a second repository instance over the same data (for races). */
export interface RepositoryFixture {
  readonly venues: VenueRepository;
  readonly readings: ReadingRepository;
  readonly twin: ReadingRepository;
}

const range = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });

/** The behaviour every implementation of the repository ports must have. */
export function repositoryContract(name: string, fixture: () => Promise<RepositoryFixture>): void {
  const it = (title: string, body: (f: RepositoryFixture, t: ExecutionContext) => Promise<void>) =>
    test(`${name}: ${title}`, async (t) => body(await fixture(), t));

  it('recording the same snapshot three times stores it once', async ({ readings }, t) => {
    const snapshot = [aReading('a', '2020-08-01T04:00:00Z', 1), aReading('b', '2020-08-01T04:05:00Z', 2)];
    const stored = [];
    for (let i = 0; i < 3; i++) stored.push((await readings.record(snapshot)).stored.length);
    t.deepEqual(stored, [2, 0, 0]);
    t.is((await readings.history('a', {}, { limit: 10 })).items.length, 1);
  });

  it('the same reading twice in one call is stored once and counted as one duplicate', async ({ readings }, t) => {
    const outcome = await readings.record([aReading('a', '2020-08-01T04:00:00Z', 1), aReading('a', '2020-08-01T04:00:00Z', 1)]);
    t.deepEqual([outcome.stored.length, outcome.duplicate], [1, 1]);
  });

  it('two writers racing on the same readings store and count each reading once', async ({ readings, twin }, t) => {
    const snapshot = Array.from({ length: 20 }, (_, i) => aReading(`v${i % 4}`, new Date(Date.UTC(2020, 7, 1, 4, i)).toISOString(), i % 4));
    const [first, second] = await Promise.all([readings.record(snapshot), twin.record(snapshot)]);
    t.is(first.stored.length + second.stored.length, 20);
    const totals = await readings.totals(range('2020-08-01T00:00:00Z', '2020-08-02T00:00:00Z'), { limit: 10 });
    t.deepEqual(
      totals.items.map((x) => x.count),
      [5, 5, 5, 5],
    );
  });

  it('the latest reading never goes backwards when an older one arrives late', async ({ readings }, t) => {
    await readings.record([aReading('a', '2020-08-01T05:00:00Z', 3)]);
    await readings.record([aReading('a', '2020-08-01T04:00:00Z', 0)]);
    t.is((await readings.latestOf('a'))?.band, 3);
  });

  it('latest of an unknown venue is null', async ({ readings }, t) => {
    t.is(await readings.latestOf('nobody'), null);
  });

  it('history is newest first, bounded by [from, to), and pages without gaps or repeats', async ({ readings }, t) => {
    await readings.record(Array.from({ length: 7 }, (_, i) => aReading('a', `2020-08-01T0${i}:00:00Z`, i % 4)));
    const bounded = await readings.history('a', range('2020-08-01T01:00:00Z', '2020-08-01T05:00:00Z'), { limit: 10 });
    t.deepEqual(
      bounded.items.map((r) => r.observedAt.getUTCHours()),
      [4, 3, 2, 1],
    );
    const seen: number[] = [];
    let after: string | undefined;
    do {
      const page = await readings.history('a', {}, { limit: 3, after });
      seen.push(...page.items.map((r) => r.observedAt.getUTCHours()));
      after = page.next ?? undefined;
    } while (after !== undefined);
    t.deepEqual(seen, [6, 5, 4, 3, 2, 1, 0]);
  });

  it('history keeps trend and band exactly', async ({ readings }, t) => {
    await readings.record([aReading('a', '2020-08-01T04:00:00Z', 2, 'rising')]);
    t.like((await readings.history('a', {}, { limit: 1 })).items[0], { band: 2, trend: null });
  });

  it('latest pages across venues in id order with no trailing empty page', async ({ readings }, t) => {
    await readings.record(['d', 'a', 'c', 'b'].map((id) => aReading(id, '2020-08-01T04:00:00Z', 1)));
    const first = await readings.latest({ limit: 2 });
    const second = await readings.latest({ limit: 2, after: first.next! });
    t.deepEqual(
      [...first.items, ...second.items].map((r) => r.venueId),
      ['a', 'b', 'c', 'd'],
    );
    t.is(second.next, null);
  });

  it('totals over a ragged range equal the sum and count of the raw readings in it', async ({ readings }, t) => {
    const instants = [
      '2020-07-31T15:59:00Z',
      '2020-07-31T16:00:00Z',
      '2020-08-01T03:59:59.999Z',
      '2020-08-01T04:00:00Z',
      '2020-08-01T16:30:00Z',
      '2020-08-02T10:10:00Z',
      '2020-08-02T10:20:00Z',
    ];
    await readings.record(instants.map((at, i) => aReading('a', at, i % 4)));
    const totals = await readings.totals(range('2020-07-31T16:00:00Z', '2020-08-02T10:15:00Z'), { limit: 10 });
    // in range: 16:00 (1), 03:59:59.999 (2), 04:00 (3), 16:30 (0), 10:10 (1)
    t.deepEqual(totals.items, [{ venueId: 'a', sum: 7, count: 5 }]);
  });

  it('totals count a reading at the start of a range and leave out one at its end', async ({ readings }, t) => {
    await readings.record([
      aReading('a', '2020-08-01T04:10:00Z', 1),
      aReading('a', '2020-08-01T04:15:00Z', 2),
      aReading('a', '2020-08-01T04:20:00Z', 3),
      aReading('a', '2020-08-01T05:00:00Z', 3),
      aReading('a', '2020-08-01T16:00:00Z', 3),
    ]);
    // Ranges are [from, to): ending inside an hour, on an hour and on a Singapore midnight.
    const ends = ['2020-08-01T04:20:00Z', '2020-08-01T05:00:00Z', '2020-08-01T16:00:00Z'];
    const totals = await Promise.all(
      ends.map(async (to) => (await readings.totals(range('2020-08-01T04:10:00Z', to), { limit: 10 })).items),
    );
    t.deepEqual(totals, [[{ venueId: 'a', sum: 3, count: 2 }], [{ venueId: 'a', sum: 6, count: 3 }], [{ venueId: 'a', sum: 9, count: 4 }]]);
  });

  it('totals leave out venues with no reading in the range and page by venue id', async ({ readings }, t) => {
    await readings.record([
      aReading('a', '2020-08-01T04:00:00Z', 1),
      aReading('b', '2020-08-01T04:00:00Z', 2),
      aReading('c', '2020-08-03T04:00:00Z', 3),
    ]);
    const first = await readings.totals(range('2020-08-01T00:00:00Z', '2020-08-02T00:00:00Z'), { limit: 1 });
    const second = await readings.totals(range('2020-08-01T00:00:00Z', '2020-08-02T00:00:00Z'), { limit: 1, after: first.next! });
    t.deepEqual(
      [...first.items, ...second.items].map((x) => x.venueId),
      ['a', 'b'],
    );
    t.is(second.next, null);
  });

  it('which readings are stored is answered for many at once, by venue and instant', async ({ readings }, t) => {
    await readings.record([aReading('a', '2020-08-01T04:00:00Z', 1), aReading('b', '2020-08-01T05:30:00Z', 2)]);
    const asked = [
      aReading('a', '2020-08-01T04:00:00Z', 3),
      aReading('a', '2020-08-01T04:00:00.001Z', 1),
      aReading('b', '2020-08-01T05:30:00Z', 2),
      aReading('c', '2020-08-01T04:00:00Z', 1),
    ];
    t.deepEqual([...(await readings.whichStored(asked))].sort(), ['a@2020-08-01T04:00:00.000Z', 'b@2020-08-01T05:30:00.000Z']);
  });

  it("hourly totals follow Singapore's calendar and count each distinct reading once", async ({ readings }, t) => {
    await readings.record([
      aReading('a', '2020-07-31T15:59:59.999Z', 3), // 23:59 on 31 July in Singapore
      aReading('a', '2020-07-31T16:00:00Z', 1), // midnight, 1 August
      aReading('a', '2020-07-31T16:40:00Z', 2),
      aReading('a', '2020-08-01T09:15:00Z', 0), // 17:15
      aReading('b', '2020-08-01T09:15:00Z', 3),
    ]);
    await readings.record([aReading('a', '2020-07-31T16:40:00Z', 2)]);
    const days = await readings.hourlyTotals('a', '2020-08-01', '2020-08-03');
    t.deepEqual(
      days.map((d) => d.day),
      ['2020-08-01'],
    );
    t.deepEqual([days[0]!.sums[0], days[0]!.counts[0], days[0]!.sums[17], days[0]!.counts[17]], [3, 2, 0, 1]);
    t.is(
      days[0]!.counts.reduce((a, b) => a + b, 0),
      3,
    );
    t.deepEqual((await readings.hourlyTotals('a', '2020-07-31', '2020-07-31'))[0]?.counts[23], 1);
    t.deepEqual(await readings.hourlyTotals('nobody', '2020-08-01', '2020-08-03'), []);
  });

  it('latest and totals cover every venue when there are many, in id order', async ({ readings }, t) => {
    const ids = Array.from({ length: 60 }, (_, i) => `venue-${String(i).padStart(2, '0')}`);
    await readings.record(ids.map((id, i) => aReading(id, '2020-08-01T04:00:00Z', i % 4)));
    t.deepEqual(
      (await readings.latest({ limit: 500 })).items.map((r) => r.venueId),
      ids,
    );
    const totals = await readings.totals(range('2020-08-01T00:00:00Z', '2020-08-02T00:00:00Z'), { limit: 500 });
    t.deepEqual(
      totals.items.map((x) => `${x.venueId}:${x.sum}`),
      ids.map((id, i) => `${id}:${i % 4}`),
    );
  });

  it('recovering when nothing was left half-done changes nothing', async ({ readings }, t) => {
    await readings.record([aReading('a', '2020-08-01T04:00:00Z', 2)]);
    await readings.recover();
    t.deepEqual((await readings.totals(range('2020-08-01T00:00:00Z', '2020-08-02T00:00:00Z'), { limit: 10 })).items, [
      { venueId: 'a', sum: 2, count: 1 },
    ]);
  });

  it('the store answers ping', async ({ readings }, t) => {
    await t.notThrowsAsync(() => readings.ping());
  });

  it('venues are saved, replaced by id, and listed in id order across pages', async ({ venues }, t) => {
    await venues.save(['c', 'a', 'b'].map((id) => aVenue({ id, name: `Venue ${id}` })));
    await venues.save([aVenue({ id: 'b', name: 'Renamed' })]);
    const first = await venues.list({}, { limit: 2 });
    const second = await venues.list({}, { limit: 2, after: first.next! });
    t.deepEqual(
      [...first.items, ...second.items].map((v) => `${v.id}:${v.name}`),
      ['a:Venue a', 'b:Renamed', 'c:Venue c'],
    );
    t.is(second.next, null);
    t.is((await venues.all()).length, 3);
  });

  it('a venue round-trips with a null postal code and inactive flag', async ({ venues }, t) => {
    const venue = aVenue({ id: 'x', postalCode: null, active: false });
    await venues.save([venue]);
    t.deepEqual(await venues.get('x'), venue);
    t.is(await venues.get('nobody'), null);
  });

  it('venues filter by type, case-insensitive q on name or address, and active, across pages', async ({ venues }, t) => {
    await venues.save([
      aVenue({ id: '1', name: 'Tampines Mall', type: 'MALL' }),
      aVenue({ id: '2', name: 'FairPrice', type: 'SUPERMARKET', address: '9 TAMPINES Ave' }),
      aVenue({ id: '3', name: 'Bishan Mall', type: 'MALL', address: '9 Bishan Place', active: false }),
      aVenue({ id: '4', name: 'Giant', type: 'SUPERMARKET', address: '1 Jurong Road' }),
    ]);
    const ids = async (filter: object) => (await venues.list(filter, { limit: 10 })).items.map((v) => v.id);
    t.deepEqual(await ids({ type: 'MALL' }), ['1', '3']);
    t.deepEqual(await ids({ q: 'tampines' }), ['1', '2']);
    t.deepEqual(await ids({ active: false }), ['3']);
    const first = await venues.list({ type: 'SUPERMARKET' }, { limit: 1 });
    const second = await venues.list({ type: 'SUPERMARKET' }, { limit: 1, after: first.next! });
    t.deepEqual([first.items[0]?.id, second.items[0]?.id, second.next], ['2', '4', null]);
  });
}
