import { geoPointOf, type GeoPoint } from './geo-point.js';
import { fail, ok, type Result } from './result.js';
import { venueIdOf, type VenueId } from './venue-id.js';

/** A public venue from SpaceOut's facility list. Venues are never deleted, only deactivated. */
export interface Venue {
  readonly id: VenueId;
  readonly name: string;
  readonly type: string;
  readonly address: string;
  /** Six digits, or null when upstream had none or junk. */
  readonly postalCode: string | null;
  readonly location: GeoPoint;
  /** False once the venue vanished from the facility list. */
  readonly active: boolean;
}

export interface VenueProps {
  id: unknown;
  name: unknown;
  type: unknown;
  address: unknown;
  postalCode: unknown;
  lat: unknown;
  lng: unknown;
  active?: boolean;
}

export function venueOf(props: VenueProps): Result<Venue> {
  const id = venueIdOf(props.id);
  if (!id.ok) return id;
  const name = textOf(props.name);
  if (name === null) return fail(`venue ${id.value} has no name`);
  const location = geoPointOf(props.lat, props.lng);
  if (!location.ok) return fail(`venue ${id.value}: ${location.error}`);
  return ok({
    id: id.value,
    name,
    type: (textOf(props.type) ?? 'UNKNOWN').toUpperCase(),
    address: textOf(props.address) ?? '',
    postalCode: postalCodeOf(props.postalCode),
    location: location.value,
    active: props.active ?? true,
  });
}

/** Singapore postal codes are six digits; anything else is kept as "unknown", not guessed. */
export function postalCodeOf(value: unknown): string | null {
  const text = typeof value === 'number' ? String(value).padStart(6, '0') : textOf(value);
  return text !== null && /^\d{6}$/.test(text) ? text : null;
}

export function sameVenueDetails(a: Venue, b: Venue): boolean {
  return (
    a.name === b.name &&
    a.type === b.type &&
    a.address === b.address &&
    a.postalCode === b.postalCode &&
    a.location.lat === b.location.lat &&
    a.location.lng === b.location.lng &&
    a.active === b.active
  );
}

function textOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(/\s+/g, ' ').trim();
  return text.length > 0 ? text : null;
}
