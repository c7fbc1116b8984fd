import test from 'ava';
import { DynamoEventOutbox } from '../../../adapters/dynamodb/dynamo-event-outbox.js';
import { DynamoPollLease } from '../../../adapters/dynamodb/dynamo-poll-lease.js';
import { DynamoSubscriptionRepository } from '../../../adapters/dynamodb/dynamo-subscription-repository.js';
import { FixedCrowdSource } from '../../../adapters/memory/fixed-crowd-source.js';
import { RecordingWebhookSender } from '../../../adapters/memory/recording-webhook-sender.js';
import { SealedWebhookSecrets } from '../../../adapters/webhooks/sealed-webhook-secrets.js';
import type { Clock } from '../../../application/ports/clock.js';
import type { SubscriptionRepository } from '../../../application/ports/subscription-repository.js';
import { DEFAULT_DELIVERY_POLICY, DeliverWebhooks } from '../../../application/use-cases/deliver-webhooks.js';
import type { DomainEvent } from '../../../domain/events.js';
import { NEW_SUBSCRIPTION_STATE } from '../../../domain/subscription.js';
import { aReading, aSubscription, aVenue } from '../../support/builders.js';
import { startDynalite, type DynamoServer } from '../../../scripts/dynamodb-servers.js';
import { dynamoFixture } from '../../support/dynamo-fixture.js';
import { pollUpstreamOf } from '../../support/poll-container.js';

let server: DynamoServer | undefined;
test.before(async () => {
  server = await startDynalite();
});
test.after.always(() => server?.close());

class Killed extends Error {}

/** The same repository, in a process that dies when it calls `method`. */
function dyingAt(repository: SubscriptionRepository, method: 'updateState' | 'finish'): SubscriptionRepository {
  return Object.assign(Object.create(repository) as SubscriptionRepository, {
    [method]: async () => {
      throw new Killed(`killed in ${method}`);
    },
  });
}

test('killed after queueing an alert, then the bus down, then a sender killed after posting: the receiver gets the alert, under one id, and it is recorded once', async (t) => {
  const fixture = await dynamoFixture(server!.endpoint);
  const table = { client: fixture.client, name: fixture.tableName };
  const subscriptions = new DynamoSubscriptionRepository(table);
  let now = new Date('2020-08-01T05:00:00Z');
  const clock: Clock = { now: () => now };
  const secrets = new SealedWebhookSecrets('a-webhook-secret-key-for-these-tests');
  const issued = secrets.issue('sub-1');
  await subscriptions.add({
    subscription: aSubscription({ id: 'sub-1', watch: { kind: 'venue', venueId: 'v1' }, maxBand: 1 }),
    secretHash: issued.hash,
    sealedSecret: issued.sealed,
    state: NEW_SUBSCRIPTION_STATE,
  });

  const source = new FixedCrowdSource();
  source.venues = { items: [aVenue({ id: 'v1', name: 'Tampines Mart' })], rejected: [] };
  const bus = { down: false, published: [] as DomainEvent[] };
  const outlet = {
    publish: async (events: readonly DomainEvent[]) => {
      if (bus.down) throw new Error('EventBridge unreachable');
      bus.published.push(...events);
    },
  };
  const process = (repository: SubscriptionRepository = subscriptions) =>
    pollUpstreamOf({
      source,
      store: {
        venues: fixture.venues,
        readings: fixture.readings,
        outbox: new DynamoEventOutbox(table),
        lease: new DynamoPollLease(table, clock),
        subscriptions: repository,
      },
      publisher: outlet,
      clock,
    });
  const sender = new RecordingWebhookSender();
  const notifier = (repository: SubscriptionRepository = subscriptions) =>
    new DeliverWebhooks(repository, sender, secrets, clock, { ...DEFAULT_DELIVERY_POLICY, baseDelayMs: 1, maxDelayMs: 5 });

  source.readings = { items: [aReading('v1', '2020-08-01T04:40:00Z', 3)], rejected: [] };
  await process().execute();

  // 1. The poll that sees the drop dies after queueing the alert, before the subscription remembers it.
  source.readings = { items: [aReading('v1', '2020-08-01T04:50:00Z', 0)], rejected: [] };
  now = new Date('2020-08-01T05:05:00Z');
  await process(dyingAt(subscriptions, 'updateState')).execute();
  t.is((await subscriptions.pendingDeliveries()).length, 1);
  t.false(bus.published.some((event) => event.type === 'BandChanged'));

  // 2. The next poll relays the band change with the bus down: nothing new is queued, nothing is lost.
  bus.down = true;
  now = new Date('2020-08-01T05:10:00Z');
  await process().execute();
  t.is((await subscriptions.pendingDeliveries()).length, 1);

  // 3. A sender posts it, then dies before recording that it did.
  await t.throwsAsync(() => notifier(dyingAt(subscriptions, 'finish')).execute(), { instanceOf: Killed });
  t.is(sender.posts.length, 1);

  // 4. Recovery: the bus is back; the next sender finds the claim still held and leaves it, until it expires.
  bus.down = false;
  now = new Date('2020-08-01T05:10:30Z');
  await process().execute();
  t.like(await notifier().execute(), { delivered: 0, left: 1 });
  now = new Date('2020-08-01T05:15:00Z');
  t.like(await notifier().execute(), { delivered: 1 });
  t.like(await notifier().execute(), { delivered: 0, left: 0 });

  const ids = sender.posts.map((post) => JSON.parse(post.body).deliveryId as string);
  t.is(ids.length, 2, 'at least once: posted again after the sender died');
  t.is(new Set(ids).size, 1, 'under the same delivery id, so the receiver can drop the repeat');
  t.like((await subscriptions.get('sub-1'))?.state, { delivered: 1, lastNotifiedAt: new Date('2020-08-01T04:50:00Z') });
  t.is(bus.published.filter((event) => event.type === 'BandChanged').length, 1, 'the band change reached the bus once');
  t.deepEqual(await subscriptions.pendingDeliveries(), []);
});
