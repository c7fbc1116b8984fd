import { CloudWatch, Fn, SNS } from './cloudform.js';
import type { ResourceBase as Resource, Value } from './cloudform.js';
import { X } from './compute.js';
import { tableName } from './data.js';
import { sub } from './intrinsics.js';
import { K } from './keys.js';
import { loadBalancerDimension, targetGroupDimensions } from './load-balancing.js';
import { LOG_METRICS, logMetricNamespace, SLOW_REQUEST_MS } from './log-metrics.js';
import type { LogMetric } from './log-metrics.js';
import { C, P } from './parameters.js';
import { PL, pollIntervalSeconds } from './poller.js';

export const A = {
  topic: 'AlarmTopic',
  emailSubscription: 'AlarmEmailSubscription',
  unhealthyTargets: 'UnhealthyTargetsAlarm',
  tasksBelowMinimum: 'ApiTasksBelowMinimumAlarm',
  serverErrors: 'ApiServerErrorsAlarm',
  latency: 'ApiLatencyAlarm',
  pollFailed: 'PollFailedAlarm',
  pollMissing: 'PollMissingAlarm',
  deadLetters: 'PollerDeadLettersAlarm',
  tableThrottles: 'TableThrottlesAlarm',
  userErrors: 'DynamoDbUserErrorsAlarm',
} as const;

/** The heading of docs/operations.md that is each alarm's runbook (a test keeps them in step). */
export const RUNBOOK_ANCHORS: Record<Exclude<keyof typeof A, 'topic' | 'emailSubscription'>, string> = {
  unhealthyTargets: 'unhealthy-targets',
  tasksBelowMinimum: 'api-tasks-below-minimum',
  serverErrors: 'api-5xx',
  latency: 'api-latency',
  pollFailed: 'poll-failed',
  pollMissing: 'poll-missing',
  deadLetters: 'poller-dead-letters',
  tableThrottles: 'table-throttles',
  userErrors: 'dynamodb-user-errors',
};

/** Requests in a period below which the NLB latency alarm does not judge (one slow request of three is no trend). */
const MIN_REQUESTS_FOR_LATENCY = 20;
/** Share of slow requests, in percent, above which the NLB latency alarm fires. */
const SLOW_SHARE_PERCENT = 1;
/** p99 of the ALB's target response time, in seconds, above which its latency alarm fires. */
const P99_SECONDS = SLOW_REQUEST_MS / 1000;

const runbook = (key: keyof typeof RUNBOOK_ANCHORS) => `Runbook: docs/operations.md#${RUNBOOK_ANCHORS[key]}`;
const whenAlb = <T>(alb: T, nlb: T) => Fn.If(C.isAlb, alb, nlb) as unknown as T;

type Evaluation = {
  /** The alarm fires when this many periods in a row breach. */
  readonly periods: number;
  readonly missingData: 'breaching' | 'notBreaching';
};

type Condition = Record<string, unknown> & { readonly ComparisonOperator: string };

function alarm(key: keyof typeof RUNBOOK_ANCHORS, description: Value<string>, evaluation: Evaluation, condition: Condition): Resource {
  return new CloudWatch.Alarm({
    AlarmName: sub(`\${AWS::StackName}-${RUNBOOK_ANCHORS[key]}`),
    AlarmDescription: description,
    ActionsEnabled: true,
    AlarmActions: [Fn.Ref(A.topic)],
    OKActions: [Fn.Ref(A.topic)],
    EvaluationPeriods: evaluation.periods,
    DatapointsToAlarm: evaluation.periods,
    TreatMissingData: evaluation.missingData,
    ...condition,
  });
}

/** One metric of a metric-math alarm. */
function stat(id: string, namespace: Value<string>, metricName: string, dimensions: object[], period: Value<number>, statistic: string, returnData = false) {
  return { Id: id, ReturnData: returnData, MetricStat: { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions }, Period: period, Stat: statistic } };
}
const logStat = (id: string, metric: LogMetric, period: Value<number>, returnData = false) => stat(id, logMetricNamespace, metric.name, [], period, 'Sum', returnData);
const expression = (id: string, text: string, label: string) => ({ Id: id, Expression: text, Label: label, ReturnData: true });

