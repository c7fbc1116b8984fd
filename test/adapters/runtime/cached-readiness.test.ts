import test from 'ava';
import { cachedReadiness } from '../../../adapters/runtime/cached-readiness.js';

/** A store check that counts its calls and answers as told. */
function storeCheck() {
  const state = { calls: 0, up: true };
  const check = async () => {
    state.calls += 1;
    if (!state.up) throw new Error('store down');
  };
  return { state, check };
}

function clock(start = 0) {
  const time = { now: start };
  return { time, now: () => time.now };
}

test('probes within the cache period ask the store once', async (t) => {
  const { state, check } = storeCheck();
  const { time, now } = clock();
  const ready = cachedReadiness(check, 5_000, now);
  await ready();
  time.now += 4_999;
  await ready();
  await ready();
  t.is(state.calls, 1);
});

test('a probe after the cache period asks the store again and sees it go down', async (t) => {
  const { state, check } = storeCheck();
  const { time, now } = clock();
  const ready = cachedReadiness(check, 5_000, now);
  await ready();
  state.up = false;
  time.now += 5_000;
  await t.throwsAsync(ready(), { message: 'store down' });
  t.is(state.calls, 2);
});

test('a failed check is reused for the cache period too, then the store recovers', async (t) => {
  const { state, check } = storeCheck();
  const { time, now } = clock();
  const ready = cachedReadiness(check, 5_000, now);
  state.up = false;
  await t.throwsAsync(ready());
  state.up = true;
  time.now += 1_000;
  await t.throwsAsync(ready(), undefined, 'still the cached failure');
  time.now += 4_000;
  await t.notThrowsAsync(ready());
  t.is(state.calls, 2);
});

test('probes that arrive together share one store call', async (t) => {
  const { state, check } = storeCheck();
  const ready = cachedReadiness(check, 5_000, () => 0);
  await Promise.all([ready(), ready(), ready()]);
  t.is(state.calls, 1);
});
