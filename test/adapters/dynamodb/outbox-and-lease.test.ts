import test from 'ava';
import { DynamoEventOutbox } from '../../../adapters/dynamodb/dynamo-event-outbox.js';
import { DynamoPollLease } from '../../../adapters/dynamodb/dynamo-poll-lease.js';
import { staged } from '../../../application/use-cases/event-key.js';
import { aReading, aVenue } from '../../support/builders.js';
import { dynamoFixture, startDynalite, type DynamoServer } from '../../support/dynamo-servers.js';

let server: DynamoServer;
test.before(async () => {
  server = await startDynalite();
});
test.after.always(() => server?.close());

test('staged events come back oldest first with their instants as Dates, and go once removed', async (t) => {
  const { client, tableName } = await dynamoFixture(server.endpoint);
  const outbox = new DynamoEventOutbox(client, tableName);
  const recorded = staged({ type: 'ReadingRecorded', reading: aReading('a', '2020-08-01T04:48:00Z', 2) });
  const appeared = staged({ type: 'VenueAppeared', venue: aVenue({ id: 'a' }), detectedAt: new Date('2020-08-01T04:50:00Z') });
  await outbox.stage([appeared]);
  await outbox.stage([recorded, recorded]);
  const pending = await outbox.pending();
  t.deepEqual(pending.map((s) => s.key), [appeared.key, recorded.key]);
  t.deepEqual(pending.map((s) => s.event), [appeared.event, recorded.event]);
  await outbox.remove([appeared.key]);
  t.deepEqual((await outbox.pending()).map((s) => s.key), [recorded.key]);
});

test('only one owner holds the lease until it expires or is released', async (t) => {
  const { client, tableName } = await dynamoFixture(server.endpoint);
  const lease = new DynamoPollLease(client, tableName);
  t.true(await lease.acquire('first', 60_000));
  t.false(await lease.acquire('second', 60_000));
  t.true(await lease.acquire('first', 60_000), 'the holder may renew');
  await lease.release('second');
  t.false(await lease.acquire('second', 60_000), 'a release by someone else changes nothing');
  await lease.release('first');
  t.true(await lease.acquire('second', 1));
  await new Promise((resolve) => setTimeout(resolve, 10));
  t.true(await lease.acquire('third', 60_000), 'an expired lease can be taken');
});
