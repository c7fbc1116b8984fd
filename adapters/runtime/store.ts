import type { Logger } from 'pino';
import { createDynamoClient } from '../dynamodb/dynamo-client.js';
import type { DynamoTable } from '../dynamodb/dynamo-table.js';
import { startEmbeddedDynamo } from '../dynamodb/embedded-dynalite.js';
import { ensureTable } from '../dynamodb/ensure-table.js';
import { ConfigError, type Config } from './config.js';

/** The table the adapters share, with what its lifecycle needs. */
export interface OpenTable extends DynamoTable {
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
export async function openTable(config: Config, logger: Logger): Promise<OpenTable> {
  if (config.dynamodbEndpoint !== null) {
    return connect(
      config.dynamodbEndpoint,
      config.tableName ?? LOCAL_TABLE_NAME,
      true,
      `DynamoDB at ${config.dynamodbEndpoint}`,
      async () => {},
    );
  }
  if (config.tableName !== null) {
    return connect(undefined, config.tableName, false, `DynamoDB table ${config.tableName}`, async () => {});
  }
  const embedded = await startEmbeddedDynamo({ dataDir: config.dataDir }).catch((error: unknown) => {
    throw new ConfigError(
      `DATA_DIR=${JSON.stringify(config.dataDir)} cannot hold the embedded store: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  logger.debug({ endpoint: embedded.endpoint }, 'embedded dynalite started');
  return connect(embedded.endpoint, LOCAL_TABLE_NAME, true, `embedded store in ${config.dataDir}`, () => embedded.close());
}

async function connect(
  endpoint: string | undefined,
  name: string,
  createWhenMissing: boolean,
  description: string,
  closeServer: () => Promise<void>,
): Promise<OpenTable> {
  const client = createDynamoClient(endpoint === undefined ? {} : { endpoint });
  try {
    await ensureTable(client, name, { create: createWhenMissing });
  } catch (error) {
    client.destroy();
    await closeServer();
    throw error;
  }
  return {
    client,
    name,
    description,
    close: async () => {
      client.destroy();
      await closeServer();
    },
  };
}
