import { inject, injectable } from 'inversify';
import { addDays, singaporeDayOf, startOfSingaporeDay } from '../../domain/singapore-calendar.js';
import { usualWeekOf, type UsualWeek } from '../../domain/usual-week.js';
import type { VenueId } from '../../domain/venue-id.js';
import { CLOCK, type Clock } from '../ports/clock.js';
import { READING_REPOSITORY, type ReadingRepository } from '../ports/reading-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../ports/venue-repository.js';
import { unknownVenue } from './get-venue.js';

export const DEFAULT_PROFILE_WEEKS = 4;
export const MAX_PROFILE_WEEKS = 12;

export interface VenueProfileView {
  readonly venueId: VenueId;
  readonly weeks: number;
  /** Singapore midnight starting the first of the 7·weeks days, today included. */
  readonly from: Date;
  readonly to: Date;
  readonly week: UsualWeek;
}

/** A venue's usual week: per Singapore weekday and hour, the mean band over the last `weeks` weeks. */
@injectable()
export class VenueProfile {
  constructor(
    @inject(VENUE_REPOSITORY) private readonly venues: VenueRepository,
    @inject(READING_REPOSITORY) private readonly readings: ReadingRepository,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Throws NotFoundError for an id the facility list never had. */
  async execute(venueId: VenueId, weeks: number): Promise<VenueProfileView> {
    const now = this.clock.now();
    const today = singaporeDayOf(now.getTime());
    const first = addDays(today, -(7 * weeks - 1));
    const [venue, days] = await Promise.all([this.venues.get(venueId), this.readings.hourlyTotals(venueId, first, today)]);
    if (venue === null) throw await unknownVenue(venueId, this.readings);
    return { venueId, weeks, from: startOfSingaporeDay(first), to: now, week: usualWeekOf(days) };
  }
}
