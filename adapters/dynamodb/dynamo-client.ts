import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoClientSettings {
  /** A DynamoDB-API server (DynamoDB Local, dynalite); unset = the AWS service of the region. */
  readonly endpoint?: string;
  readonly region?: string;
}

/**
 * The SDK retries throttling and 5xx itself (adaptive mode adds client-side rate limiting);
 * BatchWriteItem's UnprocessedItems are retried by batch-write.ts.
 */
export function createDynamoClient(settings: DynamoClientSettings = {}): DynamoDBClient {
  const local = settings.endpoint !== undefined;
  return new DynamoDBClient({
    ...(local ? { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    region: settings.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? (local ? 'local' : undefined),
    maxAttempts: 6,
    retryMode: 'adaptive',
  });
}
