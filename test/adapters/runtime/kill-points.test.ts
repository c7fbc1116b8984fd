import test, { type ExecutionContext } from 'ava';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../../adapters/dynamodb/dynamo-client.js';
import type { DynamoTable } from '../../../adapters/dynamodb/dynamo-table.js';
import { DynamoEventOutbox } from '../../../adapters/dynamodb/dynamo-event-outbox.js';
import { ensureTable } from '../../../adapters/dynamodb/ensure-table.js';
import { IngestJournal } from '../../../adapters/dynamodb/ingest-journal.js';
import { createEventBridgeClient } from '../../../adapters/eventbridge/eventbridge-client.js';
import { EventBridgePublisher } from '../../../adapters/eventbridge/eventbridge-publisher.js';
import { SpaceOutCrowdSource } from '../../../adapters/spaceout/spaceout-crowd-source.js';
import { mapConcurrently } from '../../../application/use-cases/map-concurrently.js';
import { UpstreamError } from '../../../domain/errors.js';
import { SPACEOUT_SITE_KEY } from '../../../adapters/spaceout/facility-list-key.js';
import { startSimulator, type Simulator } from '../../../adapters/spaceout/simulator/simulator.js';
import type { CrowdSource } from '../../../application/ports/crowd-source.js';
import { javaMissingReason, startDynalite, startDynamoDbLocal, type DynamoServer } from '../../../scripts/dynamodb-servers.js';
import { countWrites, Killed, killAfterWrites } from '../../support/kill-switch.js';
import { pollUpstreamOf } from '../../support/poll-container.js';
import { PutEventsServer, type WireEntry } from '../eventbridge/put-events-server.js';

type Item = Record<string, AttributeValue>;

const EARLIER = new Date('2026-11-25T11:00:00Z');
const LATER = new Date('2026-11-25T11:20:00Z');

/** How the upstream fails for the poll after the crash: an HTTP error, or nothing listening. */
type Outage = 'http-500' | 'http-400' | 'unreachable';
const OUTAGES: readonly Outage[] = ['http-500', 'http-400', 'unreachable'];

interface Outcome {
  readonly killed: boolean;
  readonly writes: number;
  /** The table once the story is over. */
  readonly state: string[];
  readonly delivered: Set<string>;
  /** With an upstream outage: what the poll that met it did. */
  readonly afterOutage?: { readonly error: unknown; readonly pendingInJournal: number | null; readonly staged: number };
}

/**
 * One run of the story: a poll at 11:00 that completes, then at 11:20 a poll whose process dies
 * after `killAfter` writes. Then either a poll in a new process while EventBridge is down and
 * one once it is back; or, with an `outage`, a poll that finds the upstream failing (the bus
 * up), then one once the upstream is back. Each new process starts after the dead one's lease
 * expired.
 */
async function story(store: DynamoServer, killAfter: number | null, outage: Outage | null = null): Promise<Outcome> {
  const tableName = `kill-${killAfter ?? 'none'}-${outage ?? 'bus'}-${Math.random().toString(36).slice(2)}`;
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
  const process = (client: DynamoDBClient = createDynamoClient({ endpoint: store.endpoint }), upstream: CrowdSource = source) => {
    clients.push(client);
    const skew = 60_000 * processes.started++;
    return pollUpstreamOf({
      source: upstream,
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
    const table = { client: clients[0]!, name: tableName };
    let afterOutage: Outcome['afterOutage'];
    let state: string[];
    if (outage === null) {
      bus.goDown();
      await process().execute();
      state = await dump(table);
      bus.comeBack();
      await process().execute();
    } else {
      const error = await process(undefined, await failingUpstream(simulator, outage))
        .execute()
        .then(
          () => undefined,
          (failure: unknown) => failure,
        );
      afterOutage = {
        error,
        pendingInJournal: (await new IngestJournal(table).head()).pending?.length ?? null,
        staged: (await new DynamoEventOutbox(table).pending()).length,
      };
      simulator.setFault('none');
      await process().execute();
      state = await dump(table);
    }
    return { killed, writes: writes(), state, delivered: new Set(bus.accepted.slice(before).flatMap(identity)), afterOutage };
  } finally {
    for (const client of clients) client.destroy();
    eventBridge.destroy();
    await Promise.all([simulator.close(), bus.close()]);
  }
}

/** The upstream as a poll meets it during an outage; it retries quickly, so the story stays short. */
async function failingUpstream(simulator: Simulator, outage: Outage): Promise<CrowdSource> {
  let url = simulator.url;
  if (outage === 'unreachable') {
    const gone = await startSimulator({ venueCount: 1 });
    await gone.close();
    url = gone.url;
  } else {
    simulator.setFault(outage);
  }
  return new SpaceOutCrowdSource({ url, key: SPACEOUT_SITE_KEY, retryLimit: 1, retryBaseDelayMs: 1 });
}

/** What the store holds for users: every item but the lease, the outbox and the journal head, without write counters. */
async function dump({ client, name: tableName }: DynamoTable): Promise<string[]> {
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
  for (const [k, outcome] of outcomes.entries()) endsAsIfNothingFailed(t, reference, outcome, `a kill after ${k} writes`);
  t.log(`${killPoints.length} kill points, each followed by a poll with the bus down and one with it up`);

  // The first and last kill points are each a step of their own (lease, outbox, journal begun;
  // journal done, outbox emptied, lease released); the many between are rollup and latest-shard
  // writes of one pending journal batch, differing only in how much of it landed. One in four of
  // those keeps each step covered while adding about half, not all, of the file's runtime again.
  const outagePoints = killPoints.filter((k) => k < 4 || k >= killPoints.length - 5 || k % 4 === 0);
  const outageOutcomes = await mapConcurrently([...outagePoints.entries()], 4, async ([i, k]) => {
    const outage = OUTAGES[i % OUTAGES.length]!;
    return { k, outage, outcome: await story(store, k, outage) };
  });
  for (const { k, outage, outcome } of outageOutcomes) {
    const when = `a kill after ${k} writes and an upstream ${outage}`;
    t.true(
      outcome.afterOutage?.error instanceof UpstreamError,
      `the poll that met the upstream ${outage} after a kill after ${k} writes fails on it`,
    );
    t.is(outcome.afterOutage?.pendingInJournal, null, `readings left half-written after ${when}`);
    t.is(outcome.afterOutage?.staged, 0, `events still staged after ${when}`);
    endsAsIfNothingFailed(t, reference, outcome, when);
  }
  t.log(`${outagePoints.length} kill points, each followed by a poll that meets an upstream outage and one after it`);
}

function endsAsIfNothingFailed(t: ExecutionContext, reference: Outcome, outcome: Outcome, after: string): void {
  t.true(outcome.killed, `killed: ${after}`);
  t.deepEqual(outcome.state, reference.state, `the store after ${after}`);
  const lost = [...reference.delivered].filter((fact) => !outcome.delivered.has(fact));
  t.deepEqual(lost, [], `events never delivered after ${after}`);
}

const TITLE =
  'a poll killed between any two of its writes, then a poll while the bus is down or the upstream fails, then one after, ends as if nothing had failed';

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
