import { inject, injectable } from 'inversify';
import type { Venue } from '../../domain/venue.js';
import type { Page, PageRequest } from '../ports/page.js';
import { VENUE_REPOSITORY, type VenueFilter, type VenueRepository } from '../ports/venue-repository.js';

@injectable()
export class ListVenues {
  constructor(@inject(VENUE_REPOSITORY) private readonly venues: VenueRepository) {}

  execute(filter: VenueFilter, page: PageRequest): Promise<Page<Venue>> {
    return this.venues.list(filter, page);
  }
}
