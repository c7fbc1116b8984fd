import { CloudWatch, SNS } from './cloudform.js';
import type { IntrinsicFunction, ResourceBase as Resource, Value } from './cloudform.js';
import type { StackConditions } from './conditions.js';
import { sub, when } from './intrinsics.js';
import type { Layer } from './layer.js';
import { LOG_METRICS, logMetricNamespace, SLOW_REQUEST_MS } from './log-metrics.js';
import type { LogMetric } from './log-metrics.js';
import type { StackParameters } from './parameters.js';
import { ResourceHandle } from './resource-handle.js';

/** Every alarm: its logical id, and the heading of docs/operations.md that is its runbook (a test keeps them in step). */
export const ALARMS = {
  unhealthyTargets: { logicalId: 'UnhealthyTargetsAlarm', runbook: 'unhealthy-targets' },
  tasksBelowMinimum: { logicalId: 'ApiTasksBelowMinimumAlarm', runbook: 'api-tasks-below-minimum' },
  serverErrors: { logicalId: 'ApiServerErrorsAlarm', runbook: 'api-5xx' },
  latency: { logicalId: 'ApiLatencyAlarm', runbook: 'api-latency' },
  pollFailed: { logicalId: 'PollFailedAlarm', runbook: 'poll-failed' },
  pollMissing: { logicalId: 'PollMissingAlarm', runbook: 'poll-missing' },
  deadLetters: { logicalId: 'PollerDeadLettersAlarm', runbook: 'poller-dead-letters' },
  tableThrottles: { logicalId: 'TableThrottlesAlarm', runbook: 'table-throttles' },
  userErrors: { logicalId: 'DynamoDbUserErrorsAlarm', runbook: 'dynamodb-user-errors' },
} as const;

type AlarmKey = keyof typeof ALARMS;

export interface AlarmsInput {
  readonly parameters: Pick<StackParameters, 'MinTasks' | 'AlarmEmail'>;
  readonly conditions: Pick<StackConditions, 'IsApplicationLoadBalancer' | 'HasAlarmEmail'>;
  /** Encrypts the topic; CloudWatch may use it to publish. */
  readonly operationsKey: ResourceHandle;
  readonly loadBalancer: ResourceHandle<'LoadBalancerFullName'>;
  readonly targetGroup: ResourceHandle<'TargetGroupFullName'>;
  /** Ref is the cluster's name. */
  readonly cluster: ResourceHandle;
  readonly apiService: ResourceHandle<'Name'>;
  readonly tableName: IntrinsicFunction;
  readonly deadLetterQueue: ResourceHandle<'QueueName'>;
  /** The period of the poll alarms. */
  readonly pollIntervalSeconds: IntrinsicFunction;
}

export interface AlarmsOutputs {
  /** Ref is its ARN. */
  readonly topic: ResourceHandle;
  /** Every alarm, in the order of ALARMS. */
  readonly alarms: ReadonlyArray<ResourceHandle<'Arn'>>;
}

/** Requests in a period below which the NLB latency alarm does not judge (one slow request of three is no trend). */
const MIN_REQUESTS_FOR_LATENCY = 20;
/** Share of slow requests, in percent, above which the NLB latency alarm fires. */
const SLOW_SHARE_PERCENT = 1;
/** p99 of the ALB's target response time, in seconds, above which its latency alarm fires. */
const P99_SECONDS = SLOW_REQUEST_MS / 1000;

const runbook = (key: AlarmKey) => `Runbook: docs/operations.md#${ALARMS[key].runbook}`;

type Evaluation = {
  /** The alarm fires when this many periods in a row breach. */
  readonly periods: number;
  readonly missingData: 'breaching' | 'notBreaching';
};

type Condition = Record<string, unknown> & { readonly ComparisonOperator: string };

interface AlarmSpec {
  readonly description: Value<string>;
  readonly evaluation: Evaluation;
  readonly condition: Condition;
}

function alarm(key: AlarmKey, topic: ResourceHandle, { description, evaluation, condition }: AlarmSpec): Resource {
  return new CloudWatch.Alarm({
    AlarmName: sub(`\${AWS::StackName}-${ALARMS[key].runbook}`),
    AlarmDescription: description,
    ActionsEnabled: true,
    AlarmActions: [topic.ref],
    OKActions: [topic.ref],
    EvaluationPeriods: evaluation.periods,
    DatapointsToAlarm: evaluation.periods,
    TreatMissingData: evaluation.missingData,
    ...condition,
  });
}

/** One metric of a metric-math alarm. */
function stat(
  id: string,
  namespace: Value<string>,
  metricName: string,
  dimensions: object[],
  period: Value<number>,
  statistic: string,
  returnData = false,
) {
  return {
    Id: id,
    ReturnData: returnData,
    MetricStat: { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions }, Period: period, Stat: statistic },
  };
}
const logStat = (id: string, metric: LogMetric, period: Value<number>, returnData = false) =>
  stat(id, logMetricNamespace, metric.name, [], period, 'Sum', returnData);
