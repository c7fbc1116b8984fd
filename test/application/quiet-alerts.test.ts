import { createHmac } from 'node:crypto';
import test from 'ava';
import { FixedCrowdSource } from '../../adapters/memory/fixed-crowd-source.js';
import { InMemoryEventOutbox } from '../../adapters/memory/in-memory-event-outbox.js';
import { InMemoryPollLease } from '../../adapters/memory/in-memory-poll-lease.js';
import { InMemoryReadingRepository } from '../../adapters/memory/in-memory-reading-repository.js';
import { InMemorySubscriptionRepository } from '../../adapters/memory/in-memory-subscription-repository.js';
import { queueingAlertsFirst } from '../../adapters/runtime/webhooks.js';
import { PollUpstream } from '../../application/use-cases/poll-upstream.js';
import { InMemoryVenueRepository } from '../../adapters/memory/in-memory-venue-repository.js';
import { HTTP_410, HTTP_500, RecordingWebhookSender, TIMED_OUT } from '../../adapters/memory/recording-webhook-sender.js';
import { SealedWebhookSecrets } from '../../adapters/webhooks/sealed-webhook-secrets.js';
import type { Clock } from '../../application/ports/clock.js';
import { DEFAULT_DELIVERY_POLICY, DeliverWebhooks, type DeliveryPolicy } from '../../application/use-cases/deliver-webhooks.js';
import { deliveryIdOf, QueueQuietAlerts } from '../../application/use-cases/queue-quiet-alerts.js';
import type { DomainEvent } from '../../domain/events.js';
import { NEW_SUBSCRIPTION_STATE, type Subscription } from '../../domain/subscription.js';
import { aBandChange, aReading, aSubscription, aVenue } from '../support/builders.js';

const clock: Clock = { now: () => new Date('2020-08-01T05:00:00Z') };
const FAST: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, pauseAfterFailures: 2 };

async function world(policy: DeliveryPolicy = FAST) {
  const subscriptions = new InMemorySubscriptionRepository();
  const venues = new InMemoryVenueRepository();
  await venues.save([
    aVenue({ id: 'v1', name: 'Tampines Mart', type: 'SUPERMARKET' }),
    aVenue({ id: 'v2', name: 'Bedok Mall', type: 'MALL' }),
  ]);
  const secrets = new SealedWebhookSecrets('a-webhook-secret-key-for-these-tests');
  const sender = new RecordingWebhookSender();
  const queue = new QueueQuietAlerts(subscriptions, venues, clock);
  const deliver = new DeliverWebhooks(subscriptions, sender, secrets, clock, policy);
  const subscribe = async (overrides: Partial<Subscription> = {}) => {
    const subscription = aSubscription(overrides);
    const issued = secrets.issue(subscription.id);
    await subscriptions.add({ subscription, secretHash: issued.hash, sealedSecret: issued.sealed, state: NEW_SUBSCRIPTION_STATE });
    return { subscription, secret: issued.secret };
  };
  const bodies = () => sender.posts.map((post) => JSON.parse(post.body) as Record<string, unknown>);
  return { subscriptions, venues, sender, queue, deliver, subscribe, bodies };
}

const drop = aBandChange('v1', '2020-08-01T04:50:00Z', 2, 0);

