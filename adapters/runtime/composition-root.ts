import 'reflect-metadata';
import { Container, ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { Logger } from 'pino';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { CLOCK, systemClock, type Clock } from '../../application/ports/clock.js';
import { CROWD_SOURCE, type CrowdSource } from '../../application/ports/crowd-source.js';
import { EVENT_OUTBOX, type EventOutbox } from '../../application/ports/event-outbox.js';
import { EVENT_PUBLISHER, type EventPublisher } from '../../application/ports/event-publisher.js';
import { POLL_LEASE, type PollLease } from '../../application/ports/poll-lease.js';
import { READING_REPOSITORY, type ReadingRepository } from '../../application/ports/reading-repository.js';
import { SUBSCRIPTION_REPOSITORY, type SubscriptionRepository } from '../../application/ports/subscription-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../../application/ports/venue-repository.js';
import { WEBHOOK_SECRETS, type WebhookSecrets } from '../../application/ports/webhook-secrets.js';
import { WEBHOOK_SENDER, type WebhookSender } from '../../application/ports/webhook-sender.js';
import { WEBHOOK_URL_POLICY } from '../../application/ports/webhook-url-policy.js';
import { AverageCrowdLevels } from '../../application/use-cases/average-crowd-levels.js';
import { CreateSubscription } from '../../application/use-cases/create-subscription.js';
import {
  DEFAULT_DELIVERY_POLICY,
  DELIVERY_POLICY,
  DeliverWebhooks,
  type DeliveryPolicy,
} from '../../application/use-cases/deliver-webhooks.js';
import { GetVenue } from '../../application/use-cases/get-venue.js';
import { LatestCrowdLevels } from '../../application/use-cases/latest-crowd-levels.js';
import { ListVenues } from '../../application/use-cases/list-venues.js';
import { NearbyCrowdLevels } from '../../application/use-cases/nearby-crowd-levels.js';
import { PollUpstream } from '../../application/use-cases/poll-upstream.js';
import { QueueQuietAlerts } from '../../application/use-cases/queue-quiet-alerts.js';
import { DeleteSubscription, GetSubscription, ResumeSubscription } from '../../application/use-cases/subscription-access.js';
import { VenueProfile } from '../../application/use-cases/venue-profile.js';
import { VenueReadings } from '../../application/use-cases/venue-readings.js';
import { DynamoEventOutbox } from '../dynamodb/dynamo-event-outbox.js';
import { DynamoPollLease } from '../dynamodb/dynamo-poll-lease.js';
import { DynamoReadingRepository } from '../dynamodb/dynamo-reading-repository.js';
import { DynamoSubscriptionRepository } from '../dynamodb/dynamo-subscription-repository.js';
import { DYNAMO_TABLE, type DynamoTable } from '../dynamodb/dynamo-table.js';
import { DynamoVenueRepository } from '../dynamodb/dynamo-venue-repository.js';
import { createEventBridgeClient } from '../eventbridge/eventbridge-client.js';
import { EventBridgePublisher } from '../eventbridge/eventbridge-publisher.js';
import { createHttpHandler } from '../http/http-app.js';
import { ResponseCache } from '../http/response-cache.js';
import type { PageSettings } from '../http/web-page.js';
import { InMemoryEventOutbox } from '../memory/in-memory-event-outbox.js';
import { InMemoryPollLease } from '../memory/in-memory-poll-lease.js';
import { InMemoryReadingRepository } from '../memory/in-memory-reading-repository.js';
import { InMemorySubscriptionRepository } from '../memory/in-memory-subscription-repository.js';
import { InMemoryVenueRepository } from '../memory/in-memory-venue-repository.js';
import { InProcessEventBus } from '../memory/in-process-event-bus.js';
import { HttpWebhookSender } from '../webhooks/http-webhook-sender.js';
import { SealedWebhookSecrets } from '../webhooks/sealed-webhook-secrets.js';
import { WebhookAddressGuard } from '../webhooks/webhook-address-guard.js';
import { cachedReadiness } from './cached-readiness.js';
import { edgeSettingsOf, type Config } from './config.js';
import { MeasuredCrowdSource } from './measured-crowd-source.js';
import { MeasuredPoll } from './measured-poll.js';
import { PollMetrics } from './poll-metrics.js';
import { PollScheduler } from './poll-scheduler.js';
import {
  CONFIG,
  DRAIN_STATE,
  EVENT_OUTLET,
  HTTP_HANDLER,
  IN_PROCESS_BUS,
  LOGGER,
  MEASURED_POLL,
  METRICS_REGISTRY,
  PAGE_SETTINGS,
  POLL_SCHEDULER,
  READINESS_CHECK,
  RESPONSE_CACHE,
  UPSTREAM,
  WEBHOOK_DISPATCHER,
  type DrainState,
} from './runtime-tokens.js';
import { openTable, type OpenTable } from './store.js';
import { openUpstream, type Upstream } from './upstream.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookMetrics } from './webhook-metrics.js';
import { queueingAlertsFirst } from './webhooks.js';

/**
 * The one place that knows every adapter. Each family is a container module, chosen from the
 * settings; `npm start`, `poll-once`, the benchmarks and the tests all get their objects from
 * `composeService`, and tests swap a family for its in-memory twin. Resources with a lifecycle
 * (the store, the upstream) close when the container is unbound (`unbindAllAsync`).
 */
export interface AdapterFamilies {
  /** The four store ports. Default: DynamoDB (embedded, an endpoint, or AWS, from the settings). */
  readonly store: ContainerModule;
  /** The crowd source. Default: SpaceOut at SPACEOUT_URL, or the bundled simulator. */
  readonly upstream: ContainerModule;
  /** The event publisher. Default: in-process, plus EventBridge when EVENT_BUS_NAME is set. */
  readonly events: ContainerModule;
  readonly clock: ContainerModule;
}

export function composeService(config: Config, logger: Logger, families: Partial<AdapterFamilies> = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(
    settingsModule(config, logger),
    families.clock ?? clockModule(systemClock),
    families.store ?? dynamoStoreModule,
    families.upstream ?? spaceOutUpstreamModule,
    families.events ?? eventsModule,
    useCasesModule,
    webhooksModule,
    pollingModule,
    httpModule,
  );
  return container;
}

function settingsModule(config: Config, logger: Logger): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Config>(CONFIG).toConstantValue(config);
    bind<Logger>(LOGGER).toConstantValue(logger);
    bind<Registry>(METRICS_REGISTRY).toDynamicValue(() => {
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });
      return registry;
    });
    bind<DrainState>(DRAIN_STATE).toConstantValue({ draining: false });
  });
}

