import { EC2, Fn, IAM, Refs } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { API_CONTAINER, X } from './compute.js';
import { tableArn } from './data.js';
import { E } from './events.js';
import { nameTags, sub } from './intrinsics.js';
import { operationsKeyArn } from './keys.js';
import { N, ZONES } from './network.js';
import { C, P } from './parameters.js';
import { PL, runPollerStatements } from './poller.js';

export const J = {
  securityGroup: 'JumpHostSecurityGroup',
  role: 'JumpHostRole',
  instanceProfile: 'JumpHostInstanceProfile',
  launchTemplate: 'JumpHostLaunchTemplate',
  instance: (suffix: string) => `JumpHost${suffix}`,
  eip: (suffix: string) => `JumpHostEip${suffix}`,
} as const;

/** The policy of the jump hosts' role, the operators' identity on AWS once they have SSHed in. */
export const OPERATOR_POLICY_NAME = 'operate-the-service';

/** Log groups an operator reads: the tasks', the ECS Exec sessions', the events'. */
const operatorLogGroups = [X.logGroup, X.execLogGroup, E.logGroup].map((id) => Fn.GetAtt(id, 'Arn'));

/**
 * What an operator on a jump host may do, statement by statement (docs/operations.md explains
 * each): look at the service, open a shell in an API task, stop a wedged task, start a poll,
 * read the logs, the dead-letter queue and the table. Nothing else: no deploys, no writes to
 * the table, no secrets.
 */
