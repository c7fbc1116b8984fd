import { Fn } from './cloudform.js';
import type { Condition, Template } from './cloudform.js';

type Parameter = NonNullable<Template['Parameters']>[string];

/** Parameter and condition names, so every layer refers to them by one spelling. */
export const P = {
  imageUri: 'ImageUri',
  loadBalancerType: 'LoadBalancerType',
  certificateArn: 'CertificateArn',
  loadBalancerDeletionProtection: 'LoadBalancerDeletionProtection',
  taskSize: 'TaskSize',
  minTasks: 'MinTasks',
  maxTasks: 'MaxTasks',
  cpuTargetPercent: 'CpuTargetPercent',
  pollIntervalMinutes: 'PollIntervalMinutes',
  spaceoutUrl: 'SpaceoutUrl',
  logLevel: 'LogLevel',
  logRetentionDays: 'LogRetentionDays',
  replicaRegion: 'ReplicaRegion',
  enableJumpHost: 'EnableJumpHost',
  jumpHostSshCidr: 'JumpHostSshCidr',
  jumpHostInstanceType: 'JumpHostInstanceType',
  jumpHostKeyName: 'JumpHostKeyName',
  jumpHostAmiId: 'JumpHostAmiId',
  alarmEmail: 'AlarmEmail',
} as const;

export const C = {
  isAlb: 'IsApplicationLoadBalancer',
  hasCertificate: 'HasCertificate',
  isAlbWithCertificate: 'IsApplicationLoadBalancerWithCertificate',
  hasReplica: 'HasReplicaRegion',
  hasNoReplica: 'HasNoReplicaRegion',
  hasSpaceoutUrl: 'HasSpaceoutUrl',
  jumpHost: 'JumpHostEnabled',
  hasJumpHostKey: 'HasJumpHostKeyName',
  hasAlarmEmail: 'HasAlarmEmail',
} as const;

/** Fargate CPU units and MiB that AWS accepts together. */
export const TASK_SIZES = {
  small: { cpu: 256, memory: 512 },
  medium: { cpu: 512, memory: 1024 },
  large: { cpu: 1024, memory: 2048 },
} as const;

/**
 * The poll intervals the stack offers. A fixed rate, not a free cron expression, because the
 * missed-poll alarm needs the interval as a number: it fires after two intervals without a
 * completed poll.
 */
export const POLL_INTERVALS_MINUTES = [2, 5, 10, 15, 30, 60] as const;

