/**
 * `npm run bench`: 1,000 venues and 30 days of 5-minute readings (about 8.6 million) on
 * dynalite (or DynamoDB Local with --dynamodb-local), then times the API on the same run.
 *
 * Seeding 8.6 M raw items would take hours on a local server, so every band comes from one
 * deterministic function and the bench writes what the queries read: day rollups and 2- to
 * 32-day blocks for all 30 days, hour rollups for the Singapore days that hold a range edge, and raw readings for the
 * partial hours at the edges. It then checks the served means against that function.
 */
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { batchWrite } from '../adapters/dynamodb/batch-write.js';
import { createDynamoClient } from '../adapters/dynamodb/dynamo-client.js';
import { encodeReading } from '../adapters/dynamodb/dynamo-reading-repository.js';
import { DynamoVenueRepository } from '../adapters/dynamodb/dynamo-venue-repository.js';
import { blockPartition, dayPartition, DAY_MS, HOUR_MS, hourKey, hourPartition, LATEST_PARTITION, MAX_BLOCK_LEVEL, singaporeDayKey, singaporeDayNumber, singaporeHourOfDay } from '../adapters/dynamodb/keys.js';
import { SCHEMA_VERSION } from '../adapters/dynamodb/table-definition.js';
import { FixedCrowdSource } from '../adapters/memory/fixed-crowd-source.js';
import { loadConfig } from '../adapters/runtime/config.js';
import { startService } from '../adapters/runtime/start-service.js';
import { PollUpstream } from '../application/use-cases/poll-upstream.js';
import { InProcessEventBus } from '../adapters/memory/in-process-event-bus.js';
import { DynamoReadingRepository } from '../adapters/dynamodb/dynamo-reading-repository.js';
import { DynamoEventOutbox } from '../adapters/dynamodb/dynamo-event-outbox.js';
import { DynamoPollLease } from '../adapters/dynamodb/dynamo-poll-lease.js';
import type { Band } from '../domain/band.js';
import { venueOf, type Venue } from '../domain/venue.js';
import { startDynalite, startDynamoDbLocal } from '../test/support/dynamo-servers.js';

const VENUES = 1_000;
const DAYS = 30;
const SLOT_MS = 5 * 60_000;
const REPEATS = 7;
const useDynamoDbLocal = process.argv.includes('--dynamodb-local');

/** The band of venue `v` in the 5-minute slot starting at `t`: the one source of truth of the seed. */
const bandOf = (v: number, t: number): Band => (((v * 7919 + Math.floor(t / SLOT_MS) * 104729) >>> 0) % 4) as Band;

const now = Math.floor(Date.now() / SLOT_MS) * SLOT_MS + 2 * 60_000 + 17_000; // ragged, as a user's "now" is
const windowStart = now - DAYS * DAY_MS;
const ranges = [1, 7, 30].map((days) => ({ days, from: now - days * DAY_MS, to: now }));
const venueIds = Array.from({ length: VENUES }, (_, v) => `bench-${String(v).padStart(4, '0')}`);

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<void> {
  const server = useDynamoDbLocal ? await startDynamoDbLocal() : await startDynalite();
  const store = useDynamoDbLocal ? 'DynamoDB Local' : 'dynalite';
  const tableName = 'bench';
  const service = await startService(
    // CACHE_MAX_AGE_SECONDS=0: every request reaches the store, which is what this measures.
    loadConfig({ DYNAMODB_ENDPOINT: server.endpoint, TABLE_NAME: tableName, POLL_INTERVAL_SECONDS: '0', PORT: '0', SPACEOUT_URL: 'http://127.0.0.1:9/graphql', LOG_LEVEL: 'silent', CACHE_MAX_AGE_SECONDS: '0' }),
    pino({ level: 'silent' }),
  );
  const client = createDynamoClient({ endpoint: server.endpoint });
  try {
    const seeded = await seed(client, tableName);
    log(`seeded ${seeded.toLocaleString()} items on ${store}`);
    const rows: string[][] = [];
    const averages = new Map<number, number>();
    for (const range of ranges) {
      const path = `/v1/crowd-levels?from=${new Date(range.from).toISOString()}&to=${new Date(range.to).toISOString()}&limit=500`;
      await verifyMeans(service.url, path, range);
      const times = await timeRequests(service.url, path, REPEATS);
      averages.set(range.days, median(times));
      rows.push([`GET /v1/crowd-levels?from&to, last ${range.days} day${range.days === 1 ? '' : 's'} (${(range.days * 288 * VENUES).toLocaleString()} readings)`, `${fmt(median(times))} median of ${REPEATS}`]);
    }
    const ratio = averages.get(30)! / averages.get(1)!;
    rows.push(['30-day / 1-day time (goal ≤ 3)', `${ratio.toFixed(2)} ${ratio <= 3 ? 'PASS' : 'FAIL'}`]);
    const latest = await timeRequests(service.url, '/v1/crowd-levels?limit=500', 100);
    rows.push(['GET /v1/crowd-levels (latest, 500 of 1,000 venues), 100 requests', `p50 ${fmt(percentile(latest, 50))}, p99 ${fmt(percentile(latest, 99))}`]);
    rows.push(['Poll ingest of one 1,000-venue snapshot, all readings new', fmt(await timeIngest(client, tableName))]);
    console.log(`Store: ${store}. Seed: ${VENUES.toLocaleString()} venues × ${DAYS} days at 5-minute intervals = ${(VENUES * DAYS * 288).toLocaleString()} readings, as rollups (see scripts/bench.ts).\n`);
    console.log('| measurement | result |\n| --- | --- |');
    for (const [what, result] of rows) console.log(`| ${what} | ${result} |`);
  } finally {
    client.destroy();
    await service.stop();
    await server.close();
  }
}

