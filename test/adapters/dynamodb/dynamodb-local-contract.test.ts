import test from 'ava';
import { repositoryContract } from '../../contracts/repositories.js';
import { rollupContract } from '../../contracts/rollups.js';
import { subscriptionContract } from '../../contracts/subscriptions.js';
import { dynamoFixture, dynamoSubscriptionFixture } from '../../support/dynamo-fixture.js';
import { javaMissingReason, startDynamoDbLocal, type DynamoServer } from '../../../scripts/dynamodb-servers.js';

const missing = javaMissingReason();

if (missing !== null) {
  console.log(`Skipping the DynamoDB Local contract: ${missing}`);
  test.skip(`DynamoDB Local contract (${missing})`, () => {});
} else {
  let server: DynamoServer | undefined;
  test.before(async () => {
    server = await startDynamoDbLocal();
  });
  test.after.always(() => server?.close());
  repositoryContract('DynamoDB Local', () => dynamoFixture(server!.endpoint));
  rollupContract('DynamoDB Local', () => server!.endpoint);
  subscriptionContract('DynamoDB Local', () => dynamoSubscriptionFixture(server!.endpoint));
}
