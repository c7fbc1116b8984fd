import { ApplicationAutoScaling, EC2, ECS, Fn, IAM, Refs } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { DYNAMODB_ACTIONS, EVENTBRIDGE_ACTIONS } from './adapter-actions.js';
import { D, tableArn, tableIndexesArn, tableName } from './data.js';
import { eventBusArn, eventBusName } from './events.js';
import { nameTags, sub } from './intrinsics.js';
import { K, operationsKeyArn } from './keys.js';
import { APP_INGRESS_FROM_LB, APP_SECURITY_GROUP, CONTAINER_PORT, LB } from './load-balancing.js';
import { logGroup } from './logging.js';
import { appSubnetEgress, appSubnetIds, N } from './network.js';
import { C, P, TASK_SIZES } from './parameters.js';
import { apiContainerSecrets, readApiSecretsPolicy } from './secrets.js';

export const X = {
  cluster: 'Cluster',
  logGroup: 'ServiceLogGroup',
  execLogGroup: 'ExecLogGroup',
  executionRole: 'TaskExecutionRole',
  taskRole: 'TaskRole',
  apiTaskDefinition: 'ApiTaskDefinition',
  apiService: 'ApiService',
  scalableTarget: 'ApiScalableTarget',
  scalingPolicy: 'ApiCpuScalingPolicy',
} as const;

export const TASK_SIZE_MAPPING = 'TaskSizes';
export const API_CONTAINER = 'api';
/** The `node` user of the official Node.js images; the Dockerfile runs as it too. */
export const CONTAINER_USER = '1000:1000';
/** Each task writes its log lines into this buffer and never waits for CloudWatch Logs; lines beyond it are dropped. */
export const LOG_BUFFER_SIZE = '25m';

const taskSize = (key: 'cpu' | 'memory') => Fn.FindInMap(TASK_SIZE_MAPPING, Fn.Ref(P.taskSize), key);

export const taskSizeMapping = Object.fromEntries(Object.entries(TASK_SIZES).map(([size, { cpu, memory }]) => [size, { cpu, memory }]));

/** `<stack>-api`, `<stack>-poller`: task definition families, one per kind of task. */
export const taskFamily = (name: string) => `\${AWS::StackName}-${name}`;

export const clusterArn = Fn.GetAtt(X.cluster, 'Arn');

export function environment(pollIntervalSeconds: string) {
  return [
    { Name: 'NODE_ENV', Value: 'production' },
    { Name: 'PORT', Value: String(CONTAINER_PORT) },
    { Name: 'HOST', Value: '0.0.0.0' },
    { Name: 'TABLE_NAME', Value: tableName },
    { Name: 'EVENT_BUS_NAME', Value: eventBusName },
    { Name: 'POLL_INTERVAL_SECONDS', Value: pollIntervalSeconds },
    { Name: 'LOG_LEVEL', Value: Fn.Ref(P.logLevel) },
    // An ALB puts the client's address in X-Forwarded-For; the NLB preserves it on the socket.
    { Name: 'TRUSTED_PROXY_HOPS', Value: Fn.If(C.isAlb, '1', '0') },
    Fn.If(C.hasSpaceoutUrl, { Name: 'SPACEOUT_URL', Value: Fn.Ref(P.spaceoutUrl) }, Refs.NoValue),
  ];
}

export function container(name: string, streamPrefix: string, extra: Record<string, unknown>) {
  return {
    Name: name,
    Image: Fn.Ref(P.imageUri),
    Essential: true,
    User: CONTAINER_USER,
    ReadonlyRootFilesystem: true,
    Memory: taskSize('memory'),
    LogConfiguration: {
      LogDriver: 'awslogs',
      Options: {
        'awslogs-group': Fn.Ref(X.logGroup),
        'awslogs-region': Refs.Region,
        'awslogs-stream-prefix': streamPrefix,
        // In blocking mode a slow CloudWatch Logs stalls every write to stdout, and with it
        // Node's event loop and every request.
        mode: 'non-blocking',
        'max-buffer-size': LOG_BUFFER_SIZE,
      },
    },
    ...extra,
  };
}

