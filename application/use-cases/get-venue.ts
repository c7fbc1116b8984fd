import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../domain/errors.js';
import type { Venue } from '../../domain/venue.js';
import type { VenueId } from '../../domain/venue-id.js';
import { READING_REPOSITORY, type ReadingRepository } from '../ports/reading-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../ports/venue-repository.js';
import { latestReadingView, type LatestReadingView } from './views.js';

export interface VenueWithLatest {
  readonly venue: Venue;
  readonly latest: LatestReadingView | null;
}

@injectable()
export class GetVenue {
  constructor(
    @inject(VENUE_REPOSITORY) private readonly venues: VenueRepository,
    @inject(READING_REPOSITORY) private readonly readings: ReadingRepository,
  ) {}

  /**
   * Throws NotFoundError for an id the facility list never had. Upstream reports crowd levels
   * for some such ids (orphans); the error says so, since the crowd levels list them.
   */
  async execute(id: VenueId): Promise<VenueWithLatest> {
    const [venue, latest] = await Promise.all([this.venues.get(id), this.readings.latestOf(id)]);
    if (venue === null) throw notFound(id, latest !== null);
    return { venue, latest: latest === null ? null : latestReadingView(latest, venue) };
  }
}

/** The 404 for an id no venue has; upstream reports crowd levels for some such ids (orphans). */
export async function unknownVenue(id: VenueId, readings: ReadingRepository): Promise<NotFoundError> {
  return notFound(id, (await readings.latestOf(id)) !== null);
}

function notFound(id: VenueId, hasReadings: boolean): NotFoundError {
  return new NotFoundError(
    hasReadings
      ? `no venue has id ${id}: SpaceOut reports crowd levels for it but never listed it; its readings are kept`
      : `no venue has id ${id}`,
  );
}
