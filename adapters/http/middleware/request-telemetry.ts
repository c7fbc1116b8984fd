import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';

type Label = 'method' | 'route' | 'status';

/** One log line and one metric sample per request, labelled by route pattern rather than raw URL. */
export function requestTelemetry(logger: Logger, registry: Registry): Middleware {
  const labelNames: Label[] = ['method', 'route', 'status'];
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by method, route pattern and status.', labelNames, registers: [registry] });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status.',
    labelNames,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // One pair of series per method, route pattern and status, looked up once rather than hashed per request.
  const series = new Map<string, { count: Counter.Internal; duration: Histogram.Internal<Label> }>();
  const seriesOf = (labels: Record<Label, string>) => {
    const key = `${labels.method} ${labels.route} ${labels.status}`;
    let found = series.get(key);
    if (found === undefined) {
      found = { count: requests.labels(labels), duration: latency.labels(labels) };
      series.set(key, found);
    }
    return found;
  };
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: ctx.method, route: routePattern(ctx), status: String(ctx.status) };
      const { count, duration } = seriesOf(labels);
      count.inc();
      duration.observe(seconds);
      if (logger.isLevelEnabled('info')) logger.info({ ...labels, ms: Math.round(seconds * 1e4) / 10, requestId: ctx.state['requestId'] }, 'request');
    }
  };
}

function routePattern(ctx: { state: Record<string, unknown> }): string {
  // @koa/router leaves the pattern it matched on the context; a cache hit names its route in state.
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute ?? ctx.state['route'];
  return typeof matched === 'string' ? matched : 'unmatched';
}
