import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The one table every DynamoDB adapter shares, and the client that reaches it. */
export interface DynamoTable {
  readonly client: DynamoDBClient;
  readonly name: string;
}

export const DYNAMO_TABLE = Symbol.for('DynamoTable');
