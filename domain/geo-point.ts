import { fail, ok, type Result } from './result.js';

/** A WGS 84 position. */
export interface GeoPoint {
  readonly lat: number;
  readonly lng: number;
}

export function geoPointOf(lat: unknown, lng: unknown): Result<GeoPoint> {
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
    return fail(`latitude must be a number from -90 to 90, got ${JSON.stringify(lat)}`);
  }
  if (typeof lng !== 'number' || !Number.isFinite(lng) || lng < -180 || lng > 180) {
    return fail(`longitude must be a number from -180 to 180, got ${JSON.stringify(lng)}`);
  }
  return ok({ lat, lng });
}

/** Mean Earth radius (IUGG), in metres. */
const EARTH_RADIUS_METRES = 6_371_008.8;

/** Great-circle (haversine) distance on a sphere: within 0.5% of the ellipsoidal one, plenty for "nearby". */
export function distanceMetres(a: GeoPoint, b: GeoPoint): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = radians(b.lat - a.lat);
  const dLng = radians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
}
