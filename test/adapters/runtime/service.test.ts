import test from 'ava';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runToCompletion, startServiceProcess, waitFor } from '../../support/service-process.js';
import { tempDataDir } from '../../support/temp-dir.js';

interface List {
  items: Array<Record<string, unknown>>;
  nextCursor: string | null;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Resolves once the first poll has stored the crowd level of every simulated venue. */
async function firstCrowdLevels(url: string): Promise<List> {
  return waitFor(async () => {
    const list = await getJson<List>(`${url}/v1/crowd-levels?limit=500`);
    return list.items.length >= 300 ? list : undefined;
  }, 60_000);
}

test.serial("npm start with nothing configured serves the simulator's venues and crowd levels within seconds", async (t) => {
  const service = await startServiceProcess({ PORT: '0', DATA_DIR: tempDataDir(t), TZ: 'America/New_York' });
  t.teardown(() => service.stop());
  const crowd = await firstCrowdLevels(service.url);
  const venues = await getJson<List>(`${service.url}/v1/venues?limit=500`);
  t.true(venues.items.length >= 300, `${venues.items.length} venues`);
  t.true(crowd.items.length >= 300, `${crowd.items.length} crowd levels`);
  t.regex(String(crowd.items[0]!['observedAt']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
});

test.serial('SIGTERM stops the service with exit code 0', async (t) => {
  const service = await startServiceProcess({ PORT: '0', DATA_DIR: tempDataDir(t) });
  await firstCrowdLevels(service.url);
  t.is(await service.stop('SIGTERM'), 0);
});

test.serial('stopped and started again with the upstream unreachable, the service answers the same', async (t) => {
  const dataDir = tempDataDir(t);
  const first = await startServiceProcess({ PORT: '0', DATA_DIR: dataDir });
  await firstCrowdLevels(first.url);
  const before = await getJson<List>(`${first.url}/v1/crowd-levels?limit=500`);
  const venuesBefore = await getJson<List>(`${first.url}/v1/venues?limit=500`);
  await first.stop();

  const second = await startServiceProcess({ PORT: '0', DATA_DIR: dataDir, SPACEOUT_URL: 'http://127.0.0.1:9/graphql' });
  t.teardown(() => second.stop());
  t.deepEqual(await getJson<List>(`${second.url}/v1/crowd-levels?limit=500`), before);
  t.deepEqual(await getJson<List>(`${second.url}/v1/venues?limit=500`), venuesBefore);
});

test.serial('a bad setting stops start-up with exit code 1 and one line naming the variable', async (t) => {
  const result = await runToCompletion('adapters/runtime/main.ts', { PORT: 'abc' });
  t.is(result.code, 1);
  t.is(result.stderr.trim(), 'spaceout-crowd: PORT="abc" is invalid: expected a whole number from 0 to 65535');
});

test.serial('a DATA_DIR that is a file stops start-up with one line naming DATA_DIR', async (t) => {
  const file = join(tempDataDir(t), 'not-a-directory');
  writeFileSync(file, '');
  const result = await runToCompletion('adapters/runtime/main.ts', { DATA_DIR: file, PORT: '0' });
  t.is(result.code, 1);
  t.regex(
    result.stderr.trim().split('\n').at(-1)!,
    /^spaceout-crowd: DATA_DIR=".*not-a-directory" cannot hold the embedded store: ENOTDIR[^\n]*$/,
  );
});

test.serial('a PORT already in use stops start-up with one line naming it', async (t) => {
  const taken = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => taken.once('listening', resolve));
  t.teardown(() => taken.close());
  const port = (taken.address() as AddressInfo).port;
  const result = await runToCompletion('adapters/runtime/main.ts', { DATA_DIR: tempDataDir(t), PORT: String(port), LOG_LEVEL: 'silent' });
  t.is(result.code, 1);
  // The AWS SDK may print its Node 20 notice first; the service's own word is the last line.
  t.regex(
    result.stderr.trim().split('\n').at(-1)!,
    new RegExp(`^spaceout-crowd: cannot listen on HOST="127\\.0\\.0\\.1" PORT=${port}: listen EADDRINUSE[^\\n]*$`),
  );
});

test.serial('poll-once polls once and prints only its summary on stdout, logs on stderr, exit 0', async (t) => {
  const result = await runToCompletion('adapters/runtime/poll-once.ts', { DATA_DIR: tempDataDir(t) });
  t.is(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout) as { readings: { stored: number } };
  t.true(summary.readings.stored >= 300);
  t.regex(result.stderr, /"level":30/, 'info logs went to stderr');
});

test.serial('poll-once against an unreachable upstream exits 1 with a clear message', async (t) => {
  const result = await runToCompletion('adapters/runtime/poll-once.ts', {
    DATA_DIR: tempDataDir(t),
    LOG_LEVEL: 'silent',
    SPACEOUT_URL: 'http://127.0.0.1:9/graphql',
  });
  t.is(result.code, 1);
  t.regex(result.stderr, /^poll-once failed: upstream http:\/\/127\.0\.0\.1:9\/graphql failed after 4 attempts: ECONNREFUSED/m);
});

test.serial('poll-once on a DATA_DIR another process holds exits 1 with one line naming DATA_DIR', async (t) => {
  const dataDir = tempDataDir(t);
  const holder = await startServiceProcess({ PORT: '0', DATA_DIR: dataDir, POLL_INTERVAL_SECONDS: '0' });
  t.teardown(() => holder.stop());
  const result = await runToCompletion('adapters/runtime/poll-once.ts', { DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  t.is(result.code, 1);
  // The AWS SDK may print its Node 20 notice; the service's own words are the lines it starts.
  const lines = result.stderr.split('\n').filter((line) => line.startsWith('poll-once'));
  t.is(lines.length, 1, lines.join('\n'));
  t.regex(lines[0] ?? '', /^poll-once failed: DATA_DIR=/);
});
