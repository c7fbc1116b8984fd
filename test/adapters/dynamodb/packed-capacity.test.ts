import test from 'ava';
import { randomUUID } from 'node:crypto';
import { SHARDS } from '../../../adapters/dynamodb/keys.js';
import type { Item } from '../../../adapters/dynamodb/attribute-values.js';
import { itemBytes, MAX_ITEM_BYTES } from '../../../adapters/dynamodb/packed-items.js';
import { changesOf } from '../../../adapters/dynamodb/packed-rollups.js';
import { aReading } from '../../support/builders.js';

/** 5,000 venues with UUIDs for ids, every five minutes in the day's first hour, and in each later hour once. */
const venueIds = Array.from({ length: 5_000 }, () => randomUUID());
const DAY_START = Date.parse('2020-07-31T16:00:00Z');

/** Every shard item one batch writes, built as the repository builds it, by partition kind. */
function largestShards(): Map<string, number> {
  const instants = [
    ...Array.from({ length: 12 }, (_, slot) => DAY_START + slot * 300_000),
    ...Array.from({ length: 23 }, (_, hour) => DAY_START + (hour + 1) * 3_600_000),
  ];
  const readings = venueIds.flatMap((id, v) => instants.map((at, i) => aReading(id, new Date(at).toISOString(), (v + i) % 4)));
  const largest = new Map<string, number>();
  for (const change of changesOf(1, readings)) {
    const item = change.mutate(undefined) as Item;
    const kind = change.pk.split('#')[1]!;
    largest.set(kind, Math.max(largest.get(kind) ?? 0, itemBytes({ ...item, pk: { S: change.pk }, sk: { S: change.sk } })));
  }
  return largest;
}

test('5,000 venues with 36-character ids fit every packed item with room to spare', (t) => {
  const largest = largestShards();
  t.deepEqual([...largest.keys()].sort(), ['BLOCK', 'DAY', 'LATEST', 'RAW']);
  for (const [kind, bytes] of largest) {
    t.true(bytes < MAX_ITEM_BYTES / 2, `${kind}: the largest shard holds ${Math.round(bytes / 1024)} KB`);
    t.log(`${kind}: largest shard ${Math.round(bytes / 1024)} KB (${SHARDS[kind.toLowerCase() as keyof typeof SHARDS]} shards)`);
  }
});
