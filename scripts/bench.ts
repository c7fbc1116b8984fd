/**
 * `npm run bench`: 1,000 venues and 30 days of 5-minute readings (about 8.6 million) on dynalite
 * (or DynamoDB Local with --dynamodb-local), then times the API and counts the DynamoDB requests
 * and capacity units each question and each ingest costs. Prints one table with the targets.
 *
 * The month is seeded as the packed items the queries read (scripts/bench/seed-packed.ts), from
 * one deterministic band function that every served mean is then checked against.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createDynamoClient } from '../adapters/dynamodb/dynamo-client.js';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.js';
import { ensureTable } from '../adapters/dynamodb/ensure-table.js';
import { FixedCrowdSource } from '../adapters/memory/fixed-crowd-source.js';
import { SpaceOutCrowdSource } from '../adapters/spaceout/spaceout-crowd-source.js';
import { clockModule, composeService, dynamoStoreOn, fixedUpstreamModule, publisherModule } from '../adapters/runtime/composition-root.js';
import { loadConfig } from '../adapters/runtime/config.js';
import { startService } from '../adapters/runtime/start-service.js';
import { systemClock, type Clock } from '../application/ports/clock.js';
import type { CrowdSource } from '../application/ports/crowd-source.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../application/ports/venue-repository.js';
import { AverageCrowdLevels } from '../application/use-cases/average-crowd-levels.js';
import { LatestCrowdLevels } from '../application/use-cases/latest-crowd-levels.js';
import { PollUpstream } from '../application/use-cases/poll-upstream.js';
import { VenueProfile } from '../application/use-cases/venue-profile.js';
import { DAY_MS } from '../domain/singapore-calendar.js';
import { venueOf, type Venue } from '../domain/venue.js';
import { startDynalite, startDynamoDbLocal } from './dynamodb-servers.js';
import { SPACEOUT_SITE_KEY } from '../adapters/spaceout/facility-list-key.js';
import { startSimulator } from '../adapters/spaceout/simulator/simulator.js';
import { DynamoMeter, type Metered } from './bench/dynamo-meter.js';
import { seededMonth, seededTotal, seedPacked, SLOT_MS } from './bench/seed-packed.js';
import { fmt, median, percentile, timed, timeRequests } from './bench/timing.js';

const VENUES = 1_000;
const DAYS = 30;
const REPEATS = 7;
const useDynamoDbLocal = process.argv.includes('--dynamodb-local');

const now = Math.floor(Date.now() / SLOT_MS) * SLOT_MS + 2 * 60_000 + 17_000; // ragged, as a user's "now" is
const month = seededMonth(
  Array.from({ length: VENUES }, (_, v) => `bench-${String(v).padStart(4, '0')}`),
  now - DAYS * DAY_MS,
  now,
);
const ranges = [1, 7, 30].map((days) => ({ days, from: now - days * DAY_MS, to: now }));

interface Row {
  readonly figure: string;
  readonly target: string;
  readonly result: string;
  readonly pass: boolean | null;
}

const log = (message: string): void => void process.stderr.write(`${message}\n`);
const perRequest = (m: Metered): string => `${m.requests} requests, ${m.itemsRead} items, ${m.readUnits.toFixed(1)} RCU`;

async function main(): Promise<void> {
  const server = useDynamoDbLocal ? await startDynamoDbLocal() : await startDynalite();
  const store = useDynamoDbLocal ? 'DynamoDB Local' : 'dynalite';
  const tableName = 'bench';
  const service = await startService(
    // CACHE_MAX_AGE_SECONDS=0: every request reaches the store, which is what this measures.
    loadConfig({
      DYNAMODB_ENDPOINT: server.endpoint,
      TABLE_NAME: tableName,
      POLL_INTERVAL_SECONDS: '0',
      PORT: '0',
      SPACEOUT_URL: 'http://127.0.0.1:9/graphql',
      LOG_LEVEL: 'silent',
      CACHE_MAX_AGE_SECONDS: '0',
      RATE_LIMIT_PER_MINUTE: '1000000',
    }),
    { logger: pino({ level: 'silent' }) },
  );
  const meter = new DynamoMeter();
  const client = meter.attach(createDynamoClient({ endpoint: server.endpoint }));
  // The same wiring as the service, over a client the meter watches.
  const metered = benchContainer({ client, name: tableName }, new FixedCrowdSource(), { now: () => new Date(now) });
  const venues = metered.get<VenueRepository>(VENUE_REPOSITORY);
  const rows: Row[] = [];
  try {
    const [seeded, seedMs] = await timed(async () => {
      await venues.save(month.venueIds.map(venue));
      return seedPacked(client, tableName, month, [now, ...ranges.map((r) => r.from)]);
    });
    meter.take();
    log(
      `seeded ${seeded.toLocaleString()} packed items for ${(VENUES * DAYS * 288).toLocaleString()} readings on ${store} in ${fmt(seedMs)}`,
    );

    const averages = new Map<number, number>();
    for (const range of ranges) {
      const path = `/v1/crowd-levels?from=${new Date(range.from).toISOString()}&to=${new Date(range.to).toISOString()}&limit=500`;
      // The first ask decodes every item it reads; the repeats find them decoded (same versions).
      const [, firstMs] = await timed(async () => (await fetch(`${service.url}${path}`)).arrayBuffer());
      await verifyMeans(service.url, path, range);
      const times = await timeRequests(service.url, [path], REPEATS);
      averages.set(range.days, median(times));
      await metered.get(AverageCrowdLevels).execute({ from: new Date(range.from), to: new Date(range.to) }, { limit: 500 });
      rows.push({
        figure: `all-venue mean, last ${range.days} day${range.days === 1 ? '' : 's'} (${(range.days * 288 * VENUES).toLocaleString()} readings)`,
        target: '≤ 50 ms median',
        result: `${fmt(median(times))} median of ${REPEATS} (first ask ${fmt(firstMs)}); ${perRequest(meter.take())}`,
        pass: median(times) <= 50,
      });
    }
    // A missing time makes the ratio NaN, which fails the goal.
    const ratio = (averages.get(30) ?? Number.NaN) / (averages.get(1) ?? Number.NaN);
    rows.push({ figure: '30-day / 1-day time', target: '≤ 1.5', result: ratio.toFixed(2), pass: ratio <= 1.5 });

    const latest = await timeRequests(service.url, ['/v1/crowd-levels?limit=500'], 100);
    await metered.get(LatestCrowdLevels).execute({ limit: 500 });
    rows.push({
      figure: 'latest of 500 venues (cache off), 100 requests',
      target: 'p50 ≤ 20 ms',
      result: `p50 ${fmt(percentile(latest, 50))}, p99 ${fmt(percentile(latest, 99))}; ${perRequest(meter.take())}`,
      pass: percentile(latest, 50) <= 20,
    });

    const profilePaths = month.venueIds.slice(0, 50).map((id) => `/v1/venues/${id}/profile?weeks=4`);
    await verifyProfile(service.url, 7);
    const profile = await timeRequests(service.url, profilePaths, 100);
    const profiled = month.venueIds[7];
    if (profiled === undefined) throw new Error('the seeded month has fewer than 8 venues');
    await metered.get(VenueProfile).execute(profiled, 4);
    const profileCost = meter.take();
    rows.push({
      figure: "a venue's 4-week profile, 100 requests over 50 venues",
      target: '≤ 20 ms median, ≤ 30 items read',
      result: `${fmt(median(profile))} median; ${perRequest(profileCost)}`,
      pass: median(profile) <= 20 && profileCost.itemsRead <= 30,
    });

    const ingest = await timeIngest(client, tableName, meter);
    rows.push({
      figure: `ingest of one ${VENUES.toLocaleString()}-venue snapshot, all new`,
      target: '≤ 1 s',
      result: fmt(ingest.ms),
      pass: ingest.ms <= 1000,
    });
    const perReading = ingest.cost.requests / VENUES;
    rows.push({
      figure: 'DynamoDB requests per new reading at ingest',
      target: '≤ 0.5',
      result: `${perReading.toFixed(3)} (${ingest.cost.requests} requests: ${Object.entries(ingest.cost.byCommand)
        .map(([c, k]) => `${k} ${c.replace('Command', '')}`)
        .join(', ')}; ${ingest.cost.writeUnits.toFixed(0)} WCU, ${ingest.cost.readUnits.toFixed(0)} RCU)`,
      pass: perReading <= 0.5,
    });
    rows.push({
      figure: 'the same snapshot polled again (nothing new)',
      target: '–',
      result: `${fmt(ingest.repeatMs)}; ${ingest.repeatCost.requests} requests, ${ingest.repeatCost.writeUnits.toFixed(0)} WCU, ${ingest.repeatCost.readUnits.toFixed(0)} RCU`,
      pass: null,
    });
    const day = await meterPollingDay(server.endpoint);
    const byKind = Object.entries(day.cost.writeUnitsByKind)
      .sort(([, a], [, b]) => b - a)
      .map(([kind, units]) => `${kind} ${(units / day.polls).toFixed(0)}`)
      .join(', ');
    rows.push({
      figure: `a poll of ${DEPLOYED_VENUES} venues every 5 min (simulator), mean of ${day.polls} polls`,
      target: '–',
      result: `${day.stored.toFixed(0)} new readings; ${day.cost.requests.toFixed(1)} requests, ${day.cost.writeUnits.toFixed(0)} WCU (${byKind}), ${day.cost.readUnits.toFixed(0)} RCU per poll`,
      pass: null,
    });
    const firstPoll = await timeFirstPoll();
    rows.push({
      figure: `\`npm start\` first poll (embedded store, simulator, ${firstPoll.stored} readings)`,
      target: '< 2 s',
      result: fmt(firstPoll.ms),
      pass: firstPoll.ms < 2000,
    });

    console.log(
      `Store: ${store}. Seed: ${VENUES.toLocaleString()} venues × ${DAYS} days at 5-minute intervals = ${(VENUES * DAYS * 288).toLocaleString()} readings, as packed items (see scripts/bench/seed-packed.ts).\n`,
    );
    console.log('| figure | target | result | |\n| --- | --- | --- | --- |');
    for (const row of rows)
      console.log(`| ${row.figure} | ${row.target} | ${row.result} | ${row.pass === null ? '' : row.pass ? 'PASS' : 'FAIL'} |`);
  } finally {
    client.destroy();
    await service.stop();
    await server.close();
  }
}

/** The service's own wiring over a table, a crowd source and a clock the bench chooses. */
function benchContainer(table: DynamoTable, source: CrowdSource, clock: Clock) {
  return composeService(loadConfig({ POLL_INTERVAL_SECONDS: '0' }), pino({ level: 'silent' }), {
    store: dynamoStoreOn(table),
    upstream: fixedUpstreamModule(source),
    events: publisherModule({ publish: async () => {} }),
    clock: clockModule(clock),
  });
}

