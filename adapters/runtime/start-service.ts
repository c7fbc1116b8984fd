import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { systemClock } from '../../application/ports/clock.js';
import { AverageCrowdLevels } from '../../application/use-cases/average-crowd-levels.js';
import { GetVenue } from '../../application/use-cases/get-venue.js';
import { LatestCrowdLevels } from '../../application/use-cases/latest-crowd-levels.js';
import { ListVenues } from '../../application/use-cases/list-venues.js';
import { PollUpstream } from '../../application/use-cases/poll-upstream.js';
import { VenueReadings } from '../../application/use-cases/venue-readings.js';
import { createHttpApp } from '../http/http-app.js';
import type { InProcessEventBus } from '../memory/in-process-event-bus.js';
import type { Config } from './config.js';
import { buildContainer } from './container.js';
import { openEventOutlet } from './event-publisher.js';
import { createLogger } from './logger.js';
import { MeasuredPoll } from './measured-poll.js';
import { PollMetrics } from './poll-metrics.js';
import { PollScheduler } from './poll-scheduler.js';
import { openStore } from './store.js';
import { openUpstream } from './upstream.js';

export interface RunningService {
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly pollUpstream: PollUpstream;
  /** Subscribe here to see every domain event in-process. */
  readonly events: InProcessEventBus;
  /** Stops polling (waiting for a poll in flight), closes the server, then the store and simulator. */
  stop(): Promise<void>;
}

/** Starts the whole service described by `config`: store, upstream, scheduler and HTTP API. */
export async function startService(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningService> {
  const store = await openStore(config, logger);
  const upstream = await openUpstream(config, logger).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const events = openEventOutlet(config, registry);
  const container = buildContainer({ crowdSource: upstream.crowdSource, venues: store.venues, readings: store.readings, outbox: store.outbox, lease: store.lease, events: events.publisher, clock: systemClock });
  const pollUpstream = container.get(PollUpstream);
  const pollMetrics = new PollMetrics(registry);
  const measuredPoll = new MeasuredPoll(pollUpstream, pollMetrics, logger);
  const scheduler = new PollScheduler(measuredPoll, config.pollIntervalSeconds, pollMetrics, logger);

  const app = createHttpApp({
    listVenues: container.get(ListVenues),
    getVenue: container.get(GetVenue),
    venueReadings: container.get(VenueReadings),
    latestCrowdLevels: container.get(LatestCrowdLevels),
    averageCrowdLevels: container.get(AverageCrowdLevels),
    pollUpstream: measuredPoll,
    checkReady: () => store.readings.ping(),
    adminApiKey: config.adminApiKey,
    cursorSecret: config.cursorSecret,
    metrics: registry,
    logger,
  });
  const server = await listen(app.callback(), config.port, config.host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, store: store.description, upstream: upstream.url, pollIntervalSeconds: config.pollIntervalSeconds }, `listening on ${url}`);
  scheduler.start();

  return {
    url,
    pollUpstream,
    events: events.bus,
    stop: async () => {
      await scheduler.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await upstream.close();
      await store.close();
    },
  };
}

async function listen(handler: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
