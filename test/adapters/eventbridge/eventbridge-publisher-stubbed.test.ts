import test from 'ava';
import {
  EventBridgeClient,
  EventBridgeServiceException,
  type PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import sinon from 'sinon';
import { EventDeliveryError } from '../../../adapters/eventbridge/event-delivery-error.js';
import { toEnvelope } from '../../../adapters/eventbridge/event-envelope.js';
import {
  EventBridgePublisher,
  type DeliveryOutcome,
  type EventBridgePublisherOptions,
} from '../../../adapters/eventbridge/eventbridge-publisher.js';
import type { DomainEvent } from '../../../domain/events.js';
import { readingEvents, SAMPLE_EVENTS } from './sample-events.js';

// Replies and errors that a loopback stub cannot easily produce, fed to the SDK client's send.

type Send = sinon.SinonStub<[PutEventsCommand], Promise<Partial<PutEventsCommandOutput>>>;

function stubbedPublisher(options: EventBridgePublisherOptions = {}) {
  const client = new EventBridgeClient({
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
  });
  const send = sinon.stub(client, 'send') as unknown as Send;
  const outcomes: DeliveryOutcome[] = [];
  const publisher = new EventBridgePublisher(client, 'crowd', {
    maxAttempts: 4,
    baseDelayMs: 1,
    maxDelayMs: 2,
    onDelivery: (o) => outcomes.push(o),
    ...options,
  });
  return { publisher, send, outcomes };
}

const accepted = (): PutEventsResultEntry => ({ EventId: crypto.randomUUID() });
const refused = (code: string): PutEventsResultEntry => ({ ErrorCode: code, ErrorMessage: `${code} from the stub` });
const reply = (entries: PutEventsResultEntry[]) => ({ FailedEntryCount: entries.filter((e) => e.ErrorCode).length, Entries: entries });
const sentIds = (call: sinon.SinonSpyCall<[PutEventsCommand]>) =>
  (call.args[0].input.Entries ?? []).map((entry) => JSON.parse(entry.Detail ?? '{}').eventId as string);
const idsOf = (events: readonly DomainEvent[]) => events.map((event) => toEnvelope(event).id);

function sdkError(name: string, httpStatusCode: number): EventBridgeServiceException {
  return new EventBridgeServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message: `${name} from the stub`,
  });
}

test('entries throttled one by one are sent again, alone, and then the publish succeeds', async (t) => {
  const { publisher, send, outcomes } = stubbedPublisher();
  const events = readingEvents(4);
  const ids = idsOf(events);
  send.onFirstCall().resolves(reply([accepted(), refused('ThrottlingException'), accepted(), refused('InternalFailure')]));
  send.onSecondCall().resolves(reply([accepted(), accepted()]));

  await publisher.publish(events);

  t.is(send.callCount, 2);
  t.deepEqual(sentIds(send.secondCall), [ids[1], ids[3]]);
  t.deepEqual(outcomes, [{ sent: 4, failed: 0, retried: 2 }]);
});

test('an entry refused for a permanent reason is not retried and is reported undelivered', async (t) => {
  const { publisher, send, outcomes } = stubbedPublisher();
  const events = readingEvents(2);
  send.resolves(reply([accepted(), refused('NotAuthorizedForSourceException')]));

  const error = await t.throwsAsync(publisher.publish(events), { instanceOf: EventDeliveryError });

  t.is(send.callCount, 1);
  t.deepEqual(error.undeliveredIds, [idsOf(events)[1]]);
  t.regex(error.message, /NotAuthorizedForSourceException/);
  t.deepEqual(outcomes, [{ sent: 1, failed: 1, retried: 0 }]);
});

test('a request refused as not allowed fails the publish at once, with the SDK error as cause', async (t) => {
  const { publisher, send } = stubbedPublisher();
  const denied = sdkError('AccessDeniedException', 400);
  send.rejects(denied);

  const error = await t.throwsAsync(publisher.publish(readingEvents(3)), { instanceOf: EventDeliveryError });

  t.is(send.callCount, 1);
  t.is(error.undeliveredIds.length, 3);
  t.is(error.cause, denied);
});

test('a throttled request is retried as a whole', async (t) => {
  const { publisher, send } = stubbedPublisher();
  send.onFirstCall().rejects(sdkError('ThrottlingException', 400));
  send.onSecondCall().resolves(reply([accepted(), accepted()]));

  await publisher.publish(readingEvents(2));

  t.is(send.callCount, 2);
});

test('a network failure before any reply is retried', async (t) => {
  const { publisher, send } = stubbedPublisher();
  send.onFirstCall().rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  send.onSecondCall().resolves(reply([accepted()]));

  await publisher.publish(readingEvents(1));

  t.is(send.callCount, 2);
});

test('a reply without a result for an entry counts that entry as not delivered', async (t) => {
  const { publisher, send } = stubbedPublisher({ maxAttempts: 2 });
  const events = readingEvents(3);
  send.onFirstCall().resolves(reply([accepted(), accepted()]));
  send.onSecondCall().resolves(reply([]));

  const error = await t.throwsAsync(publisher.publish(events), { instanceOf: EventDeliveryError });

  t.deepEqual(sentIds(send.secondCall), [idsOf(events)[2]]);
  t.deepEqual(error.undeliveredIds, [idsOf(events)[2]]);
});

test('an event too large for any request is reported undelivered without being sent', async (t) => {
  const { publisher, send } = stubbedPublisher();
  const venue = { ...SAMPLE_EVENTS.VenueAppeared.venue, name: 'x'.repeat(300_000) };
  const huge: DomainEvent = { ...SAMPLE_EVENTS.VenueAppeared, venue };
  const [small] = readingEvents(1);
  send.resolves(reply([accepted()]));

  const error = await t.throwsAsync(publisher.publish([huge, small!]), { instanceOf: EventDeliveryError });

  t.deepEqual(error.undeliveredIds, [toEnvelope(huge).id]);
  t.deepEqual(sentIds(send.firstCall), [toEnvelope(small!).id]);
});

test('retries wait exponentially longer, with full jitter, capped at maxDelayMs', async (t) => {
  const clock = sinon.useFakeTimers();
  const random = sinon.stub(Math, 'random').returns(0.5);
  t.teardown(() => {
    clock.restore();
    random.restore();
  });
  const { publisher, send } = stubbedPublisher({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 });
  send.rejects(sdkError('InternalException', 500));

  const publishing = t.throwsAsync(publisher.publish(readingEvents(1)), { instanceOf: EventDeliveryError });
  const callsAfter = async (ms: number) => {
    await clock.tickAsync(ms);
    return send.callCount;
  };

  // Half of 100, 200, then 250 (not 400): waits of 50, 100 and 125 ms.
  t.deepEqual(
    [
      await callsAfter(0),
      await callsAfter(49),
      await callsAfter(1),
      await callsAfter(99),
      await callsAfter(1),
      await callsAfter(124),
      await callsAfter(1),
    ],
    [1, 1, 2, 2, 3, 3, 4],
  );
  await publishing;
});
