import test from 'ava';
import type { Clock } from '../../application/ports/clock.js';
import { AverageCrowdLevels } from '../../application/use-cases/average-crowd-levels.js';
import { PollInProgressError, UpstreamError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/events.js';
import { FixedCrowdSource } from '../../adapters/memory/fixed-crowd-source.js';
import { InProcessEventBus } from '../../adapters/memory/in-process-event-bus.js';
import { InMemoryReadingRepository } from '../../adapters/memory/in-memory-reading-repository.js';
import { InMemoryVenueRepository } from '../../adapters/memory/in-memory-venue-repository.js';
import { InMemoryEventOutbox } from '../../adapters/memory/in-memory-event-outbox.js';
import { InMemoryPollLease } from '../../adapters/memory/in-memory-poll-lease.js';
import { aReading, aVenue } from '../support/builders.js';
import { pollUpstreamOf } from '../support/poll-container.js';

const fixedClock: Clock = { now: () => new Date('2020-08-01T05:00:00Z') };

/** A clock five minutes later on every reading, like polls on a schedule. */
function pollingClock(): Clock {
  let ticks = 0;
  return { now: () => new Date(Date.UTC(2020, 7, 1, 5, 5 * ticks++)) };
}

function setUp(clock: Clock = fixedClock) {
  const source = new FixedCrowdSource();
  const venues = new InMemoryVenueRepository();
  const readings = new InMemoryReadingRepository();
  const bus = new InProcessEventBus({ keepHistory: true });
  const outbox = new InMemoryEventOutbox();
  const lease = new InMemoryPollLease(clock);
  const poll = pollUpstreamOf({ source, store: { venues, readings, outbox, lease }, publisher: bus, clock });
  source.venues = {
    items: [aVenue({ id: 'a', name: 'Alpha Mall' }), aVenue({ id: 'b', name: 'Beta Mart', type: 'SUPERMARKET' })],
    rejected: [],
  };
  source.readings = { items: [aReading('a', '2020-08-01T04:48:00Z', 1), aReading('b', '2020-08-01T04:50:00Z', 2)], rejected: [] };
  return { source, venues, readings, bus, poll, outbox, lease };
}

const ofType = <T extends DomainEvent['type']>(events: readonly DomainEvent[], type: T) =>
  events.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);

test('a first poll adds every venue and stores every reading', async (t) => {
  const { poll } = setUp();
  const summary = await poll.execute();
  t.like(summary.venues, { seen: 2, added: 2, updated: 0, deactivated: 0, rejected: 0 });
  t.like(summary.readings, { seen: 2, stored: 2, duplicate: 0, rejected: 0, orphan: 0 });
});

test('polling the same snapshot three times stores each reading once', async (t) => {
  const { poll, readings } = setUp();
  const stored = [];
  for (let i = 0; i < 3; i++) stored.push((await poll.execute()).readings.stored);
  t.deepEqual(stored, [2, 0, 0]);
  const totals = await readings.totals({ from: new Date('2020-08-01T00:00:00Z'), to: new Date('2020-08-02T00:00:00Z') }, { limit: 10 });
  t.deepEqual(
    totals.items.map((x) => x.count),
    [1, 1],
  );
});

test('a repeated snapshot is counted as duplicate, not stored', async (t) => {
  const { poll } = setUp();
  await poll.execute();
  const summary = await poll.execute();
  t.like(summary.readings, { seen: 2, stored: 0, duplicate: 2 });
});

test('the same reading twice in one reply is stored once and counted once as duplicate', async (t) => {
  const { poll, source } = setUp();
  source.readings = { items: [...source.readings.items, aReading('a', '2020-08-01T04:48:00Z', 1)], rejected: [] };
  const summary = await poll.execute();
  t.like(summary.readings, { seen: 3, stored: 2, duplicate: 1 });
});

test('a malformed record is rejected and counted while the rest of the poll is stored', async (t) => {
  const { poll, source } = setUp();
  source.readings = { items: source.readings.items, rejected: ['reading of c: band must be an integer from 0 to 3, got 7'] };
  const summary = await poll.execute();
  t.like(summary.readings, { seen: 3, stored: 2, rejected: 1 });
  t.deepEqual(summary.rejections, ['reading of c: band must be an integer from 0 to 3, got 7']);
});

test('a reading of a venue missing from the facility list is kept and counted as orphan', async (t) => {
  const { poll, source, readings } = setUp();
  source.readings = { items: [...source.readings.items, aReading('ghost', '2020-08-01T04:40:00Z', 3)], rejected: [] };
  const summary = await poll.execute();
  t.is(summary.readings.orphan, 1);
  t.is((await readings.latestOf('ghost'))?.band, 3);
});

