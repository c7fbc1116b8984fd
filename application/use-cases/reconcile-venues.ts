import type { DomainEvent } from '../../domain/events.js';
import { sameVenueDetails, type Venue } from '../../domain/venue.js';

export interface VenueChanges {
  readonly added: readonly Venue[];
  readonly changed: readonly Venue[];
  readonly vanished: readonly Venue[];
  /** Everything that must be written: added, changed (reactivated included) and vanished. */
  readonly toSave: readonly Venue[];
  readonly events: readonly DomainEvent[];
}

/**
 * Compares the stored venues with the facility list. A venue missing from the list is kept
 * and marked inactive, so its old readings keep their name; one that returns is active again.
 */
export function reconcileVenues(stored: readonly Venue[], listed: readonly Venue[], detectedAt: Date): VenueChanges {
  const storedById = new Map(stored.map((venue) => [venue.id, venue]));
  const listedIds = new Set(listed.map((venue) => venue.id));
  const added: Venue[] = [];
  const changed: Venue[] = [];
  const events: DomainEvent[] = [];

  for (const venue of listed) {
    const previous = storedById.get(venue.id);
    if (previous === undefined) {
      added.push(venue);
      events.push({ type: 'VenueAppeared', venue, detectedAt });
    } else if (!sameVenueDetails(previous, venue)) {
      changed.push(venue);
      events.push({ type: 'VenueChanged', previous, venue, detectedAt });
    }
  }

  const vanished = stored.filter((venue) => venue.active && !listedIds.has(venue.id)).map((venue) => ({ ...venue, active: false }));
  for (const venue of vanished) events.push({ type: 'VenueVanished', venue, detectedAt });

  return { added, changed, vanished, toSave: [...added, ...changed, ...vanished], events };
}
