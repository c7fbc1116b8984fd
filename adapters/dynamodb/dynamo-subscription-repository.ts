import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { inject, injectable } from 'inversify';
import type {
  AlertPayload,
  PendingDelivery,
  StoredSubscription,
  SubscriptionRepository,
  SubscriptionToMatch,
} from '../../application/ports/subscription-repository.js';
import { RECENT_DELIVERIES, type DeliveryRecord, type Subscription, type SubscriptionState } from '../../domain/subscription.js';
import { n, num, parseWithDates, s, text, type Item } from './attribute-values.js';
import { mapConcurrently } from '../../application/use-cases/map-concurrently.js';
import { DELIVERED_PARTITION, DELIVERY_PARTITION, SUBSCRIPTION_PARTITION } from './keys.js';
import { DYNAMO_TABLE, type DynamoTable } from './dynamo-table.js';
import { keyOf, PackedItems } from './packed-items.js';
import { SCHEMA_VERSION } from './table-definition.js';

const DATE_FIELDS = new Set(['createdAt', 'pausedAt', 'lastNotifiedAt', 'observedAt', 'finishedAt']);

/** Small values as plain JSON text, readable in the console; packed values (shards) are what gets compressed. */
const json = (value: unknown) => s(JSON.stringify(value));

/** JSON text back with its instants as Dates; the caller names the shape it wrote. */
function revived(item: Item, attribute: string): unknown {
  return parseWithDates(text(item, attribute), DATE_FIELDS);
}

type StateWithoutHistory = Omit<SubscriptionState, 'recentDeliveries'>;

/**
 * Subscriptions (`pk=SUBSCRIPTION`), their recent deliveries (`pk=DELIVERED`) and pending
 * deliveries (`pk=DELIVERY`), one item each. The recent deliveries would be most of a
 * subscription's size, and every poll with band changes reads all subscriptions, so they live
 * apart. A subscription's state is changed with a compare-and-set on its `version`, then its
 * history gains the new records (a merge by delivery id, so it is safe to repeat). A delivery
 * is queued with a conditional put (so queueing it twice keeps the first, claim and all) and
 * claimed, released and removed with conditions on its claim.
 */
@injectable()
export class DynamoSubscriptionRepository implements SubscriptionRepository {
  private readonly items: PackedItems;

  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(@inject(DYNAMO_TABLE) table: DynamoTable) {
    this.client = table.client;
    this.tableName = table.name;
    this.items = new PackedItems(table);
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
          state: json(withoutHistory(stored.state)),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await this.mergeHistory(stored.subscription.id, stored.state.recentDeliveries, undefined);
  }

  async get(id: string): Promise<StoredSubscription | null> {
    const { item, history } = await this.read(id);
    return item === undefined
      ? null
      : {
          subscription: revived(item, 'subscription') as Subscription,
          secretHash: text(item, 'secretHash'),
          sealedSecret: text(item, 'sealedSecret'),
          state: stateOf(item, history),
        };
  }

  async all(): Promise<readonly SubscriptionToMatch[]> {
    // The projection keeps secrets out of what matching holds; it saves no read units.
    const items = await this.items.partition(SUBSCRIPTION_PARTITION, { consistent: true, projection: ['subscription', 'state'] });
    return [...items.values()].map((item) => {
      const state = revived(item, 'state') as StateWithoutHistory;
      return { subscription: revived(item, 'subscription') as Subscription, status: state.status, lastNotifiedAt: state.lastNotifiedAt };
    });
  }

