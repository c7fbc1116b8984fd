import { inject, injectable } from 'inversify';
import type { GeoPoint } from '../../domain/geo-point.js';
import { nearbyDistance } from '../../domain/nearby.js';
import type { Page, PageRequest } from '../ports/page.js';
import { pageBy } from '../ports/paging.js';
import { READING_REPOSITORY, type ReadingRepository } from '../ports/reading-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../ports/venue-repository.js';
import { allPages } from './all-pages.js';
import { latestReadingView, type LatestReadingView } from './views.js';

export interface NearbyQuery {
  readonly centre: GeoPoint;
  readonly radiusMetres: number;
  /** Upper case, as venues store it. */
  readonly type?: string | undefined;
}

export interface NearbyReadingView extends LatestReadingView {
  readonly location: GeoPoint;
  /** Whole metres from the centre. */
  readonly distanceMetres: number;
}

/**
 * The latest reading of each active venue within the radius, quietest first and then
 * nearest: the answer to "where near me is not crowded right now?".
 */
@injectable()
export class NearbyCrowdLevels {
  constructor(
    @inject(VENUE_REPOSITORY) private readonly venues: VenueRepository,
    @inject(READING_REPOSITORY) private readonly readings: ReadingRepository,
  ) {}

  async execute(query: NearbyQuery, page: PageRequest): Promise<Page<NearbyReadingView>> {
    // Bounded by the venue count (a few hundred), never by history.
    const [latest, venues] = await Promise.all([allPages((request) => this.readings.latest(request)), this.venues.all()]);
    const latestById = new Map(latest.map((reading) => [reading.venueId, reading]));
    const nearby: NearbyReadingView[] = [];
    for (const venue of venues) {
      const reading = latestById.get(venue.id);
      const distance = reading === undefined ? null : nearbyDistance(query, venue);
      if (reading === undefined || distance === null) continue;
      nearby.push({ ...latestReadingView(reading, venue), location: venue.location, distanceMetres: distance });
    }
    nearby.sort((a, b) => compareText(positionOf(a), positionOf(b)));
    return pageBy(nearby, positionOf, page);
  }
}

/** Band, then distance, then id, as one string whose order is the list's order (paging resumes after it). */
function positionOf(view: NearbyReadingView): string {
  return `${view.band}:${String(view.distanceMetres).padStart(9, '0')}:${view.venueId}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
