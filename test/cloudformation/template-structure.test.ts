import test from 'ava';
import { TABLE_DEFINITION } from '../../adapters/dynamodb/table-definition.js';
import { loadConfig } from '../../adapters/runtime/config.js';
import { tableSchema } from '../../cloudformation/data.js';
import { LISTENER_PORTS } from '../../cloudformation/load-balancing.js';
import { ZONES } from '../../cloudformation/network.js';
import { synthesize } from '../../cloudformation/template.js';
import { INLINE_TEMPLATE_LIMIT, S3_TEMPLATE_LIMIT } from './support/deploy-limits.js';
import { textOf, type Json } from './support/resolve-template.js';
import { resolvedVariants, synthesizedTemplate } from './support/synthesized.js';

const template = synthesizedTemplate();
const resources = template.Resources;
const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NoValue',
  'AWS::NotificationARNs',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];
const known = new Set([...Object.keys(resources), ...Object.keys(template.Parameters), ...PSEUDO_PARAMETERS]);

function* walk(node: Json): Generator<{ [key: string]: Json }> {
  if (Array.isArray(node)) for (const item of node) yield* walk(item);
  else if (node !== null && typeof node === 'object') {
    yield node;
    for (const value of Object.values(node)) yield* walk(value);
  }
}

/** Every name a Ref, Fn::GetAtt or Fn::Sub variable points at. */
function referencedNames(node: Json): string[] {
  const names: string[] = [];
  for (const object of walk(node)) {
    if (typeof object['Ref'] === 'string') names.push(object['Ref']);
    const getAtt = object['Fn::GetAtt'];
    if (Array.isArray(getAtt)) names.push(textOf(getAtt[0]));
    const sub = object['Fn::Sub'];
    const text = typeof sub === 'string' ? sub : Array.isArray(sub) ? textOf(sub[0]) : null;
    const locals = Array.isArray(sub) && sub[1] !== null && typeof sub[1] === 'object' ? Object.keys(sub[1]) : [];
    for (const [, variable] of text?.matchAll(/\$\{([^}!]+)\}/g) ?? []) {
      const name = String(variable).split('.')[0] as string;
      if (!locals.includes(name)) names.push(name);
    }
  }
  return names;
}

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const props = (id: string) => resources[id]?.Properties as { [key: string]: Json };

test('every Ref, GetAtt, Sub variable and DependsOn names a resource, parameter or pseudo-parameter', (t) => {
  const names = [...referencedNames(template.Resources as unknown as Json), ...referencedNames(template.Outputs ?? {})];
  for (const resource of Object.values(resources)) {
    const dependsOn = resource['DependsOn'];
    if (dependsOn !== undefined) names.push(...(Array.isArray(dependsOn) ? dependsOn.map(textOf) : [textOf(dependsOn)]));
  }
  t.true(names.length > 50);
  t.deepEqual([...new Set(names.filter((name) => !known.has(name)))], []);
});

test('parameters, resources, conditions and mappings never share a name, which CloudFormation refuses', (t) => {
  const names = [template.Parameters, resources, template.Conditions ?? {}, template.Mappings ?? {}].flatMap((section) =>
    Object.keys(section),
  );
  t.deepEqual(
    names.filter((name, i) => names.indexOf(name) !== i),
    [],
  );
});

test("API tasks and the poller schedule wait for the app subnets' routes to the NAT and for the EventBridge endpoint", (t) => {
  const needed = [
    ...ZONES.flatMap((zone) => [`AppSubnet${zone.suffix}RouteTableAssociation`, `PrivateDefaultRoute${zone.suffix}`]),
    'EventBridgeInterfaceEndpoint',
  ];
  for (const id of ['ApiService', 'PollerSchedule']) {
    const dependsOn = [resources[id]?.DependsOn ?? []].flat();
    t.deepEqual(
      needed.filter((name) => !dependsOn.includes(name)),
      [],
      id,
    );
  }
  t.true(
    [resources['ApiService']?.DependsOn].flat().includes('AppSecurityGroupFromLoadBalancer'),
    'and the API for its ingress from the load balancer',
  );
});

