import { injectable } from 'inversify';
import type {
  PendingDelivery,
  StoredSubscription,
  SubscriptionRepository,
  SubscriptionToMatch,
} from '../../application/ports/subscription-repository.js';
import type { SubscriptionState } from '../../domain/subscription.js';

interface Claim {
  readonly owner: string;
  readonly until: Date;
}

@injectable()
export class InMemorySubscriptionRepository implements SubscriptionRepository {
  private readonly subscriptions = new Map<string, StoredSubscription>();
  private readonly deliveries = new Map<string, { delivery: PendingDelivery; claim: Claim | null }>();

  async add(subscription: StoredSubscription): Promise<void> {
    this.subscriptions.set(subscription.subscription.id, subscription);
  }

  async get(id: string): Promise<StoredSubscription | null> {
    return this.subscriptions.get(id) ?? null;
  }

  async all(): Promise<readonly SubscriptionToMatch[]> {
    return [...this.subscriptions.values()].map(({ subscription, state }) => ({
      subscription,
      status: state.status,
      lastNotifiedAt: state.lastNotifiedAt,
    }));
  }

  async remove(id: string): Promise<boolean> {
    return this.subscriptions.delete(id);
  }

  async updateState(id: string, change: (state: SubscriptionState) => SubscriptionState): Promise<SubscriptionState | null> {
    const stored = this.subscriptions.get(id);
    if (stored === undefined) return null;
    const state = change(stored.state);
    if (state !== stored.state) this.subscriptions.set(id, { ...stored, state });
    return state;
  }

  async enqueue(deliveries: readonly PendingDelivery[]): Promise<void> {
    for (const delivery of deliveries)
      if (!this.deliveries.has(delivery.deliveryId)) this.deliveries.set(delivery.deliveryId, { delivery, claim: null });
  }

  async pendingDeliveries(): Promise<readonly PendingDelivery[]> {
    return [...this.deliveries.values()].map((entry) => entry.delivery).sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime());
  }

  async claim(deliveryId: string, owner: string, until: Date, now: Date): Promise<boolean> {
    const entry = this.deliveries.get(deliveryId);
    if (entry === undefined || (entry.claim !== null && entry.claim.owner !== owner && entry.claim.until > now)) return false;
    entry.claim = { owner, until };
    return true;
  }

  async release(deliveryId: string, owner: string): Promise<void> {
    const entry = this.deliveries.get(deliveryId);
    if (entry?.claim?.owner === owner) entry.claim = null;
  }

  async finish(deliveryId: string, owner: string): Promise<boolean> {
    if (this.deliveries.get(deliveryId)?.claim?.owner !== owner) return false;
    return this.deliveries.delete(deliveryId);
  }
}
