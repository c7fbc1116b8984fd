import test from 'ava';
import fc from 'fast-check';
import { dayBlocks, planRange } from '../../../adapters/dynamodb/range-decomposition.js';
import { singaporeDayNumber } from '../../../domain/singapore-calendar.js';
import { readableSpan } from '../../../adapters/dynamodb/dynamo-reading-repository.js';

const plan = (from: string, to: string) => planRange(new Date(from), new Date(to));

test('a range inside one hour is read from raw readings only', (t) => {
  t.deepEqual(plan('2020-08-01T04:10:00Z', '2020-08-01T04:20:00Z'), {
    raw: [{ hour: '2020-08-01T04', from: '2020-08-01T04:10:00.000Z', to: '2020-08-01T04:20:00.000Z' }],
    hours: [],
    blocks: [],
  });
});

test('whole hours come from hour rollups and the ragged ends from raw readings', (t) => {
  t.deepEqual(plan('2020-08-01T04:10:00Z', '2020-08-01T07:05:00Z'), {
    raw: [
      { hour: '2020-08-01T04', from: '2020-08-01T04:10:00.000Z', to: '2020-08-01T05:00:00.000Z' },
      { hour: '2020-08-01T07', from: '2020-08-01T07:00:00.000Z', to: '2020-08-01T07:05:00.000Z' },
    ],
    hours: ['2020-08-01T05', '2020-08-01T06'],
    blocks: [],
  });
});

test('a Singapore day, 16:00Z to 16:00Z, is one day rollup', (t) => {
  const day = singaporeDayNumber(Date.parse('2020-08-01T00:00:00+08:00'));
  t.deepEqual(plan('2020-07-31T16:00:00Z', '2020-08-01T16:00:00Z'), { raw: [], hours: [], blocks: [{ level: 0, index: day }] });
});

test('a UTC day is not a Singapore day: it is read as hours around one partial day', (t) => {
  const { blocks, hours } = plan('2020-08-01T00:00:00Z', '2020-08-02T00:00:00Z');
  t.deepEqual(blocks, []);
  t.is(hours.length, 24);
});

test('thirty ragged days need at most 10 day blocks, 46 hours and 2 raw segments', (t) => {
  const { raw, hours, blocks } = plan('2020-08-01T04:10:00Z', '2020-08-31T04:10:00Z');
  t.is(raw.length, 2);
  t.true(blocks.length <= 10, `${blocks.length} blocks`);
  t.true(hours.length <= 46);
});

test('day blocks tile any run of days exactly, aligned, at most two per level', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 18_000, max: 19_000 }), fc.integer({ min: 1, max: 400 }), (first, length) => {
      const blocks = dayBlocks(first, first + length);
      let day = first;
      for (const block of blocks) {
        if (block.index * 2 ** block.level !== day) return false;
        day += 2 ** block.level;
      }
      const perLevel = new Map<number, number>();
      for (const block of blocks) perLevel.set(block.level, (perLevel.get(block.level) ?? 0) + 1);
      return day === first + length && [...perLevel.entries()].every(([level, count]) => level === 5 || count <= 2);
    }),
  );
  t.pass();
});

test('an empty or reversed range reads nothing', (t) => {
  t.deepEqual(plan('2020-08-01T04:00:00Z', '2020-08-01T04:00:00Z'), { raw: [], hours: [], blocks: [] });
});

test('a range of two centuries is read only where readings can exist, in a few dozen partitions', (t) => {
  const now = Date.parse('2026-11-25T03:00:00Z');
  const [from, to] = readableSpan({ from: new Date('1900-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z') }, now);
  t.is(from.toISOString(), '2019-12-31T16:00:00.000Z');
  t.is(to.toISOString(), '2026-11-26T03:00:00.000Z');
  const { raw, hours, blocks } = planRange(from, to);
  t.true(raw.length + hours.length + blocks.length < 120, `${raw.length + hours.length + blocks.length} partitions`);
});

test('a range entirely before 2020 reads nothing', (t) => {
  const [from, to] = readableSpan({ from: new Date('2010-01-01T00:00:00Z'), to: new Date('2011-01-01T00:00:00Z') });
  t.deepEqual(planRange(from, to), { raw: [], hours: [], blocks: [] });
});
