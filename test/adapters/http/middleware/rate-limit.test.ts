import test from 'ava';
import { RateLimiter } from '../../../../adapters/http/middleware/rate-limit.js';

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
  for (let i = 0; i <= 100_000; i++) six.take(`flood-${i}`);
  t.is(six.take('203.0.113.1'), 10);
});
