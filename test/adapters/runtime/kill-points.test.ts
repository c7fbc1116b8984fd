import test, { type ExecutionContext } from 'ava';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../../adapters/dynamodb/dynamo-client.js';
import { ensureTable } from '../../../adapters/dynamodb/ensure-table.js';
import { createEventBridgeClient } from '../../../adapters/eventbridge/eventbridge-client.js';
import { EventBridgePublisher } from '../../../adapters/eventbridge/eventbridge-publisher.js';
import { SpaceOutCrowdSource } from '../../../adapters/spaceout/spaceout-crowd-source.js';
import { mapConcurrently } from '../../../application/use-cases/map-concurrently.js';
import { SPACEOUT_SITE_KEY } from '../../../adapters/spaceout/facility-list-key.js';
import { startSimulator } from '../../../adapters/spaceout/simulator/simulator.js';
import { javaMissingReason, startDynalite, startDynamoDbLocal, type DynamoServer } from '../../../scripts/dynamodb-servers.js';
import { countWrites, Killed, killAfterWrites } from '../../support/kill-switch.js';
import { pollUpstreamOf } from '../../support/poll-container.js';
import { PutEventsServer, type WireEntry } from '../eventbridge/put-events-server.js';

type Item = Record<string, AttributeValue>;

const EARLIER = new Date('2026-11-25T11:00:00Z');
const LATER = new Date('2026-11-25T11:20:00Z');

/**
 * One run of the story: a poll at 11:00 that completes, then at 11:20 a poll whose process dies
 * after `killAfter` writes, then a poll in a new process while EventBridge is down, then one
 * once it is back. Each new process starts after the dead one's lease expired.
 */
async function story(
  store: DynamoServer,
  killAfter: number | null,
): Promise<{ killed: boolean; writes: number; state: string[]; delivered: Set<string> }> {
  const tableName = `kill-${killAfter ?? 'none'}-${Math.random().toString(36).slice(2)}`;
  let simulatedNow = EARLIER;
  const [simulator, bus] = await Promise.all([startSimulator({ venueCount: 6, now: () => simulatedNow }), PutEventsServer.start()]);
  const source = new SpaceOutCrowdSource({ url: simulator.url, key: SPACEOUT_SITE_KEY });
  const eventBridge = createEventBridgeClient({
    endpoint: bus.endpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const clients: DynamoDBClient[] = [];
  const processes = { started: 0 };
  /** A new process: its own client and identity; its clock a minute past the previous one's. */
  const process = (client: DynamoDBClient = createDynamoClient({ endpoint: store.endpoint })) => {
    clients.push(client);
    const skew = 60_000 * processes.started++;
    return pollUpstreamOf({
      source,
      store: { client, name: tableName },
      publisher: new EventBridgePublisher(eventBridge, 'crowd-bus', { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }),
      clock: { now: () => new Date(Date.now() + skew) },
    });
  };
  try {
    await ensureTable(createDynamoClient({ endpoint: store.endpoint }), tableName, { create: true });
    await process().execute();
    const before = bus.accepted.length;

    simulatedNow = LATER;
    const dying = createDynamoClient({ endpoint: store.endpoint });
    const writes = countWrites(dying);
    if (killAfter !== null) killAfterWrites(dying, killAfter);
    const killed = await process(dying)
      .execute()
      .then(
        () => false,
        (error: unknown) => {
          if (error instanceof Killed) return true;
          throw error;
        },
      );
    bus.goDown();
    await process().execute();
    const state = await dump(clients[0]!, tableName);
    bus.comeBack();
    await process().execute();
    return { killed, writes: writes(), state, delivered: new Set(bus.accepted.slice(before).flatMap(identity)) };
  } finally {
    for (const client of clients) client.destroy();
    eventBridge.destroy();
    await Promise.all([simulator.close(), bus.close()]);
  }
}

/** What the store holds for users: every item but the lease, the outbox and the journal head, without write counters. */
async function dump(client: DynamoDBClient, tableName: string): Promise<string[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items
    .filter((item) => !['LEASE', 'OUTBOX', 'INGEST'].includes(item['pk']!.S!))
    .map(({ version: _version, ...rest }) => JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)))))
    .sort();
}

/** An event as a fact, whatever poll announced it: venue events carry their poll's time, so they are named by venue. */
function identity(entry: WireEntry): string[] {
  const detail = JSON.parse(entry.Detail ?? '{}') as { eventId?: string; venue?: { id: string } };
  if (entry.DetailType === 'Poll Completed' || entry.DetailType === 'Poll Failed') return [];
  return [detail.venue === undefined ? `${entry.DetailType} ${detail.eventId}` : `${entry.DetailType} ${detail.venue.id}`];
}

/** The story once without a fault, then once for each kill point, four at a time. */
async function everyKillPoint(t: ExecutionContext, store: DynamoServer): Promise<void> {
  const reference = await story(store, null);
  t.false(reference.killed);
  t.true(reference.writes > 20, `an uninterrupted poll sends ${reference.writes} writes`);
  t.true(
    [...reference.delivered].some((fact) => fact.startsWith('Band Changed')),
    'the story has band changes to lose',
  );

  const killPoints = Array.from({ length: reference.writes }, (_, k) => k);
  const outcomes = await mapConcurrently(killPoints, 4, (k) => story(store, k));
  for (const [k, outcome] of outcomes.entries()) {
    t.true(outcome.killed, `killed after ${k} writes`);
    t.deepEqual(outcome.state, reference.state, `the store after a kill after ${k} writes`);
    const lost = [...reference.delivered].filter((fact) => !outcome.delivered.has(fact));
    t.deepEqual(lost, [], `events never delivered after a kill after ${k} writes`);
  }
  t.log(`${killPoints.length} kill points, each followed by a poll with the bus down and one with it up`);
}

const TITLE =
  'a poll killed between any two of its writes, then a poll while the bus is down, then one after, ends as if nothing had failed';

test(`dynalite: ${TITLE}`, async (t) => {
  const store = await startDynalite();
  t.teardown(() => store.close());
  await everyKillPoint(t, store);
});

const javaMissing = javaMissingReason();
if (javaMissing === null) {
  test(`DynamoDB Local: ${TITLE}`, async (t) => {
    const store = await startDynamoDbLocal();
    t.teardown(() => store.close());
    await everyKillPoint(t, store);
  });
} else {
  console.log(`Skipping the kill points on DynamoDB Local: ${javaMissing}`);
  test.skip(`DynamoDB Local: ${TITLE} (${javaMissing})`, () => {});
}
