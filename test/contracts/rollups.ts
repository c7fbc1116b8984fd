import test from 'ava';
import fc from 'fast-check';
import { InMemoryReadingRepository } from '../../adapters/memory/in-memory-reading-repository.js';
import { aReading } from '../support/builders.js';
import { dynamoFixture } from '../support/dynamo-fixture.js';
import { Killed, killAfterWrites } from '../support/kill-switch.js';

const START = Date.parse('2020-07-30T00:00:00Z');
const SPAN = 40 * 24 * 3_600_000;
const instant = fc.integer({ min: 0, max: SPAN }).map((offset) => new Date(START + offset).toISOString());

/**
 * What every DynamoDB-API store must do with the packed rollups: answer means exactly as the raw
 * readings would, and finish a write a killed process left half-done. `endpoint` is read when
 * each test runs, after the store has started.
 */
export function rollupContract(name: string, endpoint: () => string): void {
  test(`${name}: rollup-based totals equal the sum and count of raw readings, ragged edges included`, async (t) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ venue: fc.constantFrom('a', 'b', 'c'), at: instant, band: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.array(fc.tuple(instant, instant), { minLength: 1, maxLength: 5 }),
        // One range more that starts or ends exactly at a stored reading: ranges are [from, to).
        fc.tuple(instant, fc.nat()),
        async (rows, randomRanges, [other, pick]) => {
          const { readings } = await dynamoFixture(endpoint());
          const reference = new InMemoryReadingRepository();
          const batch = rows.map((row) => aReading(row.venue, row.at, row.band));
          // Two calls, so rollups are recomputed over readings stored by an earlier call too.
          const half = Math.floor(batch.length / 2);
          for (const part of [batch.slice(0, half), batch.slice(half)]) {
            await readings.record(part);
            await reference.record(part);
          }
          const ranges = [...randomRanges, [other, rows[pick % rows.length]!.at] as const];
          for (const [a, b] of ranges) {
            const range = { from: new Date(a < b ? a : b), to: new Date(a < b ? b : a) };
            if (range.from.getTime() === range.to.getTime()) continue;
            const expected = await reference.totals(range, { limit: 500 });
            const actual = await readings.totals(range, { limit: 500 });
            if (JSON.stringify(actual.items) !== JSON.stringify(expected.items)) {
              throw new Error(`range ${a}..${b}: ${JSON.stringify(actual.items)} != ${JSON.stringify(expected.items)}`);
            }
          }
        },
      ),
      { numRuns: 25 },
    );
    t.pass('25 random stores and ranges agreed with the raw mean');
  });

  test(`${name}: a mean asked again after another process stored readings in its range counts them`, async (t) => {
    const { readings, twin } = await dynamoFixture(endpoint());
    // Ragged ends, whole hours, whole Singapore days and a block of days: every kind of item a mean reads.
    const range = { from: new Date('2020-08-01T03:30:00Z'), to: new Date('2020-08-07T05:30:00Z') };
    const first = ['2020-08-01T03:40:00Z', '2020-08-02T12:00:00Z', '2020-08-04T01:00:00Z', '2020-08-07T05:10:00Z'];
    await twin.record(first.map((at) => aReading('a', at, 1)));
    t.deepEqual((await readings.totals(range, { limit: 10 })).items, [{ venueId: 'a', sum: 4, count: 4 }]);
    await twin.record(first.map((at) => aReading('a', at.replace(':00Z', ':30Z'), 3)));
    t.deepEqual((await readings.totals(range, { limit: 10 })).items, [{ venueId: 'a', sum: 16, count: 8 }]);
  });

  test(`${name}: a record killed after storing readings and before their rollups is finished by the next call`, async (t) => {
    const crashing = await dynamoFixture(endpoint());
    // The journal entry, then the readings' own items; the shards are never reached.
    killAfterWrites(crashing.client, 2);
    const snapshot = [
      aReading('a', '2020-08-01T04:10:00Z', 3),
      aReading('a', '2020-08-01T04:20:00Z', 1),
      aReading('b', '2020-08-01T16:30:00Z', 2),
    ];
    await t.throwsAsync(() => crashing.readings.record(snapshot), { instanceOf: Killed });
    const day = { from: new Date('2020-07-31T16:00:00Z'), to: new Date('2020-08-01T16:00:00Z') };
    t.deepEqual((await crashing.twin.totals(day, { limit: 10 })).items, [], 'the rollups were never written');
    t.is((await crashing.twin.history('a', {}, { limit: 10 })).items.length, 2, 'the readings were');

    const retry = await crashing.twin.record(snapshot);
    t.is(retry.stored.length, 0, 'the readings themselves were stored before the crash');
    t.deepEqual((await crashing.twin.totals(day, { limit: 10 })).items, [{ venueId: 'a', sum: 4, count: 2 }]);
    t.is((await crashing.twin.latestOf('b'))?.band, 2);
  });

  test(`${name}: recording again after a completed call leaves the rollups unchanged`, async (t) => {
    const { readings } = await dynamoFixture(endpoint());
    const snapshot = [aReading('a', '2020-08-01T04:10:00Z', 3), aReading('a', '2020-08-01T04:20:00Z', 1)];
    await readings.record(snapshot);
    await readings.record(snapshot);
    await readings.record([aReading('a', '2020-08-01T04:10:00Z', 3)]);
    const totals = await readings.totals({ from: new Date('2020-07-31T16:00:00Z'), to: new Date('2020-08-01T16:00:00Z') }, { limit: 10 });
    t.deepEqual(totals.items, [{ venueId: 'a', sum: 4, count: 2 }]);
  });
}