export function clockModule(clock: Clock): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Clock>(CLOCK).toConstantValue(clock);
  });
}

/** The DynamoDB adapters over the table the settings name (opened, and closed with the container). */
const dynamoStoreModule = new ContainerModule(({ bind }) => {
  bind<OpenTable>(DYNAMO_TABLE)
    .toDynamicValue(async (context) => openTable(context.get<Config>(CONFIG), context.get<Logger>(LOGGER)))
    .inSingletonScope()
    .onDeactivation((table) => table.close());
  bindDynamoAdapters(bind);
});

/** The DynamoDB adapters over a table someone else opened and closes (a benchmark's, a test's). */
export function dynamoStoreOn(table: DynamoTable): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<DynamoTable>(DYNAMO_TABLE).toConstantValue(table);
    bindDynamoAdapters(bind);
  });
}

function bindDynamoAdapters(bind: ContainerModuleLoadOptions['bind']): void {
  bind(VENUE_REPOSITORY).to(DynamoVenueRepository);
  bind(READING_REPOSITORY).to(DynamoReadingRepository);
  bind(EVENT_OUTBOX).to(DynamoEventOutbox);
  bind(POLL_LEASE).to(DynamoPollLease);
  bind(SUBSCRIPTION_REPOSITORY).to(DynamoSubscriptionRepository);
}

/** The in-memory twins of the store ports, for tests: fresh ones for each container. */
export const memoryStoreModule = new ContainerModule(({ bind }) => {
  bind(VENUE_REPOSITORY).to(InMemoryVenueRepository);
  bind(READING_REPOSITORY).to(InMemoryReadingRepository);
  bind(EVENT_OUTBOX).to(InMemoryEventOutbox);
  bind(POLL_LEASE).to(InMemoryPollLease);
  bind(SUBSCRIPTION_REPOSITORY).to(InMemorySubscriptionRepository);
});

/** Given store adapters, so several containers (processes, in a test) can share one store. */
export function storeOf(store: {
  venues: VenueRepository;
  readings: ReadingRepository;
  outbox: EventOutbox;
  lease: PollLease;
  subscriptions?: SubscriptionRepository;
}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<VenueRepository>(VENUE_REPOSITORY).toConstantValue(store.venues);
    bind<ReadingRepository>(READING_REPOSITORY).toConstantValue(store.readings);
    bind<EventOutbox>(EVENT_OUTBOX).toConstantValue(store.outbox);
    bind<PollLease>(POLL_LEASE).toConstantValue(store.lease);
    bind<SubscriptionRepository>(SUBSCRIPTION_REPOSITORY).toConstantValue(store.subscriptions ?? new InMemorySubscriptionRepository());
  });
}

