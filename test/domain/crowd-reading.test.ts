import test from 'ava';
import { crowdReadingOf, readingKey } from '../../domain/crowd-reading.js';

test('a reading keeps its venue, band and instant', (t) => {
  const result = crowdReadingOf({ venueId: 'v1', band: 2, trend: false, observedAt: new Date('2020-08-01T04:48:00Z') });
  t.true(result.ok);
  if (result.ok) t.is(result.value.observedAt.toISOString(), '2020-08-01T04:48:00.000Z');
});

test('a trend that is not a boolean is unknown, not refused', (t) => {
  const result = crowdReadingOf({ venueId: 'v1', band: 1, trend: 'up', observedAt: new Date() });
  t.true(result.ok && result.value.trend === null);
});

test('an instant that is not a real time is refused', (t) => {
  const result = crowdReadingOf({ venueId: 'v1', band: 1, trend: false, observedAt: new Date('yesterday') });
  t.false(result.ok);
  if (!result.ok) t.regex(result.error, /not a real time/);
});

test('a band outside 0-3 is refused and the reason names the venue', (t) => {
  const result = crowdReadingOf({ venueId: 'v9', band: 7, trend: false, observedAt: new Date() });
  t.false(result.ok);
  if (!result.ok) t.regex(result.error, /v9/);
});

test('two readings of the same venue at the same instant share one identity', (t) => {
  const at = '2020-08-01T04:48:00Z';
  const a = crowdReadingOf({ venueId: 'v1', band: 1, trend: false, observedAt: new Date(at) });
  const b = crowdReadingOf({ venueId: 'v1', band: 2, trend: true, observedAt: new Date(at) });
  t.true(a.ok && b.ok && readingKey(a.value) === readingKey(b.value));
});
