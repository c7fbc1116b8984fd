import { crowdReadingOf, type CrowdReading } from '../../domain/crowd-reading.js';
import { venueOf, type Venue } from '../../domain/venue.js';

/** A valid venue with overridable fields; throws if the test asked for an invalid one. */
export function aVenue(overrides: Partial<Omit<Venue, 'location'>> & { lat?: number; lng?: number } = {}): Venue {
  const result = venueOf({
    id: overrides.id ?? 'v1',
    name: overrides.name ?? 'Tampines Mall',
    type: overrides.type ?? 'MALL',
    address: overrides.address ?? '4 Tampines Central 5',
    postalCode: 'postalCode' in overrides ? overrides.postalCode : '529510',
    lat: overrides.lat ?? 1.3526,
    lng: overrides.lng ?? 103.9447,
    active: overrides.active ?? true,
  });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

export function aReading(venueId: string, observedAt: string, band: number, trend: unknown = false): CrowdReading {
  const result = crowdReadingOf({ venueId, band, trend, observedAt: new Date(observedAt) });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}
