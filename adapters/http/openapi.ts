import { z } from 'zod';
import { MAX_PROFILE_WEEKS } from '../../application/use-cases/venue-profile.js';
import { BAND_LABELS } from '../../domain/band.js';
import { RECENT_DELIVERIES } from '../../domain/subscription.js';
import { MAX_URL_LENGTH } from './middleware/request-limits.js';
import { PROBLEM_BASE_URI, PROBLEM_TYPES, type ProblemSlug } from './problem.js';
import { queryParameters } from './query-parameters.js';
import { CROWD_LEVELS_QUERY, PROFILE_QUERY, READINGS_QUERY, VENUES_QUERY } from './route-queries.js';
import { MAX_SUBSCRIPTION_BODY_BYTES, SUBSCRIPTION_BODY } from './subscription-body.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });
const instant = { type: 'string', format: 'date-time', description: 'ISO 8601 in UTC.' };
const venueId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const geoPoint = {
  type: 'object',
  required: ['lat', 'lng'],
  properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lng: { type: 'number', minimum: -180, maximum: 180 } },
};
/** What the public routes need: nothing. Said on each, since the admin route needs a key. */
const PUBLIC: never[] = [];
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const subscriptionId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
type JsonSchema = Record<string, unknown>;
/** The POST /v1/subscriptions body as JSON Schema, from the zod schema the route parses it with. */
const subscriptionRequest = (() => {
  const { $schema: _, ...schema } = z.toJSONSchema(SUBSCRIPTION_BODY, { io: 'input' }) as JsonSchema & {
    properties: Record<string, JsonSchema>;
  };
  return schema;
})();
/** A field GET always shows (a default filled in), without the null the request may send. */
function shownAlways(field: JsonSchema): JsonSchema {
  const { anyOf, type, ...rest } = field as { anyOf?: JsonSchema[]; type?: unknown };
  if (Array.isArray(type)) return { ...rest, type: type.find((t) => t !== 'null') };
  return anyOf === undefined ? field : { ...rest, ...anyOf.find((branch) => branch['type'] !== 'null') };
}
const list = (item: string) => ({
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: { items: { type: 'array', items: ref(item) }, nextCursor: nullable({ type: 'string' }) },
});
/** A weekday's quietest or busiest hour, as domain/usual-week.ts picks it. */
const extremeHour = (which: 'lowest' | 'highest') => ({
  ...nullable({ type: 'integer', minimum: 0, maximum: 23 }),
  description: `The hour with the ${which} averageBand; on a tie the one with more samples, then the earliest.`,
});

/** The problems whose replies say when to come back. */
const RETRY_AFTER: ReadonlySet<ProblemSlug> = new Set(['poll-in-progress', 'rate-limited']);
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } } };

