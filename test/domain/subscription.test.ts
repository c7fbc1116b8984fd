import test from 'ava';
import {
  afterDelivery,
  alertDue,
  isQuietAlert,
  NEW_SUBSCRIPTION_STATE,
  RECENT_DELIVERIES,
  resumed,
  singaporeHoursOf,
  withinHours,
  type DeliveryRecord,
} from '../../domain/subscription.js';
import { aBandChange, aSubscription, aVenue } from '../support/builders.js';

const tampines = aVenue({ id: 'v1', type: 'SUPERMARKET', lat: 1.3526, lng: 103.9447 });

test('a drop from above maxBand to at or below it is an alert', (t) => {
  const subscription = aSubscription({ maxBand: 1 });
  t.true(isQuietAlert(subscription, aBandChange('v1', '2020-08-01T04:00:00Z', 2, 1), tampines));
  t.true(isQuietAlert(subscription, aBandChange('v1', '2020-08-01T04:00:00Z', 3, 0), tampines));
});

test('a venue that was already quiet getting quieter is not a new alert, nor is a rise', (t) => {
  const subscription = aSubscription({ maxBand: 1 });
  t.false(isQuietAlert(subscription, aBandChange('v1', '2020-08-01T04:00:00Z', 1, 0), tampines));
  t.false(isQuietAlert(subscription, aBandChange('v1', '2020-08-01T04:00:00Z', 0, 2), tampines));
  t.false(isQuietAlert(subscription, aBandChange('v1', '2020-08-01T04:00:00Z', 3, 2), tampines));
});

test('a venue subscription ignores every other venue', (t) => {
  t.false(isQuietAlert(aSubscription(), aBandChange('v2', '2020-08-01T04:00:00Z', 3, 0), aVenue({ id: 'v2' })));
});

test('a nearby subscription takes active venues within the radius, of its type when it has one', (t) => {
  const near = aSubscription({ watch: { kind: 'near', centre: { lat: 1.3526, lng: 103.9447 }, radiusMetres: 1000, type: 'SUPERMARKET' } });
  const drop = (venueId: string) => aBandChange(venueId, '2020-08-01T04:00:00Z', 2, 0);
  t.true(isQuietAlert(near, drop('v1'), tampines));
  t.false(isQuietAlert(near, drop('far'), aVenue({ id: 'far', type: 'SUPERMARKET', lat: 1.3626, lng: 103.9447 })), 'about 1.1 km away');
  t.false(isQuietAlert(near, drop('mall'), aVenue({ id: 'mall', type: 'MALL', lat: 1.3527, lng: 103.9447 })));
  t.false(isQuietAlert(near, drop('gone'), aVenue({ id: 'gone', type: 'SUPERMARKET', active: false })));
  t.false(isQuietAlert(near, drop('orphan'), undefined), 'an id with no venue has no location');
  const anyType = aSubscription({ watch: { kind: 'near', centre: { lat: 1.3526, lng: 103.9447 }, radiusMetres: 1000, type: null } });
  t.true(isQuietAlert(anyType, drop('mall'), aVenue({ id: 'mall', type: 'MALL', lat: 1.3527, lng: 103.9447 })));
});

test('between is Singapore time, from inclusive and to exclusive, and may span midnight', (t) => {
  const day = singaporeHoursOf('07:00', '22:00');
  const night = singaporeHoursOf('22:00', '06:30');
  if (!day.ok || !night.ok) return t.fail();
  // 2020-07-31T23:00:00Z is 07:00 on 1 August in Singapore.
  t.true(withinHours(day.value, new Date('2020-07-31T23:00:00Z')));
  t.false(withinHours(day.value, new Date('2020-08-01T14:00:00Z')), '22:00 in Singapore');
  t.true(withinHours(night.value, new Date('2020-08-01T14:00:00Z')));
  t.true(withinHours(night.value, new Date('2020-08-01T22:29:00Z')), '06:29 the next morning');
  t.false(withinHours(night.value, new Date('2020-08-01T22:30:00Z')));
  const subscription = aSubscription({ between: day.value });
  t.false(isQuietAlert(subscription, aBandChange('v1', '2020-08-01T14:30:00Z', 2, 0), tampines), 'a drop at 22:30 is not announced');
});

