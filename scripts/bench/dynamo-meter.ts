import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Commands that report consumed capacity when asked with ReturnConsumedCapacity. */
const METERED = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);

export interface Metered {
  readonly requests: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly itemsRead: number;
  readonly byCommand: Readonly<Record<string, number>>;
}

interface Capacity {
  readonly CapacityUnits?: number;
}

/**
 * Counts what costs money on AWS: the requests a DynamoDB client sends, the read and write
 * capacity units the server reports for them (ReturnConsumedCapacity), and the items read.
 * An SDK middleware, so it sees exactly what the adapters send, retries included.
 */
export class DynamoMeter {
  private requests = 0;
  private readUnits = 0;
  private writeUnits = 0;
  private itemsRead = 0;
  private byCommand: Record<string, number> = {};

  attach(client: DynamoDBClient): DynamoDBClient {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? 'unknown';
        if (METERED.has(command)) (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        this.requests++;
        this.byCommand[command] = (this.byCommand[command] ?? 0) + 1;
        const output = result.output as { ConsumedCapacity?: Capacity | Capacity[]; Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> };
        const units = [output.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        if (READS.has(command)) this.readUnits += units;
        else this.writeUnits += units;
        this.itemsRead += output.Items?.length ?? (output.Item === undefined ? 0 : 1) + Object.values(output.Responses ?? {}).reduce((sum, items) => sum + items.length, 0);
        return result;
      },
      { step: 'initialize', name: 'dynamoMeter' },
    );
    return client;
  }

  /** What was sent since the last call. */
  take(): Metered {
    const taken = { requests: this.requests, readUnits: this.readUnits, writeUnits: this.writeUnits, itemsRead: this.itemsRead, byCommand: this.byCommand };
    this.requests = this.readUnits = this.writeUnits = this.itemsRead = 0;
    this.byCommand = {};
    return taken;
  }
}
