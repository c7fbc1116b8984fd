import { EC2, Fn, Refs } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { sub } from './intrinsics.js';
import type { Layer } from './layer.js';
import { nameTags as tags } from './name-tags.js';
import { ResourceHandle } from './resource-handle.js';

/** The two Availability Zones, by index into Fn::GetAZs of the stack's region. */
export const ZONES = [
  { suffix: 'Az1', azIndex: 0, publicCidr: '10.0.1.0/24', appCidr: '10.0.2.0/24', dataCidr: '10.0.3.0/24' },
  { suffix: 'Az2', azIndex: 1, publicCidr: '10.0.4.0/24', appCidr: '10.0.5.0/24', dataCidr: '10.0.6.0/24' },
] as const;

type Zone = (typeof ZONES)[number];

export const VPC_CIDR = '10.0.0.0/16';

/** A subnet and the zone it is in: `Az1`, `Az2`, the suffix of what other layers make per zone. */
export interface ZoneSubnet {
  readonly zone: string;
  readonly subnet: ResourceHandle;
}

export interface NetworkOutputs {
  readonly vpc: ResourceHandle;
  /** What needs a route to the internet waits for it (Elastic IPs, the load balancer). */
  readonly internetGatewayAttachment: ResourceHandle;
  readonly publicSubnets: readonly ZoneSubnet[];
  readonly appSubnets: readonly ZoneSubnet[];
  readonly dataSubnets: readonly ZoneSubnet[];
  /**
   * What a task in an app subnet needs before it can pull its image, read its secrets and reach
   * AWS: the subnet tied to its route table, and that table's default route to the NAT gateway.
   * Nothing else orders these before the tasks, so without it a first deployment can race them.
   */
  readonly appSubnetEgress: readonly ResourceHandle[];
}

function subnet(vpc: ResourceHandle, zone: Zone, cidr: string, layer: string): Resource {
  return new EC2.Subnet({
    VpcId: vpc.ref,
    CidrBlock: cidr,
    AvailabilityZone: Fn.Select(zone.azIndex, Fn.GetAZs(Refs.Region)),
    // Nothing in any subnet gets a public address by default: the NAT gateways and jump
    // hosts use Elastic IPs, the load balancer its own.
    MapPublicIpOnLaunch: false,
    Tags: tags(`${layer}-${zone.suffix.toLowerCase()}`),
  });
}

interface Shared {
  readonly vpc: ResourceHandle;
  readonly publicRouteTable: ResourceHandle;
  readonly internetGatewayAttachment: ResourceHandle;
}

/** One zone's three subnets, its NAT gateway and its private route table. */
function zoneNetwork(zone: Zone, { vpc, publicRouteTable, internetGatewayAttachment }: Shared) {
  const s = zone.suffix;
  const publicSubnet = new ResourceHandle(`PublicSubnet${s}`);
  const appSubnet = new ResourceHandle(`AppSubnet${s}`);
  const dataSubnet = new ResourceHandle(`DataSubnet${s}`);
  const natEip = new ResourceHandle<'AllocationId'>(`NatEip${s}`);
  const natGateway = new ResourceHandle(`NatGateway${s}`);
  const privateRouteTable = new ResourceHandle(`PrivateRouteTable${s}`);
  const privateDefaultRoute = new ResourceHandle(`PrivateDefaultRoute${s}`);
  const appRouteTableAssociation = new ResourceHandle(`AppSubnet${s}RouteTableAssociation`);
  const resources: Record<string, Resource> = {
    [publicSubnet.logicalId]: subnet(vpc, zone, zone.publicCidr, 'public'),
    [appSubnet.logicalId]: subnet(vpc, zone, zone.appCidr, 'app'),
    [dataSubnet.logicalId]: subnet(vpc, zone, zone.dataCidr, 'data'),
    [`PublicSubnet${s}RouteTableAssociation`]: new EC2.SubnetRouteTableAssociation({
      SubnetId: publicSubnet.ref,
      RouteTableId: publicRouteTable.ref,
    }),
    [natEip.logicalId]: new EC2.EIP({ Domain: 'vpc', Tags: tags(`nat-${s.toLowerCase()}`) }).dependsOn(internetGatewayAttachment.logicalId),
    [natGateway.logicalId]: new EC2.NatGateway({
      AllocationId: natEip.getAtt('AllocationId'),
      SubnetId: publicSubnet.ref,
      Tags: tags(`nat-${s.toLowerCase()}`),
    }),
    // One private route table per AZ, shared by its app and data subnets: a zone's
    // outbound traffic never depends on the other zone's NAT gateway.
    [privateRouteTable.logicalId]: new EC2.RouteTable({ VpcId: vpc.ref, Tags: tags(`private-${s.toLowerCase()}`) }),
    [privateDefaultRoute.logicalId]: new EC2.Route({
      RouteTableId: privateRouteTable.ref,
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: natGateway.ref,
    }),
    [appRouteTableAssociation.logicalId]: new EC2.SubnetRouteTableAssociation({
      SubnetId: appSubnet.ref,
      RouteTableId: privateRouteTable.ref,
    }),
    [`DataSubnet${s}RouteTableAssociation`]: new EC2.SubnetRouteTableAssociation({
      SubnetId: dataSubnet.ref,
      RouteTableId: privateRouteTable.ref,
    }),
  };
  return {
    resources,
    publicSubnet: { zone: s, subnet: publicSubnet },
    appSubnet: { zone: s, subnet: appSubnet },
    dataSubnet: { zone: s, subnet: dataSubnet },
    privateRouteTable,
    appSubnetEgress: [appRouteTableAssociation, privateDefaultRoute],
  };
}

