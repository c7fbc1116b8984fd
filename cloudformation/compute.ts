import { EC2, ECS, Fn, IAM, Refs } from './cloudform.js';
import type { IntrinsicFunction } from './cloudform.js';
import { DYNAMODB_ACTIONS, EVENTBRIDGE_ACTIONS } from './adapter-actions.js';
import { assumedBy } from './assume-role-policy.js';
import type { StackConditions } from './conditions.js';
import { sub, when } from './intrinsics.js';
import type { Layer } from './layer.js';
import { logGroup } from './log-group.js';
import { nameTags } from './name-tags.js';
import type { StackParameters } from './parameters.js';
import { ResourceHandle } from './resource-handle.js';
import { HTTPS_OUT } from './security-group-rules.js';
import type { TaskSettings } from './task-definition.js';

/** The port the API listens on in its tasks. */
const API_PORT = 3000;

export interface ComputeInput {
  readonly parameters: Pick<StackParameters, 'ImageUri' | 'TaskSize' | 'LogLevel' | 'SpaceoutUrl' | 'LogRetentionDays'>;
  readonly conditions: Pick<StackConditions, 'IsApplicationLoadBalancer' | 'HasSpaceoutUrl'>;
  readonly vpc: ResourceHandle;
  readonly logsKey: ResourceHandle<'Arn'>;
  readonly operationsKey: ResourceHandle<'Arn'>;
  readonly table: { readonly name: IntrinsicFunction; readonly arn: IntrinsicFunction; readonly indexesArn: IntrinsicFunction };
  readonly eventBus: ResourceHandle<'Arn'>;
  readonly readApiSecretsPolicy: { readonly PolicyName: string; readonly PolicyDocument: object };
}

export interface ComputeOutputs {
  /** Ref is the cluster's name. */
  readonly cluster: ResourceHandle<'Arn'>;
  /** The API tasks' (api/ streams) and the poller's (poller/ streams). */
  readonly serviceLogGroup: ResourceHandle<'Arn'>;
  /** Every ECS Exec session's commands and output. */
  readonly execLogGroup: ResourceHandle<'Arn'>;
  /** Where the API tasks listen: the load balancer sends to this port in this security group. */
  readonly apiTasks: { readonly securityGroup: ResourceHandle<'GroupId'>; readonly port: number };
  readonly tasks: TaskSettings;
}

/** The task role's one policy: exactly what the DynamoDB and EventBridge adapters call, on this table and bus. */
function tableAndBusPolicy(table: ComputeInput['table'], eventBus: ResourceHandle<'Arn'>) {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'CrowdTable', Effect: 'Allow', Action: [...DYNAMODB_ACTIONS], Resource: [table.arn, table.indexesArn] },
      { Sid: 'CrowdEventBus', Effect: 'Allow', Action: [...EVENTBRIDGE_ACTIONS], Resource: [eventBus.getAtt('Arn')] },
    ],
  };
}

/**
 * What the SSM agent that ECS Exec starts inside an API task needs: its session channels (no
 * resource-level permissions exist for them), the key the session is encrypted with, and the
 * log group every session's commands and output are written to.
 */
function execSessionPolicy(operationsKey: ResourceHandle<'Arn'>, execLogGroup: ResourceHandle<'Arn'>) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ExecSessionChannels',
        Effect: 'Allow',
        Action: [
          'ssmmessages:CreateControlChannel',
          'ssmmessages:CreateDataChannel',
          'ssmmessages:OpenControlChannel',
          'ssmmessages:OpenDataChannel',
        ],
        Resource: '*',
      },
      { Sid: 'ExecSessionKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: operationsKey.getAtt('Arn') },
      { Sid: 'ExecSessionLogGroupLookup', Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: '*' },
      {
        Sid: 'ExecSessionLog',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: execLogGroup.getAtt('Arn'),
      },
    ],
  };
}

