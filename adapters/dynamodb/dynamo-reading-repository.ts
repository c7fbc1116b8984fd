import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { injectable } from 'inversify';
import type { Page, PageRequest } from '../../application/ports/page.js';
import { pageBy } from '../../application/ports/paging.js';
import type { BandTotal, ReadingRepository, RecordOutcome } from '../../application/ports/reading-repository.js';
import type { Band } from '../../domain/band.js';
import { readingKey, type CrowdReading } from '../../domain/crowd-reading.js';
import type { TimeRange } from '../../domain/time-range.js';
import type { VenueId } from '../../domain/venue-id.js';
import { batchWrite } from './batch-write.js';
import { backoffDelay, mapConcurrently, sleep } from './concurrency.js';
import {
  blockPartition,
  dayPartition,
  hourKey,
  hourPartition,
  hourStart,
  LATEST_PARTITION,
  MAX_BLOCK_LEVEL,
  PENDING_ROLLUP,
  rawHourPartition,
  readingPartition,
  singaporeDayKey,
  singaporeDayNumber,
  singaporeHourOfDay,
} from './keys.js';
import { n, num, queryAll, queryPage, s, text } from './query-pages.js';
import { planRange } from './range-decomposition.js';
import { BY_HOUR_INDEX, PENDING_INDEX, SCHEMA_VERSION } from './table-definition.js';

type Item = Record<string, AttributeValue>;

export interface DynamoReadingRepositoryOptions {
  /** Requests in flight at once for one call; parallel, never one round trip per reading in sequence. */
  readonly concurrency?: number;
  /** Test hook: runs after new readings are stored and before their rollups; throw to simulate a crash. */
  readonly afterInsert?: () => Promise<void>;
}

/**
 * Readings, latest readings and rollups in the single table. Ingest is idempotent without
 * transactions (dynalite has none): a conditional put decides what is new, each touched
 * (venue, hour) rollup is recomputed from its raw readings and written only if it counts
 * more readings than what is stored (a stale racing writer loses), and a pending marker on
 * every new reading lets the next call finish a call that crashed half-way.
 */
