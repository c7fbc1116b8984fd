import test from 'ava';
import { planRange } from '../../../adapters/dynamodb/range-decomposition.js';

const plan = (from: string, to: string) => planRange(new Date(from), new Date(to));

test('a range inside one hour is read from raw readings only', (t) => {
  t.deepEqual(plan('2020-08-01T04:10:00Z', '2020-08-01T04:20:00Z'), {
    raw: [{ hour: '2020-08-01T04', from: '2020-08-01T04:10:00.000Z', to: '2020-08-01T04:20:00.000Z' }],
    hours: [],
    days: [],
  });
});

test('whole hours come from hour rollups and the ragged ends from raw readings', (t) => {
  t.deepEqual(plan('2020-08-01T04:10:00Z', '2020-08-01T07:05:00Z'), {
    raw: [
      { hour: '2020-08-01T04', from: '2020-08-01T04:10:00.000Z', to: '2020-08-01T05:00:00.000Z' },
      { hour: '2020-08-01T07', from: '2020-08-01T07:00:00.000Z', to: '2020-08-01T07:05:00.000Z' },
    ],
    hours: ['2020-08-01T05', '2020-08-01T06'],
    days: [],
  });
});

test('a Singapore day, 16:00Z to 16:00Z, is one day rollup', (t) => {
  t.deepEqual(plan('2020-07-31T16:00:00Z', '2020-08-01T16:00:00Z'), { raw: [], hours: [], days: ['2020-08-01'] });
});

test('a UTC day is not a Singapore day: it is read as hours around one partial day', (t) => {
  const { days, hours } = plan('2020-08-01T00:00:00Z', '2020-08-02T00:00:00Z');
  t.deepEqual(days, []);
  t.is(hours.length, 24);
});

test('thirty ragged days need at most 29 days, 46 hours and 2 raw segments', (t) => {
  const { raw, hours, days } = plan('2020-08-01T04:10:00Z', '2020-08-31T04:10:00Z');
  t.is(raw.length, 2);
  t.is(days.length, 29);
  t.true(hours.length <= 46);
});

test('an empty or reversed range reads nothing', (t) => {
  t.deepEqual(plan('2020-08-01T04:00:00Z', '2020-08-01T04:00:00Z'), { raw: [], hours: [], days: [] });
});
