import test, { type ExecutionContext } from 'ava';
import type { PendingDelivery, StoredSubscription, SubscriptionRepository } from '../../application/ports/subscription-repository.js';
import { afterDelivery, NEW_SUBSCRIPTION_STATE, type DeliveryRecord } from '../../domain/subscription.js';
import { aSubscription } from '../support/builders.js';

/** A fresh, empty store; `twin` is a second repository instance over the same data (for races). */
export interface SubscriptionFixture {
  readonly subscriptions: SubscriptionRepository;
  readonly twin: SubscriptionRepository;
}

const stored = (id: string, overrides: Partial<StoredSubscription['subscription']> = {}): StoredSubscription => ({
  subscription: aSubscription({ id, ...overrides }),
  secretHash: `hash-of-${id}`,
  sealedSecret: `v1.sealed.${id}.tag`,
  state: NEW_SUBSCRIPTION_STATE,
});

const aDelivery = (deliveryId: string, queuedAt = '2020-08-01T05:00:00Z', subscriptionId = 'sub-1'): PendingDelivery => ({
  deliveryId,
  payload: {
    subscriptionId,
    venueId: 'v1',
    venueName: 'Tampines Mart',
    band: 0,
    bandLabel: 'not crowded',
    observedAt: new Date('2020-08-01T04:50:00Z'),
  },
  queuedAt: new Date(queuedAt),
});

const at = (time: string) => new Date(`2020-08-01T${time}Z`);
const record = (i: number): DeliveryRecord => ({
  deliveryId: `d${i}`,
  venueId: 'v1',
  band: 0,
  observedAt: at('04:50:00'),
  outcome: 'delivered',
  attempts: 1,
  detail: 'HTTP 204',
  finishedAt: at('04:51:00'),
});

/** The behaviour every implementation of the subscription repository must have. */
export function subscriptionContract(name: string, fixture: () => Promise<SubscriptionFixture>): void {
  const it = (title: string, body: (f: SubscriptionFixture, t: ExecutionContext) => Promise<void>) =>
    test(`${name} subscriptions: ${title}`, async (t) => body(await fixture(), t));

  it('a subscription comes back whole from get, instants as Dates, and what matching needs of it from all', async ({
    subscriptions,
  }, t) => {
    const near = stored('sub-near', {
      watch: { kind: 'near', centre: { lat: 1.3526, lng: 103.9447 }, radiusMetres: 1500, type: 'SUPERMARKET' },
      between: { from: 420, to: 1320 },
      cooldownMinutes: 30,
    });
    await subscriptions.add(near);
    await subscriptions.add(stored('sub-venue'));
    await subscriptions.updateState('sub-venue', (state) => ({ ...state, lastNotifiedAt: at('04:50:00'), recentDeliveries: [record(1)] }));
    t.deepEqual(await subscriptions.get('sub-near'), near);
    t.deepEqual((await subscriptions.get('sub-venue'))?.state.recentDeliveries, [record(1)]);
    t.deepEqual(
      [...(await subscriptions.all())].sort((a, b) => (a.subscription.id < b.subscription.id ? -1 : 1)),
      [
        { subscription: near.subscription, status: 'active', lastNotifiedAt: null },
        { subscription: stored('sub-venue').subscription, status: 'active', lastNotifiedAt: at('04:50:00') },
      ],
    );
  });

  it('an unknown subscription is null, and removing it says there was none', async ({ subscriptions }, t) => {
    t.is(await subscriptions.get('nobody'), null);
    t.false(await subscriptions.remove('nobody'));
  });

  it('a removed subscription is gone from get and all', async ({ subscriptions }, t) => {
    await subscriptions.add(stored('sub-1'));
    t.true(await subscriptions.remove('sub-1'));
    t.is(await subscriptions.get('sub-1'), null);
    t.deepEqual(await subscriptions.all(), []);
  });

  it('a state change is stored and returned; on a gone subscription it is null', async ({ subscriptions }, t) => {
    await subscriptions.add(stored('sub-1'));
    const changed = await subscriptions.updateState('sub-1', (state) => ({ ...state, lastNotifiedAt: at('04:50:00') }));
    t.deepEqual(changed?.lastNotifiedAt, at('04:50:00'));
    t.deepEqual((await subscriptions.get('sub-1'))?.state.lastNotifiedAt, at('04:50:00'));
    t.is(await subscriptions.updateState('nobody', (state) => state), null);
  });

  it('state changes racing from two writers all land', async ({ subscriptions, twin }, t) => {
    await subscriptions.add(stored('sub-1'));
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? subscriptions : twin).updateState('sub-1', (state) => afterDelivery(state, record(i), 5)),
      ),
    );
    t.is((await subscriptions.get('sub-1'))?.state.delivered, 8);
  });

  it('pending deliveries come back whole, oldest first', async ({ subscriptions }, t) => {
    await subscriptions.enqueue([aDelivery('later', '2020-08-01T05:10:00Z'), aDelivery('earlier', '2020-08-01T05:00:00Z')]);
    t.deepEqual(await subscriptions.pendingDeliveries(), [
      aDelivery('earlier', '2020-08-01T05:00:00Z'),
      aDelivery('later', '2020-08-01T05:10:00Z'),
    ]);
  });

  it('queueing a delivery again keeps the one queued, claim and all', async ({ subscriptions }, t) => {
    await subscriptions.enqueue([aDelivery('d1')]);
    t.true(await subscriptions.claim('d1', 'first', at('05:10:00'), at('05:00:00')));
    await subscriptions.enqueue([aDelivery('d1', '2020-08-01T05:05:00Z')]);
    t.deepEqual(await subscriptions.pendingDeliveries(), [aDelivery('d1')]);
    t.false(await subscriptions.claim('d1', 'second', at('05:20:00'), at('05:06:00')));
  });

  it('a claim is exclusive until it expires; its holder may renew it', async ({ subscriptions, twin }, t) => {
    await subscriptions.enqueue([aDelivery('d1')]);
    t.true(await subscriptions.claim('d1', 'first', at('05:10:00'), at('05:00:00')));
    t.false(await twin.claim('d1', 'second', at('05:15:00'), at('05:05:00')));
    t.true(await subscriptions.claim('d1', 'first', at('05:20:00'), at('05:05:00')));
    t.false(await twin.claim('d1', 'second', at('05:25:00'), at('05:15:00')), 'renewed until 05:20');
    t.true(await twin.claim('d1', 'second', at('05:35:00'), at('05:21:00')), 'expired: taken over');
    t.false(await subscriptions.claim('nothing', 'first', at('05:10:00'), at('05:00:00')), 'no such delivery');
  });

  it('two senders claiming at once: exactly one wins', async ({ subscriptions, twin }, t) => {
    await subscriptions.enqueue([aDelivery('d1')]);
    const wins = await Promise.all([
      subscriptions.claim('d1', 'first', at('05:10:00'), at('05:00:00')),
      twin.claim('d1', 'second', at('05:10:00'), at('05:00:00')),
    ]);
    t.is(wins.filter(Boolean).length, 1);
  });

  it('a released delivery stays pending and anyone may claim it', async ({ subscriptions, twin }, t) => {
    await subscriptions.enqueue([aDelivery('d1')]);
    await subscriptions.claim('d1', 'first', at('05:10:00'), at('05:00:00'));
    await twin.release('d1', 'second');
    t.false(await twin.claim('d1', 'second', at('05:10:00'), at('05:01:00')), 'only the holder releases');
    await subscriptions.release('d1', 'first');
    t.is((await subscriptions.pendingDeliveries()).length, 1);
    t.true(await twin.claim('d1', 'second', at('05:10:00'), at('05:01:00')));
  });

  it('only the holder of the claim finishes a delivery; one taken over is finished by its new holder', async ({
    subscriptions,
    twin,
  }, t) => {
    await subscriptions.enqueue([aDelivery('d1')]);
    t.false(await subscriptions.finish('d1', 'first'), 'unclaimed');
    await subscriptions.claim('d1', 'first', at('05:10:00'), at('05:00:00'));
    await twin.claim('d1', 'second', at('05:30:00'), at('05:11:00'));
    t.false(await subscriptions.finish('d1', 'first'), 'its claim was lost');
    t.true(await twin.finish('d1', 'second'));
    t.deepEqual(await subscriptions.pendingDeliveries(), []);
    t.false(await twin.finish('d1', 'second'), 'already gone');
  });
}
