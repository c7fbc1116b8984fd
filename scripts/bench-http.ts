/**
 * `npm run bench:http`: GET /v1/crowd-levels from the service against a bare node:http server
 * sending the same bytes, alternated A B A B with autocannon (32 connections) in a separate
 * process. Goal: the service reaches at least 0.7 of the bare server's requests per second.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../adapters/runtime/config.js';
import { startService } from '../adapters/runtime/start-service.js';

const ROUNDS = 3;
const SECONDS = 5;
const CONNECTIONS = 32;
const PATH = '/v1/crowd-levels?limit=500';
const run = promisify(execFile);

interface Measurement {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly non2xx: number;
}

async function measure(url: string): Promise<Measurement> {
  const bin = new URL('../node_modules/.bin/autocannon', import.meta.url).pathname;
  const { stdout } = await run(bin, ['-c', String(CONNECTIONS), '-d', String(SECONDS), '-j', url], { maxBuffer: 10 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { requests: { average: number }; latency: { p99: number }; non2xx: number };
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, non2xx: result.non2xx };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spaceout-bench-http-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, POLL_INTERVAL_SECONDS: '0', RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'warn' });
  const service = await startService(config, pino({ level: 'warn' }));
  await service.pollUpstream.execute();
  const body = Buffer.from(await (await fetch(`${service.url}${PATH}`)).arrayBuffer());
  const bare = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}${PATH}`;
  try {
    const rows: string[] = [];
    const service_: Measurement[] = [];
    const bare_: Measurement[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, url, into] of [['service', `${service.url}${PATH}`, service_], ['bare node:http', bareUrl, bare_]] as const) {
        const m = await measure(url);
        into.push(m);
        rows.push(`| ${round} | ${name} | ${Math.round(m.requestsPerSecond).toLocaleString()} | ${m.p99Ms} ms | ${m.non2xx} |`);
      }
    }
    const mean = (ms: Measurement[]) => ms.reduce((sum, m) => sum + m.requestsPerSecond, 0) / ms.length;
    const ratio = mean(service_) / mean(bare_);
    console.log(`GET ${PATH} (${body.length.toLocaleString()} bytes, ${CONNECTIONS} connections, ${SECONDS} s per run, alternated)\n`);
    console.log('| round | server | requests/s | p99 latency | non-2xx |\n| --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
    console.log(`\nservice / bare = ${ratio.toFixed(2)} (goal ≥ 0.70): ${ratio >= 0.7 ? 'PASS' : 'FAIL'}`);
  } finally {
    await new Promise((resolve) => bare.close(resolve));
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