const spaceOutUpstreamModule = new ContainerModule(({ bind }) => {
  bind<Upstream>(UPSTREAM)
    .toDynamicValue(async (context) => openUpstream(context.get<Config>(CONFIG), context.get<Logger>(LOGGER)))
    .inSingletonScope()
    .onDeactivation((upstream) => upstream.close());
  bind<CrowdSource>(CROWD_SOURCE).toDynamicValue(
    async (context) =>
      new MeasuredCrowdSource((await context.getAsync<Upstream>(UPSTREAM)).crowdSource, context.get<Registry>(METRICS_REGISTRY)),
  );
});

/** A crowd source a test controls, in place of the upstream. */
export function fixedUpstreamModule(source: CrowdSource): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Upstream>(UPSTREAM).toConstantValue({ crowdSource: source, url: 'fixed', close: async () => {} });
    bind<CrowdSource>(CROWD_SOURCE).toConstantValue(source);
  });
}

/** Events go to this publisher (and to in-process subscribers first). */
export function publisherModule(publisher: EventPublisher): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(IN_PROCESS_BUS).toDynamicValue(() => new InProcessEventBus());
    bind<EventPublisher>(EVENT_OUTLET).toDynamicValue((context) => {
      const bus = context.get<InProcessEventBus>(IN_PROCESS_BUS);
      return {
        publish: async (events) => {
          await bus.publish(events);
          await publisher.publish(events);
        },
      };
    });
  });
}

const eventsModule = new ContainerModule(({ bind }) => {
  bind(IN_PROCESS_BUS).toDynamicValue(() => new InProcessEventBus());
  bind<EventPublisher>(EVENT_OUTLET).toDynamicValue((context) => {
    const bus = context.get<InProcessEventBus>(IN_PROCESS_BUS);
    const busName = context.get<Config>(CONFIG).eventBusName;
    if (busName === null) return bus;
    const delivered = new Counter({
      name: 'spaceout_events_total',
      help: 'Events sent to EventBridge, by result (sent, failed, retried).',
      labelNames: ['result'],
      registers: [context.get<Registry>(METRICS_REGISTRY)],
    });
    const eventBridge = new EventBridgePublisher(createEventBridgeClient(), busName, {
      onDelivery: (outcome) => {
        for (const result of ['sent', 'failed', 'retried'] as const) delivered.inc({ result }, outcome[result]);
      },
    });
    // In-process subscribers (the response cache) see every event, whichever way it also leaves.
    return {
      publish: async (events) => {
        await bus.publish(events);
        await eventBridge.publish(events);
      },
    };
  });
});

const useCasesModule = new ContainerModule(({ bind }) => {
  // Every event passes the webhook intake before it leaves: if queueing alerts fails, so does
  // publishing, and the outbox keeps the events for the next poll.
  bind<EventPublisher>(EVENT_PUBLISHER).toDynamicValue(async (context) =>
    queueingAlertsFirst(await context.getAsync(QueueQuietAlerts), context.get<EventPublisher>(EVENT_OUTLET)),
  );
  const useCases = [
    PollUpstream,
    QueueQuietAlerts,
    DeliverWebhooks,
    CreateSubscription,
    GetSubscription,
    DeleteSubscription,
    ResumeSubscription,
    ListVenues,
    GetVenue,
    VenueReadings,
    VenueProfile,
    LatestCrowdLevels,
    AverageCrowdLevels,
    NearbyCrowdLevels,
  ];
  for (const useCase of useCases) bind<object>(useCase).toSelf();
});

/** The webhook adapters the settings describe: which addresses may be called, how, and the sealed secrets. */
const webhooksModule = new ContainerModule(({ bind }) => {
  bind<WebhookAddressGuard>(WEBHOOK_URL_POLICY).toDynamicValue((context) => {
    const config = context.get<Config>(CONFIG);
    return new WebhookAddressGuard({ allowLoopback: config.webhookAllowLoopback, ports: config.webhookPorts });
  });
  bind<DeliveryPolicy>(DELIVERY_POLICY).toDynamicValue((context) => {
    const config = context.get<Config>(CONFIG);
    return { ...DEFAULT_DELIVERY_POLICY, maxAttempts: config.webhookMaxAttempts, timeoutMs: config.webhookTimeoutSeconds * 1000 };
  });
  bind<WebhookSender>(WEBHOOK_SENDER).toDynamicValue(
    (context) =>
      new HttpWebhookSender(context.get<WebhookAddressGuard>(WEBHOOK_URL_POLICY), {
        timeoutMs: context.get<DeliveryPolicy>(DELIVERY_POLICY).timeoutMs,
      }),
  );
  bind<WebhookSecrets>(WEBHOOK_SECRETS).toDynamicValue((context) => new SealedWebhookSecrets(context.get<Config>(CONFIG).webhookSecretKey));
  bind<WebhookDispatcher>(WEBHOOK_DISPATCHER).toDynamicValue(
    async (context) =>
      new WebhookDispatcher(
        await context.getAsync(DeliverWebhooks),
        new WebhookMetrics(context.get<Registry>(METRICS_REGISTRY)),
        context.get<Logger>(LOGGER),
      ),
  );
});

