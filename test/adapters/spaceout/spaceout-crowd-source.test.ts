import test, { type ExecutionContext } from 'ava';
import { SpaceOutCrowdSource, type SpaceOutSettings } from '../../../adapters/spaceout/spaceout-crowd-source.js';
import { UpstreamError } from '../../../domain/errors.js';
import { SPACEOUT_SITE_KEY } from '../../../adapters/spaceout/facility-list-key.js';
import {
  ORPHAN_IDS,
  QUIRKS,
  STALE_DUPLICATE_NAME,
  startSimulator,
  type FaultKind,
  type Simulator,
  type SimulatorOptions,
} from '../../../adapters/spaceout/simulator/simulator.js';

const RETRY_LIMIT = 2;

async function setUp(
  t: ExecutionContext,
  settings: Partial<SpaceOutSettings> = {},
  options: SimulatorOptions = {},
): Promise<{ simulator: Simulator; source: SpaceOutCrowdSource }> {
  const simulator = await startSimulator({ now: () => new Date('2020-08-01T04:48:30Z'), ...options });
  t.teardown(() => simulator.close());
  const source = new SpaceOutCrowdSource({
    url: simulator.url,
    key: SPACEOUT_SITE_KEY,
    timeoutMs: 2_000,
    retryLimit: RETRY_LIMIT,
    retryBaseDelayMs: 5,
    ...settings,
  });
  return { simulator, source };
}

test('the facility list yields every simulated venue, at least 300', async (t) => {
  const { simulator, source } = await setUp(t);
  const venues = await source.fetchVenues();
  t.true(venues.items.length >= 300);
  t.deepEqual(venues.items.map((v) => v.id).sort(), simulator.venues.map((v) => v.id).sort());
});

test('only the injected malformed features are rejected, each with a one-line reason', async (t) => {
  const { source } = await setUp(t);
  const { rejected } = await source.fetchVenues();
  t.is(rejected.length, QUIRKS.malformedFeatures);
  t.true(rejected.every((reason) => !reason.includes('\n')));
  t.regex(rejected.join(' | '), /latitude.*\|.*no name.*\|.*id is empty/);
});

test('a feature ID seen twice keeps the first one', async (t) => {
  const { simulator, source } = await setUp(t);
  const { items } = await source.fetchVenues();
  const twice = simulator.venues[1]!;
  t.deepEqual(
    items.filter((v) => v.id === twice.id).map((v) => v.name),
    [twice.name],
  );
  t.false(items.some((v) => v.name === STALE_DUPLICATE_NAME));
});

test('a venue without ADDRESS gets one from BLK_HOUSE and ROAD_NAME', async (t) => {
  const { simulator, source } = await setUp(t);
  const { items } = await source.fetchVenues();
  const bare = simulator.venues.find((v) => v.address === null && v.blkHouse !== null)!;
  t.is(items.find((v) => v.id === bare.id)?.address, `${bare.blkHouse} ${bare.roadName}`);
});

test('venues keep their coordinates as lat and lng, and junk postal codes become null', async (t) => {
  const { simulator, source } = await setUp(t);
  const { items } = await source.fetchVenues();
  const junk = simulator.venues.find((v) => v.postalCode === 'NA')!;
  const venue = items.find((v) => v.id === junk.id);
  t.deepEqual(venue?.location, { lat: junk.lat, lng: junk.lng });
  t.is(venue?.postalCode, null);
});

test('crowd levels reject exactly the injected malformed entries and keep orphans and duplicates', async (t) => {
  const { simulator, source } = await setUp(t);
  const readings = await source.fetchCrowdLevels();
  t.is(readings.rejected.length, QUIRKS.malformedEntries);
  const reporting = simulator.venues.length - simulator.silentVenueIds.length;
  t.is(readings.items.length, reporting + QUIRKS.duplicatedEntries + QUIRKS.orphanEntries);
  t.true(ORPHAN_IDS.every((id) => readings.items.some((r) => r.venueId === id)));
});

test('venues the quirks leave silent have no reading', async (t) => {
  const { simulator, source } = await setUp(t);
  const { items } = await source.fetchCrowdLevels();
  t.true(simulator.silentVenueIds.length > 0);
  t.false(items.some((r) => simulator.silentVenueIds.includes(r.venueId)));
});

test('a trend that is not a boolean reads as null', async (t) => {
  const { source } = await setUp(t);
  const { items } = await source.fetchCrowdLevels();
  t.is(items.filter((r) => r.trend === null).length, QUIRKS.nonBooleanTrends);
});

test('createdAt in the site text form becomes the UTC instant', async (t) => {
  const { source } = await setUp(t);
  const readings = await source.fetchCrowdLevels();
  const orphan = readings.items.find((r) => r.venueId === ORPHAN_IDS[0]);
  t.is(orphan?.observedAt.toISOString(), '2020-08-01T04:48:00.000Z');
});

test('with quirks off nothing is rejected and every venue has one reading', async (t) => {
  const { simulator, source } = await setUp(t, {}, { quirks: false });
  const [venues, readings] = [await source.fetchVenues(), await source.fetchCrowdLevels()];
  t.deepEqual([venues.rejected.length, readings.rejected.length], [0, 0]);
  t.is(new Set(readings.items.map((r) => r.venueId)).size, simulator.venues.length);
  t.is(readings.items.length, simulator.venues.length);
});

