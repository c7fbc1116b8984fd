import test from 'ava';
import { mapFacility } from '../../../adapters/spaceout/map-facility.js';

const entry = { id: '1a2b3c4d5e6f708192a3b4c5d6e7f809', band: 2, createdAt: '01 August 2020, 12:48 PM', trend: false };

test('a facilities entry becomes a reading at the UTC instant of its Singapore createdAt', (t) => {
  const result = mapFacility(entry);
  t.true(result.ok);
  if (!result.ok) return;
  t.is(result.value.venueId, entry.id);
  t.is(result.value.band, 2);
  t.is(result.value.trend, false);
  t.is(result.value.observedAt.toISOString(), '2020-08-01T04:48:00.000Z');
});

test('a trend that is not a boolean becomes null', (t) => {
  const result = mapFacility({ ...entry, trend: 'rising' });
  t.is(result.ok && result.value.trend, null);
});

test('band 7 is refused with the id in the reason', (t) => {
  t.deepEqual(mapFacility({ ...entry, id: '8001', band: 7 }), {
    ok: false,
    error: 'reading of 8001: band must be an integer from 0 to 3, got 7',
  });
});

test('band "high" is refused', (t) => {
  t.false(mapFacility({ ...entry, band: 'high' }).ok);
});

test('a createdAt of "yesterday" is refused with the id in the reason', (t) => {
  const result = mapFacility({ ...entry, id: '8003', createdAt: 'yesterday' });
  t.regex(result.ok ? '' : result.error, /^reading of 8003: createdAt "yesterday"/);
});

test('an empty id is refused', (t) => {
  const result = mapFacility({ ...entry, id: '' });
  t.regex(result.ok ? '' : result.error, /id is empty/);
});

test('an entry that is not an object is refused', (t) => {
  t.regex((mapFacility(null) as { error: string }).error, /not an object: null/);
});
