import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../adapters/dynamodb/dynamo-client.js';
import { DynamoReadingRepository } from '../../adapters/dynamodb/dynamo-reading-repository.js';
import { DynamoSubscriptionRepository } from '../../adapters/dynamodb/dynamo-subscription-repository.js';
import { DynamoVenueRepository } from '../../adapters/dynamodb/dynamo-venue-repository.js';
import { ensureTable } from '../../adapters/dynamodb/ensure-table.js';
import type { RepositoryFixture } from '../contracts/repositories.js';
import type { SubscriptionFixture } from '../contracts/subscriptions.js';

/** A new table on `endpoint`, with a client. */
async function freshTable(endpoint: string): Promise<{ client: DynamoDBClient; tableName: string }> {
  const client = createDynamoClient({ endpoint });
  const tableName = `t-${randomUUID()}`;
  await ensureTable(client, tableName, { create: true });
  return { client, tableName };
}

/** A fresh table on `endpoint` with repositories over it; each call gets its own table. */
export async function dynamoFixture(endpoint: string): Promise<RepositoryFixture & { client: DynamoDBClient; tableName: string }> {
  const { client, tableName } = await freshTable(endpoint);
  return {
    client,
    tableName,
    venues: new DynamoVenueRepository({ client, name: tableName }),
    readings: new DynamoReadingRepository({ client, name: tableName }),
    twin: new DynamoReadingRepository({ client: createDynamoClient({ endpoint }), name: tableName }),
  };
}

/** A fresh table with two subscription repositories over it, each with its own client (for races). */
export async function dynamoSubscriptionFixture(endpoint: string): Promise<SubscriptionFixture> {
  const { client, tableName } = await freshTable(endpoint);
  return {
    subscriptions: new DynamoSubscriptionRepository({ client, name: tableName }),
    twin: new DynamoSubscriptionRepository({ client: createDynamoClient({ endpoint }), name: tableName }),
  };
}
