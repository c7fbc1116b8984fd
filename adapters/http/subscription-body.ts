import { z } from 'zod';
import type { SubscriptionRequest } from '../../application/use-cases/create-subscription.js';
import { geoPointOf } from '../../domain/geo-point.js';
import { MAX_COOLDOWN_MINUTES, singaporeHoursOf, type QuietBand } from '../../domain/subscription.js';
import { venueIdOf } from '../../domain/venue-id.js';
import { DEFAULT_RADIUS_METRES, MAX_RADIUS_METRES } from './nearby-parameters.js';
import { invalidField } from './problem.js';

/** A POST /v1/subscriptions body may not be larger than this. */
export const MAX_SUBSCRIPTION_BODY_BYTES = 4 * 1024;
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** What each field must be, as the 400 says it; the OpenAPI document shows the same words. */
export const SUBSCRIPTION_FIELDS = {
  venueId: 'a venue id (or give near instead)',
  near: 'an object {"lat": …, "lng": …} in decimal degrees (or give venueId instead)',
  'near.lat': 'a latitude from -90 to 90',
  'near.lng': 'a longitude from -180 to 180',
  radius: `a whole number of metres from 1 to ${MAX_RADIUS_METRES.toLocaleString('en')} (default ${DEFAULT_RADIUS_METRES.toLocaleString('en')}), only with near`,
  type: 'a venue type such as SUPERMARKET or MALL, case-insensitive, only with near',
  maxBand: '0 (not crowded), 1 (moderately crowded) or 2 (crowded): the band at or below which to be told',
  between: '{"from": "HH:MM", "to": "HH:MM"} in Singapore time, to exclusive (earlier than from to span midnight)',
  'between.from': 'HH:MM from 00:00 to 23:59, Singapore time',
  'between.to': 'HH:MM from 00:00 to 23:59, Singapore time',
  cooldownMinutes: `a whole number of minutes from 0 to ${MAX_COOLDOWN_MINUTES.toLocaleString('en')} (default 0): how long after an alert no other is sent`,
  webhookUrl: `an https:// URL to a public address, at most ${MAX_WEBHOOK_URL_LENGTH.toLocaleString('en')} characters`,
} as const;

const hhmm = (field: 'between.from' | 'between.to') =>
  described(field, z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)).meta({ examples: ['07:00'] });

/** The field's schema, saying in the OpenAPI document what the 400 says when the field is wrong. */
function described<T extends z.ZodType>(field: keyof typeof SUBSCRIPTION_FIELDS, schema: T): T {
  return schema.meta({ description: SUBSCRIPTION_FIELDS[field] });
}

/**
 * The body of POST /v1/subscriptions. It validates the request and is the request body's
 * schema in the OpenAPI document. Optional fields may also be null (as GET shows them), which
 * means absent.
 */
export const SUBSCRIPTION_BODY = z.strictObject({
  venueId: described('venueId', z.string().nullish()),
  near: described(
    'near',
    z
      .strictObject({ lat: described('near.lat', z.number().min(-90).max(90)), lng: described('near.lng', z.number().min(-180).max(180)) })
      .nullish(),
  ),
  radius: described('radius', z.int().min(1).max(MAX_RADIUS_METRES).nullish()).meta({ default: DEFAULT_RADIUS_METRES }),
  type: described('type', z.string().trim().min(1).max(200).nullish()),
  maxBand: described('maxBand', z.int().min(0).max(2)),
  between: described('between', z.strictObject({ from: hhmm('between.from'), to: hhmm('between.to') }).nullish()),
  cooldownMinutes: described('cooldownMinutes', z.int().min(0).max(MAX_COOLDOWN_MINUTES).nullish()).meta({ default: 0 }),
  webhookUrl: described('webhookUrl', z.string().min(1).max(MAX_WEBHOOK_URL_LENGTH)).meta({ format: 'uri' }),
});

/** The body of POST /v1/subscriptions as a request, or a 400 naming the first field at fault. */
export function parseSubscriptionBody(body: unknown): SubscriptionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidField('body', 'must be a JSON object');
  const parsed = SUBSCRIPTION_BODY.safeParse(body);
  if (!parsed.success) throw fieldProblem(parsed.error);
  const { between, cooldownMinutes } = parsed.data;
  return {
    watch: watchOf(parsed.data),
    maxBand: parsed.data.maxBand as QuietBand,
    between: between == null ? null : hoursField(between),
    cooldownMinutes: cooldownMinutes ?? 0,
    webhookUrl: parsed.data.webhookUrl,
  };
}

/** The watch is either one venue or an area around a point, never both. */
function watchOf({ venueId, near, radius, type }: z.output<typeof SUBSCRIPTION_BODY>) {
  if (venueId != null && near == null) {
    if (radius != null) throw invalidField('radius', 'is taken only with near');
    if (type != null) throw invalidField('type', 'is taken only with near');
    return { kind: 'venue' as const, venueId: venueIdField(venueId) };
  }
  if (near != null && venueId == null) return nearWatch(near, radius ?? undefined, type ?? undefined);
  throw invalidField(venueId == null ? 'venueId' : 'near', 'give exactly one of venueId (one venue) and near (an area)');
}

/** A 400 for the first issue zod found (a failed parse always has one). */
function fieldProblem(error: z.ZodError) {
  const [issue] = error.issues;
  if (issue === undefined) return invalidField('body', error.message);
  if (issue.code === 'unrecognized_keys') {
    const field = [...issue.path, issue.keys[0]].join('.');
    return invalidField(
      field,
      `is not a field of a subscription; the fields are ${Object.keys(SUBSCRIPTION_FIELDS)
        .filter((f) => !f.includes('.'))
        .join(', ')}`,
    );
  }
  const field = issue.path.join('.');
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  const rules: Readonly<Record<string, string>> = SUBSCRIPTION_FIELDS;
  const rule = rules[field] ?? issue.message;
  return invalidField(field, missing ? `is required: ${rule}` : `must be ${rule}`);
}

function venueIdField(value: string) {
  const id = venueIdOf(value);
  if (!id.ok) throw invalidField('venueId', id.error);
  return id.value;
}

function nearWatch(near: { lat: number; lng: number }, radius: number | undefined, type: string | undefined) {
  const centre = geoPointOf(near.lat, near.lng);
  if (!centre.ok) throw invalidField('near', centre.error);
  return { kind: 'near' as const, centre: centre.value, radiusMetres: radius ?? DEFAULT_RADIUS_METRES, type: type?.toUpperCase() ?? null };
}

function hoursField(between: { from: string; to: string }) {
  const hours = singaporeHoursOf(between.from, between.to);
  if (!hours.ok) throw invalidField('between', hours.error);
  return hours.value;
}
