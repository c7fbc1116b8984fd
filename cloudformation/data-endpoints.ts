import { EC2 } from './cloudform.js';
import { sub } from './intrinsics.js';
import type { Layer } from './layer.js';
import { nameTags } from './name-tags.js';
import { ResourceHandle } from './resource-handle.js';
import { NO_EGRESS } from './security-group-rules.js';

export interface DataEndpointsInput {
  readonly vpc: ResourceHandle;
  readonly dataSubnets: ReadonlyArray<{ readonly subnet: ResourceHandle }>;
  /** Security groups of the tasks that may reach the endpoints: the API's and the poller's. */
  readonly clients: ReadonlyArray<ResourceHandle<'GroupId'>>;
}

export interface DataEndpointsOutputs {
  /** Tasks that publish events start only once it exists. */
  readonly eventBridgeEndpoint: ResourceHandle;
}

/**
 * EventBridge reached from the data subnets over PrivateLink: publishing needs neither the
 * NAT gateways nor the internet. Only the API and poller tasks may connect.
 */
export function dataEndpointsLayer({ vpc, dataSubnets, clients }: DataEndpointsInput): Layer<DataEndpointsOutputs> {
  const securityGroup = new ResourceHandle<'GroupId'>('DataEndpointSecurityGroup');
  const eventBridgeEndpoint = new ResourceHandle('EventBridgeInterfaceEndpoint');
  const resources = {
    [securityGroup.logicalId]: new EC2.SecurityGroup({
      GroupDescription: 'Data layer interface endpoints: HTTPS from the app tasks only',
      VpcId: vpc.ref,
      SecurityGroupIngress: clients.map((client) => ({
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: client.getAtt('GroupId'),
        Description: `HTTPS from ${client.logicalId}`,
      })),
      SecurityGroupEgress: [NO_EGRESS],
      Tags: nameTags('data-endpoints'),
    }),
    [eventBridgeEndpoint.logicalId]: new EC2.VPCEndpoint({
      VpcId: vpc.ref,
      VpcEndpointType: 'Interface',
      ServiceName: sub('com.amazonaws.${AWS::Region}.events'),
      SubnetIds: dataSubnets.map(({ subnet }) => subnet.ref),
      SecurityGroupIds: [securityGroup.getAtt('GroupId')],
      PrivateDnsEnabled: true,
    }),
  };
  return { resources, outputs: { eventBridgeEndpoint } };
}
