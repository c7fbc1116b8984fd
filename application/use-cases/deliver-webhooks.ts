import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject, injectable } from 'inversify';
import { afterDelivery, type DeliveryRecord } from '../../domain/subscription.js';
import { CLOCK, type Clock } from '../ports/clock.js';
import {
  SUBSCRIPTION_REPOSITORY,
  type PendingDelivery,
  type StoredSubscription,
  type SubscriptionRepository,
} from '../ports/subscription-repository.js';
import { WEBHOOK_SECRETS, type WebhookSecrets } from '../ports/webhook-secrets.js';
import { WEBHOOK_SENDER, type SendOutcome, type WebhookSender } from '../ports/webhook-sender.js';
import { mapConcurrently } from './map-concurrently.js';
import { backoffCeiling, backoffDelay, type Backoff } from './retry-backoff.js';
import { signatureHeader } from './webhook-signature.js';

/** How hard the notifier tries; before attempt n+1 it waits a random time up to backoffCeiling(n). */
export interface DeliveryPolicy extends Backoff {
  /** Attempts per delivery, the first included. */
  readonly maxAttempts: number;
  /** One attempt's limit, connection to last byte read; the sender enforces it. */
  readonly timeoutMs: number;
  /** Failed deliveries in a row after which a subscription is paused. */
  readonly pauseAfterFailures: number;
  /** Subscriptions served at once; one subscription's deliveries go one after another, oldest first. */
  readonly concurrency: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 5,
  timeoutMs: 5_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  pauseAfterFailures: 5,
  concurrency: 8,
};
export const DELIVERY_POLICY = Symbol.for('DeliveryPolicy');

/** What one run did. */
export interface DeliveryRun {
  readonly delivered: number;
  readonly failed: number;
  /** Deliveries of subscriptions deleted or paused since they were queued: removed unsent. */
  readonly dropped: number;
  /** Attempts after the first. */
  readonly retries: number;
  /** Subscriptions this run paused. */
  readonly paused: number;
  /** Deliveries left pending: claimed by another sender, or the run was stopped. */
  readonly left: number;
}

type Tally = { -readonly [K in keyof DeliveryRun]: DeliveryRun[K] };

/**
 * Sends the pending deliveries: signed, with retries and backoff on failures worth retrying,
 * each recorded on its subscription. A delivery is claimed before it is sent and removed only
 * once it ended, so a sender that dies mid-way leaves it to the next run when the claim
 * expires: at least once, under the same delivery id.
 */
@injectable()
export class DeliverWebhooks {
  private readonly owner = randomUUID();

  constructor(
    @inject(SUBSCRIPTION_REPOSITORY) private readonly subscriptions: SubscriptionRepository,
    @inject(WEBHOOK_SENDER) private readonly sender: WebhookSender,
    @inject(WEBHOOK_SECRETS) private readonly secrets: WebhookSecrets,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(DELIVERY_POLICY) private readonly policy: DeliveryPolicy,
  ) {}

  /** `signal` stops the run between attempts; what it did not finish stays pending. */
  async execute(signal?: AbortSignal): Promise<DeliveryRun> {
    const tally: Tally = { delivered: 0, failed: 0, dropped: 0, retries: 0, paused: 0, left: 0 };
    const pending = await this.subscriptions.pendingDeliveries();
    const bySubscription = new Map<string, PendingDelivery[]>();
    for (const delivery of pending) {
      const queue = bySubscription.get(delivery.payload.subscriptionId);
      if (queue === undefined) bySubscription.set(delivery.payload.subscriptionId, [delivery]);
      else queue.push(delivery);
    }
    // A subscription's deliveries go one after another, in order; different subscriptions in parallel.
    await mapConcurrently([...bySubscription.values()], this.policy.concurrency, async (queue) => {
      for (const delivery of queue) await this.deliverOne(delivery, tally, signal);
    });
    return tally;
  }

