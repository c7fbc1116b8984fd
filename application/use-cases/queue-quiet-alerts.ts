import { createHash } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { bandLabel } from '../../domain/band.js';
import type { BandChanged, DomainEvent } from '../../domain/events.js';
import { alertDue, isQuietAlert, type Subscription } from '../../domain/subscription.js';
import type { Venue } from '../../domain/venue.js';
import { CLOCK, type Clock } from '../ports/clock.js';
import { SUBSCRIPTION_REPOSITORY, type PendingDelivery, type SubscriptionRepository } from '../ports/subscription-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../ports/venue-repository.js';
import { venuesById } from './venues-by-id.js';

/**
 * Turns a poll's band changes into pending webhook deliveries, before the events go anywhere
 * else: the runtime composes it in front of the event publisher, so if this fails, publishing
 * fails and the outbox keeps the events for the next poll, which queues them again. Queueing is
 * idempotent (a delivery's id is derived from what it announces), and each subscription
 * remembers the newest drop it was told about, so a relayed event is not announced twice.
 */
@injectable()
export class QueueQuietAlerts {
  constructor(
    @inject(SUBSCRIPTION_REPOSITORY) private readonly subscriptions: SubscriptionRepository,
    @inject(VENUE_REPOSITORY) private readonly venues: VenueRepository,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The number of deliveries queued. */
  async execute(events: readonly DomainEvent[]): Promise<number> {
    const changes = events
      .filter((event): event is BandChanged => event.type === 'BandChanged')
      .sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime());
    if (changes.length === 0) return 0;
    const active = (await this.subscriptions.all()).filter((candidate) => candidate.status === 'active');
    if (active.length === 0) return 0;
    const venues = await venuesById(this.venues);

    const queued: PendingDelivery[] = [];
    const notified = new Map<string, Date>();
    for (const { subscription, lastNotifiedAt } of active) {
      let last = lastNotifiedAt;
      for (const change of changes) {
        const venue = venues.get(change.venueId);
        if (!isQuietAlert(subscription, change, venue) || !alertDue(subscription, last, change.observedAt)) continue;
        queued.push(this.deliveryOf(subscription, change, venue));
        last = change.observedAt;
      }
      if (last !== lastNotifiedAt && last !== null) notified.set(subscription.id, last);
    }
    // Deliveries first: a process that dies in between queues them again from the relayed events.
    await this.subscriptions.enqueue(queued);
    for (const [id, at] of notified) {
      await this.subscriptions.updateState(id, (state) =>
        state.lastNotifiedAt !== null && state.lastNotifiedAt >= at ? state : { ...state, lastNotifiedAt: at },
      );
    }
    return queued.length;
  }

  private deliveryOf(subscription: Subscription, change: BandChanged, venue: Venue | undefined): PendingDelivery {
    return {
      deliveryId: deliveryIdOf(subscription.id, change),
      payload: {
        subscriptionId: subscription.id,
        venueId: change.venueId,
        venueName: venue?.name ?? null,
        band: change.band,
        bandLabel: bandLabel(change.band),
        observedAt: change.observedAt,
      },
      queuedAt: this.clock.now(),
    };
  }
}

/** The same alert (subscription, venue, reading) always has the same id, so receivers can drop repeats. */
export function deliveryIdOf(subscriptionId: string, change: Pick<BandChanged, 'venueId' | 'observedAt' | 'band'>): string {
  return createHash('sha256')
    .update(`${subscriptionId}|${change.venueId}|${change.observedAt.toISOString()}|${change.band}`)
    .digest('hex')
    .slice(0, 32);
}