@injectable()
export class DynamoReadingRepository implements ReadingRepository {
  private readonly concurrency: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: DynamoReadingRepositoryOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
  }

  async record(readings: readonly CrowdReading[]): Promise<RecordOutcome> {
    await this.finishPendingWork();
    const unique = [...new Map(readings.map((r) => [readingKey(r), r])).values()];
    const isNew = await mapConcurrently(unique, this.concurrency, (reading) => this.insert(reading));
    const stored = unique.filter((_, i) => isNew[i]);
    await this.options.afterInsert?.();
    await this.settle(stored);
    return { stored, duplicate: readings.length - stored.length };
  }

  async latest(page: PageRequest): Promise<Page<CrowdReading>> {
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': s(LATEST_PARTITION) },
        ...(page.after !== undefined ? { ExclusiveStartKey: { pk: s(LATEST_PARTITION), sk: s(page.after) } } : {}),
      },
      page.limit,
      decodeReading,
      (reading) => reading.venueId,
    );
  }

  async latestOf(venueId: VenueId): Promise<CrowdReading | null> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: s(LATEST_PARTITION), sk: s(venueId) } }));
    return result.Item === undefined ? null : decodeReading(result.Item);
  }

  async has(reading: Pick<CrowdReading, 'venueId' | 'observedAt'>): Promise<boolean> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { pk: s(readingPartition(reading.venueId)), sk: s(reading.observedAt.toISOString()) }, ProjectionExpression: 'pk', ConsistentRead: true }),
    );
    return result.Item !== undefined;
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
      const total = totals.get(venueId) ?? { sum: 0, count: 0 };
      total.sum += sum;
      total.count += count;
      totals.set(venueId, total);
    };
    const tasks: Array<() => Promise<void>> = [
      ...plan.raw.map((segment) => async () => {
        const items = await queryAll(this.client, {
          TableName: this.tableName,
          IndexName: BY_HOUR_INDEX.name,
          KeyConditionExpression: `${BY_HOUR_INDEX.partition} = :pk AND ${BY_HOUR_INDEX.sort} BETWEEN :from AND :to`,
          // Index keys are `<observedAt>#<venueId>`, so every key of instant `to` sorts after `to` itself: [from, to) exactly.
          ExpressionAttributeValues: { ':pk': s(rawHourPartition(segment.hour)), ':from': s(segment.from), ':to': s(segment.to) },
        });
        for (const item of items) add(text(item, 'venueId'), num(item, 'band'), 1);
      }),
      ...plan.hours.map((hour) => async () => {
        const items = await queryAll(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ProjectionExpression: 'sk, #sum, #count',
          ExpressionAttributeNames: { '#sum': 'sum', '#count': 'count' },
          ExpressionAttributeValues: { ':pk': s(hourPartition(hour)) },
        });
        for (const item of items) add(text(item, 'sk'), num(item, 'sum'), num(item, 'count'));
      }),
      ...plan.blocks.map((block) => async () => {
        const items = await queryAll(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ...(block.level > 0 ? { ProjectionExpression: 'sk, #sum, #count', ExpressionAttributeNames: { '#sum': 'sum', '#count': 'count' } } : {}),
          ExpressionAttributeValues: { ':pk': s(blockPartition(block.level, block.index)) },
        });
        for (const item of items) add(text(item, 'sk'), ...blockTotal(item));
      }),
    ];
    await mapConcurrently(tasks, this.concurrency, (task) => task());
    const sorted = [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([venueId, t]) => ({ venueId, ...t }));
    return pageBy(sorted, (total) => total.venueId, page);
  }

  async ping(): Promise<void> {
    await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
  }

  /** Readings still marked pending were stored by a call that stopped before its rollups. */
  private async finishPendingWork(): Promise<void> {
    const pending = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: PENDING_INDEX.name,
      KeyConditionExpression: `${PENDING_INDEX.partition} = :pending`,
      ExpressionAttributeValues: { ':pending': s(PENDING_ROLLUP) },
    });
    if (pending.length > 0) await this.settle(pending.map(decodeReading));
  }

  private async insert(reading: CrowdReading): Promise<boolean> {
    try {
      await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: encodeReading(reading, true), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Rollups, then latest, then clear the markers: each step idempotent, so a retry is always safe. */
  private async settle(readings: readonly CrowdReading[]): Promise<void> {
    if (readings.length === 0) return;
    const hours = new Map(readings.map((r) => [`${r.venueId}|${hourKey(r.observedAt.getTime())}`, r]));
    await mapConcurrently([...hours.values()], this.concurrency, (r) => this.recomputeHour(r.venueId, hourKey(r.observedAt.getTime())));
    const days = new Map(readings.map((r) => [`${r.venueId}|${singaporeDayNumber(r.observedAt.getTime())}`, r]));
    await mapConcurrently([...days.values()], this.concurrency, (r) => this.recomputeDayBlocks(r.venueId, singaporeDayNumber(r.observedAt.getTime())));
    const newest = new Map<VenueId, CrowdReading>();
    for (const r of readings) if ((newest.get(r.venueId)?.observedAt.getTime() ?? -Infinity) < r.observedAt.getTime()) newest.set(r.venueId, r);
    await mapConcurrently([...newest.values()], this.concurrency, (r) => this.advanceLatest(r));
    await batchWrite(this.client, this.tableName, readings.map((r) => ({ PutRequest: { Item: encodeReading(r, false) } })));
  }

  /** The hour rollup and the day rollup's slot for that hour, from the hour's raw readings. */
  private async recomputeHour(venueId: VenueId, hour: string): Promise<void> {
    const raw = await queryAll(this.client, {
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :start AND :end',
      ProjectionExpression: 'band',
      ExpressionAttributeValues: { ':pk': s(readingPartition(venueId)), ':start': s(`${hour}:00:00.000Z`), ':end': s(`${hour}:59:59.999Z`) },
    });
    const sum = raw.reduce((total, item) => total + num(item, 'band'), 0);
    const count = raw.length;
    const start = hourStart(hour);
    const slot = singaporeHourOfDay(start);
    await ignoringLostRace(
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: s(hourPartition(hour)), sk: s(venueId), sum: n(sum), count: n(count), v: n(SCHEMA_VERSION) },
          // Readings are never deleted, so the rollup that counts more readings is the more complete one.
          ConditionExpression: 'attribute_not_exists(pk) OR #count < :count',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':count': n(count) },
        }),
      ),
    );
    await ignoringLostRace(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: s(dayPartition(singaporeDayKey(start))), sk: s(venueId) },
          UpdateExpression: 'SET #s = :sum, #c = :count, v = :v',
          ConditionExpression: 'attribute_not_exists(#c) OR #c < :count',
          ExpressionAttributeNames: { '#s': `s${slot}`, '#c': `c${slot}` },
          ExpressionAttributeValues: { ':sum': n(sum), ':count': n(count), ':v': n(SCHEMA_VERSION) },
        }),
      ),
    );
  }

  /**
   * Each block of 2^L days is the sum of its two halves, read strongly consistent after the
   * half below was written: whichever writer reads last sees every update and, counting the
   * most readings, is the one whose write the condition lets through.
   */
  private async recomputeDayBlocks(venueId: VenueId, day: number): Promise<void> {
    for (let level = 1; level <= MAX_BLOCK_LEVEL; level++) {
      const index = Math.floor(day / 2 ** level);
      const halves = await this.consistentGet([2 * index, 2 * index + 1].map((child) => ({ pk: s(blockPartition(level - 1, child)), sk: s(venueId) })));
      const [sum, count] = halves.reduce(([accSum, accCount], item) => { const [hs, hc] = blockTotal(item); return [accSum + hs, accCount + hc]; }, [0, 0]);
      if (count === 0) continue;
      await ignoringLostRace(
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: { pk: s(blockPartition(level, index)), sk: s(venueId), sum: n(sum), count: n(count), v: n(SCHEMA_VERSION) },
            ConditionExpression: 'attribute_not_exists(pk) OR #count < :count',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':count': n(count) },
          }),
        ),
      );
    }
  }

  private async consistentGet(keys: Item[]): Promise<Item[]> {
    const found: Item[] = [];
    let pending = keys;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoffDelay(attempt));
      const result = await this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }));
      found.push(...(result.Responses?.[this.tableName] ?? []));
      pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return found;
  }

  private async advanceLatest(reading: CrowdReading): Promise<void> {
    await ignoringLostRace(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: s(LATEST_PARTITION), sk: s(reading.venueId) },
          UpdateExpression: 'SET venueId = :venueId, band = :band, trend = :trend, observedAt = :at, v = :v',
          // An older reading arriving late never replaces a newer one.
          ConditionExpression: 'attribute_not_exists(observedAt) OR observedAt < :at',
          ExpressionAttributeValues: {
            ':venueId': s(reading.venueId),
            ':band': n(reading.band),
            ':trend': reading.trend === null ? { NULL: true } : { BOOL: reading.trend },
            ':at': s(reading.observedAt.toISOString()),
            ':v': n(SCHEMA_VERSION),
          },
        }),
      ),
    );
  }
}

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

