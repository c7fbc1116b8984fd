import anyTest, { type TestFn } from 'ava';
import { EventDeliveryError } from '../../../adapters/eventbridge/event-delivery-error.js';
import { toEnvelope } from '../../../adapters/eventbridge/event-envelope.js';
import {
  createEventBridgeClient,
  EventBridgePublisher,
  type DeliveryOutcome,
  type EventBridgePublisherOptions,
} from '../../../adapters/eventbridge/eventbridge-publisher.js';
import type { DomainEvent } from '../../../domain/events.js';
import { eventIdOf, PutEventsServer } from './put-events-server.js';
import { readingEvents, SAMPLE_EVENTS, SAMPLE_EVENT_LIST } from './sample-events.js';

const BUS = 'spaceout-crowd-test';
const FAST: EventBridgePublisherOptions = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

const test = anyTest as TestFn<{ server: PutEventsServer }>;

test.beforeEach(async (t) => {
  t.context.server = await PutEventsServer.start();
});

test.afterEach.always(async (t) => {
  await t.context.server.close();
});

function publisherFor(server: PutEventsServer, options: EventBridgePublisherOptions = {}, requestTimeoutMs?: number) {
  const outcomes: DeliveryOutcome[] = [];
  const client = createEventBridgeClient({
    endpoint: server.endpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    ...(requestTimeoutMs !== undefined && { requestTimeoutMs }),
  });
  const publisher = new EventBridgePublisher(client, BUS, { ...FAST, onDelivery: (outcome) => outcomes.push(outcome), ...options });
  return { publisher, outcomes };
}

const idsOf = (events: readonly DomainEvent[]) => events.map((event) => toEnvelope(event).id);

/** A venue event whose name pads it to about `bytes` bytes. */
function bulkyVenueEvent(index: number, bytes: number): DomainEvent {
  const venue = { ...SAMPLE_EVENTS.VenueAppeared.venue, id: `big-${index}`, name: 'x'.repeat(bytes) };
  return { ...SAMPLE_EVENTS.VenueAppeared, venue };
}

test('twenty-five events go out as three signed PutEvents requests of at most ten entries', async (t) => {
  const { server } = t.context;
  const events = readingEvents(25);
  await publisherFor(server).publisher.publish(events);

  t.deepEqual(
    server.requests.map((r) => r.entries.length),
    [10, 10, 5],
  );
  for (const request of server.requests) {
    t.like(request, { method: 'POST', path: '/', target: 'AWSEvents.PutEvents', contentType: 'application/x-amz-json-1.1', signed: true });
  }
  t.deepEqual(server.acceptedEventIds, idsOf(events));
});

test('every entry names the bus, the source, the detail-type, an empty resource list and the fact time', async (t) => {
  const { server } = t.context;
  const [event] = readingEvents(1);
  await publisherFor(server).publisher.publish([event!]);

  const [entry] = server.accepted;
  t.like(entry, {
    EventBusName: BUS,
    Source: 'spaceout.crowd',
    DetailType: 'Reading Recorded',
    Resources: [],
    Time: Date.parse('2020-08-01T04:00:00Z') / 1000,
  });
  t.deepEqual(JSON.parse(entry!.Detail!), toEnvelope(event!).detail);
});

test('a venue event is sent with the time its poll noticed it', async (t) => {
  const { server } = t.context;
  await publisherFor(server).publisher.publish([SAMPLE_EVENTS.VenueVanished]);
  t.like(server.accepted[0], { DetailType: 'Venue Vanished', Time: Date.parse('2020-08-01T05:00:00Z') / 1000 });
});

test('every detail on the wire parses as JSON and carries its eventId', async (t) => {
  const { server } = t.context;
  await publisherFor(server).publisher.publish(SAMPLE_EVENT_LIST);
  t.deepEqual(server.acceptedEventIds, idsOf(SAMPLE_EVENT_LIST));
});

test('large events are split by size so no request body exceeds 256 KB', async (t) => {
  const { server } = t.context;
  const events = Array.from({ length: 8 }, (_, i) => bulkyVenueEvent(i, 60_000));
  await publisherFor(server).publisher.publish(events);

  t.true(server.requests.length >= 2);
  t.true(
    server.requests.every((r) => r.outcome === 'answered' && r.bodyBytes <= 256 * 1024),
    JSON.stringify(server.requests.map((r) => r.bodyBytes)),
  );
  t.deepEqual(server.acceptedEventIds, idsOf(events));
});

