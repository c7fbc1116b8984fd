import { z } from 'zod';
import { geoPointOf } from '../../domain/geo-point.js';
import { text, wholeNumber } from './query-parameters.js';

export const DEFAULT_RADIUS_METRES = 2_000;
export const MAX_RADIUS_METRES = 50_000;

const DECIMAL = '\\s*(-?\\d{1,3}(?:\\.\\d{1,15})?)\\s*';
const LAT_LNG = new RegExp(`^${DECIMAL},${DECIMAL}$`);

/** `LAT,LNG` in decimal degrees, as a point on Earth. */
const nearPoint = () =>
  z.string().transform((value, ctx) => {
    const match = LAT_LNG.exec(value);
    const point = match === null ? null : geoPointOf(Number(match[1]), Number(match[2]));
    if (point === null || !point.ok) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message:
          point === null ? `must be LAT,LNG in decimal degrees (such as 1.3521,103.8198), got ${JSON.stringify(value)}` : point.error,
      });
      return z.NEVER;
    }
    return point.value;
  });

/** The query parameters of "near here" on /v1/crowd-levels; radius and type only with near. */
export const NEARBY_PARAMETERS = {
  near: nearPoint()
    .optional()
    .meta({
      description:
        'LAT,LNG in decimal degrees: the latest readings of active venues within `radius` of it, quietest band first, then nearest. Not with from/to.',
      examples: ['1.3521,103.8198'],
    }),
  // No zod default: a radius given without near must be told apart from none given.
  radius: wholeNumber(1, MAX_RADIUS_METRES, ' of metres')
    .optional()
    .meta({ description: 'Metres from `near`; only with near.', default: DEFAULT_RADIUS_METRES }),
  type: text().toUpperCase().optional().meta({ description: 'Venue type, case-insensitive; only with near.' }),
};

/** radius and type mean nothing without near. */
export function checkNearbyRelations(query: { near?: unknown; radius?: unknown; type?: unknown }, ctx: z.RefinementCtx): void {
  if (query.near !== undefined) return;
  if (query.radius !== undefined) ctx.addIssue({ code: 'custom', path: ['radius'], message: 'is taken only with near=LAT,LNG' });
  if (query.type !== undefined)
    ctx.addIssue({ code: 'custom', path: ['type'], message: 'filters the nearby list: give near=LAT,LNG as well' });
}
