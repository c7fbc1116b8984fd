import { ApplicationAutoScaling, EC2, ECS, Fn, IAM, Refs, Scheduler } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { DYNAMODB_ACTIONS, EVENTBRIDGE_ACTIONS } from './adapter-actions.js';
import { D, tableArn, tableIndexesArn, tableName } from './data.js';
import { eventBusArn, eventBusName } from './events.js';
import { nameTags, sub } from './intrinsics.js';
import { APP_INGRESS_FROM_LB, APP_SECURITY_GROUP, CONTAINER_PORT, LB } from './load-balancing.js';
import { logGroup } from './logging.js';
import { appSubnetEgress, appSubnetIds, N } from './network.js';
import { C, P, TASK_SIZES } from './parameters.js';
import { apiContainerSecrets, readApiSecretsPolicy } from './secrets.js';

export const X = {
  cluster: 'Cluster',
  logGroup: 'ServiceLogGroup',
  executionRole: 'TaskExecutionRole',
  taskRole: 'TaskRole',
  apiTaskDefinition: 'ApiTaskDefinition',
  apiService: 'ApiService',
  scalableTarget: 'ApiScalableTarget',
  scalingPolicy: 'ApiCpuScalingPolicy',
  pollerSecurityGroup: 'PollerSecurityGroup',
  pollerTaskDefinition: 'PollerTaskDefinition',
  schedulerRole: 'PollerSchedulerRole',
  // Not 'PollSchedule': CloudFormation refuses a resource named like a parameter.
  pollSchedule: 'PollerSchedule',
} as const;

export const TASK_SIZE_MAPPING = 'TaskSizes';
export const API_CONTAINER = 'api';
export const POLLER_CONTAINER = 'poller';
export const POLL_ONCE_COMMAND = ['node', 'dist/adapters/runtime/poll-once.js'];
/** The `node` user of the official Node.js images; the Dockerfile runs as it too. */
export const CONTAINER_USER = '1000:1000';

const taskSize = (key: 'cpu' | 'memory') => Fn.FindInMap(TASK_SIZE_MAPPING, Fn.Ref(P.taskSize), key);

export const taskSizeMapping = Object.fromEntries(Object.entries(TASK_SIZES).map(([size, { cpu, memory }]) => [size, { cpu, memory }]));

function environment(pollIntervalSeconds: string) {
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

function container(name: string, streamPrefix: string, extra: Record<string, unknown>) {
  return {
    Name: name,
    Image: Fn.Ref(P.imageUri),
    Essential: true,
    User: CONTAINER_USER,
    ReadonlyRootFilesystem: true,
    Memory: taskSize('memory'),
    LogConfiguration: {
      LogDriver: 'awslogs',
      Options: { 'awslogs-group': Fn.Ref(X.logGroup), 'awslogs-region': Refs.Region, 'awslogs-stream-prefix': streamPrefix },
    },
    ...extra,
  };
}

function taskDefinition(family: string, containerDefinition: ReturnType<typeof container>): Resource {
  return new ECS.TaskDefinition({
    Family: sub(`\${AWS::StackName}-${family}`),
    RequiresCompatibilities: ['FARGATE'],
    NetworkMode: 'awsvpc',
    Cpu: taskSize('cpu'),
    Memory: taskSize('memory'),
    RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64' },
    ExecutionRoleArn: Fn.GetAtt(X.executionRole, 'Arn'),
    TaskRoleArn: Fn.GetAtt(X.taskRole, 'Arn'),
    ContainerDefinitions: [containerDefinition],
  });
}

const assumedBy = (service: string) => ({
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

function roles(): Record<string, Resource> {
  return {
    [X.executionRole]: new IAM.Role({
      Description: 'Pulls the image, writes container logs and hands the API its two secrets',
      AssumeRolePolicyDocument: assumedBy('ecs-tasks.amazonaws.com'),
      ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy')],
      Policies: [readApiSecretsPolicy],
    }),
    [X.taskRole]: new IAM.Role({
      Description: 'What the service itself may do: its table and its event bus',
      AssumeRolePolicyDocument: assumedBy('ecs-tasks.amazonaws.com'),
      Policies: [{ PolicyName: 'crowd-table-and-bus', PolicyDocument: taskRolePolicy() }],
    }),
    [X.schedulerRole]: new IAM.Role({
      Description: 'Lets EventBridge Scheduler start the poller task',
      AssumeRolePolicyDocument: assumedBy('scheduler.amazonaws.com'),
      Policies: [
        {
          PolicyName: 'run-poller-task',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'RunPoller',
                Effect: 'Allow',
                Action: ['ecs:RunTask'],
                Resource: [Fn.Ref(X.pollerTaskDefinition)],
                Condition: { ArnEquals: { 'ecs:cluster': Fn.GetAtt(X.cluster, 'Arn') } },
              },
              {
                Sid: 'PassPollerRoles',
                Effect: 'Allow',
                Action: ['iam:PassRole'],
                Resource: [Fn.GetAtt(X.taskRole, 'Arn'), Fn.GetAtt(X.executionRole, 'Arn')],
                Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
              },
            ],
          },
        },
      ],
    }),
  };
}

