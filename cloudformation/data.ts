import { DynamoDB, EC2, Fn, Refs } from './cloudform.js';
import type { ResourceBase as Resource, Value } from './cloudform.js';
import { TABLE_DEFINITION } from '../adapters/dynamodb/table-definition.js';
import type { TableDefinition } from '../adapters/dynamodb/table-definition.js';
import { NO_EGRESS, nameTags, onRemoval, sub } from './intrinsics.js';
import { APP_SECURITY_GROUP } from './load-balancing.js';
import { dataSubnetIds, N } from './network.js';
import { C, P } from './parameters.js';

export const D = {
  table: 'Table',
  globalTable: 'GlobalTable',
  endpointSecurityGroup: 'DataEndpointSecurityGroup',
  eventsEndpoint: 'EventBridgeInterfaceEndpoint',
} as const;

/** Security groups of the tasks that may reach the data layer's interface endpoints. */
export const DATA_CLIENT_SECURITY_GROUPS = [APP_SECURITY_GROUP, 'PollerSecurityGroup'] as const;

/** Whichever of the two table resources exists: its name, its ARN. */
export const tableName = Fn.If(C.hasReplica, Fn.Ref(D.globalTable), Fn.Ref(D.table));
export const tableArn = Fn.If(C.hasReplica, Fn.GetAtt(D.globalTable, 'Arn'), Fn.GetAtt(D.table, 'Arn'));
export const tableIndexesArn = Fn.Sub('${TableArn}/index/*', { TableArn: tableArn });

/** KeySchema, AttributeDefinitions and GSIs, translated from the adapter's definition. */
export function tableSchema(definition: TableDefinition) {
  const keySchema = (partition: string, sort: string) => [
    { AttributeName: partition, KeyType: 'HASH' },
    { AttributeName: sort, KeyType: 'RANGE' },
  ];
  return {
    AttributeDefinitions: definition.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: keySchema(definition.key.partition, definition.key.sort),
    // CloudFormation, like DynamoDB, takes no list rather than an empty one.
    ...(definition.globalIndexes.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: definition.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partition, index.sort),
            Projection:
              index.projection.type === 'INCLUDE'
                ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] }
                : { ProjectionType: index.projection.type },
          })),
        }),
  };
}

/**
 * The one table. A regional table already keeps three synchronous copies across AZs (the
 * seed's "read replica in the other AZ"); ReplicaRegion turns it into a global table with a
 * copy in a second region instead. Exactly one of the two resources exists.
 */
export function dataLayer(): Record<string, Resource> {
  const schema = tableSchema(TABLE_DEFINITION);
  const pitr = { PointInTimeRecoveryEnabled: true };
  const regional = new DynamoDB.Table({
    ...schema,
    BillingMode: 'PAY_PER_REQUEST',
    PointInTimeRecoverySpecification: pitr,
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    DeletionProtectionEnabled: true,
  }).condition(C.hasNoReplica);
  const replica = (region: Value<string>) => ({
    Region: region,
    PointInTimeRecoverySpecification: pitr,
    DeletionProtectionEnabled: true,
    // No replica SSESpecification: the table's SSEType KMS already encrypts every replica
    // with the AWS managed key, and naming that key per replica is refused at deploy time.
  });
  const global = new DynamoDB.GlobalTable({
    ...schema,
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    Replicas: [replica(Refs.Region), replica(Fn.Ref(P.replicaRegion))],
  }).condition(C.hasReplica);
  return {
    // Retained, also when a create rolls back: the readings are the service's only data, and
    // deletion protection would refuse CloudFormation's delete anyway (a rollback would then
    // end in ROLLBACK_FAILED). A table left by a failed create is empty; delete it by hand.
    [D.table]: onRemoval('Retain', regional),
    [D.globalTable]: onRemoval('Retain', global),
    ...eventBridgeEndpoint(),
  };
}

/**
 * EventBridge reached from the data subnets over PrivateLink: publishing needs neither the
 * NAT gateways nor the internet. Only the API and poller tasks may connect.
 */
function eventBridgeEndpoint(): Record<string, Resource> {
  return {
    [D.endpointSecurityGroup]: new EC2.SecurityGroup({
      GroupDescription: 'Data layer interface endpoints: HTTPS from the app tasks only',
      VpcId: Fn.Ref(N.vpc),
      SecurityGroupIngress: DATA_CLIENT_SECURITY_GROUPS.map((client) => ({
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: Fn.GetAtt(client, 'GroupId'),
        Description: `HTTPS from ${client}`,
      })),
      SecurityGroupEgress: [NO_EGRESS],
      Tags: nameTags('data-endpoints'),
    }),
    [D.eventsEndpoint]: new EC2.VPCEndpoint({
      VpcId: Fn.Ref(N.vpc),
      VpcEndpointType: 'Interface',
      ServiceName: sub('com.amazonaws.${AWS::Region}.events'),
      SubnetIds: dataSubnetIds,
      SecurityGroupIds: [Fn.GetAtt(D.endpointSecurityGroup, 'GroupId')],
      PrivateDnsEnabled: true,
    }),
  };
}