const pollingModule = new ContainerModule(({ bind }) => {
  bind(PollMetrics).toDynamicValue((context) => new PollMetrics(context.get<Registry>(METRICS_REGISTRY)));
  bind<MeasuredPoll>(MEASURED_POLL).toDynamicValue(
    async (context) => new MeasuredPoll(await context.getAsync(PollUpstream), context.get(PollMetrics), context.get<Logger>(LOGGER)),
  );
  bind<PollScheduler>(POLL_SCHEDULER).toDynamicValue(
    async (context) =>
      new PollScheduler(
        await context.getAsync<MeasuredPoll>(MEASURED_POLL),
        context.get<Config>(CONFIG).pollIntervalSeconds,
        context.get(PollMetrics),
        context.get<Logger>(LOGGER),
      ),
  );
});

const httpModule = new ContainerModule(({ bind }) => {
  bind<() => Promise<void>>(READINESS_CHECK).toDynamicValue(async (context) => {
    const readings = await context.getAsync<ReadingRepository>(READING_REPOSITORY);
    return cachedReadiness(() => readings.ping());
  });
  bind<ResponseCache>(RESPONSE_CACHE).toDynamicValue((context) => {
    // Kept until this process sees a poll complete, and never longer than max-age: API tasks on
    // AWS do not poll, so for them the bound is what keeps them fresh.
    const cache = new ResponseCache(context.get<Config>(CONFIG).cacheMaxAgeSeconds * 1000);
    context.get<InProcessEventBus>(IN_PROCESS_BUS).subscribe((event) => {
      if (event.type === 'PollCompleted') cache.invalidate();
    });
    countLookups(cache, context.get<Registry>(METRICS_REGISTRY));
    return cache;
  });
  bind(HTTP_HANDLER).toDynamicValue(async (context) => {
    const config = context.get<Config>(CONFIG);
    const drain = context.get<DrainState>(DRAIN_STATE);
    return createHttpHandler({
      listVenues: await context.getAsync(ListVenues),
      getVenue: await context.getAsync(GetVenue),
      venueReadings: await context.getAsync(VenueReadings),
      venueProfile: await context.getAsync(VenueProfile),
      latestCrowdLevels: await context.getAsync(LatestCrowdLevels),
      averageCrowdLevels: await context.getAsync(AverageCrowdLevels),
      nearbyCrowdLevels: await context.getAsync(NearbyCrowdLevels),
      createSubscription: await context.getAsync(CreateSubscription),
      getSubscription: await context.getAsync(GetSubscription),
      deleteSubscription: await context.getAsync(DeleteSubscription),
      resumeSubscription: await context.getAsync(ResumeSubscription),
      subscriptionRateLimitPerMinute: config.subscriptionRateLimitPerMinute,
      pollUpstream: await context.getAsync<MeasuredPoll>(MEASURED_POLL),
      checkReady: await context.getAsync<() => Promise<void>>(READINESS_CHECK),
      adminApiKey: config.adminApiKey,
      metricsNeedAdminKey: config.metricsNeedAdminKey,
      cursorSecret: config.cursorSecret,
      metrics: context.get<Registry>(METRICS_REGISTRY),
      logger: context.get<Logger>(LOGGER),
      edge: edgeSettingsOf(config),
      adminRateLimitPerMinute: config.adminRateLimitPerMinute,
      isDraining: () => drain.draining,
      responseCache: context.get<ResponseCache>(RESPONSE_CACHE),
      page: context.get<PageSettings>(PAGE_SETTINGS),
    });
  });
  bind<PageSettings>(PAGE_SETTINGS).toDynamicValue((context) => {
    const config = context.get<Config>(CONFIG);
    return { tileUrl: config.mapTileUrl, tileAttribution: config.mapTileAttribution, refreshSeconds: pageRefreshSeconds(config) };
  });
});

/** The cache counts for itself; a scrape copies its totals. */
function countLookups(cache: ResponseCache, registry: Registry): void {
  new Counter({
    name: 'http_response_cache_lookups_total',
    help: 'Lookups of the hot-read response cache, by result (hit; joined: waited for the same reply being made; miss: made it).',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, cache.hits);
      this.inc({ result: 'joined' }, cache.joined);
      this.inc({ result: 'miss' }, cache.misses);
    },
  });
}

/**
 * The page checks for new data as often as a reply may be cached (never longer than a poll
 * interval), so it shows a completed poll within that bound; between polls each check is a 304.
 */
function pageRefreshSeconds(config: Config): number {
  if (config.cacheMaxAgeSeconds > 0) return config.cacheMaxAgeSeconds;
  return config.pollIntervalSeconds > 0 ? config.pollIntervalSeconds : 60;
}