test('a venue that vanished upstream is marked inactive, never deleted', async (t) => {
  const { poll, source, venues } = setUp();
  await poll.execute();
  source.venues = { items: [aVenue({ id: 'a', name: 'Alpha Mall' })], rejected: [] };
  const summary = await poll.execute();
  t.is(summary.venues.deactivated, 1);
  t.like(await venues.get('b'), { name: 'Beta Mart', active: false });
});

test('a venue that returns is active again and counted as updated', async (t) => {
  const { poll, source, venues } = setUp();
  const both = source.venues;
  await poll.execute();
  source.venues = { items: [aVenue({ id: 'a', name: 'Alpha Mall' })], rejected: [] };
  await poll.execute();
  source.venues = both;
  const summary = await poll.execute();
  t.is(summary.venues.updated, 1);
  t.true((await venues.get('b'))?.active);
});

test('a venue that vanishes, returns and vanishes again is published as two vanishings, each timed by its poll', async (t) => {
  const { poll, source, bus } = setUp(pollingClock());
  const both = source.venues;
  const onlyA = { items: [aVenue({ id: 'a', name: 'Alpha Mall' })], rejected: [] };
  const startTimes: Date[] = [];
  for (const venues of [both, onlyA, both, onlyA]) {
    source.venues = venues;
    startTimes.push((await poll.execute()).startedAt);
  }
  const vanished = ofType(bus.published, 'VenueVanished');
  t.deepEqual(
    vanished.map((e) => e.venue.id),
    ['b', 'b'],
  );
  t.deepEqual(
    vanished.map((e) => e.detectedAt),
    [startTimes[1], startTimes[3]],
  );
});

test('an upstream failure stores nothing and publishes PollFailed', async (t) => {
  const { poll, source, venues, bus } = setUp();
  source.failure = 'upstream answered 503';
  await t.throwsAsync(() => poll.execute(), { instanceOf: UpstreamError });
  t.deepEqual(await venues.all(), []);
  t.deepEqual(
    bus.published.map((e) => e.type),
    ['PollFailed'],
  );
});

test('an empty facility list fails the poll instead of deactivating every venue', async (t) => {
  const { poll, source, venues } = setUp();
  await poll.execute();
  source.venues = { items: [], rejected: [] };
  await t.throwsAsync(() => poll.execute(), { message: /facility list is empty/ });
  t.true((await venues.all()).every((venue) => venue.active));
});

test('a second poll while one runs is refused', async (t) => {
  const { poll } = setUp();
  const first = poll.execute();
  await t.throwsAsync(() => poll.execute(), { instanceOf: PollInProgressError });
  await first;
});

test('a poll publishes appearance, recorded readings and completion', async (t) => {
  const { poll, bus } = setUp();
  await poll.execute();
  t.deepEqual(
    bus.published.map((e) => e.type),
    ['VenueAppeared', 'VenueAppeared', 'ReadingRecorded', 'ReadingRecorded', 'PollCompleted'],
  );
});

test('a new band for a venue publishes BandChanged with the previous and new band', async (t) => {
  const { poll, source, bus } = setUp();
  await poll.execute();
  source.readings = { items: [aReading('a', '2020-08-01T04:58:00Z', 3)], rejected: [] };
  await poll.execute();
  const changes = ofType(bus.published, 'BandChanged');
  t.is(changes.length, 1);
  t.like(changes[0], { venueId: 'a', previousBand: 1, band: 3 });
});

test('a late reading older than the latest does not publish BandChanged', async (t) => {
  const { poll, source, bus } = setUp();
  await poll.execute();
  source.readings = { items: [aReading('a', '2020-08-01T04:00:00Z', 3)], rejected: [] };
  await poll.execute();
  t.is(ofType(bus.published, 'BandChanged').length, 0);
});

test('a changed venue name is saved and published as VenueChanged', async (t) => {
  const { poll, source, venues, bus } = setUp();
  await poll.execute();
  source.venues = { items: [aVenue({ id: 'a', name: 'Alpha Mall (renamed)' }), source.venues.items[1]!], rejected: [] };
  const summary = await poll.execute();
  t.is(summary.venues.updated, 1);
  t.is((await venues.get('a'))?.name, 'Alpha Mall (renamed)');
  t.like(ofType(bus.published, 'VenueChanged')[0], { previous: { name: 'Alpha Mall' }, venue: { name: 'Alpha Mall (renamed)' } });
});

test('averages count a reading polled three times once', async (t) => {
  const { poll, source, venues, readings } = setUp();
  source.readings = { items: [aReading('a', '2020-08-01T04:00:00Z', 0), aReading('a', '2020-08-01T04:30:00Z', 3)], rejected: [] };
  for (let i = 0; i < 3; i++) await poll.execute();
  const averages = await new AverageCrowdLevels(venues, readings).execute(
    { from: new Date('2020-08-01T00:00:00Z'), to: new Date('2020-08-02T00:00:00Z') },
    { limit: 10 },
  );
  t.like(averages.items[0], { venueId: 'a', venueName: 'Alpha Mall', averageBand: 1.5, samples: 2 });
});
