import test from 'ava';
import { HEALTH_CHECK_PATH } from '../../cloudformation/load-balancing.js';
import { ZONES } from '../../cloudformation/network.js';
import { LOG_BUFFER_SIZE } from '../../cloudformation/task-definition.js';
import { CHECK_IMAGE_URI, resolveTemplate, textOf, type Json, type TemplateJson } from './support/resolve-template.js';
import { resolvedVariants, synthesizedTemplate } from './support/synthesized.js';

const template = synthesizedTemplate();
const resources = template.Resources;
const props = (id: string) => resources[id]?.Properties as { [key: string]: Json };

/** Resource types that hold data or keys: each must say what happens to it on deletion and replacement. */
const STATEFUL_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::Logs::LogGroup',
  'AWS::KMS::Key',
  'AWS::SecretsManager::Secret',
  'AWS::SQS::Queue',
  'AWS::Events::Archive',
];

function* walk(node: Json, path: string[] = []): Generator<{ path: string[]; key: string; value: Json; parent: { [key: string]: Json } }> {
  if (Array.isArray(node)) for (const [index, item] of node.entries()) yield* walk(item, [...path, String(index)]);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      yield { path, key, value, parent: node };
      yield* walk(value, [...path, key]);
    }
  }
}

/** Resources that would refuse CloudFormation's delete: deletion protection or termination protection on. */
function protectedResources(resolved: TemplateJson): string[] {
  return Object.entries(resolved.Resources)
    .filter(([, resource]) =>
      [...walk((resource.Properties ?? {}) as Json)].some(
        ({ key, value, parent }) =>
          (/^(DeletionProtection(Enabled)?|DisableApiTermination|TerminationProtection)$/.test(key) && textOf(value) === 'true') ||
          (key === 'Value' && parent['Key'] === 'deletion_protection.enabled' && textOf(value) === 'true'),
      ),
    )
    .map(([id]) => id);
}

test('a failed first create can roll back in every variant: only resources CloudFormation retains refuse deletion', (t) => {
  for (const { name, template: resolved } of resolvedVariants()) {
    const protectedIds = protectedResources(resolved);
    t.deepEqual(
      protectedIds,
      Object.keys(resolved.Resources).filter((id) => id === 'Table' || id === 'GlobalTable'),
      `${name}: the table alone is protected`,
    );
    for (const id of protectedIds)
      t.is(resolved.Resources[id]?.['DeletionPolicy'], 'Retain', `${name}: ${id} is retained, so a rollback skips it`);
  }
});

test('LoadBalancerDeletionProtection is off by default and turns the load balancer protection on', (t) => {
  t.is(template.Parameters['LoadBalancerDeletionProtection']?.Default, 'false');
  const attribute = (resolved: TemplateJson) =>
    ((resolved.Resources['LoadBalancer']?.Properties?.['LoadBalancerAttributes'] ?? []) as Array<{ Key: string; Value: Json }>).find(
      (a) => a.Key === 'deletion_protection.enabled',
    )?.Value;
  t.is(attribute(resolveTemplate(template, { ImageUri: CHECK_IMAGE_URI })), 'false');
  const on = resolveTemplate(template, { ImageUri: CHECK_IMAGE_URI, LoadBalancerDeletionProtection: 'true' });
  t.is(attribute(on), 'true');
  t.deepEqual(protectedResources(on), ['LoadBalancer', 'Table'], 'and a protected load balancer is the only new refusal');
});

test('every stateful resource says what happens to it on deletion and on replacement, the same both ways', (t) => {
  const stateful = Object.entries(resources).filter(([, resource]) => STATEFUL_TYPES.includes(resource.Type));
  t.true(stateful.length >= 10);
  for (const [id, resource] of stateful) {
    t.true(
      ['Retain', 'Delete'].includes(textOf(resource['DeletionPolicy'])),
      `${id}: DeletionPolicy ${textOf(resource['DeletionPolicy'])}`,
    );
    t.is(resource['UpdateReplacePolicy'], resource['DeletionPolicy'], id);
  }
});

test('the data, the logs and the keys they need outlive the stack; the other generated secrets and the dead-letter queue do not', (t) => {
  const policy = (id: string) => resources[id]?.['DeletionPolicy'];
  for (const id of ['Table', 'GlobalTable', 'LogsKey', 'WebhookSecretKey']) t.is(policy(id), 'Retain', id);
  for (const [id, resource] of Object.entries(resources))
    if (resource.Type === 'AWS::Logs::LogGroup') t.is(resource['DeletionPolicy'], 'Retain', id);
  for (const id of ['AdminApiKeySecret', 'CursorSecret', 'PollerDeadLetterQueue', 'OperationsKey', 'EventArchive'])
    t.is(policy(id), 'Delete', id);
});

test('a re-created stack of the same name never collides with the log groups its predecessor left: their names carry the stack id', (t) => {
  const groups = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::Logs::LogGroup');
  t.is(groups.length, 3);
  const stackIdPrefix = {
    'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }],
  };
  for (const [id, group] of groups) {
    const [name, variables] = (group.Properties?.['LogGroupName'] as { 'Fn::Sub': [string, { [key: string]: Json }] })['Fn::Sub'];
    t.regex(name, /-\$\{StackIdPrefix\}$/, id);
    t.deepEqual(variables['StackIdPrefix'], stackIdPrefix, id);
  }
  t.regex(
    (props('CrowdEventsLogGroup')['LogGroupName'] as { 'Fn::Sub': [string] })['Fn::Sub'][0],
    /^\/aws\/events\//,
    'EventBridge only writes to /aws/events/…',
  );
});

test('auto scaling alone sets the number of API tasks: the service names no DesiredCount', (t) => {
  t.false('DesiredCount' in props('ApiService'), 'a deployment would set a scaled-out service back to it');
  t.like(props('ApiScalableTarget'), {
    MinCapacity: { Ref: 'MinTasks' },
    MaxCapacity: { Ref: 'MaxTasks' },
    ScalableDimension: 'ecs:service:DesiredCount',
  });
});

test('the load balancer probes /health, which never asks the store', (t) => {
  t.is(HEALTH_CHECK_PATH, '/health');
  t.like(props('ApiTargetGroup'), { HealthCheckPath: '/health', HealthCheckProtocol: 'HTTP', Matcher: { HttpCode: '200' } });
});

test('no task ever waits for CloudWatch Logs: awslogs in non-blocking mode with a bounded buffer', (t) => {
  for (const id of ['ApiTaskDefinition', 'PollerTaskDefinition']) {
    for (const container of props(id)['ContainerDefinitions'] as Array<{
      LogConfiguration: { LogDriver: string; Options: { [key: string]: Json } };
    }>) {
      t.is(container.LogConfiguration.LogDriver, 'awslogs', id);
      t.like(container.LogConfiguration.Options, { mode: 'non-blocking', 'max-buffer-size': LOG_BUFFER_SIZE }, id);
    }
  }
  t.regex(LOG_BUFFER_SIZE, /^\d+m$/);
});

test('image layers (S3) and table traffic skip the NAT gateways: gateway endpoints on both private route tables', (t) => {
  for (const [id, service] of [
    ['S3GatewayEndpoint', 's3'],
    ['DynamoDbGatewayEndpoint', 'dynamodb'],
  ] as const) {
    t.like(props(id), { VpcEndpointType: 'Gateway', ServiceName: { 'Fn::Sub': `com.amazonaws.\${AWS::Region}.${service}` } });
    t.deepEqual(
      props(id)['RouteTableIds'],
      ZONES.map((zone) => ({ Ref: `PrivateRouteTable${zone.suffix}` })),
      id,
    );
  }
});
