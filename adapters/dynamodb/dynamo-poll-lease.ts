import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { injectable } from 'inversify';
import type { PollLease } from '../../application/ports/poll-lease.js';
import { n, s } from './query-pages.js';
import { SCHEMA_VERSION } from './table-definition.js';

const LEASE_KEY = { pk: s('LEASE'), sk: s('poll') };

/** One item, taken with a conditional write: free, expired, or already ours. */
@injectable()
export class DynamoPollLease implements PollLease {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async acquire(owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...LEASE_KEY, owner: s(owner), expiresAt: n(now + ttlMs), v: n(SCHEMA_VERSION) },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': n(now), ':owner': s(owner) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(owner: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: LEASE_KEY,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': s(owner) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
