import Koa from 'koa';
import type { Logger } from 'pino';
import { problemResponses } from './middleware/problem-responses.js';
import { requestId } from './middleware/request-id.js';
import { requestTelemetry } from './middleware/request-telemetry.js';
import { createRouter, type RouteDependencies } from './routes.js';

export interface HttpDependencies extends RouteDependencies {
  logger: Logger;
}

/** The HTTP API: a stack of one-concern middlewares in front of the router. */
export function createHttpApp(deps: HttpDependencies): Koa {
  const app = new Koa();
  const router = createRouter(deps);
  app.use(requestId());
  app.use(requestTelemetry(deps.logger, deps.metrics));
  app.use(problemResponses(deps.logger));
  app.use(router.routes());
  app.use(router.allowedMethods());
  // Koa would print every error on stderr; problemResponses already logged what matters.
  app.silent = true;
  return app;
}