function venue(id: string, v: number): Venue {
  const result = venueOf({
    id,
    name: `Bench Venue ${v}`,
    type: v % 2 === 0 ? 'MALL' : 'SUPERMARKET',
    address: `${v} Bench Road`,
    postalCode: '123456',
    lat: 1.3 + (v % 100) / 1000,
    lng: 103.8 + (v % 100) / 1000,
  });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

/** Every served mean, all pages, must equal the mean of the seeded readings exactly. */
async function verifyMeans(url: string, firstPage: string, range: { from: number; to: number; days: number }): Promise<void> {
  let served = 0;
  for (let path: string | null = firstPage; path !== null;) {
    const body = (await (await fetch(`${url}${path}`)).json()) as {
      items: Array<{ venueId: string; averageBand: number; samples: number }>;
      nextCursor: string | null;
    };
    for (const item of body.items) {
      const [sum, count] = seededTotal(month, month.venueIds.indexOf(item.venueId), range.from, range.to);
      if (item.samples !== count || item.averageBand !== sum / count) {
        throw new Error(
          `last ${range.days} days, ${item.venueId}: served ${item.averageBand} over ${item.samples}, expected ${sum / count} over ${count}`,
        );
      }
    }
    served += body.items.length;
    path = body.nextCursor === null ? null : `${firstPage}&cursor=${encodeURIComponent(body.nextCursor)}`;
  }
  if (served !== VENUES) throw new Error(`last ${range.days} days: means served for ${served} venues, expected ${VENUES}`);
  log(`last ${range.days} days: the served means of all ${served} venues equal the seeded readings' means`);
}

/** One venue's profile must count exactly its seeded readings of the last four weeks, hour by hour. */
async function verifyProfile(url: string, v: number): Promise<void> {
  const body = (await (await fetch(`${url}/v1/venues/${month.venueIds[v]}/profile?weeks=4`)).json()) as {
    from: string;
    days: Array<{ hours: Array<{ samples: number }> }>;
  };
  const samples = body.days.flatMap((day) => day.hours).reduce((sum, hour) => sum + hour.samples, 0);
  const [, expected] = seededTotal(month, v, Date.parse(body.from), now);
  if (samples !== expected) throw new Error(`profile of ${month.venueIds[v]}: ${samples} samples, expected ${expected}`);
  log(`profile: ${samples} samples, as seeded`);
}

async function timeIngest(client: ReturnType<typeof createDynamoClient>, tableName: string, meter: DynamoMeter) {
  const source = new FixedCrowdSource();
  source.venues = { items: month.venueIds.map(venue), rejected: [] };
  source.readings = {
    items: month.venueIds.map((venueId, v) => ({ venueId, band: month.bandOf(v, now), trend: false, observedAt: new Date(now) })),
    rejected: [],
  };
  const poll = await benchContainer({ client, name: tableName }, source, systemClock).getAsync(PollUpstream);
  meter.take();
  const [summary, ms] = await timed(() => poll.execute());
  if (summary.readings.stored !== VENUES) throw new Error(`ingest stored ${summary.readings.stored}, expected ${VENUES}`);
  const cost = meter.take();
  const [, repeatMs] = await timed(() => poll.execute());
  return { ms, cost, repeatMs, repeatCost: meter.take() };
}

const DEPLOYED_VENUES = 350;

/**
 * What the default deployment pays: the simulator's venues (each reporting every 5 to 15
 * minutes, with upstream's duplicates and orphans) polled every 5 minutes for two hours, after
 * a first poll that filled the table.
 */
async function meterPollingDay(endpoint: string): Promise<{ polls: number; stored: number; cost: Metered }> {
  let simulatedNow = Date.parse('2026-11-25T02:00:00Z');
  const simulator = await startSimulator({ venueCount: DEPLOYED_VENUES, now: () => new Date(simulatedNow) });
  const meter = new DynamoMeter();
  const client = meter.attach(createDynamoClient({ endpoint }));
  const table = 'bench-polling';
  try {
    await ensureTable(client, table, { create: true });
    const poll = await benchContainer({ client, name: table }, new SpaceOutCrowdSource({ url: simulator.url, key: SPACEOUT_SITE_KEY }), {
      now: () => new Date(simulatedNow),
    }).getAsync(PollUpstream);
    await poll.execute();
    meter.take();
    const polls = 24;
    let stored = 0;
    for (let i = 0; i < polls; i++) {
      simulatedNow += 5 * 60_000;
      stored += (await poll.execute()).readings.stored;
    }
    const total = meter.take();
    return {
      polls,
      stored: stored / polls,
      cost: {
        ...total,
        requests: total.requests / polls,
        readUnits: total.readUnits / polls,
        writeUnits: total.writeUnits / polls,
        itemsRead: total.itemsRead / polls,
      },
    };
  } finally {
    client.destroy();
    await simulator.close();
  }
}

async function timeFirstPoll(): Promise<{ ms: number; stored: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spaceout-bench-first-poll-'));
  const local = await startService(loadConfig({ DATA_DIR: dataDir, POLL_INTERVAL_SECONDS: '0', PORT: '0', LOG_LEVEL: 'silent' }), {
    logger: pino({ level: 'silent' }),
  });
  try {
    const [summary, ms] = await timed(() => local.pollUpstream.execute());
    return { ms, stored: summary.readings.stored };
  } finally {
    await local.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
