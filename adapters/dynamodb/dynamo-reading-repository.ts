import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject, injectable } from 'inversify';
import type { Page, PageRequest } from '../../application/ports/page.js';
import { pageBy } from '../../application/ports/paging.js';
import type { BandTotal, ReadingRepository, RecordOutcome } from '../../application/ports/reading-repository.js';
import type { Band } from '../../domain/band.js';
import { readingKey, type CrowdReading } from '../../domain/crowd-reading.js';
import { addDays, dayOfNumber, singaporeDayOf, singaporeHourOf, type SingaporeDay } from '../../domain/singapore-calendar.js';
import type { TimeRange } from '../../domain/time-range.js';
import type { DayHourTotals } from '../../domain/usual-week.js';
import type { VenueId } from '../../domain/venue-id.js';
import { n, num, s, text, type Item } from './attribute-values.js';
import { batchWrite } from './batch-write.js';
import { mapConcurrently } from '../../application/use-cases/map-concurrently.js';
import { chunk } from './concurrency.js';
import { DYNAMO_TABLE, type DynamoTable } from './dynamo-table.js';
import { IngestJournal, type JournalHead } from './ingest-journal.js';
import { hourKey, hourStart, PACKED, readingPartition, SHARDS, shardOf } from './keys.js';
import { keyOf, packedData, PackedItems } from './packed-items.js';
import { changesOf, latestReadingOf, rawPairs, type DayHours, type Latest, type RawHour, type Totals } from './packed-rollups.js';
import { queryPage } from './query-pages.js';
import { planRange } from './range-decomposition.js';
import { SCHEMA_VERSION } from './table-definition.js';

/** Readings in one journal batch: its item stays well under DynamoDB's 400 KB. */
const MAX_BATCH_READINGS = 4_000;
/** Attempts to begin a batch while other writers keep beginning theirs first. */
const MAX_BEGIN_ATTEMPTS = 10;

/**
 * Readings, one item each for a venue's history, and packed partitions for every question
 * about all venues. Ingest is a journalled batch (ingest-journal.ts): decide in bulk which
 * readings are new, write them in batches, then add them once to every touched shard with a
 * compare-and-set. A write killed anywhere is finished by the next call, exactly once.
 */
@injectable()
export class DynamoReadingRepository implements ReadingRepository {
  /** Requests in flight at once for one call: parallel, but gentle on the table. */
  private readonly concurrency = 16;
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly packed: PackedItems;
  private readonly journal: IngestJournal;

  constructor(@inject(DYNAMO_TABLE) table: DynamoTable) {
    this.client = table.client;
    this.tableName = table.name;
    this.packed = new PackedItems(table);
    this.journal = new IngestJournal(table);
  }

  async record(readings: readonly CrowdReading[]): Promise<RecordOutcome> {
    const unique = [...new Map(readings.map((r) => [readingKey(r), r])).values()];
    const stored: CrowdReading[] = [];
    for (const batch of chunk(unique, MAX_BATCH_READINGS)) stored.push(...(await this.recordBatch(batch)));
    return { stored, duplicate: readings.length - stored.length };
  }

  async recover(): Promise<void> {
    const head = await this.journal.head();
    if (head.pending !== null) await this.finish(head);
  }

  async latest(page: PageRequest): Promise<Page<CrowdReading>> {
    const shards = await this.packed.partition(PACKED.latest);
    const readings: CrowdReading[] = [];
    for (const item of shards.values())
      for (const [venueId, entry] of Object.entries((packedData(item) as Latest | undefined) ?? {}))
        readings.push(latestReadingOf(venueId, entry));
    return pageBy(readings.sort(byVenueId), (reading) => reading.venueId, page);
  }

  async latestOf(venueId: VenueId): Promise<CrowdReading | null> {
    const entry = (packedData(await this.packed.one({ pk: PACKED.latest, sk: shardOf(venueId, SHARDS.latest) })) as Latest | undefined)?.[
      venueId
    ];
    return entry === undefined ? null : latestReadingOf(venueId, entry);
  }

  async whichStored(readings: ReadonlyArray<Pick<CrowdReading, 'venueId' | 'observedAt'>>): Promise<ReadonlySet<string>> {
    return storedAmong(readings, await this.rawHours(readings));
  }

  async history(venueId: VenueId, range: Partial<TimeRange>, page: PageRequest): Promise<Page<CrowdReading>> {
    const upper = Math.min(range.to?.getTime() ?? Infinity, page.after === undefined ? Infinity : Date.parse(page.after));
    const lower = range.from?.getTime();
    const values: Item = { ':pk': s(readingPartition(venueId)) };
    let condition = 'pk = :pk';
    if (lower !== undefined && upper !== Infinity) {
      if (lower >= upper) return { items: [], next: null };
      condition += ' AND sk BETWEEN :lower AND :upper';
      values[':lower'] = s(new Date(lower).toISOString());
      values[':upper'] = s(new Date(upper - 1).toISOString());
    } else if (lower !== undefined) {
      condition += ' AND sk >= :lower';
      values[':lower'] = s(new Date(lower).toISOString());
    } else if (upper !== Infinity) {
      condition += ' AND sk < :upper';
      values[':upper'] = s(new Date(upper).toISOString());
    }
    return queryPage(
      this.client,
      { TableName: this.tableName, KeyConditionExpression: condition, ExpressionAttributeValues: values, ScanIndexForward: false },
      page.limit,
      decodeReading,
      (reading) => reading.observedAt.toISOString(),
    );
  }

