/**
 * The one source of truth for the single DynamoDB table: the adapter creates it from this
 * locally, and cloudformation/ declares it from this on AWS. Access patterns live in
 * docs/dynamodb.md.
 */
export const SCHEMA_VERSION = 1;

export const KEY = { partition: 'pk', sort: 'sk' } as const;

export const BY_HOUR_INDEX = {
  name: 'by-hour',
  partition: 'gsi1pk',
  sort: 'gsi1sk',
  /** Raw readings of every venue in one hour: the ragged edges of an average. */
  projectedAttributes: ['venueId', 'band'],
} as const;

export const PENDING_INDEX = {
  name: 'pending',
  partition: 'pendingpk',
  sort: 'pendingsk',
} as const;

export type KeyAttributeType = 'S' | 'N' | 'B';

export interface TableDefinition {
  readonly attributes: ReadonlyArray<{ readonly name: string; readonly type: KeyAttributeType }>;
  readonly key: { readonly partition: string; readonly sort: string };
  readonly globalIndexes: ReadonlyArray<{
    readonly name: string;
    readonly partition: string;
    readonly sort: string;
    readonly projection:
      | { readonly type: 'ALL' | 'KEYS_ONLY' }
      | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] };
  }>;
}

export const TABLE_DEFINITION: TableDefinition = {
  attributes: [
    { name: KEY.partition, type: 'S' },
    { name: KEY.sort, type: 'S' },
    { name: BY_HOUR_INDEX.partition, type: 'S' },
    { name: BY_HOUR_INDEX.sort, type: 'S' },
    { name: PENDING_INDEX.partition, type: 'S' },
    { name: PENDING_INDEX.sort, type: 'S' },
  ],
  key: KEY,
  globalIndexes: [
    {
      name: BY_HOUR_INDEX.name,
      partition: BY_HOUR_INDEX.partition,
      sort: BY_HOUR_INDEX.sort,
      projection: { type: 'INCLUDE', attributes: [...BY_HOUR_INDEX.projectedAttributes] },
    },
    {
      name: PENDING_INDEX.name,
      partition: PENDING_INDEX.partition,
      sort: PENDING_INDEX.sort,
      projection: { type: 'ALL' },
    },
  ],
};
