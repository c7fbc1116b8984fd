import { EC2, Fn, IAM, Scheduler, SQS } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { assumedBy, clusterArn, container, environment, HTTPS_OUT, reachability, taskDefinition, taskFamily, X } from './compute.js';
import { nameTags, onRemoval, sub } from './intrinsics.js';
import { K, operationsKeyArn } from './keys.js';
import { appSubnetIds, N } from './network.js';
import { P, POLL_INTERVALS_MINUTES } from './parameters.js';

export const PL = {
  securityGroup: 'PollerSecurityGroup',
  taskDefinition: 'PollerTaskDefinition',
  schedulerRole: 'PollerSchedulerRole',
  schedule: 'PollerSchedule',
  deadLetterQueue: 'PollerDeadLetterQueue',
} as const;

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

const fromIntervalMapping = (key: 'Schedule' | 'Seconds' | 'RetryWindowSeconds') => Fn.FindInMap(POLL_INTERVAL_MAPPING, Fn.Ref(P.pollIntervalMinutes), key);
/** The poll interval in seconds. */
export const pollIntervalSeconds = fromIntervalMapping('Seconds');

/** Every revision of the poller's task definition family: a stack update that registers a new one never locks the scheduler out. */
export const pollerFamilyRevisionsArn = sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task-definition/${taskFamily('poller')}:*`);

/** Run the poller task (any revision) on this cluster, passing it its two roles: for the scheduler, and for an operator polling by hand. */
export function runPollerStatements() {
  return [
    {
      Sid: 'RunPoller',
      Effect: 'Allow',
      Action: ['ecs:RunTask'],
      Resource: [pollerFamilyRevisionsArn],
      Condition: { ArnEquals: { 'ecs:cluster': clusterArn } },
    },
    {
      Sid: 'PassPollerRoles',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [Fn.GetAtt(X.taskRole, 'Arn'), Fn.GetAtt(X.executionRole, 'Arn')],
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
  ];
}

function schedulerRole(): Resource {
  return new IAM.Role({
    Description: 'Lets EventBridge Scheduler start the poller task and record the starts that failed',
    AssumeRolePolicyDocument: assumedBy('scheduler.amazonaws.com'),
    Policies: [
      {
        PolicyName: 'run-poller-task',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            ...runPollerStatements(),
            { Sid: 'RecordFailedStarts', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [Fn.GetAtt(PL.deadLetterQueue, 'Arn')] },
            {
              Sid: 'EncryptFailedStarts',
              Effect: 'Allow',
              Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
              Resource: [operationsKeyArn],
              Condition: { StringEquals: { 'kms:ViaService': sub('sqs.${AWS::Region}.amazonaws.com') } },
            },
          ],
        },
      },
    ],
  });
}

/** The scheduled poller: `poll-once` in a Fargate task, started by EventBridge Scheduler, with retries and a dead-letter queue. */
export function pollerLayer(): Record<string, Resource> {
  return {
    [PL.securityGroup]: new EC2.SecurityGroup({
      GroupDescription: 'Poller task: no ingress; HTTPS out',
      VpcId: Fn.Ref(N.vpc),
      SecurityGroupEgress: HTTPS_OUT,
      Tags: nameTags('poller'),
    }),
    [PL.taskDefinition]: taskDefinition('poller', container(POLLER_CONTAINER, 'poller', { Environment: environment('0'), Command: POLL_ONCE_COMMAND })),
    // Deleted with the stack: it only records starts of the poller that failed, which matter
    // while the stack runs; the alarm history keeps that they happened.
    [PL.deadLetterQueue]: onRemoval(
      'Delete',
      new SQS.Queue({
        MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS,
        KmsMasterKeyId: Fn.Ref(K.operationsKey),
        // Only the schedule writes here; no queue may make it its dead-letter queue.
        RedriveAllowPolicy: { redrivePermission: 'denyAll' },
      }),
    ),
    [PL.schedulerRole]: schedulerRole(),
    [PL.schedule]: new Scheduler.Schedule({
      Description: 'Polls SpaceOut once per interval',
      ScheduleExpression: fromIntervalMapping('Schedule'),
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: clusterArn,
        RoleArn: Fn.GetAtt(PL.schedulerRole, 'Arn'),
        // A start that failed is retried a little, never into the next run (which would only
        // find the lease taken and skip); what still fails lands in the dead-letter queue.
        RetryPolicy: { MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS, MaximumEventAgeInSeconds: fromIntervalMapping('RetryWindowSeconds') },
        DeadLetterConfig: { Arn: Fn.GetAtt(PL.deadLetterQueue, 'Arn') },
        EcsParameters: {
          TaskDefinitionArn: Fn.Ref(PL.taskDefinition),
          TaskCount: 1,
          LaunchType: 'FARGATE',
          PlatformVersion: 'LATEST',
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              AssignPublicIp: 'DISABLED',
              Subnets: appSubnetIds,
              SecurityGroups: [Fn.GetAtt(PL.securityGroup, 'GroupId')],
            },
          },
        },
      },
    }).dependsOn(reachability),
  };
}
