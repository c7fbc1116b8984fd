import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';

type Label = 'method' | 'route' | 'status';

export interface ServedRequest {
  readonly method: string;
  /** The route pattern, never the raw URL, so the series stay few. */
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
  readonly requestId: unknown;
}

/** One log line and one metric sample per request, labelled by route pattern rather than raw URL. */
export class RequestTelemetry {
  private readonly requests: Counter<Label>;
  private readonly latency: Histogram<Label>;
  // One pair of series per method, route pattern and status, looked up once rather than hashed per request.
  private readonly series = new Map<string, { count: Counter.Internal; duration: Histogram.Internal<Label> }>();

  constructor(
    private readonly logger: Logger,
    registry: Registry,
  ) {
    const labelNames: Label[] = ['method', 'route', 'status'];
    this.requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by method, route pattern and status.', labelNames, registers: [registry] });
    this.latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status.',
      labelNames,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  }

  record({ method, route, status, seconds, requestId }: ServedRequest): void {
    const key = `${method} ${route} ${status}`;
    let series = this.series.get(key);
    if (series === undefined) {
      const labels = { method, route, status: String(status) };
      series = { count: this.requests.labels(labels), duration: this.latency.labels(labels) };
      this.series.set(key, series);
    }
    series.count.inc();
    series.duration.observe(seconds);
    if (this.logger.isLevelEnabled('info')) this.logger.info({ method, route, status: String(status), ms: Math.round(seconds * 1e4) / 10, requestId }, 'request');
  }
}

export function requestTelemetry(telemetry: RequestTelemetry): Middleware {
  return async function requestTelemetry(ctx, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      telemetry.record({ method: ctx.method, route: routePattern(ctx), status: ctx.status, seconds, requestId: ctx.state['requestId'] });
    }
  };
}

function routePattern(ctx: { state: Record<string, unknown> }): string {
  // @koa/router leaves the pattern it matched on the context; a cache hit names its route in state.
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute ?? ctx.state['route'];
  return typeof matched === 'string' ? matched : 'unmatched';
}
