import { EC2, Fn, IAM, Scheduler, SQS } from './cloudform.js';
import type { IntrinsicFunction } from './cloudform.js';
import { assumedBy } from './assume-role-policy.js';
import { sub } from './intrinsics.js';
import type { Layer } from './layer.js';
import { nameTags } from './name-tags.js';
import { POLL_INTERVALS_MINUTES } from './parameters.js';
import type { StackParameters } from './parameters.js';
import { onRemoval } from './removal-policy.js';
import { logicalIds, ResourceHandle } from './resource-handle.js';
import { HTTPS_OUT } from './security-group-rules.js';
import { container, taskDefinition, taskFamily } from './task-definition.js';
import type { TaskSettings } from './task-definition.js';

export const POLLER_CONTAINER = 'poller';
export const POLL_ONCE_COMMAND = ['node', 'dist/adapters/runtime/poll-once.js'];
/** Attempts after the first when EventBridge Scheduler cannot start the task (throttled, no capacity). */
export const SCHEDULE_RETRY_ATTEMPTS = 2;
/** SQS keeps a message at most 14 days; a failed start waits that long for someone to read it. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

export const POLL_INTERVAL_MAPPING = 'PollIntervals';

/**
 * Per allowed interval: the schedule expression, the interval in seconds (the period of the
 * poll alarms) and how long Scheduler may keep retrying a start that failed (half an interval,
 * at least its minimum of 60 s), so retries end before the next scheduled run.
 */
export const pollIntervalMapping = Object.fromEntries(
  POLL_INTERVALS_MINUTES.map((minutes) => [
    String(minutes),
    { Schedule: `rate(${minutes} minutes)`, Seconds: minutes * 60, RetryWindowSeconds: Math.max(60, minutes * 30) },
  ]),
);

export interface PollerSecurityGroupOutputs {
  readonly securityGroup: ResourceHandle<'GroupId'>;
}

/**
 * The poller task's security group, on its own because the data endpoints admit it, and the
 * poller's schedule in turn waits for those endpoints.
 */
export function pollerSecurityGroupLayer({ vpc }: { readonly vpc: ResourceHandle }): Layer<PollerSecurityGroupOutputs> {
  const securityGroup = new ResourceHandle<'GroupId'>('PollerSecurityGroup');
  const resources = {
    [securityGroup.logicalId]: new EC2.SecurityGroup({
      GroupDescription: 'Poller task: no ingress; HTTPS out',
      VpcId: vpc.ref,
      SecurityGroupEgress: HTTPS_OUT,
      Tags: nameTags('poller'),
    }),
  };
  return { resources, outputs: { securityGroup } };
}

export interface PollerInput {
  readonly parameters: Pick<StackParameters, 'PollIntervalMinutes'>;
  readonly cluster: ResourceHandle<'Arn'>;
  readonly tasks: TaskSettings;
  /** WEBHOOK_SECRET_KEY: poll-once signs the webhook deliveries its poll queued. */
  readonly pollerContainerSecrets: ReadonlyArray<{ Name: string; ValueFrom: IntrinsicFunction }>;
  readonly securityGroup: ResourceHandle<'GroupId'>;
  readonly appSubnets: ReadonlyArray<{ readonly subnet: ResourceHandle }>;
  readonly operationsKey: ResourceHandle<'Arn'>;
  readonly appSubnetEgress: readonly ResourceHandle[];
  readonly eventBridgeEndpoint: ResourceHandle;
}

export interface PollerOutputs {
  /** Ref is its URL. */
  readonly deadLetterQueue: ResourceHandle<'Arn' | 'QueueName'>;
  /** The poll interval in seconds. */
  readonly intervalSeconds: IntrinsicFunction;
  /**
   * Run the poller task (any revision) on this cluster, passing it its two roles: for the
   * scheduler, and for an operator polling by hand.
   */
  readonly runPollerStatements: ReadonlyArray<{ readonly Sid: string }>;
}

