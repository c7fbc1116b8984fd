import { bandOf, type Band } from './band.js';
import { instantOf } from './instant.js';
import { fail, ok, type Result } from './result.js';
import { venueIdOf, type VenueId } from './venue-id.js';

/** One crowd band a venue reported at one instant. Identity: (venueId, observedAt). */
export interface CrowdReading {
  readonly venueId: VenueId;
  readonly band: Band;
  /** Upstream's trend flag; null when it sent anything but a boolean. */
  readonly trend: boolean | null;
  readonly observedAt: Date;
}

export interface CrowdReadingProps {
  venueId: unknown;
  band: unknown;
  trend: unknown;
  observedAt: Date;
}

export function crowdReadingOf(props: CrowdReadingProps): Result<CrowdReading> {
  const venueId = venueIdOf(props.venueId);
  if (!venueId.ok) return fail(`reading: ${venueId.error}`);
  const band = bandOf(props.band);
  if (!band.ok) return fail(`reading of ${venueId.value}: ${band.error}`);
  const observedAt = instantOf(props.observedAt);
  if (!observedAt.ok) return fail(`reading of ${venueId.value}: observedAt ${observedAt.error}`);
  return ok({
    venueId: venueId.value,
    band: band.value,
    trend: typeof props.trend === 'boolean' ? props.trend : null,
    observedAt: observedAt.value,
  });
}

/** The identity of a reading as one string, for sets, maps and storage keys. */
export function readingKey(reading: Pick<CrowdReading, 'venueId' | 'observedAt'>): string {
  return `${reading.venueId}@${reading.observedAt.toISOString()}`;
}
