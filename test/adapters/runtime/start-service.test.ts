import test from 'ava';
import { tempDataDir } from '../../support/temp-dir.js';
import { pino } from 'pino';
import { loadConfig } from '../../../adapters/runtime/config.js';
import { startService } from '../../../adapters/runtime/start-service.js';

test('a poll started through the admin route is counted in /metrics like a scheduled one', async (t) => {
  const dataDir = tempDataDir(t, 'spaceout-admin-');
  const key = 'an-admin-key-for-this-test';
  const service = await startService(loadConfig({ PORT: '0', DATA_DIR: dataDir, POLL_INTERVAL_SECONDS: '0', ADMIN_API_KEY: key }), {
    logger: pino({ level: 'silent' }),
  });
  t.teardown(() => service.stop());

  const poll = await fetch(`${service.url}/v1/admin/poll`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  t.is(poll.status, 200);
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  t.regex(metrics, /^spaceout_polls_total\{outcome="ok"\} 1$/m);
  t.regex(metrics, /^spaceout_readings_total\{result="stored"\} 320$/m);
  t.regex(metrics, /^spaceout_upstream_duration_seconds_count\{fetch="crowd-levels",outcome="ok"\} 1$/m);
});

test('the hot reads are served from the cache and refreshed by the next poll', async (t) => {
  const dataDir = tempDataDir(t, 'spaceout-cache-');
  const key = 'an-admin-key-for-this-test';
  const service = await startService(loadConfig({ PORT: '0', DATA_DIR: dataDir, POLL_INTERVAL_SECONDS: '0', ADMIN_API_KEY: key }), {
    logger: pino({ level: 'silent' }),
  });
  t.teardown(() => service.stop());
  const empty = (await (await fetch(`${service.url}/v1/crowd-levels`)).json()) as { items: unknown[] };
  await fetch(`${service.url}/v1/crowd-levels`);
  await fetch(`${service.url}/v1/admin/poll`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  const filled = (await (await fetch(`${service.url}/v1/crowd-levels`)).json()) as { items: unknown[] };
  t.deepEqual([empty.items.length, filled.items.length], [0, 100]);
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  t.regex(metrics, /^http_response_cache_lookups_total\{result="hit"\} 1$/m);
  t.regex(metrics, /^http_response_cache_lookups_total\{result="miss"\} 2$/m);
});

test('a client that never finishes its headers is cut off by the headers timeout', async (t) => {
  const { connect } = await import('node:net');
  const dataDir = tempDataDir(t, 'spaceout-loris-');
  const timeouts = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 1_000, checkIntervalMs: 100 };
  const service = await startService(loadConfig({ PORT: '0', DATA_DIR: dataDir, POLL_INTERVAL_SECONDS: '0' }), {
    logger: pino({ level: 'silent' }),
    timeouts,
  });
  t.teardown(() => service.stop());
  const { port } = new URL(service.url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
  const drip = setInterval(() => socket.write('a'), 100);
  const started = Date.now();
  let reply = '';
  socket.on('data', (chunk) => (reply += chunk.toString()));
  await new Promise((resolve) => socket.on('close', resolve));
  clearInterval(drip);
  // Node's own headers timeout (60 s) would also answer 408: only time tells the configured 300 ms apart.
  t.true(Date.now() - started < 3_000, `closed after ${Date.now() - started} ms`);
  t.regex(reply, /^HTTP\/1\.1 408/);
});

test('stopping during a request lets it finish, and stopping during a poll lets the poll complete', async (t) => {
  const { startSimulator } = await import('../../../adapters/spaceout/simulator/simulator.js');
  const simulator = await startSimulator();
  t.teardown(() => simulator.close());
  simulator.setFault({ kind: 'slow', delayMs: 800 });
  const dataDir = tempDataDir(t, 'spaceout-drain-');
  const key = 'an-admin-key-for-this-test';
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, POLL_INTERVAL_SECONDS: '0', ADMIN_API_KEY: key, SPACEOUT_URL: simulator.url });
  const service = await startService(config, { logger: pino({ level: 'silent' }) });

  const poll = fetch(`${service.url}/v1/admin/poll`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  // Stop once the poll is under way: its first request has reached the (slow) upstream.
  while (simulator.requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const stopped = service.stop();
  const response = await poll;
  t.is(response.status, 200, 'the request in flight completed');
  t.is(((await response.json()) as { readings: { stored: number } }).readings.stored, 320, 'and so did its poll');
  // The connection that carried the request is closed, not left idling for the 65 s keep-alive.
  const keepAliveTimeout = new Promise((resolve) => setTimeout(resolve, 30_000, 'still waiting').unref());
  t.is(await Promise.race([stopped.then(() => 'stopped'), keepAliveTimeout]), 'stopped');

  const again = await startService({ ...config, spaceoutUrl: 'http://127.0.0.1:9/graphql' }, { logger: pino({ level: 'silent' }) });
  t.teardown(() => again.stop());
  const latest = (await (await fetch(`${again.url}/v1/crowd-levels?limit=500`)).json()) as { items: unknown[] };
  t.is(latest.items.length, 320, 'what the poll stored is there after the restart');
});