/** The service's settings on AWS, the same in the API tasks and the poller. */
function environment({ parameters, conditions, table, eventBus }: ComputeInput) {
  return [
    { Name: 'NODE_ENV', Value: 'production' },
    { Name: 'PORT', Value: String(API_PORT) },
    { Name: 'HOST', Value: '0.0.0.0' },
    { Name: 'TABLE_NAME', Value: table.name },
    { Name: 'EVENT_BUS_NAME', Value: eventBus.ref },
    // No task polls on a timer: EventBridge Scheduler starts the poller task.
    { Name: 'POLL_INTERVAL_SECONDS', Value: '0' },
    { Name: 'LOG_LEVEL', Value: parameters.LogLevel },
    // An ALB puts the client's address in X-Forwarded-For; the NLB preserves it on the socket.
    { Name: 'TRUSTED_PROXY_HOPS', Value: Fn.If(conditions.IsApplicationLoadBalancer, '1', '0') },
    when(conditions.HasSpaceoutUrl, { Name: 'SPACEOUT_URL', Value: parameters.SpaceoutUrl }, Refs.NoValue),
    // The tasks' security groups let them out on these ports only: a webhook on another is refused when created.
    { Name: 'WEBHOOK_PORTS', Value: HTTPS_OUT.map(({ FromPort }) => String(FromPort)).join(',') },
  ];
}

/** ECS cluster with ECS Exec, the log groups, the API tasks' security group, and the roles every task runs with. */
export function computeLayer(input: ComputeInput): Layer<ComputeOutputs> {
  const { parameters, vpc, operationsKey } = input;
  const cluster = new ResourceHandle<'Arn'>('Cluster');
  const serviceLogGroup = new ResourceHandle<'Arn'>('ServiceLogGroup');
  const execLogGroup = new ResourceHandle<'Arn'>('ExecLogGroup');
  const apiSecurityGroup = new ResourceHandle<'GroupId'>('AppSecurityGroup');
  const executionRole = new ResourceHandle<'Arn'>('TaskExecutionRole');
  const taskRole = new ResourceHandle<'Arn'>('TaskRole');
  const logGroupSettings = { retentionDays: parameters.LogRetentionDays, key: input.logsKey };
  const resources = {
    [cluster.logicalId]: new ECS.Cluster({
      ClusterName: sub('${AWS::StackName}'),
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      Configuration: {
        // ECS Exec sessions are encrypted with the operations key on top of TLS, and every
        // command and its output is logged.
        ExecuteCommandConfiguration: {
          KmsKeyId: operationsKey.ref,
          Logging: 'OVERRIDE',
          LogConfiguration: { CloudWatchLogGroupName: execLogGroup.ref, CloudWatchEncryptionEnabled: true },
        },
      },
    }),
    [serviceLogGroup.logicalId]: logGroup('/ecs/${AWS::StackName}', logGroupSettings),
    [execLogGroup.logicalId]: logGroup('/ecs/${AWS::StackName}-exec', logGroupSettings),
    // Its ingress from the load balancer is declared by the load balancing layer, beside the load balancer's group.
    [apiSecurityGroup.logicalId]: new EC2.SecurityGroup({
      GroupDescription: 'API tasks: from the load balancer on the container port; HTTPS out',
      VpcId: vpc.ref,
      SecurityGroupEgress: HTTPS_OUT,
      Tags: nameTags('app'),
    }),
    [executionRole.logicalId]: new IAM.Role({
      Description: 'Pulls the image, writes container logs and hands the tasks their secrets',
      AssumeRolePolicyDocument: assumedBy('ecs-tasks.amazonaws.com'),
      ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy')],
      Policies: [input.readApiSecretsPolicy],
    }),
    [taskRole.logicalId]: new IAM.Role({
      Description: 'What the service itself may do: its table and its event bus; and answer ECS Exec sessions',
      AssumeRolePolicyDocument: assumedBy('ecs-tasks.amazonaws.com'),
      Policies: [
        { PolicyName: 'crowd-table-and-bus', PolicyDocument: tableAndBusPolicy(input.table, input.eventBus) },
        { PolicyName: 'ecs-exec-sessions', PolicyDocument: execSessionPolicy(operationsKey, execLogGroup) },
      ],
    }),
  };
  const tasks = {
    image: parameters.ImageUri,
    size: parameters.TaskSize,
    logGroup: serviceLogGroup,
    taskRole,
    executionRole,
    environment: environment(input),
  };
  return {
    resources,
    outputs: { cluster, serviceLogGroup, execLogGroup, apiTasks: { securityGroup: apiSecurityGroup, port: API_PORT }, tasks },
  };
}
