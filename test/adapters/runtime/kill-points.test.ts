import test, { type ExecutionContext } from 'ava';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
import { tableData } from '../../support/table-data.js';
import { PutEventsServer, type WireEntry } from '../eventbridge/put-events-server.js';

const EARLIER = new Date('2026-11-25T11:00:00Z');
const LATER = new Date('2026-11-25T11:20:00Z');

/** How the upstream fails for the poll after the crash: an HTTP error, or nothing listening. */
type Outage = 'http-500' | 'http-400' | 'unreachable';
const OUTAGES: readonly Outage[] = ['http-500', 'http-400', 'unreachable'];

/**
 * What follows the crash: a poll with the bus down, then one with it up; an upstream outage,
 * then a poll once it is over; or the recovering poll (bus up) itself killed after `writes` of
 * its writes, then one more. Or, `bus-down-first`, the bus is already down for the first poll
 * and stays down through the crashed one; it comes back for the recovery.
 */
type After =
  | { readonly kind: 'bus-outage' }
  | { readonly kind: 'upstream-outage'; readonly outage: Outage }
  | { readonly kind: 'second-crash'; readonly writes: number }
  | { readonly kind: 'bus-down-first' };
const BUS_OUTAGE: After = { kind: 'bus-outage' };

/** What a poll left behind for the next: a journal batch still pending, events still staged. */
interface Leftovers {
  readonly pendingInJournal: number | null;
  readonly staged: number;
}

interface Outcome {
  readonly killed: boolean;
  readonly writes: number;
  /** The table once the story is over. */
  readonly state: string[];
  /** Facts delivered after the first poll; and since the story began. */
  readonly delivered: Set<string>;
  readonly deliveredAll: Set<string>;
  /** With an upstream outage: what the poll that met it did. */
  readonly afterOutage?: Leftovers & { readonly error: unknown };
  /** With a second crash: whether the recovering poll was killed, after how many writes, and what it left. */
  readonly secondCrash?: Leftovers & { readonly killed: boolean; readonly writes: number };
}

/**
 * One run of the story: a poll at 11:00 that completes, then at 11:20 a poll whose process dies
 * after `killAfter` writes. Then what `after` says (by default a poll in a new process while
 * EventBridge is down and one once it is back). Each new process starts after the dead one's
 * lease expired.
 */
