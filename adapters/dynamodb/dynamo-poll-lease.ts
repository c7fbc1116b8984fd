import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { inject, injectable } from 'inversify';
import { CLOCK, systemClock, type Clock } from '../../application/ports/clock.js';
import type { LeaseHolder, LeaseOutcome, PollLease } from '../../application/ports/poll-lease.js';
import { DYNAMO_TABLE, type DynamoTable } from './dynamo-table.js';
import { LEASE_KEY } from './keys.js';
import { n, num, s, text } from './attribute-values.js';
import { SCHEMA_VERSION } from './table-definition.js';

const KEY = { pk: s(LEASE_KEY.pk), sk: s(LEASE_KEY.sk) };
const OWNER = { '#owner': 'owner' };

/** One item, taken with a conditional write: free, expired, or already ours. */
@injectable()
export class DynamoPollLease implements PollLease {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(
    @inject(DYNAMO_TABLE) table: DynamoTable,
    @inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {
    this.client = table.client;
    this.tableName = table.name;
  }

  async acquire(owner: string, ttlMs: number): Promise<LeaseOutcome> {
    const now = this.clock.now().getTime();
    try {
      const { Attributes: previous } = await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...KEY, owner: s(owner), expiresAt: n(now + ttlMs), renewedAt: n(now), v: n(SCHEMA_VERSION) },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
          ExpressionAttributeNames: OWNER,
          ExpressionAttributeValues: { ':now': n(now), ':owner': s(owner) },
          ReturnValues: 'ALL_OLD',
        }),
      );
      // A lease still there after it expired was never released: the poll that held it died.
      return { acquired: true, tookOverFrom: previous !== undefined && text(previous, 'owner') !== owner ? holderOf(previous) : null };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item: holder } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: KEY, ConsistentRead: true }));
    // Released between the two requests: free now, but another poller is surely on its way; let it.
    return {
      acquired: false,
      holder: holder === undefined ? { owner: 'unknown', expiresAt: new Date(now), renewedAt: new Date(now) } : holderOf(holder),
    };
  }

  async renew(owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now().getTime();
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: KEY,
          UpdateExpression: 'SET expiresAt = :expiresAt, renewedAt = :now',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: OWNER,
          ExpressionAttributeValues: { ':expiresAt': n(now + ttlMs), ':now': n(now), ':owner': s(owner) },
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
          Key: KEY,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: OWNER,
          ExpressionAttributeValues: { ':owner': s(owner) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function holderOf(item: Record<string, AttributeValue>): LeaseHolder {
  return {
    owner: text(item, 'owner'),
    expiresAt: new Date(num(item, 'expiresAt')),
    renewedAt: new Date(num(item, 'renewedAt') || num(item, 'expiresAt')),
  };
}