async function seed(client: ReturnType<typeof createDynamoClient>, tableName: string): Promise<number> {
  const venues = new DynamoVenueRepository(client, tableName);
  await venues.save(venueIds.map((id, v) => venueOrThrow(id, v)));
  const items: Array<Record<string, import('@aws-sdk/client-dynamodb').AttributeValue>> = [];
  const n = (value: number) => ({ N: String(value) });
  const str = (value: string) => ({ S: value });

  // Day rollups for every Singapore day of the window (the edge days are partly read as hours).
  const firstDay = Date.parse(`${singaporeDayKey(windowStart)}T00:00:00+08:00`);
  for (let day = firstDay; day < now; day += DAY_MS) {
    for (let v = 0; v < VENUES; v++) {
      const item: Record<string, { S: string } | { N: string }> = { pk: str(dayPartition(singaporeDayKey(day))), sk: str(venueIds[v]!), v: n(SCHEMA_VERSION) };
      for (let hour = day; hour < day + DAY_MS; hour += HOUR_MS) {
        const { sum, count } = hourTotal(v, hour);
        item[`s${singaporeHourOfDay(hour)}`] = n(sum);
        item[`c${singaporeHourOfDay(hour)}`] = n(count);
      }
      items.push(item);
    }
  }
  // Blocks of 2..32 days, each the sum of the days it covers.
  const firstDayNumber = singaporeDayNumber(windowStart);
  const lastDayNumber = singaporeDayNumber(now);
  for (let level = 1; level <= MAX_BLOCK_LEVEL; level++) {
    const size = 2 ** level;
    for (let index = Math.floor(firstDayNumber / size); index <= Math.floor(lastDayNumber / size); index++) {
      for (let v = 0; v < VENUES; v++) {
        let sum = 0;
        let count = 0;
        for (let day = index * size; day < (index + 1) * size; day++) {
          for (let hour = day * DAY_MS - 8 * HOUR_MS; hour < (day + 1) * DAY_MS - 8 * HOUR_MS; hour += HOUR_MS) {
            const total = hourTotal(v, hour);
            sum += total.sum;
            count += total.count;
          }
        }
        if (count > 0) items.push({ pk: str(blockPartition(level, index)), sk: str(venueIds[v]!), sum: n(sum), count: n(count), v: n(SCHEMA_VERSION) });
      }
    }
  }
  // Hour rollups for every hour of the Singapore days that hold a range edge.
  const edgeDays = new Set([now, ...ranges.map((r) => r.from)].map((t) => Date.parse(`${singaporeDayKey(t)}T00:00:00+08:00`)));
  for (const day of edgeDays) {
    for (let hour = day; hour < day + DAY_MS; hour += HOUR_MS) {
      for (let v = 0; v < VENUES; v++) {
        const { sum, count } = hourTotal(v, hour);
        if (count > 0) items.push({ pk: str(hourPartition(hourKey(hour))), sk: str(venueIds[v]!), sum: n(sum), count: n(count), v: n(SCHEMA_VERSION) });
      }
    }
  }
  // Raw readings of the partial hours at the range edges, and the latest reading of each venue.
  const edgeHours = new Set([now, ...ranges.map((r) => r.from)].map((t) => Math.floor(t / HOUR_MS) * HOUR_MS));
  for (const hour of edgeHours) {
    for (let t = hour; t < hour + HOUR_MS && t < now; t += SLOT_MS) {
      for (let v = 0; v < VENUES; v++) items.push(encodeReading({ venueId: venueIds[v]!, band: bandOf(v, t), trend: false, observedAt: new Date(t) }, false));
    }
  }
  const lastSlot = Math.floor((now - 1) / SLOT_MS) * SLOT_MS;
  for (let v = 0; v < VENUES; v++) {
    items.push({ pk: str(LATEST_PARTITION), sk: str(venueIds[v]!), venueId: str(venueIds[v]!), band: n(bandOf(v, lastSlot)), trend: { BOOL: false } as never, observedAt: str(new Date(lastSlot).toISOString()), v: n(SCHEMA_VERSION) });
  }
  const started = performance.now();
  await batchWrite(client, tableName, items.map((Item) => ({ PutRequest: { Item } })));
  log(`wrote ${items.length.toLocaleString()} items in ${fmt(performance.now() - started)}`);
  return items.length;
}

