/**
 * The one source of truth for the single DynamoDB table: the adapter creates it from this
 * locally, and cloudformation/ declares it from this on AWS. Access patterns live in
 * docs/dynamodb.md.
 */
/** 2: packed all-venue partitions and a journalled ingest (1 kept one rollup item per venue and bucket). */
export const SCHEMA_VERSION = 2;

export const KEY = { partition: 'pk', sort: 'sk' } as const;

export type KeyAttributeType = 'S' | 'N' | 'B';

export interface TableDefinition {
  readonly attributes: ReadonlyArray<{ readonly name: string; readonly type: KeyAttributeType }>;
  readonly key: { readonly partition: string; readonly sort: string };
  readonly globalIndexes: ReadonlyArray<{
    readonly name: string;
    readonly partition: string;
    readonly sort: string;
    readonly projection: { readonly type: 'ALL' | 'KEYS_ONLY' } | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] };
  }>;
}

/**
 * No secondary index: every question is a Query or GetItem on the table's own key (packed
 * partitions answer the all-venue questions), so no write pays for an index copy.
 */
export const TABLE_DEFINITION: TableDefinition = {
  attributes: [
    { name: KEY.partition, type: 'S' },
    { name: KEY.sort, type: 'S' },
  ],
  key: KEY,
  globalIndexes: [],
};
