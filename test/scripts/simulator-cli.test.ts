import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import test from 'ava';
import { decryptFacilityList } from '../../adapters/spaceout/facility-list-cipher.js';

const KEY = 'abcdefghijklmnopqrstuvwxyz012345';

function runSimulator(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'scripts/simulator.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return line;
}

test('npm run simulator prints its URL, serves the configured key and stops cleanly on SIGTERM', async (t) => {
  const child = runSimulator({ PORT: '0', HOST: '127.0.0.1', SPACEOUT_KEY: KEY });
  t.teardown(() => void child.kill('SIGKILL'));
  const line = await firstLine(child);
  const url = /(http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(line)?.[1];
  t.truthy(url, line);
  const reply = (await (await fetch(url!, { method: 'POST', body: JSON.stringify({ query: '{ geojsonPoint }' }) })).json()) as {
    data: { geojsonPoint: string };
  };
  t.true(decryptFacilityList(reply.data.geojsonPoint, KEY).features.length >= 300);
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
});

test('an invalid PORT is refused with a one-line reason and exit code 1', async (t) => {
  const child = runSimulator({ PORT: 'eighty' });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  t.is(code, 1);
  t.regex(stderr, /PORT="eighty" is invalid/);
});

test('a SPACEOUT_KEY that is not 32 characters is refused at start', async (t) => {
  const child = runSimulator({ PORT: '0', SPACEOUT_KEY: 'short' });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  t.is(code, 1);
  t.regex(stderr, /^simulator: could not start on 127\.0\.0\.1:0: the simulator's key is invalid: expected exactly 32 bytes for AES-256/);
});
