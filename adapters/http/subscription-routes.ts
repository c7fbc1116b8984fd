import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { CreateSubscription } from '../../application/use-cases/create-subscription.js';
import type { DeleteSubscription, GetSubscription, ResumeSubscription } from '../../application/use-cases/subscription-access.js';
import { readJsonBody } from './json-body.js';
import { rateLimit } from './middleware/rate-limit.js';
import { problem } from './problem.js';
import { NO_PARAMETERS, parseQuery, pathId } from './query-parameters.js';
import { MAX_SUBSCRIPTION_BODY_BYTES, parseSubscriptionBody } from './subscription-body.js';
import { subscriptionJson } from './subscription-json.js';

export interface SubscriptionRouteDependencies {
  createSubscription: CreateSubscription;
  getSubscription: GetSubscription;
  deleteSubscription: DeleteSubscription;
  resumeSubscription: ResumeSubscription;
  /** Subscriptions a client address may create per minute. */
  subscriptionRateLimitPerMinute: number;
}

/** The one route that takes a request body. */
export const takesSubscriptionBody = (method: string, path: string): boolean => method === 'POST' && path === '/v1/subscriptions';

/**
 * Set before the route runs, so refusals carry it too: no reply about a subscription may be
 * stored by any cache, least of all the 201 that shows its secret.
 */
const noStore: Middleware = (ctx, next) => {
  ctx.set('Cache-Control', 'no-store');
  return next();
};

/** Quiet alerts: created by anyone (rate limited), then read, resumed and deleted with the secret the creation returned. */
export function addSubscriptionRoutes(router: Router, deps: SubscriptionRouteDependencies): void {
  router.post('/v1/subscriptions', noStore, rateLimit({ perMinute: deps.subscriptionRateLimitPerMinute }), async (ctx) => {
    parseQuery(NO_PARAMETERS, ctx.querystring);
    const request = parseSubscriptionBody(await readJsonBody(ctx, MAX_SUBSCRIPTION_BODY_BYTES));
    const { stored, secret } = await deps.createSubscription.execute(request);
    ctx.status = 201;
    ctx.set('Location', `/v1/subscriptions/${stored.subscription.id}`);
    ctx.body = { ...subscriptionJson(stored), secret };
  });

  router.get('/v1/subscriptions/:id', noStore, async (ctx) => {
    parseQuery(NO_PARAMETERS, ctx.querystring);
    ctx.body = subscriptionJson(await deps.getSubscription.execute(pathId(ctx.params), bearerToken(ctx)));
  });

  router.post('/v1/subscriptions/:id/resume', noStore, async (ctx) => {
    parseQuery(NO_PARAMETERS, ctx.querystring);
    ctx.body = subscriptionJson(await deps.resumeSubscription.execute(pathId(ctx.params), bearerToken(ctx)));
  });

  router.delete('/v1/subscriptions/:id', noStore, async (ctx) => {
    parseQuery(NO_PARAMETERS, ctx.querystring);
    await deps.deleteSubscription.execute(pathId(ctx.params), bearerToken(ctx));
    ctx.status = 204;
  });
}

function bearerToken(ctx: Context): string {
  const token = /^Bearer (\S+)$/i.exec(ctx.get('Authorization'))?.[1];
  if (token === undefined)
    throw problem(
      'unauthorized',
      "this route needs Authorization: Bearer <the subscription's secret>",
      {},
      { 'WWW-Authenticate': 'Bearer realm="subscription"' },
    );
  return token;
}
