import { distanceMetres, type GeoPoint } from './geo-point.js';
import type { Venue } from './venue.js';

/** An area around a point, optionally of one venue type: what "near here" asks about. */
export interface NearbyArea {
  readonly centre: GeoPoint;
  readonly radiusMetres: number;
  readonly type?: string | null;
}

/**
 * The venue's distance from the centre in whole metres, as served, when it is an active venue of
 * the area's type within the radius; otherwise null. The radius is compared with the distance as
 * served, so "800 m" is always within radius=800, for the API and the alerts alike.
 */
export function nearbyDistance(area: NearbyArea, venue: Venue): number | null {
  if (!venue.active || (area.type != null && venue.type !== area.type)) return null;
  const distance = Math.round(distanceMetres(area.centre, venue.location));
  return distance <= area.radiusMetres ? distance : null;
}
