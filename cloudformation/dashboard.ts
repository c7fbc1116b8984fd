import { CloudWatch, Fn } from './cloudform.js';
import type { IntrinsicFunction } from './cloudform.js';
import type { StackConditions } from './conditions.js';
import { sub } from './intrinsics.js';
import type { Layer } from './layer.js';
import { LOG_METRICS, logMetricNamespace } from './log-metrics.js';
import { ResourceHandle } from './resource-handle.js';

export interface DashboardInput {
  readonly conditions: Pick<StackConditions, 'IsApplicationLoadBalancer'>;
  readonly alarms: ReadonlyArray<ResourceHandle<'Arn'>>;
  readonly loadBalancer: ResourceHandle<'LoadBalancerFullName'>;
  readonly cluster: ResourceHandle;
  readonly apiService: ResourceHandle<'Name'>;
  readonly tableName: IntrinsicFunction;
  readonly deadLetterQueue: ResourceHandle<'QueueName'>;
}

export interface DashboardOutputs {
  /** Ref is its name. */
  readonly dashboard: ResourceHandle;
}

type MetricLine = Array<string | Record<string, string | number>>;

interface Widget {
  readonly title: string;
  readonly metrics: MetricLine[];
  readonly stat?: string;
  readonly yAxisLabel?: string;
}

type Options = Record<string, string | number>;

const ns = '${Namespace}';
const logMetric = (name: string, options: Options): MetricLine => [ns, name, options];
const table = (metric: string, options: Options): MetricLine => ['AWS/DynamoDB', metric, 'TableName', '${TableName}', options];

/**
 * What the on-call engineer looks at first: the alarms, then requests, latency, polls, readings
 * stored and events sent, then the tasks, the table and the dead-letter queue. The load balancer
 * lines differ by type: an NLB counts connections and knows no HTTP status or latency, so those
 * come from the service's request log on both.
 */
function widgets(lb: 'ALB' | 'NLB', input: DashboardInput): Widget[] {
  const loadBalancer = (metric: string, options: Options): MetricLine => [
    lb === 'ALB' ? 'AWS/ApplicationELB' : 'AWS/NetworkELB',
    metric,
    'LoadBalancer',
    input.loadBalancer.subVariable('LoadBalancerFullName'),
    options,
  ];
  const apiService = (namespace: string, metric: string, options: Options): MetricLine => [
    namespace,
    metric,
    'ClusterName',
    input.cluster.subVariable(),
    'ServiceName',
    input.apiService.subVariable('Name'),
    options,
  ];
  return [
    {
      title: 'Requests (5 min)',
      stat: 'Sum',
      metrics: [
        lb === 'ALB'
          ? loadBalancer('RequestCount', { label: 'requests at the ALB' })
          : loadBalancer('NewFlowCount', { label: 'new connections at the NLB' }),
        logMetric(LOG_METRICS.requests.name, { label: 'requests the API logged (probes excluded)' }),
        logMetric(LOG_METRICS.serverErrors.name, { label: '5xx the API logged' }),
        ...(lb === 'ALB' ? [loadBalancer('HTTPCode_ELB_5XX_Count', { label: '5xx the ALB sent itself' })] : []),
      ],
    },
    {
      title: 'Latency',
      yAxisLabel: 'ms',
      metrics: [
        logMetric(LOG_METRICS.requestDuration.name, { stat: 'p50', label: 'p50 (request log)' }),
        logMetric(LOG_METRICS.requestDuration.name, { stat: 'p99', label: 'p99 (request log)' }),
        ...(lb === 'ALB' ? [loadBalancer('TargetResponseTime', { stat: 'p99', label: 'p99 at the ALB (s)', yAxis: 'right' })] : []),
      ],
    },
    {
      title: 'Polls (5 min)',
      stat: 'Sum',
      metrics: [
        logMetric(LOG_METRICS.pollsCompleted.name, { label: 'completed' }),
        logMetric(LOG_METRICS.pollsFailed.name, { label: 'failed' }),
      ],
    },
    {
      title: 'Readings stored (5 min)',
      stat: 'Sum',
      metrics: [logMetric(LOG_METRICS.readingsStored.name, { label: 'new readings stored by polls' })],
    },
    {
      title: 'Events sent (5 min)',
      stat: 'Sum',
      metrics: [logMetric(LOG_METRICS.eventsPublished.name, { label: 'events that reached the bus' })],
    },
    {
      title: 'API tasks',
      metrics: [
        apiService('ECS/ContainerInsights', 'RunningTaskCount', { stat: 'Minimum', label: 'running' }),
        apiService('AWS/ECS', 'CPUUtilization', { stat: 'Average', label: 'CPU %', yAxis: 'right' }),
        apiService('AWS/ECS', 'MemoryUtilization', { stat: 'Average', label: 'memory %', yAxis: 'right' }),
      ],
    },
    {
      title: 'Table (5 min)',
      stat: 'Sum',
      metrics: [
        table('ConsumedReadCapacityUnits', { label: 'read units' }),
        table('ConsumedWriteCapacityUnits', { label: 'write units' }),
        table('ReadThrottleEvents', { label: 'throttled reads', yAxis: 'right' }),
        table('WriteThrottleEvents', { label: 'throttled writes', yAxis: 'right' }),
      ],
    },
    {
      title: 'Poller dead-letter queue',
      stat: 'Maximum',
      metrics: [
        [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          'QueueName',
          input.deadLetterQueue.subVariable('QueueName'),
          { label: 'failed starts waiting' },
        ],
      ],
    },
  ];
}

const WIDTH = 12;
const HEIGHT = 6;

function body(lb: 'ALB' | 'NLB', input: DashboardInput): string {
  const alarmWidget = {
    type: 'alarm',
    x: 0,
    y: 0,
    width: 2 * WIDTH,
    height: 3,
    properties: { title: 'Alarms (runbook: docs/operations.md)', alarms: input.alarms.map((alarm) => alarm.subVariable('Arn')) },
  };
  const metricWidgets = widgets(lb, input).map((widget, index) => ({
    type: 'metric',
    x: (index % 2) * WIDTH,
    y: 3 + Math.floor(index / 2) * HEIGHT,
    width: WIDTH,
    height: HEIGHT,
    properties: {
      title: widget.title,
      region: '${AWS::Region}',
      view: 'timeSeries',
      period: 300,
      ...(widget.stat === undefined ? {} : { stat: widget.stat }),
      ...(widget.yAxisLabel === undefined ? {} : { yAxis: { left: { label: widget.yAxisLabel } } }),
      metrics: widget.metrics,
    },
  }));
  return JSON.stringify({ widgets: [alarmWidget, ...metricWidgets] });
}

/** The stack's CloudWatch dashboard, named after the stack. */
export function dashboardLayer(input: DashboardInput): Layer<DashboardOutputs> {
  const dashboard = new ResourceHandle('Dashboard');
  // Names the body refers to as ${Name}: Fn::Sub fills them in.
  const variables = { Namespace: logMetricNamespace, TableName: input.tableName };
  const resources = {
    [dashboard.logicalId]: new CloudWatch.Dashboard({
      DashboardName: sub('${AWS::StackName}'),
      DashboardBody: Fn.If(
        input.conditions.IsApplicationLoadBalancer,
        Fn.Sub(body('ALB', input), variables),
        Fn.Sub(body('NLB', input), variables),
      ),
    }),
  };
  return { resources, outputs: { dashboard } };
}
