import {
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
import { mapConcurrently } from './concurrency.js';
import {
  dayPartition,
  hourKey,
  hourPartition,
  hourStart,
  LATEST_PARTITION,
  PENDING_ROLLUP,
  rawHourPartition,
  readingPartition,
  singaporeDayKey,
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
    const plan = planRange(range.from, range.to);
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
      ...plan.days.map((day) => async () => {
        const items = await queryAll(this.client, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': s(dayPartition(day)) } });
        for (const item of items) add(text(item, 'sk'), sumOf(item, 's'), sumOf(item, 'c'));
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
    const touched = new Map(readings.map((r) => [`${r.venueId}|${hourKey(r.observedAt.getTime())}`, r]));
    await mapConcurrently([...touched.values()], this.concurrency, (r) => this.recomputeRollups(r.venueId, hourKey(r.observedAt.getTime())));
    const newest = new Map<VenueId, CrowdReading>();
    for (const r of readings) if ((newest.get(r.venueId)?.observedAt.getTime() ?? -Infinity) < r.observedAt.getTime()) newest.set(r.venueId, r);
    await mapConcurrently([...newest.values()], this.concurrency, (r) => this.advanceLatest(r));
    await batchWrite(this.client, this.tableName, readings.map((r) => ({ PutRequest: { Item: encodeReading(r, false) } })));
  }

  private async recomputeRollups(venueId: VenueId, hour: string): Promise<void> {
    const raw = await queryAll(this.client, {
      TableName: this.tableName,
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

async function ignoringLostRace(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

function encodeReading(reading: CrowdReading, pending: boolean): Item {
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

/** Adds a day rollup's per-hour attributes `s00`..`s23` (or `c00`..`c23`). */
function sumOf(item: Item, prefix: 's' | 'c'): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) if (/^[sc]\d\d$/.test(name) && name.startsWith(prefix)) total += Number(value.N ?? '0');
  return total;
}
