import type { Venue } from '../../domain/venue.js';
import type { VenueId } from '../../domain/venue-id.js';
import type { Page, PageRequest } from './page.js';

export interface VenueFilter {
  readonly type?: string | undefined;
  /** Case-insensitive substring of name or address. */
  readonly q?: string | undefined;
  readonly active?: boolean | undefined;
}

/** For storing and finding venues. Venues are ordered by id. */
export interface VenueRepository {
  get(id: VenueId): Promise<Venue | null>;
  /** Every venue, active or not; the poll diffs the facility list against it. */
  all(): Promise<readonly Venue[]>;
  list(filter: VenueFilter, page: PageRequest): Promise<Page<Venue>>;
  /** Insert or replace, by id. */
  save(venues: readonly Venue[]): Promise<void>;
}

export const VENUE_REPOSITORY = Symbol.for('VenueRepository');