  async totals(range: TimeRange, page: PageRequest): Promise<Page<BandTotal>> {
    const plan = planRange(...readableSpan(range));
    const totals = new Map<VenueId, { sum: number; count: number }>();
    const add = (venueId: VenueId, sum: number, count: number): void => {
      if (count === 0) return;
      const total = totals.get(venueId);
      if (total === undefined) totals.set(venueId, { sum, count });
      else {
        total.sum += sum;
        total.count += count;
      }
    };
    // Whole hours outside whole days come from the hourly slots of the (at most two) days they fall in.
    const hoursByDay = new Map<SingaporeDay, number[]>();
    for (const hour of plan.hours) {
      const start = hourStart(hour);
      const slots = hoursByDay.get(singaporeDayOf(start)) ?? [];
      slots.push(singaporeHourOf(start));
      hoursByDay.set(singaporeDayOf(start), slots);
    }
    const tasks: Array<() => Promise<void>> = [
      ...plan.raw.map((segment) => async () => {
        const start = hourStart(segment.hour);
        const [from, to] = [Date.parse(segment.from) - start, Date.parse(segment.to) - start];
        for (const item of (await this.packed.partition(PACKED.raw(segment.hour))).values()) {
          for (const [venueId, pairs] of Object.entries(
            (this.packed.sharedData(PACKED.raw(segment.hour), item) as RawHour | undefined) ?? {},
          )) {
            let sum = 0;
            let count = 0;
            for (const [offset, band] of rawPairs(pairs)) {
              if (offset >= from && offset < to) {
                sum += band;
                count++;
              }
            }
            add(venueId, sum, count);
          }
        }
      }),
      ...[...hoursByDay].map(([day, slots]) => async () => {
        for (const item of (await this.packed.partition(PACKED.day(day), { projection: ['data'] })).values()) {
          for (const [venueId, hours] of Object.entries((this.packed.sharedData(PACKED.day(day), item) as DayHours | undefined) ?? {})) {
            for (const slot of slots) add(venueId, hours[slot] ?? 0, hours[24 + slot] ?? 0);
          }
        }
      }),
      ...plan.blocks.map((block) => async () => {
        const [pk, attribute] =
          block.level === 0 ? [PACKED.day(dayOfNumber(block.index)), 'total'] : [PACKED.block(block.level, block.index), 'data'];
        for (const item of (await this.packed.partition(pk, { projection: [attribute] })).values()) {
          for (const [venueId, [sum, count]] of Object.entries((this.packed.sharedData(pk, item, attribute) as Totals | undefined) ?? {}))
            add(venueId, sum, count);
        }
      }),
    ];
    await mapConcurrently(tasks, this.concurrency, (task) => task());
    const sorted = [...totals.entries()].map(([venueId, t]) => ({ venueId, ...t })).sort(byVenueId);
    return pageBy(sorted, (total) => total.venueId, page);
  }

  async hourlyTotals(venueId: VenueId, first: SingaporeDay, last: SingaporeDay): Promise<readonly DayHourTotals[]> {
    const days: SingaporeDay[] = [];
    for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
    const shard = shardOf(venueId, SHARDS.day);
    const items = await this.packed.get(days.map((day) => ({ pk: PACKED.day(day), sk: shard })));
    return days.flatMap((day) => {
      const hours = (packedData(items.get(keyOf(PACKED.day(day), shard))) as DayHours | undefined)?.[venueId];
      return hours === undefined ? [] : [{ day, sums: hours.slice(0, 24), counts: hours.slice(24) }];
    });
  }

  async ping(): Promise<void> {
    await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
  }

  /**
   * Begins a batch only on the journal head it read before deciding what is new, so a batch
   * another writer began in between makes this one start over rather than count twice.
   */
  private async recordBatch(readings: readonly CrowdReading[]): Promise<CrowdReading[]> {
    for (let attempt = 0; attempt < MAX_BEGIN_ATTEMPTS; attempt++) {
      const head = await this.journal.head();
      if (head.pending !== null) {
        await this.finish(head);
        continue;
      }
      const rawHours = await this.rawHours(readings);
      const known = storedAmong(readings, rawHours);
      const fresh = readings.filter((r) => !known.has(readingKey(r)));
      if (fresh.length === 0) return [];
      const seq = head.seq + 1;
      if (!(await this.journal.begin(seq, head.seq, fresh))) continue;
      await this.apply(seq, fresh, rawHours);
      await this.journal.complete(seq);
      return fresh;
    }
    throw new Error(`could not begin an ingest batch after ${MAX_BEGIN_ATTEMPTS} attempts: other writers kept beginning theirs`);
  }

