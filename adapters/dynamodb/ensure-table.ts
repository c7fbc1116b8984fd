import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITION } from './table-definition.js';

/** The table missing where it must be provisioned by someone else (CloudFormation on AWS). */
export class TableMissingError extends Error {
  override readonly name = 'TableMissingError';
}

/**
 * Locally, creates the table from TABLE_DEFINITION when it is missing; on AWS (create=false),
 * fails fast with one clear line, since the template owns the table.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string, options: { create: boolean }): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (!options.create) {
    throw new TableMissingError(
      `DynamoDB table ${tableName} does not exist: deploy the CloudFormation stack, or check TABLE_NAME and AWS_REGION`,
    );
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
}

export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: TABLE_DEFINITION.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: TABLE_DEFINITION.key.partition, KeyType: 'HASH' as const },
      { AttributeName: TABLE_DEFINITION.key.sort, KeyType: 'RANGE' as const },
    ],
    // DynamoDB refuses an empty list of indexes; none is no list.
    ...(TABLE_DEFINITION.globalIndexes.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: TABLE_DEFINITION.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partition, KeyType: 'HASH' as const },
              { AttributeName: index.sort, KeyType: 'RANGE' as const },
            ],
            Projection:
              index.projection.type === 'INCLUDE'
                ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projection.attributes] }
                : { ProjectionType: index.projection.type },
          })),
        }),
  };
}