const problems = (...slugs: ProblemSlug[]) =>
  Object.fromEntries(
    slugs.map((slug) => [
      String(PROBLEM_TYPES[slug].status),
      {
        description: PROBLEM_TYPES[slug].title,
        ...(RETRY_AFTER.has(slug) && { headers: retryAfter }),
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    ]),
  );

/** What the admin route answers; in the document only where the route exists. */
const ADMIN_SCHEMAS = {
  PollSummary: {
    type: 'object',
    required: ['startedAt', 'finishedAt', 'venues', 'readings', 'rejections'],
    properties: {
      startedAt: instant,
      finishedAt: instant,
      venues: {
        type: 'object',
        properties: Object.fromEntries(['seen', 'added', 'updated', 'deactivated', 'rejected'].map((k) => [k, { type: 'integer' }])),
      },
      readings: {
        type: 'object',
        properties: Object.fromEntries(['seen', 'stored', 'duplicate', 'rejected', 'orphan'].map((k) => [k, { type: 'integer' }])),
      },
      rejections: { type: 'array', items: { type: 'string' } },
    },
  },
};

/**
 * The OpenAPI 3.1 document of the routes in routes.ts: each route's query parameters come from
 * the schema its handler parses with, and a test keeps the paths in step with the router.
 */
export function openApiDocument(options: { adminRoutes: boolean; metricsNeedAdminKey: boolean }): object {
  const paths: Record<string, object> = {
    '/health': {
      get: {
        operationId: 'getHealth',
        summary: 'Liveness: 200 while the process lives',
        security: PUBLIC,
        responses: {
          '200': { description: 'Alive', ...json({ type: 'object', properties: { status: { const: 'ok' } } }) },
          ...problems('invalid-parameter'),
        },
      },
    },
    '/ready': {
      get: {
        operationId: 'getReadiness',
        summary: 'Readiness: 200 when the store answers',
        security: PUBLIC,
        responses: {
          '200': { description: 'Ready', ...json({ type: 'object', properties: { status: { const: 'ready' } } }) },
          ...problems('invalid-parameter', 'not-ready'),
        },
      },
    },
    '/v1/venues': {
      get: {
        operationId: 'listVenues',
        summary: 'Venues, ordered by id',
        security: PUBLIC,
        parameters: queryParameters(VENUES_QUERY),
        responses: { '200': { description: 'A page of venues', ...json(list('Venue')) }, ...problems('invalid-parameter') },
      },
    },
    '/v1/venues/{id}': {
      get: {
        operationId: 'getVenue',
        summary: 'One venue with its latest reading',
        security: PUBLIC,
        parameters: [venueId],
        responses: { '200': { description: 'The venue', ...json(ref('VenueWithLatest')) }, ...problems('invalid-parameter', 'not-found') },
      },
    },
    '/v1/venues/{id}/readings': {
      get: {
        operationId: 'listVenueReadings',
        summary: "A venue's readings, newest first, observed in [from, to)",
        security: PUBLIC,
        parameters: [venueId, ...queryParameters(READINGS_QUERY)],
        responses: {
          '200': { description: 'A page of readings', ...json(list('Reading')) },
          ...problems('invalid-parameter', 'not-found'),
        },
      },
    },
    '/v1/venues/{id}/profile': {
      get: {
        operationId: 'getVenueProfile',
        summary: "A venue's usual week: per Singapore weekday and hour, the mean band of its distinct readings in the last `weeks` weeks",
        security: PUBLIC,
        parameters: [venueId, ...queryParameters(PROFILE_QUERY)],
        responses: {
          '200': { description: 'The usual week, Monday first', ...json(ref('VenueProfile')) },
          ...problems('invalid-parameter', 'not-found'),
        },
      },
    },
    '/v1/crowd-levels': {
      get: {
        operationId: 'listCrowdLevels',
        summary:
          'Without from/to: the latest reading of every venue. With both: per venue, the mean band of its distinct readings observed in [from, to). With near: the latest readings within a radius, sorted by band then distance.',
        security: PUBLIC,
        parameters: queryParameters(CROWD_LEVELS_QUERY),
        responses: {
          '200': {
            description: 'A page of latest readings, of averages when from and to are given, or of nearby readings when near is given',
            // anyOf, not oneOf: a nearby item is also a valid LatestReading, and an empty page is all three.
            ...json({ anyOf: [list('LatestReading'), list('Average'), list('NearbyReading')] }),
          },
          ...problems('invalid-parameter'),
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        security: PUBLIC,
        responses: { '200': { description: 'OpenAPI 3.1', ...json({ type: 'object' }) }, ...problems('invalid-parameter') },
      },
    },
    '/metrics': {
      get: {
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        security: options.metricsNeedAdminKey ? [{ adminKey: [] }] : PUBLIC,
        responses: {
          '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
          ...problems('invalid-parameter', ...(options.metricsNeedAdminKey ? (['unauthorized'] as const) : [])),
        },
      },
    },
  };
  paths['/v1/subscriptions'] = {
    post: {
      operationId: 'createSubscription',
      summary: `Subscribe a webhook to quiet alerts: one venue, or the venues near a point, dropping to maxBand or below. The reply holds the secret, shown once. Bodies over ${MAX_SUBSCRIPTION_BODY_BYTES.toLocaleString('en')} bytes are refused; creation is rate limited per client.`,
      security: PUBLIC,
      requestBody: { required: true, ...json(ref('SubscriptionRequest')) },
      responses: {
        '201': {
          description: 'Created; Location names it. `secret` is its bearer token and signing key, and is never shown again.',
          headers: { Location: { description: 'The new subscription, /v1/subscriptions/{id}.', schema: { type: 'string' } } },
          ...json(ref('SubscriptionCreated')),
        },
        ...problems('invalid-body', 'not-found', 'body-too-large', 'unsupported-media-type', 'rate-limited'),
      },
    },
  };
  paths['/v1/subscriptions/{id}'] = {
    get: {
      operationId: 'getSubscription',
      summary: 'A subscription, with its status and recent deliveries',
      security: [{ subscriptionSecret: [] }],
      parameters: [subscriptionId],
      responses: {
        '200': { description: 'The subscription', ...json(ref('Subscription')) },
        ...problems('invalid-parameter', 'unauthorized', 'not-found'),
      },
    },
    delete: {
      operationId: 'deleteSubscription',
      summary: 'Delete a subscription; alerts still waiting for it are dropped',
      security: [{ subscriptionSecret: [] }],
      parameters: [subscriptionId],
      responses: { '204': { description: 'Deleted' }, ...problems('invalid-parameter', 'unauthorized', 'not-found') },
    },
  };
  paths['/v1/subscriptions/{id}/resume'] = {
    post: {
      operationId: 'resumeSubscription',
      summary:
        'Resume a paused subscription once its receiver is fixed: alerts go out again from the next drop (those queued while paused were dropped). An active one is left as it is.',
      security: [{ subscriptionSecret: [] }],
      parameters: [subscriptionId],
      responses: {
        '200': { description: 'The subscription, active', ...json(ref('Subscription')) },
        ...problems('invalid-parameter', 'unauthorized', 'not-found'),
      },
    },
  };
  if (options.adminRoutes) {
    paths['/v1/admin/poll'] = {
      post: {
        operationId: 'pollNow',
        summary: 'Poll the upstream now',
        security: [{ adminKey: [] }],
        responses: {
          '200': { description: 'The poll summary', ...json(ref('PollSummary')) },
          ...problems('invalid-parameter', 'unauthorized', 'poll-in-progress', 'upstream-failed'),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SpaceOut crowd levels',
      version: '1.0.0',
      description: `Singapore venues and their crowd bands, polled from SpaceOut. Every route may also answer 404, 405, 413 (a request body where none is taken), 414 (a URL over ${MAX_URL_LENGTH.toLocaleString('en')} characters), 429 (rate limit, with Retry-After) and 500 as application/problem+json. GET replies of data carry an ETag and answer If-None-Match with 304.`,
    },
    // Relative: the service that served this document, wherever it runs.
    servers: [{ url: '/', description: 'The service that served this document' }],
    paths,
    webhooks: {
      quietAlert: {
        post: {
          operationId: 'quietAlert',
          // The receiver checks X-Signature, not a credential it holds.
          security: PUBLIC,
          summary:
            "Sent to a subscription's webhookUrl when a watched venue drops to its maxBand or below. At least once: a repeat has the same deliveryId. Any 2xx accepts it; 5xx and timeouts are retried with backoff, 4xx and redirects are not.",
          parameters: [
            {
              name: 'X-Signature',
              in: 'header',
              required: true,
              description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" under the subscription\'s secret>`',
              schema: { type: 'string', pattern: '^t=\\d+,v1=[0-9a-f]{64}$' },
            },
          ],
          requestBody: { required: true, ...json(ref('QuietAlert')) },
          responses: { '200': { description: 'Any 2xx: received' } },
        },
      },
    },
    components: {
      securitySchemes: {
        ...(options.adminRoutes ? { adminKey: { type: 'http', scheme: 'bearer', description: 'ADMIN_API_KEY' } } : {}),
        subscriptionSecret: { type: 'http', scheme: 'bearer', description: 'The `secret` its creation returned' },
      },
      schemas: {
        ...(options.adminRoutes ? ADMIN_SCHEMAS : {}),
        Venue: {
          type: 'object',
          required: ['id', 'name', 'type', 'address', 'postalCode', 'location', 'active'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            type: { type: 'string' },
            address: { type: 'string' },
            postalCode: nullable({ type: 'string', pattern: '^\\d{6}$' }),
            location: geoPoint,
            active: { type: 'boolean', description: 'false once the venue vanished upstream' },
          },
        },
        VenueWithLatest: {
          allOf: [
            ref('Venue'),
            { type: 'object', required: ['latestReading'], properties: { latestReading: nullable(ref('LatestReading')) } },
          ],
        },
        Band: {
          type: 'integer',
          minimum: 0,
          maximum: 3,
          description: Object.entries(BAND_LABELS)
            .map(([band, label]) => `${band}: ${label}`)
            .join('; '),
        },
        LatestReading: {
          type: 'object',
          required: ['venueId', 'venueName', 'venueType', 'band', 'bandLabel', 'trend', 'observedAt'],
          properties: {
            venueId: { type: 'string' },
            venueName: nullable({ type: 'string' }),
            venueType: nullable({ type: 'string' }),
            band: ref('Band'),
            bandLabel: { type: 'string' },
            trend: nullable({ type: 'boolean' }),
            observedAt: instant,
          },
        },
        NearbyReading: {
          allOf: [
            ref('LatestReading'),
            {
              type: 'object',
              required: ['location', 'distanceMetres'],
              properties: { location: geoPoint, distanceMetres: { type: 'integer', minimum: 0, description: 'Whole metres from near.' } },
            },
          ],
        },
        Reading: {
          type: 'object',
          required: ['venueId', 'band', 'bandLabel', 'trend', 'observedAt'],
          properties: {
            venueId: { type: 'string' },
            band: ref('Band'),
            bandLabel: { type: 'string' },
            trend: nullable({ type: 'boolean' }),
            observedAt: instant,
          },
        },
        Average: {
          type: 'object',
          required: ['venueId', 'venueName', 'venueType', 'averageBand', 'samples', 'from', 'to'],
          properties: {
            venueId: { type: 'string' },
            venueName: nullable({ type: 'string' }),
            venueType: nullable({ type: 'string' }),
            averageBand: { type: 'number', minimum: 0, maximum: 3 },
            samples: { type: 'integer', minimum: 1 },
            from: instant,
            to: instant,
          },
        },
        VenueProfile: {
          type: 'object',
          required: ['venueId', 'weeks', 'from', 'to', 'days'],
          properties: {
            venueId: { type: 'string' },
            weeks: { type: 'integer', minimum: 1, maximum: MAX_PROFILE_WEEKS },
            from: { ...instant, description: 'Singapore midnight starting the first day counted.' },
            to: { ...instant, description: 'When the profile was computed.' },
            days: {
              type: 'array',
              minItems: 7,
              maxItems: 7,
              items: {
                type: 'object',
                required: ['weekday', 'weekdayName', 'hours', 'quietestHour', 'busiestHour'],
                properties: {
                  weekday: { type: 'integer', minimum: 1, maximum: 7, description: 'ISO 8601: 1 is Monday, 7 is Sunday.' },
                  weekdayName: { type: 'string' },
                  hours: {
                    type: 'array',
                    minItems: 24,
                    maxItems: 24,
                    items: {
                      type: 'object',
                      required: ['hour', 'averageBand', 'samples'],
                      properties: {
                        hour: { type: 'integer', minimum: 0, maximum: 23, description: 'Singapore time.' },
                        averageBand: nullable({ type: 'number', minimum: 0, maximum: 3 }),
                        samples: { type: 'integer', minimum: 0 },
                      },
                    },
                  },
                  quietestHour: extremeHour('lowest'),
                  busiestHour: extremeHour('highest'),
                },
              },
            },
          },
        },
        SubscriptionRequest: {
          ...subscriptionRequest,
          description: 'Exactly one of venueId and near; radius and type only with near. Optional fields may also be null.',
        },
        Subscription: {
          type: 'object',
          required: [
            'id',
            ...Object.keys(subscriptionRequest.properties),
            'createdAt',
            'status',
            'pausedAt',
            'pauseReason',
            'lastNotifiedAt',
            'deliveries',
          ],
          properties: {
            id: { type: 'string', format: 'uuid' },
            // As the request has them: null where it had none.
            ...subscriptionRequest.properties,
            cooldownMinutes: shownAlways(subscriptionRequest.properties['cooldownMinutes'] ?? {}),
            createdAt: instant,
            status: { enum: ['active', 'paused'], description: 'paused after repeated failed deliveries: it is sent nothing more' },
            pausedAt: nullable(instant),
            pauseReason: nullable({ type: 'string' }),
            lastNotifiedAt: nullable({ ...instant, description: 'observedAt of the newest drop an alert was queued for' }),
            deliveries: {
              type: 'object',
              required: ['delivered', 'failed', 'consecutiveFailures', 'recent'],
              properties: {
                delivered: { type: 'integer', minimum: 0 },
                failed: { type: 'integer', minimum: 0 },
                consecutiveFailures: { type: 'integer', minimum: 0 },
                recent: { type: 'array', maxItems: RECENT_DELIVERIES, items: ref('DeliveryRecord'), description: 'Newest first.' },
              },
            },
          },
        },
        SubscriptionCreated: {
          allOf: [
            ref('Subscription'),
            {
              type: 'object',
              required: ['secret'],
              properties: {
                secret: { type: 'string', description: 'Bearer token of this subscription and key of its signatures; shown only here.' },
              },
            },
          ],
        },
        DeliveryRecord: {
          type: 'object',
          required: ['deliveryId', 'venueId', 'band', 'bandLabel', 'observedAt', 'outcome', 'attempts', 'detail', 'finishedAt'],
          properties: {
            deliveryId: { type: 'string' },
            venueId: { type: 'string' },
            band: ref('Band'),
            bandLabel: { type: 'string' },
            observedAt: instant,
            outcome: { enum: ['delivered', 'failed'] },
            attempts: { type: 'integer', minimum: 0 },
            detail: { type: 'string', description: 'The last attempt: HTTP 204, HTTP 500, timed out after 5 s, refused: …' },
            finishedAt: instant,
          },
        },
        QuietAlert: {
          type: 'object',
          required: ['deliveryId', 'subscriptionId', 'venueId', 'venueName', 'band', 'bandLabel', 'observedAt'],
          properties: {
            deliveryId: { type: 'string', description: 'The same for every repeat of this alert: drop what you have seen.' },
            subscriptionId: { type: 'string', format: 'uuid' },
            venueId: { type: 'string' },
            venueName: nullable({ type: 'string' }),
            band: ref('Band'),
            bandLabel: { type: 'string' },
            observedAt: instant,
          },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string', enum: Object.keys(PROBLEM_TYPES).map((slug) => `${PROBLEM_BASE_URI}${slug}`) },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            parameter: { type: 'string', description: 'The offending query parameter, for invalid-parameter.' },
            field: { type: 'string', description: 'The offending body field (dotted, such as near.lat), for invalid-body.' },
          },
        },
      },
    },
  };
}
