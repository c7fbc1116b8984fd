import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoClientSettings {
  /** A DynamoDB-API server (DynamoDB Local, dynalite); unset = the AWS service of the region. */
  readonly endpoint?: string;
  readonly region?: string;
  /** How long one attempt may wait for its answer; each of the six attempts gets its own. */
  readonly requestTimeoutMs?: number;
}

/**
 * The SDK's own default is to wait for an answer for as long as five minutes, six attempts in
 * a row: one stalled connection would keep a poll (and the lease it renews) busy for half an
 * hour. A DynamoDB request answers in milliseconds; ten seconds is a failure to retry.
 */
const DYNAMO_TIMEOUTS = { connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000 } as const;

/**
 * The SDK retries throttling, 5xx and timeouts itself (adaptive mode adds client-side rate
 * limiting); BatchWriteItem's UnprocessedItems are retried by batch-write.ts.
 */
export function createDynamoClient(settings: DynamoClientSettings = {}): DynamoDBClient {
  const local = settings.endpoint !== undefined;
  return new DynamoDBClient({
    ...(local ? { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    region: settings.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? (local ? 'local' : undefined),
    maxAttempts: 6,
    retryMode: 'adaptive',
    requestHandler: {
      connectionTimeout: DYNAMO_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: settings.requestTimeoutMs ?? DYNAMO_TIMEOUTS.requestTimeoutMs,
      // Without it the SDK only logs a warning when requestTimeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
    },
  });
}
