import test from 'ava';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../../adapters/dynamodb/dynamo-client.js';
import { DynamoEventOutbox } from '../../../adapters/dynamodb/dynamo-event-outbox.js';
import { ensureTable } from '../../../adapters/dynamodb/ensure-table.js';
import { IngestJournal } from '../../../adapters/dynamodb/ingest-journal.js';
import { toEnvelope } from '../../../adapters/eventbridge/event-envelope.js';
import { SPACEOUT_SITE_KEY } from '../../../adapters/spaceout/facility-list-key.js';
import { SpaceOutCrowdSource } from '../../../adapters/spaceout/spaceout-crowd-source.js';
import { startSimulator } from '../../../adapters/spaceout/simulator/simulator.js';
import type { DomainEvent } from '../../../domain/events.js';
import { startDynalite } from '../../../scripts/dynamodb-servers.js';
import { storeOutage } from '../../support/kill-switch.js';
import { pollUpstreamOf } from '../../support/poll-container.js';
import { tableData } from '../../support/table-data.js';

/** An event as a fact, whichever poll announced it (venue events carry their poll's time, so they are named by venue). */
const identity = (event: DomainEvent): string[] => {
  const { detailType, detail } = toEnvelope(event);
  if (detailType === 'Poll Completed' || detailType === 'Poll Failed') return [];
  const venue = (detail as { venue?: { id: string } }).venue;
  return [venue === undefined ? `${detailType} ${(detail as { eventId: string }).eventId}` : `${detailType} ${venue.id}`];
};

test('one long-lived process rides out a DynamoDB outage that begins mid-poll: the polls during it fail, the first after it finishes the broken batch, and the table ends as if nothing had failed', async (t) => {
  const dynalite = await startDynalite();
  const times = { now: new Date('2026-11-25T11:00:00Z') };
  const simulator = await startSimulator({ venueCount: 6, now: () => times.now });
  const source = new SpaceOutCrowdSource({ url: simulator.url, key: SPACEOUT_SITE_KEY });
  const clients: DynamoDBClient[] = [];
  t.teardown(async () => {
    for (const client of clients) client.destroy();
    await simulator.close();
    await dynalite.close();
  });
  /** One process on its own table: one client, one poll (one lease owner), every event it publishes. */
  const processOn = async (name: string) => {
    const client = createDynamoClient({ endpoint: dynalite.endpoint });
    clients.push(client);
    await ensureTable(client, name, { create: true });
    const published: DomainEvent[] = [];
    const outage = storeOutage(client);
    const poll = pollUpstreamOf({
      source,
      store: { client, name },
      publisher: { publish: async (events) => void published.push(...events) },
    });
    return { table: { client, name }, published, outage, poll };
  };
  const steady = await processOn('steady');
  const faulty = await processOn('faulty');
  const at = async (time: string, ...processes: Array<typeof steady>) => {
    times.now = new Date(time);
    return Promise.all(
      processes.map(({ poll }) =>
        poll.execute().then(
          () => 'polled',
          (error: unknown) => error,
        ),
      ),
    );
  };

  t.deepEqual(await at('2026-11-25T11:00:00Z', steady, faulty), ['polled', 'polled']);
  // The outage begins after the poll's lease and three more writes: its batch is half written.
  faulty.outage.beginAfterWrites(4);
  const [, during] = await at('2026-11-25T11:20:00Z', steady, faulty);
  t.not(during, 'polled', 'the poll the outage broke fails');
  const [stillDown] = await at('2026-11-25T11:25:00Z', faulty);
  t.not(stillDown, 'polled', 'a poll while DynamoDB is still out of reach fails');
  faulty.outage.end();
  // Its own lease, left behind by the broken poll, does not lock the same process out.
  t.deepEqual(await at('2026-11-25T11:30:00Z', steady, faulty), ['polled', 'polled']);

  t.is((await new IngestJournal(faulty.table).head()).pending, null, 'no batch left half written');
  t.is((await new DynamoEventOutbox(faulty.table).pending()).length, 0, 'no event left staged');
  t.deepEqual(await tableData(faulty.table), await tableData(steady.table));
  const delivered = new Set(faulty.published.flatMap(identity));
  t.deepEqual(
    steady.published.flatMap(identity).filter((fact) => !delivered.has(fact)),
    [],
    'every event the steady process published was published',
  );
});
