import test from 'ava';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { entrySize, intoBatches, MAX_REQUEST_BYTES } from '../../../adapters/eventbridge/put-events-batches.js';

const entry = (detailBytes: number): PutEventsRequestEntry => ({
  EventBusName: 'crowd',
  Source: 'spaceout.crowd',
  DetailType: 'Venue Appeared',
  Detail: JSON.stringify({ name: 'é'.repeat(detailBytes / 2) }),
  Resources: [],
  Time: new Date('2020-08-01T04:50:00Z'),
});

/** The entry size as AWS documents it: Source, DetailType, Detail and Resources in UTF-8, and 14 bytes for Time. */
function awsEntrySize(e: PutEventsRequestEntry): number {
  const bytes = (text: string | undefined) => Buffer.byteLength(text ?? '', 'utf8');
  return (
    (e.Time ? 14 : 0) + bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail) + (e.Resources ?? []).reduce((sum, r) => sum + bytes(r), 0)
  );
}

test('an entry is never counted smaller than AWS counts it', (t) => {
  for (const size of [0, 10, 1_000, 100_000]) t.true(entrySize(entry(size)) > awsEntrySize(entry(size)));
});

test('entries are grouped at most ten to a request, in order', (t) => {
  const items = Array.from({ length: 23 }, (_, i) => i);
  const { batches } = intoBatches(items, () => entry(10));
  t.deepEqual(
    batches.map((b) => b.length),
    [10, 10, 3],
  );
  t.deepEqual(batches.flat(), items);
});

test('a request is closed before its entries would pass the byte limit', (t) => {
  const { batches } = intoBatches([1, 2, 3, 4, 5], () => entry(100_000));
  t.deepEqual(
    batches.map((b) => b.length),
    [2, 2, 1],
  );
  for (const batch of batches) t.true(batch.length * entrySize(entry(100_000)) <= MAX_REQUEST_BYTES);
});

test('an entry too large for any request is set aside, and the others still go', (t) => {
  const { batches, oversize } = intoBatches(['small', 'huge', 'small too'], (item) => entry(item === 'huge' ? 300_000 : 10));
  t.deepEqual(oversize, ['huge']);
  t.deepEqual(batches, [['small', 'small too']]);
});