test('a 5xx is retried and the fetch then succeeds', async (t) => {
  const { simulator, source } = await setUp(t);
  simulator.setFault({ kind: 'http-500', times: 2 });
  const readings = await source.fetchCrowdLevels();
  t.true(readings.items.length >= 300);
  t.is(simulator.requestCount, 3);
});

test('a 503 is retried like a 500', async (t) => {
  const { simulator, source } = await setUp(t);
  simulator.setFault({ kind: 'http-500', status: 503, times: 1 });
  await source.fetchVenues();
  t.is(simulator.requestCount, 2);
});

test('a 5xx that persists fails with UpstreamError after retryLimit + 1 requests', async (t) => {
  const { simulator, source } = await setUp(t);
  simulator.setFault('http-500');
  await t.throwsAsync(() => source.fetchCrowdLevels(), {
    instanceOf: UpstreamError,
    message: /after 3 attempts: HTTP 500 \(content-type text\/plain/,
  });
  t.is(simulator.requestCount, RETRY_LIMIT + 1);
});

test('a 4xx fails at once with exactly one request', async (t) => {
  const { simulator, source } = await setUp(t);
  simulator.setFault('http-400');
  await t.throwsAsync(() => source.fetchCrowdLevels(), { instanceOf: UpstreamError, message: /after 1 attempt: HTTP 400/ });
  t.is(simulator.requestCount, 1);
});

test('a 404 is not retried either', async (t) => {
  const { simulator } = await setUp(t);
  const wrongPath = new SpaceOutCrowdSource({
    url: simulator.url.replace('/graphql', '/nothing-here'),
    key: SPACEOUT_SITE_KEY,
    retryLimit: RETRY_LIMIT,
    retryBaseDelayMs: 5,
  });
  await t.throwsAsync(() => wrongPath.fetchVenues(), { instanceOf: UpstreamError, message: /HTTP 404/ });
  t.is(simulator.requestCount, 1);
});

const wholeReplyFaults: Array<[FaultKind, 'fetchVenues' | 'fetchCrowdLevels', RegExp]> = [
  ['html', 'fetchCrowdLevels', /^upstream reply is not JSON \(HTTP 200, content-type text\/html; charset=utf-8, starts "<!DOCTYPE html>/],
  [
    'truncated',
    'fetchCrowdLevels',
    /^upstream reply is not JSON \(HTTP 200, content-type application\/json, starts "{\\"data\\":{\\"facilities\\"/,
  ],
  ['graphql-errors', 'fetchCrowdLevels', /^upstream answered 1 GraphQL error: Cannot query field "facilities"/],
  ['no-data', 'fetchVenues', /^upstream reply has no "data" object/],
  ['wrong-key', 'fetchVenues', /SPACEOUT_KEY/],
  ['junk-plaintext', 'fetchVenues', /^decrypted facility list is not JSON \(starts "Welcome to SpaceOut!/],
];

for (const [kind, fetch, message] of wholeReplyFaults) {
  test(`a ${kind} reply fails ${fetch} with a one-line UpstreamError and is not retried`, async (t) => {
    const { simulator, source } = await setUp(t);
    simulator.setFault(kind);
    const error = await t.throwsAsync(() => source[fetch](), { instanceOf: UpstreamError, message });
    t.false(error.message.includes('\n'));
    t.is(simulator.requestCount, 1);
  });
}

test('a reply slower than the timeout is retried, then fails with a timeout UpstreamError', async (t) => {
  const { simulator, source } = await setUp(t, { timeoutMs: 150 });
  simulator.setFault({ kind: 'slow', delayMs: 1_000 });
  await t.throwsAsync(() => source.fetchCrowdLevels(), {
    instanceOf: UpstreamError,
    message: /after 3 attempts: ETIMEDOUT: Timeout awaiting 'request' for 150ms/,
  });
  t.is(simulator.requestCount, RETRY_LIMIT + 1);
});

test('one slow reply is retried and the fetch then succeeds', async (t) => {
  // A timeout a healthy reply meets even on a busy machine; the slow reply misses it by far.
  const { simulator, source } = await setUp(t, { timeoutMs: 1_000 });
  simulator.setFault({ kind: 'slow', delayMs: 3_000, times: 1 });
  const readings = await source.fetchCrowdLevels();
  t.true(readings.items.length >= 300);
  t.is(simulator.requestCount, 2);
});

test('an unreachable upstream fails with UpstreamError naming the network error', async (t) => {
  const { simulator } = await setUp(t);
  const url = simulator.url;
  await simulator.close();
  const source = new SpaceOutCrowdSource({ url, key: SPACEOUT_SITE_KEY, retryLimit: 1, retryBaseDelayMs: 5 });
  await t.throwsAsync(() => source.fetchCrowdLevels(), { instanceOf: UpstreamError, message: /after 2 attempts: ECONNREFUSED/ });
});

test('a key that is not 32 characters is refused when the source is built', (t) => {
  t.throws(() => new SpaceOutCrowdSource({ url: 'http://127.0.0.1:1/graphql', key: 'short' }), {
    instanceOf: RangeError,
    message: /^SPACEOUT_KEY is invalid: expected exactly 32 bytes for AES-256, got 5$/,
  });
});