const expression = (id: string, text: string, label: string) => ({ Id: id, Expression: text, Label: label, ReturnData: true });

const FIVE_MINUTES = 300;

type AlarmSpecs = Partial<Record<AlarmKey, AlarmSpec>>;

function serviceAlarms({ parameters, conditions, loadBalancer, targetGroup, cluster, apiService }: AlarmsInput) {
  const whenAlb = <T>(alb: T, nlb: T) => when(conditions.IsApplicationLoadBalancer, alb, nlb);
  // The dimensions CloudWatch files the load balancer's metrics under, and its target group's.
  const loadBalancerDimension = { Name: 'LoadBalancer', Value: loadBalancer.getAtt('LoadBalancerFullName') };
  const targetGroupDimensions = [loadBalancerDimension, { Name: 'TargetGroup', Value: targetGroup.getAtt('TargetGroupFullName') }];
  return {
    unhealthyTargets: {
      description: `A target of the load balancer has failed its /health check for 5 minutes: a task whose process no longer answers at all (hung, out of memory); ECS replaces it by itself. First check: which targets fail, and the last log lines of those tasks. ${runbook('unhealthyTargets')}`,
      evaluation: { periods: 5, missingData: 'notBreaching' },
      condition: {
        Namespace: whenAlb('AWS/ApplicationELB', 'AWS/NetworkELB'),
        MetricName: 'UnHealthyHostCount',
        Dimensions: targetGroupDimensions,
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
    tasksBelowMinimum: {
      description: `Fewer API tasks have been running than MinTasks for 5 minutes (Container Insights; no data counts as none running). First check: the service's events (aws ecs describe-services): tasks that fail to start, a deployment rolled back, no capacity. ${runbook('tasksBelowMinimum')}`,
      evaluation: { periods: 5, missingData: 'breaching' },
      condition: {
        Namespace: 'ECS/ContainerInsights',
        MetricName: 'RunningTaskCount',
        Dimensions: [
          { Name: 'ClusterName', Value: cluster.ref },
          { Name: 'ServiceName', Value: apiService.getAtt('Name') },
        ],
        Statistic: 'Minimum',
        Period: 60,
        Threshold: parameters.MinTasks,
        ComparisonOperator: 'LessThanThreshold',
      },
    },
    serverErrors: {
      description: whenAlb(
        `The API answered 5 or more 5xx in 5 minutes (the ALB's HTTPCode_Target_5XX_Count plus HTTPCode_ELB_5XX_Count, which counts the 502/503/504 the ALB sends itself when no target answers). First check: the service log for "unhandled error" lines and the target health. ${runbook('serverErrors')}`,
        `The API answered 5 or more 5xx in 5 minutes (the service's own request log: an NLB sees no HTTP). First check: the service log for "unhandled error" lines; a 502 is an admin poll whose upstream failed. ${runbook('serverErrors')}`,
      ),
      evaluation: { periods: 1, missingData: 'notBreaching' },
      condition: {
        Metrics: whenAlb(
          [
            stat('target', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', [loadBalancerDimension], FIVE_MINUTES, 'Sum'),
            stat('elb', 'AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', [loadBalancerDimension], FIVE_MINUTES, 'Sum'),
            expression('errors', 'FILL(target, 0) + FILL(elb, 0)', '5xx answered by the targets and by the ALB'),
          ],
          [logStat('errors', LOG_METRICS.serverErrors, FIVE_MINUTES, true)],
        ),
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
    latency: {
      description: whenAlb(
        `The p99 of the ALB's TargetResponseTime has been above ${P99_SECONDS} s for 15 minutes. First check: the API tasks' CPU (are they at MaxTasks?) and the table's throttles and latency. ${runbook('latency')}`,
        `More than ${SLOW_SHARE_PERCENT}% of requests took ${SLOW_REQUEST_MS} ms or more, for 15 minutes (the service's own request log: an NLB measures no latency). First check: the API tasks' CPU (are they at MaxTasks?) and the table's throttles and latency. ${runbook('latency')}`,
      ),
      evaluation: { periods: 3, missingData: 'notBreaching' },
      condition: {
        Metrics: whenAlb(
          [
            {
              ...stat('p99', 'AWS/ApplicationELB', 'TargetResponseTime', [loadBalancerDimension], FIVE_MINUTES, 'p99', true),
              Label: 'p99 target response time (s)',
            },
          ],
          [
            logStat('slow', LOG_METRICS.slowRequests, FIVE_MINUTES),
            logStat('requests', LOG_METRICS.requests, FIVE_MINUTES),
            expression(
              'slowShare',
              `IF(FILL(requests, 0) >= ${MIN_REQUESTS_FOR_LATENCY}, 100 * FILL(slow, 0) / requests, 0)`,
              `% of requests taking ${SLOW_REQUEST_MS} ms or more`,
            ),
          ],
        ),
        Threshold: whenAlb(P99_SECONDS, SLOW_SHARE_PERCENT),
        ComparisonOperator: 'GreaterThanThreshold',
      },
    },
  } satisfies AlarmSpecs;
}

function pollAlarms({ pollIntervalSeconds, deadLetterQueue }: AlarmsInput) {
  const logMetric = (metric: LogMetric) => ({
    Namespace: logMetricNamespace,
    MetricName: metric.name,
    Statistic: 'Sum',
    Period: pollIntervalSeconds,
  });
  return {
    pollFailed: {
      description: `A poll failed (a Poll Failed event reached the bus); nothing of it was stored half-way, and an upstream outage clears by itself at the next good poll. First check: detail.reason of that event in the events log group. ${runbook('pollFailed')}`,
      evaluation: { periods: 1, missingData: 'notBreaching' },
      condition: { ...logMetric(LOG_METRICS.pollsFailed), Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' },
    },
    pollMissing: {
      description: `No poll completed in two poll intervals (no Poll Completed event reached the bus's log group). First check: the poller's last runs, the poller/ streams of the service log group, then the dead-letter queue (the task never started). ${runbook('pollMissing')}`,
      evaluation: { periods: 2, missingData: 'breaching' },
      condition: { ...logMetric(LOG_METRICS.pollsCompleted), Threshold: 1, ComparisonOperator: 'LessThanThreshold' },
    },
    deadLetters: {
      description: `EventBridge Scheduler could not start the poller task, retries included, and left the failure in the dead-letter queue. First check: the message, whose error says why (access denied, no capacity, a task definition gone). ${runbook('deadLetters')}`,
      evaluation: { periods: 1, missingData: 'notBreaching' },
      condition: {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: deadLetterQueue.getAtt('QueueName') }],
        Statistic: 'Maximum',
        Period: FIVE_MINUTES,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
  } satisfies AlarmSpecs;
}

function tableAlarms({ tableName }: AlarmsInput) {
  const table = [{ Name: 'TableName', Value: tableName }];
  return {
    tableThrottles: {
      description: `The table throttled reads or writes in each of the last three 5-minute periods. On demand, that means a burst beyond what the table has warmed up to, or a hot key. The SDK retries. First check: whether polls still complete, and how long they take. ${runbook('tableThrottles')}`,
      evaluation: { periods: 3, missingData: 'notBreaching' },
      condition: {
        Metrics: [
          stat('reads', 'AWS/DynamoDB', 'ReadThrottleEvents', table, FIVE_MINUTES, 'Sum'),
          stat('writes', 'AWS/DynamoDB', 'WriteThrottleEvents', table, FIVE_MINUTES, 'Sum'),
          expression('throttles', 'FILL(reads, 0) + FILL(writes, 0)', 'throttled reads and writes'),
        ],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
    userErrors: {
      description: `DynamoDB refused requests as malformed or unauthorised (HTTP 400, not counting failed conditions or throttles) for 10 minutes. UserErrors counts the whole account in this region, not only this stack. First check: the service and poller logs for AccessDenied, ValidationException or ResourceNotFoundException. ${runbook('userErrors')}`,
      evaluation: { periods: 2, missingData: 'notBreaching' },
      condition: {
        Namespace: 'AWS/DynamoDB',
        MetricName: 'UserErrors',
        Statistic: 'Sum',
        Period: FIVE_MINUTES,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
  } satisfies AlarmSpecs;
}

/** The alarm topic (encrypted, optionally mailing AlarmEmail) and every alarm, each telling what to check first. */
export function alarmsLayer(input: AlarmsInput): Layer<AlarmsOutputs> {
  const topic = new ResourceHandle('AlarmTopic');
  const specs: Record<AlarmKey, AlarmSpec> = { ...serviceAlarms(input), ...pollAlarms(input), ...tableAlarms(input) };
  const keys = Object.keys(ALARMS) as AlarmKey[];
  const resources = {
    [topic.logicalId]: new SNS.Topic({ DisplayName: sub('${AWS::StackName} alarms'), KmsMasterKeyId: input.operationsKey.ref }),
    AlarmEmailSubscription: new SNS.Subscription({
      TopicArn: topic.ref,
      Protocol: 'email',
      Endpoint: input.parameters.AlarmEmail,
    }).condition(input.conditions.HasAlarmEmail),
    ...Object.fromEntries(keys.map((key) => [ALARMS[key].logicalId, alarm(key, topic, specs[key])])),
  };
  return { resources, outputs: { topic, alarms: keys.map((key) => new ResourceHandle<'Arn'>(ALARMS[key].logicalId)) } };
}