test('entries refused on the first attempt are retried and delivered exactly once', async (t) => {
  const { server } = t.context;
  const events = readingEvents(25);
  const refused = new Set(idsOf(events).filter((_, i) => i % 3 === 0));
  server.refuseEntries((entry) => refused.has(eventIdOf(entry)), { code: 'InternalFailure', times: 1 });
  const { publisher, outcomes } = publisherFor(server);

  await publisher.publish(events);

  t.deepEqual([...server.acceptedEventIds].sort(), idsOf(events).sort());
  t.deepEqual(
    server.requests
      .slice(3)
      .flatMap((r) => r.entries.map(eventIdOf))
      .sort(),
    [...refused].sort(),
  );
  t.deepEqual(outcomes, [{ sent: 25, failed: 0, retried: refused.size }]);
});

test('a bus that is down for the whole publish fails it, listing every undelivered id', async (t) => {
  const { server } = t.context;
  server.goDown();
  const events = readingEvents(12);
  const { publisher, outcomes } = publisherFor(server, { maxAttempts: 3 });

  const error = await t.throwsAsync(publisher.publish(events), { instanceOf: EventDeliveryError });

  t.deepEqual([...error.undeliveredIds].sort(), idsOf(events).sort());
  t.is(server.requests.length, 2 * 3);
  t.deepEqual(outcomes, [{ sent: 0, failed: 12, retried: 24 }]);
});

test('a publish that gives up names only the events that did not get through', async (t) => {
  const { server } = t.context;
  const events = readingEvents(5);
  const stubborn = idsOf(events)[3]!;
  server.refuseEntries((entry) => eventIdOf(entry) === stubborn, { code: 'ThrottlingException', times: Infinity });
  const { publisher, outcomes } = publisherFor(server, { maxAttempts: 3 });

  const error = await t.throwsAsync(publisher.publish(events), { instanceOf: EventDeliveryError });

  t.deepEqual(error.undeliveredIds, [stubborn]);
  t.is(server.accepted.length, 4);
  t.deepEqual(outcomes, [{ sent: 4, failed: 1, retried: 2 }]);
});

test('a request failing with 500 twice and then succeeding delivers every event', async (t) => {
  const { server } = t.context;
  server.failRequests(2, 'internal-error');
  const events = readingEvents(7);
  const { publisher, outcomes } = publisherFor(server);

  await publisher.publish(events);

  t.deepEqual(
    server.requests.map((r) => r.outcome),
    ['failed', 'failed', 'answered'],
  );
  t.deepEqual(server.acceptedEventIds, idsOf(events));
  t.deepEqual(outcomes, [{ sent: 7, failed: 0, retried: 14 }]);
});

test('a throttled request is retried until the bus accepts it', async (t) => {
  const { server } = t.context;
  server.failRequests(1, 'throttling');
  const events = readingEvents(3);

  await publisherFor(server).publisher.publish(events);

  t.deepEqual(
    server.requests.map((r) => r.outcome),
    ['failed', 'answered'],
  );
  t.deepEqual(server.acceptedEventIds, idsOf(events));
});

test('a bus that is unreachable for two attempts and then back gets every event', async (t) => {
  const { server } = t.context;
  server.goDown(2);
  const events = readingEvents(3);

  await publisherFor(server).publisher.publish(events);

  t.deepEqual(
    server.requests.map((r) => r.outcome),
    ['dropped', 'dropped', 'answered'],
  );
  t.deepEqual(server.acceptedEventIds, idsOf(events));
});

test('a bus that takes two requests and never answers them, then answers, gets every event: each stalled request times out and is retried', async (t) => {
  // Without a request timeout that throws, the first stalled request would wait for ever.
  t.timeout(20_000);
  const { server } = t.context;
  server.stall(2);
  const events = readingEvents(3);

  await publisherFor(server, {}, 200).publisher.publish(events);

  t.deepEqual(
    server.requests.map((r) => r.outcome),
    ['stalled', 'stalled', 'answered'],
  );
  t.deepEqual(server.acceptedEventIds, idsOf(events));
});

test('publishing nothing sends nothing', async (t) => {
  const { server } = t.context;
  const { publisher, outcomes } = publisherFor(server);
  await publisher.publish([]);
  t.is(server.requests.length, 0);
  t.deepEqual(outcomes, []);
});
