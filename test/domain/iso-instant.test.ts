// The machine's zone must not matter: run this file in New York time.
process.env.TZ = 'America/New_York';

import test from 'ava';
import { parseIsoInstant } from '../../domain/iso-instant.js';

const parsed = (text: string) => {
  const result = parseIsoInstant(text);
  return result.ok ? result.value.instant.toISOString() : `refused: ${result.error}`;
};

test('a date alone is the start of that Singapore day, and says so', (t) => {
  t.is(parsed('2020-08-01'), '2020-07-31T16:00:00.000Z');
  t.like(parseIsoInstant('2020-08-01'), { ok: true, value: { dateOnly: true } });
});

test('a date and time without an offset is Singapore time', (t) => {
  t.is(parsed('2020-08-01T12:48'), '2020-08-01T04:48:00.000Z');
  t.is(parsed('2020-08-01 12:48:30'), '2020-08-01T04:48:30.000Z', 'a space may stand for T');
});

test('offsets may be Z, ±hh, ±hhmm or ±hh:mm, in either case', (t) => {
  for (const text of [
    '2020-08-01T04:48Z',
    '2020-08-01t04:48z',
    '2020-08-01T12:48+08',
    '2020-08-01T12:48+0800',
    '2020-08-01T12:48+08:00',
    '2020-08-01T00:18-04:30',
  ]) {
    t.is(parsed(text), '2020-08-01T04:48:00.000Z', text);
  }
});

test('fractions keep their milliseconds and say when finer digits were left out', (t) => {
  t.is(parsed('2020-08-01T04:48:00.1234Z'), '2020-08-01T04:48:00.123Z');
  t.is(parsed('2020-08-01T04:48:00,5Z'), '2020-08-01T04:48:00.500Z');
  t.like(parseIsoInstant('2020-08-01T04:48:00.123000000Z'), { ok: true, value: { finerThanMilliseconds: false } });
  t.like(parseIsoInstant('2020-08-01T04:48:00.123000001Z'), { ok: true, value: { finerThanMilliseconds: true } });
});

test('times that do not exist, offsets beyond ±14:00 and other text are refused with the reason', (t) => {
  t.is(parsed('2020-02-30'), 'refused: is not a real time');
  t.is(parsed('2020-08-01T24:00'), 'refused: is not a real time');
  t.is(parsed('2020-13-01'), 'refused: is not a real time');
  t.is(parsed('2020-08-01T12:00+15:00'), 'refused: has an offset beyond ±14:00');
  for (const text of ['yesterday', '2020-8-1', '2020-08-01T12', '2020-08-01Z', ' 2020-08-01', '2020-08-01T12:00:00.1234567890Z'])
    t.is(parsed(text), 'refused: is not ISO 8601', text);
});
