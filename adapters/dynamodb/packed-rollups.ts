/**
 * What the packed partitions hold, and how a batch of new readings adds to them. Each shard's
 * `data` attribute is JSON keyed by venue id; the shapes below are the whole format.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Band } from '../../domain/band.js';
import type { CrowdReading } from '../../domain/crowd-reading.js';
import { singaporeDayNumber, singaporeDayOf, singaporeHourOf } from '../../domain/singapore-calendar.js';
import { decodeTrend, encodeTrend } from './ingest-journal.js';
import { hourKey, hourStart, MAX_BLOCK_LEVEL, PACKED, SHARDS, shardOf } from './keys.js';
import { n, num, type Item } from './attribute-values.js';
import { packed, packedData, type Mutation } from './packed-items.js';

/** Every reading of the hour: [offset ms from the hour's start, band, offset, band, …], ascending. */
export type RawHour = Record<string, number[]>;
/** Sums of Singapore hours 0..23, then their counts: 48 numbers. */
export type DayHours = Record<string, number[]>;
export type SumCount = [sum: number, count: number];
export type Totals = Record<string, SumCount>;
/** [band, trend (1, 0, or -1 for unknown), observedAt ms]. */
export type LatestEntry = [band: number, trend: number, observedAt: number];
export type Latest = Record<string, LatestEntry>;

/** The last ingest batch a shard took in: applying that batch, or an earlier one, again is a no-op. */
export const appliedBatch = (item: Item | undefined): number => (item === undefined ? 0 : num(item, 'applied'));

/** One shard's change for one batch. */
export interface ShardChange {
  readonly pk: string;
  readonly sk: string;
  readonly mutate: Mutation;
}

/** The shard changes a batch of new readings makes: raw hours, days, blocks of days, latest. */
export function changesOf(seq: number, readings: readonly CrowdReading[]): ShardChange[] {
  const raw = new Grouping<number[]>(() => []);
  const days = new Grouping<number[]>(() => new Array<number>(48).fill(0));
  const blocks = new Grouping<SumCount>(() => [0, 0]);
  const latest = new Grouping<CrowdReading | null>(() => null);
  for (const reading of readings) {
    const at = reading.observedAt.getTime();
    const hour = hourKey(at);
    raw.at(PACKED.raw(hour), shardOf(reading.venueId, SHARDS.raw), reading.venueId).push(at - hourStart(hour), reading.band);
    const slots = days.at(PACKED.day(singaporeDayOf(at)), shardOf(reading.venueId, SHARDS.day), reading.venueId);
    const slot = singaporeHourOf(at);
    addTo(slots, slot, reading.band);
    addTo(slots, 24 + slot, 1);
    for (let level = 1; level <= MAX_BLOCK_LEVEL; level++) {
      const total = blocks.at(
        PACKED.block(level, Math.floor(singaporeDayNumber(at) / 2 ** level)),
        shardOf(reading.venueId, SHARDS.block),
        reading.venueId,
      );
      total[0] += reading.band;
      total[1] += 1;
    }
    latest.set(PACKED.latest, shardOf(reading.venueId, SHARDS.latest), reading.venueId, (newest) =>
      newest === null || newest.observedAt < reading.observedAt ? reading : newest,
    );
  }
  return [
    ...raw.changes((pk, sk, add) =>
      onceFor(seq, (item) => ({ data: packed(mergeRaw((packedData(item) as RawHour | undefined) ?? {}, add)) })),
    ),
    ...days.changes((pk, sk, add) =>
      onceFor(seq, (item) => {
        const data = addDayHours((packedData(item) as DayHours | undefined) ?? {}, add);
        return { data: packed(data), total: packed(dayTotals(data)) };
      }),
    ),
    ...blocks.changes((pk, sk, add) =>
      onceFor(seq, (item) => ({ data: packed(addTotals((packedData(item) as Totals | undefined) ?? {}, add)) })),
    ),
    ...latest.changes((pk, sk, add) =>
      onceFor(seq, (item) => ({ data: packed(newestOf((packedData(item) as Latest | undefined) ?? {}, add)) })),
    ),
  ];
}

