import type { Band } from '../../domain/band.js';
import type { Subscription, SubscriptionState } from '../../domain/subscription.js';
import type { VenueId } from '../../domain/venue-id.js';

/** A subscription as kept: its secret only as a hash (for bearer checks) and sealed (for signing). */
export interface StoredSubscription {
  readonly subscription: Subscription;
  readonly secretHash: string;
  readonly sealedSecret: string;
  readonly state: SubscriptionState;
}

/** What matching a poll's band changes needs of a subscription: neither its secret nor its delivery history. */
export interface SubscriptionToMatch {
  readonly subscription: Subscription;
  readonly status: SubscriptionState['status'];
  readonly lastNotifiedAt: Date | null;
}

/** What a receiver is sent, minus the delivery id. */
export interface AlertPayload {
  readonly subscriptionId: string;
  readonly venueId: VenueId;
  readonly venueName: string | null;
  readonly band: Band;
  readonly bandLabel: string;
  readonly observedAt: Date;
}

/** An alert waiting to be sent; its id is derived from what it announces, so queueing it twice keeps one. */
export interface PendingDelivery {
  readonly deliveryId: string;
  readonly payload: AlertPayload;
  readonly queuedAt: Date;
}

/**
 * For keeping subscriptions and the alerts waiting for delivery, in the same store as the
 * readings. A pending delivery is sent by whoever claims it; a claim expires, so a sender
 * that died leaves it to the next one.
 */
export interface SubscriptionRepository {
  add(subscription: StoredSubscription): Promise<void>;
  get(id: string): Promise<StoredSubscription | null>;
  /** Every subscription, read consistently: what each poll's band changes are matched against. */
  all(): Promise<readonly SubscriptionToMatch[]>;
  /** False when there was none. Its pending deliveries are dropped when their turn comes. */
  remove(id: string): Promise<boolean>;
  /**
   * Changes a subscription's state with `change` applied to the state as stored now (again,
   * if another writer got there first); null when the subscription is gone. A `change` that
   * returns the state it was given writes nothing.
   */
  updateState(id: string, change: (state: SubscriptionState) => SubscriptionState): Promise<SubscriptionState | null>;

  /** Idempotent by delivery id: one already queued is left as it is. */
  enqueue(deliveries: readonly PendingDelivery[]): Promise<void>;
  /** Oldest first. */
  pendingDeliveries(): Promise<readonly PendingDelivery[]>;
  /** True when `owner` now holds the delivery until `until`: it was unclaimed, its claim expired by `now`, or it was already `owner`'s. */
  claim(deliveryId: string, owner: string, until: Date, now: Date): Promise<boolean>;
  /** Gives a claim up, leaving the delivery pending. */
  release(deliveryId: string, owner: string): Promise<void>;
  /** Removes a delivery `owner` still holds; false when its claim was lost (another sender has it now). */
  finish(deliveryId: string, owner: string): Promise<boolean>;
}

export const SUBSCRIPTION_REPOSITORY = Symbol.for('SubscriptionRepository');
