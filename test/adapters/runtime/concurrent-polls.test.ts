import test from 'ava';
import { createDynamoClient } from '../../../adapters/dynamodb/dynamo-client.js';
import { DynamoReadingRepository } from '../../../adapters/dynamodb/dynamo-reading-repository.js';
import { startSimulator } from '../../../adapters/spaceout/simulator/simulator.js';
import { startDynalite } from '../../../scripts/dynamodb-servers.js';
import { runToCompletion } from '../../support/service-process.js';

test('two poll-once processes started together store and roll up exactly what one poll would', async (t) => {
  const store = await startDynalite();
  t.teardown(() => store.close());
  const simulator = await startSimulator({ now: () => new Date('2026-11-25T11:00:00Z') });
  t.teardown(() => simulator.close());
  const env = { DYNAMODB_ENDPOINT: store.endpoint, TABLE_NAME: 'concurrent', SPACEOUT_URL: simulator.url, LOG_LEVEL: 'warn' };
  // Create the table first, so both processes race on the poll, not on table creation.
  await runToCompletion('adapters/runtime/poll-once.ts', { ...env, SPACEOUT_URL: 'http://127.0.0.1:9/graphql' });

  const [first, second] = await Promise.all([
    runToCompletion('adapters/runtime/poll-once.ts', env),
    runToCompletion('adapters/runtime/poll-once.ts', env),
  ]);
  t.deepEqual([first.code, second.code], [0, 0], `${first.stderr}\n${second.stderr}`);
  const outputs = [first.stdout, second.stdout].join('\n');
  const stored = [...outputs.matchAll(/"stored":(\d+)/g)].map((m) => Number(m[1]));
  t.is(
    stored.reduce((a, b) => a + b, 0),
    320,
    `stored counts ${JSON.stringify(stored)}; skipped: ${/poll skipped/.test(outputs)}`,
  );

  const client = createDynamoClient({ endpoint: store.endpoint });
  t.teardown(() => client.destroy());
  const readings = new DynamoReadingRepository({ client, name: 'concurrent' });
  const totals = await readings.totals({ from: new Date('2026-11-24T00:00:00Z'), to: new Date('2026-11-26T00:00:00Z') }, { limit: 500 });
  t.is(totals.items.length, 320);
  t.true(
    totals.items.every((total) => total.count === 1),
    'every reading counted once in the rollups',
  );
});
