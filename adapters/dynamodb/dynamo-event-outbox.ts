import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { injectable } from 'inversify';
import type { EventOutbox, StagedEvent } from '../../application/ports/event-outbox.js';
import { batchWrite } from './batch-write.js';
import { decodeEvent, encodeEvent } from './event-codec.js';
import { n, num, queryAll, s, text } from './query-pages.js';
import { SCHEMA_VERSION } from './table-definition.js';

const OUTBOX_PARTITION = 'OUTBOX';

/** Staged events in one partition (`pk=OUTBOX`, `sk=<event key>`), so staging twice is harmless. */
@injectable()
export class DynamoEventOutbox implements EventOutbox {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async stage(events: readonly StagedEvent[]): Promise<void> {
    const stagedAt = Date.now();
    // One write per key: BatchWriteItem refuses a request that names a key twice.
    const unique = [...new Map(events.map((staged) => [staged.key, staged])).values()];
    await batchWrite(
      this.client,
      this.tableName,
      unique.map((staged, i) => ({
        PutRequest: { Item: { pk: s(OUTBOX_PARTITION), sk: s(staged.key), seq: n(stagedAt * 10_000 + i), event: s(encodeEvent(staged.event)), v: n(SCHEMA_VERSION) } },
      })),
    );
  }

  async pending(): Promise<readonly StagedEvent[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': s(OUTBOX_PARTITION) },
      ConsistentRead: true,
    });
    return items.sort((a, b) => num(a, 'seq') - num(b, 'seq')).map((item) => ({ key: text(item, 'sk'), event: decodeEvent(text(item, 'event')) }));
  }

  async remove(keys: readonly string[]): Promise<void> {
    await batchWrite(this.client, this.tableName, keys.map((key) => ({ DeleteRequest: { Key: { pk: s(OUTBOX_PARTITION), sk: s(key) } } })));
  }
}
