import test from 'ava';
import { MAX_TRACKED_CLIENTS, RateLimiter } from '../../../../adapters/http/middleware/rate-limit.js';

/** A limiter on a clock the test moves; `take` answers 0 when allowed, else the Retry-After in seconds. */
function limiter(perMinute: number) {
  const clock = { ms: 0 };
  return { clock, limiter: new RateLimiter({ perMinute }, () => clock.ms) };
}

function spend(limiter: RateLimiter, client: string, requests: number): void {
  for (let i = 0; i < requests; i++) limiter.take(client);
}

test('a client may make perMinute requests at once; the next is told to retry in 60/perMinute seconds', (t) => {
  const { limiter: six } = limiter(6);
  const allowed = Array.from({ length: 6 }, () => six.take('203.0.113.1'));
  t.deepEqual(allowed, [0, 0, 0, 0, 0, 0]);
  t.is(six.take('203.0.113.1'), 10);
});

test('Retry-After is rounded up to a whole second when a token comes back sooner', (t) => {
  const { limiter: fast } = limiter(120);
  spend(fast, '203.0.113.1', 120);
  t.is(fast.take('203.0.113.1'), 1);
});

test('a refused client that waits the Retry-After it was given is allowed again', (t) => {
  const { limiter: six, clock } = limiter(6);
  spend(six, '203.0.113.1', 6);
  const retryAfter = six.take('203.0.113.1');
  clock.ms += (retryAfter - 1) * 1000;
  t.not(six.take('203.0.113.1'), 0, 'still refused a second early');
  clock.ms += 1000;
  t.is(six.take('203.0.113.1'), 0);
});

test("one client's spent allowance does not limit another client", (t) => {
  const { limiter: six } = limiter(6);
  spend(six, '203.0.113.1', 6);
  t.is(six.take('203.0.113.2'), 0);
  t.is(six.take('203.0.113.1'), 10);
});

test('a refused client stays refused when more than 100,000 other addresses arrive and idle buckets are forgotten', (t) => {
  const { limiter: six } = limiter(6);
  spend(six, '203.0.113.1', 6);
  for (let i = 0; i <= MAX_TRACKED_CLIENTS; i++) six.take(`flood-${i}`);
  t.is(six.take('203.0.113.1'), 10);
});

test('a flood of addresses that all keep spending cannot grow the limiter past its bound, and the most spent are the last forgotten', (t) => {
  const { limiter: six } = limiter(6);
  spend(six, '203.0.113.1', 6);
  // All at one instant: every flood address has spent two tokens and none has filled up again.
  for (let i = 0; i < 2.5 * MAX_TRACKED_CLIENTS; i++) spend(six, `flood-${i}`, 2);
  t.true(six.trackedClients <= MAX_TRACKED_CLIENTS, `${six.trackedClients} addresses remembered`);
  t.is(six.take('203.0.113.1'), 10, 'the refused client is still refused');
});

test('making room forgets the buckets that have filled up again, however much they had spent, and keeps those still spending', (t) => {
  const { limiter: six, clock } = limiter(6);
  const half = MAX_TRACKED_CLIENTS / 2;
  for (let i = 0; i < half; i++) spend(six, `earlier-${i}`, 3);
  // A minute later every earlier bucket is full again.
  clock.ms += 60_000;
  for (let i = 0; i < half; i++) six.take(`now-${i}`);
  six.take('one-more');
  t.is(six.trackedClients, half + 1, 'the refilled buckets, and only they, were forgotten');
  spend(six, 'now-0', 5);
  t.not(six.take('now-0'), 0, "now-0's first request still counts");
});