export function operatorPolicy() {
  const clusterTasks = sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task/\${${X.cluster}}/*`);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        // Read-only descriptions; none of these actions can be limited to a resource.
        Sid: 'SeeTheService',
        Effect: 'Allow',
        Action: [
          'ecs:ListServices',
          'ecs:ListTasks',
          'ecs:DescribeServices',
          'ecs:DescribeTasks',
          'ecs:DescribeTaskDefinition',
          'elasticloadbalancing:DescribeTargetHealth',
          'elasticloadbalancing:DescribeTargetGroups',
          'cloudwatch:DescribeAlarms',
          'cloudwatch:GetMetricData',
          'logs:DescribeLogGroups',
          'logs:GetQueryResults',
        ],
        Resource: '*',
      },
      { Sid: 'ReadStackOutputs', Effect: 'Allow', Action: ['cloudformation:DescribeStacks'], Resource: Refs.StackId },
      {
        Sid: 'ShellInApiTasks',
        Effect: 'Allow',
        Action: ['ecs:ExecuteCommand'],
        Resource: [Fn.GetAtt(X.cluster, 'Arn'), clusterTasks],
        Condition: { StringEquals: { 'ecs:container-name': API_CONTAINER } },
      },
      // ECS Exec sessions are encrypted with this key; the dead-letter queue's messages too.
      { Sid: 'ExecSessionsAndDeadLetters', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: operationsKeyArn },
      { Sid: 'StopWedgedTasks', Effect: 'Allow', Action: ['ecs:StopTask'], Resource: clusterTasks },
      ...runPollerStatements().map((statement) => ({ ...statement, Sid: `PollByHand${statement.Sid}` })),
      {
        Sid: 'ReadLogs',
        Effect: 'Allow',
        Action: ['logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:DescribeLogStreams', 'logs:StartQuery', 'logs:StartLiveTail'],
        Resource: operatorLogGroups,
      },
      {
        Sid: 'ReadFailedStarts',
        Effect: 'Allow',
        Action: ['sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'],
        Resource: Fn.GetAtt(PL.deadLetterQueue, 'Arn'),
      },
      // The outbox and the poll lease live in the table; reading them explains stuck events.
      { Sid: 'ReadTable', Effect: 'Allow', Action: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query'], Resource: tableArn },
    ],
  };
}

/**
 * Runs once at first boot. It installs the Session Manager plugin, which `aws ecs
 * execute-command` needs on the client, and gives every login the names the runbook uses. It
 * only names what never changes for the stack (its name and region; the cluster is named
 * after the stack), so no stack update rewrites it and replaces the hosts.
 */
const USER_DATA = `#!/bin/bash
cat > /etc/profile.d/spaceout-crowd.sh <<'PROFILE'
export AWS_REGION=\${AWS::Region} AWS_DEFAULT_REGION=\${AWS::Region}
export STACK=\${AWS::StackName} CLUSTER=\${AWS::StackName}
# stack_output NAME prints one output of the stack, e.g. stack_output TableName
stack_output() { aws cloudformation describe-stacks --stack-name "$STACK" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }
PROFILE
dnf install -y https://s3.amazonaws.com/session-manager-downloads/plugin/latest/linux_64bit/session-manager-plugin.rpm
`;

/**
 * The optional jump hosts, one per public subnet as in the seed design. Every resource
 * carries the JumpHostEnabled condition, so with EnableJumpHost=false none exists.
 */
export function accessLayer(): Record<string, Resource> {
  const resources: Record<string, Resource> = {
    [J.securityGroup]: new EC2.SecurityGroup({
      GroupDescription: 'Jump hosts: SSH from the given range only; HTTPS out (AWS APIs, ECS Exec, Session Manager, packages)',
      VpcId: Fn.Ref(N.vpc),
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: Fn.Ref(P.jumpHostSshCidr), Description: 'SSH' }],
      SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'HTTPS' }],
      Tags: nameTags('jump-host'),
    }),
    [J.role]: new IAM.Role({
      Description: 'Jump hosts: what an operator who SSHed in may do (docs/operations.md), and Session Manager',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore')],
      Policies: [{ PolicyName: OPERATOR_POLICY_NAME, PolicyDocument: operatorPolicy() }],
    }),
    [J.instanceProfile]: new IAM.InstanceProfile({ Roles: [Fn.Ref(J.role)] }),
    [J.launchTemplate]: new EC2.LaunchTemplate({
      LaunchTemplateData: {
        ImageId: Fn.Ref(P.jumpHostAmiId),
        IamInstanceProfile: { Arn: Fn.GetAtt(J.instanceProfile, 'Arn') },
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        Monitoring: { Enabled: true },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeType: 'gp3', VolumeSize: 8, Encrypted: true, DeleteOnTermination: true } }],
        KeyName: Fn.If(C.hasJumpHostKey, Fn.Ref(P.jumpHostKeyName), Refs.NoValue),
        UserData: Fn.Base64(sub(USER_DATA)),
      },
    }),
  };
  for (const zone of ZONES) {
    resources[J.instance(zone.suffix)] = new EC2.Instance({
      LaunchTemplate: { LaunchTemplateId: Fn.Ref(J.launchTemplate), Version: Fn.GetAtt(J.launchTemplate, 'LatestVersionNumber') },
      InstanceType: Fn.Ref(P.jumpHostInstanceType),
      Monitoring: true,
      // No automatic public address: the Elastic IP below is the host's one public face.
      NetworkInterfaces: [
        {
          DeviceIndex: '0',
          SubnetId: Fn.Ref(N.publicSubnet(zone.suffix)),
          GroupSet: [Fn.GetAtt(J.securityGroup, 'GroupId')],
          AssociatePublicIpAddress: false,
          DeleteOnTermination: true,
        },
      ],
      Tags: nameTags(`jump-host-${zone.suffix.toLowerCase()}`),
    });
    resources[J.eip(zone.suffix)] = new EC2.EIP({ Domain: 'vpc', InstanceId: Fn.Ref(J.instance(zone.suffix)), Tags: nameTags(`jump-host-${zone.suffix.toLowerCase()}`) }).dependsOn(
      N.gatewayAttachment,
    );
  }
  for (const resource of Object.values(resources)) resource.Condition = C.jumpHost;
  return resources;
}

export const jumpHostAddresses = Fn.Join(
  ',',
  ZONES.map((zone) => Fn.Ref(J.eip(zone.suffix))),
);
