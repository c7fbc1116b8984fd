import { EC2, Fn, IAM, Refs } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { nameTags, sub } from './intrinsics.js';
import { N, ZONES } from './network.js';
import { C, P } from './parameters.js';

export const J = {
  securityGroup: 'JumpHostSecurityGroup',
  role: 'JumpHostRole',
  instanceProfile: 'JumpHostInstanceProfile',
  launchTemplate: 'JumpHostLaunchTemplate',
  instance: (suffix: string) => `JumpHost${suffix}`,
  eip: (suffix: string) => `JumpHostEip${suffix}`,
} as const;

/**
 * The optional jump hosts, one per public subnet as in the seed design. Every resource
 * carries the JumpHostEnabled condition, so with EnableJumpHost=false none exists.
 */
export function accessLayer(): Record<string, Resource> {
  const resources: Record<string, Resource> = {
    [J.securityGroup]: new EC2.SecurityGroup({
      GroupDescription: 'Jump hosts: SSH from the given range only; HTTPS out (Session Manager, packages)',
      VpcId: Fn.Ref(N.vpc),
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: Fn.Ref(P.jumpHostSshCidr), Description: 'SSH' }],
      SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'HTTPS' }],
      Tags: nameTags('jump-host'),
    }),
    [J.role]: new IAM.Role({
      Description: 'Jump hosts: Session Manager only',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore')],
    }),
    [J.instanceProfile]: new IAM.InstanceProfile({ Roles: [Fn.Ref(J.role)] }),
    [J.launchTemplate]: new EC2.LaunchTemplate({
      LaunchTemplateData: {
        ImageId: Fn.Ref(P.latestAmiId),
        IamInstanceProfile: { Arn: Fn.GetAtt(J.instanceProfile, 'Arn') },
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        Monitoring: { Enabled: true },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeType: 'gp3', VolumeSize: 8, Encrypted: true, DeleteOnTermination: true } }],
        KeyName: Fn.If(C.hasJumpHostKey, Fn.Ref(P.jumpHostKeyName), Refs.NoValue),
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
