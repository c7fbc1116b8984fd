import type { EventPublisher } from '../../application/ports/event-publisher.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from '../../application/use-cases/deliver-webhooks.js';
import type { QueueQuietAlerts } from '../../application/use-cases/queue-quiet-alerts.js';
import { HttpWebhookSender } from '../webhooks/http-webhook-sender.js';
import { SealedWebhookSecrets } from '../webhooks/sealed-webhook-secrets.js';
import { WebhookAddressGuard, type Resolver } from '../webhooks/webhook-address-guard.js';
import type { Config } from './config.js';

export interface Webhooks {
  readonly sender: HttpWebhookSender;
  readonly urls: WebhookAddressGuard;
  readonly secrets: SealedWebhookSecrets;
  readonly policy: DeliveryPolicy;
}

/** The webhook adapters the settings describe; `resolve` replaces DNS (tests give fixed answers). */
export function openWebhooks(config: Config, resolve?: Resolver): Webhooks {
  const urls = new WebhookAddressGuard({ allowLoopback: config.webhookAllowLoopback, ...(resolve === undefined ? {} : { resolve }) });
  const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, maxAttempts: config.webhookMaxAttempts, timeoutMs: config.webhookTimeoutSeconds * 1000 };
  return { sender: new HttpWebhookSender(urls, { timeoutMs: policy.timeoutMs }), urls, secrets: new SealedWebhookSecrets(config.webhookSecretKey), policy };
}

/** The publisher that first queues the alerts a batch of events calls for, then passes the events on. */
export function queueingAlertsFirst(alerts: QueueQuietAlerts, publisher: EventPublisher): EventPublisher {
  return {
    publish: async (events) => {
      await alerts.execute(events);
      await publisher.publish(events);
    },
  };
}
