import { inject, injectable } from 'inversify';
import type { TimeRange } from '../../domain/time-range.js';
import type { Page, PageRequest } from '../ports/page.js';
import { READING_REPOSITORY, type ReadingRepository } from '../ports/reading-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../ports/venue-repository.js';
import { venuesById } from './venues-by-id.js';
import type { AverageView } from './views.js';

/** Per venue, the mean band of its distinct readings observed in [from, to). */
@injectable()
export class AverageCrowdLevels {
  constructor(
    @inject(VENUE_REPOSITORY) private readonly venues: VenueRepository,
    @inject(READING_REPOSITORY) private readonly readings: ReadingRepository,
  ) {}

  async execute(range: TimeRange, page: PageRequest): Promise<Page<AverageView>> {
    const [totals, venues] = await Promise.all([this.readings.totals(range, page), venuesById(this.venues)]);
    return {
      items: totals.items.map((total) => {
        const venue = venues.get(total.venueId);
        return {
          venueId: total.venueId,
          venueName: venue?.name ?? null,
          venueType: venue?.type ?? null,
          averageBand: total.sum / total.count,
          samples: total.count,
          from: range.from,
          to: range.to,
        };
      }),
      next: totals.next,
    };
  }
}