test('every condition used is defined, and every Fn::If names one', (t) => {
  const used = [
    ...Object.values(resources).flatMap((r) => (r.Condition === undefined ? [] : [r.Condition])),
    ...[...walk(template as unknown as Json)].flatMap((o) => (Array.isArray(o['Fn::If']) ? [textOf(o['Fn::If'][0])] : [])),
  ];
  t.deepEqual(
    used.filter((name) => !(name in (template.Conditions ?? {}))),
    [],
  );
});

test('subnets carry the seed CIDRs and pick their AZ with Fn::Select over Fn::GetAZs', (t) => {
  t.is(props('Vpc')['CidrBlock'], '10.0.0.0/16');
  const expected = {
    Az1: ['10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24', 0],
    Az2: ['10.0.4.0/24', '10.0.5.0/24', '10.0.6.0/24', 1],
  } as const;
  for (const [suffix, [publicCidr, appCidr, dataCidr, azIndex]] of Object.entries(expected)) {
    for (const [id, cidr] of [
      [`PublicSubnet${suffix}`, publicCidr],
      [`AppSubnet${suffix}`, appCidr],
      [`DataSubnet${suffix}`, dataCidr],
    ] as const) {
      t.is(props(id)['CidrBlock'], cidr, id);
      t.deepEqual(props(id)['AvailabilityZone'], { 'Fn::Select': [azIndex, { 'Fn::GetAZs': { Ref: 'AWS::Region' } }] }, id);
      t.false(props(id)['MapPublicIpOnLaunch'], id);
    }
  }
  t.is(ofType('AWS::EC2::Subnet').length, 6);
});

test("each private subnet's default route goes to the NAT gateway of its own AZ", (t) => {
  const associations = ofType('AWS::EC2::SubnetRouteTableAssociation').map(
    ([, r]) => r.Properties as { SubnetId: { Ref: string }; RouteTableId: { Ref: string } },
  );
  const routes = ofType('AWS::EC2::Route').map(
    ([, r]) => r.Properties as { RouteTableId: { Ref: string }; DestinationCidrBlock: string; NatGatewayId?: { Ref: string } },
  );
  for (const zone of ZONES) {
    for (const subnet of [`AppSubnet${zone.suffix}`, `DataSubnet${zone.suffix}`]) {
      const table = associations.find((a) => a.SubnetId.Ref === subnet)?.RouteTableId.Ref;
      const route = routes.find((r) => r.RouteTableId.Ref === table && r.DestinationCidrBlock === '0.0.0.0/0');
      t.deepEqual(route?.NatGatewayId, { Ref: `NatGateway${zone.suffix}` }, subnet);
    }
    t.deepEqual(props(`NatGateway${zone.suffix}`)['SubnetId'], { Ref: `PublicSubnet${zone.suffix}` });
  }
});

test('only the load balancer listener ports are open to the internet', (t) => {
  const listenerPorts = Object.values(LISTENER_PORTS) as number[];
  for (const { name, template: resolved } of resolvedVariants()) {
    const rules = [
      ...Object.entries(resolved.Resources).flatMap(([id, r]) =>
        r.Type === 'AWS::EC2::SecurityGroup'
          ? ((r.Properties?.['SecurityGroupIngress'] ?? []) as Array<{ [key: string]: Json }>).map((rule) => ({ id, rule }))
          : [],
      ),
      ...Object.entries(resolved.Resources).flatMap(([id, r]) =>
        r.Type === 'AWS::EC2::SecurityGroupIngress' ? [{ id, rule: r.Properties as { [key: string]: Json } }] : [],
      ),
    ];
    const open = rules.filter(({ rule }) => rule['CidrIp'] === '0.0.0.0/0' || rule['CidrIpv6'] === '::/0');
    t.true(open.length > 0, name);
    for (const { id, rule } of open) {
      t.is(id, 'LoadBalancerSecurityGroup', `${name}: ${id}`);
      t.is(rule['FromPort'], rule['ToPort']);
      t.true(listenerPorts.includes(rule['FromPort'] as number), `${name}: port ${textOf(rule['FromPort'])}`);
    }
  }
});

