import 'reflect-metadata';
import { Container } from 'inversify';
import { CLOCK, type Clock } from '../../application/ports/clock.js';
import { CROWD_SOURCE, type CrowdSource } from '../../application/ports/crowd-source.js';
import { EVENT_OUTBOX, type EventOutbox } from '../../application/ports/event-outbox.js';
import { EVENT_PUBLISHER, type EventPublisher } from '../../application/ports/event-publisher.js';
import { POLL_LEASE, type PollLease } from '../../application/ports/poll-lease.js';
import { READING_REPOSITORY, type ReadingRepository } from '../../application/ports/reading-repository.js';
import { SUBSCRIPTION_REPOSITORY, type SubscriptionRepository } from '../../application/ports/subscription-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../../application/ports/venue-repository.js';
import { WEBHOOK_SECRETS, type WebhookSecrets } from '../../application/ports/webhook-secrets.js';
import { WEBHOOK_SENDER, type WebhookSender } from '../../application/ports/webhook-sender.js';
import { WEBHOOK_URL_POLICY, type WebhookUrlPolicy } from '../../application/ports/webhook-url-policy.js';
import { AverageCrowdLevels } from '../../application/use-cases/average-crowd-levels.js';
import { CreateSubscription } from '../../application/use-cases/create-subscription.js';
import { DeliverWebhooks, DELIVERY_POLICY, type DeliveryPolicy } from '../../application/use-cases/deliver-webhooks.js';
import { GetVenue } from '../../application/use-cases/get-venue.js';
import { LatestCrowdLevels } from '../../application/use-cases/latest-crowd-levels.js';
import { ListVenues } from '../../application/use-cases/list-venues.js';
import { NearbyCrowdLevels } from '../../application/use-cases/nearby-crowd-levels.js';
import { PollUpstream } from '../../application/use-cases/poll-upstream.js';
import { QueueQuietAlerts } from '../../application/use-cases/queue-quiet-alerts.js';
import { DeleteSubscription, GetSubscription } from '../../application/use-cases/subscription-access.js';
import { VenueProfile } from '../../application/use-cases/venue-profile.js';
import { VenueReadings } from '../../application/use-cases/venue-readings.js';
import type { Store } from './store.js';
import { queueingAlertsFirst, type Webhooks } from './webhooks.js';

/** The driven adapters chosen for this run; the container plugs them into the use cases. */
export interface DrivenAdapters {
  readonly crowdSource: CrowdSource;
  readonly venues: VenueRepository;
  readonly readings: ReadingRepository;
  readonly events: EventPublisher;
  readonly outbox: EventOutbox;
  readonly lease: PollLease;
  readonly clock: Clock;
  readonly subscriptions: SubscriptionRepository;
  readonly webhookSender: WebhookSender;
  readonly webhookUrls: WebhookUrlPolicy;
  readonly webhookSecrets: WebhookSecrets;
  readonly deliveryPolicy: DeliveryPolicy;
}

/** What the store and the webhook adapters provide; each entry point adds its upstream, publisher and clock. */
export function storeAndWebhookAdapters(store: Store, webhooks: Webhooks): Omit<DrivenAdapters, 'crowdSource' | 'events' | 'clock'> {
  return {
    venues: store.venues,
    readings: store.readings,
    outbox: store.outbox,
    lease: store.lease,
    subscriptions: store.subscriptions,
    webhookSender: webhooks.sender,
    webhookUrls: webhooks.urls,
    webhookSecrets: webhooks.secrets,
    deliveryPolicy: webhooks.policy,
  };
}

/** The one container of the process. Adapters are built by the caller, which owns their lifecycles. */
export function buildContainer(adapters: DrivenAdapters): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<CrowdSource>(CROWD_SOURCE).toConstantValue(adapters.crowdSource);
  container.bind<VenueRepository>(VENUE_REPOSITORY).toConstantValue(adapters.venues);
  container.bind<ReadingRepository>(READING_REPOSITORY).toConstantValue(adapters.readings);
  // Every event passes the webhook intake before it leaves: if queueing alerts fails, so does
  // publishing, and the outbox keeps the events for the next poll.
  container.bind<EventPublisher>(EVENT_PUBLISHER).toDynamicValue((context) => queueingAlertsFirst(context.get(QueueQuietAlerts), adapters.events));
  container.bind<EventOutbox>(EVENT_OUTBOX).toConstantValue(adapters.outbox);
  container.bind<PollLease>(POLL_LEASE).toConstantValue(adapters.lease);
  container.bind<Clock>(CLOCK).toConstantValue(adapters.clock);
  container.bind<SubscriptionRepository>(SUBSCRIPTION_REPOSITORY).toConstantValue(adapters.subscriptions);
  container.bind<WebhookSender>(WEBHOOK_SENDER).toConstantValue(adapters.webhookSender);
  container.bind<WebhookUrlPolicy>(WEBHOOK_URL_POLICY).toConstantValue(adapters.webhookUrls);
  container.bind<WebhookSecrets>(WEBHOOK_SECRETS).toConstantValue(adapters.webhookSecrets);
  container.bind<DeliveryPolicy>(DELIVERY_POLICY).toConstantValue(adapters.deliveryPolicy);
  container.bind(PollUpstream).toSelf();
  container.bind(ListVenues).toSelf();
  container.bind(GetVenue).toSelf();
  container.bind(VenueReadings).toSelf();
  container.bind(VenueProfile).toSelf();
  container.bind(LatestCrowdLevels).toSelf();
  container.bind(AverageCrowdLevels).toSelf();
  container.bind(NearbyCrowdLevels).toSelf();
  container.bind(QueueQuietAlerts).toSelf();
  container.bind(DeliverWebhooks).toSelf();
  container.bind(CreateSubscription).toSelf();
  container.bind(GetSubscription).toSelf();
  container.bind(DeleteSubscription).toSelf();
  return container;
}
