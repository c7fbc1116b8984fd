import { bandLabel, type Band } from '../../domain/band.js';
import type { CrowdReading } from '../../domain/crowd-reading.js';
import type { Venue } from '../../domain/venue.js';
import type { VenueId } from '../../domain/venue-id.js';

/** A venue's newest reading as clients see it; name and type null for ids missing from the facility list. */
export interface LatestReadingView {
  readonly venueId: VenueId;
  readonly venueName: string | null;
  readonly venueType: string | null;
  readonly band: Band;
  readonly bandLabel: string;
  readonly trend: boolean | null;
  readonly observedAt: Date;
}

export interface AverageView {
  readonly venueId: VenueId;
  readonly venueName: string | null;
  readonly venueType: string | null;
  readonly averageBand: number;
  readonly samples: number;
  readonly from: Date;
  readonly to: Date;
}

export function latestReadingView(reading: CrowdReading, venue: Venue | undefined | null): LatestReadingView {
  return {
    venueId: reading.venueId,
    venueName: venue?.name ?? null,
    venueType: venue?.type ?? null,
    band: reading.band,
    bandLabel: bandLabel(reading.band),
    trend: reading.trend,
    observedAt: reading.observedAt,
  };
}