test('with a certificate nothing answers in the clear: an NLB has no port 80, an ALB only redirects it to HTTPS', (t) => {
  const withCertificate = resolvedVariants().filter(({ name }) => /TLS|HTTPS/.test(name));
  t.is(withCertificate.length, 2);
  for (const { name, template: resolved } of withCertificate) {
    const listeners = Object.values(resolved.Resources).filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener');
    const plain = listeners.filter((r) => r.Properties?.['Port'] === LISTENER_PORTS.plain);
    const ingress = resolved.Resources['LoadBalancerSecurityGroup']?.Properties?.['SecurityGroupIngress'] as Array<{ [key: string]: Json }>;
    const isAlb = name.startsWith('ALB');
    t.deepEqual(
      plain.map((r) => (r.Properties?.['DefaultActions'] as Array<{ [key: string]: Json }>).map((action) => action['Type'])),
      isAlb ? [['redirect']] : [],
      name,
    );
    t.is(
      ingress.some((rule) => rule['FromPort'] === LISTENER_PORTS.plain),
      isAlb,
      `${name}: port ${LISTENER_PORTS.plain} open to the internet`,
    );
  }
});

test('no IAM resource is given a name, so the deploy needs only CAPABILITY_IAM and two stacks never collide', (t) => {
  const NAME_PROPERTIES = ['RoleName', 'ManagedPolicyName', 'InstanceProfileName', 'UserName', 'GroupName'];
  const iam = Object.entries(resources).filter(([, r]) => r.Type.startsWith('AWS::IAM::'));
  t.true(iam.length > 0);
  for (const [id, r] of iam)
    t.deepEqual(
      NAME_PROPERTIES.filter((name) => name in (r.Properties ?? {})),
      [],
      id,
    );
});

test('the table is built from TABLE_DEFINITION, on demand, recoverable, encrypted and retained', (t) => {
  const schema = tableSchema(TABLE_DEFINITION);
  for (const id of ['Table', 'GlobalTable']) {
    const table = props(id);
    t.deepEqual(table['KeySchema'], [
      { AttributeName: TABLE_DEFINITION.key.partition, KeyType: 'HASH' },
      { AttributeName: TABLE_DEFINITION.key.sort, KeyType: 'RANGE' },
    ]);
    t.deepEqual(
      table['AttributeDefinitions'],
      TABLE_DEFINITION.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    );
    t.deepEqual(table['GlobalSecondaryIndexes'], JSON.parse(JSON.stringify(schema)).GlobalSecondaryIndexes);
    t.deepEqual(
      ((table['GlobalSecondaryIndexes'] ?? []) as Array<{ IndexName: string }>).map((index) => index.IndexName),
      TABLE_DEFINITION.globalIndexes.map((index) => index.name),
    );
    t.is(table['BillingMode'], 'PAY_PER_REQUEST');
    t.like(table['SSESpecification'], { SSEEnabled: true });
    t.is(resources[id]?.['DeletionPolicy'], 'Retain');
    t.is(resources[id]?.['UpdateReplacePolicy'], 'Retain');
  }
  t.deepEqual(props('Table')['PointInTimeRecoverySpecification'], { PointInTimeRecoveryEnabled: true });
  t.true(props('Table')['DeletionProtectionEnabled']);
  for (const replica of props('GlobalTable')['Replicas'] as Array<{ [key: string]: Json }>) {
    t.deepEqual(replica['PointInTimeRecoverySpecification'], { PointInTimeRecoveryEnabled: true });
    t.true(replica['DeletionProtectionEnabled']);
  }
});

test('exactly one of the two table resources exists in every variant', (t) => {
  for (const { name, template: resolved } of resolvedVariants()) {
    const tables = Object.values(resolved.Resources).filter(
      (r) => r.Type === 'AWS::DynamoDB::Table' || r.Type === 'AWS::DynamoDB::GlobalTable',
    );
    t.is(tables.length, 1, name);
    t.deepEqual(
      referencedNames(resolved.Resources as unknown as Json).filter((n) => !(n in resolved.Resources) && !known.has(n)),
      [],
      name,
    );
  }
});

