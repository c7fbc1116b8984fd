import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { systemClock } from '../../application/ports/clock.js';
import { AverageCrowdLevels } from '../../application/use-cases/average-crowd-levels.js';
import { CreateSubscription } from '../../application/use-cases/create-subscription.js';
import { DeliverWebhooks } from '../../application/use-cases/deliver-webhooks.js';
import { GetVenue } from '../../application/use-cases/get-venue.js';
import { LatestCrowdLevels } from '../../application/use-cases/latest-crowd-levels.js';
import { ListVenues } from '../../application/use-cases/list-venues.js';
import { NearbyCrowdLevels } from '../../application/use-cases/nearby-crowd-levels.js';
import { PollUpstream } from '../../application/use-cases/poll-upstream.js';
import { DeleteSubscription, GetSubscription } from '../../application/use-cases/subscription-access.js';
import { VenueProfile } from '../../application/use-cases/venue-profile.js';
import { VenueReadings } from '../../application/use-cases/venue-readings.js';
import { createHttpHandler } from '../http/http-app.js';
import { ResponseCache } from '../http/response-cache.js';
import type { InProcessEventBus } from '../memory/in-process-event-bus.js';
import { cachedReadiness } from './cached-readiness.js';
import { ConfigError, type Config } from './config.js';
import { buildContainer, storeAndWebhookAdapters } from './container.js';
import { openEventOutlet } from './event-publisher.js';
import { createLogger } from './logger.js';
import { MeasuredCrowdSource } from './measured-crowd-source.js';
import { MeasuredPoll } from './measured-poll.js';
import { PollMetrics } from './poll-metrics.js';
import { PollScheduler } from './poll-scheduler.js';
import { openStore } from './store.js';
import { openUpstream } from './upstream.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookMetrics } from './webhook-metrics.js';
import { openWebhooks } from './webhooks.js';

/** Node server timeouts: slow clients cannot hold sockets open. */
export interface ServerTimeouts {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** Longer than the load balancer's idle timeout, so it, not us, closes idle connections. */
  readonly keepAliveTimeoutMs: number;
  readonly checkIntervalMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 65_000, checkIntervalMs: 1_000 };

export interface RunningService {
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly pollUpstream: PollUpstream;
  /** Subscribe here to see every domain event in-process. */
  readonly events: InProcessEventBus;
  /**
   * Drains: /ready answers 503 at once, the poll in flight finishes, webhook deliveries stop
   * between attempts (what is left stays pending), the server stops accepting and waits for
   * requests in flight, then the store and simulator close.
   */
  stop(): Promise<void>;
}

