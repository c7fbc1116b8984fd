import test from 'ava';
import { DynamoEventOutbox } from '../../../adapters/dynamodb/dynamo-event-outbox.js';
import { DynamoPollLease } from '../../../adapters/dynamodb/dynamo-poll-lease.js';
import { staged } from '../../../application/use-cases/event-key.js';
import { aReading, aVenue } from '../../support/builders.js';
import { dynamoFixture } from '../../support/dynamo-fixture.js';
import { startDynalite, type DynamoServer } from '../../../scripts/dynamodb-servers.js';
import { countWrites } from '../../support/kill-switch.js';

let server: DynamoServer | undefined;
test.before(async () => {
  server = await startDynalite();
});
test.after.always(() => server?.close());

test('staged events come back oldest first with their instants as Dates, and go once removed', async (t) => {
  const { client, tableName } = await dynamoFixture(server!.endpoint);
  const outbox = new DynamoEventOutbox({ client, name: tableName });
  const recorded = staged({ type: 'ReadingRecorded', reading: aReading('a', '2020-08-01T04:48:00Z', 2) });
  const appeared = staged({ type: 'VenueAppeared', venue: aVenue({ id: 'a' }), detectedAt: new Date('2020-08-01T04:50:00Z') });
  await outbox.stage([appeared]);
  await outbox.stage([recorded, recorded]);
  const pending = await outbox.pending();
  t.deepEqual(
    pending.map((s) => s.key),
    [appeared.key, recorded.key],
  );
  t.deepEqual(
    pending.map((s) => s.event),
    [appeared.event, recorded.event],
  );
  await outbox.remove([appeared.key]);
  t.deepEqual(
    (await outbox.pending()).map((s) => s.key),
    [recorded.key],
  );
});

test('a poll of thousands of events stages them in a few items; removing some keeps the others, in order', async (t) => {
  const { client, tableName } = await dynamoFixture(server!.endpoint);
  const outbox = new DynamoEventOutbox({ client, name: tableName });
  const events = Array.from({ length: 3_000 }, (_, i) =>
    staged({ type: 'ReadingRecorded', reading: aReading(`venue-${i}`, '2020-08-01T04:48:00Z', i % 4) }),
  );
  const writes = countWrites(client);
  await outbox.stage(events);
  t.true(writes() <= 4, `${writes()} writes for 3,000 events`);
  await outbox.remove(events.filter((_, i) => i % 2 === 0).map((e) => e.key));
  t.deepEqual(
    (await outbox.pending()).map((e) => e.key),
    events.filter((_, i) => i % 2 === 1).map((e) => e.key),
  );
  await outbox.remove(events.map((e) => e.key));
  t.deepEqual(await outbox.pending(), []);
});

test('only one owner holds the lease until it expires or is released', async (t) => {
  const { client, tableName } = await dynamoFixture(server!.endpoint);
  const now = Date.parse('2026-11-28T06:00:00Z');
  const lease = new DynamoPollLease({ client, name: tableName }, { now: () => new Date(now) });
  t.like(await lease.acquire('first', 30_000), { acquired: true, tookOverFrom: null });
  t.like(await lease.acquire('second', 30_000), { acquired: false, holder: { owner: 'first' } });
  t.like(await lease.acquire('first', 30_000), { acquired: true }, 'the holder may take it again');
  await lease.release('second');
  t.like(await lease.acquire('second', 30_000), { acquired: false }, 'a release by someone else changes nothing');
  await lease.release('first');
  t.like(await lease.acquire('second', 30_000), { acquired: true, tookOverFrom: null }, 'a released lease is free');
});

test('a renewed lease outlives its first expiry; one left to expire is taken over, naming its dead holder', async (t) => {
  const { client, tableName } = await dynamoFixture(server!.endpoint);
  let now = Date.parse('2026-11-28T06:00:00Z');
  const lease = new DynamoPollLease({ client, name: tableName }, { now: () => new Date(now) });
  await lease.acquire('first', 30_000);
  now += 20_000;
  t.true(await lease.renew('first', 30_000));
  now += 20_000;
  t.like(await lease.acquire('second', 30_000), { acquired: false, holder: { owner: 'first', renewedAt: new Date(now - 20_000) } });
  now += 31_000;
  const taken = await lease.acquire('second', 30_000);
  t.like(taken, { acquired: true, tookOverFrom: { owner: 'first' } });
  t.false(await lease.renew('first', 30_000), 'the old holder has lost it');
});
