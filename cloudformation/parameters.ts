import { Fn } from './cloudform.js';
import type { IntrinsicFunction, Template } from './cloudform.js';

type Parameter = NonNullable<Template['Parameters']>[string];

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

/** The Parameters section, keyed by each parameter's name. */
export const parameters = {
  ImageUri: {
    Type: 'String',
    Description: 'Container image of the service (registry/repository:tag or @sha256:digest), built from the repository Dockerfile.',
    AllowedPattern: '^[a-z0-9][a-z0-9._/:-]*(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$',
    ConstraintDescription: 'an image reference with a tag or digest',
  },
  LoadBalancerType: {
    Type: 'String',
    Description: 'NLB (cheaper, layer 4) or ALB (layer 7).',
    AllowedValues: ['NLB', 'ALB'],
    Default: 'NLB',
  },
  CertificateArn: {
    Type: 'String',
    Description: 'ACM certificate for a TLS (NLB) or HTTPS (ALB) listener on 443; empty = HTTP on 80 only.',
    AllowedPattern: '^$|^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$',
    ConstraintDescription: 'empty or an ACM certificate ARN',
    Default: '',
  },
  LoadBalancerDeletionProtection: {
    Type: 'String',
    Description:
      'Protect the load balancer from deletion. Off by default so that a failed first create can roll back; turn it on once the stack is up, and off again before switching LoadBalancerType or deleting the stack.',
    AllowedValues: ['true', 'false'],
    Default: 'false',
  },
  TaskSize: {
    Type: 'String',
    Description: 'Fargate size of each task: small 0.25 vCPU/512 MiB, medium 0.5 vCPU/1 GiB, large 1 vCPU/2 GiB.',
    AllowedValues: Object.keys(TASK_SIZES),
    Default: 'small',
  },
  MinTasks: {
    Type: 'Number',
    Description: 'Fewest API tasks (at least one per Availability Zone).',
    MinValue: 2,
    MaxValue: 50,
    Default: 2,
  },
  MaxTasks: {
    Type: 'Number',
    Description: 'Most API tasks the CPU target tracking may start.',
    MinValue: 2,
    MaxValue: 50,
    Default: 6,
  },
  CpuTargetPercent: {
    Type: 'Number',
    Description: 'Average CPU utilisation of the API tasks that auto scaling keeps.',
    MinValue: 20,
    MaxValue: 90,
    Default: 60,
  },
  PollIntervalMinutes: {
    Type: 'String',
    Description: 'Minutes between two runs of the poller task; two intervals without a completed poll raise an alarm.',
    AllowedValues: POLL_INTERVALS_MINUTES.map(String),
    Default: '5',
  },
  SpaceoutUrl: {
    Type: 'String',
    Description: 'Upstream GraphQL endpoint; empty = the SpaceOut site.',
    AllowedPattern: '^$|^https?://.+$',
    Default: '',
  },
  LogLevel: {
    Type: 'String',
    Description: 'pino log level of the service.',
    AllowedValues: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    Default: 'info',
  },
  LogRetentionDays: {
    Type: 'Number',
    Description: 'Days CloudWatch keeps the logs of the service and of its events.',
    AllowedValues: LOG_RETENTION_DAYS,
    Default: 365,
  },
  ReplicaRegion: {
    Type: 'String',
    Description: 'Second region of a DynamoDB global table; empty = a regional table (already replicated across three AZs).',
    AllowedPattern: '^$|^[a-z]{2}(-[a-z]+)+-[0-9]$',
    ConstraintDescription: 'empty or a region name such as ap-southeast-2',
    Default: '',
  },
  EnableJumpHost: {
    Type: 'String',
    Description: 'Create one SSH jump host per public subnet.',
    AllowedValues: ['true', 'false'],
    Default: 'false',
  },
  JumpHostSshCidr: {
    Type: 'String',
    Description: 'IPv4 range allowed to SSH to the jump hosts (required when they are enabled; /8 or narrower).',
    AllowedPattern: '^$|^([0-9]{1,3}\\.){3}[0-9]{1,3}/(3[0-2]|[12][0-9]|[89])$',
    ConstraintDescription: 'empty or an IPv4 CIDR of prefix length 8 to 32',
    Default: '',
  },
  JumpHostInstanceType: {
    Type: 'String',
    Description: 'Instance type of the jump hosts.',
    AllowedValues: ['t3.micro', 't3.small', 't3a.micro', 'c6i.large', 'm6i.large'],
    Default: 't3.micro',
  },
  JumpHostKeyName: {
    Type: 'String',
    Description: 'EC2 key pair for SSH; empty = none (use Session Manager).',
    Default: '',
  },
  // A plain image id, not the public SSM parameter of the latest Amazon Linux: that one resolves
  // anew on every stack update, and a new release would replace the hosts unasked.
  JumpHostAmiId: {
    Type: 'String',
    Description:
      'Amazon Linux 2023 x86_64 image of the jump hosts, pinned (required when they are enabled). A new value replaces the hosts: new host keys, same Elastic IPs.',
    AllowedPattern: '^$|^ami-([0-9a-f]{8}|[0-9a-f]{17})$',
    ConstraintDescription: 'empty or an AMI id such as ami-0123456789abcdef0',
    Default: '',
  },
  AlarmEmail: {
    Type: 'String',
    Description:
      'Address subscribed to the alarm topic (it must confirm the subscription); empty = subscribe others to the topic yourself.',
    AllowedPattern: '^$|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
    ConstraintDescription: 'empty or an e-mail address',
    Default: '',
  },
} satisfies Record<string, Parameter>;