  async remove(id: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: { pk: s(SUBSCRIPTION_PARTITION), sk: s(id) }, ReturnValues: 'ALL_OLD' }),
    );
    // A history left behind by a process that died here is a few hundred bytes nobody reads.
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { pk: s(DELIVERED_PARTITION), sk: s(id) } }));
    return Attributes !== undefined;
  }

  async updateState(id: string, change: (state: SubscriptionState) => SubscriptionState): Promise<SubscriptionState | null> {
    const { item, history, historyItem } = await this.read(id);
    // Set by the mutation, which may run again after a conflict: the last run's result counts.
    const outcome: { result: SubscriptionState | null } = { result: null };
    await this.items.update(
      { pk: SUBSCRIPTION_PARTITION, sk: id },
      (current) => {
        if (current === undefined) {
          outcome.result = null;
          return null;
        }
        const state = stateOf(current, history);
        const result = change(state);
        outcome.result = result;
        return result === state ? null : { ...current, state: json(withoutHistory(result)) };
      },
      { item },
    );
    const { result } = outcome;
    const known = new Set(history.map((record) => record.deliveryId));
    const added = result === null ? [] : result.recentDeliveries.filter((record) => !known.has(record.deliveryId));
    await this.mergeHistory(id, added, historyItem);
    return result;
  }

  /** The subscription's item and its recent deliveries, in one consistent request. */
  private async read(id: string): Promise<{ item: Item | undefined; history: DeliveryRecord[]; historyItem: Item | undefined }> {
    const found = await this.items.get(
      [
        { pk: SUBSCRIPTION_PARTITION, sk: id },
        { pk: DELIVERED_PARTITION, sk: id },
      ],
      { consistent: true },
    );
    const historyItem = found.get(keyOf(DELIVERED_PARTITION, id));
    return {
      item: found.get(keyOf(SUBSCRIPTION_PARTITION, id)),
      history: historyItem === undefined ? [] : (revived(historyItem, 'recent') as DeliveryRecord[]),
      historyItem,
    };
  }

  /** Adds the records the history lacks, newest first, keeping the last RECENT_DELIVERIES; `known` is the history item as last read. */
  private async mergeHistory(id: string, records: readonly DeliveryRecord[], known: Item | undefined): Promise<void> {
    if (records.length === 0) return;
    const merge = (current: Item | undefined) => {
      const stored = current === undefined ? [] : (revived(current, 'recent') as DeliveryRecord[]);
      const present = new Set(stored.map((record) => record.deliveryId));
      const added = records.filter((record) => !present.has(record.deliveryId));
      if (added.length === 0) return null;
      const merged = [...added, ...stored].sort((a, b) => b.finishedAt.getTime() - a.finishedAt.getTime()).slice(0, RECENT_DELIVERIES);
      return { recent: json(merged) };
    };
    await this.items.update({ pk: DELIVERED_PARTITION, sk: id }, merge, { item: known });
  }

  async enqueue(deliveries: readonly PendingDelivery[]): Promise<void> {
    await mapConcurrently(deliveries, 4, async (delivery) => {
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              pk: s(DELIVERY_PARTITION),
              sk: s(delivery.deliveryId),
              v: n(SCHEMA_VERSION),
              payload: json(delivery.payload),
              queuedAt: n(delivery.queuedAt.getTime()),
            },
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
      .map((item) => ({
        deliveryId: text(item, 'sk'),
        payload: revived(item, 'payload') as AlertPayload,
        queuedAt: new Date(num(item, 'queuedAt')),
      }))
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
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: deliveryKey(deliveryId),
        ConditionExpression: 'claimedBy = :owner',
        ExpressionAttributeValues: { ':owner': s(owner) },
      }),
    );
  }

  /** True when the write's condition held. */
  private async conditionally(command: UpdateItemCommand | DeleteItemCommand): Promise<boolean> {
    try {
      await this.client.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

const deliveryKey = (deliveryId: string) => ({ pk: s(DELIVERY_PARTITION), sk: s(deliveryId) });

function withoutHistory({ recentDeliveries: _history, ...state }: SubscriptionState): StateWithoutHistory {
  return state;
}

function stateOf(item: Item, history: DeliveryRecord[]): SubscriptionState {
  return { ...(revived(item, 'state') as StateWithoutHistory), recentDeliveries: history };
}
