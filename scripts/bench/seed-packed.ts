/**
 * Seeds a month of readings for the benchmark without 8.6 million writes: every band comes from
 * one deterministic function, and the bench writes the packed items the queries read, in the
 * adapter's own format: day shards for every day, blocks of 2 to 32 days, the latest readings,
 * and raw hours only where a range has a ragged edge.
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { batchWrite } from '../../adapters/dynamodb/batch-write.js';
import { hourKey, hourStart, MAX_BLOCK_LEVEL, PACKED, SHARDS, shardOf } from '../../adapters/dynamodb/keys.js';
import { dayTotals, type DayHours, type Latest, type RawHour, type Totals } from '../../adapters/dynamodb/packed-rollups.js';
import { packed } from '../../adapters/dynamodb/packed-items.js';
import { SCHEMA_VERSION } from '../../adapters/dynamodb/table-definition.js';
import type { Band } from '../../domain/band.js';
import { DAY_MS, dayOfNumber, HOUR_MS, singaporeDayNumber, singaporeHourOf, startOfSingaporeDay } from '../../domain/singapore-calendar.js';

export const SLOT_MS = 5 * 60_000;

/** The readings the bench pretends were polled: one per venue every five minutes in [from, to). */
export interface SeededMonth {
  readonly venueIds: readonly string[];
  readonly from: number;
  readonly to: number;
  /** The band of venue `v` in the 5-minute slot starting at `t`: the one source of truth of the seed. */
  bandOf(v: number, t: number): Band;
}

export function seededMonth(venueIds: readonly string[], from: number, to: number): SeededMonth {
  return { venueIds, from, to, bandOf: (v, t) => (((v * 7919 + Math.floor(t / SLOT_MS) * 104729) >>> 0) % 4) as Band };
}

/** Sum and count of venue v's seeded readings in [start, end). */
export function seededTotal(month: SeededMonth, v: number, start: number, end: number): [number, number] {
  let sum = 0;
  let count = 0;
  for (let t = Math.ceil(Math.max(start, month.from) / SLOT_MS) * SLOT_MS; t < Math.min(end, month.to); t += SLOT_MS) {
    sum += month.bandOf(v, t);
    count++;
  }
  return [sum, count];
}

/** Writes the packed items; `edges` are the instants whose hours need raw readings. Returns the item count. */
export async function seedPacked(client: DynamoDBClient, tableName: string, month: SeededMonth, edges: readonly number[]): Promise<number> {
  const items: Array<Record<string, AttributeValue>> = [];
  const push = (
    pk: string,
    byShard: Map<string, Record<string, unknown>>,
    extra: (data: never) => Record<string, AttributeValue> = () => ({}),
  ) => {
    for (const [sk, data] of byShard)
      items.push({
        pk: { S: pk },
        sk: { S: sk },
        v: { N: String(SCHEMA_VERSION) },
        version: { N: '1' },
        applied: { N: '0' },
        data: packed(data),
        ...extra(data as never),
      });
  };
  const shardsOf = <T>(shards: number, entry: (v: number) => T | null): Map<string, Record<string, T>> => {
    const byShard = new Map<string, Record<string, T>>();
    month.venueIds.forEach((id, v) => {
      const value = entry(v);
      if (value === null) return;
      const sk = shardOf(id, shards);
      const shard = byShard.get(sk) ?? {};
      shard[id] = value;
      byShard.set(sk, shard);
    });
    return byShard;
  };

  const firstDay = singaporeDayNumber(month.from);
  const lastDay = singaporeDayNumber(month.to - 1);
  for (let day = firstDay; day <= lastDay; day++) {
    const start = startOfSingaporeDay(dayOfNumber(day)).getTime();
    const byShard = shardsOf<number[]>(SHARDS.day, (v) => {
      const slots = new Array<number>(48).fill(0);
      for (let hour = start; hour < start + DAY_MS; hour += HOUR_MS) {
        const [sum, count] = seededTotal(month, v, hour, hour + HOUR_MS);
        slots[singaporeHourOf(hour)] = sum;
        slots[24 + singaporeHourOf(hour)] = count;
      }
      return slots;
    });
    push(PACKED.day(dayOfNumber(day)), byShard, (data: DayHours) => ({ total: packed(dayTotals(data)) }));
  }
  for (let level = 1; level <= MAX_BLOCK_LEVEL; level++) {
    const size = 2 ** level;
    for (let index = Math.floor(firstDay / size); index <= Math.floor(lastDay / size); index++) {
      const [start, end] = [
        startOfSingaporeDay(dayOfNumber(index * size)).getTime(),
        startOfSingaporeDay(dayOfNumber((index + 1) * size)).getTime(),
      ];
      push(
        PACKED.block(level, index),
        shardsOf<Totals[string]>(SHARDS.block, (v) => {
          const total = seededTotal(month, v, start, end);
          return total[1] === 0 ? null : total;
        }),
      );
    }
  }
  for (const hour of new Set(edges.map((t) => hourKey(t)))) {
    const start = hourStart(hour);
    push(
      PACKED.raw(hour),
      shardsOf<RawHour[string]>(SHARDS.raw, (v) => {
        const pairs: number[] = [];
        for (let t = Math.ceil(Math.max(start, month.from) / SLOT_MS) * SLOT_MS; t < Math.min(start + HOUR_MS, month.to); t += SLOT_MS)
          pairs.push(t - start, month.bandOf(v, t));
        return pairs.length === 0 ? null : pairs;
      }),
    );
  }
  const lastSlot = Math.floor((month.to - 1) / SLOT_MS) * SLOT_MS;
  push(
    PACKED.latest,
    shardsOf<Latest[string]>(SHARDS.latest, (v) => [month.bandOf(v, lastSlot), 0, lastSlot]),
  );
  await batchWrite(
    client,
    tableName,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
  return items.length;
}