function runPollerStatements(cluster: ResourceHandle<'Arn'>, tasks: TaskSettings) {
  // Every revision of the poller's task definition family: a stack update that registers a new one never locks the scheduler out.
  const pollerFamilyRevisionsArn = sub(
    `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task-definition/${taskFamily('poller')}:*`,
  );
  return [
    {
      Sid: 'RunPoller',
      Effect: 'Allow',
      Action: ['ecs:RunTask'],
      Resource: [pollerFamilyRevisionsArn],
      Condition: { ArnEquals: { 'ecs:cluster': cluster.getAtt('Arn') } },
    },
    {
      Sid: 'PassPollerRoles',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [tasks.taskRole.getAtt('Arn'), tasks.executionRole.getAtt('Arn')],
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
  ];
}

/** The scheduled poller: `poll-once` in a Fargate task, started by EventBridge Scheduler, with retries and a dead-letter queue. */
export function pollerLayer(input: PollerInput): Layer<PollerOutputs> {
  const { cluster, tasks, operationsKey } = input;
  const pollerTaskDefinition = new ResourceHandle('PollerTaskDefinition');
  const deadLetterQueue = new ResourceHandle<'Arn' | 'QueueName'>('PollerDeadLetterQueue');
  const schedulerRole = new ResourceHandle<'Arn'>('PollerSchedulerRole');
  const fromIntervalMapping = (key: 'Schedule' | 'Seconds' | 'RetryWindowSeconds') =>
    Fn.FindInMap(POLL_INTERVAL_MAPPING, input.parameters.PollIntervalMinutes, key);
  const runPoller = runPollerStatements(cluster, tasks);
  const resources = {
    [pollerTaskDefinition.logicalId]: taskDefinition(
      tasks,
      'poller',
      container(tasks, POLLER_CONTAINER, 'poller', { Secrets: input.pollerContainerSecrets, Command: POLL_ONCE_COMMAND }),
    ),
    // Deleted with the stack: it only records starts of the poller that failed, which matter
    // while the stack runs; the alarm history keeps that they happened.
    [deadLetterQueue.logicalId]: onRemoval(
      'Delete',
      new SQS.Queue({
        MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS,
        KmsMasterKeyId: operationsKey.ref,
        // Only the schedule writes here; no queue may make it its dead-letter queue.
        RedriveAllowPolicy: { redrivePermission: 'denyAll' },
      }),
    ),
    [schedulerRole.logicalId]: new IAM.Role({
      Description: 'Lets EventBridge Scheduler start the poller task and record the starts that failed',
      AssumeRolePolicyDocument: assumedBy('scheduler.amazonaws.com'),
      Policies: [
        {
          PolicyName: 'run-poller-task',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              ...runPoller,
              { Sid: 'RecordFailedStarts', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [deadLetterQueue.getAtt('Arn')] },
              {
                Sid: 'EncryptFailedStarts',
                Effect: 'Allow',
                Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
                Resource: [operationsKey.getAtt('Arn')],
                Condition: { StringEquals: { 'kms:ViaService': sub('sqs.${AWS::Region}.amazonaws.com') } },
              },
            ],
          },
        },
      ],
    }),
    PollerSchedule: new Scheduler.Schedule({
      Description: 'Polls SpaceOut once per interval',
      ScheduleExpression: fromIntervalMapping('Schedule'),
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: cluster.getAtt('Arn'),
        RoleArn: schedulerRole.getAtt('Arn'),
        // A start that failed is retried a little, never into the next run (which would only
        // find the lease taken and skip); what still fails lands in the dead-letter queue.
        RetryPolicy: { MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS, MaximumEventAgeInSeconds: fromIntervalMapping('RetryWindowSeconds') },
        DeadLetterConfig: { Arn: deadLetterQueue.getAtt('Arn') },
        EcsParameters: {
          TaskDefinitionArn: pollerTaskDefinition.ref,
          TaskCount: 1,
          LaunchType: 'FARGATE',
          PlatformVersion: 'LATEST',
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              AssignPublicIp: 'DISABLED',
              Subnets: input.appSubnets.map(({ subnet }) => subnet.ref),
              SecurityGroups: [input.securityGroup.getAtt('GroupId')],
            },
          },
        },
      },
      // A task starts only once it can reach AWS and the bus: routes out, and the EventBridge endpoint.
    }).dependsOn(logicalIds([...input.appSubnetEgress, input.eventBridgeEndpoint])),
  };
  return { resources, outputs: { deadLetterQueue, intervalSeconds: fromIntervalMapping('Seconds'), runPollerStatements: runPoller } };
}
