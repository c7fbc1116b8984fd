import type { Page } from '../../application/ports/page.js';
import type { NearbyReadingView } from '../../application/use-cases/nearby-crowd-levels.js';
import type { VenueProfileView } from '../../application/use-cases/venue-profile.js';
import type { AverageView, LatestReadingView } from '../../application/use-cases/views.js';
import { bandLabel } from '../../domain/band.js';
import type { CrowdReading } from '../../domain/crowd-reading.js';
import type { Venue } from '../../domain/venue.js';

export const venueJson = (venue: Venue) => ({
  id: venue.id,
  name: venue.name,
  type: venue.type,
  address: venue.address,
  postalCode: venue.postalCode,
  location: { lat: venue.location.lat, lng: venue.location.lng },
  active: venue.active,
});

export const latestReadingJson = (view: LatestReadingView) => ({ ...view, observedAt: view.observedAt.toISOString() });

export const readingJson = (reading: CrowdReading) => ({
  venueId: reading.venueId,
  band: reading.band,
  bandLabel: bandLabel(reading.band),
  trend: reading.trend,
  observedAt: reading.observedAt.toISOString(),
});

export const nearbyReadingJson = (view: NearbyReadingView) => ({
  ...latestReadingJson(view),
  location: { lat: view.location.lat, lng: view.location.lng },
  distanceMetres: view.distanceMetres,
});

export const averageJson = (view: AverageView) => ({ ...view, from: view.from.toISOString(), to: view.to.toISOString() });

export function listJson<T, J>(
  page: Page<T>,
  toJson: (item: T) => J,
  nextCursor: string | null,
): { items: J[]; nextCursor: string | null } {
  return { items: page.items.map(toJson), nextCursor };
}

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export const profileJson = (view: VenueProfileView) => ({
  venueId: view.venueId,
  weeks: view.weeks,
  from: view.from.toISOString(),
  to: view.to.toISOString(),
  days: view.week.map((day) => ({
    weekday: day.weekday,
    weekdayName: WEEKDAY_NAMES[day.weekday - 1],
    hours: day.hours,
    quietestHour: day.quietestHour,
    busiestHour: day.busiestHour,
  })),
});