async function story(store: DynamoServer, killAfter: number | null, after: After = BUS_OUTAGE): Promise<Outcome> {
  const tableName = `kill-${killAfter ?? 'none'}-${after.kind}-${Math.random().toString(36).slice(2)}`;
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
  /** Runs a process's poll; true if it was killed. */
  const survives = (poll: Promise<unknown>) =>
    poll.then(
      () => false,
      (error: unknown) => {
        if (error instanceof Killed) return true;
        throw error;
      },
    );
  const leftovers = async (table: DynamoTable): Promise<Leftovers> => ({
    pendingInJournal: (await new IngestJournal(table).head()).pending?.length ?? null,
    staged: (await new DynamoEventOutbox(table).pending()).length,
  });
  try {
    await ensureTable(createDynamoClient({ endpoint: store.endpoint }), tableName, { create: true });
    if (after.kind === 'bus-down-first') bus.goDown();
    await process().execute();
    const before = bus.accepted.length;

    simulatedNow = LATER;
    const dying = createDynamoClient({ endpoint: store.endpoint });
    const writes = countWrites(dying);
    if (killAfter !== null) killAfterWrites(dying, killAfter);
    const killed = await survives(process(dying).execute());
    const table = { client: clients[0]!, name: tableName };
    let afterOutage: Outcome['afterOutage'];
    let secondCrash: Outcome['secondCrash'];
    let state: string[];
    if (after.kind === 'bus-outage') {
      bus.goDown();
      await process().execute();
      state = await tableData(table);
      bus.comeBack();
      await process().execute();
    } else if (after.kind === 'upstream-outage') {
      const error = await process(undefined, await failingUpstream(simulator, after.outage))
        .execute()
        .then(
          () => undefined,
          (failure: unknown) => failure,
        );
      afterOutage = { error, ...(await leftovers(table)) };
      simulator.setFault('none');
      await process().execute();
      state = await tableData(table);
    } else {
      bus.comeBack();
      if (after.kind === 'second-crash') {
        const recovering = createDynamoClient({ endpoint: store.endpoint });
        const { writesSent } = killAfterWrites(recovering, after.writes);
        const killedAgain = await survives(process(recovering).execute());
        secondCrash = { killed: killedAgain, writes: writesSent(), ...(await leftovers(table)) };
      }
      await process().execute();
      state = await tableData(table);
    }
    return {
      killed,
      writes: writes(),
      state,
      delivered: new Set(bus.accepted.slice(before).flatMap(identity)),
      deliveredAll: new Set(bus.accepted.flatMap(identity)),
      afterOutage,
      secondCrash,
    };
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
    return { k, outage, outcome: await story(store, k, { kind: 'upstream-outage', outage }) };
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

  await secondCrashes(t, store, reference);
  await busDownFirst(t, store, reference);
}

/**
 * The recovering poll killed too, after M of its writes, then a third process with the bus up.
 * A recovering poll redoes only what the dead one left unsent (a rollup that took in the batch
 * is not written again): the rest of the pending batch, then relaying the staged events. So M
 * is its first write after the lease, half of what was left, or three short of it, and each is
 * checked to land while a batch is still pending or events are still staged, so that a change
 * in the writes cannot move M past the recovery unseen. The first crash takes the steps at both
 * ends that leave something to recover (not after 0, 1 or all but one write: the lease at most)
 * and one in six rollup writes between: there each M meets a different stretch of the same
 * batch, and more would add their cost without a new order of faults.
 */
async function secondCrashes(t: ExecutionContext, store: DynamoServer, reference: Outcome): Promise<void> {
  const firstKills = Array.from({ length: reference.writes }, (_, k) => k).filter(
    (k) => k >= 2 && k < reference.writes - 1 && (k < 4 || k >= reference.writes - 5 || k % 6 === 0),
  );
  const outcomes = await mapConcurrently([...firstKills.entries()], 4, async ([i, k]) => {
    const unsent = reference.writes - k;
    const m = Math.max(1, [1, Math.ceil(unsent / 2), unsent - 3][i % 3]!);
    return { k, m, outcome: await story(store, k, { kind: 'second-crash', writes: m }) };
  });
  for (const { k, m, outcome } of outcomes) {
    const when = `a kill after ${k} writes and the recovering poll's after ${m}`;
    t.true(outcome.secondCrash?.killed, `the recovering poll was killed: ${when}`);
    const left = outcome.secondCrash;
    t.true(left !== undefined && (left.pendingInJournal !== null || left.staged > 0), `the second kill lands inside recovery: ${when}`);
    endsAsIfNothingFailed(t, reference, outcome, when);
  }
  t.log(`${firstKills.length} kill points, each followed by a recovering poll killed in turn and one after it`);
}

/**
 * The bus down for a poll that completes, and still down for the next, which is killed; then
 * a poll with the bus back. This is the harder of the two orders: with the bus back for the
 * killed poll it would first deliver the earlier poll's events and the rest would be the main
 * story; with it still down both polls' events must survive every write of the killed one (its
 * outbox removal of what did not happen, its half-written batch) and be delivered by recovery.
 * Kill points: every step at both ends and one in four between, as for the outage.
 */
async function busDownFirst(t: ExecutionContext, store: DynamoServer, reference: Outcome): Promise<void> {
  const unkilled = await story(store, null, { kind: 'bus-down-first' });
  t.deepEqual(unkilled.state, reference.state, 'the store after the bus was down for two polls');
  const killPoints = Array.from({ length: unkilled.writes }, (_, k) => k).filter((k) => k < 4 || k >= unkilled.writes - 5 || k % 4 === 0);
  const outcomes = await mapConcurrently(killPoints, 4, async (k) => ({ k, outcome: await story(store, k, { kind: 'bus-down-first' }) }));
  for (const { k, outcome } of outcomes) {
    const when = `the bus down for a poll and for the next, killed after ${k} writes`;
    t.true(outcome.killed, `killed: ${when}`);
    t.deepEqual(outcome.state, reference.state, `the store after ${when}`);
    const lost = [...reference.deliveredAll].filter((fact) => !outcome.deliveredAll.has(fact));
    t.deepEqual(lost, [], `events of either poll never delivered after ${when}`);
  }
  t.log(`${killPoints.length} kill points of a poll while the bus is down since the poll before, then one with it back`);
}

function endsAsIfNothingFailed(t: ExecutionContext, reference: Outcome, outcome: Outcome, after: string): void {
  t.true(outcome.killed, `killed: ${after}`);
  t.deepEqual(outcome.state, reference.state, `the store after ${after}`);
  const lost = [...reference.delivered].filter((fact) => !outcome.delivered.has(fact));
  t.deepEqual(lost, [], `events never delivered after ${after}`);
}

const TITLE =
  'a poll killed between any two of its writes (the bus up or down since the poll before), then a poll while the bus is down, the upstream fails or that poll is killed too, then one after, ends as if nothing had failed';

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