/** A mutation that takes in batch `seq` once: a shard that already has it is left alone. */
function onceFor(seq: number, merge: (item: Item | undefined) => Record<string, AttributeValue>): Mutation {
  return (item) => (appliedBatch(item) >= seq ? null : { ...merge(item), applied: n(seq) });
}

function mergeRaw(data: RawHour, add: ReadonlyMap<string, number[]>): RawHour {
  for (const [venueId, pairs] of add) {
    const byOffset = new Map<number, number>();
    for (const list of [data[venueId] ?? [], pairs]) for (const [offset, band] of rawPairs(list)) byOffset.set(offset, band);
    data[venueId] = [...byOffset.entries()].sort(([a], [b]) => a - b).flat();
  }
  return data;
}

function addDayHours(data: DayHours, add: ReadonlyMap<string, number[]>): DayHours {
  for (const [venueId, slots] of add) {
    const current = data[venueId] ?? new Array<number>(48).fill(0);
    data[venueId] = current.map((value, i) => value + (slots[i] ?? 0));
  }
  return data;
}

/** A day's sum and count per venue, so whole days are read without their 48 hourly numbers. */
export function dayTotals(data: DayHours): Totals {
  const totals: Totals = {};
  const total = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);
  for (const [venueId, slots] of Object.entries(data)) totals[venueId] = [total(slots.slice(0, 24)), total(slots.slice(24, 48))];
  return totals;
}

/** A RawHour entry as its [offset, band] pairs. */
export function rawPairs(list: readonly number[]): Array<[offset: number, band: number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i + 1 < list.length; i += 2) pairs.push([list[i] ?? 0, list[i + 1] ?? 0]);
  return pairs;
}

/** Adds to one of a day's 48 slots, which all start at 0. */
function addTo(slots: number[], index: number, amount: number): void {
  slots[index] = (slots[index] ?? 0) + amount;
}

function addTotals(data: Totals, add: ReadonlyMap<string, SumCount>): Totals {
  for (const [venueId, [sum, count]] of add) {
    const [oldSum, oldCount] = data[venueId] ?? [0, 0];
    data[venueId] = [oldSum + sum, oldCount + count];
  }
  return data;
}

function newestOf(data: Latest, add: ReadonlyMap<string, CrowdReading | null>): Latest {
  for (const [venueId, reading] of add) {
    if (reading === null) continue;
    const at = reading.observedAt.getTime();
    // An older reading arriving late never replaces a newer one.
    if ((data[venueId]?.[2] ?? -Infinity) < at) data[venueId] = [reading.band, encodeTrend(reading.trend), at];
  }
  return data;
}

export function latestReadingOf(venueId: string, [band, trend, at]: LatestEntry): CrowdReading {
  return { venueId, band: band as Band, trend: decodeTrend(trend), observedAt: new Date(at) };
}

/** Values grouped by partition, then shard, then venue. */
class Grouping<V> {
  private readonly partitions = new Map<string, Map<string, Map<string, V>>>();

  constructor(private readonly initial: () => V) {}

  at(pk: string, sk: string, venueId: string): V {
    const venues = this.venues(pk, sk);
    let value = venues.get(venueId);
    if (value === undefined) {
      value = this.initial();
      venues.set(venueId, value);
    }
    return value;
  }

  set(pk: string, sk: string, venueId: string, update: (value: V) => V): void {
    this.venues(pk, sk).set(venueId, update(this.at(pk, sk, venueId)));
  }

  changes(mutation: (pk: string, sk: string, add: ReadonlyMap<string, V>) => Mutation): ShardChange[] {
    return [...this.partitions].flatMap(([pk, shards]) => [...shards].map(([sk, add]) => ({ pk, sk, mutate: mutation(pk, sk, add) })));
  }

  private venues(pk: string, sk: string): Map<string, V> {
    let shards = this.partitions.get(pk);
    if (shards === undefined) this.partitions.set(pk, (shards = new Map<string, Map<string, V>>()));
    let venues = shards.get(sk);
    if (venues === undefined) shards.set(sk, (venues = new Map<string, V>()));
    return venues;
  }
}