  /** Long enough for every attempt and every wait between them, so a live sender never loses its claim. */
  private claimMs(): number {
    const waits = Array.from({ length: this.policy.maxAttempts - 1 }, (_, i) => backoffCeiling(i + 1, this.policy));
    return this.policy.maxAttempts * this.policy.timeoutMs + waits.reduce((sum, ms) => sum + ms, 0) + 30_000;
  }

  private async deliverOne(delivery: PendingDelivery, tally: Tally, signal: AbortSignal | undefined): Promise<void> {
    const now = this.clock.now();
    if (
      signal?.aborted === true ||
      !(await this.subscriptions.claim(delivery.deliveryId, this.owner, new Date(now.getTime() + this.claimMs()), now))
    ) {
      tally.left++;
      return;
    }
    const stored = await this.subscriptions.get(delivery.payload.subscriptionId);
    if (stored === null || stored.state.status !== 'active') {
      if (await this.subscriptions.finish(delivery.deliveryId, this.owner)) tally.dropped++;
      return;
    }
    const result = await this.attempts(stored, delivery, tally, signal);
    if (result === null) {
      await this.subscriptions.release(delivery.deliveryId, this.owner);
      tally.left++;
      return;
    }
    // Lost claims happen only when this run outlived its claim; the new holder records the outcome.
    if (!(await this.subscriptions.finish(delivery.deliveryId, this.owner))) return;
    const record: DeliveryRecord = {
      ...result,
      deliveryId: delivery.deliveryId,
      venueId: delivery.payload.venueId,
      band: delivery.payload.band,
      observedAt: delivery.payload.observedAt,
      finishedAt: this.clock.now(),
    };
    const state = await this.subscriptions.updateState(stored.subscription.id, (current) =>
      afterDelivery(current, record, this.policy.pauseAfterFailures),
    );
    tally[record.outcome]++;
    // The subscription was active when this delivery began (checked above), so paused now means paused by it.
    if (state?.status === 'paused') tally.paused++;
  }

  /** The delivery's outcome after at most maxAttempts attempts; null when the run was stopped first. */
  private async attempts(
    stored: StoredSubscription,
    delivery: PendingDelivery,
    tally: Tally,
    signal: AbortSignal | undefined,
  ): Promise<Pick<DeliveryRecord, 'outcome' | 'attempts' | 'detail'> | null> {
    let secret: string;
    try {
      secret = this.secrets.unseal(stored.subscription.id, stored.sealedSecret);
    } catch (error) {
      return { outcome: 'failed', attempts: 0, detail: `not sent: ${error instanceof Error ? error.message : String(error)}` };
    }
    const body = JSON.stringify({
      deliveryId: delivery.deliveryId,
      ...delivery.payload,
      observedAt: delivery.payload.observedAt.toISOString(),
    });
    const stopped = () => signal?.aborted === true;
    let outcome: SendOutcome = { kind: 'failed', retryable: true, detail: 'not attempted' };
    for (let attempt = 1; attempt <= this.policy.maxAttempts; attempt++) {
      if (attempt > 1) {
        tally.retries++;
        if (!(await sleep(backoffDelay(attempt - 1, this.policy), true, { signal }).catch(() => false))) return null;
      }
      if (stopped()) return null;
      outcome = await this.sender.post(
        stored.subscription.webhookUrl,
        body,
        { 'X-Signature': signatureHeader(secret, body, this.clock.now()) },
        signal,
      );
      if (outcome.kind === 'delivered') return { outcome: 'delivered', attempts: attempt, detail: outcome.detail };
      // An attempt cut short by the stop is not the receiver's failure: the delivery stays pending.
      if (stopped()) return null;
      if (!outcome.retryable) return { outcome: 'failed', attempts: attempt, detail: outcome.detail };
    }
    return { outcome: 'failed', attempts: this.policy.maxAttempts, detail: outcome.detail };
  }
}
