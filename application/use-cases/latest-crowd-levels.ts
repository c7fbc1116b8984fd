import { inject, injectable } from 'inversify';
import type { Page, PageRequest } from '../ports/page.js';
import { READING_REPOSITORY, type ReadingRepository } from '../ports/reading-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../ports/venue-repository.js';
import { venuesById } from './venues-by-id.js';
import { latestReadingView, type LatestReadingView } from './views.js';

@injectable()
export class LatestCrowdLevels {
  constructor(
    @inject(VENUE_REPOSITORY) private readonly venues: VenueRepository,
    @inject(READING_REPOSITORY) private readonly readings: ReadingRepository,
  ) {}

  async execute(page: PageRequest): Promise<Page<LatestReadingView>> {
    const [latest, venues] = await Promise.all([this.readings.latest(page), venuesById(this.venues)]);
    return { items: latest.items.map((reading) => latestReadingView(reading, venues.get(reading.venueId))), next: latest.next };
  }
}
