import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { RequestTelemetry } from '../../adapters/http/middleware/request-telemetry.js';
import { ALARMS } from '../../cloudformation/alarms.js';
import { LOG_METRICS, SLOW_REQUEST_MS } from '../../cloudformation/log-metrics.js';
import { matchesFilterPattern, selectValue } from './support/filter-pattern.js';
import { textOf, type Json, type TemplateJson } from './support/resolve-template.js';
import { resolvedVariants, synthesizedTemplate } from './support/synthesized.js';

const template = synthesizedTemplate();
const resources = template.Resources;
const props = (id: string) => resources[id]?.Properties as { [key: string]: Json };
const variants = resolvedVariants();
const variant = (pattern: RegExp) => variants.find((v) => pattern.test(v.name))?.template as TemplateJson;
const alb = variant(/^ALB, HTTP only/);
const nlb = variant(/^NLB \(defaults/);
const alarmIn = (resolved: TemplateJson, id: string) => resolved.Resources[id]?.Properties as { [key: string]: Json };
const alarmIds = Object.values(ALARMS).map((alarm) => alarm.logicalId);
/** The log group of each kind that LOG_METRICS names. */
const LOG_GROUP_IDS = { service: 'ServiceLogGroup', events: 'CrowdEventsLogGroup' };

/** GitHub's anchor of a Markdown heading. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
const runbookAnchors = new Set(
  [...readFileSync('docs/operations.md', 'utf8').matchAll(/^#{2,4} (.+)$/gm)].map(([, heading]) => anchor(String(heading))),
);

test('every alarm notifies the alarm topic when it fires and when it clears', (t) => {
  const alarms = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm');
  t.deepEqual(alarms.map(([id]) => id).sort(), [...alarmIds].sort());
  for (const [id, alarm] of alarms) {
    t.like(alarm.Properties ?? {}, { ActionsEnabled: true, AlarmActions: [{ Ref: 'AlarmTopic' }], OKActions: [{ Ref: 'AlarmTopic' }] }, id);
    t.deepEqual(alarm.Properties?.['AlarmName'], {
      'Fn::Sub': `\${AWS::StackName}-${Object.values(ALARMS).find((a) => a.logicalId === id)?.runbook}`,
    });
  }
});

test("every alarm's description says what to check first and links its section of docs/operations.md, in every variant", (t) => {
  for (const { name, template: resolved } of variants) {
    for (const { logicalId: id, runbook: section } of Object.values(ALARMS)) {
      const description = textOf(alarmIn(resolved, id)['AlarmDescription']);
      t.true(description.includes(`Runbook: docs/operations.md#${section}`), `${name}: ${id}`);
      t.regex(description, /\. First check: \S.{10,}/, `${name}: ${id} says what to check first`);
      t.true(description.length <= 1024, `${name}: ${id} fits CloudWatch's 1024 characters`);
      t.true(runbookAnchors.has(section), `docs/operations.md has a section #${section}`);
    }
  }
});

test('the alarm topic is encrypted with a key CloudWatch may use, and mails AlarmEmail only when it is given', (t) => {
  t.deepEqual(props('AlarmTopic')['KmsMasterKeyId'], { Ref: 'OperationsKey' });
  const statements = (props('OperationsKey')['KeyPolicy'] as { Statement: Array<{ Sid: string; Principal: Json; Action: Json }> })
    .Statement;
  t.like(statements.find((s) => s.Sid === 'CloudWatchPublishesAlarms') ?? {}, {
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
  });
  t.like(resources['AlarmEmailSubscription'] ?? {}, {
    Condition: 'HasAlarmEmail',
    Properties: { Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } },
  });
  t.false('AlarmEmailSubscription' in nlb.Resources);
  t.true('AlarmEmailSubscription' in variant(/^NLB with TLS/).Resources);
});

test('behind an ALB the 5xx and latency alarms read what the ALB measures', (t) => {
  const errors = alarmIn(alb, ALARMS.serverErrors.logicalId)['Metrics'] as Array<{
    MetricStat?: { Metric: { Namespace: string; MetricName: string } };
    Expression?: string;
  }>;
  t.deepEqual(
    errors.flatMap((m) => (m.MetricStat === undefined ? [] : [`${m.MetricStat.Metric.Namespace} ${m.MetricStat.Metric.MetricName}`])),
    ['AWS/ApplicationELB HTTPCode_Target_5XX_Count', 'AWS/ApplicationELB HTTPCode_ELB_5XX_Count'],
  );
  const latency = alarmIn(alb, ALARMS.latency.logicalId)['Metrics'] as Array<{
    MetricStat: { Metric: { MetricName: string }; Stat: string };
  }>;
  t.like(latency[0] ?? {}, { MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime' }, Stat: 'p99' } });
  t.is(alarmIn(alb, ALARMS.latency.logicalId)['Threshold'], SLOW_REQUEST_MS / 1000);
});

test("behind an NLB, which sees no HTTP, the 5xx and latency alarms read the service's own request log", (t) => {
  const logMetricNames = (id: string) =>
    (alarmIn(nlb, id)['Metrics'] as Array<{ MetricStat?: { Metric: { Namespace: Json; MetricName: string } } }>).flatMap((m) =>
      m.MetricStat === undefined ? [] : [m.MetricStat.Metric],
    );
  t.deepEqual(
    logMetricNames(ALARMS.serverErrors.logicalId).map((m) => m.MetricName),
    [LOG_METRICS.serverErrors.name],
  );
  t.deepEqual(
    logMetricNames(ALARMS.latency.logicalId).map((m) => m.MetricName),
    [LOG_METRICS.slowRequests.name, LOG_METRICS.requests.name],
  );
  for (const metric of [...logMetricNames(ALARMS.serverErrors.logicalId), ...logMetricNames(ALARMS.latency.logicalId)])
    t.deepEqual(metric.Namespace, { 'Fn::Sub': 'SpaceOutCrowd/${AWS::StackName}' });
  t.false(JSON.stringify(nlb.Resources[ALARMS.serverErrors.logicalId]).includes('ApplicationELB'));
});

test('unhealthy targets are read from the namespace of the load balancer in use', (t) => {
  t.like(alarmIn(alb, ALARMS.unhealthyTargets.logicalId), { Namespace: 'AWS/ApplicationELB', MetricName: 'UnHealthyHostCount' });
  t.like(alarmIn(nlb, ALARMS.unhealthyTargets.logicalId), { Namespace: 'AWS/NetworkELB', MetricName: 'UnHealthyHostCount' });
});

test('fewer running API tasks than MinTasks alarms, and so does no data at all', (t) => {
  t.like(props(ALARMS.tasksBelowMinimum.logicalId), {
    Namespace: 'ECS/ContainerInsights',
    MetricName: 'RunningTaskCount',
    Threshold: { Ref: 'MinTasks' },
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'breaching',
  });
});

test('a failed poll alarms within one interval; no completed poll for two intervals alarms, for every allowed interval', (t) => {
  const period = { 'Fn::FindInMap': ['PollIntervals', { Ref: 'PollIntervalMinutes' }, 'Seconds'] };
  t.like(props(ALARMS.pollFailed.logicalId), {
    MetricName: 'PollsFailed',
    Period: period,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  });
  t.like(props(ALARMS.pollMissing.logicalId), {
    MetricName: 'PollsCompleted',
    Period: period,
    EvaluationPeriods: 2,
    DatapointsToAlarm: 2,
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'breaching',
  });
  for (const [minutes, row] of Object.entries(template.Mappings?.['PollIntervals'] ?? {}))
    t.is(row['Seconds'], Number(minutes) * 60, `${minutes} minutes`);
});

test('the dead-letter queue alarms with its first message; DynamoDB throttles and user errors alarm', (t) => {
  t.like(props(ALARMS.deadLetters.logicalId), {
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Threshold: 1,
    Dimensions: [{ Value: { 'Fn::GetAtt': ['PollerDeadLetterQueue', 'QueueName'] } }],
  });
  const throttles = (
    props(ALARMS.tableThrottles.logicalId)['Metrics'] as Array<{ MetricStat?: { Metric: { MetricName: string; Dimensions: Json } } }>
  ).flatMap((m) => (m.MetricStat === undefined ? [] : [m.MetricStat.Metric]));
  t.deepEqual(
    throttles.map((m) => m.MetricName),
    ['ReadThrottleEvents', 'WriteThrottleEvents'],
  );
  t.like(props(ALARMS.userErrors.logicalId), { Namespace: 'AWS/DynamoDB', MetricName: 'UserErrors' });
});

/** The JSON line RequestTelemetry really writes for one request. */
function requestLogLine(route: string, status: number, seconds: number): Json {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  new RequestTelemetry(pino({ level: 'info' }, sink), new Registry()).record({ method: 'GET', route, status, seconds, requestId: 'r-1' });
  return JSON.parse(lines.join('')) as Json;
}

test('the request metric filters read the fields the service really logs', (t) => {
  const ok = requestLogLine('/v1/crowd-levels', 200, 0.004);
  const failed = requestLogLine('/v1/venues/:id', 500, 0.01);
  const slow = requestLogLine('/v1/crowd-levels', 200, (SLOW_REQUEST_MS + 500) / 1000);
  const probe = requestLogLine('/health', 200, 0.001);
  const draining = requestLogLine('/ready', 503, 0.001);
  const notFound = requestLogLine('unmatched', 404, 0.001);
  const matches = (metric: { pattern: string }, line: Json) => matchesFilterPattern(metric.pattern, line);

  t.true(matches(LOG_METRICS.requests, ok));
  t.true(matches(LOG_METRICS.requests, notFound));
  t.false(matches(LOG_METRICS.requests, probe), 'probes are not traffic');
  t.true(matches(LOG_METRICS.serverErrors, failed));
  t.false(matches(LOG_METRICS.serverErrors, ok));
  t.false(matches(LOG_METRICS.serverErrors, notFound));
  t.false(matches(LOG_METRICS.serverErrors, draining), 'a draining /ready is no error');
  t.true(matches(LOG_METRICS.slowRequests, slow));
  t.false(matches(LOG_METRICS.slowRequests, ok));
  t.true(matches(LOG_METRICS.requestDuration, ok));
  t.is(typeof selectValue(ok, LOG_METRICS.requestDuration.value), 'number');
});

const examples = Object.fromEntries(
  readdirSync('events')
    .filter((file) => file.endsWith('.example.json'))
    .map((file) => [file.replace('.example.json', ''), JSON.parse(readFileSync(`events/${file}`, 'utf8')) as Json]),
);

test('the poll metric filters count the events of the catalog as EventBridge delivers them', (t) => {
  const matching = (metric: { pattern: string }) =>
    Object.keys(examples)
      .filter((name) => matchesFilterPattern(metric.pattern, examples[name] as Json))
      .sort();
  t.deepEqual(matching(LOG_METRICS.pollsCompleted), ['poll-completed']);
  t.deepEqual(matching(LOG_METRICS.pollsFailed), ['poll-failed']);
  t.deepEqual(matching(LOG_METRICS.readingsStored), ['poll-completed']);
  t.deepEqual(matching(LOG_METRICS.eventsPublished), Object.keys(examples).sort());
  t.is(typeof selectValue(examples['poll-completed'] as Json, LOG_METRICS.readingsStored.value), 'number');
});

test("every metric filter publishes into the stack's namespace, from the log group its metric comes from", (t) => {
  for (const metric of Object.values(LOG_METRICS)) {
    const filter = props(`${metric.name}MetricFilter`);
    t.deepEqual(filter['LogGroupName'], { Ref: LOG_GROUP_IDS[metric.logGroup] }, metric.name);
    t.like(filter, {
      FilterPattern: metric.pattern,
      MetricTransformations: [
        { MetricName: metric.name, MetricValue: metric.value, MetricNamespace: { 'Fn::Sub': 'SpaceOutCrowd/${AWS::StackName}' } },
      ],
    });
  }
});

test('the dashboard shows the alarms, requests, latency, polls, readings stored and events sent, for either load balancer', (t) => {
  for (const resolved of [alb, nlb]) {
    const [text, variables] = (
      resolved.Resources['Dashboard']?.Properties?.['DashboardBody'] as { 'Fn::Sub': [string, { [key: string]: Json }] }
    )['Fn::Sub'];
    const body = JSON.parse(text) as {
      widgets: Array<{ type: string; properties: { title: string; alarms?: string[]; metrics?: Json[][] } }>;
    };
    const titles = body.widgets.map((w) => w.properties.title);
    for (const wanted of [/^Alarms/, /^Requests/, /^Latency/, /^Polls/, /^Readings stored/, /^Events sent/])
      t.true(
        titles.some((title) => wanted.test(title)),
        String(wanted),
      );
    t.deepEqual(
      body.widgets[0]?.properties.alarms,
      alarmIds.map((id) => `\${${id}.Arn}`),
    );
    const references = [...text.matchAll(/\$\{([^}]+)\}/g)].map(([, name]) => String(name).split('.')[0] as string);
    const known = new Set([...Object.keys(resolved.Resources), ...Object.keys(variables), 'AWS::Region']);
    t.deepEqual([...new Set(references.filter((name) => !known.has(name)))], []);
  }
  t.true(JSON.stringify(alb.Resources['Dashboard']).includes('AWS/ApplicationELB'));
  t.false(JSON.stringify(nlb.Resources['Dashboard']).includes('AWS/ApplicationELB'));
});
