import { Counter, type Registry } from 'prom-client';
import type { DeliveryRun } from '../../application/use-cases/deliver-webhooks.js';

/** Webhook deliveries as Prometheus series: how many reached their receivers, failed, or were dropped. */
export class WebhookMetrics {
  private readonly deliveries: Counter<'outcome'>;
  private readonly retries: Counter;
  private readonly paused: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.deliveries = new Counter({
      name: 'spaceout_webhook_deliveries_total',
      help: 'Webhook deliveries by outcome: delivered, failed (after every attempt allowed, or refused), dropped (its subscription was deleted or paused).',
      labelNames: ['outcome'],
      registers,
    });
    this.retries = new Counter({
      name: 'spaceout_webhook_retries_total',
      help: 'Webhook attempts after the first of their delivery.',
      registers,
    });
    this.paused = new Counter({
      name: 'spaceout_webhook_subscriptions_paused_total',
      help: 'Subscriptions paused after repeated failed deliveries.',
      registers,
    });
    for (const outcome of ['delivered', 'failed', 'dropped']) this.deliveries.inc({ outcome }, 0);
  }

  record(run: DeliveryRun): void {
    for (const outcome of ['delivered', 'failed', 'dropped'] as const) this.deliveries.inc({ outcome }, run[outcome]);
    this.retries.inc(run.retries);
    this.paused.inc(run.paused);
  }
}
