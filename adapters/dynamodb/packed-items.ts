import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { waitBeforeRetry } from '../../application/use-cases/retry-backoff.js';
import { mapConcurrently } from '../../application/use-cases/map-concurrently.js';
import { chunk, UNPROCESSED_BACKOFF } from './concurrency.js';
import type { DynamoTable } from './dynamo-table.js';
import { n, num, s, text, type Item } from './attribute-values.js';
import { queryAll } from './query-pages.js';
import { SCHEMA_VERSION } from './table-definition.js';

/** DynamoDB refuses items over 400 KB; stop short of it with a reason instead. */
export const MAX_ITEM_BYTES = 390 * 1024;
const MAX_CONFLICTS = 20;
const MAX_BATCH_GET = 100;
/**
 * Decoded items kept for readers: a 30-day question over 1,000 venues reads about 150, and one
 * of 5,000 venues' blocks decodes to a few hundred KB.
 */
const MAX_DECODED = 512;

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** A shard grew past what one DynamoDB item may hold. */
export class PackedItemTooLargeError extends Error {
  override readonly name = 'PackedItemTooLargeError';
}

/**
 * The new attributes of an item given what it holds now (undefined: no item yet), or null
 * when nothing needs writing.
 */
export type Mutation = (current: Item | undefined) => Item | null;

/**
 * Reads and writes of packed items. Every write is a compare-and-set on the item's `version`:
 * a writer that read an older version than the one stored loses, re-reads and re-applies its
 * change to what is there now, so no update is ever lost, also when a poller that lost its
 * lease is still writing.
 */
export class PackedItems {
  /** Eventually consistent reads in flight, by what they ask: the same question at once is asked once. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Decoded attributes by key, attribute and version, least recently used first. */
  private readonly decoded = new Map<string, unknown>();

  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(table: DynamoTable) {
    this.client = table.client;
    this.tableName = table.name;
  }

  /** Every item of a partition by sort key; `projection` names the attributes wanted besides the key. */
  async partition(pk: string, options: { consistent?: boolean; projection?: readonly string[] } = {}): Promise<Map<string, Item>> {
    if (options.consistent === true) return this.queryPartition(pk, options);
    return this.coalesced(`partition|${pk}|${options.projection?.join(',') ?? ''}`, () => this.queryPartition(pk, options));
  }

  /**
   * An attribute of an item read from partition `pk`, decoded once per version: a packed item
   * changes only by a write that bumps its `version`, so (key, attribute, version) always decodes
   * to the same value, and questions over overlapping ranges inflate and parse each day or block
   * once. The value is shared between readers: callers must not change it.
   */
  sharedData(pk: string, item: Item, attribute = 'data'): unknown {
    // Every write of a packed item sets its version (update() and the benchmark's seeding alike).
    const key = `${pk}|${text(item, 'sk')}|${attribute}|${num(item, 'version')}`;
    if (this.decoded.has(key)) {
      const value = this.decoded.get(key);
      this.decoded.delete(key);
      this.decoded.set(key, value);
      return value;
    }
    const value = packedData(item, attribute);
    this.decoded.set(key, value);
    for (const oldest of this.decoded.keys()) {
      if (this.decoded.size <= MAX_DECODED) break;
      this.decoded.delete(oldest);
    }
    return value;
  }

  /** One item, or undefined; concurrent reads of the same item share one request. */
  async one(key: ItemKey): Promise<Item | undefined> {
    return this.coalesced(`item|${keyOf(key.pk, key.sk)}`, async () => (await this.get([key])).get(keyOf(key.pk, key.sk)));
  }

  /**
   * Many requests at once for the same shard (say, sixteen clients asking for venues that share
   * it) reach the table once. Only reads that may be eventually consistent are shared, and only
   * while in flight: nothing is kept afterwards.
   */
  private coalesced<T>(question: string, read: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(question) as Promise<T> | undefined;
    if (pending !== undefined) return pending;
    const answer = read().finally(() => this.inFlight.delete(question));
    this.inFlight.set(question, answer);
    return answer;
  }