test('a drop into the condition is delivered once, signed with the subscription secret', async (t) => {
  const w = await world();
  const { secret } = await w.subscribe({ id: 'sub-1' });
  t.is(await w.queue.execute([drop]), 1);
  const run = await w.deliver.execute();
  t.like(run, { delivered: 1, failed: 0, retries: 0 });
  t.deepEqual(w.bodies(), [
    {
      deliveryId: deliveryIdOf('sub-1', drop),
      subscriptionId: 'sub-1',
      venueId: 'v1',
      venueName: 'Tampines Mart',
      band: 0,
      bandLabel: 'not crowded',
      observedAt: '2020-08-01T04:50:00.000Z',
    },
  ]);
  const [post] = w.sender.posts;
  const [, time, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(post!.headers['X-Signature']!)!;
  t.is(mac, createHmac('sha256', secret).update(`${time}.${post!.body}`).digest('hex'));
  t.deepEqual(await w.deliver.execute(), { delivered: 0, failed: 0, dropped: 0, retries: 0, paused: 0, left: 0 }, 'nothing is sent twice');
});

test('the same events queued again (a relay after a crash) queue nothing new', async (t) => {
  const w = await world();
  await w.subscribe();
  await w.queue.execute([drop]);
  t.is(await w.queue.execute([drop]), 0);
  await w.deliver.execute();
  t.is(await w.queue.execute([drop]), 0, 'not even after it was delivered');
  await w.deliver.execute();
  t.is(w.sender.posts.length, 1);
});

test('events other than band changes, and changes nobody watches, queue nothing and read no subscription', async (t) => {
  const w = await world();
  await w.subscribe();
  const others: DomainEvent[] = [
    { type: 'ReadingRecorded', reading: { venueId: 'v1', band: 0, trend: null, observedAt: new Date() } },
    aBandChange('v2', '2020-08-01T04:50:00Z', 3, 0),
  ];
  t.is(await w.queue.execute(others), 0);
});

test('within the cooldown a second drop is not announced; after it, it is', async (t) => {
  const w = await world();
  await w.subscribe({ cooldownMinutes: 30 });
  await w.queue.execute([aBandChange('v1', '2020-08-01T04:00:00Z', 2, 1), aBandChange('v1', '2020-08-01T04:10:00Z', 2, 0)]);
  await w.queue.execute([aBandChange('v1', '2020-08-01T04:20:00Z', 3, 1)]);
  await w.queue.execute([aBandChange('v1', '2020-08-01T04:30:00Z', 2, 1)]);
  await w.deliver.execute();
  t.deepEqual(
    w.bodies().map((body) => body['observedAt']),
    ['2020-08-01T04:00:00.000Z', '2020-08-01T04:30:00.000Z'],
  );
});

test('a nearby subscription is told about each watched venue that gets quiet, with its name', async (t) => {
  const w = await world();
  await w.subscribe({ watch: { kind: 'near', centre: { lat: 1.3526, lng: 103.9447 }, radiusMetres: 500, type: null } });
  await w.queue.execute([aBandChange('v1', '2020-08-01T04:00:00Z', 2, 1), aBandChange('v2', '2020-08-01T04:05:00Z', 3, 0)]);
  await w.deliver.execute();
  t.deepEqual(
    w.bodies().map((body) => body['venueName']),
    ['Tampines Mart', 'Bedok Mall'],
  );
});

test('a receiver answering 500 twice then 200 gets the same delivery three times, and nothing after', async (t) => {
  const w = await world();
  await w.subscribe();
  w.sender.answer(HTTP_500, HTTP_500);
  await w.queue.execute([drop]);
  const run = await w.deliver.execute();
  t.like(run, { delivered: 1, retries: 2 });
  t.deepEqual(new Set(w.bodies().map((body) => body['deliveryId'])).size, 1);
  t.is(w.sender.posts.length, 3);
  await w.deliver.execute();
  t.is(w.sender.posts.length, 3);
  const stored = await w.subscriptions.get('sub-1');
  t.like(stored?.state.recentDeliveries[0], { outcome: 'delivered', attempts: 3, detail: 'HTTP 204' });
});

test('a receiver that keeps timing out gets every attempt allowed, then the delivery is recorded as failed', async (t) => {
  const w = await world();
  await w.subscribe();
  w.sender.answer(TIMED_OUT, TIMED_OUT, TIMED_OUT, TIMED_OUT);
  await w.queue.execute([drop]);
  t.like(await w.deliver.execute(), { delivered: 0, failed: 1, retries: 2 });
  t.is(w.sender.posts.length, FAST.maxAttempts);
  t.like((await w.subscriptions.get('sub-1'))?.state, { status: 'active', failed: 1, consecutiveFailures: 1 });
  t.like((await w.subscriptions.get('sub-1'))?.state.recentDeliveries[0], {
    outcome: 'failed',
    attempts: 3,
    detail: 'timed out after 5 s',
  });
  await w.deliver.execute();
  t.is(w.sender.posts.length, FAST.maxAttempts, 'given up on: never tried again');
});

test('a 4xx is not retried', async (t) => {
  const w = await world();
  await w.subscribe();
  w.sender.answer(HTTP_410);
  await w.queue.execute([drop]);
  t.like(await w.deliver.execute(), { failed: 1, retries: 0 });
  t.is(w.sender.posts.length, 1);
});

test('repeated failed deliveries pause the subscription, which then is sent nothing and says why', async (t) => {
  const w = await world();
  await w.subscribe();
  w.sender.answer(HTTP_410, HTTP_410);
  await w.queue.execute([aBandChange('v1', '2020-08-01T04:00:00Z', 2, 0)]);
  await w.queue.execute([aBandChange('v1', '2020-08-01T04:10:00Z', 2, 0)]);
  t.like(await w.deliver.execute(), { failed: 2, paused: 1 });
  t.like((await w.subscriptions.get('sub-1'))?.state, {
    status: 'paused',
    pauseReason: 'paused after 2 failed deliveries in a row; the last: HTTP 410',
  });
  t.is(await w.queue.execute([aBandChange('v1', '2020-08-01T04:20:00Z', 2, 0)]), 0);
  t.is(w.sender.posts.length, 2);
});

test('a subscription deleted while its alert waits is sent nothing; the alert is dropped', async (t) => {
  const w = await world();
  await w.subscribe();
  await w.queue.execute([drop]);
  await w.subscriptions.remove('sub-1');
  t.like(await w.deliver.execute(), { delivered: 0, dropped: 1 });
  t.is(w.sender.posts.length, 0);
  t.deepEqual(await w.subscriptions.pendingDeliveries(), []);
});

test('a delivery claimed by another sender is left to it', async (t) => {
  const w = await world();
  await w.subscribe();
  await w.queue.execute([drop]);
  await w.subscriptions.claim(deliveryIdOf('sub-1', drop), 'another process', new Date('2020-08-01T06:00:00Z'), clock.now());
  t.like(await w.deliver.execute(), { delivered: 0, left: 1 });
  t.is(w.sender.posts.length, 0);
});

test('a stopped run sends nothing more and leaves its deliveries pending for the next', async (t) => {
  const w = await world({ ...FAST, baseDelayMs: 10_000, maxDelayMs: 10_000 });
  await w.subscribe();
  w.sender.answer(HTTP_500);
  await w.queue.execute([drop]);
  const stop = new AbortController();
  const running = w.deliver.execute(stop.signal);
  // Stopped while it waits to retry its first, refused attempt.
  while (w.sender.posts.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  stop.abort();
  const run = await running;
  t.is(w.sender.posts.length, 1, 'no attempt after the stop');
  t.like(run, { delivered: 0, failed: 0, left: 1 });
  t.is((await w.subscriptions.pendingDeliveries()).length, 1);
  t.like(await w.deliver.execute(), { delivered: 1 });
  t.deepEqual(
    w.bodies().map((body) => body['deliveryId']),
    [deliveryIdOf('sub-1', drop), deliveryIdOf('sub-1', drop)],
    'the next run sends it, under the same id',
  );
});

test('a secret that cannot be unsealed fails the delivery without sending anything', async (t) => {
  const w = await world();
  await w.subscribe();
  const stored = (await w.subscriptions.get('sub-1'))!;
  await w.subscriptions.add({ ...stored, sealedSecret: 'v1.garbage.garbage.garbage' });
  await w.queue.execute([drop]);
  t.like(await w.deliver.execute(), { failed: 1 });
  t.is(w.sender.posts.length, 0);
  t.regex((await w.subscriptions.get('sub-1'))!.state.recentDeliveries[0]!.detail, /^not sent: /);
});

test('when alerts cannot be queued, the poll keeps its events in the outbox and the next poll queues them, once', async (t) => {
  const w = await world();
  await w.subscribe();
  const source = new FixedCrowdSource();
  source.venues = { items: await w.venues.all(), rejected: [] };
  const outbox = new InMemoryEventOutbox();
  const readings = new InMemoryReadingRepository();
  let storeDown = false;
  const flaky = Object.assign(Object.create(w.subscriptions) as InMemorySubscriptionRepository, {
    enqueue: async (deliveries: Parameters<InMemorySubscriptionRepository['enqueue']>[0]) => {
      if (storeDown) throw new Error('the table does not answer');
      return w.subscriptions.enqueue(deliveries);
    },
  });
  const published: DomainEvent[] = [];
  const publisher = queueingAlertsFirst(new QueueQuietAlerts(flaky, w.venues, clock), {
    publish: async (events) => void published.push(...events),
  });
  const poll = new PollUpstream(source, w.venues, readings, publisher, clock, outbox, new InMemoryPollLease(clock));

  source.readings = { items: [aReading('v1', '2020-08-01T04:40:00Z', 2)], rejected: [] };
  await poll.execute();
  source.readings = { items: [aReading('v1', '2020-08-01T04:50:00Z', 0)], rejected: [] };
  storeDown = true;
  await poll.execute();
  t.true(
    (await outbox.pending()).some((staged) => staged.event.type === 'BandChanged'),
    'the band change waits in the outbox',
  );
  t.false(
    published.some((event) => event.type === 'BandChanged'),
    'and went nowhere else either',
  );

  storeDown = false;
  await poll.execute();
  await poll.execute();
  t.like(await w.deliver.execute(), { delivered: 1 });
  t.deepEqual(
    w.bodies().map((body) => body['observedAt']),
    ['2020-08-01T04:50:00.000Z'],
  );
  t.deepEqual(await outbox.pending(), []);
});
