import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Registry } from 'prom-client';
import type { AverageCrowdLevels } from '../../application/use-cases/average-crowd-levels.js';
import type { GetVenue } from '../../application/use-cases/get-venue.js';
import type { LatestCrowdLevels } from '../../application/use-cases/latest-crowd-levels.js';
import type { ListVenues } from '../../application/use-cases/list-venues.js';
import type { NearbyCrowdLevels } from '../../application/use-cases/nearby-crowd-levels.js';
import type { VenueProfile } from '../../application/use-cases/venue-profile.js';
import type { VenueReadings } from '../../application/use-cases/venue-readings.js';
import type { PollSummary } from '../../domain/poll-summary.js';
import { timeRangeOf } from '../../domain/time-range.js';
import { CursorCodec } from './cursor.js';
import { averageJson, latestReadingJson, listJson, nearbyReadingJson, profileJson, readingJson, venueJson } from './json-views.js';
import { bearerAuth } from './middleware/bearer-auth.js';
import { rateLimit } from './middleware/rate-limit.js';
import { DEFAULT_RADIUS_METRES } from './nearby-parameters.js';
import { openApiDocument } from './openapi.js';
import { invalidParameter, problem } from './problem.js';
import { NO_PARAMETERS, parseQuery, pathId } from './query-parameters.js';
import { CROWD_LEVELS_QUERY, PROFILE_QUERY, READINGS_QUERY, VENUES_QUERY } from './route-queries.js';
import { addSubscriptionRoutes, type SubscriptionRouteDependencies } from './subscription-routes.js';

export interface RouteDependencies extends SubscriptionRouteDependencies {
  listVenues: ListVenues;
  getVenue: GetVenue;
  venueReadings: VenueReadings;
  venueProfile: VenueProfile;
  latestCrowdLevels: LatestCrowdLevels;
  averageCrowdLevels: AverageCrowdLevels;
  nearbyCrowdLevels: NearbyCrowdLevels;
  /** Throws PollInProgressError while a poll runs, UpstreamError when the upstream fails. */
  pollUpstream: { execute(): Promise<PollSummary> };
  checkReady: () => Promise<void>;
  adminApiKey: string | null;
  cursorSecret: string;
  metrics: Registry;
  /** /metrics asks for the admin key (where the service is reachable by anyone, as behind AWS's public load balancer). */
  metricsNeedAdminKey: boolean;
  /** True once shutdown began: /ready answers 503 so the load balancer stops sending. */
  isDraining?: () => boolean;
  /** Admin requests per client address per minute; stricter than the public limit. */
  adminRateLimitPerMinute: number;
}

