import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { waitBeforeRetry } from '../../application/use-cases/retry-backoff.js';
import { mapConcurrently } from '../../application/use-cases/map-concurrently.js';
import { chunk, UNPROCESSED_BACKOFF } from './concurrency.js';

const MAX_BATCH = 25;
const MAX_ATTEMPTS = 10;

/** BatchWriteItem in 25s, a few batches at a time, retrying UnprocessedItems with backoff and jitter. */
export async function batchWrite(client: DynamoDBClient, tableName: string, requests: readonly WriteRequest[]): Promise<void> {
  await mapConcurrently(chunk(requests, MAX_BATCH), 4, async (batch) => {
    let pending: WriteRequest[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === MAX_ATTEMPTS) throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${MAX_ATTEMPTS} attempts`);
      if (attempt > 0) await waitBeforeRetry(attempt, UNPROCESSED_BACKOFF);
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = result.UnprocessedItems?.[tableName] ?? [];
    }
  });
}
