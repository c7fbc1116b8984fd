import type { Band } from '../../domain/band.js';
import { crowdReadingOf, type CrowdReading } from '../../domain/crowd-reading.js';
import type { BandChanged } from '../../domain/events.js';
import type { Subscription } from '../../domain/subscription.js';
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

/** A subscription to one venue's drop to band 1 or below, with overridable fields. */
export function aSubscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: 'sub-1',
    watch: { kind: 'venue', venueId: 'v1' },
    maxBand: 1,
    between: null,
    cooldownMinutes: 0,
    webhookUrl: 'https://hooks.example.com/quiet',
    createdAt: new Date('2020-08-01T00:00:00Z'),
    ...overrides,
  };
}

/** A venue's band moving from `previousBand` to `band` at `observedAt`. */
export function aBandChange(venueId: string, observedAt: string, previousBand: Band, band: Band): BandChanged {
  return { type: 'BandChanged', venueId, previousBand, band, observedAt: new Date(observedAt) };
}
