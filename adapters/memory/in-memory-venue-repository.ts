import { injectable } from 'inversify';
import type { Page, PageRequest } from '../../application/ports/page.js';
import { pageBy } from '../../application/ports/paging.js';
import type { VenueFilter, VenueRepository } from '../../application/ports/venue-repository.js';
import type { Venue } from '../../domain/venue.js';
import type { VenueId } from '../../domain/venue-id.js';

@injectable()
export class InMemoryVenueRepository implements VenueRepository {
  private readonly venues = new Map<VenueId, Venue>();

  async get(id: VenueId): Promise<Venue | null> {
    return this.venues.get(id) ?? null;
  }

  async all(): Promise<readonly Venue[]> {
    return this.sorted();
  }

  async list(filter: VenueFilter, page: PageRequest): Promise<Page<Venue>> {
    return pageBy(this.sorted().filter(matches(filter)), (venue) => venue.id, page);
  }

  async save(venues: readonly Venue[]): Promise<void> {
    for (const venue of venues) this.venues.set(venue.id, venue);
  }

  private sorted(): Venue[] {
    return [...this.venues.values()].sort((a, b) => compare(a.id, b.id));
  }
}

export function matches(filter: VenueFilter): (venue: Venue) => boolean {
  const needle = filter.q?.toLowerCase();
  const type = filter.type?.toUpperCase();
  return (venue) =>
    (type === undefined || venue.type === type) &&
    (filter.active === undefined || venue.active === filter.active) &&
    (needle === undefined || venue.name.toLowerCase().includes(needle) || venue.address.toLowerCase().includes(needle));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