const LOG_RETENTION_DAYS = [30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const parameters: Record<string, Parameter> = {
  [P.imageUri]: {
    Type: 'String',
    Description: 'Container image of the service (registry/repository:tag or @sha256:digest), built from the repository Dockerfile.',
    AllowedPattern: '^[a-z0-9][a-z0-9._/:-]*(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$',
    ConstraintDescription: 'an image reference with a tag or digest',
  },
  [P.loadBalancerType]: {
    Type: 'String',
    Description: 'NLB (cheaper, layer 4) or ALB (layer 7).',
    AllowedValues: ['NLB', 'ALB'],
    Default: 'NLB',
  },
  [P.certificateArn]: {
    Type: 'String',
    Description: 'ACM certificate for a TLS (NLB) or HTTPS (ALB) listener on 443; empty = HTTP on 80 only.',
    AllowedPattern: '^$|^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$',
    ConstraintDescription: 'empty or an ACM certificate ARN',
    Default: '',
  },
  [P.loadBalancerDeletionProtection]: {
    Type: 'String',
    Description: 'Protect the load balancer from deletion. Off by default so that a failed first create can roll back; turn it on once the stack is up, and off again before switching LoadBalancerType or deleting the stack.',
    AllowedValues: ['true', 'false'],
    Default: 'false',
  },
  [P.taskSize]: {
    Type: 'String',
    Description: 'Fargate size of each task: small 0.25 vCPU/512 MiB, medium 0.5 vCPU/1 GiB, large 1 vCPU/2 GiB.',
    AllowedValues: Object.keys(TASK_SIZES),
    Default: 'small',
  },
  [P.minTasks]: {
    Type: 'Number',
    Description: 'Fewest API tasks (at least one per Availability Zone).',
    MinValue: 2,
    MaxValue: 50,
    Default: 2,
  },
  [P.maxTasks]: {
    Type: 'Number',
    Description: 'Most API tasks the CPU target tracking may start.',
    MinValue: 2,
    MaxValue: 50,
    Default: 6,
  },
  [P.cpuTargetPercent]: {
    Type: 'Number',
    Description: 'Average CPU utilisation of the API tasks that auto scaling keeps.',
    MinValue: 20,
    MaxValue: 90,
    Default: 60,
  },
  [P.pollIntervalMinutes]: {
    Type: 'String',
    Description: 'Minutes between two runs of the poller task; two intervals without a completed poll raise an alarm.',
    AllowedValues: POLL_INTERVALS_MINUTES.map(String),
    Default: '5',
  },
  [P.spaceoutUrl]: {
    Type: 'String',
    Description: 'Upstream GraphQL endpoint; empty = the SpaceOut site.',
    AllowedPattern: '^$|^https?://.+$',
    Default: '',
  },
  [P.logLevel]: {
    Type: 'String',
    Description: 'pino log level of the service.',
    AllowedValues: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    Default: 'info',
  },
  [P.logRetentionDays]: {
    Type: 'Number',
    Description: 'Days CloudWatch keeps the logs of the service and of its events.',
    AllowedValues: LOG_RETENTION_DAYS,
    Default: 365,
  },
  [P.replicaRegion]: {
    Type: 'String',
    Description: 'Second region of a DynamoDB global table; empty = a regional table (already replicated across three AZs).',
    AllowedPattern: '^$|^[a-z]{2}(-[a-z]+)+-[0-9]$',
    ConstraintDescription: 'empty or a region name such as ap-southeast-2',
    Default: '',
  },
  [P.enableJumpHost]: {
    Type: 'String',
    Description: 'Create one SSH jump host per public subnet.',
    AllowedValues: ['true', 'false'],
    Default: 'false',
  },
  [P.jumpHostSshCidr]: {
    Type: 'String',
    Description: 'IPv4 range allowed to SSH to the jump hosts (required when they are enabled; /8 or narrower).',
    AllowedPattern: '^$|^([0-9]{1,3}\\.){3}[0-9]{1,3}/(3[0-2]|[12][0-9]|[89])$',
    ConstraintDescription: 'empty or an IPv4 CIDR of prefix length 8 to 32',
    Default: '',
  },
  [P.jumpHostInstanceType]: {
    Type: 'String',
    Description: 'Instance type of the jump hosts.',
    AllowedValues: ['t3.micro', 't3.small', 't3a.micro', 'c6i.large', 'm6i.large'],
    Default: 't3.micro',
  },
  [P.jumpHostKeyName]: {
    Type: 'String',
    Description: 'EC2 key pair for SSH; empty = none (use Session Manager).',
    Default: '',
  },
  // A plain image id, not the public SSM parameter of the latest Amazon Linux: that one resolves
  // anew on every stack update, and a new release would replace the hosts unasked.
  [P.jumpHostAmiId]: {
    Type: 'String',
    Description: 'Amazon Linux 2023 x86_64 image of the jump hosts, pinned (required when they are enabled). A new value replaces the hosts: new host keys, same Elastic IPs.',
    AllowedPattern: '^$|^ami-([0-9a-f]{8}|[0-9a-f]{17})$',
    ConstraintDescription: 'empty or an AMI id such as ami-0123456789abcdef0',
    Default: '',
  },
  [P.alarmEmail]: {
    Type: 'String',
    Description: 'Address subscribed to the alarm topic (it must confirm the subscription); empty = subscribe others to the topic yourself.',
    AllowedPattern: '^$|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
    ConstraintDescription: 'empty or an e-mail address',
    Default: '',
  },
};

const isEmpty = (name: string) => Fn.Equals(Fn.Ref(name), '');

export const conditions: Record<string, Condition> = {
  [C.isAlb]: Fn.Equals(Fn.Ref(P.loadBalancerType), 'ALB'),
  [C.hasCertificate]: Fn.Not(isEmpty(P.certificateArn)),
  [C.isAlbWithCertificate]: Fn.And([Fn.Equals(Fn.Ref(P.loadBalancerType), 'ALB'), Fn.Not(isEmpty(P.certificateArn))]),
  [C.hasReplica]: Fn.Not(isEmpty(P.replicaRegion)),
  [C.hasNoReplica]: isEmpty(P.replicaRegion),
  [C.hasSpaceoutUrl]: Fn.Not(isEmpty(P.spaceoutUrl)),
  [C.jumpHost]: Fn.Equals(Fn.Ref(P.enableJumpHost), 'true'),
  [C.hasJumpHostKey]: Fn.Not(isEmpty(P.jumpHostKeyName)),
  [C.hasAlarmEmail]: Fn.Not(isEmpty(P.alarmEmail)),
};

/** Template rules: CloudFormation refuses the parameters before creating anything. */
export const rules = {
  JumpHostNeedsSshCidrAndAmi: {
    RuleCondition: Fn.Equals(Fn.Ref(P.enableJumpHost), 'true'),
    Assertions: [
      {
        Assert: Fn.Not(Fn.Equals(Fn.Ref(P.jumpHostSshCidr), '')),
        AssertDescription: 'EnableJumpHost=true needs JumpHostSshCidr (the range allowed to SSH in).',
      },
      {
        Assert: Fn.Not(Fn.Equals(Fn.Ref(P.jumpHostAmiId), '')),
        AssertDescription: 'EnableJumpHost=true needs JumpHostAmiId (aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64).',
      },
    ],
  },
};

export const interfaceMetadata = {
  'AWS::CloudFormation::Interface': {
    ParameterGroups: [
      { Label: { default: 'Service' }, Parameters: [P.imageUri, P.taskSize, P.minTasks, P.maxTasks, P.cpuTargetPercent, P.pollIntervalMinutes, P.spaceoutUrl, P.logLevel, P.logRetentionDays] },
      { Label: { default: 'Load balancing' }, Parameters: [P.loadBalancerType, P.certificateArn, P.loadBalancerDeletionProtection] },
      { Label: { default: 'Data' }, Parameters: [P.replicaRegion] },
      { Label: { default: 'Alarms' }, Parameters: [P.alarmEmail] },
      { Label: { default: 'Jump host (optional)' }, Parameters: [P.enableJumpHost, P.jumpHostSshCidr, P.jumpHostAmiId, P.jumpHostInstanceType, P.jumpHostKeyName] },
    ],
    ParameterLabels: {
      [P.imageUri]: { default: 'Container image URI' },
      [P.replicaRegion]: { default: 'Global table replica region' },
      [P.jumpHostSshCidr]: { default: 'SSH source CIDR' },
    },
  },
};
