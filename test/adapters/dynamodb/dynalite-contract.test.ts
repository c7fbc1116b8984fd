import test from 'ava';
import { repositoryContract } from '../../contracts/repositories.js';
import { rollupContract } from '../../contracts/rollups.js';
import { dynamoFixture, startDynalite, type DynamoServer } from '../../support/dynamo-servers.js';

let server: DynamoServer;
test.before(async () => {
  server = await startDynalite();
});
test.after.always(() => server?.close());

repositoryContract('dynalite', () => dynamoFixture(server.endpoint));
rollupContract('dynalite', () => server.endpoint);
