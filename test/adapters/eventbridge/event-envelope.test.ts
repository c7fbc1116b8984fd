import test from 'ava';
import { deterministicId, toEnvelope } from '../../../adapters/eventbridge/event-envelope.js';
import type { DomainEvent } from '../../../domain/events.js';
import type { Venue } from '../../../domain/venue.js';
import { aReading, aVenue } from '../../support/builders.js';
import { SAMPLE_EVENTS, SAMPLE_EVENT_LIST } from './sample-events.js';

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const AT = new Date('2020-08-01T05:00:00Z');

const reading = (venueId: string, observedAt: string, band: number): DomainEvent => ({
  type: 'ReadingRecorded',
  reading: aReading(venueId, observedAt, band),
});

test('every envelope has the service source, a UUID-shaped id and the id again as detail.eventId', (t) => {
  for (const event of SAMPLE_EVENT_LIST) {
    const envelope = toEnvelope(event);
    t.is(envelope.source, 'spaceout.crowd');
    t.regex(envelope.id, UUID_SHAPE);
    t.is(envelope.detail.eventId, envelope.id);
  }
});

test('every detail starts with eventId and schemaVersion', (t) => {
  for (const event of SAMPLE_EVENT_LIST) {
    t.deepEqual(Object.keys(toEnvelope(event).detail).slice(0, 2), ['eventId', 'schemaVersion']);
  }
});

test('a detail is plain JSON: it survives a JSON round trip unchanged and holds no Date', (t) => {
  for (const event of SAMPLE_EVENT_LIST) {
    const { detail } = toEnvelope(event);
    t.deepEqual(JSON.parse(JSON.stringify(detail)), detail);
  }
});

test('a reading event names its venue, band, trend and UTC observation time in well under 1 KB', (t) => {
  const envelope = toEnvelope(SAMPLE_EVENTS.ReadingRecorded);
  t.like(envelope, { detailType: 'Reading Recorded', time: '2020-08-01T04:50:00.000Z' });
  t.like(envelope.detail, { schemaVersion: 1, venueId: 'a1b2c3', band: 2, trend: true, observedAt: '2020-08-01T04:50:00.000Z' });
  t.true(Buffer.byteLength(JSON.stringify(envelope.detail)) < 256);
});

test('a venue event is timed by the poll that noticed it', (t) => {
  const envelope = toEnvelope(SAMPLE_EVENTS.VenueAppeared);
  t.is(envelope.time, '2020-08-01T05:00:00.000Z');
  t.is(envelope.detail['detectedAt'], '2020-08-01T05:00:00.000Z');
});

test('a venue change lists the fields that changed', (t) => {
  t.deepEqual(toEnvelope(SAMPLE_EVENTS.VenueChanged).detail['changedFields'], ['name']);
});

test('a poll summary keeps its counts but at most ten rejection reasons of at most 300 characters', (t) => {
  const summary = {
    ...SAMPLE_EVENTS.PollCompleted.summary,
    rejections: Array.from({ length: 5000 }, (_, i) => `record ${i}: ${'x'.repeat(1000)}`),
  };
  const detail = toEnvelope({ type: 'PollCompleted', summary }).detail;
  const samples = detail['rejectionSamples'] as string[];
  t.is(samples.length, 10);
  t.true(samples.every((sample) => sample.length <= 300));
  t.true(Buffer.byteLength(JSON.stringify(detail)) < 4096);
});

test('the same reading published twice gets the same id', (t) => {
  t.is(toEnvelope(reading('v1', '2020-08-01T04:50:00Z', 2)).id, toEnvelope(reading('v1', '2020-08-01T04:50:00Z', 2)).id);
});

test('readings of another venue or another instant get different ids', (t) => {
  const ids = new Set(
    [reading('v1', '2020-08-01T04:50:00Z', 2), reading('v2', '2020-08-01T04:50:00Z', 2), reading('v1', '2020-08-01T04:51:00Z', 2)].map(
      (e) => toEnvelope(e).id,
    ),
  );
  t.is(ids.size, 3);
});

test('a band change and the reading it came from get different ids', (t) => {
  const change: DomainEvent = {
    type: 'BandChanged',
    venueId: 'a1b2c3',
    previousBand: 1,
    band: 2,
    observedAt: new Date('2020-08-01T04:50:00Z'),
  };
  t.not(toEnvelope(change).id, toEnvelope(reading('a1b2c3', '2020-08-01T04:50:00Z', 2)).id);
});

test('band changes from another previous band get different ids', (t) => {
  const at = new Date('2020-08-01T04:50:00Z');
  const fromOne = toEnvelope({ type: 'BandChanged', venueId: 'v1', previousBand: 1, band: 2, observedAt: at });
  const fromZero = toEnvelope({ type: 'BandChanged', venueId: 'v1', previousBand: 0, band: 2, observedAt: at });
  t.not(fromOne.id, fromZero.id);
});

test('a venue appearing with the same details gets the same id, with other details another id', (t) => {
  const appeared = (name: string) => toEnvelope({ type: 'VenueAppeared', venue: aVenue({ id: 'v1', name }), detectedAt: AT }).id;
  t.is(appeared('Alpha Mall'), appeared('Alpha Mall'));
  t.not(appeared('Alpha Mall'), appeared('Beta Mall'));
});

test('a venue appearing and the same venue vanishing get different ids', (t) => {
  const venue = aVenue({ id: 'v1' });
  t.not(toEnvelope({ type: 'VenueAppeared', venue, detectedAt: AT }).id, toEnvelope({ type: 'VenueVanished', venue, detectedAt: AT }).id);
});

test('a venue vanishing again, after it came back, gets a new id', (t) => {
  const venue = aVenue({ id: 'v1', active: false });
  const later = new Date(AT.getTime() + 10 * 60_000);
  t.not(
    toEnvelope({ type: 'VenueVanished', venue, detectedAt: AT }).id,
    toEnvelope({ type: 'VenueVanished', venue, detectedAt: later }).id,
  );
});

test('a venue change back and forth gets a different id each way', (t) => {
  const before = aVenue({ id: 'v1', name: 'Alpha Mall' });
  const after = aVenue({ id: 'v1', name: 'Alpha Mall East' });
  const changed = (previous: Venue, venue: Venue) => toEnvelope({ type: 'VenueChanged', previous, venue, detectedAt: AT }).id;
  t.not(changed(before, after), changed(after, before));
});

test('a poll completing and failing are told apart, and polls by their start time', (t) => {
  const startedAt = new Date('2020-08-01T05:00:00Z');
  const failed = (start: Date, reason: string) =>
    toEnvelope({ type: 'PollFailed', startedAt: start, failedAt: new Date('2020-08-01T05:00:09Z'), reason }).id;
  const completed = toEnvelope({ type: 'PollCompleted', summary: { ...SAMPLE_EVENTS.PollCompleted.summary, startedAt } }).id;
  t.is(failed(startedAt, 'timeout'), failed(startedAt, 'timeout'));
  t.not(failed(startedAt, 'timeout'), completed);
  t.not(failed(startedAt, 'timeout'), failed(new Date('2020-08-01T05:05:00Z'), 'timeout'));
});

test('ids of the samples of every event type are all different', (t) => {
  t.is(new Set(SAMPLE_EVENT_LIST.map((event) => toEnvelope(event).id)).size, SAMPLE_EVENT_LIST.length);
});

test('the id does not depend on how its parts could be glued together', (t) => {
  t.not(deterministicId('ab', 'c'), deterministicId('a', 'bc'));
});