  /** Applies a pending batch (of a writer that died or stalled), then marks it done. */
  private async finish(head: JournalHead): Promise<void> {
    await this.apply(head.seq, head.pending ?? [], new Map());
    await this.journal.complete(head.seq);
  }

  /**
   * The readings and every shard they touch. Each write may run any number of times: reading
   * items are rewritten identically, and a shard that has taken in batch `seq` ignores it.
   */
  private async apply(
    seq: number,
    readings: readonly CrowdReading[],
    known: ReadonlyMap<string, ReadonlyMap<string, Item>>,
  ): Promise<void> {
    // The readings' own items and the shards do not depend on each other: write both at once.
    await Promise.all([
      batchWrite(
        this.client,
        this.tableName,
        readings.map((reading) => ({ PutRequest: { Item: encodeReading(reading) } })),
      ),
      this.addToShards(seq, readings, known),
    ]);
  }

  private async addToShards(
    seq: number,
    readings: readonly CrowdReading[],
    known: ReadonlyMap<string, ReadonlyMap<string, Item>>,
  ): Promise<void> {
    const changes = changesOf(seq, readings);
    const unread = [...new Set(changes.map((change) => change.pk))].filter((pk) => !known.has(pk));
    const read = new Map(
      await mapConcurrently(unread, this.concurrency, async (pk) => [pk, await this.packed.partition(pk, { consistent: true })] as const),
    );
    await mapConcurrently(changes, this.concurrency, (change) => {
      // Every partition a change touches is in one of the two.
      const shards = known.get(change.pk) ?? read.get(change.pk);
      return this.packed.update(change, change.mutate, { item: shards?.get(change.sk) });
    });
  }

  /** The packed raw partitions of the hours these readings fall in, read strongly consistent. */
  private async rawHours(readings: ReadonlyArray<Pick<CrowdReading, 'observedAt'>>): Promise<Map<string, Map<string, Item>>> {
    const pks = [...new Set(readings.map((r) => PACKED.raw(hourKey(r.observedAt.getTime()))))];
    return new Map(
      await mapConcurrently(pks, this.concurrency, async (pk) => [pk, await this.packed.partition(pk, { consistent: true })] as const),
    );
  }
}

function storedAmong(
  readings: ReadonlyArray<Pick<CrowdReading, 'venueId' | 'observedAt'>>,
  rawHours: ReadonlyMap<string, ReadonlyMap<string, Item>>,
): Set<string> {
  const decoded = new Map<Item, RawHour>();
  const stored = new Set<string>();
  for (const reading of readings) {
    const at = reading.observedAt.getTime();
    const hour = hourKey(at);
    const item = rawHours.get(PACKED.raw(hour))?.get(shardOf(reading.venueId, SHARDS.raw));
    if (item === undefined) continue;
    let data = decoded.get(item);
    if (data === undefined) decoded.set(item, (data = (packedData(item) as RawHour | undefined) ?? {}));
    const pairs = data[reading.venueId] ?? [];
    const offset = at - hourStart(hour);
    if (rawPairs(pairs).some(([storedOffset]) => storedOffset === offset)) stored.add(readingKey(reading));
  }
  return stored;
}

const byVenueId = (a: { venueId: string }, b: { venueId: string }): number => (a.venueId < b.venueId ? -1 : a.venueId > b.venueId ? 1 : 0);

/** SpaceOut started in 2020: no reading can be older. */
export const EARLIEST_READING = Date.parse('2020-01-01T00:00:00+08:00');
/** Upstream clocks may run a little ahead, never a day. */
const LATEST_READING_AHEAD_MS = 24 * 3_600_000;

/**
 * The part of a range where readings can exist. The mean is the same, and a request for
 * 1900–2100 cannot make the store read two centuries of empty partitions.
 */
export function readableSpan(range: TimeRange, now = Date.now()): [Date, Date] {
  const from = Math.max(range.from.getTime(), EARLIEST_READING);
  const to = Math.min(range.to.getTime(), now + LATEST_READING_AHEAD_MS);
  return from < to ? [new Date(from), new Date(to)] : [new Date(from), new Date(from)];
}

/** A reading's own item, for its venue's history. */
export function encodeReading(reading: CrowdReading): Item {
  const observedAt = reading.observedAt.toISOString();
  return {
    pk: s(readingPartition(reading.venueId)),
    sk: s(observedAt),
    v: n(SCHEMA_VERSION),
    venueId: s(reading.venueId),
    band: n(reading.band),
    trend: reading.trend === null ? { NULL: true } : { BOOL: reading.trend },
    observedAt: s(observedAt),
  };
}

function decodeReading(item: Item): CrowdReading {
  return {
    venueId: text(item, 'venueId'),
    band: num(item, 'band') as Band,
    trend: item['trend']?.BOOL ?? null,
    observedAt: new Date(text(item, 'observedAt')),
  };
}