test('every jump host resource carries the condition, so none exists by default', (t) => {
  const jumpHostIds = Object.keys(resources).filter((id) => id.startsWith('JumpHost'));
  t.true(jumpHostIds.includes('JumpHostLaunchTemplate') && jumpHostIds.includes('JumpHostAz1') && jumpHostIds.includes('JumpHostAz2'));
  for (const id of jumpHostIds) t.is(resources[id]?.Condition, 'JumpHostEnabled', id);
  const [defaults] = resolvedVariants();
  t.deepEqual(
    Object.keys(defaults?.template.Resources ?? {}).filter((id) => id.startsWith('JumpHost')),
    [],
  );
  t.is(template.Parameters['JumpHostSshCidr']?.Default, '', 'no default range: the user must give one');
});

test('the jump hosts require IMDSv2, encrypt their volume and run the image the parameter pins', (t) => {
  const data = props('JumpHostLaunchTemplate')['LaunchTemplateData'] as { [key: string]: Json };
  t.like(data['MetadataOptions'], { HttpTokens: 'required' });
  t.like((data['BlockDeviceMappings'] as Array<{ Ebs: object }>)[0]?.Ebs ?? {}, { Encrypted: true });
  t.deepEqual(data['ImageId'], { Ref: 'JumpHostAmiId' });
  const ami = template.Parameters['JumpHostAmiId'];
  t.is(ami?.Type, 'String', 'a plain value, resolved only when someone changes it');
  t.is(ami?.Default, '');
  t.deepEqual(
    Object.entries(template.Parameters)
      .filter(([, parameter]) => parameter.Type.startsWith('AWS::SSM::'))
      .map(([name]) => name),
    [],
    'no parameter resolves anew from SSM on every stack update',
  );
  const amiPattern = new RegExp(String(ami?.AllowedPattern));
  t.true(amiPattern.test('ami-0123456789abcdef0'));
  t.false(amiPattern.test('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'));
  const pattern = new RegExp(String(template.Parameters['JumpHostSshCidr']?.AllowedPattern));
  t.true(pattern.test('203.0.113.0/24'));
  t.false(pattern.test('0.0.0.0/0'));
});

test('turning the jump hosts on without an SSH range or an image is refused before anything is created', (t) => {
  const rule = (template['Rules'] as { [name: string]: { RuleCondition: Json; Assertions: Array<{ Assert: Json }> } })[
    'JumpHostNeedsSshCidrAndAmi'
  ];
  t.deepEqual(rule?.RuleCondition, { 'Fn::Equals': [{ Ref: 'EnableJumpHost' }, 'true'] });
  t.deepEqual(
    rule?.Assertions.map((assertion) => assertion.Assert),
    ['JumpHostSshCidr', 'JumpHostAmiId'].map((name) => ({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: name }, ''] }] })),
  );
});

test('the API service runs in the app subnets without public IPs, rolls back failed deployments and scales on CPU', (t) => {
  const service = props('ApiService');
  t.like(service['NetworkConfiguration'], {
    AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: ZONES.map((z) => ({ Ref: `AppSubnet${z.suffix}` })) },
  });
  t.like(service['DeploymentConfiguration'], { DeploymentCircuitBreaker: { Enable: true, Rollback: true } });
  t.true((template.Parameters['MinTasks']?.MinValue ?? 0) >= 2);
  const [[, policy] = []] = ofType('AWS::ApplicationAutoScaling::ScalingPolicy');
  t.like(policy?.Properties ?? {}, { PolicyType: 'TargetTrackingScaling' });
});

test('API tasks do not poll; the scheduled poller runs poll-once from the same image', (t) => {
  const env = (id: string) =>
    Object.fromEntries(
      ((props(id)['ContainerDefinitions'] as Array<{ Environment: Array<{ Name: string; Value: Json }> }>)[0]?.Environment ?? []).map(
        (e) => [e.Name, e.Value],
      ),
    );
  t.is(env('ApiTaskDefinition')['POLL_INTERVAL_SECONDS'], '0');
  t.is(env('ApiTaskDefinition')['HOST'], '0.0.0.0');
  const poller = (props('PollerTaskDefinition')['ContainerDefinitions'] as Array<{ Command: string[]; Image: Json }>)[0];
  t.deepEqual(poller?.Command, ['node', 'dist/adapters/runtime/poll-once.js']);
  t.deepEqual(poller?.Image, { Ref: 'ImageUri' });
});