const loadBalancerNamespace = whenAlb('AWS/ApplicationELB', 'AWS/NetworkELB');
const FIVE_MINUTES = 300;

function serviceAlarms(): Record<string, Resource> {
  return {
    [A.unhealthyTargets]: alarm(
      'unhealthyTargets',
      `A target of the load balancer has failed its /health check for 5 minutes: a task whose process no longer answers at all (hung, out of memory); ECS replaces it by itself. First check: which targets fail, and the last log lines of those tasks. ${runbook('unhealthyTargets')}`,
      { periods: 5, missingData: 'notBreaching' },
      {
        Namespace: loadBalancerNamespace,
        MetricName: 'UnHealthyHostCount',
        Dimensions: targetGroupDimensions,
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    ),
    [A.tasksBelowMinimum]: alarm(
      'tasksBelowMinimum',
      `Fewer API tasks have been running than MinTasks for 5 minutes (Container Insights; no data counts as none running). First check: the service's events (aws ecs describe-services): tasks that fail to start, a deployment rolled back, no capacity. ${runbook('tasksBelowMinimum')}`,
      { periods: 5, missingData: 'breaching' },
      {
        Namespace: 'ECS/ContainerInsights',
        MetricName: 'RunningTaskCount',
        Dimensions: [
          { Name: 'ClusterName', Value: Fn.Ref(X.cluster) },
          { Name: 'ServiceName', Value: Fn.GetAtt(X.apiService, 'Name') },
        ],
        Statistic: 'Minimum',
        Period: 60,
        Threshold: Fn.Ref(P.minTasks),
        ComparisonOperator: 'LessThanThreshold',
      },
    ),
    [A.serverErrors]: alarm(
      'serverErrors',
      whenAlb(
        `The API answered 5 or more 5xx in 5 minutes (the ALB's HTTPCode_Target_5XX_Count plus HTTPCode_ELB_5XX_Count, which counts the 502/503/504 the ALB sends itself when no target answers). First check: the service log for "unhandled error" lines and the target health. ${runbook('serverErrors')}`,
        `The API answered 5 or more 5xx in 5 minutes (the service's own request log: an NLB sees no HTTP). First check: the service log for "unhandled error" lines; a 502 is an admin poll whose upstream failed. ${runbook('serverErrors')}`,
      ),
      { periods: 1, missingData: 'notBreaching' },
      {
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
    ),
    [A.latency]: alarm(
      'latency',
      whenAlb(
        `The p99 of the ALB's TargetResponseTime has been above ${P99_SECONDS} s for 15 minutes. First check: the API tasks' CPU (are they at MaxTasks?) and the table's throttles and latency. ${runbook('latency')}`,
        `More than ${SLOW_SHARE_PERCENT}% of requests took ${SLOW_REQUEST_MS} ms or more, for 15 minutes (the service's own request log: an NLB measures no latency). First check: the API tasks' CPU (are they at MaxTasks?) and the table's throttles and latency. ${runbook('latency')}`,
      ),
      { periods: 3, missingData: 'notBreaching' },
      {
        Metrics: whenAlb(
          [{ ...stat('p99', 'AWS/ApplicationELB', 'TargetResponseTime', [loadBalancerDimension], FIVE_MINUTES, 'p99', true), Label: 'p99 target response time (s)' }],
          [
            logStat('slow', LOG_METRICS.slowRequests, FIVE_MINUTES),
            logStat('requests', LOG_METRICS.requests, FIVE_MINUTES),
            expression('slowShare', `IF(FILL(requests, 0) >= ${MIN_REQUESTS_FOR_LATENCY}, 100 * FILL(slow, 0) / requests, 0)`, `% of requests taking ${SLOW_REQUEST_MS} ms or more`),
          ],
        ),
        Threshold: whenAlb(P99_SECONDS, SLOW_SHARE_PERCENT),
        ComparisonOperator: 'GreaterThanThreshold',
      },
    ),
  };
}

function pollAlarms(): Record<string, Resource> {
  const logMetric = (metric: LogMetric) => ({ Namespace: logMetricNamespace, MetricName: metric.name, Statistic: 'Sum', Period: pollIntervalSeconds });
  return {
    [A.pollFailed]: alarm(
      'pollFailed',
      `A poll failed (a Poll Failed event reached the bus); nothing of it was stored half-way, and an upstream outage clears by itself at the next good poll. First check: detail.reason of that event in the events log group. ${runbook('pollFailed')}`,
      { periods: 1, missingData: 'notBreaching' },
      { ...logMetric(LOG_METRICS.pollsFailed), Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' },
    ),
    [A.pollMissing]: alarm(
      'pollMissing',
      `No poll completed in two poll intervals (no Poll Completed event reached the bus's log group). First check: the poller's last runs, the poller/ streams of the service log group, then the dead-letter queue (the task never started). ${runbook('pollMissing')}`,
      { periods: 2, missingData: 'breaching' },
      { ...logMetric(LOG_METRICS.pollsCompleted), Threshold: 1, ComparisonOperator: 'LessThanThreshold' },
    ),
    [A.deadLetters]: alarm(
      'deadLetters',
      `EventBridge Scheduler could not start the poller task, retries included, and left the failure in the dead-letter queue. First check: the message, whose error says why (access denied, no capacity, a task definition gone). ${runbook('deadLetters')}`,
      { periods: 1, missingData: 'notBreaching' },
      {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: Fn.GetAtt(PL.deadLetterQueue, 'QueueName') }],
        Statistic: 'Maximum',
        Period: FIVE_MINUTES,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    ),
  };
}

function tableAlarms(): Record<string, Resource> {
  const table = [{ Name: 'TableName', Value: tableName }];
  return {
    [A.tableThrottles]: alarm(
      'tableThrottles',
      `The table throttled reads or writes in each of the last three 5-minute periods. On demand, that means a burst beyond what the table has warmed up to, or a hot key. The SDK retries. First check: whether polls still complete, and how long they take. ${runbook('tableThrottles')}`,
      { periods: 3, missingData: 'notBreaching' },
      {
        Metrics: [
          stat('reads', 'AWS/DynamoDB', 'ReadThrottleEvents', table, FIVE_MINUTES, 'Sum'),
          stat('writes', 'AWS/DynamoDB', 'WriteThrottleEvents', table, FIVE_MINUTES, 'Sum'),
          expression('throttles', 'FILL(reads, 0) + FILL(writes, 0)', 'throttled reads and writes'),
        ],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    ),
    [A.userErrors]: alarm(
      'userErrors',
      `DynamoDB refused requests as malformed or unauthorised (HTTP 400, not counting failed conditions or throttles) for 10 minutes. UserErrors counts the whole account in this region, not only this stack. First check: the service and poller logs for AccessDenied, ValidationException or ResourceNotFoundException. ${runbook('userErrors')}`,
      { periods: 2, missingData: 'notBreaching' },
      { Namespace: 'AWS/DynamoDB', MetricName: 'UserErrors', Statistic: 'Sum', Period: FIVE_MINUTES, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' },
    ),
  };
}

/** The alarm topic (encrypted, optionally mailing AlarmEmail) and every alarm, each telling what to check first. */
export function alarmsLayer(): Record<string, Resource> {
  return {
    [A.topic]: new SNS.Topic({ DisplayName: sub('${AWS::StackName} alarms'), KmsMasterKeyId: Fn.Ref(K.operationsKey) }),
    [A.emailSubscription]: new SNS.Subscription({ TopicArn: Fn.Ref(A.topic), Protocol: 'email', Endpoint: Fn.Ref(P.alarmEmail) }).condition(C.hasAlarmEmail),
    ...serviceAlarms(),
    ...pollAlarms(),
    ...tableAlarms(),
  };
}

/** Every alarm's logical id, for the dashboard's alarm widget. */
export const ALARM_IDS = Object.entries(A)
  .filter(([key]) => key in RUNBOOK_ANCHORS)
  .map(([, id]) => id);
