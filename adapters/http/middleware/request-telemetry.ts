import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { Counter, type Metric, type Registry } from 'prom-client';

type Label = 'method' | 'route' | 'status';

export interface ServedRequest {
  readonly method: string;
  /** The route pattern, never the raw URL, so the series stay few. */
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
  readonly requestId: unknown;
}

const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** What one method, route pattern and status have been served: plain numbers, cheap to add to. */
interface Series {
  readonly labels: Readonly<Record<Label, string>>;
  count: number;
  seconds: number;
  /** Requests per bucket of LATENCY_BUCKETS, not cumulative; the last one is beyond them all. */
  readonly buckets: number[];
}

/**
 * One log line and one metric sample per request, labelled by route pattern rather than raw URL.
 * Counting happens on every request, so it is plain arithmetic on a series found by one map
 * lookup; prom-client reads the sums when /metrics is scraped (a Counter's collect, and a
 * histogram whose samples are written from them).
 */
export class RequestTelemetry {
  private readonly series = new Map<string, Series>();

  constructor(
    private readonly logger: Logger,
    registry: Registry,
  ) {
    const series = this.series;
    new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { labels, count } of series.values()) this.inc(labels, count);
      },
    });
    registry.registerMetric(
      latencyHistogram(
        'http_request_duration_seconds',
        'HTTP request latency by method, route pattern and status.',
        series,
      ) as unknown as Metric,
    );
  }

  record({ method, route, status, seconds, requestId }: ServedRequest): void {
    const key = `${method} ${route} ${status}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = {
        labels: { method, route, status: String(status) },
        count: 0,
        seconds: 0,
        buckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0),
      };
      this.series.set(key, series);
    }
    series.count++;
    series.seconds += seconds;
    const bounded = LATENCY_BUCKETS.findIndex((bound) => seconds <= bound);
    const bucket = bounded === -1 ? LATENCY_BUCKETS.length : bounded;
    series.buckets[bucket] = (series.buckets[bucket] ?? 0) + 1;
    if (this.logger.isLevelEnabled('info'))
      this.logger.info({ method, route, status: String(status), ms: Math.round(seconds * 1e4) / 10, requestId }, 'request');
  }
}

/** A Prometheus histogram in the shape prom-client's registry writes out: cumulative buckets, +Inf, _sum and _count per series. */
function latencyHistogram(name: string, help: string, series: ReadonlyMap<string, Series>) {
  const read = () => ({
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    values: [...series.values()].flatMap(({ labels, count, seconds, buckets }) => {
      let cumulative = 0;
      const bounded = LATENCY_BUCKETS.map((bound, index) => ({
        metricName: `${name}_bucket`,
        labels: { le: bound, ...labels },
        value: (cumulative += buckets[index] ?? 0),
      }));
      return [
        ...bounded,
        { metricName: `${name}_bucket`, labels: { le: '+Inf', ...labels }, value: count },
        { metricName: `${name}_sum`, labels, value: seconds },
        { metricName: `${name}_count`, labels, value: count },
      ];
    }),
  });
  return { name, help, type: 'histogram', aggregator: 'sum', get: () => Promise.resolve(read()), reset: () => undefined };
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
