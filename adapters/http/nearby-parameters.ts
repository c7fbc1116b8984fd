import type { NearbyQuery } from '../../application/use-cases/nearby-crowd-levels.js';
import { geoPointOf } from '../../domain/geo-point.js';
import { invalidParameter } from './problem.js';
import { parseText } from './query-parameters.js';

/** The query parameters of "near here" on /v1/crowd-levels. */
export const NEARBY_PARAMETERS = ['near', 'radius', 'type'] as const;
export const DEFAULT_RADIUS_METRES = 2_000;
export const MAX_RADIUS_METRES = 50_000;

const DECIMAL = '\\s*(-?\\d{1,3}(?:\\.\\d{1,15})?)\\s*';
const LAT_LNG = new RegExp(`^${DECIMAL},${DECIMAL}$`);

/** `near`, `radius` and `type` as a nearby query; undefined when `near` is absent (and so are the others). */
export function parseNearby(query: ReadonlyMap<string, string>): NearbyQuery | undefined {
  const near = query.get('near');
  if (near === undefined) {
    if (query.has('radius')) throw invalidParameter('radius', 'is taken only with near=LAT,LNG');
    if (query.has('type')) throw invalidParameter('type', 'filters the nearby list: give near=LAT,LNG as well');
    return undefined;
  }
  return { centre: parseNear(near), radiusMetres: parseRadius(query.get('radius')), type: parseText('type', query.get('type'))?.toUpperCase() };
}

function parseNear(value: string): NearbyQuery['centre'] {
  const match = LAT_LNG.exec(value);
  const point = match === null ? null : geoPointOf(Number(match[1]), Number(match[2]));
  if (point === null) throw invalidParameter('near', `must be LAT,LNG in decimal degrees (such as 1.3521,103.8198), got ${JSON.stringify(value)}`);
  if (!point.ok) throw invalidParameter('near', point.error);
  return point.value;
}

function parseRadius(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RADIUS_METRES;
  const radius = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(radius >= 1 && radius <= MAX_RADIUS_METRES)) throw invalidParameter('radius', `must be a whole number of metres from 1 to ${MAX_RADIUS_METRES.toLocaleString('en')}, got ${JSON.stringify(value)}`);
  return radius;
}
