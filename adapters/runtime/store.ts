import type { Logger } from 'pino';
import type { EventOutbox } from '../../application/ports/event-outbox.js';
import type { PollLease } from '../../application/ports/poll-lease.js';
import type { ReadingRepository } from '../../application/ports/reading-repository.js';
import type { SubscriptionRepository } from '../../application/ports/subscription-repository.js';
import type { VenueRepository } from '../../application/ports/venue-repository.js';
import { createDynamoClient } from '../dynamodb/dynamo-client.js';
import { DynamoEventOutbox } from '../dynamodb/dynamo-event-outbox.js';
import { DynamoPollLease } from '../dynamodb/dynamo-poll-lease.js';
import { DynamoReadingRepository } from '../dynamodb/dynamo-reading-repository.js';
import { DynamoSubscriptionRepository } from '../dynamodb/dynamo-subscription-repository.js';
import { DynamoVenueRepository } from '../dynamodb/dynamo-venue-repository.js';
import { startEmbeddedDynamo } from '../dynamodb/embedded-dynalite.js';
import { ensureTable } from '../dynamodb/ensure-table.js';
import { ConfigError, type Config } from './config.js';

export interface Store {
  readonly venues: VenueRepository;
  readonly readings: ReadingRepository;
  readonly outbox: EventOutbox;
  readonly lease: PollLease;
  readonly subscriptions: SubscriptionRepository;
  /** Where the data lives, for the start-up log line. */
  readonly description: string;
  close(): Promise<void>;
}

const LOCAL_TABLE_NAME = 'spaceout-crowd';

/**
 * One adapter, three places: an explicit endpoint (DynamoDB Local, dynalite), the real
 * service (TABLE_NAME alone: the table must exist, CloudFormation owns it), or the
 * embedded dynalite on disk in DATA_DIR for a laptop.
 */
export async function openStore(config: Config, logger: Logger): Promise<Store> {
  if (config.dynamodbEndpoint !== null) {
    return openTable(config.dynamodbEndpoint, config.tableName ?? LOCAL_TABLE_NAME, true, `DynamoDB at ${config.dynamodbEndpoint}`, async () => {});
  }
  if (config.tableName !== null) {
    return openTable(undefined, config.tableName, false, `DynamoDB table ${config.tableName}`, async () => {});
  }
  const embedded = await startEmbeddedDynamo({ dataDir: config.dataDir }).catch((error: unknown) => {
    throw new ConfigError(`DATA_DIR=${JSON.stringify(config.dataDir)} cannot hold the embedded store: ${error instanceof Error ? error.message : String(error)}`);
  });
  logger.debug({ endpoint: embedded.endpoint }, 'embedded dynalite started');
  return openTable(embedded.endpoint, LOCAL_TABLE_NAME, true, `embedded store in ${config.dataDir}`, () => embedded.close());
}

async function openTable(
  endpoint: string | undefined,
  tableName: string,
  createWhenMissing: boolean,
  description: string,
  closeServer: () => Promise<void>,
): Promise<Store> {
  const client = createDynamoClient(endpoint === undefined ? {} : { endpoint });
  try {
    await ensureTable(client, tableName, { create: createWhenMissing });
  } catch (error) {
    client.destroy();
    await closeServer();
    throw error;
  }
  return {
    venues: new DynamoVenueRepository(client, tableName),
    readings: new DynamoReadingRepository(client, tableName),
    outbox: new DynamoEventOutbox(client, tableName),
    lease: new DynamoPollLease(client, tableName),
    subscriptions: new DynamoSubscriptionRepository(client, tableName),
    description,
    close: async () => {
      client.destroy();
      await closeServer();
    },
  };
}
