import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { injectable } from 'inversify';
import type { AlertPayload, PendingDelivery, StoredSubscription, SubscriptionRepository } from '../../application/ports/subscription-repository.js';
import type { Subscription, SubscriptionState } from '../../domain/subscription.js';
import { mapConcurrently } from './concurrency.js';
import { DELIVERY_PARTITION, SUBSCRIPTION_PARTITION } from './keys.js';
import { PackedItems, type Item } from './packed-items.js';
import { n, num, s, text } from './query-pages.js';
import { SCHEMA_VERSION } from './table-definition.js';

const DATE_FIELDS = new Set(['createdAt', 'pausedAt', 'lastNotifiedAt', 'observedAt', 'finishedAt']);

/** Small values as plain JSON text, readable in the console; packed values (shards) are what gets compressed. */
const json = (value: unknown) => s(JSON.stringify(value));

/** JSON text back with its instants as Dates. */
function revived<T>(item: Item, attribute: string): T {
  return JSON.parse(text(item, attribute), (key, value: unknown) => (DATE_FIELDS.has(key) && typeof value === 'string' ? new Date(value) : value)) as T;
}

/**
 * Subscriptions (`pk=SUBSCRIPTION`) and pending deliveries (`pk=DELIVERY`), one item each. A
 * subscription's state is changed with a compare-and-set on its `version`; a delivery is
 * queued with a conditional put (so queueing it twice keeps the first, claim and all) and
 * claimed, released and removed with conditions on its claim.
 */
@injectable()
export class DynamoSubscriptionRepository implements SubscriptionRepository {
  private readonly items: PackedItems;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.items = new PackedItems(client, tableName);
  }

  async add(stored: StoredSubscription): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          pk: s(SUBSCRIPTION_PARTITION),
          sk: s(stored.subscription.id),
          v: n(SCHEMA_VERSION),
          version: n(1),
          subscription: json(stored.subscription),
          secretHash: s(stored.secretHash),
          sealedSecret: s(stored.sealedSecret),
          state: json(stored.state),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<StoredSubscription | null> {
    const item = (await this.items.get([{ pk: SUBSCRIPTION_PARTITION, sk: id }], { consistent: true })).values().next().value;
    return item === undefined ? null : decodeSubscription(item);
  }

  async all(): Promise<readonly StoredSubscription[]> {
    return [...(await this.items.partition(SUBSCRIPTION_PARTITION, { consistent: true })).values()].map(decodeSubscription);
  }

  async remove(id: string): Promise<boolean> {
    const { Attributes } = await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { pk: s(SUBSCRIPTION_PARTITION), sk: s(id) }, ReturnValues: 'ALL_OLD' }));
    return Attributes !== undefined;
  }

  async updateState(id: string, change: (state: SubscriptionState) => SubscriptionState): Promise<SubscriptionState | null> {
    let result: SubscriptionState | null = null;
    await this.items.update({ pk: SUBSCRIPTION_PARTITION, sk: id }, (item) => {
      if (item === undefined) {
        result = null;
        return null;
      }
      const state = revived<SubscriptionState>(item, 'state');
      result = change(state);
      return result === state ? null : { ...item, state: json(result) };
    });
    return result;
  }

  async enqueue(deliveries: readonly PendingDelivery[]): Promise<void> {
    await mapConcurrently(deliveries, 4, async (delivery) => {
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: { pk: s(DELIVERY_PARTITION), sk: s(delivery.deliveryId), v: n(SCHEMA_VERSION), payload: json(delivery.payload), queuedAt: n(delivery.queuedAt.getTime()) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // Already queued (by a run whose events are being relayed): keep that one, claim and all.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    });
  }

  async pendingDeliveries(): Promise<readonly PendingDelivery[]> {
    const items = [...(await this.items.partition(DELIVERY_PARTITION, { consistent: true })).values()];
    return items
      .map((item) => ({ deliveryId: text(item, 'sk'), payload: revived<AlertPayload>(item, 'payload'), queuedAt: new Date(num(item, 'queuedAt')) }))
      .sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime());
  }

  async claim(deliveryId: string, owner: string, until: Date, now: Date): Promise<boolean> {
    return this.conditionally(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: deliveryKey(deliveryId),
        UpdateExpression: 'SET claimedBy = :owner, claimedUntil = :until',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now OR claimedBy = :owner)',
        ExpressionAttributeValues: { ':owner': s(owner), ':until': n(until.getTime()), ':now': n(now.getTime()) },
      }),
    );
  }

  async release(deliveryId: string, owner: string): Promise<void> {
    await this.conditionally(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: deliveryKey(deliveryId),
        UpdateExpression: 'REMOVE claimedBy, claimedUntil',
        ConditionExpression: 'claimedBy = :owner',
        ExpressionAttributeValues: { ':owner': s(owner) },
      }),
    );
  }

  async finish(deliveryId: string, owner: string): Promise<boolean> {
    return this.conditionally(
      new DeleteItemCommand({ TableName: this.tableName, Key: deliveryKey(deliveryId), ConditionExpression: 'claimedBy = :owner', ExpressionAttributeValues: { ':owner': s(owner) } }),
    );
  }

  /** True when the write's condition held. */
  private async conditionally(command: UpdateItemCommand | DeleteItemCommand): Promise<boolean> {
    try {
      await this.client.send(command as UpdateItemCommand);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

const deliveryKey = (deliveryId: string) => ({ pk: s(DELIVERY_PARTITION), sk: s(deliveryId) });

function decodeSubscription(item: Item): StoredSubscription {
  return {
    subscription: revived<Subscription>(item, 'subscription'),
    secretHash: text(item, 'secretHash'),
    sealedSecret: text(item, 'sealedSecret'),
    state: revived<SubscriptionState>(item, 'state'),
  };
}