/** Thin handlers: parse the query with the route's schema, call one use case, shape the JSON. */
export function createRouter(deps: RouteDependencies): Router {
  const router = new Router();
  // Each admin-keyed route has its own limit, so scrapes of /metrics never spend the admin poll's.
  const adminOnly = (key: string): Middleware[] => [rateLimit({ perMinute: deps.adminRateLimitPerMinute }), bearerAuth(key)];
  const cursors = new CursorCodec(deps.cursorSecret);

  router.get('/health', (ctx) => {
    parseQuery(NO_PARAMETERS, ctx.querystring);
    ctx.body = { status: 'ok' };
  });

  router.get('/ready', async (ctx) => {
    parseQuery(NO_PARAMETERS, ctx.querystring);
    if (deps.isDraining?.() === true) throw problem('not-ready', 'draining: the service is shutting down');
    try {
      await deps.checkReady();
    } catch {
      throw problem('not-ready', 'the store does not answer');
    }
    ctx.body = { status: 'ready' };
  });

  router.get('/v1/venues', async (ctx) => {
    const { type, q, active, limit, cursor } = parseQuery(VENUES_QUERY, ctx.querystring);
    const filter = { type, q, active };
    const scope = `venues|${JSON.stringify(filter)}`;
    const page = await deps.listVenues.execute(filter, { limit, after: cursors.decode(cursor, scope) });
    ctx.body = listJson(page, venueJson, cursors.encode(page.next, scope));
  });

  router.get('/v1/venues/:id', async (ctx) => {
    parseQuery(NO_PARAMETERS, ctx.querystring);
    const { venue, latest } = await deps.getVenue.execute(pathId(ctx.params));
    ctx.body = { ...venueJson(venue), latestReading: latest === null ? null : latestReadingJson(latest) };
  });

  router.get('/v1/venues/:id/readings', async (ctx) => {
    const { from, to, limit, cursor } = parseQuery(READINGS_QUERY, ctx.querystring);
    const id = pathId(ctx.params);
    const scope = `readings|${id}|${from?.toISOString()}|${to?.toISOString()}`;
    const page = await deps.venueReadings.execute(id, { from, to }, { limit, after: cursors.decode(cursor, scope) });
    ctx.body = listJson(page, readingJson, cursors.encode(page.next, scope));
  });

  router.get('/v1/venues/:id/profile', async (ctx) => {
    const { weeks } = parseQuery(PROFILE_QUERY, ctx.querystring);
    ctx.body = profileJson(await deps.venueProfile.execute(pathId(ctx.params), weeks));
  });

  router.get('/v1/crowd-levels', async (ctx) => {
    const { from, to, near, radius, type, limit, cursor } = parseQuery(CROWD_LEVELS_QUERY, ctx.querystring);
    if (near !== undefined) {
      const nearby = { centre: near, radiusMetres: radius ?? DEFAULT_RADIUS_METRES, type };
      const scope = `nearby|${JSON.stringify(nearby)}`;
      const page = await deps.nearbyCrowdLevels.execute(nearby, { limit, after: cursors.decode(cursor, scope) });
      ctx.body = listJson(page, nearbyReadingJson, cursors.encode(page.next, scope));
      return;
    }
    if (from === undefined || to === undefined) {
      const page = await deps.latestCrowdLevels.execute({ limit, after: cursors.decode(cursor, 'latest') });
      ctx.body = listJson(page, latestReadingJson, cursors.encode(page.next, 'latest'));
      return;
    }
    const range = timeRangeOf(from, to);
    if (!range.ok) throw invalidParameter('to', 'must be later than from');
    const scope = `averages|${from.toISOString()}|${to.toISOString()}`;
    const page = await deps.averageCrowdLevels.execute(range.value, { limit, after: cursors.decode(cursor, scope) });
    ctx.body = listJson(page, averageJson, cursors.encode(page.next, scope));
  });

  addSubscriptionRoutes(router, deps);

  if (deps.adminApiKey !== null) {
    router.post('/v1/admin/poll', ...adminOnly(deps.adminApiKey), async (ctx) => {
      parseQuery(NO_PARAMETERS, ctx.querystring);
      ctx.body = summaryJson(await deps.pollUpstream.execute());
    });
  }

  const metricsKey = deps.metricsNeedAdminKey ? deps.adminApiKey : null;
  // Built once: it depends only on the settings, and building it converts every route's schema.
  const document = openApiDocument({ adminRoutes: deps.adminApiKey !== null, metricsNeedAdminKey: metricsKey !== null });
  router.get('/openapi.json', (ctx) => {
    parseQuery(NO_PARAMETERS, ctx.querystring);
    ctx.body = document;
  });

  router.get('/metrics', ...(metricsKey === null ? [] : adminOnly(metricsKey)), async (ctx) => {
    parseQuery(NO_PARAMETERS, ctx.querystring);
    ctx.type = deps.metrics.contentType;
    ctx.body = await deps.metrics.metrics();
  });

  return router;
}

export function summaryJson(summary: PollSummary): object {
  return { ...summary, startedAt: summary.startedAt.toISOString(), finishedAt: summary.finishedAt.toISOString() };
}
