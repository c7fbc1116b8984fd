import { EC2, Fn, IAM, Refs } from './cloudform.js';
import type { IntrinsicFunction, ResourceBase as Resource } from './cloudform.js';
import type { StackConditions } from './conditions.js';
import { sub } from './intrinsics.js';
import type { Layer } from './layer.js';
import { nameTags } from './name-tags.js';
import type { StackParameters } from './parameters.js';
import { ResourceHandle } from './resource-handle.js';

/** The policy of the jump hosts' role, the operators' identity on AWS once they have SSHed in. */
export const OPERATOR_POLICY_NAME = 'operate-the-service';

export interface AccessInput {
  readonly parameters: Pick<StackParameters, 'JumpHostSshCidr' | 'JumpHostAmiId' | 'JumpHostKeyName' | 'JumpHostInstanceType'>;
  readonly conditions: Pick<StackConditions, 'JumpHostEnabled' | 'HasJumpHostKeyName'>;
  readonly vpc: ResourceHandle;
  /** One jump host per public subnet, named after its zone. */
  readonly publicSubnets: ReadonlyArray<{ readonly zone: string; readonly subnet: ResourceHandle }>;
  readonly internetGatewayAttachment: ResourceHandle;
  readonly cluster: ResourceHandle<'Arn'>;
  /** The container an operator may open a shell in. */
  readonly apiContainerName: string;
  /** Log groups an operator reads: the tasks', the ECS Exec sessions', the events'. */
  readonly logGroups: ReadonlyArray<ResourceHandle<'Arn'>>;
  /** Encrypts ECS Exec sessions and the dead-letter queue's messages. */
  readonly operationsKey: ResourceHandle<'Arn'>;
  /** What it takes to start the poller, granted to an operator polling by hand. */
  readonly runPollerStatements: ReadonlyArray<{ readonly Sid: string }>;
  readonly deadLetterQueue: ResourceHandle<'Arn'>;
  readonly tableArn: IntrinsicFunction;
}

export interface AccessOutputs {
  /** The jump hosts' Elastic IPs, comma-separated (only when they are enabled). */
  readonly jumpHostAddresses: IntrinsicFunction;
}

/**
 * What an operator on a jump host may do, statement by statement (docs/operations.md explains
 * each): look at the service, open a shell in an API task, stop a wedged task, start a poll,
 * read the logs, the dead-letter queue and the table. Nothing else: no deploys, no writes to
 * the table, no secrets.
 */
function operatorPolicy(input: AccessInput) {
  const { cluster, operationsKey } = input;
  const clusterTasks = sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task/${cluster.subVariable()}/*`);
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
        Resource: [cluster.getAtt('Arn'), clusterTasks],
        Condition: { StringEquals: { 'ecs:container-name': input.apiContainerName } },
      },
      // ECS Exec sessions are encrypted with this key; the dead-letter queue's messages too.
      {
        Sid: 'ExecSessionsAndDeadLetters',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: operationsKey.getAtt('Arn'),
      },
      { Sid: 'StopWedgedTasks', Effect: 'Allow', Action: ['ecs:StopTask'], Resource: clusterTasks },
      ...input.runPollerStatements.map((statement) => ({ ...statement, Sid: `PollByHand${statement.Sid}` })),
      {
        Sid: 'ReadLogs',
        Effect: 'Allow',
        Action: ['logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:DescribeLogStreams', 'logs:StartQuery', 'logs:StartLiveTail'],
        Resource: input.logGroups.map((logGroup) => logGroup.getAtt('Arn')),
      },
      {
        Sid: 'ReadFailedStarts',
        Effect: 'Allow',
        Action: ['sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'],
        Resource: input.deadLetterQueue.getAtt('Arn'),
      },
      // The outbox and the poll lease live in the table; reading them explains stuck events.
      {
        Sid: 'ReadTable',
        Effect: 'Allow',
        Action: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query'],
        Resource: input.tableArn,
      },
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
export function accessLayer(input: AccessInput): Layer<AccessOutputs> {
  const { parameters, conditions } = input;
  const securityGroup = new ResourceHandle<'GroupId'>('JumpHostSecurityGroup');
  const role = new ResourceHandle('JumpHostRole');
  const instanceProfile = new ResourceHandle<'Arn'>('JumpHostInstanceProfile');
  const launchTemplate = new ResourceHandle<'LatestVersionNumber'>('JumpHostLaunchTemplate');
  const resources: Record<string, Resource> = {
    [securityGroup.logicalId]: new EC2.SecurityGroup({
      GroupDescription: 'Jump hosts: SSH from the given range only; HTTPS out (AWS APIs, ECS Exec, Session Manager, packages)',
      VpcId: input.vpc.ref,
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: parameters.JumpHostSshCidr, Description: 'SSH' }],
      SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'HTTPS' }],
      Tags: nameTags('jump-host'),
    }),
    [role.logicalId]: new IAM.Role({
      Description: 'Jump hosts: what an operator who SSHed in may do (docs/operations.md), and Session Manager',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore')],
      Policies: [{ PolicyName: OPERATOR_POLICY_NAME, PolicyDocument: operatorPolicy(input) }],
    }),
    [instanceProfile.logicalId]: new IAM.InstanceProfile({ Roles: [role.ref] }),
    [launchTemplate.logicalId]: new EC2.LaunchTemplate({
      LaunchTemplateData: {
        ImageId: parameters.JumpHostAmiId,
        IamInstanceProfile: { Arn: instanceProfile.getAtt('Arn') },
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        Monitoring: { Enabled: true },
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: { VolumeType: 'gp3', VolumeSize: 8, Encrypted: true, DeleteOnTermination: true } },
        ],
        KeyName: Fn.If(conditions.HasJumpHostKeyName, parameters.JumpHostKeyName, Refs.NoValue),
        UserData: Fn.Base64(sub(USER_DATA)),
      },
    }),
  };
  const addresses: ResourceHandle[] = [];
  for (const { zone, subnet } of input.publicSubnets) {
    const instance = new ResourceHandle(`JumpHost${zone}`);
    const address = new ResourceHandle(`JumpHostEip${zone}`);
    resources[instance.logicalId] = new EC2.Instance({
      LaunchTemplate: { LaunchTemplateId: launchTemplate.ref, Version: launchTemplate.getAtt('LatestVersionNumber') },
      InstanceType: parameters.JumpHostInstanceType,
      Monitoring: true,
      // No automatic public address: the Elastic IP below is the host's one public face.
      NetworkInterfaces: [
        {
          DeviceIndex: '0',
          SubnetId: subnet.ref,
          GroupSet: [securityGroup.getAtt('GroupId')],
          AssociatePublicIpAddress: false,
          DeleteOnTermination: true,
        },
      ],
      Tags: nameTags(`jump-host-${zone.toLowerCase()}`),
    });
    resources[address.logicalId] = new EC2.EIP({
      Domain: 'vpc',
      InstanceId: instance.ref,
      Tags: nameTags(`jump-host-${zone.toLowerCase()}`),
    }).dependsOn(input.internetGatewayAttachment.logicalId);
    addresses.push(address);
  }
  for (const resource of Object.values(resources)) resource.Condition = conditions.JumpHostEnabled;
  return {
    resources,
    outputs: {
      jumpHostAddresses: Fn.Join(
        ',',
        addresses.map((address) => address.ref),
      ),
    },
  };
}
