import test from 'ava';
import sinon from 'sinon';
import type { Clock } from '../../application/ports/clock.js';
import type { EventPublisher } from '../../application/ports/event-publisher.js';
import type { ReadingRepository } from '../../application/ports/reading-repository.js';
import type { VenueRepository } from '../../application/ports/venue-repository.js';
import { staged } from '../../application/use-cases/event-key.js';
import { POLL_LEASE_TTL_MS } from '../../application/use-cases/poll-upstream.js';
import { PollInProgressError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/events.js';
import { FixedCrowdSource } from '../../adapters/memory/fixed-crowd-source.js';
import { InMemoryEventOutbox } from '../../adapters/memory/in-memory-event-outbox.js';
import { InMemoryPollLease } from '../../adapters/memory/in-memory-poll-lease.js';
import { InMemoryReadingRepository } from '../../adapters/memory/in-memory-reading-repository.js';
import { InMemoryVenueRepository } from '../../adapters/memory/in-memory-venue-repository.js';
import { aReading, aVenue } from '../support/builders.js';
import { pollUpstreamOf } from '../support/poll-container.js';

const clock: Clock = { now: () => new Date('2020-08-01T05:00:00Z') };

/** What one process sees: its own use case and bus, over the shared store, outbox and lease. */
function world() {
  const source = new FixedCrowdSource();
  source.venues = { items: [aVenue({ id: 'a', name: 'Alpha Mall' }), aVenue({ id: 'b', name: 'Beta Mart' })], rejected: [] };
  source.readings = { items: [aReading('a', '2020-08-01T04:48:00Z', 1), aReading('b', '2020-08-01T04:50:00Z', 2)], rejected: [] };
  const shared = {
    source,
    venues: new InMemoryVenueRepository(),
    readings: new InMemoryReadingRepository(),
    outbox: new InMemoryEventOutbox(),
    lease: new InMemoryPollLease(clock),
  };
  const process = (overrides: { venues?: VenueRepository; readings?: ReadingRepository; bus?: EventPublisher } = {}) => {
    const published: DomainEvent[] = [];
    const bus = overrides.bus ?? { publish: async (events: readonly DomainEvent[]) => void published.push(...events) };
    const poll = pollUpstreamOf({
      source,
      store: {
        venues: overrides.venues ?? shared.venues,
        readings: overrides.readings ?? shared.readings,
        outbox: shared.outbox,
        lease: shared.lease,
      },
      publisher: bus,
      clock,
    });
    return { poll, published };
  };
  return { ...shared, process };
}

const describe = (events: readonly DomainEvent[]) =>
  events
    .map((e) => (e.type === 'ReadingRecorded' ? `${e.type} ${e.reading.venueId}` : 'venue' in e ? `${e.type} ${e.venue.id}` : e.type))
    .sort();

/** A repository whose process dies right after the readings are stored. */
function dyingAfterStore(readings: ReadingRepository): ReadingRepository {
  return Object.assign(Object.create(readings) as ReadingRepository, {
    record: async (batch: Parameters<ReadingRepository['record']>[0]) => {
      await readings.record(batch);
      throw new Error('killed after the store, before the publish');
    },
  });
}

test('a poll killed after the store and before the publish has its events sent by the next run, once each', async (t) => {
  const w = world();
  const dying = w.process({ readings: dyingAfterStore(w.readings) });
  await t.throwsAsync(() => dying.poll.execute(), { message: /killed/ });
  t.deepEqual(describe(dying.published), ['PollFailed']);

  const next = w.process();
  const summary = await next.poll.execute();
  t.is(summary.readings.stored, 0, 'the first run had stored everything');
  t.deepEqual(describe(next.published), ['PollCompleted', 'ReadingRecorded a', 'ReadingRecorded b', 'VenueAppeared a', 'VenueAppeared b']);
  t.deepEqual(await w.outbox.pending(), []);
});

test('events staged for facts that were never stored are dropped, not published', async (t) => {
  const w = world();
  const failingVenues = Object.assign(Object.create(w.venues) as VenueRepository, {
    save: async () => {
      throw new Error('killed before any write');
    },
  });
  await t.throwsAsync(() => w.process({ venues: failingVenues }).poll.execute());
  t.true(
    (await w.outbox.pending()).some((s) => s.event.type === 'VenueAppeared'),
    'the intent was staged',
  );

  // Nothing was stored, so the next run must not relay the staged intents; it stores and announces the facts itself.
  const next = w.process();
  await next.poll.execute();
  t.deepEqual(describe(next.published), ['PollCompleted', 'ReadingRecorded a', 'ReadingRecorded b', 'VenueAppeared a', 'VenueAppeared b']);
});

test('a bus that is down for a whole poll loses nothing: the next poll delivers every event', async (t) => {
  const w = world();
  const down = w.process({
    bus: {
      publish: async () => {
        throw new Error('EventBridge unreachable');
      },
    },
  });
  const summary = await down.poll.execute();
  t.is(summary.readings.stored, 2, 'the poll itself succeeds');
  t.is((await w.outbox.pending()).length, 5);

  const next = w.process();
  await next.poll.execute();
  const types = describe(next.published);
  t.deepEqual(
    types.filter((x) => x !== 'PollCompleted'),
    ['ReadingRecorded a', 'ReadingRecorded b', 'VenueAppeared a', 'VenueAppeared b'],
  );
  t.is(types.filter((x) => x === 'PollCompleted').length, 2, "the first poll's completion and the second's");
  t.deepEqual(await w.outbox.pending(), []);
});

test('a poll in another process holding the lease makes this one refuse, storing nothing', async (t) => {
  const w = world();
  await w.lease.acquire('other-process', 60_000);
  await t.throwsAsync(() => w.process().poll.execute(), { instanceOf: PollInProgressError, message: /another process/ });
  t.deepEqual(await w.venues.all(), []);
});

test('the lease is released after a poll, also a failed one', async (t) => {
  const w = world();
  w.source.failure = 'upstream answered HTTP 503';
  await t.throwsAsync(() => w.process().poll.execute());
  t.like(await w.lease.acquire('someone-else', 1_000), { acquired: true });
});

test('an event an earlier poll could not deliver survives a poll that finds its reading already stored', async (t) => {
  const w = world();
  const old = aReading('a', '2020-08-01T04:48:00Z', 1);
  // As a poll that died after storing `old` leaves it: the fact stored, its event staged.
  await w.readings.record([old, aReading('a', '2020-08-01T04:58:00Z', 2)]);
  await w.outbox.stage([staged({ type: 'ReadingRecorded', reading: old })]);

  const down = w.process({
    bus: {
      publish: async () => {
        throw new Error('EventBridge unreachable');
      },
    },
  });
  await down.poll.execute(); // `old` is in the snapshot again, and is not the latest
  const next = w.process();
  await next.poll.execute();
  t.true(next.published.some((e) => e.type === 'ReadingRecorded' && e.reading.observedAt.getTime() === old.observedAt.getTime()));
});

test('a reading seen again after it was announced is not announced again', async (t) => {
  const w = world();
  const first = w.process();
  await first.poll.execute();
  w.source.readings = { items: [...w.source.readings.items, aReading('a', '2020-08-01T04:58:00Z', 2)], rejected: [] };
  await first.poll.execute();
  const again = w.process();
  await again.poll.execute(); // the 04:48 reading of a is still in the reply, no longer the latest
  t.deepEqual(describe(again.published), ['PollCompleted']);
});

test('a lease whose holder stopped renewing it is reported as stale until it expires 30 s after its last renewal; an ordinary one is not', async (t) => {
  const w = world();
  await w.lease.acquire('busy-process', 30_000);
  const busy = await t.throwsAsync(() => w.process().poll.execute(), { instanceOf: PollInProgressError });
  t.false(busy.staleLease);

  let now = Date.parse('2020-08-01T05:00:00Z');
  const lease = new InMemoryPollLease({ now: () => new Date(now) });
  await lease.acquire('dead-process', 30_000);
  now += 25_000;
  const poll = pollUpstreamOf({
    source: w.source,
    store: { venues: w.venues, readings: w.readings, outbox: w.outbox, lease },
    clock: { now: () => new Date(now) },
  });
  const stale = await t.throwsAsync(() => poll.execute(), { instanceOf: PollInProgressError });
  t.true(stale.staleLease);
  t.regex(stale.message, /stopped renewing it 25 s ago .* expires in 5 s/);
  now += 6_000;
  t.is((await poll.execute()).readings.stored, 2, 'half a minute after its holder died, polls run again');
});

test('a poll that runs longer than the lease keeps it by renewing it', async (t) => {
  const clock = sinon.useFakeTimers({ now: Date.parse('2020-08-01T05:00:00Z'), toFake: ['setInterval', 'clearInterval', 'Date'] });
  t.teardown(() => clock.restore());
  const w = world();
  const lease = new InMemoryPollLease({ now: () => new Date() });
  let answer!: () => void;
  const slowSource = Object.assign(Object.create(w.source) as FixedCrowdSource, {
    fetchVenues: async () => {
      await new Promise<void>((resolve) => (answer = resolve));
      return w.source.venues;
    },
  });
  const poll = pollUpstreamOf({
    source: slowSource,
    store: { venues: w.venues, readings: w.readings, outbox: w.outbox, lease },
    clock: { now: () => new Date() },
  });
  const running = poll.execute();
  await clock.tickAsync(POLL_LEASE_TTL_MS * 3);
  t.like(await lease.acquire('another-process', POLL_LEASE_TTL_MS), { acquired: false }, 'still held, 90 s in');
  answer();
  await running;
  t.like(await lease.acquire('another-process', POLL_LEASE_TTL_MS), { acquired: true });
});