async function ignoringLostRace(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** The stored form of a reading; exported for the benchmark, which seeds raw items directly. */
export function encodeReading(reading: CrowdReading, pending: boolean): Item {
  const observedAt = reading.observedAt.toISOString();
  const hour = hourKey(reading.observedAt.getTime());
  return {
    pk: s(readingPartition(reading.venueId)),
    sk: s(observedAt),
    v: n(SCHEMA_VERSION),
    venueId: s(reading.venueId),
    band: n(reading.band),
    trend: reading.trend === null ? { NULL: true } : { BOOL: reading.trend },
    observedAt: s(observedAt),
    [BY_HOUR_INDEX.partition]: s(rawHourPartition(hour)),
    [BY_HOUR_INDEX.sort]: s(`${observedAt}#${reading.venueId}`),
    ...(pending ? { [PENDING_INDEX.partition]: s(PENDING_ROLLUP), [PENDING_INDEX.sort]: s(`${reading.venueId}#${observedAt}`) } : {}),
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

/** [sum, count] of a day rollup (its per-hour `sHH`/`cHH` attributes) or of a block. */
function blockTotal(item: Item): [number, number] {
  if (item['count'] !== undefined) return [num(item, 'sum'), num(item, 'count')];
  let sum = 0;
  let count = 0;
  for (const [name, value] of Object.entries(item)) {
    if (/^s\d\d$/.test(name)) sum += Number(value.N ?? '0');
    if (/^c\d\d$/.test(name)) count += Number(value.N ?? '0');
  }
  return [sum, count];
}
