// The machine's zone must not matter: run this file in New York time and prove it took effect.
process.env.TZ = 'America/New_York';

import test from 'ava';
import { formatSingaporeTime, parseSingaporeTime } from '../../../adapters/spaceout/singapore-time.js';

const instant = (text: unknown) => {
  const result = parseSingaporeTime(text);
  return result.ok ? result.value.toISOString() : `refused: ${result.error}`;
};

test('this file really runs in New York time', (t) => {
  t.is(new Date(2020, 7, 1).getTimezoneOffset(), 240);
});

test('a createdAt of 01 August 2020, 12:48 PM is 04:48 UTC whatever the machine zone', (t) => {
  t.is(instant('01 August 2020, 12:48 PM'), '2020-08-01T04:48:00.000Z');
});

test('12 AM is midnight and 12 PM is noon, Singapore time', (t) => {
  t.is(instant('01 August 2020, 12:05 AM'), '2020-07-31T16:05:00.000Z');
  t.is(instant('01 August 2020, 12:05 PM'), '2020-08-01T04:05:00.000Z');
});

test('a single-digit day and lower-case pm are accepted', (t) => {
  t.is(instant('1 August 2020, 1:00 pm'), '2020-08-01T05:00:00.000Z');
});

test('12:00 AM on New Year is the previous year in UTC', (t) => {
  t.is(instant('01 January 2021, 12:00 AM'), '2020-12-31T16:00:00.000Z');
});

test('11:59 PM is 15:59 UTC the same day', (t) => {
  t.is(instant('01 August 2020, 11:59 PM'), '2020-08-01T15:59:00.000Z');
});

test('hour 13 with PM or hour 0 is refused', (t) => {
  t.regex(instant('01 August 2020, 13:00 PM'), /^refused/);
  t.regex(instant('01 August 2020, 0:30 AM'), /^refused/);
});

test('doubled spaces, a missing comma and short month names are tolerated', (t) => {
  t.is(instant('  01  Aug 2020 12:48PM '), '2020-08-01T04:48:00.000Z');
  t.is(instant('1 Sept 2020, 9:05 a.m.'), '2020-09-01T01:05:00.000Z');
});

test('ISO 8601 without an offset is Singapore time', (t) => {
  t.is(instant('2020-08-01T12:48:00'), '2020-08-01T04:48:00.000Z');
});

test('ISO 8601 with Z or an offset is taken as given', (t) => {
  t.is(instant('2020-08-01T04:48:00.000Z'), '2020-08-01T04:48:00.000Z');
  t.is(instant('2020-08-01T12:48:00+08:00'), '2020-08-01T04:48:00.000Z');
  t.is(instant('2020-08-01T00:48:00-0400'), '2020-08-01T04:48:00.000Z');
  t.is(instant('2020-08-01T04:48:00.123456Z'), '2020-08-01T04:48:00.123Z');
});

test('an ISO offset beyond 14 hours is refused', (t) => {
  t.regex(instant('2020-08-01T12:48:00+25:00'), /^refused: .*offset/);
});

test('dates that do not exist are refused', (t) => {
  t.regex(instant('31 February 2020, 12:00 PM'), /^refused: .*not a real time/);
  t.regex(instant('2020-02-30T10:00:00Z'), /^refused/);
  t.regex(instant('01 Smarch 2020, 12:00 PM'), /^refused/);
});

test('junk and non-text are refused with the value in the reason', (t) => {
  t.regex(instant('yesterday'), /^refused: createdAt "yesterday"/);
  t.regex(instant(1596257280000), /^refused: createdAt must be text/);
});

test('formatting and parsing the site text round-trip to the minute', (t) => {
  const at = new Date('2026-11-25T13:07:00.000Z');
  t.is(formatSingaporeTime(at), '25 November 2026, 09:07 PM');
  t.is(instant(formatSingaporeTime(at)), at.toISOString());
});

test('a date without a time of day is refused: a reading is observed at a moment', (t) => {
  t.is(instant('2020-08-01'), 'refused: createdAt "2020-08-01" has no time of day');
});
