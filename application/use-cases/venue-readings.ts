import { inject, injectable } from 'inversify';
import type { CrowdReading } from '../../domain/crowd-reading.js';
import { NotFoundError } from '../../domain/errors.js';
import type { TimeRange } from '../../domain/time-range.js';
import type { VenueId } from '../../domain/venue-id.js';
import type { Page, PageRequest } from '../ports/page.js';
import { READING_REPOSITORY, type ReadingRepository } from '../ports/reading-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../ports/venue-repository.js';

/** A venue's readings, newest first. Ids missing from the facility list still have history. */
@injectable()
export class VenueReadings {
  constructor(
    @inject(VENUE_REPOSITORY) private readonly venues: VenueRepository,
    @inject(READING_REPOSITORY) private readonly readings: ReadingRepository,
  ) {}

  async execute(id: VenueId, range: Partial<TimeRange>, page: PageRequest): Promise<Page<CrowdReading>> {
    // The page is read beside the check rather than after it: one round trip to the store, not two.
    const [venue, latest, history] = await Promise.all([
      this.venues.get(id),
      this.readings.latestOf(id),
      this.readings.history(id, range, page),
    ]);
    if (venue === null && latest === null) throw new NotFoundError(`no venue or reading has id ${id}`);
    return history;
  }
}