/** Starts the whole service described by `config`: store, upstream, scheduler and HTTP API. */
export async function startService(config: Config, logger: Logger = createLogger(config.logLevel), timeouts: ServerTimeouts = DEFAULT_SERVER_TIMEOUTS): Promise<RunningService> {
  const store = await openStore(config, logger);
  const upstream = await openUpstream(config, logger).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const events = openEventOutlet(config, registry);
  const container = buildContainer({ crowdSource: new MeasuredCrowdSource(upstream.crowdSource, registry), events: events.publisher, clock: systemClock, ...storeAndWebhookAdapters(store, openWebhooks(config)) });
  const pollUpstream = container.get(PollUpstream);
  const pollMetrics = new PollMetrics(registry);
  const measuredPoll = new MeasuredPoll(pollUpstream, pollMetrics, logger);
  const scheduler = new PollScheduler(measuredPoll, config.pollIntervalSeconds, pollMetrics, logger);
  // Locally the notifier runs after every poll, whatever its outcome (a failed poll may have relayed alerts).
  const notifier = new WebhookDispatcher(container.get(DeliverWebhooks), new WebhookMetrics(registry), logger);
  events.bus.subscribe((event) => {
    if (event.type === 'PollCompleted' || event.type === 'PollFailed') notifier.kick();
  });

  let draining = false;
  // Hot reads are kept until this process sees a poll complete, and never longer than max-age:
  // API tasks on AWS do not poll, so for them the bound is what keeps them fresh.
  const responseCache = new ResponseCache(config.cacheMaxAgeSeconds * 1000);
  events.bus.subscribe((event) => {
    if (event.type === 'PollCompleted') responseCache.invalidate();
  });
  new Counter({
    name: 'http_response_cache_lookups_total',
    help: 'Lookups of the hot-read response cache, by result (hit, miss).',
    labelNames: ['result'],
    registers: [registry],
    // The cache counts for itself; a scrape copies its totals.
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, responseCache.hits);
      this.inc({ result: 'miss' }, responseCache.misses);
    },
  });
  const handler = createHttpHandler({
    listVenues: container.get(ListVenues),
    getVenue: container.get(GetVenue),
    venueReadings: container.get(VenueReadings),
    venueProfile: container.get(VenueProfile),
    latestCrowdLevels: container.get(LatestCrowdLevels),
    averageCrowdLevels: container.get(AverageCrowdLevels),
    nearbyCrowdLevels: container.get(NearbyCrowdLevels),
    createSubscription: container.get(CreateSubscription),
    getSubscription: container.get(GetSubscription),
    deleteSubscription: container.get(DeleteSubscription),
    subscriptionRateLimitPerMinute: config.subscriptionRateLimitPerMinute,
    pollUpstream: measuredPoll,
    checkReady: cachedReadiness(() => store.readings.ping()),
    adminApiKey: config.adminApiKey,
    cursorSecret: config.cursorSecret,
    metrics: registry,
    logger,
    edge: { corsOrigins: config.corsAllowedOrigins, rateLimitPerMinute: config.rateLimitPerMinute, cacheMaxAgeSeconds: config.cacheMaxAgeSeconds, trustedProxyHops: config.trustedProxyHops },
    adminRateLimitPerMinute: config.adminRateLimitPerMinute,
    isDraining: () => draining,
    responseCache,
    page: { tileUrl: config.mapTileUrl, tileAttribution: config.mapTileAttribution, refreshSeconds: pageRefreshSeconds(config) },
  });
  const server = await listen(handler, config.port, config.host, timeouts);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, store: store.description, upstream: upstream.url, pollIntervalSeconds: config.pollIntervalSeconds }, `listening on ${url}`);
  scheduler.start();
  // What a previous run left pending goes out now, not only after the next poll.
  notifier.kick();

  return {
    url,
    pollUpstream,
    events: events.bus,
    stop: async () => {
      draining = true;
      await scheduler.stop();
      await notifier.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await upstream.close();
      await store.close();
    },
  };
}

/**
 * The page checks for new data as often as a reply may be cached (never longer than a poll
 * interval), so it shows a completed poll within that bound; between polls each check is a 304.
 */
function pageRefreshSeconds(config: Config): number {
  if (config.cacheMaxAgeSeconds > 0) return config.cacheMaxAgeSeconds;
  return config.pollIntervalSeconds > 0 ? config.pollIntervalSeconds : 60;
}

async function listen(handler: RequestListener, port: number, host: string, timeouts: ServerTimeouts): Promise<Server> {
  const server = createServer({ headersTimeout: timeouts.headersTimeoutMs, requestTimeout: timeouts.requestTimeoutMs, keepAliveTimeout: timeouts.keepAliveTimeoutMs, connectionsCheckingInterval: timeouts.checkIntervalMs }, handler);
  await new Promise<void>((resolve, reject) => {
    // A host that does not resolve or a port in use is a setting the user must change.
    const refuse = (error: Error) => reject(new ConfigError(`cannot listen on HOST=${JSON.stringify(host)} PORT=${port}: ${error.message}`));
    server.once('error', refuse);
    server.listen(port, host, () => {
      server.off('error', refuse);
      resolve();
    });
  });
  return server;
}
