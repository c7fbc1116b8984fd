import { Logs } from './cloudform.js';
import type { Layer } from './layer.js';
import { LOG_METRICS, logMetricNamespace } from './log-metrics.js';
import type { LogMetric } from './log-metrics.js';
import type { ResourceHandle } from './resource-handle.js';

export interface MetricFiltersInput {
  /** Ref of each is its name. */
  readonly logGroups: Readonly<Record<LogMetric['logGroup'], ResourceHandle>>;
}

const metricFilterId = (metric: LogMetric) => `${metric.name}MetricFilter`;

/**
 * Metric filters turning log lines into metrics. No default value: a metric has data only
 * when a line matched, so "no completed poll" shows as missing data, which the alarm reads
 * as breaching.
 */
export function metricFiltersLayer({ logGroups }: MetricFiltersInput): Layer<Record<string, never>> {
  const resources = Object.fromEntries(
    Object.values(LOG_METRICS).map((metric: LogMetric) => [
      metricFilterId(metric),
      new Logs.MetricFilter({
        LogGroupName: logGroups[metric.logGroup].ref,
        FilterPattern: metric.pattern,
        MetricTransformations: [
          { MetricNamespace: logMetricNamespace, MetricName: metric.name, MetricValue: metric.value, Unit: metric.unit },
        ],
      }),
    ]),
  );
  return { resources, outputs: {} };
}
