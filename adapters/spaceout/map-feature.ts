import { fail, type Result } from '../../domain/result.js';
import { venueIdOf } from '../../domain/venue-id.js';
import { venueOf, type Venue } from '../../domain/venue.js';
import { isRecord } from './is-record.js';
import { quoted } from './quoted.js';

/** One GeoJSON feature of the facility list to a venue; properties are upper-case and mostly nullable. */
export function mapFeature(feature: unknown): Result<Venue> {
  if (!isRecord(feature) || !isRecord(feature['properties'])) return fail('facility feature has no properties');
  const properties = feature['properties'];
  const geometry = feature['geometry'];
  const coordinates =
    isRecord(geometry) && geometry['type'] === 'Point' && Array.isArray(geometry['coordinates']) ? geometry['coordinates'] : [];
  const result = venueOf({
    id: properties['ID'],
    name: properties['NAME'],
    type: properties['TYPE'],
    address: addressOf(properties),
    postalCode: properties['POSTALCODE'],
    lat: coordinates[1],
    lng: coordinates[0],
  });
  // venueOf names the venue in its reasons once the id is valid; otherwise say which feature it was.
  if (result.ok || venueIdOf(properties['ID']).ok) return result;
  const name = properties['NAME'] ?? 'no name';
  return fail(
    `facility ${quoted(properties['ID'] ?? null)} (${typeof name === 'string' ? name.slice(0, 80) : quoted(name)}): ${result.error}`,
  );
}

function addressOf(properties: Record<string, unknown>): string | null {
  if (typeof properties['ADDRESS'] === 'string' && properties['ADDRESS'].trim() !== '') return properties['ADDRESS'];
  const parts = [properties['BLK_HOUSE'], properties['ROAD_NAME']].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return parts.length > 0 ? parts.join(' ') : null;
}
