import { spawn, spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const INSIDE = 'SPACEOUT_TEST_LOOPBACK_ONLY';
const root = new URL('../../', import.meta.url).pathname;
const avaCli = `${root}node_modules/ava/entrypoints/cli.mjs`;

/** Why this machine cannot give a test a network namespace of its own, or null when it can. */
function whyNoNamespace(): string | null {
  if (process.getuid?.() !== 0) return 'a network namespace needs root (unshare -n)';
  const probe = spawnSync('unshare', ['-n', '--', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (probe.error !== undefined) return `unshare or ip is not available (${probe.error.message})`;
  if (probe.status !== 0) return `unshare -n failed: ${probe.stderr.trim()}`;
  return null;
}

/**
 * For test files whose tests open connections: they run only inside a network namespace with
 * nothing but loopback (`unshare -n`, then `ip link set lo up`), so no byte can leave this
 * machine whatever the code under test does. Returns true inside such a namespace (the caller
 * then declares its tests); outside, it declares one test that runs the whole file again
 * inside one, or, where that is impossible, a skipped test with the reason printed.
 */
export function insideLoopbackOnlyNetwork(fileUrl: string): boolean {
  const file = fileURLToPath(fileUrl);
  if (process.env[INSIDE] === '1') {
    const interfaces = Object.keys(networkInterfaces());
    if (interfaces.some((name) => name !== 'lo'))
      throw new Error(`refusing to run ${basename(file)}: interfaces other than loopback are up (${interfaces.join(', ')})`);
    return true;
  }
  const reason = whyNoNamespace();
  if (reason !== null) {
    console.log(`Skipping ${basename(file)}: ${reason}`);
    test.skip(`${basename(file)}, inside a loopback-only network namespace (${reason})`, () => {});
    return false;
  }
  test(`${basename(file)}, every test inside a loopback-only network namespace`, async (t) => {
    t.timeout(600_000);
    const child = spawn('unshare', ['-n', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, avaCli, file], {
      cwd: root,
      env: { ...process.env, [INSIDE]: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    for (const line of output.split('\n').filter((l) => /^\s*[✔✘]|tests? (passed|failed)|skipped/.test(l))) t.log(line.trim());
    t.is(code, 0, output);
  });
  return false;
}