export function taskDefinition(family: string, containerDefinition: ReturnType<typeof container>, volumes: Array<{ Name: string }> = []): Resource {
  return new ECS.TaskDefinition({
    Family: sub(taskFamily(family)),
    RequiresCompatibilities: ['FARGATE'],
    NetworkMode: 'awsvpc',
    Cpu: taskSize('cpu'),
    Memory: taskSize('memory'),
    RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64' },
    ExecutionRoleArn: Fn.GetAtt(X.executionRole, 'Arn'),
    TaskRoleArn: Fn.GetAtt(X.taskRole, 'Arn'),
    ContainerDefinitions: [containerDefinition],
    ...(volumes.length > 0 ? { Volumes: volumes } : {}),
  });
}

export const assumedBy = (service: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': Refs.AccountId } },
    },
  ],
});

/** The task role's one policy: exactly what the DynamoDB and EventBridge adapters call, on this table and bus. */
export function taskRolePolicy() {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'CrowdTable', Effect: 'Allow', Action: [...DYNAMODB_ACTIONS], Resource: [tableArn, tableIndexesArn] },
      { Sid: 'CrowdEventBus', Effect: 'Allow', Action: [...EVENTBRIDGE_ACTIONS], Resource: [eventBusArn] },
    ],
  };
}

/**
 * What the SSM agent that ECS Exec starts inside an API task needs: its session channels (no
 * resource-level permissions exist for them), the key the session is encrypted with, and the
 * log group every session's commands and output are written to.
 */
export function execSessionPolicy() {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ExecSessionChannels',
        Effect: 'Allow',
        Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
        Resource: '*',
      },
      { Sid: 'ExecSessionKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: operationsKeyArn },
      { Sid: 'ExecSessionLogGroupLookup', Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: '*' },
      {
        Sid: 'ExecSessionLog',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: Fn.GetAtt(X.execLogGroup, 'Arn'),
      },
    ],
  };
}

function roles(): Record<string, Resource> {
  return {
    [X.executionRole]: new IAM.Role({
      Description: 'Pulls the image, writes container logs and hands the API its two secrets',
      AssumeRolePolicyDocument: assumedBy('ecs-tasks.amazonaws.com'),
      ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy')],
      Policies: [readApiSecretsPolicy],
    }),
    [X.taskRole]: new IAM.Role({
      Description: 'What the service itself may do: its table and its event bus; and answer ECS Exec sessions',
      AssumeRolePolicyDocument: assumedBy('ecs-tasks.amazonaws.com'),
      Policies: [
        { PolicyName: 'crowd-table-and-bus', PolicyDocument: taskRolePolicy() },
        { PolicyName: 'ecs-exec-sessions', PolicyDocument: execSessionPolicy() },
      ],
    }),
  };
}

/** Tasks start only once they can reach AWS and the bus: routes out, and the EventBridge endpoint. */
export const reachability = [...appSubnetEgress, D.eventsEndpoint];

/**
 * Where the SSM agent of ECS Exec keeps its state and logs. The root filesystem is read-only,
 * and the agent fails to start without these two writable paths (aws/containers-roadmap#1359);
 * they are task-scoped scratch volumes, gone with the task.
 */
const EXEC_AGENT_PATHS = [
  { volume: 'exec-agent-state', path: '/var/lib/amazon' },
  { volume: 'exec-agent-logs', path: '/var/log/amazon' },
] as const;

