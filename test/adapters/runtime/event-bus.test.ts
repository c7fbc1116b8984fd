import test from 'ava';
import { tempDataDir } from '../../support/temp-dir.js';
import { runToCompletion } from '../../support/service-process.js';
import { PutEventsServer } from '../eventbridge/put-events-server.js';

test("with EVENT_BUS_NAME set, poll-once sends the poll's events to that bus", async (t) => {
  const bus = await PutEventsServer.start();
  t.teardown(() => bus.close());
  const dataDir = tempDataDir(t, 'spaceout-events-');
  const result = await runToCompletion('adapters/runtime/poll-once.ts', {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    EVENT_BUS_NAME: 'spaceout-test-bus',
    AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
    AWS_REGION: 'ap-southeast-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  t.is(result.code, 0, result.stderr);
  const types = bus.accepted.map((entry) => entry.DetailType);
  t.is(types.filter((type) => type === 'Venue Appeared').length, 320);
  t.is(types.filter((type) => type === 'Reading Recorded').length, 320);
  t.is(types.at(-1), 'Poll Completed');
  t.true(bus.accepted.every((entry) => entry.EventBusName === 'spaceout-test-bus' && entry.Source === 'spaceout.crowd'));
});

test('with the event bus unreachable, poll-once stores the poll, keeps its events and exits 1 saying so', async (t) => {
  const dataDir = tempDataDir(t, 'spaceout-events-');
  const result = await runToCompletion('adapters/runtime/poll-once.ts', {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    EVENT_BUS_NAME: 'spaceout-test-bus',
    AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:9',
    AWS_REGION: 'ap-southeast-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  t.is(result.code, 1);
  t.regex(result.stdout, /"stored":320/);
  t.regex(result.stderr, /^poll-once failed: 641 events could not be delivered; they stay in the outbox for the next run$/m);
});
