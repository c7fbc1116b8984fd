/**
 * `npm run bench:http`, against the whole service on its embedded store with the simulator's
 * venues, the load generator (autocannon) in a separate process:
 *
 * 1. GET /v1/crowd-levels (the hot list) at the default limit and at limit=500, each against a
 *    bare node:http server, Koa with no middleware (both sending the same bytes) and Koa with
 *    no middleware sending the service's whole reply, headers included, taking turns: the
 *    service must reach at least 0.7 of the bare server's requests/s at both sizes. The last
 *    contender is the floor of any Koa stack that sends this API's headers; a second bare
 *    server, identical to the first, shows how far the machine scatters the ratio (A/A).
 * 2. The same hot list in memory (no sockets, no load generator): CPU time per request of the
 *    same contenders and a bare server sending the service's whole reply. Not a goal: the
 *    steady figures that say where the gap comes from.
 * 3. The per-venue routes, 16 connections, each request a random venue: at least 1,500
 *    requests/s with p99 at most 50 ms.
 * 4. A mixed load of the five read routes while the service polls every 15 s.
 *
 * The machine's load average is printed before and after: on a shared machine it says how far
 * the figures can be trusted. Beside requests/s, step 1 prints this process's CPU time per
 * request (the servers take turns in it), which another tenant's load disturbs far less than
 * throughput, and the share of it spent in garbage-collection pauses.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createServer, get, type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { promisify } from 'node:util';
import Koa from 'koa';
import { pino } from 'pino';
import { loadConfig } from '../adapters/runtime/config.js';
import { HTTP_HANDLER } from '../adapters/runtime/runtime-tokens.js';
import { startService } from '../adapters/runtime/start-service.js';
import { cpuPerRequestInMemory } from './bench/in-memory-http.js';
import { median } from './bench/timing.js';

const ROUNDS = 3;
const SECONDS = 5;
const CONNECTIONS = 32;
const GOAL = 0.7;
/** The hot list at its default page size, then at the largest. */
const HOT_PATHS = ['/v1/crowd-levels', '/v1/crowd-levels?limit=500'];
const run = promisify(execFile);
/** The contenders' names, as both tables print them. */
const NAMES = {
  service: 'service',
  bare: 'bare node:http',
  bareAgain: 'bare node:http again (A/A)',
  koa: 'Koa, no middleware',
  koaWithHeaders: "Koa, no middleware, the service's headers",
  bareWithHeaders: "bare node:http with the service's headers",
} as const;

/**
 * Time spent collecting garbage, as the process's own GC entries report it: a server that makes
 * V8 promote what it allocates shows here first (see README, "a quarter of the process's CPU").
 */
const gc = { milliseconds: 0 };
new PerformanceObserver((entries) => {
  for (const entry of entries.getEntries()) gc.milliseconds += entry.duration;
}).observe({ entryTypes: ['gc'] });

interface Measurement {
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
}

async function measure(url: string, paths: readonly string[], connections: number, seconds = SECONDS): Promise<Measurement> {
  const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;
  const load = new URL('./bench/load.ts', import.meta.url).pathname;
  const { stdout } = await run(tsx, [load, JSON.stringify({ url, paths, connections, seconds })], { maxBuffer: 10 * 1024 * 1024 });
  return JSON.parse(stdout) as Measurement;
}

const load = () =>
  loadavg()
    .map((average) => average.toFixed(2))
    .join(', ');

/** One server under test: where it listens, what it is called in the table. */
interface Contender {
  readonly name: string;
  readonly url: string;
}

/**
 * The service, a bare server and Koa with no middleware (with two headers, then with the
 * service's), taking turns on one path; true when the service keeps to the goal against the bare
 * server. Koa alone shows how much of the gap is the framework itself, Koa with the service's
 * headers how much any Koa stack sending them must leave, before a single middleware runs. A
 * second, identical bare server is the A/A check: what it scores against the first is the
 * measurement's own scatter on this machine. Each round starts with the next contender, so no
 * one always runs first.
 */
