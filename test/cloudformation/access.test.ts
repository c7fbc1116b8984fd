import test from 'ava';
import { readFileSync } from 'node:fs';
import { OPERATOR_POLICY_NAME } from '../../cloudformation/access.js';
import type { Json } from './support/resolve-template.js';
import { synthesizedTemplate } from './support/synthesized.js';

const template = synthesizedTemplate();
const resources = template.Resources;
const props = (id: string) => resources[id]?.Properties as { [key: string]: Json };

interface Statement {
  readonly Sid: string;
  readonly Action: string[];
  readonly Resource: Json;
  readonly Condition?: Json;
}

function policy(roleId: string, name: string): Statement[] {
  const policies = props(roleId)['Policies'] as unknown as Array<{ PolicyName: string; PolicyDocument: { Statement: Statement[] } }>;
  return policies.find((p) => p.PolicyName === name)?.PolicyDocument.Statement ?? [];
}
const operator = policy('JumpHostRole', OPERATOR_POLICY_NAME);
const statement = (sid: string) => operator.find((s) => s.Sid === sid);

test('ECS Exec is on for the API service, its sessions encrypted with the operations key and recorded in an encrypted log group', (t) => {
  t.is(props('ApiService')['EnableExecuteCommand'], true);
  t.deepEqual((props('Cluster')['Configuration'] as { ExecuteCommandConfiguration: Json }).ExecuteCommandConfiguration, {
    KmsKeyId: { Ref: 'OperationsKey' },
    Logging: 'OVERRIDE',
    LogConfiguration: { CloudWatchLogGroupName: { Ref: 'ExecLogGroup' }, CloudWatchEncryptionEnabled: true },
  });
  t.deepEqual(props('ExecLogGroup')['KmsKeyId'], { 'Fn::GetAtt': ['LogsKey', 'Arn'] });
});

test('the exec agent gets writable scratch paths while the root filesystem stays read-only', (t) => {
  const [api] = props('ApiTaskDefinition')['ContainerDefinitions'] as Array<{
    ReadonlyRootFilesystem: boolean;
    MountPoints: Array<{ SourceVolume: string; ContainerPath: string; ReadOnly: boolean }>;
  }>;
  t.true(api?.ReadonlyRootFilesystem);
  t.deepEqual(
    api?.MountPoints.map((m) => m.ContainerPath),
    ['/var/lib/amazon', '/var/log/amazon'],
  );
  t.deepEqual(
    (props('ApiTaskDefinition')['Volumes'] as Array<{ Name: string }>).map((v) => v.Name),
    api?.MountPoints.map((m) => m.SourceVolume),
    'task-scoped volumes, no host path, no EFS',
  );
});

test('the task role answers exec sessions with the session channels, the key and the exec log group', (t) => {
  const exec = policy('TaskRole', 'ecs-exec-sessions');
  const bySid = Object.fromEntries(exec.map((s) => [s.Sid, s]));
  t.deepEqual(bySid['ExecSessionChannels']?.Action, [
    'ssmmessages:CreateControlChannel',
    'ssmmessages:CreateDataChannel',
    'ssmmessages:OpenControlChannel',
    'ssmmessages:OpenDataChannel',
  ]);
  t.deepEqual(bySid['ExecSessionKey']?.Resource, { 'Fn::GetAtt': ['OperationsKey', 'Arn'] });
  t.deepEqual(bySid['ExecSessionLog']?.Resource, { 'Fn::GetAtt': ['ExecLogGroup', 'Arn'] });
  t.deepEqual(
    exec.filter((s) => s.Resource === '*').flatMap((s) => s.Action),
    [
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
      'logs:DescribeLogGroups',
    ],
    'only actions that take no resource are granted on *',
  );
});

test('an operator on the jump host may open a shell in the API containers of this cluster, and nowhere else', (t) => {
  t.like(statement('ShellInApiTasks') ?? {}, {
    Action: ['ecs:ExecuteCommand'],
    Resource: [
      { 'Fn::GetAtt': ['Cluster', 'Arn'] },
      { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${Cluster}/*' },
    ],
    Condition: { StringEquals: { 'ecs:container-name': 'api' } },
  });
  t.deepEqual(statement('ExecSessionsAndDeadLetters')?.Resource, { 'Fn::GetAtt': ['OperationsKey', 'Arn'] });
});

test('an operator may read and poll but not deploy, write the table, read secrets or change IAM', (t) => {
  const actions = operator.flatMap((s) => s.Action);
  const forbidden = actions.filter((action) =>
    /^(cloudformation:(Create|Update|Delete|Execute)|ecs:(UpdateService|CreateService|DeleteService|RegisterTaskDefinition)|dynamodb:(Put|Update|Delete|BatchWrite)|secretsmanager:|iam:(?!PassRole$)|kms:(Create|Schedule|Put|Disable))/.test(
      action,
    ),
  );
  t.deepEqual(forbidden, []);
  t.false(
    actions.some((action) => action.endsWith('*')),
    'no wildcard actions',
  );
  t.deepEqual(statement('PollByHandPassPollerRoles')?.Resource, [
    { 'Fn::GetAtt': ['TaskRole', 'Arn'] },
    { 'Fn::GetAtt': ['TaskExecutionRole', 'Arn'] },
  ]);
  const onEverything = operator.filter((s) => s.Resource === '*');
  t.deepEqual(
    onEverything.map((s) => s.Sid),
    ['SeeTheService'],
    'only read-only descriptions that take no resource',
  );
  t.false(onEverything.flatMap((s) => s.Action).some((action) => !/^[a-z]+:(List|Describe|Get)/.test(action)));
});

test('every statement of the operator policy is explained in docs/operations.md', (t) => {
  const runbook = readFileSync('docs/operations.md', 'utf8');
  for (const { Sid } of operator) t.true(runbook.includes(`\`${Sid}\``), Sid);
});

test('the jump host boots with the Session Manager plugin and the names the runbook uses, and nothing a stack update changes', (t) => {
  const userData = (props('JumpHostLaunchTemplate')['LaunchTemplateData'] as { UserData: { 'Fn::Base64': { 'Fn::Sub': string } } })
    .UserData['Fn::Base64']['Fn::Sub'];
  t.regex(userData, /session-manager-plugin\.rpm/);
  t.regex(userData, /export STACK=\$\{AWS::StackName\} CLUSTER=\$\{AWS::StackName\}/);
  const substituted = [...userData.matchAll(/\$\{([^}!]+)\}/g)].map(([, name]) => name);
  t.deepEqual([...new Set(substituted)].sort(), ['AWS::Region', 'AWS::StackName'], 'only what is fixed for the life of the stack');
  t.deepEqual(props('Cluster')['ClusterName'], { 'Fn::Sub': '${AWS::StackName}' }, 'so CLUSTER is the cluster');
});
