import test from 'ava';
import { SpaceOutCrowdSource } from '../../../adapters/spaceout/spaceout-crowd-source.js';
import { UpstreamError } from '../../../domain/errors.js';
import { ORPHAN_IDS, QUIRKS, startSimulator, type Fault, type Simulator } from '../../../scripts/simulator/simulator.js';

const key = 'pyRYtDWQLu83RaPCNZudQdW4WbtDdF6q';

async function setUp(t: { teardown(fn: () => Promise<void>): void }, timeoutMs = 2_000): Promise<{ simulator: Simulator; source: SpaceOutCrowdSource }> {
  const simulator = await startSimulator({ now: () => new Date('2020-08-01T04:48:30Z') });
  t.teardown(() => simulator.close());
  return { simulator, source: new SpaceOutCrowdSource({ url: simulator.url, key, timeoutMs, retryLimit: 2, retryBaseDelayMs: 5 }) };
}

test('every simulated venue arrives; the duplicated feature is dropped and the broken one rejected', async (t) => {
  const { simulator, source } = await setUp(t);
  const venues = await source.fetchVenues();
  t.is(venues.items.length, simulator.venues.length);
  t.is(venues.rejected.length, QUIRKS.malformedFeatures);
  t.regex(venues.rejected[0]!, /latitude/);
});

test('crowd levels arrive with malformed entries rejected one by one and orphans kept', async (t) => {
  const { simulator, source } = await setUp(t);
  const readings = await source.fetchCrowdLevels();
  t.is(readings.rejected.length, QUIRKS.malformedEntries);
  const silent = simulator.venues.filter((_, i) => i % QUIRKS.silentVenueModulo === 5).length;
  t.is(readings.items.length, simulator.venues.length - silent + QUIRKS.duplicatedEntries + ORPHAN_IDS.length);
  t.true(ORPHAN_IDS.every((id) => readings.items.some((r) => r.venueId === id)));
});

test('createdAt in the site text form becomes the UTC instant', async (t) => {
  const { source } = await setUp(t);
  const readings = await source.fetchCrowdLevels();
  const orphan = readings.items.find((r) => r.venueId === ORPHAN_IDS[0]);
  t.is(orphan?.observedAt.toISOString(), '2020-08-01T04:48:00.000Z');
});

test('a 5xx is retried and the poll then succeeds', async (t) => {
  const { simulator, source } = await setUp(t);
  simulator.setFault({ kind: 'http-500', times: 2 });
  const readings = await source.fetchCrowdLevels();
  t.true(readings.items.length > 300);
  t.is(simulator.requestCount, 3);
});

test('a 5xx that persists fails with UpstreamError after the retry limit', async (t) => {
  const { simulator, source } = await setUp(t);
  simulator.setFault('http-500');
  await t.throwsAsync(() => source.fetchCrowdLevels(), { instanceOf: UpstreamError, message: /after 3 attempts: HTTP 503/ });
  t.is(simulator.requestCount, 3);
});

test('a 4xx is never retried', async (t) => {
  const { simulator, source } = await setUp(t);
  simulator.setFault('http-400');
  await t.throwsAsync(() => source.fetchCrowdLevels(), { instanceOf: UpstreamError, message: /HTTP 400/ });
  t.is(simulator.requestCount, 1);
});

const wholeReplyFaults: Array<[Fault['kind'], RegExp, 'venues' | 'readings']> = [
  ['html', /not JSON \(content-type text\/html/, 'readings'],
  ['truncated', /not JSON/, 'readings'],
  ['graphql-errors', /GraphQL errors: Cannot query field/, 'readings'],
  ['wrong-key', /did not decrypt|not JSON/, 'venues'],
  ['junk-plaintext', /not JSON|no GeoJSON/, 'venues'],
];

for (const [kind, message, what] of wholeReplyFaults) {
  test(`a reply that is ${kind} fails the fetch with a clear UpstreamError`, async (t) => {
    const { simulator, source } = await setUp(t);
    simulator.setFault(kind);
    await t.throwsAsync(() => (what === 'venues' ? source.fetchVenues() : source.fetchCrowdLevels()), { instanceOf: UpstreamError, message });
  });
}

test('a reply slower than the timeout fails with UpstreamError after retrying', async (t) => {
  const { simulator, source } = await setUp(t, 150);
  simulator.setFault({ kind: 'slow', delayMs: 1_000 });
  await t.throwsAsync(() => source.fetchCrowdLevels(), { instanceOf: UpstreamError, message: /ETIMEDOUT|Timeout/i });
  t.is(simulator.requestCount, 3);
});
