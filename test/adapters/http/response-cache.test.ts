import test from 'ava';
import { ResponseCache } from '../../../adapters/http/response-cache.js';

const MINUTE = 60_000;

/** Makes the reply for `key` the way a route does, and keeps it. */
async function keepReply(cache: ResponseCache, key: string, body: string): Promise<void> {
  await cache.fill(key, async (keep) => keep(Buffer.from(body), 'application/json; charset=utf-8'));
}

const kept = (cache: ResponseCache, keys: string[]) => keys.filter((key) => cache.get(key) !== undefined);

test('with room for two replies, keeping a third forgets the oldest', async (t) => {
  const cache = new ResponseCache(MINUTE, 2, 1024, () => 0);
  await keepReply(cache, '/v1/venues', '[1]');
  await keepReply(cache, '/v1/crowd-levels', '[2]');
  await keepReply(cache, '/v1/venues/a1', '[3]');
  t.deepEqual(kept(cache, ['/v1/venues', '/v1/crowd-levels', '/v1/venues/a1']), ['/v1/crowd-levels', '/v1/venues/a1']);
});

test('a reply that would take the cache over its bytes forgets the oldest replies until it fits', async (t) => {
  const cache = new ResponseCache(MINUTE, 100, 10, () => 0);
  await keepReply(cache, '/v1/venues', 'aaaa');
  await keepReply(cache, '/v1/crowd-levels', 'bbbb');
  await keepReply(cache, '/v1/venues/a1', 'cccccccc');
  t.deepEqual(kept(cache, ['/v1/venues', '/v1/crowd-levels', '/v1/venues/a1']), ['/v1/venues/a1']);
});
