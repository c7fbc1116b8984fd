import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject, injectable } from 'inversify';
import type { EventOutbox, StagedEvent } from '../../application/ports/event-outbox.js';
import { mapConcurrently } from '../../application/use-cases/map-concurrently.js';
import { DYNAMO_TABLE, type DynamoTable } from './dynamo-table.js';
import { decodeEvent, encodeEvent } from './event-codec.js';
import { OUTBOX_PARTITION } from './keys.js';
import { n, num, s, text, type Item } from './attribute-values.js';
import { packed, packedData, PackedItems } from './packed-items.js';
import { SCHEMA_VERSION } from './table-definition.js';

/** Staged events of one chunk: [key, event as JSON]. */
type Chunk = Array<[key: string, event: string]>;

/** Before compression; compressed, a chunk is a fraction of DynamoDB's 400 KB item. */
const MAX_CHUNK_BYTES = 1024 * 1024;
const MAX_CONFLICTS = 10;

/**
 * Staged events in chunk items of the `OUTBOX` partition (`sk` = staging time, so oldest first):
 * a poll stages its events in one or two writes rather than one per event, and removes them the
 * same way. A chunk is changed only with a compare-and-set on its version, so two processes
 * removing events from it at once cannot bring back what the other removed.
 */
@injectable()
export class DynamoEventOutbox implements EventOutbox {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly packed: PackedItems;

  constructor(@inject(DYNAMO_TABLE) table: DynamoTable) {
    this.client = table.client;
    this.tableName = table.name;
    this.packed = new PackedItems(table);
  }

  async stage(events: readonly StagedEvent[]): Promise<void> {
    const unique = [...new Map(events.map((staged) => [staged.key, staged])).values()];
    const chunks: Chunk[] = [];
    let filling: Chunk = [];
    let bytes = 0;
    for (const staged of unique) {
      const entry: [string, string] = [staged.key, encodeEvent(staged.event)];
      const size = Buffer.byteLength(entry[1]) + entry[0].length + 8;
      if (filling.length > 0 && bytes + size > MAX_CHUNK_BYTES) {
        chunks.push(filling);
        filling = [];
        bytes = 0;
      }
      filling.push(entry);
      bytes += size;
    }
    if (filling.length > 0) chunks.push(filling);
    // Sorted by staging time, then chunk; the id keeps two processes staging in the same millisecond apart.
    const stagedAt = `${String(Date.now()).padStart(15, '0')}#${randomUUID()}`;
    await mapConcurrently([...chunks.entries()], 4, ([index, chunk]) =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: s(OUTBOX_PARTITION),
            sk: s(`${stagedAt}#${String(index).padStart(4, '0')}`),
            v: n(SCHEMA_VERSION),
            version: n(1),
            events: packed(chunk),
          },
        }),
      ),
    );
  }

  /** Oldest first; an event staged twice (by two polls) once. */
  async pending(): Promise<readonly StagedEvent[]> {
    const seen = new Map<string, StagedEvent>();
    for (const chunk of (await this.packed.partition(OUTBOX_PARTITION, { consistent: true })).values()) {
      for (const [key, event] of (packedData(chunk, 'events') as Chunk | undefined) ?? [])
        if (!seen.has(key)) seen.set(key, { key, event: decodeEvent(event) });
    }
    return [...seen.values()];
  }

  async remove(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const removed = new Set(keys);
    const chunks = await this.packed.partition(OUTBOX_PARTITION, { consistent: true });
    await mapConcurrently([...chunks.values()], 4, (chunk) => this.removeFrom(chunk, removed));
  }

  private async removeFrom(chunk: Item, removed: ReadonlySet<string>): Promise<void> {
    let current: Item | undefined = chunk;
    for (let conflicts = 0; current !== undefined && conflicts <= MAX_CONFLICTS; conflicts++) {
      const entries = (packedData(current, 'events') as Chunk | undefined) ?? [];
      const kept = entries.filter(([key]) => !removed.has(key));
      if (kept.length === entries.length) return;
      const version = num(current, 'version');
      const sk = text(current, 'sk');
      const key: Item = { pk: s(OUTBOX_PARTITION), sk: s(sk) };
      const unchanged = { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': n(version) } };
      try {
        if (kept.length === 0) await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: key, ...unchanged }));
        else
          await this.client.send(
            new PutItemCommand({
              TableName: this.tableName,
              Item: { ...current, version: n(version + 1), events: packed(kept) },
              ...unchanged,
            }),
          );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        current = (await this.packed.get([{ pk: OUTBOX_PARTITION, sk }], { consistent: true })).values().next().value;
      }
    }
  }
}
