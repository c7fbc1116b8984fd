import test from 'ava';
import { repositoryContract } from '../../contracts/repositories.js';
import { rollupContract } from '../../contracts/rollups.js';
import { subscriptionContract } from '../../contracts/subscriptions.js';
import { dynamoFixture, dynamoSubscriptionFixture } from '../../support/dynamo-fixture.js';
import { startDynalite, type DynamoServer } from '../../../scripts/dynamodb-servers.js';

let server: DynamoServer | undefined;
test.before(async () => {
  server = await startDynalite();
});
test.after.always(() => server?.close());

repositoryContract('dynalite', () => dynamoFixture(server!.endpoint));
rollupContract('dynalite', () => server!.endpoint);
subscriptionContract('dynalite', () => dynamoSubscriptionFixture(server!.endpoint));
