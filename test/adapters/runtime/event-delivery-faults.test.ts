import test from 'ava';
import { EventBridgePublisher } from '../../../adapters/eventbridge/eventbridge-publisher.js';
import { createEventBridgeClient } from '../../../adapters/eventbridge/eventbridge-client.js';
import { DynamoEventOutbox } from '../../../adapters/dynamodb/dynamo-event-outbox.js';
import { DynamoPollLease } from '../../../adapters/dynamodb/dynamo-poll-lease.js';
import { SpaceOutCrowdSource } from '../../../adapters/spaceout/spaceout-crowd-source.js';
import type { ReadingRepository } from '../../../application/ports/reading-repository.js';
import { SPACEOUT_SITE_KEY } from '../../../adapters/spaceout/facility-list-key.js';
import { startSimulator } from '../../../adapters/spaceout/simulator/simulator.js';
import { dynamoFixture } from '../../support/dynamo-fixture.js';
import { startDynalite } from '../../../scripts/dynamodb-servers.js';
import { pollUpstreamOf } from '../../support/poll-container.js';
import { PutEventsServer, eventIdOf } from '../eventbridge/put-events-server.js';

/** The real adapters: simulator over HTTP, DynamoDB on dynalite, EventBridge on a PutEvents stub. */
async function realWorld(t: { teardown(fn: () => Promise<void> | void): void }) {
  const [store, bus, simulator] = await Promise.all([
    startDynalite(),
    PutEventsServer.start(),
    startSimulator({ venueCount: 20, now: () => new Date('2026-11-25T11:00:00Z') }),
  ]);
  t.teardown(async () => {
    await Promise.all([store.close(), bus.close(), simulator.close()]);
  });
  const fixture = await dynamoFixture(store.endpoint);
  const eventBridge = createEventBridgeClient({
    endpoint: bus.endpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const source = new SpaceOutCrowdSource({ url: simulator.url, key: SPACEOUT_SITE_KEY });
  const table = { client: fixture.client, name: fixture.tableName };
  const process = (readings: ReadingRepository = fixture.readings) =>
    pollUpstreamOf({
      source,
      store: { venues: fixture.venues, readings, outbox: new DynamoEventOutbox(table), lease: new DynamoPollLease(table) },
      publisher: new EventBridgePublisher(eventBridge, 'crowd-bus', { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }),
    });
  return { bus, fixture, process, outbox: new DynamoEventOutbox({ client: fixture.client, name: fixture.tableName }) };
}

const detailTypes = (bus: PutEventsServer) => bus.accepted.map((entry) => entry.DetailType ?? '').sort();
const count = (types: string[], type: string) => types.filter((x) => x === type).length;

test('killed after the store and before the publish, the next run publishes exactly the missing events', async (t) => {
  const { bus, fixture, process } = await realWorld(t);
  const dying = Object.assign(Object.create(fixture.readings) as ReadingRepository, {
    record: async (batch: Parameters<ReadingRepository['record']>[0]) => {
      await fixture.readings.record(batch);
      throw new Error('killed after the store');
    },
  });
  await t.throwsAsync(() => process(dying).execute(), { message: /killed/ });
  t.deepEqual(detailTypes(bus), ['Poll Failed']);

  await process().execute();
  const types = detailTypes(bus);
  t.is(count(types, 'Venue Appeared'), 20);
  // 20 venues, one of them silent (a simulator quirk), and four orphan ids
  t.is(count(types, 'Reading Recorded'), 19 + 4);
  t.is(new Set(bus.acceptedEventIds).size, bus.accepted.length, 'no event delivered twice');
});

test('a bus that is down for a whole poll leaves every event pending; the next poll delivers them once', async (t) => {
  const { bus, process, outbox } = await realWorld(t);
  bus.goDown();
  const summary = await process().execute();
  t.is(summary.readings.stored, 19 + 4);
  t.is(bus.accepted.length, 0);
  t.is((await outbox.pending()).length, 20 + 23 + 1, 'venues appeared, readings recorded, poll completed');

  bus.comeBack();
  await process().execute();
  t.is(count(detailTypes(bus), 'Reading Recorded'), 23);
  t.is(new Set(bus.acceptedEventIds).size, bus.accepted.length);
  t.deepEqual(await outbox.pending(), []);
});

test('entries the bus keeps refusing stay pending and go out with the next poll', async (t) => {
  const { bus, process, outbox } = await realWorld(t);
  bus.refuseEntries((entry) => entry.DetailType === 'Venue Appeared', { code: 'InternalFailure', times: 2 });
  await process().execute();
  t.is(count(detailTypes(bus), 'Venue Appeared'), 0, 'refused on both attempts');
  t.true((await outbox.pending()).length > 0);

  await process().execute();
  t.is(count(detailTypes(bus), 'Venue Appeared'), 20);
  t.deepEqual(await outbox.pending(), []);
  t.true(bus.accepted.every((entry) => eventIdOf(entry) !== ''));
});
