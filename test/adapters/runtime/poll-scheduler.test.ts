import test from 'ava';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import sinon from 'sinon';
import { PollMetrics } from '../../../adapters/runtime/poll-metrics.js';
import { MeasuredPoll, type SchedulablePoll } from '../../../adapters/runtime/measured-poll.js';
import { PollScheduler } from '../../../adapters/runtime/poll-scheduler.js';
import type { PollSummary } from '../../../domain/poll-summary.js';

const summary: PollSummary = {
  startedAt: new Date(0),
  finishedAt: new Date(1000),
  venues: { seen: 1, added: 1, updated: 0, deactivated: 0, rejected: 0 },
  readings: { seen: 1, stored: 1, duplicate: 0, rejected: 0, orphan: 0 },
  rejections: [],
};

/** A poll that takes `durationMs` of (fake) time. */
function slowPoll(durationMs: number): SchedulablePoll & { calls: number } {
  const poll = {
    calls: 0,
    isRunning: false,
    async execute() {
      poll.calls++;
      poll.isRunning = true;
      await new Promise((resolve) => setTimeout(resolve, durationMs));
      poll.isRunning = false;
      return summary;
    },
  };
  return poll;
}

function schedulerFor(poll: SchedulablePoll, intervalSeconds: number) {
  const registry = new Registry();
  const metrics = new PollMetrics(registry);
  const logger = pino({ level: 'silent' });
  return { registry, scheduler: new PollScheduler(new MeasuredPoll(poll, metrics, logger), intervalSeconds, metrics, logger) };
}

test.serial('the first poll runs at start-up, then one every interval', async (t) => {
  const clock = sinon.useFakeTimers();
  t.teardown(() => clock.restore());
  const poll = slowPoll(10);
  const { scheduler } = schedulerFor(poll, 60);
  scheduler.start();
  t.is(poll.calls, 1);
  await clock.tickAsync(60_000 * 3 + 20);
  t.is(poll.calls, 4);
  await scheduler.stop();
});

test.serial('a tick that finds a poll running is skipped and counted', async (t) => {
  const clock = sinon.useFakeTimers();
  t.teardown(() => clock.restore());
  const poll = slowPoll(150_000);
  const { scheduler, registry } = schedulerFor(poll, 60);
  scheduler.start();
  await clock.tickAsync(120_000);
  t.is(poll.calls, 1);
  t.regex(await registry.metrics(), /spaceout_polls_total\{outcome="skipped"\} 2/);
  const stopped = scheduler.stop();
  await clock.tickAsync(30_000);
  await stopped;
});

test.serial('an interval of 0 never polls', async (t) => {
  const clock = sinon.useFakeTimers();
  t.teardown(() => clock.restore());
  const poll = slowPoll(10);
  const { scheduler } = schedulerFor(poll, 0);
  scheduler.start();
  await clock.tickAsync(3_600_000);
  t.is(poll.calls, 0);
});

test.serial('a failed poll is counted and the next tick polls again', async (t) => {
  const clock = sinon.useFakeTimers();
  t.teardown(() => clock.restore());
  let calls = 0;
  const poll: SchedulablePoll = {
    isRunning: false,
    execute: async () => {
      calls++;
      throw new Error('upstream down');
    },
  };
  const { scheduler, registry } = schedulerFor(poll, 60);
  scheduler.start();
  await clock.tickAsync(60_000);
  t.is(calls, 2);
  t.regex(await registry.metrics(), /spaceout_polls_total\{outcome="failed"\} 2/);
  await scheduler.stop();
});

test.serial('stop waits for the poll in flight to finish', async (t) => {
  const clock = sinon.useFakeTimers();
  t.teardown(() => clock.restore());
  const poll = slowPoll(5_000);
  const { scheduler } = schedulerFor(poll, 60);
  scheduler.start();
  let stopped = false;
  const stopping = scheduler.stop().then(() => (stopped = true));
  await clock.tickAsync(1_000);
  t.false(stopped);
  await clock.tickAsync(5_000);
  await stopping;
  t.true(stopped);
});