export type ParameterName = keyof typeof parameters;

/**
 * Every parameter as a layer reads it, its Ref, under its own name. A layer's input picks the
 * ones it needs (`Pick<StackParameters, 'MinTasks'>`), so its signature says which
 * parameters shape it.
 */
export type StackParameters = { readonly [Name in ParameterName]: IntrinsicFunction };

export const stackParameters = Object.fromEntries(Object.keys(parameters).map((name) => [name, Fn.Ref(name)])) as StackParameters;

const { EnableJumpHost, JumpHostSshCidr, JumpHostAmiId } = stackParameters;

/** Template rules: CloudFormation refuses the parameters before creating anything. */
export const rules = {
  JumpHostNeedsSshCidrAndAmi: {
    RuleCondition: Fn.Equals(EnableJumpHost, 'true'),
    Assertions: [
      {
        Assert: Fn.Not(Fn.Equals(JumpHostSshCidr, '')),
        AssertDescription: 'EnableJumpHost=true needs JumpHostSshCidr (the range allowed to SSH in).',
      },
      {
        Assert: Fn.Not(Fn.Equals(JumpHostAmiId, '')),
        AssertDescription:
          'EnableJumpHost=true needs JumpHostAmiId (aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64).',
      },
    ],
  },
};

const group = (label: string, names: ParameterName[]) => ({ Label: { default: label }, Parameters: names });

export const interfaceMetadata = {
  'AWS::CloudFormation::Interface': {
    ParameterGroups: [
      group('Service', [
        'ImageUri',
        'TaskSize',
        'MinTasks',
        'MaxTasks',
        'CpuTargetPercent',
        'PollIntervalMinutes',
        'SpaceoutUrl',
        'LogLevel',
        'LogRetentionDays',
      ]),
      group('Load balancing', ['LoadBalancerType', 'CertificateArn', 'LoadBalancerDeletionProtection']),
      group('Data', ['ReplicaRegion']),
      group('Alarms', ['AlarmEmail']),
      group('Jump host (optional)', ['EnableJumpHost', 'JumpHostSshCidr', 'JumpHostAmiId', 'JumpHostInstanceType', 'JumpHostKeyName']),
    ],
    ParameterLabels: {
      ImageUri: { default: 'Container image URI' },
      ReplicaRegion: { default: 'Global table replica region' },
      JumpHostSshCidr: { default: 'SSH source CIDR' },
    } satisfies Partial<Record<ParameterName, { default: string }>>,
  },
};