  private async queryPartition(pk: string, options: { consistent?: boolean; projection?: readonly string[] }): Promise<Map<string, Item>> {
    const projection = options.projection === undefined ? {} : projectionOf(['sk', 'version', ...options.projection]);
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': s(pk) },
      ...(options.consistent === true ? { ConsistentRead: true } : {}),
      ...projection,
    });
    return new Map(items.map((item) => [text(item, 'sk'), item]));
  }

  /** The items with these keys that exist, by `pk|sk`. BatchGetItem, 100 keys a request. */
  async get(keys: readonly ItemKey[], options: { consistent?: boolean } = {}): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    await mapConcurrently(chunk(keys, MAX_BATCH_GET), 4, async (batch) => {
      let pending: Item[] = batch.map((key) => ({ pk: s(key.pk), sk: s(key.sk) }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await waitBeforeRetry(attempt, UNPROCESSED_BACKOFF);
        const result = await this.client.send(
          new BatchGetItemCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ...(options.consistent === true ? { ConsistentRead: true } : {}) } },
          }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) found.set(keyOf(text(item, 'pk'), text(item, 'sk')), item);
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    });
    return found;
  }

  /**
   * Applies `mutate` to the item at `key` and writes the result if the item is still as read.
   * `known` is the item as a recent consistent read saw it (undefined: it did not exist), which
   * saves the first read; on a lost race the item is read again and `mutate` runs again.
   */
  async update(key: ItemKey, mutate: Mutation, known?: { item: Item | undefined }): Promise<void> {
    let current = known;
    for (let conflicts = 0; conflicts <= MAX_CONFLICTS; conflicts++) {
      current ??= { item: await this.read(key) };
      const next = mutate(current.item);
      if (next === null) return;
      const version = current.item === undefined ? 0 : num(current.item, 'version');
      const item: Item = { ...next, pk: s(key.pk), sk: s(key.sk), v: n(SCHEMA_VERSION), version: n(version + 1) };
      assertFits(key, item);
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: item,
            ...(current.item === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': n(version) } }),
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        current = undefined;
      }
    }
    throw new Error(`${key.pk} ${key.sk}: gave up after ${MAX_CONFLICTS} conflicting writes`);
  }

  private async read(key: ItemKey): Promise<Item | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { pk: s(key.pk), sk: s(key.sk) }, ConsistentRead: true }),
    );
    return result.Item;
  }
}

export const keyOf = (pk: string, sk: string): string => `${pk}|${sk}`;

function projectionOf(attributes: readonly string[]) {
  const names = Object.fromEntries(attributes.map((name, i) => [`#p${i}`, name]));
  return { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names };
}

/** DynamoDB's item size: attribute names plus values, strings as UTF-8. */
export function itemBytes(item: Item): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += Buffer.byteLength(name);
    if (value.S !== undefined) bytes += Buffer.byteLength(value.S);
    else if (value.N !== undefined) bytes += value.N.length;
    else if (value.B !== undefined) bytes += value.B.length;
    else bytes += 8;
  }
  return bytes;
}

function assertFits(key: ItemKey, item: Item): void {
  const bytes = itemBytes(item);
  if (bytes > MAX_ITEM_BYTES) {
    throw new PackedItemTooLargeError(
      `${key.pk} shard ${key.sk} would hold ${Math.round(bytes / 1024)} KB, over the ${MAX_ITEM_BYTES / 1024} KB a DynamoDB item may; raise its shard count in keys.ts`,
    );
  }
}

/**
 * Packed values are JSON, brotli-compressed into a binary attribute: V8 parses JSON far faster
 * than the SDK unmarshals a map per venue, and compressed they are a fraction of the bytes that
 * DynamoDB bills (per KB written, per 4 KB read) and that every reader moves and parses.
 * The caller names the shape it wrote (packed-rollups.ts has the shapes).
 */
export function packedData(item: Item | undefined, attribute = 'data'): unknown {
  const bytes = item?.[attribute]?.B;
  return bytes === undefined ? undefined : (JSON.parse(brotliDecompressSync(bytes).toString('utf8')) as unknown);
}

export const packed = (value: unknown): AttributeValue => ({ B: brotliCompressSync(JSON.stringify(value), BROTLI) });

/** Quality 4 compresses a 150 KB shard in about a millisecond, to within a few percent of the best. */
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };
