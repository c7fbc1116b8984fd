import { EC2, Fn, Refs } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { nameTags as tags, sub } from './intrinsics.js';

/** The two Availability Zones, by index into Fn::GetAZs of the stack's region. */
export const ZONES = [
  { suffix: 'Az1', azIndex: 0, publicCidr: '10.0.1.0/24', appCidr: '10.0.2.0/24', dataCidr: '10.0.3.0/24' },
  { suffix: 'Az2', azIndex: 1, publicCidr: '10.0.4.0/24', appCidr: '10.0.5.0/24', dataCidr: '10.0.6.0/24' },
] as const;

export const VPC_CIDR = '10.0.0.0/16';

export const N = {
  vpc: 'Vpc',
  internetGateway: 'InternetGateway',
  gatewayAttachment: 'InternetGatewayAttachment',
  publicRouteTable: 'PublicRouteTable',
  publicDefaultRoute: 'PublicDefaultRoute',
  dynamoDbEndpoint: 'DynamoDbGatewayEndpoint',
  s3Endpoint: 'S3GatewayEndpoint',
  publicSubnet: (suffix: string) => `PublicSubnet${suffix}`,
  appSubnet: (suffix: string) => `AppSubnet${suffix}`,
  dataSubnet: (suffix: string) => `DataSubnet${suffix}`,
  natEip: (suffix: string) => `NatEip${suffix}`,
  natGateway: (suffix: string) => `NatGateway${suffix}`,
  privateRouteTable: (suffix: string) => `PrivateRouteTable${suffix}`,
  privateDefaultRoute: (suffix: string) => `PrivateDefaultRoute${suffix}`,
  appRouteTableAssociation: (suffix: string) => `AppSubnet${suffix}RouteTableAssociation`,
} as const;

export const publicSubnetIds = ZONES.map((zone) => Fn.Ref(N.publicSubnet(zone.suffix)));
export const appSubnetIds = ZONES.map((zone) => Fn.Ref(N.appSubnet(zone.suffix)));

/**
 * What a task in an app subnet needs before it can pull its image, read its secrets and reach
 * AWS: the subnet tied to its route table, and that table's default route to the NAT gateway.
 * Nothing else orders these before the tasks, so without it a first deployment can race them.
 */
export const appSubnetEgress = ZONES.flatMap((zone) => [N.appRouteTableAssociation(zone.suffix), N.privateDefaultRoute(zone.suffix)]);
export const dataSubnetIds = ZONES.map((zone) => Fn.Ref(N.dataSubnet(zone.suffix)));

function subnet(zone: (typeof ZONES)[number], cidr: string, layer: string): Resource {
  return new EC2.Subnet({
    VpcId: Fn.Ref(N.vpc),
    CidrBlock: cidr,
    AvailabilityZone: Fn.Select(zone.azIndex, Fn.GetAZs(Refs.Region)),
    // Nothing in any subnet gets a public address by default: the NAT gateways and jump
    // hosts use Elastic IPs, the load balancer its own.
    MapPublicIpOnLaunch: false,
    Tags: tags(`${layer}-${zone.suffix.toLowerCase()}`),
  });
}

function zoneResources(zone: (typeof ZONES)[number]): Record<string, Resource> {
  const s = zone.suffix;
  return {
    [N.publicSubnet(s)]: subnet(zone, zone.publicCidr, 'public'),
    [N.appSubnet(s)]: subnet(zone, zone.appCidr, 'app'),
    [N.dataSubnet(s)]: subnet(zone, zone.dataCidr, 'data'),
    [`${N.publicSubnet(s)}RouteTableAssociation`]: new EC2.SubnetRouteTableAssociation({
      SubnetId: Fn.Ref(N.publicSubnet(s)),
      RouteTableId: Fn.Ref(N.publicRouteTable),
    }),
    [N.natEip(s)]: new EC2.EIP({ Domain: 'vpc', Tags: tags(`nat-${s.toLowerCase()}`) }).dependsOn(N.gatewayAttachment),
    [N.natGateway(s)]: new EC2.NatGateway({
      AllocationId: Fn.GetAtt(N.natEip(s), 'AllocationId'),
      SubnetId: Fn.Ref(N.publicSubnet(s)),
      Tags: tags(`nat-${s.toLowerCase()}`),
    }),
    // One private route table per AZ, shared by its app and data subnets: a zone's
    // outbound traffic never depends on the other zone's NAT gateway.
    [N.privateRouteTable(s)]: new EC2.RouteTable({ VpcId: Fn.Ref(N.vpc), Tags: tags(`private-${s.toLowerCase()}`) }),
    [N.privateDefaultRoute(s)]: new EC2.Route({
      RouteTableId: Fn.Ref(N.privateRouteTable(s)),
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: Fn.Ref(N.natGateway(s)),
    }),
    [N.appRouteTableAssociation(s)]: new EC2.SubnetRouteTableAssociation({
      SubnetId: Fn.Ref(N.appSubnet(s)),
      RouteTableId: Fn.Ref(N.privateRouteTable(s)),
    }),
    [`${N.dataSubnet(s)}RouteTableAssociation`]: new EC2.SubnetRouteTableAssociation({
      SubnetId: Fn.Ref(N.dataSubnet(s)),
      RouteTableId: Fn.Ref(N.privateRouteTable(s)),
    }),
  };
}

/** A gateway endpoint on both private route tables: free, and its traffic skips the NAT gateways (billed per GB). */
function gatewayEndpoint(service: 'dynamodb' | 's3'): Resource {
  return new EC2.VPCEndpoint({
    VpcId: Fn.Ref(N.vpc),
    VpcEndpointType: 'Gateway',
    ServiceName: sub(`com.amazonaws.\${AWS::Region}.${service}`),
    RouteTableIds: ZONES.map((zone) => Fn.Ref(N.privateRouteTable(zone.suffix))),
  });
}

/** VPC, three subnets per AZ, internet gateway, a NAT gateway per AZ, DynamoDB and S3 gateway endpoints. */
export function networkLayer(): Record<string, Resource> {
  return {
    [N.vpc]: new EC2.VPC({ CidrBlock: VPC_CIDR, EnableDnsSupport: true, EnableDnsHostnames: true, Tags: tags('vpc') }),
    [N.internetGateway]: new EC2.InternetGateway({ Tags: tags('igw') }),
    [N.gatewayAttachment]: new EC2.VPCGatewayAttachment({ VpcId: Fn.Ref(N.vpc), InternetGatewayId: Fn.Ref(N.internetGateway) }),
    [N.publicRouteTable]: new EC2.RouteTable({ VpcId: Fn.Ref(N.vpc), Tags: tags('public') }),
    [N.publicDefaultRoute]: new EC2.Route({
      RouteTableId: Fn.Ref(N.publicRouteTable),
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: Fn.Ref(N.internetGateway),
    }).dependsOn(N.gatewayAttachment),
    ...Object.assign({}, ...ZONES.map(zoneResources)),
    // Every table request of the tasks.
    [N.dynamoDbEndpoint]: gatewayEndpoint('dynamodb'),
    // ECR serves image layers from S3: each task start pulls the whole image, which would
    // otherwise cross a NAT gateway.
    [N.s3Endpoint]: gatewayEndpoint('s3'),
  };
}