function apiService(): Record<string, Resource> {
  return {
    [X.apiTaskDefinition]: taskDefinition(
      'api',
      container(API_CONTAINER, 'api', {
        Environment: environment('0'),
        Secrets: apiContainerSecrets,
        PortMappings: [{ ContainerPort: CONTAINER_PORT, Protocol: 'tcp' }],
        MountPoints: EXEC_AGENT_PATHS.map(({ volume, path }) => ({ SourceVolume: volume, ContainerPath: path, ReadOnly: false })),
        HealthCheck: {
          Command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${CONTAINER_PORT}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
          Interval: 30,
          Timeout: 5,
          Retries: 3,
          StartPeriod: 15,
        },
      }),
      EXEC_AGENT_PATHS.map(({ volume }) => ({ Name: volume })),
    ),
    [X.apiService]: new ECS.Service({
      Cluster: Fn.Ref(X.cluster),
      TaskDefinition: Fn.Ref(X.apiTaskDefinition),
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      // No DesiredCount: auto scaling owns the count. With one, every deployment of a new image
      // would set a scaled-out service back to it. ECS starts a new service with one task, and
      // registering the scalable target raises that to MinTasks at once.
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      },
      HealthCheckGracePeriodSeconds: 60,
      EnableExecuteCommand: true,
      NetworkConfiguration: {
        AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: appSubnetIds, SecurityGroups: [Fn.GetAtt(APP_SECURITY_GROUP, 'GroupId')] },
      },
      LoadBalancers: [{ ContainerName: API_CONTAINER, ContainerPort: CONTAINER_PORT, TargetGroupArn: Fn.Ref(LB.targetGroup) }],
      PropagateTags: 'SERVICE',
      EnableECSManagedTags: true,
      // The service may only start once a listener forwards to its target group: the TLS
      // listener when there is a certificate (with an ALB the plain one then redirects), else
      // the plain one. DependsOn cannot name a conditional resource; referencing the listener
      // through Fn::If orders the two all the same.
      Tags: [{ Key: 'forwarding-listener', Value: Fn.If(C.hasCertificate, Fn.Ref(LB.tlsListener), Fn.Ref(LB.plainListener)) }],
    }).dependsOn([APP_INGRESS_FROM_LB, ...reachability]),
    [X.scalableTarget]: new ApplicationAutoScaling.ScalableTarget({
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceId: sub(`service/\${${X.cluster}}/\${${X.apiService}.Name}`),
      MinCapacity: Fn.Ref(P.minTasks),
      MaxCapacity: Fn.Ref(P.maxTasks),
      RoleARN: sub(
        'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
      ),
    }),
    [X.scalingPolicy]: new ApplicationAutoScaling.ScalingPolicy({
      PolicyName: sub('${AWS::StackName}-api-cpu'),
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: Fn.Ref(X.scalableTarget),
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: Fn.Ref(P.cpuTargetPercent),
        ScaleOutCooldown: 60,
        ScaleInCooldown: 180,
      },
    }),
  };
}

/** Upstream, AWS APIs and DynamoDB (through the gateway endpoint) are all HTTPS. */
export const HTTPS_OUT = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'HTTPS: upstream, AWS APIs, DynamoDB' }];

/** ECS cluster with ECS Exec, the API service with auto scaling, the task roles and the logs. */
export function computeLayer(): Record<string, Resource> {
  return {
    [X.cluster]: new ECS.Cluster({
      ClusterName: sub('${AWS::StackName}'),
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      Configuration: {
        // ECS Exec sessions are encrypted with the operations key on top of TLS, and every
        // command and its output is logged.
        ExecuteCommandConfiguration: {
          KmsKeyId: Fn.Ref(K.operationsKey),
          Logging: 'OVERRIDE',
          LogConfiguration: { CloudWatchLogGroupName: Fn.Ref(X.execLogGroup), CloudWatchEncryptionEnabled: true },
        },
      },
    }),
    [X.logGroup]: logGroup('/ecs/${AWS::StackName}'),
    [X.execLogGroup]: logGroup('/ecs/${AWS::StackName}-exec'),
    [APP_SECURITY_GROUP]: new EC2.SecurityGroup({
      GroupDescription: 'API tasks: from the load balancer on the container port; HTTPS out',
      VpcId: Fn.Ref(N.vpc),
      SecurityGroupEgress: HTTPS_OUT,
      Tags: nameTags('app'),
    }),
    ...roles(),
    ...apiService(),
  };
}