/** Tasks start only once they can reach AWS and the bus: routes out, and the EventBridge endpoint. */
const reachability = [...appSubnetEgress, D.eventsEndpoint];

function apiService(): Record<string, Resource> {
  return {
    [X.apiTaskDefinition]: taskDefinition(
      'api',
      container(API_CONTAINER, 'api', {
        Environment: environment('0'),
        Secrets: apiContainerSecrets,
        PortMappings: [{ ContainerPort: CONTAINER_PORT, Protocol: 'tcp' }],
        HealthCheck: {
          Command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${CONTAINER_PORT}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
          Interval: 30,
          Timeout: 5,
          Retries: 3,
          StartPeriod: 15,
        },
      }),
    ),
    [X.apiService]: new ECS.Service({
      Cluster: Fn.Ref(X.cluster),
      TaskDefinition: Fn.Ref(X.apiTaskDefinition),
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      DesiredCount: Fn.Ref(P.minTasks),
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      },
      HealthCheckGracePeriodSeconds: 60,
      NetworkConfiguration: {
        AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: appSubnetIds, SecurityGroups: [Fn.GetAtt(APP_SECURITY_GROUP, 'GroupId')] },
      },
      LoadBalancers: [{ ContainerName: API_CONTAINER, ContainerPort: CONTAINER_PORT, TargetGroupArn: Fn.Ref(LB.targetGroup) }],
      PropagateTags: 'SERVICE',
      EnableECSManagedTags: true,
      // The service may only start once a listener forwards to its target group. With an
      // ALB and a certificate that is the conditional TLS listener, which DependsOn cannot
      // name; referencing it through Fn::If orders the two all the same.
      Tags: [{ Key: 'forwarding-listener', Value: Fn.If(C.hasCertificate, Fn.Ref(LB.tlsListener), Fn.Ref(LB.plainListener)) }],
    }).dependsOn([LB.plainListener, APP_INGRESS_FROM_LB, ...reachability]),
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

function poller(): Record<string, Resource> {
  return {
    [X.pollerTaskDefinition]: taskDefinition(
      'poller',
      container(POLLER_CONTAINER, 'poller', { Environment: environment('0'), Command: POLL_ONCE_COMMAND }),
    ),
    [X.pollSchedule]: new Scheduler.Schedule({
      Description: 'Polls SpaceOut once per period',
      ScheduleExpression: Fn.Ref(P.pollSchedule),
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: Fn.GetAtt(X.cluster, 'Arn'),
        RoleArn: Fn.GetAtt(X.schedulerRole, 'Arn'),
        // A missed poll is made good by the next one; retrying would only pile them up.
        RetryPolicy: { MaximumRetryAttempts: 0 },
        EcsParameters: {
          TaskDefinitionArn: Fn.Ref(X.pollerTaskDefinition),
          TaskCount: 1,
          LaunchType: 'FARGATE',
          PlatformVersion: 'LATEST',
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              AssignPublicIp: 'DISABLED',
              Subnets: appSubnetIds,
              SecurityGroups: [Fn.GetAtt(X.pollerSecurityGroup, 'GroupId')],
            },
          },
        },
      },
    }).dependsOn(reachability),
  };
}

/** Upstream, AWS APIs and DynamoDB (through the gateway endpoint) are all HTTPS. */
const HTTPS_OUT = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'HTTPS: upstream, AWS APIs, DynamoDB' }];

/** ECS cluster, the API service with auto scaling, the scheduled poller, their roles and logs. */
export function computeLayer(): Record<string, Resource> {
  return {
    [X.cluster]: new ECS.Cluster({
      ClusterName: sub('${AWS::StackName}'),
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    }),
    [X.logGroup]: logGroup(sub('/ecs/${AWS::StackName}')),
    [APP_SECURITY_GROUP]: new EC2.SecurityGroup({
      GroupDescription: 'API tasks: from the load balancer on the container port; HTTPS out',
      VpcId: Fn.Ref(N.vpc),
      SecurityGroupEgress: HTTPS_OUT,
      Tags: nameTags('app'),
    }),
    [X.pollerSecurityGroup]: new EC2.SecurityGroup({
      GroupDescription: 'Poller task: no ingress; HTTPS out',
      VpcId: Fn.Ref(N.vpc),
      SecurityGroupEgress: HTTPS_OUT,
      Tags: nameTags('poller'),
    }),
    ...roles(),
    ...apiService(),
    ...poller(),
  };
}