async function compareWithBare(
  contenders: { service: Contender; bare: Contender; bareAgain: Contender; koa: Contender; koaWithHeaders: Contender },
  path: string,
  bytes: number,
): Promise<boolean> {
  const rows: string[] = [];
  const tally = (contender: Contender) => ({ ...contender, requestsPerSecond: 0, micros: 0, requests: 0 });
  const [service, bare, bareAgain, koa, koaWithHeaders] = [
    tally(contenders.service),
    tally(contenders.bare),
    tally(contenders.bareAgain),
    tally(contenders.koa),
    tally(contenders.koaWithHeaders),
  ];
  const all = [service, bare, koa, koaWithHeaders, bareAgain];
  for (let round = 1; round <= ROUNDS; round++) {
    const first = (round - 1) % all.length;
    for (const total of [...all.slice(first), ...all.slice(0, first)]) {
      const before = process.cpuUsage();
      const collectedBefore = gc.milliseconds;
      const m = await measure(total.url, [path], CONNECTIONS);
      const used = process.cpuUsage(before);
      const collecting = (gc.milliseconds - collectedBefore) * 1000;
      total.requestsPerSecond += m.requestsPerSecond / ROUNDS;
      total.micros += used.user + used.system;
      total.requests += m.requests;
      rows.push(
        `| ${round} | ${total.name} | ${Math.round(m.requestsPerSecond).toLocaleString('en')} | ${m.p99Ms} ms | ${m.non2xx} | ${((used.user + used.system) / m.requests).toFixed(0)} µs | ${((100 * collecting) / (used.user + used.system)).toFixed(1)} % |`,
      );
    }
  }
  const cpu = (total: typeof service) => total.micros / total.requests;
  const ratio = service.requestsPerSecond / bare.requestsPerSecond;
  const floor = koaWithHeaders.requestsPerSecond / bare.requestsPerSecond;
  const scatter = bareAgain.requestsPerSecond / bare.requestsPerSecond;
  console.log(`GET ${path} (${bytes.toLocaleString('en')} bytes, ${CONNECTIONS} connections, ${SECONDS} s per run, taking turns)\n`);
  console.log(
    '| round | server | requests/s | p99 latency | non-2xx | CPU per request | GC pauses / CPU time |\n| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const row of rows) console.log(row);
  console.log(`\nservice / bare = ${ratio.toFixed(2)} (goal ≥ ${GOAL.toFixed(2)}): ${ratio >= GOAL ? 'PASS' : 'FAIL'}`);
  console.log(`Koa with the service's headers / bare = ${floor.toFixed(2)}`);
  console.log(`A/A check, the same bare server again / bare = ${scatter.toFixed(2)} (1.00 on a quiet machine)`);
  console.log(
    `in CPU time per request: bare / service = ${(cpu(bare) / cpu(service)).toFixed(2)}, bare / Koa alone = ${(cpu(bare) / cpu(koa)).toFixed(2)}, bare / Koa with the service's headers = ${(cpu(bare) / cpu(koaWithHeaders)).toFixed(2)}\n`,
  );
  return ratio >= GOAL;
}

/** Koa with one middleware and nothing else, as a Node request listener. */
function koaAnswering(answer: Koa.Middleware): RequestListener {
  const app = new Koa();
  app.use(answer);
  const handle = app.callback();
  return (request, response) => void handle(request, response);
}

/** A listener on a loopback port of its own. */
async function listenOnLoopback(listener: RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A reply's body and its headers as sent, less those Node writes itself (Date, Connection, Keep-Alive) and the request id. */
async function rawGet(url: string): Promise<{ body: Buffer; head: string[] }> {
  const reply = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject));
  const chunks: Buffer[] = [];
  for await (const chunk of reply) chunks.push(chunk as Buffer);
  const head: string[] = [];
  for (let at = 0; at < reply.rawHeaders.length; at += 2) {
    const [name = '', value = ''] = reply.rawHeaders.slice(at, at + 2);
    if (!/^(date|connection|keep-alive|x-request-id)$/i.test(name)) head.push(name, value);
  }
  return { body: Buffer.concat(chunks), head };
}

