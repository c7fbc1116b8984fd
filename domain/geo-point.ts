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
