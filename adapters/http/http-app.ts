import type { RequestListener } from 'node:http';
import Koa, { type Middleware } from 'koa';
import type { Logger } from 'pino';
import { cors } from './middleware/cors.js';
import { problemResponses } from './middleware/problem-responses.js';
import { rateLimit } from './middleware/rate-limit.js';
import { representations } from './middleware/representations.js';
import { requestId } from './middleware/request-id.js';
import { requestLimits } from './middleware/request-limits.js';
import { RequestTelemetry, requestTelemetry } from './middleware/request-telemetry.js';
import { securityHeaders } from './middleware/security-headers.js';
import { ResponseCache } from './response-cache.js';
import { createRouter, type RouteDependencies } from './routes.js';
import { takesSubscriptionBody } from './subscription-routes.js';
import { createPageRouter, isPagePath, type PageSettings } from './web-page.js';

/** How the edge behaves; the settings (adapters/runtime/config.ts) hold the defaults. */
export interface EdgeSettings {
  /** Origins allowed to GET cross-origin; `*` = any. */
  readonly corsOrigins: readonly string[];
  readonly rateLimitPerMinute: number;
  readonly cacheMaxAgeSeconds: number;
  /**
   * Proxies in front that append the client's address to X-Forwarded-For. Only that many
   * entries from the right are read, so a client cannot pick its own address (and rate bucket).
   */
  readonly trustedProxyHops: number;
}

export interface HttpDependencies extends RouteDependencies {
  logger: Logger;
  edge: EdgeSettings;
  /** Hot reads; the runtime empties it when a poll completes. */
  responseCache?: ResponseCache;
  page: PageSettings;
}

/**
 * The reads every instance serves from memory between polls, by path: the route pattern for a
 * cached path (metrics are labelled by pattern, never by venue id), null for anything else.
 */
export function cachedRouteOf(path: string): string | null {
  if (path === '/v1/crowd-levels' || path === '/v1/venues') return path;
  const venueRoute = /^\/v1\/venues\/[^/]+(\/readings|\/profile)?$/.exec(path);
  return venueRoute === null ? null : `/v1/venues/:id${venueRoute[1] ?? ''}`;
}

/** What load balancers and orchestrators probe; cheap, and never rate limited. */
const PROBE_ROUTES = new Set(['/health', '/ready']);

/**
 * Once draining starts, every reply asks the client to close its connection. The server has
 * stopped accepting, but a keep-alive connection that was busy when it did would otherwise
 * idle on for the whole keep-alive timeout and hold up the exit.
 */
function closingWhileDraining(isDraining: () => boolean): Middleware {
  return async function closingWhileDraining(ctx, next) {
    await next();
    if (isDraining()) ctx.set('Connection', 'close');
  };
}

/**
 * The HTTP API as a Node request listener: every request, hot reads included, goes through the
 * one Koa stack of one-concern middlewares in front of the routers.
 */
export function createHttpHandler(deps: HttpDependencies): RequestListener {
  const edge = deps.edge;
  const cache = deps.responseCache ?? new ResponseCache(edge.cacheMaxAgeSeconds * 1000);
  const app = new Koa({ proxy: edge.trustedProxyHops > 0, maxIpsCount: edge.trustedProxyHops });
  const router = createRouter(deps);
  const page = createPageRouter(deps.page);
  app.use(closingWhileDraining(deps.isDraining ?? (() => false)));
  app.use(requestId());
  app.use(requestTelemetry(new RequestTelemetry(deps.logger, deps.metrics)));
  app.use(problemResponses(deps.logger));
  app.use(securityHeaders());
  app.use(cors(edge.corsOrigins));
  app.use(requestLimits(takesSubscriptionBody));
  // Load balancer health checks must never be throttled into marking a healthy task down.
  app.use(rateLimit({ perMinute: edge.rateLimitPerMinute }, PROBE_ROUTES));
  // Before the routers: a cached read is answered here, and no route or use case runs.
  app.use(representations(cache, cacheControlFor(edge.cacheMaxAgeSeconds), cachedRouteOf));
  app.use(page.routes());
  app.use(page.allowedMethods());
  app.use(router.routes());
  app.use(router.allowedMethods());
  // Koa would print every error on stderr; problemResponses already logged what matters.
  app.silent = true;
  const handle = app.callback();
  // Koa answers its own errors, so nothing waits on the promise.
  return (request, response) => void handle(request, response);
}

/** Data changes at most once a poll; operational routes and a subscription's own view must never be cached. */
function cacheControlFor(maxAgeSeconds: number): (path: string) => string {
  const data = `public, max-age=${maxAgeSeconds}`;
  return (path) => {
    if (path.startsWith('/v1/subscriptions')) return 'no-store';
    if (path.startsWith('/v1/')) return data;
    if (path === '/openapi.json') return 'public, max-age=300';
    if (isPagePath(path)) return 'no-cache';
    return 'no-store';
  };
}
