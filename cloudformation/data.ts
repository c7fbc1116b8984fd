import { DynamoDB, Fn, Refs } from './cloudform.js';
import type { IntrinsicFunction, Value } from './cloudform.js';
import { TABLE_DEFINITION } from '../adapters/dynamodb/table-definition.js';
import type { TableDefinition } from '../adapters/dynamodb/table-definition.js';
import type { StackConditions } from './conditions.js';
import type { Layer } from './layer.js';
import type { StackParameters } from './parameters.js';
import { onRemoval } from './removal-policy.js';
import { ResourceHandle } from './resource-handle.js';

export interface DataInput {
  readonly parameters: Pick<StackParameters, 'ReplicaRegion'>;
  readonly conditions: Pick<StackConditions, 'HasReplicaRegion' | 'HasNoReplicaRegion'>;
}

/** Whichever of the two table resources exists: its name, its ARN, the ARN of its indexes. */
export interface CrowdTable {
  readonly name: IntrinsicFunction;
  readonly arn: IntrinsicFunction;
  readonly indexesArn: IntrinsicFunction;
}

export interface DataOutputs {
  readonly table: CrowdTable;
}

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
export function dataLayer({ parameters, conditions }: DataInput): Layer<DataOutputs> {
  const regionalTable = new ResourceHandle<'Arn'>('Table');
  const globalTable = new ResourceHandle<'Arn'>('GlobalTable');
  const schema = tableSchema(TABLE_DEFINITION);
  const pitr = { PointInTimeRecoveryEnabled: true };
  const regional = new DynamoDB.Table({
    ...schema,
    BillingMode: 'PAY_PER_REQUEST',
    PointInTimeRecoverySpecification: pitr,
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    DeletionProtectionEnabled: true,
  }).condition(conditions.HasNoReplicaRegion);
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
    Replicas: [replica(Refs.Region), replica(parameters.ReplicaRegion)],
  }).condition(conditions.HasReplicaRegion);
  const whichever = (ofRegional: IntrinsicFunction, ofGlobal: IntrinsicFunction) =>
    Fn.If(conditions.HasReplicaRegion, ofGlobal, ofRegional);
  const arn = whichever(regionalTable.getAtt('Arn'), globalTable.getAtt('Arn'));
  const resources = {
    // Retained, also when a create rolls back: the readings are the service's only data, and
    // deletion protection would refuse CloudFormation's delete anyway (a rollback would then
    // end in ROLLBACK_FAILED). A table left by a failed create is empty; delete it by hand.
    [regionalTable.logicalId]: onRemoval('Retain', regional),
    [globalTable.logicalId]: onRemoval('Retain', global),
  };
  const table = {
    name: whichever(regionalTable.ref, globalTable.ref),
    arn,
    indexesArn: Fn.Sub('${TableArn}/index/*', { TableArn: arn }),
  };
  return { resources, outputs: { table } };
}