/** A gateway endpoint on both private route tables: free, and its traffic skips the NAT gateways (billed per GB). */
function gatewayEndpoint(vpc: ResourceHandle, routeTables: readonly ResourceHandle[], service: 'dynamodb' | 's3'): Resource {
  return new EC2.VPCEndpoint({
    VpcId: vpc.ref,
    VpcEndpointType: 'Gateway',
    ServiceName: sub(`com.amazonaws.\${AWS::Region}.${service}`),
    RouteTableIds: routeTables.map((table) => table.ref),
  });
}

/** VPC, three subnets per AZ, internet gateway, a NAT gateway per AZ, DynamoDB and S3 gateway endpoints. */
export function networkLayer(): Layer<NetworkOutputs> {
  const vpc = new ResourceHandle('Vpc');
  const internetGateway = new ResourceHandle('InternetGateway');
  const internetGatewayAttachment = new ResourceHandle('InternetGatewayAttachment');
  const publicRouteTable = new ResourceHandle('PublicRouteTable');
  const zones = ZONES.map((zone) => zoneNetwork(zone, { vpc, publicRouteTable, internetGatewayAttachment }));
  const privateRouteTables = zones.map((zone) => zone.privateRouteTable);
  return {
    resources: {
      [vpc.logicalId]: new EC2.VPC({ CidrBlock: VPC_CIDR, EnableDnsSupport: true, EnableDnsHostnames: true, Tags: tags('vpc') }),
      [internetGateway.logicalId]: new EC2.InternetGateway({ Tags: tags('igw') }),
      [internetGatewayAttachment.logicalId]: new EC2.VPCGatewayAttachment({ VpcId: vpc.ref, InternetGatewayId: internetGateway.ref }),
      [publicRouteTable.logicalId]: new EC2.RouteTable({ VpcId: vpc.ref, Tags: tags('public') }),
      PublicDefaultRoute: new EC2.Route({
        RouteTableId: publicRouteTable.ref,
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: internetGateway.ref,
      }).dependsOn(internetGatewayAttachment.logicalId),
      ...Object.fromEntries(zones.flatMap((zone) => Object.entries(zone.resources))),
      // Every table request of the tasks.
      DynamoDbGatewayEndpoint: gatewayEndpoint(vpc, privateRouteTables, 'dynamodb'),
      // ECR serves image layers from S3: each task start pulls the whole image, which would
      // otherwise cross a NAT gateway.
      S3GatewayEndpoint: gatewayEndpoint(vpc, privateRouteTables, 's3'),
    },
    outputs: {
      vpc,
      internetGatewayAttachment,
      publicSubnets: zones.map((zone) => zone.publicSubnet),
      appSubnets: zones.map((zone) => zone.appSubnet),
      dataSubnets: zones.map((zone) => zone.dataSubnet),
      appSubnetEgress: zones.flatMap((zone) => zone.appSubnetEgress),
    },
  };
}
