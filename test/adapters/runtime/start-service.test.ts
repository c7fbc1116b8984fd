import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../../adapters/runtime/config.js';
import { startService } from '../../../adapters/runtime/start-service.js';

test('a poll started through the admin route is counted in /metrics like a scheduled one', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'spaceout-admin-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const key = 'an-admin-key-for-this-test';
  const service = await startService(loadConfig({ PORT: '0', DATA_DIR: dataDir, POLL_INTERVAL_SECONDS: '0', ADMIN_API_KEY: key }), pino({ level: 'silent' }));
  t.teardown(() => service.stop());

  const poll = await fetch(`${service.url}/v1/admin/poll`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  t.is(poll.status, 200);
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  t.regex(metrics, /^spaceout_polls_total\{outcome="ok"\} 1$/m);
  t.regex(metrics, /^spaceout_readings_total\{result="stored"\} 320$/m);
});
