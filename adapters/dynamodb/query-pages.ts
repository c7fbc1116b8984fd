import { QueryCommand, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { Page } from '../../application/ports/page.js';
import type { Item } from './attribute-values.js';

/**
 * One page of a Query: keeps querying until `limit` items pass any filter or the partition
 * ends, and reports `next` only when another item really exists, so clients never get a
 * trailing empty page.
 */
export async function queryPage<T>(
  client: DynamoDBClient,
  input: QueryCommandInput,
  limit: number,
  decode: (item: Item) => T,
  positionOf: (item: T) => string,
): Promise<Page<T>> {
  const items: T[] = [];
  let startKey = input.ExclusiveStartKey;
  do {
    // A filter applies after Limit counts items, so filtered queries read whole 1 MB pages.
    const pageLimit = input.FilterExpression === undefined ? limit + 1 - items.length : undefined;
    const result = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey, Limit: pageLimit }));
    items.push(...(result.Items ?? []).map(decode));
    startKey = result.LastEvaluatedKey;
  } while (items.length <= limit && startKey !== undefined);
  const page = items.slice(0, limit);
  const more = items.length > limit;
  const last = page.at(-1);
  return { items: page, next: more && last !== undefined ? positionOf(last) : null };
}

/** Every item of a Query, following LastEvaluatedKey. */
export async function queryAll(client: DynamoDBClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let startKey = input.ExclusiveStartKey;
  do {
    const result = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