test('hours are HH:MM and must differ', (t) => {
  t.like(singaporeHoursOf('7:00', '22:00'), { ok: false });
  t.like(singaporeHoursOf('07:00', '24:00'), { ok: false });
  t.like(singaporeHoursOf('07:00', '07:00'), { ok: false });
  t.deepEqual(singaporeHoursOf('00:00', '23:59'), { ok: true, value: { from: 0, to: 1439 } });
});

test('an alert is due unless a newer or equal drop was announced, or the cooldown has not passed', (t) => {
  const at = (time: string) => new Date(`2020-08-01T${time}:00Z`);
  const plain = aSubscription({ cooldownMinutes: 0 });
  t.true(alertDue(plain, null, at('04:00')));
  t.false(alertDue(plain, at('04:00'), at('04:00')), 'the same drop again');
  t.false(alertDue(plain, at('04:10'), at('04:00')), 'older news');
  t.true(alertDue(plain, at('04:00'), at('04:05')));
  const cooling = aSubscription({ cooldownMinutes: 30 });
  t.false(alertDue(cooling, at('04:00'), at('04:29')));
  t.true(alertDue(cooling, at('04:00'), at('04:30')));
});

const record = (outcome: 'delivered' | 'failed', deliveryId = `d-${Math.random()}`): DeliveryRecord => ({
  deliveryId,
  venueId: 'v1',
  band: 0,
  observedAt: new Date('2020-08-01T04:00:00Z'),
  outcome,
  attempts: 1,
  detail: outcome === 'delivered' ? 'HTTP 204' : 'HTTP 500',
  finishedAt: new Date('2020-08-01T04:01:00Z'),
});

test('failed deliveries in a row pause the subscription and say why; a success in between resets the count', (t) => {
  let state = NEW_SUBSCRIPTION_STATE;
  state = afterDelivery(state, record('failed'), 3);
  state = afterDelivery(state, record('failed'), 3);
  state = afterDelivery(state, record('delivered'), 3);
  t.like(state, { status: 'active', consecutiveFailures: 0, delivered: 1, failed: 2 });
  for (let i = 0; i < 3; i++) state = afterDelivery(state, record('failed'), 3);
  t.like(state, {
    status: 'paused',
    consecutiveFailures: 3,
    failed: 5,
    pauseReason: 'paused after 3 failed deliveries in a row; the last: HTTP 500',
  });
  t.deepEqual(state.pausedAt, new Date('2020-08-01T04:01:00Z'));
});

test('a resumed subscription is active again and its failures in a row are forgotten; its counts and history stay', (t) => {
  let paused = NEW_SUBSCRIPTION_STATE;
  for (let i = 0; i < 3; i++) paused = afterDelivery(paused, record('failed'), 3);
  const state = resumed(paused);
  t.like(state, { status: 'active', pausedAt: null, pauseReason: null, consecutiveFailures: 0, failed: 3 });
  t.deepEqual(state.recentDeliveries, paused.recentDeliveries);
  t.like(
    afterDelivery(state, record('failed'), 3),
    { status: 'active', consecutiveFailures: 1 },
    'one more failure does not pause it again',
  );
});

test('resuming an active subscription changes nothing', (t) => {
  const active = afterDelivery(NEW_SUBSCRIPTION_STATE, record('failed'), 3);
  t.is(resumed(active), active);
});

test('a subscription remembers its recent deliveries, newest first, a bounded number of them', (t) => {
  let state = NEW_SUBSCRIPTION_STATE;
  for (let i = 0; i < RECENT_DELIVERIES + 5; i++) state = afterDelivery(state, record('delivered', `d${i}`), 5);
  t.is(state.recentDeliveries.length, RECENT_DELIVERIES);
  t.is(state.recentDeliveries[0]!.deliveryId, `d${RECENT_DELIVERIES + 4}`);
  t.is(state.delivered, RECENT_DELIVERIES + 5);
});
