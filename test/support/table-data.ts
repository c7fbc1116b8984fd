import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoTable } from '../../adapters/dynamodb/dynamo-table.js';

type Item = Record<string, AttributeValue>;

/**
 * The table as data, one sorted line per item: readings, venues and rollups, not the lease,
 * outbox or journal (they hold which process did what) nor items' versions. Two runs that
 * stored the same facts give the same lines, however they got there.
 */
export async function tableData({ client, name }: DynamoTable): Promise<string[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: name, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items
    .filter((item) => !['LEASE', 'OUTBOX', 'INGEST'].includes(item['pk']?.S ?? ''))
    .map(({ version: _version, ...rest }) => JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)))))
    .sort();
}
