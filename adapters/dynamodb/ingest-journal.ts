import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Band } from '../../domain/band.js';
import type { CrowdReading } from '../../domain/crowd-reading.js';
import type { DynamoTable } from './dynamo-table.js';
import { INGEST_HEAD } from './keys.js';
import { packed, packedData } from './packed-items.js';
import { n, num, s } from './attribute-values.js';
import { SCHEMA_VERSION } from './table-definition.js';

/** The last batch of new readings: applied everywhere (`pending` null), or still being applied. */
export interface JournalHead {
  readonly seq: number;
  readonly pending: readonly CrowdReading[] | null;
}

const KEY = { pk: s(INGEST_HEAD.pk), sk: s(INGEST_HEAD.sk) };
const NAMES = { '#state': 'state' };
const COMPLETE_NAMES = { ...NAMES, '#batch': 'batch' };

/**
 * One item that orders every ingest: a batch of new readings is written here, numbered, before
 * any of its effects, and marked done after all of them. Beginning a batch is a compare-and-set
 * on the previous number, so two writers can never both begin batch n; a writer that finds a
 * batch still pending (its writer died or stalled) applies it first. Every rollup remembers the
 * last batch number it took in, so applying a batch twice changes nothing.
 */
export class IngestJournal {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(table: DynamoTable) {
    this.client = table.client;
    this.tableName = table.name;
  }

  async head(): Promise<JournalHead> {
    const { Item: item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: KEY, ConsistentRead: true }));
    if (item === undefined) return { seq: 0, pending: null };
    return {
      seq: num(item, 'seq'),
      pending: item['state']?.S === 'pending' ? decodeBatch((packedData(item, 'batch') as EncodedReading[] | undefined) ?? []) : null,
    };
  }

  /** Records batch `seq` as pending; false when another writer changed the head since `previous` was read. */
  async begin(seq: number, previous: number, readings: readonly CrowdReading[]): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...KEY, v: n(SCHEMA_VERSION), seq: n(seq), state: s('pending'), batch: packed(encodeBatch(readings)) },
          ...(previous === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'seq = :previous AND #state = :done',
                ExpressionAttributeNames: NAMES,
                ExpressionAttributeValues: { ':previous': n(previous), ':done': s('done') },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Marks batch `seq` applied; a writer that finished it first has already done so. */
  async complete(seq: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: KEY,
          UpdateExpression: 'SET #state = :done REMOVE #batch',
          ConditionExpression: 'seq = :seq AND #state = :pending',
          ExpressionAttributeNames: COMPLETE_NAMES,
          ExpressionAttributeValues: { ':seq': n(seq), ':pending': s('pending'), ':done': s('done') },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

type EncodedReading = [venueId: string, observedAtMs: number, band: number, trend: number];

function encodeBatch(readings: readonly CrowdReading[]): EncodedReading[] {
  return readings.map((r): EncodedReading => [r.venueId, r.observedAt.getTime(), r.band, encodeTrend(r.trend)]);
}

function decodeBatch(encoded: readonly EncodedReading[]): CrowdReading[] {
  return encoded.map(([venueId, at, band, trend]) => ({
    venueId,
    observedAt: new Date(at),
    band: band as Band,
    trend: decodeTrend(trend),
  }));
}

export const encodeTrend = (trend: boolean | null): number => (trend === null ? -1 : trend ? 1 : 0);
export const decodeTrend = (code: number): boolean | null => (code === -1 ? null : code === 1);