test("each task's settings pass the service's own checks: the API's /metrics asks for the admin key it holds; the poller, which holds none, leaves it alone", (t) => {
  // What the template leaves to CloudFormation, resolved as a deployment would (the default parameters).
  const resolved: Record<string, string> = { TABLE_NAME: 'crowd', EVENT_BUS_NAME: 'crowd-bus', LOG_LEVEL: 'info', TRUSTED_PROXY_HOPS: '0' };
  const settingsOf = (id: string) => {
    const [container] = props(id)['ContainerDefinitions'] as Array<{
      Environment: Array<{ Name: string; Value: Json }>;
      Secrets?: Array<{ Name: string }>;
    }>;
    const environment = (container?.Environment ?? []).flatMap(({ Name, Value }) => {
      const value = typeof Value === 'string' ? Value : resolved[Name];
      return value === undefined ? [] : [[Name, value]];
    });
    // Secrets Manager generates 48 letters and digits for each.
    const secrets = (container?.Secrets ?? []).map(({ Name }) => [Name, 'a1'.repeat(24)]);
    return Object.fromEntries([...environment, ...secrets]) as Record<string, string>;
  };
  const api = loadConfig(settingsOf('ApiTaskDefinition'));
  t.true(api.metricsNeedAdminKey);
  t.not(api.adminApiKey, null);
  const poller = loadConfig(settingsOf('PollerTaskDefinition'));
  t.false(poller.metricsNeedAdminKey);
  t.is(poller.adminApiKey, null);
});

test('the poller runs every PollIntervalMinutes, five by default', (t) => {
  t.is(template.Parameters['PollIntervalMinutes']?.Default, '5');
  const [defaults] = resolvedVariants();
  t.deepEqual(props('PollerSchedule')['ScheduleExpression'], {
    'Fn::FindInMap': ['PollIntervals', { Ref: 'PollIntervalMinutes' }, 'Schedule'],
  });
  t.is(template.Mappings?.['PollIntervals']?.['5']?.['Schedule'], 'rate(5 minutes)');
  t.is((defaults?.template.Resources['PollerSchedule']?.Properties as { ScheduleExpression: Json }).ScheduleExpression, 'rate(5 minutes)');
  for (const minutes of (template.Parameters['PollIntervalMinutes']?.AllowedValues ?? []).map(String)) {
    t.is(template.Mappings?.['PollIntervals']?.[minutes]?.['Schedule'], `rate(${minutes} minutes)`, minutes);
  }
});

