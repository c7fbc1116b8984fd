import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import test from 'ava';
import { DynamoSubscriptionRepository } from '../../../adapters/dynamodb/dynamo-subscription-repository.js';
import { RecordingWebhookSender } from '../../../adapters/memory/recording-webhook-sender.js';
import { SealedWebhookSecrets } from '../../../adapters/webhooks/sealed-webhook-secrets.js';
import { DEFAULT_DELIVERY_POLICY, DeliverWebhooks } from '../../../application/use-cases/deliver-webhooks.js';
import { QueueQuietAlerts } from '../../../application/use-cases/queue-quiet-alerts.js';
import { NEW_SUBSCRIPTION_STATE } from '../../../domain/subscription.js';
import { aBandChange, aReading, aSubscription, aVenue } from '../../support/builders.js';
import { startDynalite, type DynamoServer } from '../../../scripts/dynamodb-servers.js';
import { dynamoFixture } from '../../support/dynamo-fixture.js';

let server: DynamoServer | undefined;
test.before(async () => {
  server = await startDynalite();
});
test.after.always(() => server?.close());

/** Requests a client sends, by command. */
function countRequests(client: DynamoDBClient): () => Record<string, number> {
  const counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context.commandName ?? 'unknown').replace(/Command$/, '');
      counts[name] = (counts[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'requestCounter' },
  );
  return () => ({ ...counts });
}

/** 300 subscriptions to 300 venues, as a poll of a busy deployment meets them. */
async function deployment() {
  const fixture = await dynamoFixture(server!.endpoint);
  const subscriptions = new DynamoSubscriptionRepository({ client: fixture.client, name: fixture.tableName });
  const secrets = new SealedWebhookSecrets('a-webhook-secret-key-for-these-tests');
  await fixture.venues.save(Array.from({ length: 300 }, (_, i) => aVenue({ id: `v${i}` })));
  await fixture.readings.record([aReading('v0', '2020-08-01T04:00:00Z', 3)]);
  for (let i = 0; i < 300; i++) {
    const issued = secrets.issue(`sub-${i}`);
    await subscriptions.add({
      subscription: aSubscription({ id: `sub-${i}`, watch: { kind: 'venue', venueId: `v${i}` } }),
      secretHash: issued.hash,
      sealedSecret: issued.sealed,
      state: NEW_SUBSCRIPTION_STATE,
    });
  }
  const requests = countRequests(fixture.client);
  const queue = new QueueQuietAlerts(subscriptions, fixture.venues, { now: () => new Date('2020-08-01T05:00:00Z') });
  const deliver = new DeliverWebhooks(
    subscriptions,
    new RecordingWebhookSender(),
    secrets,
    { now: () => new Date('2020-08-01T05:00:00Z') },
    DEFAULT_DELIVERY_POLICY,
  );
  return { queue, deliver, requests };
}

test("a poll without band changes costs the webhooks nothing but the notifier's one Query of pending deliveries", async (t) => {
  const { queue, deliver, requests } = await deployment();
  await queue.execute([{ type: 'ReadingRecorded', reading: aReading('v0', '2020-08-01T04:50:00Z', 3) }]);
  await deliver.execute();
  t.deepEqual(requests(), { Query: 1 });
});

test('band changes nobody is alerted to cost one Query of the subscriptions and one of the venues, whatever their number', async (t) => {
  const { queue, deliver, requests } = await deployment();
  const changes = Array.from({ length: 50 }, (_, i) => aBandChange(`v${i}`, '2020-08-01T04:50:00Z', 0, 2));
  await queue.execute(changes);
  await deliver.execute();
  t.deepEqual(requests(), { Query: 3 });
});

test('one alert costs 4 requests to queue and 8 to send and record', async (t) => {
  const { queue, deliver, requests } = await deployment();
  await queue.execute([aBandChange('v0', '2020-08-01T04:50:00Z', 3, 0)]);
  t.like(await deliver.execute(), { delivered: 1 });
  // Queue: Query subscriptions and venues; PutItem the delivery; BatchGetItem the subscription and its
  // history, PutItem its state. Send: Query pending; UpdateItem the claim; BatchGetItem the subscription
  // and its history; DeleteItem the delivery; BatchGetItem again, PutItem its state and its history.
  t.deepEqual(requests(), { Query: 3, PutItem: 4, BatchGetItem: 3, UpdateItem: 1, DeleteItem: 1 });
});
