import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Clock } from '../../application/ports/clock.js';
import { AverageCrowdLevels } from '../../application/use-cases/average-crowd-levels.js';
import { GetVenue } from '../../application/use-cases/get-venue.js';
import { LatestCrowdLevels } from '../../application/use-cases/latest-crowd-levels.js';
import { ListVenues } from '../../application/use-cases/list-venues.js';
import { NearbyCrowdLevels } from '../../application/use-cases/nearby-crowd-levels.js';
import { PollUpstream } from '../../application/use-cases/poll-upstream.js';
import { VenueProfile } from '../../application/use-cases/venue-profile.js';
import { VenueReadings } from '../../application/use-cases/venue-readings.js';
import { createHttpHandler, DEFAULT_EDGE, type EdgeSettings } from '../../adapters/http/http-app.js';
import type { PageSettings } from '../../adapters/http/web-page.js';
import { ResponseCache } from '../../adapters/http/response-cache.js';
import { FixedCrowdSource } from '../../adapters/memory/fixed-crowd-source.js';
import { InProcessEventBus } from '../../adapters/memory/in-process-event-bus.js';
import { InMemoryReadingRepository } from '../../adapters/memory/in-memory-reading-repository.js';
import { InMemoryVenueRepository } from '../../adapters/memory/in-memory-venue-repository.js';
import { InMemoryEventOutbox } from '../../adapters/memory/in-memory-event-outbox.js';
import { InMemoryPollLease } from '../../adapters/memory/in-memory-poll-lease.js';
import { InMemorySubscriptionRepository } from '../../adapters/memory/in-memory-subscription-repository.js';
import { queueingAlertsFirst } from '../../adapters/runtime/webhooks.js';
import { SealedWebhookSecrets } from '../../adapters/webhooks/sealed-webhook-secrets.js';
import { WebhookAddressGuard, type Resolver } from '../../adapters/webhooks/webhook-address-guard.js';
import { fixedResolver, PUBLIC_HOOKS } from './fixed-resolver.js';
import { CreateSubscription } from '../../application/use-cases/create-subscription.js';
import { QueueQuietAlerts } from '../../application/use-cases/queue-quiet-alerts.js';
import { DeleteSubscription, GetSubscription } from '../../application/use-cases/subscription-access.js';

export const ADMIN_KEY = 'test-admin-key-0123456789';
export const WEBHOOK_SECRET_KEY = 'test-webhook-secret-key-0123456789abcdef';

export interface Harness {
  readonly url: string;
  readonly source: FixedCrowdSource;
  readonly venues: InMemoryVenueRepository;
  readonly readings: InMemoryReadingRepository;
  readonly subscriptions: InMemorySubscriptionRepository;
  ready: boolean;
  draining: boolean;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  post(path: string, headers?: Record<string, string>, body?: string): Promise<{ status: number; headers: Headers; body: any }>;
  request(method: string, path: string, headers?: Record<string, string>, body?: string): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

/** The real HTTP app over the real use cases and in-memory adapters, on a loopback socket. */
export async function startHarness(
  options: {
    adminApiKey?: string | null;
    clock?: Clock;
    edge?: Partial<EdgeSettings>;
    adminRateLimitPerMinute?: number;
    cacheTtlMs?: number;
    page?: PageSettings;
    resolve?: Resolver;
    allowLoopback?: boolean;
    subscriptionRateLimitPerMinute?: number;
  } = {},
): Promise<Harness> {
  const source = new FixedCrowdSource();
  const venues = new InMemoryVenueRepository();
  const readings = new InMemoryReadingRepository();
  const clock = options.clock ?? { now: () => new Date('2020-08-01T05:00:00Z') };
  const state = { ready: true, draining: false };
  const subscriptions = new InMemorySubscriptionRepository();
  const secrets = new SealedWebhookSecrets(WEBHOOK_SECRET_KEY);
  const urls = new WebhookAddressGuard({ allowLoopback: options.allowLoopback ?? false, resolve: options.resolve ?? fixedResolver(PUBLIC_HOOKS) });
  // As in the runtime: a completed poll empties the cache of hot reads.
  const cache = new ResponseCache(options.cacheTtlMs ?? 30_000);
  const bus = new InProcessEventBus();
  bus.subscribe((event) => {
    if (event.type === 'PollCompleted') cache.invalidate();
  });
  const handler = createHttpHandler({
    listVenues: new ListVenues(venues),
    getVenue: new GetVenue(venues, readings),
    venueReadings: new VenueReadings(venues, readings),
    venueProfile: new VenueProfile(venues, readings, clock),
    latestCrowdLevels: new LatestCrowdLevels(venues, readings),
    averageCrowdLevels: new AverageCrowdLevels(venues, readings),
    nearbyCrowdLevels: new NearbyCrowdLevels(venues, readings),
    createSubscription: new CreateSubscription(venues, readings, subscriptions, urls, secrets, clock),
    getSubscription: new GetSubscription(subscriptions, secrets),
    deleteSubscription: new DeleteSubscription(subscriptions, secrets),
    ...(options.subscriptionRateLimitPerMinute === undefined ? {} : { subscriptionRateLimitPerMinute: options.subscriptionRateLimitPerMinute }),
    pollUpstream: new PollUpstream(source, venues, readings, queueingAlertsFirst(new QueueQuietAlerts(subscriptions, venues, clock), bus), clock, new InMemoryEventOutbox(), new InMemoryPollLease(clock)),
    responseCache: cache,
    checkReady: async () => {
      if (!state.ready) throw new Error('store down');
    },
    adminApiKey: options.adminApiKey === undefined ? ADMIN_KEY : options.adminApiKey,
    cursorSecret: 'test-cursor-secret-123',
    metrics: new Registry(),
    logger: pino({ level: 'silent' }),
    edge: { ...DEFAULT_EDGE, ...options.edge },
    isDraining: () => state.draining,
    ...(options.adminRateLimitPerMinute === undefined ? {} : { adminRateLimitPerMinute: options.adminRateLimitPerMinute }),
    ...(options.page === undefined ? {} : { page: options.page }),
  });
  const server: Server = await new Promise((resolve) => {
    const s = createServer(handler).listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
    const response = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, headers: response.headers, body: type.includes('json') && text !== '' ? JSON.parse(text) : text };
  };
  return {
    url,
    source,
    venues,
    readings,
    subscriptions,
    get ready() {
      return state.ready;
    },
    set ready(value: boolean) {
      state.ready = value;
    },
    get draining() {
      return state.draining;
    },
    set draining(value: boolean) {
      state.draining = value;
    },
    get: (path, headers) => call('GET', path, headers),
    post: (path, headers, body) => call('POST', path, headers, body),
    request: (method, path, headers, body) => call(method, path, headers, body),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