test('the scheduler may run any revision of the poller family, and pass only its two roles', (t) => {
  const statements =
    (
      props('PollerSchedulerRole')['Policies'] as Array<{
        PolicyDocument: { Statement: Array<{ Action: string[]; Resource: Json[]; Condition?: Json }> };
      }>
    )[0]?.PolicyDocument.Statement ?? [];
  const runTask = statements.find((s) => s.Action.includes('ecs:RunTask'));
  t.deepEqual(runTask?.Resource, [
    { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/${AWS::StackName}-poller:*' },
  ]);
  t.deepEqual(props('PollerTaskDefinition')['Family'], { 'Fn::Sub': '${AWS::StackName}-poller' }, 'the family the statement names');
  t.deepEqual(runTask?.Condition, { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': ['Cluster', 'Arn'] } } });
  t.deepEqual(statements.find((s) => s.Action.includes('iam:PassRole'))?.Resource, [
    { 'Fn::GetAtt': ['TaskRole', 'Arn'] },
    { 'Fn::GetAtt': ['TaskExecutionRole', 'Arn'] },
  ]);
});

test('a poller start that fails is retried a bounded number of times within half an interval, then left in the encrypted dead-letter queue', (t) => {
  const target = props('PollerSchedule')['Target'] as {
    RetryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: Json };
    DeadLetterConfig: Json;
  };
  t.true(target.RetryPolicy.MaximumRetryAttempts > 0 && target.RetryPolicy.MaximumRetryAttempts <= 3);
  t.deepEqual(target.RetryPolicy.MaximumEventAgeInSeconds, {
    'Fn::FindInMap': ['PollIntervals', { Ref: 'PollIntervalMinutes' }, 'RetryWindowSeconds'],
  });
  for (const [minutes, row] of Object.entries(template.Mappings?.['PollIntervals'] ?? {})) {
    const window = row['RetryWindowSeconds'] as number;
    t.true(window >= 60 && window <= Math.max(60, Number(minutes) * 30), `${minutes} minutes: ${window} s`);
  }
  t.deepEqual(target.DeadLetterConfig, { Arn: { 'Fn::GetAtt': ['PollerDeadLetterQueue', 'Arn'] } });
  t.is(resources['PollerDeadLetterQueue']?.Type, 'AWS::SQS::Queue');
  t.deepEqual(props('PollerDeadLetterQueue')['KmsMasterKeyId'], { Ref: 'OperationsKey' });
  const statements =
    (props('PollerSchedulerRole')['Policies'] as Array<{ PolicyDocument: { Statement: Array<{ Action: string[]; Resource: Json[] }> } }>)[0]
      ?.PolicyDocument.Statement ?? [];
  t.deepEqual(statements.find((s) => s.Action.includes('sqs:SendMessage'))?.Resource, [{ 'Fn::GetAtt': ['PollerDeadLetterQueue', 'Arn'] }]);
  t.deepEqual(statements.find((s) => s.Action.includes('kms:GenerateDataKey'))?.Resource, [{ 'Fn::GetAtt': ['OperationsKey', 'Arn'] }]);
});

test('the tasks read their keys from generated secrets, which only the execution role may read: the API all three, the poller the webhook key', (t) => {
  const containerOf = (id: string) =>
    (props(id)['ContainerDefinitions'] as Array<{ Secrets?: Json; Environment: Array<{ Name: string }> }>)[0];
  const api = containerOf('ApiTaskDefinition');
  const poller = containerOf('PollerTaskDefinition');
  t.deepEqual(api?.Secrets, [
    { Name: 'ADMIN_API_KEY', ValueFrom: { Ref: 'AdminApiKeySecret' } },
    { Name: 'CURSOR_SECRET', ValueFrom: { Ref: 'CursorSecret' } },
    { Name: 'WEBHOOK_SECRET_KEY', ValueFrom: { Ref: 'WebhookSecretKey' } },
  ]);
  t.deepEqual(poller?.Secrets, [{ Name: 'WEBHOOK_SECRET_KEY', ValueFrom: { Ref: 'WebhookSecretKey' } }]);
  const secretNames = ['ADMIN_API_KEY', 'CURSOR_SECRET', 'WEBHOOK_SECRET_KEY'];
  for (const task of [api, poller])
    t.false(
      task?.Environment.some((e) => secretNames.includes(e.Name)),
      'never as plain environment',
    );
  for (const id of ['AdminApiKeySecret', 'CursorSecret', 'WebhookSecretKey'])
    t.like(props(id), { GenerateSecretString: { ExcludePunctuation: true, IncludeSpace: false } });

  const readers = Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Role' && JSON.stringify(resource.Properties).includes('secretsmanager:'))
    .map(([id]) => id);
  t.deepEqual(readers, ['TaskExecutionRole']);
  const statement = (props('TaskExecutionRole')['Policies'] as Array<{ PolicyDocument: { Statement: Json[] } }>)[0]?.PolicyDocument
    .Statement[0];
  t.like(statement, {
    Action: ['secretsmanager:GetSecretValue'],
    Resource: [{ Ref: 'AdminApiKeySecret' }, { Ref: 'CursorSecret' }, { Ref: 'WebhookSecretKey' }],
  });
});

test('every log group has a retention period', (t) => {
  for (const [id, group] of ofType('AWS::Logs::LogGroup')) t.truthy(group.Properties?.['RetentionInDays'], id);
});

test('the outputs name the API URL, table, event bus, cluster and admin key secret', (t) => {
  for (const name of ['ApiUrl', 'TableName', 'EventBusName', 'ClusterName', 'AdminApiKeySecretArn'])
    t.truthy(template.Outputs?.[name], name);
});

test('the compact template fits the 1 MB CloudFormation takes through S3 (it is over the 51,200-byte inline limit, so deploy.sh needs --s3-bucket)', (t) => {
  const bytes = Buffer.byteLength(JSON.stringify(JSON.parse(synthesize())));
  t.true(bytes > INLINE_TEMPLATE_LIMIT, 'if it fits inline again, docs/deploy.md can drop --s3-bucket');
  t.true(bytes < S3_TEMPLATE_LIMIT);
});