/**
 * The same contenders without the network: each answers in-memory connections in turn
 * (scripts/bench/in-memory-http.ts), five rounds, the median CPU time per request. Loopback
 * TCP and the load generator cost the same whoever answers; leaving them out shows what each
 * listener itself spends, a figure that moves little when the machine is busy.
 */
async function compareInMemory(contenders: ReadonlyArray<readonly [string, RequestListener]>, path: string): Promise<void> {
  const rounds = 5;
  const requests = 20_000;
  const micros = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
  for (const [, listener] of contenders) await cpuPerRequestInMemory(listener, path, 2_000);
  for (let round = 0; round < rounds; round++)
    for (const [name, listener] of contenders) micros.get(name)?.push(await cpuPerRequestInMemory(listener, path, requests));
  const bare = median(micros.get(NAMES.bare) ?? []);
  console.log(`GET ${path} in memory: ${rounds} rounds of ${requests.toLocaleString('en')} requests, taking turns\n`);
  console.log('| server | CPU per request (median) | bare / this |\n| --- | --- | --- |');
  for (const [name, values] of micros) console.log(`| ${name} | ${median(values).toFixed(1)} µs | ${(bare / median(values)).toFixed(2)} |`);
  console.log('');
}

async function main(): Promise<void> {
  console.log(`load average before: ${load()} (${new Date().toISOString()})\n`);
  const dataDir = mkdtempSync(join(tmpdir(), 'spaceout-bench-http-'));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    POLL_INTERVAL_SECONDS: '0',
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
  });
  const service = await startService(config, { logger: pino({ level: 'warn' }) });
  await service.pollUpstream.execute();
  const bodies = new Map<string, Buffer>();
  const heads = new Map<string, string[]>();
  for (const path of HOT_PATHS) {
    const reply = await rawGet(`${service.url}${path}`);
    bodies.set(path, reply.body);
    heads.set(path, reply.head);
  }
  // The same bytes the service sends for the path, with nothing else to do.
  const bareListener: RequestListener = (request, response) => {
    const body = bodies.get(request.url ?? '') ?? Buffer.alloc(0);
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    response.end(body);
  };
  // Koa with no middleware at all, sending the same bytes: the framework's own share of the cost.
  const koaListener = koaAnswering((ctx) => {
    ctx.res.setHeader('Content-Type', 'application/json; charset=utf-8');
    ctx.body = bodies.get(ctx.url) ?? Buffer.alloc(0);
  });
  // Koa with no middleware sending the service's whole reply: the floor of any Koa stack sending these headers.
  // Koa sets Content-Length from the body itself; the rest as pairs, worked out once.
  const koaHeads = new Map(
    [...heads].map(([url, head]) => [
      url,
      Array.from({ length: head.length / 2 }, (_, pair) => [head[2 * pair] ?? '', head[2 * pair + 1] ?? ''] as const).filter(
        ([name]) => !/^content-length$/i.test(name),
      ),
    ]),
  );
  const koaWithHeadersListener = koaAnswering((ctx) => {
    ctx.res.setHeader('X-Request-Id', randomUUID());
    for (const [name, value] of koaHeads.get(ctx.url) ?? []) ctx.res.setHeader(name, value);
    ctx.body = bodies.get(ctx.url) ?? Buffer.alloc(0);
  });
  // A bare server sending the service's whole reply, its headers too (a new request id each time).
  const sameHeadListener: RequestListener = (request, response) => {
    const url = request.url ?? '';
    response.writeHead(200, [...(heads.get(url) ?? []), 'X-Request-Id', randomUUID()]);
    response.end(bodies.get(url));
  };
  const bare = await listenOnLoopback(bareListener);
  const bareAgain = await listenOnLoopback(bareListener);
  const koa = await listenOnLoopback(koaListener);
  const koaWithHeaders = await listenOnLoopback(koaWithHeadersListener);
  const venueIds = ((await (await fetch(`${service.url}/v1/venues?limit=500`)).json()) as { items: Array<{ id: string }> }).items.map(
    (venue) => venue.id,
  );
  try {
    const verdicts = [];
    for (const path of HOT_PATHS)
      verdicts.push(
        await compareWithBare(
          {
            service: { name: NAMES.service, url: service.url },
            bare: { name: NAMES.bare, url: bare.url },
            bareAgain: { name: NAMES.bareAgain, url: bareAgain.url },
            koa: { name: NAMES.koa, url: koa.url },
            koaWithHeaders: { name: NAMES.koaWithHeaders, url: koaWithHeaders.url },
          },
          path,
          (bodies.get(path) ?? []).length,
        ),
      );
    const serviceListener = await service.container.getAsync<RequestListener>(HTTP_HANDLER);
    for (const path of HOT_PATHS)
      await compareInMemory(
        [
          [NAMES.service, serviceListener],
          [NAMES.bare, bareListener],
          [NAMES.koa, koaListener],
          [NAMES.koaWithHeaders, koaWithHeadersListener],
          [NAMES.bareWithHeaders, sameHeadListener],
        ],
        path,
      );
    console.log(`Hot list at both sizes: ${verdicts.every(Boolean) ? 'PASS' : 'FAIL'}\n`);

    const perVenue = [
      ['GET /v1/venues/{id}', venueIds.map((id) => `/v1/venues/${encodeURIComponent(id)}`)],
      ['GET /v1/venues/{id}/readings', venueIds.map((id) => `/v1/venues/${encodeURIComponent(id)}/readings`)],
    ] as const;
    console.log(
      `Per-venue routes, each request one of ${venueIds.length} venues at random, 16 connections, ${SECONDS} s (goal ≥ 1,500 requests/s, p99 ≤ 50 ms)\n`,
    );
    console.log('| route | requests/s | p50 | p99 | non-2xx | |\n| --- | --- | --- | --- | --- | --- |');
    for (const [route, paths] of perVenue) {
      const m = await measure(service.url, paths, 16);
      const pass = m.requestsPerSecond >= 1500 && m.p99Ms <= 50 && m.non2xx === 0;
      console.log(
        `| ${route} | ${Math.round(m.requestsPerSecond).toLocaleString('en')} | ${m.p50Ms} ms | ${m.p99Ms} ms | ${m.non2xx} | ${pass ? 'PASS' : 'FAIL'} |`,
      );
    }

    const day = `from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`;
    const mixed = venueIds.flatMap((id) => [`/v1/venues/${encodeURIComponent(id)}`, `/v1/venues/${encodeURIComponent(id)}/readings`]);
    mixed.push(...Array.from({ length: venueIds.length }, () => ['/v1/venues', '/v1/crowd-levels', `/v1/crowd-levels?${day}`]).flat());
    let polling: Promise<unknown> = Promise.resolve();
    const polls = setInterval(() => {
      polling = service.pollUpstream.execute().catch(() => undefined);
    }, 15_000);
    const m = await measure(service.url, mixed, 16, 32).finally(() => clearInterval(polls));
    // The store closes with the service: let the last poll finish first.
    await polling;
    console.log(
      `\nMixed: the five read routes at random, 16 connections, 32 s with a poll every 15 s: ${Math.round(m.requestsPerSecond).toLocaleString('en')} requests/s, p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms, non-2xx ${m.non2xx}`,
    );
    console.log(`\nload average after: ${load()}`);
  } finally {
    await bare.close();
    await bareAgain.close();
    await koa.close();
    await koaWithHeaders.close();
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