/** Readings of venue v in the hour starting at `hour`, inside the seeded window [windowStart, now). */
function hourTotal(v: number, hour: number): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  for (let t = hour; t < hour + HOUR_MS; t += SLOT_MS) {
    if (t < windowStart || t >= now) continue;
    sum += bandOf(v, t);
    count++;
  }
  return { sum, count };
}

/** The served mean must equal the mean of the seeded readings exactly. */
async function verifyMeans(url: string, path: string, range: { from: number; to: number; days: number }): Promise<void> {
  const body = (await (await fetch(`${url}${path}`)).json()) as { items: Array<{ venueId: string; averageBand: number; samples: number }> };
  for (const item of body.items.slice(0, 25)) {
    const v = venueIds.indexOf(item.venueId);
    let sum = 0;
    let count = 0;
    for (let t = Math.ceil(range.from / SLOT_MS) * SLOT_MS; t < range.to; t += SLOT_MS) {
      if (t < windowStart) continue;
      sum += bandOf(v, t);
      count++;
    }
    if (item.samples !== count || item.averageBand !== sum / count) {
      throw new Error(`last ${range.days} days, ${item.venueId}: served ${item.averageBand} over ${item.samples}, expected ${sum / count} over ${count}`);
    }
  }
  log(`last ${range.days} days: served means equal the seeded readings' means (${body.items.length} venues on the first page)`);
}

async function timeRequests(url: string, path: string, times: number): Promise<number[]> {
  await fetch(`${url}${path}`).then((r) => r.arrayBuffer()); // warm-up
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const response = await fetch(`${url}${path}`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    durations.push(performance.now() - started);
  }
  return durations;
}

async function timeIngest(client: ReturnType<typeof createDynamoClient>, tableName: string): Promise<number> {
  const source = new FixedCrowdSource();
  source.venues = { items: venueIds.map((id, v) => venueOrThrow(id, v)), rejected: [] };
  source.readings = { items: venueIds.map((venueId, v) => ({ venueId, band: bandOf(v, now), trend: false, observedAt: new Date(now) })), rejected: [] };
  const poll = new PollUpstream(source, new DynamoVenueRepository(client, tableName), new DynamoReadingRepository(client, tableName), new InProcessEventBus(), { now: () => new Date() }, new DynamoEventOutbox(client, tableName), new DynamoPollLease(client, tableName));
  const started = performance.now();
  const summary = await poll.execute();
  if (summary.readings.stored !== VENUES) throw new Error(`ingest stored ${summary.readings.stored}, expected ${VENUES}`);
  return performance.now() - started;
}

function venueOrThrow(id: string, v: number): Venue {
  const result = venueOf({ id, name: `Bench Venue ${v}`, type: v % 2 === 0 ? 'MALL' : 'SUPERMARKET', address: `${v} Bench Road`, postalCode: '123456', lat: 1.3 + (v % 100) / 1000, lng: 103.8 + (v % 100) / 1000 });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const median = (values: number[]): number => percentile(values, 50);
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

await main();
